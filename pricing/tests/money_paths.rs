//! Money-path tests found by `cargo mutants` (scripts/mutants): each pins an amount, an
//! allocation, a boundary or a stacking decision of the discount, promotion, tax and
//! totals code that the conformance vectors and properties left free to change.

use rihla_pricing::{QuoteRequest, Rulebook};
use serde_json::{json, Value};

const NOW: &str = "2026-11-22T09:00:00Z";

fn rulebook(rb: Value) -> Rulebook {
    match Rulebook::from_value(rb) {
        Ok(rb) => rb,
        Err(e) => panic!("rulebook refused: {}", e.to_value()),
    }
}

fn request(items: Value, extra: Value) -> QuoteRequest {
    let mut req = json!({"currency": "SAR", "now": NOW, "items": items});
    if let (Some(r), Some(e)) = (req.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            r.insert(k.clone(), v.clone());
        }
    }
    match QuoteRequest::from_value(req) {
        Ok(r) => r,
        Err(e) => panic!("request refused: {}", e.to_value()),
    }
}

/// The quote as JSON.
fn quote(rb: Value, items: Value, extra: Value) -> Value {
    match rulebook(rb).quote(&request(items, extra)) {
        Ok(q) => q.to_value(),
        Err(e) => panic!("quote refused: {}", e.to_value()),
    }
}

/// The error of a quote, as JSON.
fn quote_error(rb: Value, items: Value, extra: Value) -> Value {
    match rulebook(rb).quote(&request(items, extra)) {
        Ok(q) => panic!("quote priced: {}", q.to_value()),
        Err(e) => e.to_value(),
    }
}

fn sar(amount: &str) -> Value {
    json!({"amount": amount, "currency": "SAR"})
}

fn item(id: &str, category: &str, quantity: u32, unit_price: &str) -> Value {
    json!({"id": id, "category": category, "quantity": quantity, "unit_price": unit_price})
}

/// The discount lines (OFFER and VOUCHER) of a quote.
fn discounts(q: &Value) -> Vec<&Value> {
    q["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .filter(|l| l["type"] == "OFFER" || l["type"] == "VOUCHER")
                .collect()
        })
        .unwrap_or_default()
}

/// The one discount line of `rule_id`.
fn discount<'q>(q: &'q Value, rule_id: &str) -> &'q Value {
    let found: Vec<&Value> = discounts(q)
        .into_iter()
        .filter(|l| l["rule_id"] == rule_id)
        .collect();
    assert_eq!(found.len(), 1, "one line of {rule_id} in {q}");
    found[0]
}

