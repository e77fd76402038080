//! Private-jet charter (docs/pricing.md): a PRIVATE_JET item's `jet` [`Itinerary`] priced by
//! the platform's formula `total = base_rate × hours × multipliers + surcharges −
//! discounts`, then `commission = total × commission_rate` and
//! `owner_earnings = total − commission − platform_fee`.
//!
//! - [`aircraft`]: the categories and their defaults, one aircraft's prices and figures;
//! - [`itinerary`]: the request (aircraft, customer legs, repositioning billing, host
//!   airports, fees, demand multiplier, calendar);
//! - [`schedule`](mod@schedule): the flown legs (customer + repositioning) with distances,
//!   block times, billable hours and times;
//! - [`rules`]: the rulebook's `charter` section (weekend days per market, surcharges,
//!   empty-leg discount, turnaround, commission, platform fee);
//! - [`fee`]: the operator's fees and their bases;
//! - [`charter`]: the pricing itself, its order and rounding, the [`Charter`] breakdown of
//!   the quote and the commission split;
//! - [`availability`]: conflicts with the aircraft's windows and bookings.
//!
//! And the building blocks:
//!
//! - [`airport`]: the [`Airport`] record and an embedded table of real airports, generated
//!   from the MIT-licensed `airportsdata` package (version [`AIRPORTS_DATA_VERSION`]) by
//!   `scripts/gen_airports.py`, looked up by IATA or ICAO code in O(1) with [`lookup`]. The
//!   table sits behind the cargo feature `airports` (on by default); without it, hosts give
//!   coordinates themselves and [`lookup`] answers [`JetError::AirportTableUnavailable`].
//! - [`geo`]: the great-circle distance in km ([`great_circle_km`]), haversine on the IUGG
//!   mean Earth radius, computed in integer arithmetic so that it is the same on every
//!   platform, rounded to 0.1 km.
//! - [`block_time`]: block time per leg ([`block_hours`]) from distance, routing factor,
//!   cruise true airspeed, wind component and taxi allowance, billed in tenths of an hour
//!   rounded up.
//!
//! ```
//! use rihla_pricing::jet::{self, BlockTimeParams};
//! use rust_decimal::Decimal;
//!
//! # #[cfg(feature = "airports")] {
//! let ruh = jet::lookup("RUH")?;
//! let jed = jet::lookup("oejn")?; // ICAO, case-insensitive
//! let km = jet::great_circle_km(ruh.position(), jed.position())?;
//! assert_eq!(km.to_string(), "851.8");
//!
//! // A midsize jet: 430 KTAS, routing factor 1.05, no wind, 12 minutes of taxi.
//! let params = BlockTimeParams::new(Decimal::from(430));
//! let block = jet::block_hours(km, &params)?;
//! assert_eq!(block.billed_hours.to_string(), "1.4");
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every failure is a [`JetError`] with a stable [`JetError::code`]; nothing here panics on
//! input, does I/O or reads a clock.

pub mod aircraft;
pub mod airport;
pub mod availability;
pub mod block_time;
pub mod charter;
pub mod fee;
pub mod geo;
pub mod itinerary;
pub mod rules;
pub mod schedule;

pub use aircraft::{Aircraft, AircraftCategory, CategoryDefaults, CATEGORY_DEFAULTS};
pub use airport::{lookup, Airport, AIRPORTS_DATA_VERSION};
pub use availability::{AvailabilityReport, Booking, Calendar, Conflict, ConflictReason, Interval};
pub use block_time::{block_hours, BlockTime, BlockTimeParams};
pub use charter::{Charter, DailyMinimum, FeeCharge, LegCharge, SurchargeCharge};
pub use fee::{Fee, FeeBasis, FeeKind};
pub use geo::great_circle_km;
pub use itinerary::{Billing, FerryLeg, HostAirport, Itinerary, Leg};
pub use rules::{CharterRules, Surcharge, SurchargeKind};
pub use schedule::{schedule, FlownLeg, LegKind};

use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use serde_json::{json, Value};

