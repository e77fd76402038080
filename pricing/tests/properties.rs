//! Property tests of the quote invariants (docs/pricing.md) over random rulebooks and carts.

use proptest::prelude::*;
use rihla_core::Decimal;
use rihla_pricing::quote::{Line, Quote};
use rihla_pricing::{QuoteRequest, Rulebook};
use serde_json::{json, Value};

const CATEGORIES: [&str; 6] = [
    "FLIGHT",
    "HOTEL",
    "PACKAGE",
    "TRANSPORTATION",
    "ACTIVITY",
    "SERVICE",
];

fn amount(max_minor: i64, exponent: u32) -> impl Strategy<Value = String> {
    (0..max_minor).prop_map(move |m| Decimal::new(m, exponent).to_string())
}

fn percent() -> impl Strategy<Value = String> {
    (0i64..=10_000).prop_map(|p| Decimal::new(p, 2).to_string())
}

fn scope() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"scope": "ALL"})),
        prop::sample::subsequence(CATEGORIES.to_vec(), 1..3)
            .prop_map(|c| json!({"scope": "CATEGORIES", "categories": c})),
    ]
}

fn rulebook() -> impl Strategy<Value = Value> {
    let tax = (percent(), scope())
        .prop_map(|(rate, s)| json!({"code": "VAT", "rate": rate, "applies_to": s}));
    let offer = (
        percent(),
        prop::option::of(amount(50_000, 2)),
        scope(),
        0usize..4,
        1i64..50_000,
        (1u32..3, 1u32..3, prop::option::of(1u32..3)),
        prop::option::of((amount(200_000, 2), amount(200_000, 2), 0usize..3)),
        (any::<bool>(), prop::sample::select(vec!["", "G1", "G2"])),
    )
        .prop_map(|(v, cap, s, kind, minor, (buy, get, occ), budget, (exclusive, group))| {
            let mut o = match kind {
                0 | 1 => json!({"type": "DISCOUNT_PERCENTAGE", "value": v}),
                2 => json!({"type": "DISCOUNT_FIXED", "value": Decimal::new(minor, 2).to_string(), "currency": "SAR",
                            "tax_mode": if minor % 2 == 0 { "GROSS" } else { "NET" }}),
                _ => json!({"type": "BOGO", "value": v, "buy": buy, "get": get, "max_occurrences": occ}),
            };
            o["applies_to"] = s;
            o["exclusive"] = json!(exclusive && minor % 5 == 0);
            o["group"] = json!(group);
            if let Some(cap) = cap {
                o["max_discount"] = json!({"amount": cap, "currency": "SAR"});
            }
            if let Some((total, used, policy)) = budget {
                o["budget"] = json!({"amount": total, "currency": "SAR"});
                o["budget_policy"] = json!(["REFUSE", "CLAMP", "OVERSHOOT"][policy]);
                o["budget_used_for_test"] = json!(used);
            }
            o
        });
    let voucher = (any::<bool>(), percent(), 1i64..100_000, prop::option::of(amount(100_000, 2)), scope()).prop_map(
        |(fixed, pct, minor, min, s)| {
            let mut v = if fixed {
                json!({"type": "DISCOUNT_FIXED", "value": Decimal::new(minor, 2).to_string(), "currency": "SAR"})
            } else {
                json!({"type": "DISCOUNT_PERCENTAGE", "value": pct})
            };
            v["applies_to"] = s;
            if let Some(min) = min {
                v["min_purchase_amount"] = json!({"amount": min, "currency": "SAR"});
            }
            v
        },
    );
    (
        any::<bool>(),
        prop::collection::vec(tax, 0..3),
        prop::collection::vec(offer, 0..5),
        prop::collection::vec(voucher, 0..3),
    )
        .prop_map(|(even, taxes, offers, vouchers)| {
            let id = |prefix: &str, mut list: Vec<Value>, key: &str| {
                for (i, x) in list.iter_mut().enumerate() {
                    x["id"] = json!(format!("{prefix}{i}"));
                    if prefix == "O" {
                        x["priority"] = json!(i as i32 * 7 % 11);
                    }
                    if key == "code" {
                        x["code"] = json!(format!("CODE{i}"));
                    }
                }
                list
            };
            json!({
                "version": "prop",
                "rounding": if even { "HALF_EVEN" } else { "HALF_AWAY_FROM_ZERO" },
                "max_vouchers_per_quote": 2,
                "offer_stacking": if even { "BEST_DEAL" } else { "PRIORITY" },
                "taxes": id("T", taxes, ""),
                "offers": id("O", offers, ""),
                "vouchers": id("V", vouchers, "code"),
                "membership": serde_json::from_str::<Value>(rihla_pricing::DEFAULT_RULEBOOK_JSON).unwrap()["membership"].clone(),
            })
        })
}