/// `(line_id, amount)` of a discount line's allocations.
fn allocations(line: &Value) -> Vec<(String, String)> {
    line["allocations"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["line_id"].as_str().unwrap_or_default().to_owned(),
                        x["amount"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// The rejection of `rule_id`, if any.
fn rejection<'q>(q: &'q Value, rule_id: &str) -> Option<&'q Value> {
    q["rejected"]
        .as_array()
        .and_then(|r| r.iter().find(|x| x["rule_id"] == rule_id))
}

// ---------------------------------------------------------------------------------------
// Eligibility, cap and clamp (discount.rs)
// ---------------------------------------------------------------------------------------

#[test]
fn a_line_discounted_to_zero_is_no_longer_eligible() {
    // FULL-A takes A (100.00) to zero; TEN then sees only B: 10 % of 200.00, all on B.
    let q = quote(
        json!({"version": "mp-el", "offers": [
            {"id": "FULL-A", "type": "DISCOUNT_FIXED", "value": "100.00", "currency": "SAR",
             "priority": 10, "applies_to": {"scope": "ITEMS", "item_ids": ["A"]}},
            {"id": "TEN", "type": "DISCOUNT_PERCENTAGE", "value": "10", "priority": 5}
        ]}),
        json!([
            item("A", "TOUR", 1, "100.00"),
            item("B", "TOUR", 1, "200.00")
        ]),
        json!({}),
    );
    let ten = discount(&q, "TEN");
    assert_eq!(ten["base"], "200.00");
    assert_eq!(ten["amount"], "20.00");
    assert_eq!(allocations(ten), pairs(&[("B", "20.00")]));
    assert_eq!(q["discount_amount"], "120.00");
    assert_eq!(q["final_amount"], "180.00");

    // A voucher whose only line is at zero does not apply at all (not a zero discount).
    let q = quote(
        json!({"version": "mp-el2", "offers": [
            {"id": "FULL-A", "type": "DISCOUNT_FIXED", "value": "100.00", "currency": "SAR",
             "applies_to": {"scope": "ITEMS", "item_ids": ["A"]}}
        ], "vouchers": [
            {"id": "VA", "code": "ONLYA", "type": "DISCOUNT_PERCENTAGE", "value": "10",
             "applies_to": {"scope": "ITEMS", "item_ids": ["A"]}}
        ]}),
        json!([
            item("A", "TOUR", 1, "100.00"),
            item("B", "TOUR", 1, "200.00")
        ]),
        json!({"voucher_codes": ["ONLYA"]}),
    );
    assert_eq!(
        rejection(&q, "VA").map(|r| &r["reason"]["code"]),
        Some(&json!("NOT_APPLICABLE"))
    );
    assert_eq!(q["voucher_discount"], "0.00");
}

#[test]
fn a_discount_equal_to_its_cap_is_not_capped() {
    let run = |cap: &str| {
        quote(
            json!({"version": "mp-cap", "offers": [
                {"id": "TEN", "type": "DISCOUNT_PERCENTAGE", "value": "10",
                 "max_discount": sar(cap)}
            ]}),
            json!([item("T", "TOUR", 1, "500.00")]),
            json!({}),
        )
    };
    let q = run("50.00");
    let line = discount(&q, "TEN");
    assert_eq!(line["requested"], "50.00");
    assert_eq!(line["amount"], "50.00");
    assert_eq!(line.get("reason"), None, "{line}");
    let q = run("49.99");
    let line = discount(&q, "TEN");
    assert_eq!(line["amount"], "49.99");
    assert_eq!(line["reason"], "CAPPED_MAX_DISCOUNT");
}

#[test]
fn a_discount_equal_to_the_eligible_base_is_not_clamped() {
    let run = |value: &str| {
        quote(
            json!({"version": "mp-clamp", "offers": [
                {"id": "FIX", "type": "DISCOUNT_FIXED", "value": value, "currency": "SAR"}
            ]}),
            json!([item("T", "TOUR", 1, "100.00")]),
            json!({}),
        )
    };
    let q = run("100.00");
    let line = discount(&q, "FIX");
    assert_eq!(line["amount"], "100.00");
    assert_eq!(line.get("reason"), None, "{line}");
    assert_eq!(q["final_amount"], "0.00");
    let q = run("100.01");
    let line = discount(&q, "FIX");
    assert_eq!(line["amount"], "100.00");
    assert_eq!(line["reason"], "CLAMPED_TO_ELIGIBLE_BASE");
}

// ---------------------------------------------------------------------------------------
// Minimum purchase (offers and benefit offers)
// ---------------------------------------------------------------------------------------

#[test]
fn an_offer_s_minimum_purchase_is_met_at_exactly_the_minimum() {
    let rb = |kind: Value| {
        let mut offer = json!({"id": "MIN", "min_purchase_amount": sar("300.00")});
        if let (Some(o), Some(k)) = (offer.as_object_mut(), kind.as_object()) {
            o.extend(k.clone());
        }
        json!({"version": "mp-min", "offers": [offer]})
    };
    for kind in [
        json!({"type": "DISCOUNT_PERCENTAGE", "value": "10"}),
        json!({"type": "BONUS_POINTS", "bonus_points": 7}),
        json!({"type": "FREE_UPGRADE", "benefit": "Sea view"}),
    ] {
        for (price, applies) in [("299.99", false), ("300.00", true), ("450.00", true)] {
            let q = quote(
                rb(kind.clone()),
                json!([item("T", "TOUR", 1, price)]),
                json!({}),
            );
            let applied = q["redemptions"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x["rule_id"] == "MIN"));
            assert_eq!(applied, applies, "{kind} on {price}: {q}");
            if applies {
                assert_eq!(rejection(&q, "MIN"), None);
            } else {
                assert_eq!(
                    rejection(&q, "MIN").map(|r| r["reason"].clone()),
                    Some(json!({"code": "MIN_PURCHASE_NOT_MET",
                                "required": "300.00", "actual": "299.99"}))
                );
            }
        }
    }
    // The percentage one: 10 % of exactly the minimum.
    let q = quote(
        rb(json!({"type": "DISCOUNT_PERCENTAGE", "value": "10"})),
        json!([item("T", "TOUR", 1, "300.00")]),
        json!({}),
    );
    assert_eq!(discount(&q, "MIN")["amount"], "30.00");
    assert_eq!(q["final_amount"], "270.00");
}

