//! `quote_itinerary`: a US domestic round trip with a connection each way (4 segments),
//! 2 ADT + 1 CHD + 1 lap INF, six rules: the default rulebook's four US taxes (7.5 %
//! transportation tax, segment tax, September 11 fee with its round-trip cap, PFC with its
//! caps) plus a YQ carrier surcharge and a per-arrival charge. Rulebook loaded once.

use criterion::{criterion_group, criterion_main, Criterion};
use rihla_pricing::{QuoteRequest, Rulebook, DEFAULT_RULEBOOK_JSON};
use serde_json::{json, Value};
use std::hint::black_box;

fn rulebook() -> Rulebook {
    let mut doc: Value =
        serde_json::from_str(DEFAULT_RULEBOOK_JSON).expect("default rulebook is JSON");
    let taxes = doc["taxes"].as_array_mut().expect("taxes");
    taxes.push(json!({"id": "AA-YQ", "code": "YQ", "kind": "CARRIER_SURCHARGE", "basis": "PER_PASSENGER",
                      "amount": {"amount": "25.00", "currency": "USD"}, "exempt_passenger_types": ["INF"]}));
    taxes.push(json!({"id": "ARR", "code": "XA", "basis": "PER_ARRIVAL", "amount": {"amount": "3.96", "currency": "USD"},
                      "countries": ["US"], "exempt_passenger_types": ["INF"]}));
    Rulebook::from_value(doc).expect("bench rulebook loads")
}

fn bench(c: &mut Criterion) {
    let rulebook = rulebook();
    let request =
        QuoteRequest::from_json(rihla_examples::US_ROUND_TRIP_JSON).expect("request parses");
    let quote = rulebook.quote(&request).expect("prices");
    assert_eq!(
        quote.lines.len(),
        3 + 6,
        "3 passenger-type lines and 6 tax/surcharge lines"
    );
    c.bench_function("quote_itinerary", |b| {
        b.iter(|| rulebook.quote(black_box(&request)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
