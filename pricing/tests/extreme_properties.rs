//! Property tests of the quote's money invariants at every magnitude rihla accepts, in
//! currencies of 0, 2 and 3 decimals, with amounts written at any scale up to the
//! currency's: every quote keeps `final = base − discount − voucher + fee + tax`, its
//! lines add up exactly to its totals, every amount is at the currency's scale and within
//! `MAX_AMOUNT` — and a request past the maximum fails with `OVERFLOW`, never a panic and
//! never a rounded amount.

use proptest::prelude::*;
use rihla_core::{Decimal, MAX_AMOUNT};
use rihla_pricing::quote::{Line, Quote};
use rihla_pricing::{QuoteRequest, Rulebook};
use serde_json::{json, Value};

const CURRENCIES: [(&str, u32); 4] = [("SAR", 2), ("KWD", 3), ("JPY", 0), ("USD", 2)];

/// Magnitudes from one minor unit to past the maximum, written at any scale up to
/// `exponent` (so `"50"` and `"50.00"` both reach the engine).
fn amount(exponent: u32) -> impl Strategy<Value = String> {
    let digits = prop_oneof![
        3 => 0u32..7,
        2 => 7u32..13,
        2 => 13u32..=16,
        1 => 16u32..=20,
    ];
    decimal(digits, exponent)
}

/// A rule's amount: past the maximum now and then (most rulebooks load).
fn rule_amount(exponent: u32) -> impl Strategy<Value = String> {
    let digits = prop_oneof![
        6 => 0u32..7,
        4 => 7u32..16,
        1 => 16u32..=20,
    ];
    decimal(digits, exponent)
}

fn decimal(digits: impl Strategy<Value = u32>, exponent: u32) -> impl Strategy<Value = String> {
    (digits, any::<u64>(), 0..=exponent).prop_map(move |(digits, seed, scale)| {
        let bound = 10u128.pow(digits).max(1);
        let m = i64::try_from(u128::from(seed) % bound).unwrap_or(i64::MAX);
        Decimal::new(m, scale).to_string()
    })
}

fn percent() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("100".to_owned()),
        Just("0".to_owned()),
        (0i64..=1_000_000).prop_map(|p| Decimal::new(p, 4).to_string()),
    ]
}

fn rulebook(currency: &'static str, exponent: u32) -> impl Strategy<Value = Value> {
    let tax = (
        percent(),
        any::<bool>(),
        prop::option::of(rule_amount(exponent)),
    )
        .prop_map(move |(rate, inclusive, fixed)| match fixed {
            Some(a) => json!({"code": "FEE", "basis": "PER_ITEM",
                              "amount": {"amount": a, "currency": currency}}),
            None => json!({"code": "VAT", "rate": rate, "inclusive": inclusive}),
        });
    let offer = (
        0usize..4,
        percent(),
        rule_amount(exponent),
        prop::option::of(rule_amount(exponent)),
        prop::option::of((rule_amount(exponent), rule_amount(exponent), 0usize..3)),
        (1u32..4, 1u32..4),
    )
        .prop_map(move |(kind, pct, fixed, cap, budget, (buy, get))| {
            let mut o = match kind {
                0 => json!({"type": "DISCOUNT_PERCENTAGE", "value": pct}),
                1 => json!({"type": "DISCOUNT_FIXED", "value": fixed, "currency": currency}),
                2 => json!({"type": "DISCOUNT_FIXED", "value": fixed, "currency": currency,
                                "tax_mode": "GROSS"}),
                _ => json!({"type": "BOGO", "value": pct, "buy": buy, "get": get}),
            };
            if let Some(cap) = cap {
                o["max_discount"] = json!({"amount": cap, "currency": currency});
            }
            if let Some((total, used, policy)) = budget {
                o["budget"] = json!({"amount": total, "currency": currency});
                o["budget_policy"] = json!(["REFUSE", "CLAMP", "OVERSHOOT"][policy]);
                o["budget_used_for_test"] = json!(used);
            }
            o
        });
    let voucher =
        (any::<bool>(), percent(), rule_amount(exponent)).prop_map(move |(fixed, pct, a)| {
            if fixed {
                // A fixed voucher is worth more than zero (the rulebook refuses 0).
                let a = if a.parse::<Decimal>().is_ok_and(|d| d.is_zero()) {
                    "1".to_owned()
                } else {
                    a
                };
                json!({"type": "DISCOUNT_FIXED", "value": a, "currency": currency})
            } else {
                json!({"type": "DISCOUNT_PERCENTAGE", "value": pct})
            }
        });
    (
        any::<bool>(),
        prop::collection::vec(tax, 0..3),
        prop::collection::vec(offer, 0..4),
        prop::collection::vec(voucher, 0..2),
    )
        .prop_map(move |(even, taxes, offers, vouchers)| {
            let number = |prefix: &str, mut list: Vec<Value>| {
                for (i, x) in list.iter_mut().enumerate() {
                    x["id"] = json!(format!("{prefix}{i}"));
                    x["code"] = match prefix {
                        "V" => json!(format!("CODE{i}")),
                        "T" => x["code"].clone(),
                        _ => Value::Null,
                    };
                    if x["code"].is_null() {
                        x.as_object_mut().map(|m| m.remove("code"));
                    }
                }
                list
            };
            json!({
                "version": "extreme",
                "rounding": if even { "HALF_EVEN" } else { "HALF_AWAY_FROM_ZERO" },
                "tax_rounding": if even { "PER_DOCUMENT" } else { "PER_PASSENGER" },
                "offer_stacking": if even { "BEST_DEAL" } else { "PRIORITY" },
                "max_vouchers_per_quote": 2,
                "taxes": number("T", taxes),
                "offers": number("O", offers),
                "vouchers": number("V", vouchers),
            })
        })
}

