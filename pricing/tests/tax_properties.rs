//! Property tests of the tax engine (issue 3): per-passenger amounts add up to the lines
//! and the quote, segment order within a direction changes nothing, and zero-rated
//! international flights carry no VAT.

use proptest::prelude::*;
use rihla_core::Decimal;
use rihla_pricing::quote::{Line, Quote};
use rihla_pricing::{QuoteRequest, Rulebook};
use serde_json::{json, Value};

const COUNTRIES: [&str; 3] = ["US", "SA", "EG"];
const AIRPORTS: [&str; 4] = ["AAA", "BBB", "CCC", "DDD"];

fn tax_rule() -> impl Strategy<Value = Value> {
    let percent = (
        0i64..=3000,
        prop::sample::select(vec!["ANY", "DOMESTIC", "INTERNATIONAL"]),
        any::<bool>(),
    )
        .prop_map(|(r, j, incl)| {
            let mut t = json!({"rate": Decimal::new(r, 2).to_string(), "journey": j});
            if incl && j == "ANY" {
                t["inclusive"] = json!(true);
            }
            t
        });
    let fixed = (
        prop::sample::select(vec![
            "PER_PASSENGER",
            "PER_PASSENGER_SEGMENT",
            "PER_ONE_WAY",
            "PER_ENPLANEMENT",
            "PER_DEPARTURE",
            "PER_ARRIVAL",
            "PER_ITEM",
            "PER_BOOKING",
        ]),
        1i64..2000,
        prop::sample::subsequence(COUNTRIES.to_vec(), 0..2),
        any::<bool>(),
    )
        .prop_map(|(basis, minor, countries, exempt_inf)| {
            let mut t = json!({"basis": basis, "amount": {"amount": Decimal::new(minor, 2).to_string(), "currency": "SAR"},
                               "countries": countries});
            if basis == "PER_ONE_WAY" {
                t["round_trip_cap"] = json!({"amount": Decimal::new(minor * 3 / 2, 2).to_string(), "currency": "SAR"});
            }
            if basis == "PER_ENPLANEMENT" {
                t["max_per_one_way"] = json!(2);
                t["max_per_round_trip"] = json!(3);
            }
            if exempt_inf {
                t["exempt_passenger_types"] = json!(["INF"]);
            }
            t
        });
    prop_oneof![percent, fixed]
}

fn rulebook() -> impl Strategy<Value = Value> {
    (prop::collection::vec(tax_rule(), 0..6), any::<bool>(), any::<bool>()).prop_map(|(taxes, doc, surcharge)| {
        let taxes: Vec<Value> = taxes
            .into_iter()
            .enumerate()
            .map(|(i, mut t)| {
                t["id"] = json!(format!("T{i}"));
                t["code"] = json!(format!("X{i}"));
                if surcharge && i == 0 && t.get("amount").is_some() {
                    t["kind"] = json!("CARRIER_SURCHARGE");
                }
                t
            })
            .collect();
        json!({"version": "tax-prop", "tax_rounding": if doc { "PER_DOCUMENT" } else { "PER_PASSENGER" }, "taxes": taxes})
    })
}

fn segment(inbound: bool) -> impl Strategy<Value = Value> {
    (prop::sample::select(AIRPORTS.to_vec()), prop::sample::select(AIRPORTS.to_vec()), 0usize..3, 0usize..3).prop_map(
        move |(o, d, oc, dc)| {
            json!({"origin": o, "destination": d, "origin_country": COUNTRIES[oc], "destination_country": COUNTRIES[dc],
                   "departure": "2026-12-20T08:00:00+03:00", "direction": if inbound { "INBOUND" } else { "OUTBOUND" }})
        },
    )
}

fn flight() -> impl Strategy<Value = Value> {
    (
        1i64..500_000,
        1u32..4,
        0u32..3,
        0u32..2,
        prop::collection::vec(segment(false), 1..4),
        prop::collection::vec(segment(true), 0..3),
    )
        .prop_map(|(adt, a, c, i, out, inb)| {
            let segments: Vec<Value> = out.into_iter().chain(inb).collect();
            json!({"category": "FLIGHT", "segments": segments,
                   "fare": {"passengers": {"ADT": a, "CHD": c, "INF": i.min(a)}, "adt": Decimal::new(adt, 2).to_string(),
                            "chd": {"percent_of_adt": "75"}, "inf": {"percent_of_adt": "10"}}})
        })
}

fn request() -> impl Strategy<Value = Value> {
    let hotel = (1i64..100_000, 1u32..10, prop::sample::select(COUNTRIES.to_vec()))
        .prop_map(|(p, q, c)| json!({"category": "HOTEL", "unit_price": Decimal::new(p, 2).to_string(), "quantity": q, "country": c}));
    prop::collection::vec(prop_oneof![3 => flight(), 1 => hotel], 1..4).prop_map(|items| {
        let items: Vec<Value> = items
            .into_iter()
            .enumerate()
            .map(|(i, mut it)| {
                it["id"] = json!(format!("I{i}"));
                it
            })
            .collect();
        json!({"currency": "SAR", "now": "2026-11-22T10:00:00Z", "items": items})
    })
}