// ---------------------------------------------------------------------------------------
// GROSS fixed offers (tax-inclusive) against NET ones
// ---------------------------------------------------------------------------------------

#[test]
fn a_gross_fixed_offer_takes_its_amount_with_tax_and_a_net_one_without() {
    let run = |tax_mode: &str| {
        quote(
            json!({"version": "mp-gross", "taxes": [{"id": "VAT", "code": "VAT", "rate": "15"}],
                   "offers": [{"id": "OFF", "type": "DISCOUNT_FIXED", "value": "115.00",
                               "currency": "SAR", "tax_mode": tax_mode}]}),
            json!([item("H", "HOTEL", 1, "1000.00")]),
            json!({}),
        )
    };
    let q = run("GROSS");
    let line = discount(&q, "OFF");
    assert_eq!(line["tax_mode"], "GROSS");
    assert_eq!(line["requested"], "115.00");
    assert_eq!(line["amount"], "100.00");
    assert_eq!(allocations(line), pairs(&[("H", "100.00")]));
    assert_eq!(q["discount_amount"], "100.00");
    assert_eq!(q["tax_amount"], "135.00");
    assert_eq!(q["final_amount"], "1035.00");

    let q = run("NET");
    let line = discount(&q, "OFF");
    assert_eq!(line["tax_mode"], "NET");
    assert_eq!(line["amount"], "115.00");
    assert_eq!(q["tax_amount"], "132.75");
    assert_eq!(q["final_amount"], "1017.75");
}

// ---------------------------------------------------------------------------------------
// BOGO held to a cap: split in proportion to the free units, not to the lines' nets
// ---------------------------------------------------------------------------------------

#[test]
fn a_capped_bogo_is_split_over_the_free_units() {
    // Buy 1 get 1: one occurrence, B's 50.00 unit is free; capped at 30.00, all of it on B
    // (by net it would be 20.00 on A and 10.00 on B).
    let q = quote(
        json!({"version": "mp-bogo1", "offers": [
            {"id": "B1G1", "type": "BOGO", "buy": 1, "get": 1, "value": "100",
             "max_discount": sar("30.00")}
        ]}),
        json!([
            item("A", "HOTEL", 1, "100.00"),
            item("B", "HOTEL", 1, "50.00")
        ]),
        json!({}),
    );
    let line = discount(&q, "B1G1");
    assert_eq!(line["requested"], "50.00");
    assert_eq!(line["amount"], "30.00");
    assert_eq!(line["reason"], "CAPPED_MAX_DISCOUNT");
    assert_eq!(allocations(line), pairs(&[("A", "0.00"), ("B", "30.00")]));

    // Buy 1 get 2 over 3 units: B's unit (50.00) and one of A's (100.00) are free, every
    // part non-zero; capped at 90.00 it splits 60.00 / 30.00 (by net: 72.00 / 18.00).
    let q = quote(
        json!({"version": "mp-bogo2", "offers": [
            {"id": "B1G2", "type": "BOGO", "buy": 1, "get": 2, "value": "100",
             "max_discount": sar("90.00")}
        ]}),
        json!([
            item("A", "HOTEL", 2, "100.00"),
            item("B", "HOTEL", 1, "50.00")
        ]),
        json!({}),
    );
    let line = discount(&q, "B1G2");
    assert_eq!(line["requested"], "150.00");
    assert_eq!(line["amount"], "90.00");
    assert_eq!(allocations(line), pairs(&[("A", "60.00"), ("B", "30.00")]));
    assert_eq!(q["final_amount"], "160.00");

    // Uncapped, the parts are the free units themselves.
    let q = quote(
        json!({"version": "mp-bogo3", "offers": [
            {"id": "B1G2", "type": "BOGO", "buy": 1, "get": 2, "value": "100"}
        ]}),
        json!([
            item("A", "HOTEL", 2, "100.00"),
            item("B", "HOTEL", 1, "50.00")
        ]),
        json!({}),
    );
    let line = discount(&q, "B1G2");
    assert_eq!(line["amount"], "150.00");
    assert_eq!(allocations(line), pairs(&[("A", "100.00"), ("B", "50.00")]));
}

