//! Aircraft: the charter categories with broker-style defaults, and one aircraft's
//! pricing parameters.

use super::block_time::{BlockTimeParams, DEFAULT_ROUTING_FACTOR, DEFAULT_TAXI_MINUTES};
use rihla_core::{Decimal, Money};
use serde::{Deserialize, Serialize};

/// A charter aircraft category, as brokers list them (serialized in upper case,
/// `"MIDSIZE"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AircraftCategory {
    /// Turboprops (King Air 350, Pilatus PC-12).
    Turboprop,
    /// Very light jets (Phenom 100, Citation M2).
    VeryLight,
    /// Light jets (Phenom 300, Citation CJ3).
    Light,
    /// Midsize jets (Citation XLS+, Hawker 800XP, Learjet 60).
    Midsize,
    /// Super-midsize jets (Challenger 350, Citation Longitude).
    SuperMidsize,
    /// Heavy jets (Falcon 2000, Challenger 650, Gulfstream G450).
    Heavy,
    /// Ultra-long-range jets (Gulfstream G650ER, Global 7500).
    UltraLongRange,
    /// VIP airliners (ACJ320, BBJ).
    VipAirliner,
}

/// What a category's aircraft typically offer: the defaults used when an aircraft leaves
/// a parameter out, and an indicative hourly rate range for the host's sanity checks.
///
/// These are **defaults a broker would recognise, not quotes**: representative published
/// figures of the category's common types (manufacturer cruise speeds and ranges; 2025 US
/// broker rate guides for the hourly ranges). An aircraft's own figures always win, and a
/// rate outside the range is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CategoryDefaults {
    /// The category.
    pub category: AircraftCategory,
    /// Typical passenger seats.
    pub seats: u32,
    /// Typical long-range cruise true airspeed, knots.
    #[serde(with = "rihla_core::decimal_string")]
    pub cruise_ktas: Decimal,
    /// Typical range with passengers and reserves, km.
    #[serde(with = "rihla_core::decimal_string")]
    pub range_km: Decimal,
    /// Flight crew and cabin crew usually on board (crew overnight fees count them).
    pub crew: u32,
    /// Minimum billable hours per day commonly applied to the category.
    #[serde(with = "rihla_core::decimal_string")]
    pub daily_min_hours: Decimal,
    /// Low end of the indicative hourly charter rate, USD per block hour.
    #[serde(with = "rihla_core::decimal_string")]
    pub hourly_rate_usd_low: Decimal,
    /// High end of the indicative hourly charter rate, USD per block hour.
    #[serde(with = "rihla_core::decimal_string")]
    pub hourly_rate_usd_high: Decimal,
}

const fn d(units: u32, scale: u32) -> Decimal {
    Decimal::from_parts(units, 0, 0, false, scale)
}

/// One row: `[seats, cruise KTAS, range km, crew, daily minimum in tenths of an hour,
/// USD per hour low, USD per hour high]`.
const fn row(category: AircraftCategory, v: [u32; 7]) -> CategoryDefaults {
    let [seats, ktas, range, crew, daily_tenths, low, high] = v;
    CategoryDefaults {
        category,
        seats,
        cruise_ktas: d(ktas, 0),
        range_km: d(range, 0),
        crew,
        daily_min_hours: d(daily_tenths, 1),
        hourly_rate_usd_low: d(low, 0),
        hourly_rate_usd_high: d(high, 0),
    }
}

/// The defaults of every category, smallest first. Seats, cruise speed and range are
/// those of the named representative types (manufacturers' published figures, rounded);
/// the hourly ranges are indicative 2025 US broker figures.
pub const CATEGORY_DEFAULTS: [CategoryDefaults; 8] = [
    row(
        AircraftCategory::Turboprop,
        [8, 300, 2_800, 2, 15, 2_500, 4_000],
    ),
    row(
        AircraftCategory::VeryLight,
        [4, 380, 2_100, 2, 15, 3_500, 5_000],
    ),
    row(
        AircraftCategory::Light,
        [6, 430, 3_600, 2, 15, 4_500, 6_500],
    ),
    row(
        AircraftCategory::Midsize,
        [8, 430, 3_700, 2, 20, 5_500, 8_000],
    ),
    row(
        AircraftCategory::SuperMidsize,
        [9, 460, 5_900, 3, 20, 7_500, 10_500],
    ),
    row(
        AircraftCategory::Heavy,
        [12, 470, 7_400, 3, 25, 9_000, 14_000],
    ),
    row(
        AircraftCategory::UltraLongRange,
        [14, 490, 13_000, 4, 25, 13_000, 20_000],
    ),
    row(
        AircraftCategory::VipAirliner,
        [19, 450, 11_000, 6, 30, 20_000, 45_000],
    ),
];

