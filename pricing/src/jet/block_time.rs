//! Block time of a leg, in hours, and the hours billed for it.
//!
//! docs/pricing.md: block time = great-circle distance × routing factor ÷ (cruise TAS ± wind
//! component) + taxi allowance, billed in tenths of an hour rounded up.
//!
//! - Speeds are knots; 1 kt = 1 nautical mile per hour = 1.852 km/h exactly (the
//!   international nautical mile, 1 852 m: BIPM, *The International System of Units*,
//!   9th ed. (2019), Table 8).
//! - The taxi allowance is in minutes per leg; 12 minutes is the common convention.
//! - All arithmetic is [`Decimal`]: the same result on every platform. The billed tenths
//!   are computed exactly (an integer ceiling on the exact quotient, not on a rounded one).

use super::geo::MAX_DISTANCE_KM;
use super::JetError;
use rihla_core::Decimal;
use serde::{Deserialize, Serialize};

/// Kilometres per nautical mile (exact, by definition): 1 kt = 1.852 km/h.
pub const KM_PER_NAUTICAL_MILE: Decimal = Decimal::from_parts(1_852, 0, 0, false, 3);

/// Routing factor applied when none is given: 1.05 (5 % over the great circle for airways,
/// departures and arrivals).
pub const DEFAULT_ROUTING_FACTOR: Decimal = Decimal::from_parts(105, 0, 0, false, 2);

/// Taxi allowance per leg applied when none is given, in minutes: 12, the common
/// convention.
pub const DEFAULT_TAXI_MINUTES: Decimal = Decimal::from_parts(12, 0, 0, false, 0);

/// Allowed routing factors: 1..=3.
pub const ROUTING_FACTOR_RANGE: (Decimal, Decimal) = (
    Decimal::from_parts(1, 0, 0, false, 0),
    Decimal::from_parts(3, 0, 0, false, 0),
);

/// Allowed cruise true airspeeds, knots: 1..=1000.
pub const CRUISE_KTAS_RANGE: (Decimal, Decimal) = (
    Decimal::from_parts(1, 0, 0, false, 0),
    Decimal::from_parts(1_000, 0, 0, false, 0),
);

/// Allowed wind components, knots: −400..=400 (the strongest jet-stream cores are about
/// 250 kt).
pub const WIND_COMPONENT_KT_RANGE: (Decimal, Decimal) = (
    Decimal::from_parts(400, 0, 0, true, 0),
    Decimal::from_parts(400, 0, 0, false, 0),
);

/// Allowed taxi allowances, minutes: 0..=240.
pub const TAXI_MINUTES_RANGE: (Decimal, Decimal) = (
    Decimal::from_parts(0, 0, 0, false, 0),
    Decimal::from_parts(240, 0, 0, false, 0),
);

/// Allowed leg distances, km: 0..=[`MAX_DISTANCE_KM`] (half the Earth's circumference).
pub const DISTANCE_KM_RANGE: (Decimal, Decimal) = (Decimal::ZERO, MAX_DISTANCE_KM);

/// How a leg is flown: the inputs of [`block_hours`] besides its distance.
///
/// JSON: decimals as strings; `routing_factor`, `wind_component_kt` and `taxi_minutes` may
/// be left out (1.05, 0 and 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockTimeParams {
    /// Ratio of the distance flown to the great-circle distance, e.g. 1.05; within
    /// [`ROUTING_FACTOR_RANGE`].
    #[serde(
        with = "rihla_core::decimal_string",
        default = "default_routing_factor"
    )]
    pub routing_factor: Decimal,
    /// Cruise true airspeed, knots, e.g. 430 for a midsize jet; within
    /// [`CRUISE_KTAS_RANGE`].
    #[serde(with = "rihla_core::decimal_string")]
    pub cruise_ktas: Decimal,
    /// Average wind component along the leg, knots: positive for a tailwind, negative for
    /// a headwind; within [`WIND_COMPONENT_KT_RANGE`].
    #[serde(with = "rihla_core::decimal_string", default)]
    pub wind_component_kt: Decimal,
    /// Taxi allowance of the leg, minutes (out and in together), e.g. 12; within
    /// [`TAXI_MINUTES_RANGE`].
    #[serde(with = "rihla_core::decimal_string", default = "default_taxi_minutes")]
    pub taxi_minutes: Decimal,
}