// ---------------------------------------------------------------------------------------
// BEST_DEAL stacking
// ---------------------------------------------------------------------------------------

#[test]
fn a_best_deal_tie_goes_to_the_higher_priority() {
    // Both give 30.00 on 300.00: the first by priority applies, the other is NOT_BEST_DEAL.
    for (p_a, p_b, chosen, other) in [(10, 5, "A", "B"), (5, 10, "B", "A")] {
        let q = quote(
            json!({"version": "mp-tie", "offer_stacking": "BEST_DEAL", "offers": [
                {"id": "A", "type": "DISCOUNT_PERCENTAGE", "value": "10", "priority": p_a,
                 "group": "G"},
                {"id": "B", "type": "DISCOUNT_FIXED", "value": "30.00", "currency": "SAR",
                 "priority": p_b, "group": "G"}
            ]}),
            json!([item("T", "TOUR", 1, "300.00")]),
            json!({}),
        );
        let applied: Vec<&Value> = discounts(&q);
        assert_eq!(applied.len(), 1, "{q}");
        assert_eq!(applied[0]["rule_id"], chosen);
        assert_eq!(applied[0]["amount"], "30.00");
        assert_eq!(
            rejection(&q, other).map(|r| r["reason"].clone()),
            Some(json!({"code": "NOT_BEST_DEAL", "chosen": chosen}))
        );
        assert_eq!(q["final_amount"], "270.00");
    }
}

#[test]
fn a_best_deal_member_that_cannot_apply_is_not_applicable_not_outbid() {
    // S covers services only: nothing in the cart, so it is NOT_APPLICABLE, although A
    // was chosen in its group.
    let q = quote(
        json!({"version": "mp-na", "offer_stacking": "BEST_DEAL", "offers": [
            {"id": "A", "type": "DISCOUNT_PERCENTAGE", "value": "10", "priority": 10,
             "group": "G"},
            {"id": "S", "type": "DISCOUNT_PERCENTAGE", "value": "50", "priority": 5,
             "group": "G", "applies_to": {"scope": "CATEGORIES", "categories": ["SERVICE"]}}
        ]}),
        json!([item("T", "TOUR", 1, "300.00")]),
        json!({}),
    );
    assert_eq!(discount(&q, "A")["amount"], "30.00");
    assert_eq!(
        rejection(&q, "S").map(|r| r["reason"].clone()),
        Some(json!({"code": "NOT_APPLICABLE"}))
    );
}

// ---------------------------------------------------------------------------------------
// Totals: bonus points and the voucher check
// ---------------------------------------------------------------------------------------

#[test]
fn total_points_stop_at_two_to_the_53_minus_one() {
    let run = |bonus: u64| {
        let rb = json!({"version": "mp-pts", "offers": [
            {"id": "BONUS", "type": "BONUS_POINTS", "bonus_points": bonus}
        ]});
        let items = json!([item("T", "TOUR", 1, "300.00")]);
        (rb, items)
    };
    let most = (1u64 << 53) - 1;
    let (rb, items) = run(most);
    let q = quote(rb, items, json!({}));
    assert_eq!(q["rewards"]["bonus_points"], most);
    assert_eq!(q["rewards"]["total_points"], most);
    let (rb, items) = run(most + 1);
    let e = quote_error(rb, items, json!({}));
    assert_eq!(e["code"], "OVERFLOW", "{e}");
}

