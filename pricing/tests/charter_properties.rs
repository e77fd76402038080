//! Property tests of charter pricing (docs/pricing.md, "Private-jet charters"): on random Saudi domestic
//! itineraries (host-given airports, random aircraft, passengers, empty legs, per-leg and
//! daily minimums, commission and platform fee):
//!
//! - billable hours are never below the hours flown, per leg and in total;
//! - appending an occupied leg never lowers the price (before tax and after the 15 % VAT)
//!   when no date-dependent surcharge applies (a weekend surcharge on a ferry that the new
//!   leg replaces may legitimately go away);
//! - commission + platform fee + owner earnings = the charter's total, exactly;
//! - any itinerary prices or fails with a typed error, never a panic.

use proptest::prelude::*;
use rihla_pricing::{QuoteRequest, Rulebook};
use serde_json::{json, Value};

/// Eight made-up airports inside Saudi Arabia (host coordinates, so the test does not need
/// the embedded table).
const AIRPORTS: [(&str, &str, &str); 8] = [
    ("AAA", "24.9576", "46.6988"),
    ("BBB", "21.6796", "39.1565"),
    ("CCC", "24.5534", "39.7051"),
    ("DDD", "26.4712", "49.7979"),
    ("EEE", "18.2404", "42.6566"),
    ("FFF", "21.4834", "40.5443"),
    ("GGG", "28.3654", "36.6189"),
    ("HHH", "16.9011", "42.5858"),
];

const CATEGORIES: [&str; 8] = [
    "TURBOPROP",
    "VERY_LIGHT",
    "LIGHT",
    "MIDSIZE",
    "SUPER_MIDSIZE",
    "HEAVY",
    "ULTRA_LONG_RANGE",
    "VIP_AIRLINER",
];

fn rulebook(commission: u32, platform: u32) -> Result<Rulebook, TestCaseError> {
    let doc = json!({
        "version": "charter-properties",
        "taxes": [{
            "id": "KSA-VAT-15-AIR", "code": "VAT", "rate": "15",
            "applies_to": {"scope": "CATEGORIES", "categories": ["PRIVATE_JET"]},
            "journey": "DOMESTIC", "countries": ["SA"]
        }],
        "charter": {
            "empty_leg_discount_percent": "40",
            "commission_percent": commission.to_string(),
            "platform_fee_percent": platform.to_string()
        }
    });
    Rulebook::from_value(doc).map_err(|e| TestCaseError::fail(format!("test rulebook: {e}")))
}

#[derive(Debug, Clone)]
struct Trip {
    category: usize,
    rate_minor: u64,
    reposition_share: u32,
    floor_share: u32,
    daily_min_tenths: u32,
    leg_min_tenths: u32,
    base: usize,
    position: usize,
    legs: Vec<(usize, usize, u32, bool, u32)>, // from, to, passengers, empty, hour of day
    fees: bool,
    return_ferry: bool,
}

fn trip() -> impl Strategy<Value = Trip> {
    (
        0..8usize,
        100_000u64..6_000_000,
        50u32..=100,
        0u32..=80,
        0u32..=30,
        0u32..=15,
        0..8usize,
        0..8usize,
        prop::collection::vec(
            (
                0..8usize,
                0..8usize,
                1u32..=4,
                prop::bool::weighted(0.2),
                6u32..=20,
            ),
            1..5,
        ),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                category,
                rate_minor,
                reposition_share,
                floor_share,
                daily,
                leg_min,
                base,
                position,
                legs,
                fees,
                rf,
            )| Trip {
                category,
                rate_minor,
                reposition_share,
                floor_share,
                daily_min_tenths: daily,
                leg_min_tenths: leg_min,
                base,
                position,
                legs: legs
                    .into_iter()
                    .map(|(f, t, p, e, h)| (f, if t == f { (t + 1) % 8 } else { t }, p, e, h))
                    .collect(),
                fees,
                return_ferry: rf,
            },
        )
}

fn sar(minor: u64) -> Value {
    json!({"amount": format!("{}.{:02}", minor / 100, minor % 100), "currency": "SAR"})
}

fn request(t: &Trip, extra: Option<(usize, usize, u32)>) -> Value {
    let code = |i: usize| AIRPORTS[i % 8].0;
    let mut legs: Vec<Value> = t
        .legs
        .iter()
        .enumerate()
        .map(|(d, (f, to, p, e, h))| {
            json!({"from": code(*f), "to": code(*to), "passengers": p, "empty": e,
                   "departure": format!("2026-12-{:02}T{:02}:00:00+03:00", 1 + 2 * d, h)})
        })
        .collect();
    if let Some((f, to, p)) = extra {
        let d = t.legs.len();
        legs.push(json!({"from": code(f), "to": code(to), "passengers": p,
                         "departure": format!("2026-12-{:02}T08:00:00+03:00", 1 + 2 * d)}));
    }
    let repositioning = t.rate_minor * u64::from(t.reposition_share) / 100;
    let floor = t.rate_minor * u64::from(t.floor_share) / 100;
    let fees = if t.fees {
        json!([
            {"kind": "LANDING", "basis": "PER_LANDING", "amount": sar(90_000)},
            {"kind": "CREW_OVERNIGHT", "basis": "PER_CREW_NIGHT", "amount": sar(110_000)},
            {"kind": "CATERING", "basis": "PER_PASSENGER_LEG", "amount": sar(15_000)},
            {"kind": "FUEL", "basis": "PER_BILLABLE_HOUR", "amount": sar(33_333)}
        ])
    } else {
        json!([])
    };
    let airports: Vec<Value> = AIRPORTS
        .iter()
        .map(|(c, lat, lon)| json!({"code": c, "lat": lat, "lon": lon, "country": "SA"}))
        .collect();
    json!({
        "currency": "SAR", "now": "2026-11-22T09:00:00Z",
        "items": [{"id": "JET-1", "category": "PRIVATE_JET", "jet": {
            "aircraft": {
                "id": "HZ-PROP", "category": CATEGORIES[t.category],
                "hourly_rate": sar(t.rate_minor), "repositioning_rate": sar(repositioning),
                "incremental_cost_per_hour": sar(floor), "seats": 8,
                "daily_min_hours": format!("{}.{}", t.daily_min_tenths / 10, t.daily_min_tenths % 10),
                "min_hours_per_leg": format!("{}.{}", t.leg_min_tenths / 10, t.leg_min_tenths % 10),
                "home_base": code(t.base), "position": code(t.position)
            },
            "legs": legs, "airports": airports, "fees": fees,
            "return_ferry": if t.return_ferry { "BILLED" } else { "WAIVED" }
        }}]
    })
}