fn request(currency: &'static str, exponent: u32) -> impl Strategy<Value = Value> {
    let priced = (
        amount(exponent),
        prop_oneof![3 => 1u32..5, 1 => 5u32..=10_000],
    )
        .prop_map(|(p, q)| json!({"category": "HOTEL", "unit_price": p, "quantity": q}));
    let fare = (amount(exponent), 1u32..4, 0u32..3, percent()).prop_map(|(adt, a, c, cp)| {
        json!({"category": "FLIGHT", "fare": {"passengers": {"ADT": a, "CHD": c},
               "adt": adt, "chd": {"percent_of_adt": cp}}})
    });
    (
        prop::collection::vec(prop_oneof![3 => priced, 1 => fare], 1..12),
        prop::collection::vec(0usize..2, 0..2),
    )
        .prop_map(move |(items, codes)| {
            let items: Vec<Value> = items
                .into_iter()
                .enumerate()
                .map(|(i, mut it)| {
                    it["id"] = json!(format!("I{i:02}"));
                    it
                })
                .collect();
            json!({"currency": currency, "now": "2026-11-22T10:00:00Z", "items": items,
                   "voucher_codes": codes.iter().map(|c| format!("code{c}")).collect::<Vec<_>>()})
        })
}

fn case() -> impl Strategy<Value = (Value, Value, u32)> {
    prop::sample::select(CURRENCIES.to_vec()).prop_flat_map(|(c, e)| {
        (rulebook(c, e), request(c, e)).prop_map(move |(rb, req)| (rb, req, e))
    })
}

/// Moves each offer's test-only `budget_used_for_test` into the request's usage counts.
fn split_usage(rb: &mut Value, req: &mut Value) {
    let currency = req["currency"].clone();
    if let Some(offers) = rb["offers"].as_array_mut() {
        for o in offers {
            if let Some(used) = o
                .as_object_mut()
                .and_then(|m| m.remove("budget_used_for_test"))
            {
                let id = o["id"].as_str().unwrap_or_default().to_owned();
                req["usage"]["offers"][id] =
                    json!({"budget_used": {"amount": used, "currency": currency}});
            }
        }
    }
}