#[test]
fn checking_a_benefit_voucher_reports_its_amount() {
    let rb = rulebook(json!({"version": "mp-cv", "vouchers": [
        {"id": "CB", "code": "CB5", "type": "CASHBACK", "value": "5"}
    ]}));
    let req = request(json!([item("T1", "TOUR", 1, "300.00")]), json!({}));
    let check = match rb.check_voucher(&req, "cb5") {
        Ok(c) => c.to_value(),
        Err(e) => panic!("{}", e.to_value()),
    };
    assert_eq!(
        check,
        json!({"code": "CB5", "applies": true, "rule_id": "CB", "discount": "15.00"})
    );
}

// ---------------------------------------------------------------------------------------
// Vouchers: free service, and the count of applied vouchers
// ---------------------------------------------------------------------------------------

#[test]
fn a_free_service_voucher_takes_the_whole_service_whatever_its_value() {
    // `value` is unused by FREE_SERVICE: the service is free, not 50 % off.
    let q = quote(
        json!({"version": "mp-fs", "vouchers": [
            {"id": "FV", "code": "FREEVISA", "type": "FREE_SERVICE", "value": "50",
             "applies_to": {"scope": "CATEGORIES", "categories": ["SERVICE"]}}
        ]}),
        json!([
            item("T1", "TOUR", 1, "300.00"),
            item("VISA", "SERVICE", 2, "300.00")
        ]),
        json!({"voucher_codes": ["freevisa"]}),
    );
    let line = discount(&q, "FV");
    assert_eq!(line["base"], "600.00");
    assert_eq!(line["amount"], "600.00");
    assert_eq!(allocations(line), pairs(&[("VISA", "600.00")]));
    assert_eq!(q["final_amount"], "300.00");
}

#[test]
fn a_free_service_benefit_counts_towards_the_most_vouchers_per_quote() {
    let q = quote(
        json!({"version": "mp-maxv", "max_vouchers_per_quote": 1, "vouchers": [
            {"id": "FV", "code": "FREEVISA", "type": "FREE_SERVICE", "benefit": "Visa",
             "applies_to": {"scope": "CATEGORIES", "categories": ["SERVICE"]}},
            {"id": "TEN", "code": "TEN", "type": "DISCOUNT_PERCENTAGE", "value": "10"}
        ]}),
        json!([item("T1", "TOUR", 1, "300.00")]),
        json!({"voucher_codes": ["FREEVISA", "TEN"]}),
    );
    assert_eq!(
        rejection(&q, "TEN").map(|r| r["reason"].clone()),
        Some(json!({"code": "MAX_VOUCHERS_REACHED", "limit": 1}))
    );
    assert_eq!(q["voucher_discount"], "0.00");
    assert_eq!(q["final_amount"], "300.00");
    let redeemed: Vec<&Value> = q["redemptions"]
        .as_array()
        .map(|r| r.iter().collect())
        .unwrap_or_default();
    assert_eq!(redeemed.len(), 1, "{q}");
    assert_eq!(redeemed[0]["rule_id"], "FV");
}

// ---------------------------------------------------------------------------------------
// GROSS discounts: which taxes the amount with tax counts
// ---------------------------------------------------------------------------------------

fn gross_voucher() -> Value {
    json!({"id": "G", "code": "SAVE", "type": "DISCOUNT_FIXED", "value": "115.00",
           "currency": "SAR", "tax_mode": "GROSS"})
}

