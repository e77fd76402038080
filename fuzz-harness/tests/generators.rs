//! The structure-aware generators reach the engine's arithmetic: on pseudo-random bytes,
//! most generated requests parse and a good share of them price, and most generated
//! ledger transfers read — rather than every input dying in the parser.

use arbitrary::{Arbitrary, Unstructured};
use rihla_fuzz_harness::envelope::default_rulebook;
use rihla_fuzz_harness::ledger_input::LedgerInput;
use rihla_fuzz_harness::quote_input::QuoteInput;
use rihla_fuzz_harness::rulebook_input::RulebookInput;
use rihla_pricing::{QuoteRequest, Rulebook};
use std::collections::BTreeMap;

/// Deterministic pseudo-random bytes (xorshift).
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s.to_le_bytes()[0]
        })
        .collect()
}

#[test]
fn generated_requests_mostly_parse_and_often_price() {
    let (mut parsed, mut priced) = (0, 0);
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    let n = 400;
    for seed in 0..n {
        let data = bytes(seed, 512);
        let Ok(input) = QuoteInput::arbitrary_take_rest(Unstructured::new(&data)) else {
            continue;
        };
        let request = match QuoteRequest::from_json(&input.to_json().to_string()) {
            Ok(r) => r,
            Err(e) => {
                if std::env::var("DEBUG_GEN").is_ok() {
                    eprintln!("parse: {}", e.to_value());
                }
                continue;
            }
        };
        parsed += 1;
        match default_rulebook().quote(&request) {
            Ok(_) => priced += 1,
            Err(e) => {
                if std::env::var("DEBUG_GEN").is_ok() {
                    eprintln!("quote: {}", e.to_value());
                }
                *codes.entry(e.code()).or_default() += 1
            }
        }
    }
    eprintln!("requests: {parsed}/{n} parse, {priced} price; refusals {codes:?}");
    assert!(
        parsed * 2 > n,
        "only {parsed} of {n} generated requests parse"
    );
    assert!(
        priced * 10 > n,
        "only {priced} of {n} generated requests price"
    );
}

#[test]
fn generated_rulebooks_mostly_load() {
    let mut loaded = 0;
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    let n = 400;
    for seed in 0..n {
        let data = bytes(seed + 10_000, 512);
        let Ok(input) = RulebookInput::arbitrary(&mut Unstructured::new(&data)) else {
            continue;
        };
        match Rulebook::from_json(&input.to_json().to_string()) {
            Ok(_) => loaded += 1,
            Err(e) => {
                if std::env::var("DEBUG_GEN").is_ok() {
                    eprintln!("rulebook: {}", e.to_value());
                }
                *codes.entry(e.code()).or_default() += 1
            }
        }
    }
    eprintln!("rulebooks: {loaded}/{n} load; refusals {codes:?}");
    assert!(
        loaded * 6 > n,
        "only {loaded} of {n} generated rulebooks load"
    );
}

#[test]
fn generated_transfers_mostly_read() {
    let (mut total, mut read) = (0, 0);
    for seed in 0..200 {
        let data = bytes(seed + 20_000, 1024);
        let Ok(input) = LedgerInput::arbitrary_take_rest(Unstructured::new(&data)) else {
            continue;
        };
        for op in &input.ops {
            if let rihla_fuzz_harness::ledger_input::LedgerOp::Apply(batch) = op {
                for t in batch {
                    total += 1;
                    if serde_json::from_value::<rihla_ledger::Transfer>(t.to_json()).is_ok() {
                        read += 1;
                    }
                }
            }
        }
    }
    eprintln!("transfers: {read}/{total} read");
    assert!(
        read * 2 > total,
        "only {read} of {total} generated transfers read"
    );
}