fn item() -> impl Strategy<Value = Value> {
    let priced = (
        prop::sample::select(CATEGORIES.to_vec()),
        amount(500_000, 2),
        1u32..30,
    )
        .prop_map(|(c, p, q)| json!({"category": c, "unit_price": p, "quantity": q}));
    let fare = (amount(800_000, 2), 1u32..4, 0u32..3, 0u32..2, percent(), percent()).prop_map(|(adt, a, c, i, cp, ip)| {
        json!({"category": "FLIGHT", "fare": {"passengers": {"ADT": a, "CHD": c, "INF": i.min(a)},
               "adt": adt, "chd": {"percent_of_adt": cp}, "inf": {"percent_of_adt": ip}}})
    });
    prop_oneof![3 => priced, 1 => fare]
}

fn request() -> impl Strategy<Value = Value> {
    (prop::collection::vec(item(), 1..8), prop::collection::vec(0usize..4, 0..3), prop::sample::select(vec![None, Some("GOLD"), Some("DIAMOND")]))
        .prop_map(|(items, codes, tier)| {
            let items: Vec<Value> = items
                .into_iter()
                .enumerate()
                .map(|(i, mut it)| {
                    it["id"] = json!(format!("I{i}"));
                    it
                })
                .collect();
            let mut r = json!({"currency": "SAR", "now": "2026-11-22T10:00:00Z", "items": items,
                               "voucher_codes": codes.iter().map(|c| format!("code{c}")).collect::<Vec<_>>()});
            if let Some(t) = tier {
                r["customer"] = json!({"id": "C", "membership": {"tier": t}});
            }
            r
        })
}

/// Moves each offer's test-only `budget_used_for_test` into the request's usage counts.
fn split_usage(rb: &Value, req: &Value) -> (Value, Value) {
    let (mut rb, mut req) = (rb.clone(), req.clone());
    if let Some(offers) = rb["offers"].as_array_mut() {
        for o in offers {
            if let Some(used) = o
                .as_object_mut()
                .and_then(|m| m.remove("budget_used_for_test"))
            {
                let id = o["id"].as_str().unwrap_or_default().to_owned();
                req["usage"]["offers"][id] =
                    json!({"budget_used": {"amount": used, "currency": "SAR"}});
            }
        }
    }
    (rb, req)
}

fn price(rb: &Value, req: &Value) -> Quote {
    let (rb, req) = split_usage(rb, req);
    let rulebook = Rulebook::from_value(rb).expect("generated rulebooks are valid");
    let request = QuoteRequest::from_value(req).expect("generated requests are valid");
    rulebook.quote(&request).expect("generated requests price")
}