/// An error of the charter building blocks, with the values that decided it.
///
/// [`JetError::code`] is stable across releases and languages.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JetError {
    /// No airport in the embedded table has this code. Codes of 3 characters are looked up
    /// as IATA location codes, codes of 4 characters as ICAO location indicators; any other
    /// length is unknown too.
    #[error("unknown airport code {code:?} (expected a 3-letter IATA or 4-letter ICAO code)")]
    UnknownAirport {
        /// The code as given (at most its first 16 characters).
        code: String,
    },
    /// The embedded airport table was left out of this build (cargo feature `airports`
    /// off, as in the WASM package): the host must give the airport's coordinates.
    #[error("no airport table in this build to look up {code:?}: give the coordinates instead")]
    AirportTableUnavailable {
        /// The code as given (at most its first 16 characters).
        code: String,
    },
    /// A latitude outside −90..=90 degrees or a longitude outside −180..=180 degrees.
    #[error("invalid coordinates ({lat}, {lon}): latitude must be within -90..=90 and longitude within -180..=180 degrees")]
    InvalidCoordinates {
        /// Latitude given, in decimal degrees.
        lat: Decimal,
        /// Longitude given, in decimal degrees.
        lon: Decimal,
    },
    /// The ground speed (cruise true airspeed + wind component) is zero or negative: the
    /// aircraft would never arrive.
    #[error("ground speed {cruise_ktas} kt + ({wind_component_kt}) kt is not positive")]
    InvalidSpeed {
        /// Cruise true airspeed, in knots.
        cruise_ktas: Decimal,
        /// Wind component, in knots (+ tailwind, − headwind).
        wind_component_kt: Decimal,
    },
    /// A block-time parameter outside its allowed range (see
    /// [`block_time::BlockTimeParams`]).
    #[error("{field} is {value}, outside {min}..={max}")]
    ParameterOutOfRange {
        /// The parameter, e.g. `routing_factor`.
        field: &'static str,
        /// The value given.
        value: Decimal,
        /// Smallest allowed value.
        min: Decimal,
        /// Largest allowed value.
        max: Decimal,
    },
    /// A customer leg carries more passengers than the aircraft has seats.
    #[error("{field}: {passengers} passengers but the aircraft has {seats} seats")]
    TooManyPassengers {
        /// Path of the leg's passengers, e.g. `items[0].jet.legs[1].passengers`.
        field: String,
        /// Index of the customer leg.
        leg: usize,
        /// Passengers on it.
        passengers: u32,
        /// The aircraft's seats.
        seats: u32,
    },
    /// A flown leg (customer or repositioning) longer than the aircraft's range.
    #[error("{field}: leg {from}-{to} is {distance_km} km, beyond the aircraft's range of {range_km} km")]
    BeyondRange {
        /// Path of the customer leg (the one served, for a repositioning leg).
        field: String,
        /// Index of the customer leg (the one served, for a repositioning leg).
        leg: usize,
        /// Departure airport.
        from: String,
        /// Arrival airport.
        to: String,
        /// Great-circle distance, km.
        distance_km: Decimal,
        /// The aircraft's range, km.
        range_km: Decimal,
    },
    /// A customer leg departs before the aircraft is ready: the previous flown leg's
    /// arrival plus the turnaround (and any repositioning leg between them).
    #[error(
        "leg {leg} departs at {departure} but the aircraft is ready at {earliest} at the earliest"
    )]
    OverlappingLegs {
        /// Path of the leg's departure.
        field: String,
        /// Index of the customer leg.
        leg: usize,
        /// Its departure (UTC).
        departure: DateTime<Utc>,
        /// The earliest departure the schedule allows (UTC).
        earliest: DateTime<Utc>,
    },
    /// A span that ends before it starts (or at its start): a leg's arrival, an
    /// availability window, a booking.
    #[error("{field} ends at {end}, not after its start {start}")]
    InvalidInterval {
        /// Path of the span, e.g. `items[0].jet.legs[1].arrival`.
        field: String,
        /// Its start (UTC).
        start: DateTime<Utc>,
        /// Its end (UTC).
        end: DateTime<Utc>,
    },
    /// Checked decimal arithmetic went past the range of `Decimal`. Validated inputs keep
    /// every computation far inside it, so this is a safeguard, not an expected outcome.
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// The computation that overflowed, e.g. `"great-circle distance"`.
        operation: &'static str,
    },
}