fn quote(rb: &Rulebook, req: Value) -> Result<rihla_pricing::Quote, rihla_pricing::Error> {
    rb.quote(&QuoteRequest::from_value(req)?)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn billable_hours_are_never_below_flown_hours(t in trip(), c in 0u32..=20, p in 0u32..=5) {
        let q = quote(&rulebook(c, p)?, request(&t, None));
        prop_assert!(q.is_ok(), "{:?}", q.err());
        let Ok(q) = q else { return Ok(()) };
        let ch = &q.charters[0];
        prop_assert!(ch.billable_hours >= ch.flown_hours);
        for l in &ch.legs {
            prop_assert!(l.flown.billable_hours >= l.flown.billed_hours);
            if let Some(b) = l.flown.block_time {
                prop_assert!(l.flown.billed_hours >= b.block_hours_exact);
            }
        }
        for d in &ch.daily_minimums {
            prop_assert!(d.hours + d.top_up_hours >= d.minimum_hours);
        }
    }

    #[test]
    fn commission_platform_fee_and_owner_earnings_sum_to_the_total(
        t in trip(), c in 0u32..=30, p in 0u32..=10,
    ) {
        let Ok(q) = quote(&rulebook(c, p)?, request(&t, None)) else {
            return Err(TestCaseError::fail("quote failed"));
        };
        let ch = &q.charters[0];
        prop_assert_eq!(ch.commission + ch.platform_fee + ch.owner_earnings, ch.total);
        prop_assert_eq!(ch.total, ch.subtotal - ch.discount);
        prop_assert_eq!(ch.total_with_tax, q.final_amount);
        prop_assert!(ch.commission >= rust_decimal::Decimal::ZERO && ch.owner_earnings >= rust_decimal::Decimal::ZERO);
        // Each part is its percentage of the total, give or take one minor unit.
        let cent = rust_decimal::Decimal::new(1, 2);
        let pct = |x: u32| ch.total * rust_decimal::Decimal::from(x) / rust_decimal::Decimal::ONE_HUNDRED;
        prop_assert!((ch.commission - pct(c)).abs() <= cent);
        prop_assert!((ch.platform_fee - pct(p)).abs() <= cent);
    }

    #[test]
    fn appending_an_occupied_leg_never_lowers_the_price(
        t in trip(), from in 0..8usize, to in 0..8usize, pax in 1u32..=8,
    ) {
        let to = if to == from { (to + 1) % 8 } else { to };
        let rb = rulebook(10, 2)?;
        let before = quote(&rb, request(&t, None));
        let after = quote(&rb, request(&t, Some((from, to, pax))));
        let (Ok(before), Ok(after)) = (before, after) else {
            return Err(TestCaseError::fail("quote failed"));
        };
        prop_assert!(after.charters[0].subtotal >= before.charters[0].subtotal,
            "subtotal {} -> {}", before.charters[0].subtotal, after.charters[0].subtotal);
        prop_assert!(after.final_amount >= before.final_amount,
            "final {} -> {}", before.final_amount, after.final_amount);
    }

    #[test]
    fn any_itinerary_prices_or_fails_with_a_code(
        t in trip(), seats in 0u32..12, range in 0u32..3000, turnaround in 0u32..1500,
        hours in prop::collection::vec(0u32..300, 0..3),
    ) {
        let mut req = request(&t, None);
        let jet = &mut req["items"][0]["jet"];
        jet["aircraft"]["seats"] = json!(seats);
        jet["aircraft"]["range_km"] = json!(range.to_string());
        for (i, h) in hours.iter().enumerate() {
            if let Some(leg) = jet["legs"].get_mut(i) {
                leg["block_hours"] = json!(format!("{}.{}", h / 10, h % 10));
            }
        }
        let rb = Rulebook::from_value(json!({"version": "t", "charter": {"turnaround_minutes": turnaround}}));
        match rb {
            Ok(rb) => match quote(&rb, req) {
                Ok(q) => prop_assert!(!q.charters.is_empty()),
                Err(e) => prop_assert!(!e.code().is_empty()),
            },
            Err(e) => prop_assert_eq!(e.code(), "RATE_OUT_OF_RANGE"),
        }
    }
}
