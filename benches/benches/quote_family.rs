//! `quote_family`: the family Umrah request (2 ADT + 1 CHD + 1 INF flights, a Makkah
//! hotel, transfers, a GOLD member, one offer, one voucher, KSA VAT) priced on the
//! embedded default rulebook. The rulebook is loaded once; loading is measured apart.

use criterion::{criterion_group, criterion_main, Criterion};
use rihla_pricing::{QuoteRequest, Rulebook, DEFAULT_RULEBOOK_JSON};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let rulebook = Rulebook::default_rulebook().expect("default rulebook loads");
    let request =
        QuoteRequest::from_json(rihla_examples::UMRAH_FAMILY_JSON).expect("family request parses");

    c.bench_function("quote_family", |b| {
        b.iter(|| rulebook.quote(black_box(&request)))
    });
    c.bench_function("quote_family_to_json", |b| {
        b.iter(|| rulebook.quote(black_box(&request)).map(|q| q.to_json()))
    });
    c.bench_function("request_from_json", |b| {
        b.iter(|| QuoteRequest::from_json(black_box(rihla_examples::UMRAH_FAMILY_JSON)))
    });
    c.bench_function("rulebook_load_default", |b| {
        b.iter(|| Rulebook::from_json(black_box(DEFAULT_RULEBOOK_JSON)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