#[test]
fn a_gross_discount_divides_by_the_exclusive_percent_of_net_taxes_only() {
    // VAT 15 % of net, and a 10 % service charge on net + VAT (compounded: left out of
    // the divisor): 115.00 with tax is 100.00 net.
    let q = quote(
        json!({"version": "mp-gsub", "taxes": [
            {"id": "VAT", "code": "VAT", "rate": "15"},
            {"id": "SVC", "code": "SVC", "basis": "PERCENT_OF_SUBTOTAL", "rate": "10",
             "includes": ["VAT"]}
        ], "vouchers": [gross_voucher()]}),
        json!([item("H", "HOTEL", 1, "1000.00")]),
        json!({"voucher_codes": ["SAVE"]}),
    );
    assert_eq!(discount(&q, "G")["amount"], "100.00");
    // Net 900.00; VAT 135.00; SVC 10 % of 1,035.00.
    assert_eq!(q["tax_amount"], "238.50");
    assert_eq!(q["final_amount"], "1138.50");

    // A tax included in the price is not added on top either.
    let q = quote(
        json!({"version": "mp-ginc", "taxes": [
            {"id": "VAT", "code": "VAT", "rate": "15"},
            {"id": "MUN", "code": "MUN", "rate": "5", "inclusive": true}
        ], "vouchers": [gross_voucher()]}),
        json!([item("H", "HOTEL", 1, "1050.00")]),
        json!({"voucher_codes": ["SAVE"]}),
    );
    assert_eq!(discount(&q, "G")["amount"], "100.00");
}

#[test]
fn a_gross_discount_ignores_a_tax_of_another_country() {
    // VAT applies in SA only; the hotel is in AE: nothing to divide by.
    let q = quote(
        json!({"version": "mp-gctry", "taxes": [
            {"id": "VAT", "code": "VAT", "rate": "15", "countries": ["SA"]}
        ], "vouchers": [gross_voucher()]}),
        json!([{"id": "H", "category": "HOTEL", "country": "AE", "unit_price": "1000.00"}]),
        json!({"voucher_codes": ["SAVE"]}),
    );
    assert_eq!(discount(&q, "G")["amount"], "115.00");
    assert_eq!(q["tax_amount"], "0.00");
    assert_eq!(q["final_amount"], "885.00");
}

// ---------------------------------------------------------------------------------------
// Taxes (tax/apply.rs)
// ---------------------------------------------------------------------------------------

/// The TAX or SURCHARGE line of `rule_id`, if any.
fn tax<'q>(q: &'q Value, rule_id: &str) -> Option<&'q Value> {
    q["lines"].as_array().and_then(|ls| {
        ls.iter()
            .find(|l| (l["type"] == "TAX" || l["type"] == "SURCHARGE") && l["rule_id"] == rule_id)
    })
}

/// The item line `id`.
fn line<'q>(q: &'q Value, id: &str) -> &'q Value {
    match q["lines"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["type"] == "ITEM" && l["id"] == id))
    {
        Some(l) => l,
        None => panic!("no item line {id} in {q}"),
    }
}

#[test]
fn exclusive_taxes_are_computed_on_the_net_left_by_the_inclusive_ones() {
    // 1,150.00 holds VAT 15 % (150.00, divided by 115 — not by 120 with MUN's 5 %); MUN
    // is then 5 % of the 1,000.00 net.
    let q = quote(
        json!({"version": "mp-incl", "taxes": [
            {"id": "VAT", "code": "VAT", "rate": "15", "inclusive": true},
            {"id": "MUN", "code": "MUN", "rate": "5"}
        ]}),
        json!([item("H", "HOTEL", 1, "1150.00")]),
        json!({}),
    );
    assert_eq!(
        tax(&q, "VAT").map(|t| t["amount"].clone()),
        Some(json!("150.00"))
    );
    assert_eq!(
        tax(&q, "MUN").map(|t| t["amount"].clone()),
        Some(json!("50.00"))
    );
    assert_eq!(
        tax(&q, "MUN").map(|t| t["base"].clone()),
        Some(json!("1000.00"))
    );
    let h = line(&q, "H");
    assert_eq!(h["gross"], "1000.00");
    assert_eq!(h["net"], "1000.00");
    assert_eq!(h["tax_included"], "150.00");
    assert_eq!(h["tax"], "200.00");
    assert_eq!(q["base_amount"], "1000.00");
    assert_eq!(q["tax_amount"], "200.00");
    assert_eq!(q["final_amount"], "1200.00");
}