impl JetError {
    /// The stable, machine-readable code: `UNKNOWN_AIRPORT`, `AIRPORT_TABLE_UNAVAILABLE`,
    /// `INVALID_COORDINATES`, `INVALID_SPEED`, `PARAMETER_OUT_OF_RANGE`,
    /// `TOO_MANY_PASSENGERS`, `BEYOND_RANGE`, `OVERLAPPING_LEGS`, `INVALID_INTERVAL` or
    /// `OVERFLOW` (the same code as the money layer's overflow).
    pub fn code(&self) -> &'static str {
        match self {
            JetError::UnknownAirport { .. } => "UNKNOWN_AIRPORT",
            JetError::AirportTableUnavailable { .. } => "AIRPORT_TABLE_UNAVAILABLE",
            JetError::InvalidCoordinates { .. } => "INVALID_COORDINATES",
            JetError::InvalidSpeed { .. } => "INVALID_SPEED",
            JetError::ParameterOutOfRange { .. } => "PARAMETER_OUT_OF_RANGE",
            JetError::TooManyPassengers { .. } => "TOO_MANY_PASSENGERS",
            JetError::BeyondRange { .. } => "BEYOND_RANGE",
            JetError::OverlappingLegs { .. } => "OVERLAPPING_LEGS",
            JetError::InvalidInterval { .. } => "INVALID_INTERVAL",
            JetError::Overflow { .. } => "OVERFLOW",
        }
    }

    /// The error as a JSON object: `{"code", "message", …the deciding values}`, decimals
    /// as strings. The airport code of `UNKNOWN_AIRPORT` and `AIRPORT_TABLE_UNAVAILABLE`
    /// is under the key `"airport"` (`"code"` is the error code).
    pub fn to_value(&self) -> Value {
        let mut v = match self {
            JetError::UnknownAirport { code } | JetError::AirportTableUnavailable { code } => {
                json!({"airport": code})
            }
            JetError::InvalidCoordinates { lat, lon } => {
                json!({"lat": lat.to_string(), "lon": lon.to_string()})
            }
            JetError::InvalidSpeed {
                cruise_ktas,
                wind_component_kt,
            } => json!({"cruise_ktas": cruise_ktas.to_string(),
                        "wind_component_kt": wind_component_kt.to_string()}),
            JetError::ParameterOutOfRange {
                field,
                value,
                min,
                max,
            } => json!({"field": field, "value": value.to_string(),
                        "min": min.to_string(), "max": max.to_string()}),
            JetError::TooManyPassengers {
                field,
                leg,
                passengers,
                seats,
            } => json!({"field": field, "leg": leg, "passengers": passengers, "seats": seats}),
            JetError::BeyondRange {
                field,
                leg,
                from,
                to,
                distance_km,
                range_km,
            } => json!({"field": field, "leg": leg, "from": from, "to": to,
                        "distance_km": distance_km.to_string(), "range_km": range_km.to_string()}),
            JetError::OverlappingLegs {
                field,
                leg,
                departure,
                earliest,
            } => {
                json!({"field": field, "leg": leg, "departure": departure.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                        "earliest": earliest.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)})
            }
            JetError::InvalidInterval { field, start, end } => json!({"field": field,
                        "start": start.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                        "end": end.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)}),
            JetError::Overflow { operation } => json!({"operation": operation}),
        };
        if let Value::Object(map) = &mut v {
            map.insert("code".into(), Value::from(self.code()));
            map.insert("message".into(), Value::from(self.to_string()));
        }
        v
    }
}

/// The path of field `rest` under the prefix `f` (`items[0].jet` + `legs` →
/// `items[0].jet.legs`; an empty prefix gives `rest` alone, as for a bare itinerary).
pub(crate) fn at(f: &str, rest: &str) -> String {
    if f.is_empty() {
        rest.to_owned()
    } else {
        format!("{f}.{rest}")
    }
}

/// The first 16 characters of a code, for error messages (a caller's string is never
/// copied whole into an error).
pub(crate) fn shown_code(code: &str) -> String {
    code.chars().take(16).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_values_carry_the_fields() {
        let e = JetError::UnknownAirport { code: "XXX".into() };
        assert_eq!(e.code(), "UNKNOWN_AIRPORT");
        let v = e.to_value();
        assert_eq!(v["code"], "UNKNOWN_AIRPORT");
        assert_eq!(v["airport"], "XXX");
        assert!(v["message"].as_str().is_some_and(|m| m.contains("XXX")));

        let e = JetError::ParameterOutOfRange {
            field: "routing_factor",
            value: Decimal::new(5, 1),
            min: Decimal::ONE,
            max: Decimal::from(3),
        };
        assert_eq!(e.code(), "PARAMETER_OUT_OF_RANGE");
        assert_eq!(e.to_value()["value"], "0.5");
        assert_eq!(
            JetError::AirportTableUnavailable { code: "RUH".into() }.code(),
            "AIRPORT_TABLE_UNAVAILABLE"
        );
        assert_eq!(
            JetError::InvalidCoordinates {
                lat: Decimal::from(91),
                lon: Decimal::ZERO
            }
            .to_value()["lat"],
            "91"
        );
        assert_eq!(
            JetError::InvalidSpeed {
                cruise_ktas: Decimal::from(100),
                wind_component_kt: Decimal::from(-100)
            }
            .code(),
            "INVALID_SPEED"
        );
        assert_eq!(
            JetError::Overflow { operation: "x" }.to_value()["code"],
            "OVERFLOW"
        );
    }

    #[test]
    fn long_codes_are_cut_in_errors() {
        assert_eq!(shown_code(&"A".repeat(1000)).len(), 16);
        assert_eq!(shown_code("ruh"), "ruh");
    }
}
