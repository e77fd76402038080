//! `jet_quote`: private-jet charter pricing on the embedded default rulebook.
//!
//! * `jet_quote_5_legs` — a HEAVY jet based in Doha flies five customer legs
//!   DXB-RUH-JED-MED-RUH-DXB (plus the positioning and return ferries, 7 flown legs):
//!   great-circle distances from the embedded airport table, block times, per-leg and
//!   daily minimums, the weekend surcharge, six fees in USD converted to SAR, taxes and
//!   the commission split (`examples/data/charter_gulf_5legs.json`).
//! * `charter_availability` — the same itinerary's flown schedule checked against a
//!   calendar of one availability window and 50 bookings (one of them conflicting).
//!
//! The rulebook and the request are parsed once, outside the measured loops.
//! Run: `cargo bench -p rihla-benches --bench jet_quote`.

use criterion::{criterion_group, criterion_main, Criterion};
use rihla_pricing::jet::Itinerary;
use rihla_pricing::{QuoteRequest, Rulebook};
use serde_json::{json, Value};
use std::hint::black_box;

const GULF_5_LEGS_JSON: &str = include_str!("../../examples/data/charter_gulf_5legs.json");

/// The request's itinerary with an availability calendar: December 2026, and 50 bookings
/// of 6 hours every 25 hours from 1 October (none near the charter) plus one on the
/// morning of the JED-MED leg.
fn itinerary_with_calendar() -> Itinerary {
    let request: Value = serde_json::from_str(GULF_5_LEGS_JSON).expect("request is JSON");
    let mut jet = request["items"][0]["jet"].clone();
    let start = unix_midnight(2026, 10, 1);
    let mut bookings: Vec<Value> = (0..49)
        .map(|k| {
            let from = start + k * 25 * 3600;
            json!({"id": format!("BK-{k:03}"), "start": rfc3339(from), "end": rfc3339(from + 6 * 3600)})
        })
        .collect();
    bookings.push(json!({"id": "BK-CONFLICT", "start": "2026-12-12T07:00:00Z", "end": "2026-12-12T09:00:00Z"}));
    jet["availability"] = json!({
        "windows": [{"start": "2026-12-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}],
        "bookings": bookings
    });
    Itinerary::from_value(jet).expect("itinerary with calendar parses")
}

/// Seconds since the Unix epoch of midnight UTC on a date (proleptic Gregorian), without
/// a date crate: days from civil (H. Hinnant's algorithm).
fn unix_midnight(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// RFC 3339 text of a Unix instant (UTC).
fn rfc3339(t: i64) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn bench(c: &mut Criterion) {
    let rulebook = Rulebook::default_rulebook().expect("default rulebook loads");
    let request = QuoteRequest::from_json(GULF_5_LEGS_JSON).expect("5-leg charter parses");
    let quote = rulebook.quote(&request).expect("5-leg charter prices");
    assert_eq!(quote.charters.len(), 1);
    assert_eq!(
        quote.charters[0].legs.len(),
        7,
        "5 customer legs and 2 ferries"
    );
    c.bench_function("jet_quote_5_legs", |b| {
        b.iter(|| rulebook.quote(black_box(&request)))
    });

    let itinerary = itinerary_with_calendar();
    let report = rulebook
        .charter_availability(&itinerary)
        .expect("schedule builds");
    assert_eq!(report.legs.len(), 7);
    assert!(!report.available, "BK-CONFLICT overlaps the JED-MED leg");
    assert_eq!(report.conflicts.len(), 1);
    c.bench_function("charter_availability", |b| {
        b.iter(|| rulebook.charter_availability(black_box(&itinerary)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