impl AircraftCategory {
    /// The category's defaults (see [`CategoryDefaults`]).
    pub fn defaults(self) -> &'static CategoryDefaults {
        let i = match self {
            AircraftCategory::Turboprop => 0,
            AircraftCategory::VeryLight => 1,
            AircraftCategory::Light => 2,
            AircraftCategory::Midsize => 3,
            AircraftCategory::SuperMidsize => 4,
            AircraftCategory::Heavy => 5,
            AircraftCategory::UltraLongRange => 6,
            AircraftCategory::VipAirliner => 7,
        };
        &CATEGORY_DEFAULTS[i]
    }
}

/// One aircraft offered for charter, with the operator's prices.
///
/// ```json
/// {"id": "HZ-SKY1", "category": "MIDSIZE", "hourly_rate": {"amount": "3400.00", "currency": "USD"},
///  "home_base": "RUH", "position": "JED", "seats": 8, "cruise_ktas": "430",
///  "daily_min_hours": "2.0", "min_hours_per_leg": "1.0"}
/// ```
///
/// Left-out figures come from the category ([`AircraftCategory::defaults`]): seats,
/// cruise TAS, crew, daily minimum. Amounts are `Money` in whole minor units; when their
/// currency is not the quote's they are converted with the request's `rates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aircraft {
    /// The operator's id (a registration such as `HZ-SKY1`).
    pub id: String,
    /// The category.
    pub category: AircraftCategory,
    /// Price of one billable block hour of an occupied leg.
    pub hourly_rate: Money,
    /// Price of one billable block hour of a repositioning (ferry) leg; default
    /// `hourly_rate`. Must not exceed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repositioning_rate: Option<Money>,
    /// The operator's incremental cost of one block hour: an empty leg is never sold
    /// below `incremental_cost_per_hour × billable hours` (its floor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incremental_cost_per_hour: Option<Money>,
    /// Passenger seats (default: the category's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    /// Crew members on board, pilots and cabin (default: the category's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crew: Option<u32>,
    /// Cruise true airspeed, knots (default: the category's).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub cruise_ktas: Option<Decimal>,
    /// Ratio of distance flown to great-circle distance (default 1.05).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub routing_factor: Option<Decimal>,
    /// Taxi allowance per leg, minutes (default 12).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub taxi_minutes: Option<Decimal>,
    /// Minimum billable hours of one leg (default none), 0–24, in tenths.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_hours_per_leg: Option<Decimal>,
    /// Minimum billable hours per local calendar day with flying (default: the
    /// category's), 0–24, in tenths.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub daily_min_hours: Option<Decimal>,
    /// Longest leg the aircraft flies, great-circle km (default: no check).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub range_km: Option<Decimal>,
    /// The airport the aircraft returns to (IATA or ICAO code).
    pub home_base: String,
    /// Where the aircraft is now (default: its home base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// The commission percentage of this aircraft's charters, when the operator's
    /// contract differs from the rulebook's (0–100).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub commission_percent: Option<Decimal>,
}

impl Aircraft {
    /// Seats, given or the category's.
    pub fn seats(&self) -> u32 {
        self.seats.unwrap_or(self.category.defaults().seats)
    }

    /// Crew, given or the category's.
    pub fn crew(&self) -> u32 {
        self.crew.unwrap_or(self.category.defaults().crew)
    }

    /// Daily minimum billable hours, given or the category's.
    pub fn daily_min_hours(&self) -> Decimal {
        self.daily_min_hours
            .unwrap_or(self.category.defaults().daily_min_hours)
    }

    /// Where the aircraft is now.
    pub fn position(&self) -> &str {
        self.position.as_deref().unwrap_or(&self.home_base)
    }

    /// The block-time parameters of a leg flown with `wind_component_kt`.
    pub fn block_params(&self, wind_component_kt: Decimal) -> BlockTimeParams {
        BlockTimeParams {
            routing_factor: self.routing_factor.unwrap_or(DEFAULT_ROUTING_FACTOR),
            cruise_ktas: self
                .cruise_ktas
                .unwrap_or(self.category.defaults().cruise_ktas),
            wind_component_kt,
            taxi_minutes: self.taxi_minutes.unwrap_or(DEFAULT_TAXI_MINUTES),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_its_own_defaults() {
        for (i, d) in CATEGORY_DEFAULTS.iter().enumerate() {
            assert_eq!(d.category.defaults(), d, "row {i}");
            assert!(d.hourly_rate_usd_low < d.hourly_rate_usd_high);
            assert!(d.daily_min_hours >= Decimal::ONE);
        }
        let m = AircraftCategory::Midsize.defaults();
        assert_eq!(
            (
                m.seats,
                m.cruise_ktas.to_string(),
                m.daily_min_hours.to_string()
            ),
            (8, "430".into(), "2.0".into())
        );
    }
}