fn items(q: &Quote) -> Vec<&rihla_pricing::quote::ItemLine> {
    q.lines
        .iter()
        .filter_map(|l| if let Line::Item(i) = l { Some(i) } else { None })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// final = base − discount − voucher_discount + fees + tax, exactly; the item lines
    /// add up to every total; nothing is negative.
    #[test]
    fn totals_reconcile_and_nothing_is_negative(rb in rulebook(), req in request()) {
        let q = price(&rb, &req);
        prop_assert_eq!(q.final_amount, q.base_amount - q.discount_amount - q.voucher_discount + q.fee_amount + q.tax_amount);
        let sum = |f: fn(&rihla_pricing::quote::ItemLine) -> Decimal| items(&q).iter().map(|l| f(l)).sum::<Decimal>();
        prop_assert_eq!(sum(|l| l.gross), q.base_amount);
        prop_assert_eq!(sum(|l| l.discount), q.discount_amount);
        prop_assert_eq!(sum(|l| l.voucher_discount), q.voucher_discount);
        prop_assert_eq!(sum(|l| l.tax), q.tax_amount);
        prop_assert_eq!(sum(|l| l.total), q.final_amount);
        for l in items(&q) {
            prop_assert_eq!(l.net, l.gross - l.discount - l.voucher_discount);
            prop_assert_eq!(l.total, l.net + l.tax);
            for v in [l.gross, l.discount, l.voucher_discount, l.net, l.tax, l.total] {
                prop_assert!(v >= Decimal::ZERO, "negative amount on {}", l.id);
            }
        }
        for v in [q.base_amount, q.discount_amount, q.voucher_discount, q.tax_amount, q.final_amount, q.rewards.cashback_amount] {
            prop_assert!(v >= Decimal::ZERO);
        }
    }

    /// Each adjustment's allocations sum exactly to it, and never exceed what it requested.
    #[test]
    fn allocations_sum_to_their_adjustment(rb in rulebook(), req in request()) {
        let q = price(&rb, &req);
        for l in &q.lines {
            match l {
                Line::Offer(d) | Line::Voucher(d) => {
                    prop_assert_eq!(d.allocations.iter().map(|a| a.amount).sum::<Decimal>(), d.amount);
                    prop_assert!(d.amount <= d.requested && d.amount <= d.base);
                }
                Line::Tax(t) | Line::Surcharge(t) => prop_assert_eq!(t.allocations.iter().map(|a| a.amount).sum::<Decimal>(), t.amount),
                Line::Item(_) | Line::Benefit(_) => {}
            }
        }
    }

    /// Permuting the request's items changes nothing but the order of the lines.
    #[test]
    fn totals_do_not_depend_on_item_order(rb in rulebook(), req in request(), seed in any::<u64>()) {
        let q = price(&rb, &req);
        let mut shuffled = req.clone();
        let list = shuffled["items"].as_array_mut().unwrap();
        let n = list.len();
        for i in (1..n).rev() {
            list.swap(i, (seed as usize).wrapping_mul(i + 7) % (i + 1));
        }
        let p = price(&rb, &shuffled);
        prop_assert_eq!((q.base_amount, q.discount_amount, q.voucher_discount, q.tax_amount, q.final_amount),
                        (p.base_amount, p.discount_amount, p.voucher_discount, p.tax_amount, p.final_amount));
        let mut a: Vec<_> = items(&q).into_iter().map(|l| (l.id.clone(), l.total, l.tax)).collect();
        let mut b: Vec<_> = items(&p).into_iter().map(|l| (l.id.clone(), l.total, l.tax)).collect();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
        prop_assert_eq!(q.rewards, p.rewards);
    }

    /// Adding voucher codes never raises the final amount.
    #[test]
    fn a_voucher_never_raises_the_price(rb in rulebook(), req in request()) {
        let mut without = req.clone();
        without["voucher_codes"] = json!([]);
        prop_assert!(price(&rb, &req).final_amount <= price(&rb, &without).final_amount);
    }

    /// Offers with distinct priorities give the same quote whatever their order in the
    /// rulebook.
    #[test]
    fn rule_order_in_the_rulebook_does_not_matter(rb in rulebook(), req in request()) {
        let mut reversed = rb.clone();
        if let Some(offers) = reversed["offers"].as_array_mut() {
            offers.reverse();
        }
        if let Some(vouchers) = reversed["vouchers"].as_array_mut() {
            vouchers.reverse();
        }
        prop_assert_eq!(price(&rb, &req).to_json(), price(&reversed, &req).to_json());
    }

    /// The same inputs give byte-identical JSON.
    #[test]
    fn quotes_are_deterministic(rb in rulebook(), req in request()) {
        prop_assert_eq!(price(&rb, &req).to_json(), price(&rb, &req).to_json());
    }
}