fn default_routing_factor() -> Decimal {
    DEFAULT_ROUTING_FACTOR
}

fn default_taxi_minutes() -> Decimal {
    DEFAULT_TAXI_MINUTES
}

impl BlockTimeParams {
    /// Parameters for an aircraft cruising at `cruise_ktas` knots true airspeed, with the
    /// defaults: routing factor [`DEFAULT_ROUTING_FACTOR`] (1.05), no wind, taxi
    /// allowance [`DEFAULT_TAXI_MINUTES`] (12 minutes).
    pub fn new(cruise_ktas: Decimal) -> Self {
        BlockTimeParams {
            routing_factor: DEFAULT_ROUTING_FACTOR,
            cruise_ktas,
            wind_component_kt: Decimal::ZERO,
            taxi_minutes: DEFAULT_TAXI_MINUTES,
        }
    }
}

/// The block time of one leg.
///
/// `flight_hours` and `block_hours_exact` are exact quotients up to Decimal's 28
/// significant digits (one rounding each, at the last digit); `billed_hours` is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockTime {
    /// Great-circle distance of the leg, km, as given.
    #[serde(with = "rihla_core::decimal_string")]
    pub distance_km: Decimal,
    /// Airborne time, hours: distance × routing factor ÷ ground speed.
    #[serde(with = "rihla_core::decimal_string")]
    pub flight_hours: Decimal,
    /// Airborne time plus the taxi allowance, hours.
    #[serde(with = "rihla_core::decimal_string")]
    pub block_hours_exact: Decimal,
    /// Block time billed: `block_hours_exact` rounded up to the tenth of an hour (one
    /// decimal, e.g. `1.4`). Never below the exact block time, less than 0.1 h above it.
    #[serde(with = "rihla_core::decimal_string")]
    pub billed_hours: Decimal,
}

/// Block time of a leg of `distance_km` kilometres (great circle) flown with `params`.
///
/// ```text
/// ground speed (km/h) = (cruise_ktas + wind_component_kt) × 1.852
/// flight_hours        = distance_km × routing_factor ÷ ground speed
/// block_hours_exact   = flight_hours + taxi_minutes ÷ 60
/// billed_hours        = ⌈block_hours_exact × 10⌉ ÷ 10
/// ```
///
/// # Errors
/// - [`JetError::ParameterOutOfRange`] (`PARAMETER_OUT_OF_RANGE`) when `distance_km` is
///   outside [`DISTANCE_KM_RANGE`] or a parameter outside its range (see
///   [`BlockTimeParams`]);
/// - [`JetError::InvalidSpeed`] (`INVALID_SPEED`) when the ground speed is zero or
///   negative (a headwind at least the cruise speed).
pub fn block_hours(distance_km: Decimal, params: &BlockTimeParams) -> Result<BlockTime, JetError> {
    check("distance_km", distance_km, DISTANCE_KM_RANGE)?;
    check(
        "routing_factor",
        params.routing_factor,
        ROUTING_FACTOR_RANGE,
    )?;
    check("cruise_ktas", params.cruise_ktas, CRUISE_KTAS_RANGE)?;
    check(
        "wind_component_kt",
        params.wind_component_kt,
        WIND_COMPONENT_KT_RANGE,
    )?;
    check("taxi_minutes", params.taxi_minutes, TAXI_MINUTES_RANGE)?;

    let ground_kt = add(params.cruise_ktas, params.wind_component_kt)?;
    if ground_kt <= Decimal::ZERO {
        return Err(JetError::InvalidSpeed {
            cruise_ktas: params.cruise_ktas,
            wind_component_kt: params.wind_component_kt,
        });
    }
    let sixty = Decimal::from(60);
    let ground_kmh = mul(ground_kt, KM_PER_NAUTICAL_MILE)?;
    let route_km = mul(distance_km, params.routing_factor)?;
    let flight_hours = div(route_km, ground_kmh)?.normalize();

    // block = (route_km·60 + taxi·ground_kmh) / (60·ground_kmh): numerator and denominator
    // are exact, so the ceiling of tenths below is exact too.
    let numerator = add(mul(route_km, sixty)?, mul(params.taxi_minutes, ground_kmh)?)?;
    let denominator = mul(sixty, ground_kmh)?;
    let block_hours_exact = div(numerator, denominator)?.normalize();

    let tenths_numerator = mul(numerator, Decimal::TEN)?;
    let remainder = tenths_numerator
        .checked_rem(denominator)
        .ok_or_else(overflow)?;
    let whole_tenths = div(sub(tenths_numerator, remainder)?, denominator)?.round();
    let tenths = if remainder > Decimal::ZERO {
        add(whole_tenths, Decimal::ONE)?
    } else {
        whole_tenths
    };
    let mut billed_hours = div(tenths, Decimal::TEN)?;
    billed_hours.rescale(1);

    Ok(BlockTime {
        distance_km,
        flight_hours,
        block_hours_exact,
        billed_hours,
    })
}