#[test]
fn a_per_document_inclusive_tax_is_split_by_the_net_of_each_unit() {
    // VAT 15 % included everywhere, MUN 5 % included in hotels only: the hotel's 1,200.00
    // and the tour's 1,150.00 both hold a 1,000.00 net, so each holds 150.00 of VAT.
    let q = quote(
        json!({"version": "mp-doc", "tax_rounding": "PER_DOCUMENT", "taxes": [
            {"id": "VAT", "code": "VAT", "rate": "15", "inclusive": true},
            {"id": "MUN", "code": "MUN", "rate": "5", "inclusive": true,
             "applies_to": {"scope": "CATEGORIES", "categories": ["HOTEL"]}}
        ]}),
        json!([
            item("H", "HOTEL", 1, "1200.00"),
            item("T", "TOUR", 1, "1150.00")
        ]),
        json!({}),
    );
    let vat = tax(&q, "VAT").cloned().unwrap_or_default();
    assert_eq!(vat["amount"], "300.00");
    assert_eq!(
        allocations(&vat),
        pairs(&[("H", "150.00"), ("T", "150.00")])
    );
    let mun = tax(&q, "MUN").cloned().unwrap_or_default();
    assert_eq!(allocations(&mun), pairs(&[("H", "50.00")]));
    assert_eq!(line(&q, "H")["net"], "1000.00");
    assert_eq!(line(&q, "T")["net"], "1000.00");
    assert_eq!(q["final_amount"], "2350.00");
}

fn flight(id: &str, passengers: Value, adt: &str, segments: Value) -> Value {
    json!({"id": id, "category": "FLIGHT",
           "fare": {"passengers": passengers, "adt": adt, "chd": {"percent_of_adt": "75"}},
           "segments": segments})
}

fn segment(from: (&str, &str), to: (&str, &str), departure: &str, inbound: bool) -> Value {
    let mut s = json!({"origin": from.0, "origin_country": from.1, "destination": to.0,
                       "destination_country": to.1, "departure": departure, "carrier": "SV"});
    if inbound {
        s["direction"] = json!("INBOUND");
    }
    s
}

#[test]
fn per_night_per_item_and_per_booking_charges_fall_where_they_belong() {
    let q = quote(
        json!({"version": "mp-fixed", "taxes": [
            {"id": "NIGHT", "code": "NT", "basis": "PER_NIGHT", "amount": sar("10.00"),
             "countries": ["SA"]},
            {"id": "ITEM", "code": "IT", "basis": "PER_ITEM", "amount": sar("7.00"),
             "countries": ["SA"]},
            {"id": "BOOK", "code": "BK", "basis": "PER_BOOKING", "amount": sar("3.00"),
             "countries": ["SA"]}
        ]}),
        json!([
            {"id": "H1", "category": "HOTEL", "country": "SA", "quantity": 3,
             "unit_price": "500.00"},
            {"id": "H2", "category": "HOTEL", "country": "AE", "quantity": 2,
             "unit_price": "300.00"},
            flight("FLT", json!({"ADT": 2, "CHD": 1}), "400.00", json!([segment(
                ("RUH", "SA"), ("JED", "SA"), "2026-12-10T07:00:00+03:00", false
            )])),
            {"id": "H3", "category": "HOTEL", "country": "SA", "quantity": 1,
             "unit_price": "200.00"}
        ]),
        json!({}),
    );
    let of = |rule: &str| {
        let t = tax(&q, rule).cloned().unwrap_or_default();
        (t["amount"].clone(), allocations(&t))
    };
    // Nights of the hotels in SA only (not the flight, not the hotel in AE).
    assert_eq!(
        of("NIGHT"),
        (json!("40.00"), pairs(&[("H1", "30.00"), ("H3", "10.00")]))
    );
    // Once per item in SA: the flight once (on its first passenger), not per passenger.
    assert_eq!(
        of("ITEM"),
        (
            json!("21.00"),
            pairs(&[("H1", "7.00"), ("FLT/ADT", "7.00"), ("H3", "7.00")])
        )
    );
    // Once per booking, on the first line it covers.
    assert_eq!(of("BOOK"), (json!("3.00"), pairs(&[("H1", "3.00")])));
    assert_eq!(line(&q, "H2")["tax"], "0.00");
    assert_eq!(line(&q, "FLT/CHD")["tax"], "0.00");
    assert_eq!(q["tax_amount"], "64.00");
    // 1,500 + 600 + 800 + 300 + 200 = 3,400.00 and 64.00 of charges.
    assert_eq!(q["base_amount"], "3400.00");
    assert_eq!(q["final_amount"], "3464.00");
}

