//! `quote_promotions`: a rulebook with 20 automatic offers of every kind, of which 3 apply
//! to the cart (a percentage on hotels, a 3-for-2 on nights, a fixed order discount) and
//! the rest are rejected by scope, tier, window or currency, plus one voucher; and
//! `check_voucher` on the same cart. Rulebook loaded once.

use criterion::{criterion_group, criterion_main, Criterion};
use rihla_pricing::{QuoteRequest, Rulebook};
use serde_json::{json, Value};
use std::hint::black_box;

fn rulebook() -> Rulebook {
    let hotel = json!({"scope": "CATEGORIES", "categories": ["HOTEL"]});
    let mut offers: Vec<Value> = vec![
        json!({"id": "HOTEL-10", "type": "DISCOUNT_PERCENTAGE", "value": "10", "applies_to": hotel, "priority": 30}),
        json!({"id": "3FOR2", "type": "BOGO", "buy": 2, "get": 1, "max_occurrences": 1, "applies_to": hotel, "priority": 20}),
        json!({"id": "ORDER-50", "type": "DISCOUNT_FIXED", "value": "50.00", "currency": "SAR", "priority": 10}),
    ];
    for i in 0..17 {
        let mut o = json!({"id": format!("NOPE-{i:02}"), "type": "DISCOUNT_PERCENTAGE", "value": "5", "priority": i});
        match i % 4 {
            0 => o["applies_to"] = json!({"scope": "CATEGORIES", "categories": ["CAR_RENTAL"]}),
            1 => o["conditions"] = json!({"tiers": ["DIAMOND"]}),
            2 => o["valid_until"] = json!("2026-01-01T00:00:00Z"),
            _ => {
                o = json!({"id": format!("NOPE-{i:02}"), "type": "DISCOUNT_FIXED", "value": "20.00", "currency": "EGP"});
            }
        }
        offers.push(o);
    }
    let doc = json!({
        "version": "bench-promotions",
        "taxes": [{"id": "VAT", "code": "VAT", "rate": "15", "countries": ["SA"]}],
        "offers": offers,
        "vouchers": [{"id": "V", "code": "SAVE100", "type": "DISCOUNT_FIXED", "value": "100.00", "currency": "SAR",
                      "min_purchase_amount": {"amount": "1000.00", "currency": "SAR"}}],
    });
    Rulebook::from_value(doc).expect("bench rulebook loads")
}

fn bench(c: &mut Criterion) {
    let rulebook = rulebook();
    let request = QuoteRequest::from_value(json!({
        "currency": "SAR", "now": "2026-11-22T09:00:00Z",
        "customer": {"id": "C-1", "membership": {"tier": "GOLD"}},
        "items": [
            {"id": "HTL", "category": "HOTEL", "country": "SA", "quantity": 6, "unit_price": "680.00"},
            {"id": "TRN", "category": "TRANSPORTATION", "country": "SA", "quantity": 2, "unit_price": "350.00"}],
        "voucher_codes": ["save100"]}))
    .expect("request parses");
    let quote = rulebook.quote(&request).expect("prices");
    let applied = quote
        .lines
        .iter()
        .filter(|l| matches!(l, rihla_pricing::Line::Offer(_)))
        .count();
    assert_eq!(applied, 3, "three offers apply");
    assert_eq!(quote.rejected.len(), 17, "seventeen are rejected");
    c.bench_function("quote_promotions", |b| {
        b.iter(|| rulebook.quote(black_box(&request)))
    });
    c.bench_function("check_voucher", |b| {
        b.iter(|| rulebook.check_voucher(black_box(&request), black_box("SAVE100")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