/// The amounts of a quote that must sit at the currency's scale, with their names.
fn amounts(q: &Quote) -> Vec<(String, Decimal)> {
    let mut out = vec![
        ("base_amount".to_owned(), q.base_amount),
        ("discount_amount".to_owned(), q.discount_amount),
        ("voucher_discount".to_owned(), q.voucher_discount),
        ("fee_amount".to_owned(), q.fee_amount),
        ("tax_amount".to_owned(), q.tax_amount),
        ("final_amount".to_owned(), q.final_amount),
        (
            "rewards.cashback_amount".to_owned(),
            q.rewards.cashback_amount,
        ),
    ];
    for l in &q.lines {
        match l {
            Line::Item(i) => {
                for (name, v) in [
                    ("unit_price", i.unit_price),
                    ("gross", i.gross),
                    ("discount", i.discount),
                    ("voucher_discount", i.voucher_discount),
                    ("net", i.net),
                    ("tax", i.tax),
                    ("total", i.total),
                ] {
                    out.push((format!("{}.{name}", i.id), v));
                }
            }
            Line::Offer(d) | Line::Voucher(d) => {
                out.push((format!("{}.amount", d.rule_id), d.amount));
                out.push((format!("{}.requested", d.rule_id), d.requested));
                for a in &d.allocations {
                    out.push((format!("{}→{}", d.rule_id, a.line_id), a.amount));
                }
            }
            Line::Tax(t) | Line::Surcharge(t) => {
                out.push((format!("{}.amount", t.rule_id), t.amount));
                for a in &t.allocations {
                    out.push((format!("{}→{}", t.rule_id, a.line_id), a.amount));
                }
            }
            Line::Benefit(_) => {}
        }
    }
    out
}

fn sum(values: impl Iterator<Item = Decimal>) -> Decimal {
    values.fold(Decimal::ZERO, |a, v| {
        a.checked_add(v).expect("within range")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_quote_reconciles_at_every_magnitude((mut rb, mut req, exponent) in case()) {
        split_usage(&mut rb, &mut req);
        let rulebook = match Rulebook::from_value(rb) {
            Ok(r) => r,
            Err(e) => {
                // Only a rule amount past the maximum may refuse a generated rulebook.
                prop_assert_eq!(e.code(), "OVERFLOW", "{}", e);
                return Ok(());
            }
        };
        let request = QuoteRequest::from_value(req).expect("generated requests parse");
        let q = match rulebook.quote(&request) {
            Ok(q) => q,
            Err(e) => {
                prop_assert_eq!(e.code(), "OVERFLOW", "{}", e);
                prop_assert!(e.to_value().get("field").is_some() || e.to_value().get("operation").is_some());
                return Ok(());
            }
        };
        prop_assert_eq!(
            q.final_amount,
            q.base_amount - q.discount_amount - q.voucher_discount + q.fee_amount + q.tax_amount
        );
        let items: Vec<_> = q.lines.iter().filter_map(|l| match l { Line::Item(i) => Some(i), _ => None }).collect();
        prop_assert_eq!(sum(items.iter().map(|l| l.gross)), q.base_amount);
        prop_assert_eq!(sum(items.iter().map(|l| l.discount)), q.discount_amount);
        prop_assert_eq!(sum(items.iter().map(|l| l.voucher_discount)), q.voucher_discount);
        prop_assert_eq!(sum(items.iter().map(|l| l.tax)), q.tax_amount);
        prop_assert_eq!(sum(items.iter().map(|l| l.total)), q.final_amount);
        for l in &q.lines {
            match l {
                Line::Offer(d) | Line::Voucher(d) => {
                    prop_assert_eq!(sum(d.allocations.iter().map(|a| a.amount)), d.amount);
                }
                Line::Tax(t) | Line::Surcharge(t) => {
                    prop_assert_eq!(sum(t.allocations.iter().map(|a| a.amount)), t.amount);
                }
                _ => {}
            }
        }
        for (name, v) in amounts(&q) {
            prop_assert_eq!(v.scale(), exponent, "{} = {} in {}", name, v, q.currency);
            prop_assert!(v.abs() <= MAX_AMOUNT, "{} = {}", name, v);
            prop_assert!(v >= Decimal::ZERO, "{} = {}", name, v);
        }
    }
}