fn price(rb: &Value, req: &Value) -> Quote {
    let rulebook = Rulebook::from_value(rb.clone()).expect("valid rulebook");
    rulebook
        .quote(&QuoteRequest::from_value(req.clone()).expect("valid request"))
        .expect("prices")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Each fare line's passengers add up to the line (net, taxes and surcharges, total),
    /// and every total reconciles.
    #[test]
    fn per_passenger_amounts_add_up(rb in rulebook(), req in request()) {
        let q = price(&rb, &req);
        prop_assert_eq!(q.final_amount, q.base_amount - q.discount_amount - q.voucher_discount + q.fee_amount + q.tax_amount);
        let mut sum_total = Decimal::ZERO;
        for l in &q.lines {
            let Line::Item(l) = l else { continue };
            sum_total += l.total;
            prop_assert_eq!(l.total, l.net + l.tax + l.surcharge);
            prop_assert!(l.net >= Decimal::ZERO && l.tax >= Decimal::ZERO && l.gross >= Decimal::ZERO);
            if l.passenger_type.is_some() {
                prop_assert_eq!(l.passengers.len() as u32, l.quantity);
                let net: Decimal = l.passengers.iter().map(|p| p.net).sum();
                let total: Decimal = l.passengers.iter().map(|p| p.total).sum();
                prop_assert_eq!(net, l.net);
                prop_assert_eq!(total, l.total);
                for p in &l.passengers {
                    prop_assert_eq!(p.total, p.net + p.taxes.iter().map(|t| t.amount).sum::<Decimal>());
                }
            }
        }
        prop_assert_eq!(sum_total, q.final_amount);
    }

    /// Reordering the segments within each direction changes no amount.
    #[test]
    fn segment_order_within_a_direction_does_not_matter(rb in rulebook(), req in request()) {
        let q = price(&rb, &req);
        let mut flipped = req.clone();
        for item in flipped["items"].as_array_mut().unwrap() {
            if let Some(segs) = item.get_mut("segments").and_then(|s| s.as_array_mut()) {
                let (mut out, mut inb): (Vec<Value>, Vec<Value>) =
                    segs.drain(..).partition(|s| s["direction"] == "OUTBOUND");
                out.reverse();
                inb.reverse();
                segs.extend(out.into_iter().chain(inb));
            }
        }
        let p = price(&rb, &flipped);
        prop_assert_eq!((q.tax_amount, q.fee_amount, q.final_amount), (p.tax_amount, p.fee_amount, p.final_amount));
    }

    /// A flight that crosses a border never carries a DOMESTIC-only VAT.
    #[test]
    fn zero_rated_international_flights_carry_no_vat(req in request(), rate in 1i64..3000) {
        let rb = json!({"version": "vat", "taxes": [{"id": "VAT", "code": "VAT", "rate": Decimal::new(rate, 2).to_string(),
                         "applies_to": {"scope": "CATEGORIES", "categories": ["FLIGHT"]}, "journey": "DOMESTIC"}]});
        let q = price(&rb, &req);
        for (item, line) in req["items"].as_array().unwrap().iter().flat_map(|it| {
            q.lines.iter().filter_map(move |l| match l { Line::Item(l) if l.item_id == it["id"] => Some((it, l)), _ => None })
        }) {
            let segs = item["segments"].as_array().cloned().unwrap_or_default();
            let home = segs.first().map(|s| s["origin_country"].clone());
            let international = segs.iter().any(|s| Some(s["origin_country"].clone()) != home || Some(s["destination_country"].clone()) != home);
            if international {
                prop_assert_eq!(line.tax, Decimal::ZERO, "VAT on international {}", line.id);
            }
        }
    }
}

fn passenger() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["ADT", "CHD", "SRC", "STU"]).prop_map(|t| json!({"type": t})),
        (1950i32..2026, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| json!({"birth_date": format!("{y:04}-{m:02}-{d:02}")})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Listing the same passengers in another order changes no amount.
    #[test]
    fn passenger_order_does_not_matter(rb in rulebook(), list in prop::collection::vec(passenger(), 1..8), seed in any::<u64>()) {
        let mut list: Vec<Value> = list.into_iter().enumerate().map(|(i, mut p)| { p["id"] = json!(format!("P{i}")); p }).collect();
        let item = |passengers: &Vec<Value>| json!({"currency": "SAR", "now": "2026-11-22T10:00:00Z", "items": [{
            "id": "F", "category": "FLIGHT", "passengers": passengers,
            "fare": {"adt": "500.00", "chd": {"percent_of_adt": "75"}, "inf": {"percent_of_adt": "10"},
                     "stu": {"amount": "400.00"}, "src": {"percent_of_adt": "90"}},
            "segments": [{"origin": "AAA", "destination": "BBB", "origin_country": "SA", "destination_country": "SA",
                          "departure": "2026-12-20T08:00:00+03:00"}]}]});
        let rulebook = Rulebook::from_value(rb.clone()).expect("valid rulebook");
        let Ok(req) = QuoteRequest::from_value(item(&list)) else { return Ok(()) };
        let Ok(q) = rulebook.quote(&req) else { return Ok(()) };  // e.g. more infants than adults
        let n = list.len();
        for i in (1..n).rev() {
            list.swap(i, (seed as usize).wrapping_mul(i + 3) % (i + 1));
        }
        let p = rulebook.quote(&QuoteRequest::from_value(item(&list)).expect("valid")).expect("the same passengers price");
        prop_assert_eq!((q.base_amount, q.tax_amount, q.fee_amount, q.final_amount), (p.base_amount, p.tax_amount, p.fee_amount, p.final_amount));
    }
}