#[test]
fn a_per_one_way_charge_is_held_to_its_round_trip_cap() {
    let rb = json!({"version": "mp-ow", "taxes": [
        {"id": "AY", "code": "AY", "basis": "PER_ONE_WAY", "amount": sar("5.60"),
         "round_trip_cap": sar("10.00")}
    ]});
    let out = segment(
        ("RUH", "SA"),
        ("JED", "SA"),
        "2026-12-10T07:00:00+03:00",
        false,
    );
    let back = segment(
        ("JED", "SA"),
        ("RUH", "SA"),
        "2026-12-14T19:00:00+03:00",
        true,
    );
    let q = quote(
        rb.clone(),
        json!([flight(
            "RT",
            json!({"ADT": 2}),
            "450.00",
            json!([out.clone(), back])
        )]),
        json!({}),
    );
    let ay = tax(&q, "AY").cloned().unwrap_or_default();
    assert_eq!(ay["amount"], "20.00");
    let pax = &line(&q, "RT/ADT")["passengers"];
    assert_eq!(pax[0]["taxes"][0]["amount"], "10.00");
    assert_eq!(pax[1]["taxes"][0]["amount"], "10.00");
    let q = quote(
        rb,
        json!([flight("OW", json!({"ADT": 2}), "450.00", json!([out]))]),
        json!({}),
    );
    assert_eq!(
        tax(&q, "AY").map(|t| t["amount"].clone()),
        Some(json!("11.20"))
    );
}

#[test]
fn a_country_rule_applies_to_a_flight_that_leaves_the_country() {
    // RUH → CAI touches SA: a 10 % SA rule (any journey) applies.
    let q = quote(
        json!({"version": "mp-xb", "taxes": [
            {"id": "SAT", "code": "SA", "rate": "10", "countries": ["SA"]}
        ]}),
        json!([flight(
            "F",
            json!({"ADT": 1}),
            "500.00",
            json!([segment(
                ("RUH", "SA"),
                ("CAI", "EG"),
                "2026-12-10T07:00:00+03:00",
                false
            )])
        )]),
        json!({}),
    );
    assert_eq!(
        tax(&q, "SAT").map(|t| t["amount"].clone()),
        Some(json!("50.00"))
    );
    assert_eq!(q["final_amount"], "550.00");
}

#[test]
fn a_country_rule_applies_to_a_charter_that_leaves_the_country() {
    // TEB → YYZ touches the US: a 7.5 % US rule (any journey) applies to the charter.
    let q = quote(
        json!({"version": "mp-jet", "taxes": [
            {"id": "US-T", "code": "US", "rate": "7.5", "countries": ["US"],
             "applies_to": {"scope": "CATEGORIES", "categories": ["PRIVATE_JET"]}}
        ]}),
        json!([{"id": "JET-1", "category": "PRIVATE_JET", "jet": {
        "aircraft": {"id": "N560XL", "category": "MIDSIZE", "home_base": "TEB",
                     "hourly_rate": {"amount": "3400.00", "currency": "USD"}},
        "legs": [{"from": "TEB", "to": "YYZ", "departure": "2026-12-09T09:00:00-05:00",
                  "passengers": 4, "block_hours": "2.0"}],
        "return_ferry": "WAIVED",
        "airports": [
            {"code": "TEB", "lat": "40.850102", "lon": "-74.060833", "country": "US"},
            {"code": "YYZ", "lat": "43.677223", "lon": "-79.630556", "country": "CA"}
        ]}}]),
        json!({"currency": "USD"}),
    );
    let t = tax(&q, "US-T").cloned().unwrap_or_default();
    assert_eq!(t["base"], "6800.00", "{q}");
    assert_eq!(t["amount"], "510.00");
    assert_eq!(q["final_amount"], "7310.00");
}