fn check(
    field: &'static str,
    value: Decimal,
    (min, max): (Decimal, Decimal),
) -> Result<(), JetError> {
    if value < min || value > max {
        return Err(JetError::ParameterOutOfRange {
            field,
            value,
            min,
            max,
        });
    }
    Ok(())
}

fn overflow() -> JetError {
    JetError::Overflow {
        operation: "block time",
    }
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, JetError> {
    a.checked_add(b).ok_or_else(overflow)
}

fn sub(a: Decimal, b: Decimal) -> Result<Decimal, JetError> {
    a.checked_sub(b).ok_or_else(overflow)
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, JetError> {
    a.checked_mul(b).ok_or_else(overflow)
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal, JetError> {
    a.checked_div(b).ok_or_else(overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn params(routing: &str, ktas: &str, wind: &str, taxi: &str) -> BlockTimeParams {
        BlockTimeParams {
            routing_factor: d(routing),
            cruise_ktas: d(ktas),
            wind_component_kt: d(wind),
            taxi_minutes: d(taxi),
        }
    }

    #[test]
    fn midsize_riyadh_jeddah() {
        // RUH–JED great circle 851.8 km (see geo tests); midsize at 430 KTAS, routing
        // 1.05, no wind, 12 minutes of taxi:
        //   ground speed 430 kt × 1.852 = 796.36 km/h
        //   flight 851.8 × 1.05 = 894.39 km ÷ 796.36 km/h = 1.12309759405294088… h
        //   block  1.12309759405294088… + 0.2 = 1.32309759405294088… h → billed 1.4 h
        let block = block_hours(d("851.8"), &BlockTimeParams::new(d("430"))).unwrap();
        assert_eq!(block.distance_km.to_string(), "851.8");
        assert!(block
            .flight_hours
            .to_string()
            .starts_with("1.1230975940529408"));
        assert!(block
            .block_hours_exact
            .to_string()
            .starts_with("1.3230975940529408"));
        assert_eq!(block.billed_hours.to_string(), "1.4");
        // A 40 kt headwind: 390 kt × 1.852 = 722.28 km/h → 1.2383… + 0.2 = 1.4383… → 1.5.
        let headwind = block_hours(d("851.8"), &params("1.05", "430", "-40", "12")).unwrap();
        assert_eq!(headwind.billed_hours.to_string(), "1.5");
        // A 60 kt tailwind: 490 kt × 1.852 = 907.48 km/h → 0.98557… + 0.2 = 1.18557… → 1.2.
        let tailwind = block_hours(d("851.8"), &params("1.05", "430", "60", "12")).unwrap();
        assert_eq!(tailwind.billed_hours.to_string(), "1.2");
    }

    #[test]
    fn exact_tenths_are_not_rounded_up() {
        // 185.2 km at 100 kt (185.2 km/h), routing 1: exactly 1 h; + 12 min = 1.2 h.
        let b = block_hours(d("185.2"), &params("1", "100", "0", "12")).unwrap();
        assert_eq!(b.flight_hours, Decimal::ONE);
        assert_eq!(b.block_hours_exact, d("1.2"));
        assert_eq!(b.billed_hours.to_string(), "1.2");
        // 10 minutes of taxi: 1 h + 1/6 h = 1.1666… → 1.2; 18 minutes: 1.3 exactly.
        let b = block_hours(d("185.2"), &params("1", "100", "0", "10")).unwrap();
        assert_eq!(b.billed_hours.to_string(), "1.2");
        let b = block_hours(d("185.2"), &params("1", "100", "0", "18")).unwrap();
        assert_eq!(b.billed_hours.to_string(), "1.3");
        // A hair over a tenth is billed the next tenth.
        let b = block_hours(d("185.2000001"), &params("1", "100", "0", "12")).unwrap();
        assert_eq!(b.billed_hours.to_string(), "1.3");
        // Zero distance, zero taxi: nothing billed, shown with one decimal.
        let b = block_hours(Decimal::ZERO, &params("1", "100", "0", "0")).unwrap();
        assert_eq!(b.billed_hours.to_string(), "0.0");
        assert_eq!(b.block_hours_exact, Decimal::ZERO);
    }

    #[test]
    fn out_of_range_parameters_are_named() {
        let base = BlockTimeParams::new(d("430"));
        let cases = [
            ("distance_km", d("-0.1"), base),
            ("distance_km", d("20015.2"), base),
            (
                "routing_factor",
                d("0.99"),
                params("0.99", "430", "0", "12"),
            ),
            (
                "routing_factor",
                d("3.01"),
                params("3.01", "430", "0", "12"),
            ),
            ("cruise_ktas", d("0"), params("1.05", "0", "0", "12")),
            (
                "cruise_ktas",
                d("1000.1"),
                params("1.05", "1000.1", "0", "12"),
            ),
            (
                "wind_component_kt",
                d("-401"),
                params("1.05", "430", "-401", "12"),
            ),
            (
                "wind_component_kt",
                d("400.5"),
                params("1.05", "430", "400.5", "12"),
            ),
            ("taxi_minutes", d("-1"), params("1.05", "430", "0", "-1")),
            ("taxi_minutes", d("241"), params("1.05", "430", "0", "241")),
        ];
        for (field, value, p) in cases {
            let distance = if field == "distance_km" {
                value
            } else {
                d("100")
            };
            let e = block_hours(distance, &p).unwrap_err();
            assert_eq!(e.code(), "PARAMETER_OUT_OF_RANGE", "{field}");
            assert!(
                matches!(e, JetError::ParameterOutOfRange { field: f, value: v, .. } if f == field && v == value),
                "{e:?}"
            );
        }
    }

    #[test]
    fn non_positive_ground_speed_is_invalid() {
        for (ktas, wind) in [("300", "-300"), ("400", "-400"), ("1", "-1.5")] {
            let p = params("1.05", ktas, wind, "12");
            let e = block_hours(d("500"), &p).unwrap_err();
            assert_eq!(e.code(), "INVALID_SPEED");
        }
        let e = block_hours(d("500"), &params("1.05", "300", "-350", "12")).unwrap_err();
        assert_eq!(
            e,
            JetError::InvalidSpeed {
                cruise_ktas: d("300"),
                wind_component_kt: d("-350")
            }
        );
        // A crawl is slow but valid.
        let b = block_hours(d("20015.1"), &params("3", "1", "-0.999", "240")).unwrap();
        assert!(b.billed_hours > d("1000000"));
    }

    #[test]
    fn params_json_defaults_and_strict_decimals() {
        let p: BlockTimeParams = serde_json::from_str(r#"{"cruise_ktas": "430"}"#).unwrap();
        assert_eq!(p, BlockTimeParams::new(d("430")));
        let p: BlockTimeParams = serde_json::from_str(
            r#"{"cruise_ktas": "450", "routing_factor": "1.08", "wind_component_kt": "-25.5", "taxi_minutes": "15"}"#,
        )
        .unwrap();
        assert_eq!(p, params("1.08", "450", "-25.5", "15"));
        assert!(serde_json::from_str::<BlockTimeParams>(r#"{"cruise_ktas": 430}"#).is_err());
        assert!(
            serde_json::from_str::<BlockTimeParams>(r#"{"cruise_ktas": "430", "x": "1"}"#).is_err()
        );
        let b = block_hours(d("851.8"), &BlockTimeParams::new(d("430"))).unwrap();
        let v = serde_json::to_value(b).unwrap_or_default();
        assert_eq!(v["billed_hours"], "1.4");
        assert_eq!(v["distance_km"], "851.8");
    }
}
