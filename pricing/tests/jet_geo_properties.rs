//! Properties of the charter geometry: great-circle distances and block times.

use proptest::prelude::*;
use rihla_pricing::jet::block_time::{
    CRUISE_KTAS_RANGE, TAXI_MINUTES_RANGE, WIND_COMPONENT_KT_RANGE,
};
use rihla_pricing::jet::geo::MAX_DISTANCE_KM;
use rihla_pricing::jet::{block_hours, great_circle_km, BlockTimeParams, JetError};
use rust_decimal::Decimal;

/// A latitude in micro-degrees, with the poles and the equator drawn often.
fn lat() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::from(90)),
        1 => Just(Decimal::from(-90)),
        1 => Just(Decimal::ZERO),
        12 => (-90_000_000i64..=90_000_000).prop_map(|v| Decimal::new(v, 6)),
    ]
}

/// A longitude in micro-degrees, with the antimeridian drawn often.
fn lon() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::from(180)),
        1 => Just(Decimal::from(-180)),
        1 => Just(Decimal::ZERO),
        12 => (-180_000_000i64..=180_000_000).prop_map(|v| Decimal::new(v, 6)),
    ]
}

fn position() -> impl Strategy<Value = (Decimal, Decimal)> {
    (lat(), lon())
}

/// Any decimal at all: every mantissa, sign and scale.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        0u32..=28,
    )
        .prop_map(|(lo, mid, hi, negative, scale)| {
            Decimal::from_parts(lo, mid, hi, negative, scale)
        })
}

/// A decimal with `scale` decimals between `min` and `max` (in units of 10^-scale).
fn decimal_in(min: i64, max: i64, scale: u32) -> impl Strategy<Value = Decimal> {
    (min..=max).prop_map(move |v| Decimal::new(v, scale))
}

/// Valid block-time parameters (ground speed may still be non-positive).
fn params() -> impl Strategy<Value = BlockTimeParams> {
    (
        decimal_in(100, 300, 2),      // routing factor 1.00..=3.00
        decimal_in(10, 10_000, 1),    // cruise 1.0..=1000.0 kt
        decimal_in(-4_000, 4_000, 1), // wind −400.0..=400.0 kt
        decimal_in(0, 2_400, 1),      // taxi 0.0..=240.0 min
    )
        .prop_map(
            |(routing_factor, cruise_ktas, wind_component_kt, taxi_minutes)| BlockTimeParams {
                routing_factor,
                cruise_ktas,
                wind_component_kt,
                taxi_minutes,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn distance_is_symmetric_bounded_and_one_decimal(a in position(), b in position()) {
        let ab = great_circle_km(a, b).unwrap();
        let ba = great_circle_km(b, a).unwrap();
        prop_assert_eq!(ab, ba);
        prop_assert!(ab >= Decimal::ZERO);
        prop_assert!(ab <= MAX_DISTANCE_KM, "{}", ab);
        prop_assert_eq!(ab.scale(), 1);
    }

    #[test]
    fn distance_to_itself_is_zero(a in position()) {
        prop_assert_eq!(great_circle_km(a, a).unwrap(), Decimal::ZERO);
    }

    #[test]
    fn distance_obeys_the_triangle_inequality(a in position(), b in position(), c in position()) {
        let ab = great_circle_km(a, b).unwrap();
        let bc = great_circle_km(b, c).unwrap();
        let ac = great_circle_km(a, c).unwrap();
        // Each distance is rounded to 0.1 km: allow the three half-tenths.
        prop_assert!(ac <= ab + bc + Decimal::new(15, 2), "{} > {} + {}", ac, ab, bc);
    }

    #[test]
    fn antipodes_are_half_the_circumference_apart(a in position()) {
        let (lat, lon) = a;
        let anti_lon = if lon > Decimal::ZERO { lon - Decimal::from(180) } else { lon + Decimal::from(180) };
        let d = great_circle_km(a, (-lat, anti_lon)).unwrap();
        prop_assert_eq!(d, MAX_DISTANCE_KM);
    }

    #[test]
    fn distance_never_panics(a in (any_decimal(), any_decimal()), b in position()) {
        match great_circle_km(a, b) {
            Ok(d) => prop_assert!(d >= Decimal::ZERO && d <= MAX_DISTANCE_KM),
            Err(e) => prop_assert!(matches!(e, JetError::InvalidCoordinates { .. }), "{e:?}"),
        }
    }

    #[test]
    fn billed_hours_round_the_exact_block_time_up_to_a_tenth(
        distance in decimal_in(0, 200_151, 1),
        p in params(),
    ) {
        match block_hours(distance, &p) {
            Ok(b) => {
                let tenth = Decimal::new(1, 1);
                prop_assert!(b.billed_hours >= b.block_hours_exact, "{b:?}");
                prop_assert!(b.billed_hours < b.block_hours_exact + tenth, "{b:?}");
                prop_assert_eq!(b.billed_hours.scale(), 1);
                prop_assert!(b.flight_hours >= Decimal::ZERO);
                let taxi_hours = p.taxi_minutes / Decimal::from(60);
                let gap = (b.block_hours_exact - b.flight_hours - taxi_hours).abs();
                prop_assert!(gap < Decimal::new(1, 20), "{b:?}");
                prop_assert_eq!(b.distance_km, distance);
            }
            Err(e) => {
                prop_assert!(p.cruise_ktas + p.wind_component_kt <= Decimal::ZERO, "{e:?}");
                prop_assert_eq!(e.code(), "INVALID_SPEED");
            }
        }
    }

    #[test]
    fn longer_legs_never_bill_less(
        a in decimal_in(0, 200_151, 1),
        b in decimal_in(0, 200_151, 1),
        p in params(),
    ) {
        let (short, long) = if a <= b { (a, b) } else { (b, a) };
        if let (Ok(s), Ok(l)) = (block_hours(short, &p), block_hours(long, &p)) {
            prop_assert!(s.billed_hours <= l.billed_hours);
            prop_assert!(s.block_hours_exact <= l.block_hours_exact);
        }
    }

    #[test]
    fn block_time_never_panics(
        distance in any_decimal(),
        routing_factor in any_decimal(),
        cruise_ktas in any_decimal(),
        wind_component_kt in any_decimal(),
        taxi_minutes in any_decimal(),
    ) {
        let p = BlockTimeParams { routing_factor, cruise_ktas, wind_component_kt, taxi_minutes };
        if let Err(e) = block_hours(distance, &p) {
            prop_assert!(
                matches!(e.code(), "PARAMETER_OUT_OF_RANGE" | "INVALID_SPEED"),
                "{e:?}"
            );
        }
    }

    #[test]
    fn block_time_in_range_never_fails_but_for_speed(
        distance in decimal_in(0, 20_015_100, 3),
        p in params(),
        wind_scale in 0u32..=6,
    ) {
        // Finer-grained winds too, down to a millionth of a knot.
        let p = BlockTimeParams { wind_component_kt: p.wind_component_kt / Decimal::from(10u32.pow(wind_scale)), ..p };
        let min_wind = WIND_COMPONENT_KT_RANGE.0;
        prop_assert!(p.wind_component_kt >= min_wind);
        prop_assert!(p.cruise_ktas >= CRUISE_KTAS_RANGE.0 && p.taxi_minutes <= TAXI_MINUTES_RANGE.1);
        match block_hours(distance, &p) {
            Ok(b) => prop_assert!(b.billed_hours >= b.block_hours_exact),
            Err(e) => prop_assert_eq!(e.code(), "INVALID_SPEED"),
        }
    }
}
