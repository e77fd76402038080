//! Regression tests for what adversarial testing found (issue 11): each defect with the
//! input that showed it and the answer it must give now.

use rihla_pricing::{EntitlementRequest, QuoteRequest, Rulebook};
use serde_json::{json, Value};

fn quote(rulebook: Value, request: Value) -> Result<Value, Value> {
    let rb = Rulebook::from_value(rulebook).map_err(|e| e.to_value())?;
    let req = QuoteRequest::from_value(request).map_err(|e| e.to_value())?;
    rb.quote(&req)
        .map(|q| serde_json::to_value(q).unwrap())
        .map_err(|e| e.to_value())
}

fn item(id: &str, quantity: u32, price: &str) -> Value {
    json!({"id": id, "category": "HOTEL", "quantity": quantity, "unit_price": price})
}

fn request(currency: &str, items: Vec<Value>) -> Value {
    json!({"currency": currency, "now": "2026-11-22T09:00:00Z", "items": items})
}

fn bogo_rulebook() -> Value {
    json!({"version": "bogo", "offers": [{"id": "B1G1", "type": "BOGO", "buy": 1, "get": 1, "value": "100"}]})
}

fn line<'a>(q: &'a Value, id: &str) -> &'a Value {
    q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("no line {id}"))
}

/// Defect 1: one unit at 8e24 beside 10,000 units at 0.01 gave the dear unit away. An
/// amount that large is now refused where it enters, naming the field.
#[test]
fn bogo_with_an_amount_past_the_maximum_is_refused() {
    let err = quote(
        bogo_rulebook(),
        request(
            "USD",
            vec![
                item("DEAR", 1, "8000000000000000000000000"),
                item("CHEAP", 10_000, "0.01"),
            ],
        ),
    )
    .unwrap_err();
    assert_eq!(err["code"], "OVERFLOW");
    assert_eq!(err["field"], "items[0].unit_price");
}

/// Defect 1 within the maximum: the 5,000 free units are the cheapest ones.
#[test]
fn bogo_frees_the_cheapest_units_at_extreme_magnitudes() {
    let q = quote(
        bogo_rulebook(),
        request(
            "USD",
            vec![
                item("DEAR", 1, "800000000000000.00"),
                item("CHEAP", 10_000, "0.01"),
            ],
        ),
    )
    .unwrap();
    assert_eq!(q["discount_amount"], "50.00");
    assert_eq!(line(&q, "DEAR")["discount"], "0.00");
    assert_eq!(line(&q, "CHEAP")["discount"], "50.00");
    assert_eq!(q["final_amount"], "800000000000050.00");
}

/// Defect 1: about twenty lines of very large and very small prices made the sort panic
/// ("does not correctly implement a total order"). The order is now total and exact.
#[test]
fn bogo_sorts_many_extreme_lines_without_panicking() {
    let mut items = Vec::new();
    for k in 0..10 {
        items.push(item(&format!("BIG-{k:02}"), 1, "999999999999.99"));
        items.push(item(&format!("SMALL-{k:02}"), 9_999, "0.01"));
    }
    let q = quote(bogo_rulebook(), request("USD", items)).unwrap();
    // 100,000 units → 50,000 free, all at 0.01 (the ten small lines hold 99,990 units).
    assert_eq!(q["discount_amount"], "500.00");
    for k in 0..10 {
        assert_eq!(line(&q, &format!("BIG-{k:02}"))["discount"], "0.00");
    }
    // Ties by line id: SMALL-00 … SMALL-04 are wholly free, SMALL-05 gives what is left.
    assert_eq!(line(&q, "SMALL-00")["discount"], "99.99");
    assert_eq!(line(&q, "SMALL-04")["discount"], "99.99");
    assert_eq!(line(&q, "SMALL-05")["discount"], "0.05");
    assert_eq!(line(&q, "SMALL-06")["discount"], "0.00");
}

/// Defect 2: 1e27 + 0.01 came back as 1000000000000000000000000000.0 and 3.7e23 × 9,999
/// rounded: both are now refused, naming the field.
#[test]
fn amounts_that_would_round_are_refused() {
    let err = quote(
        json!({"version": "x"}),
        request(
            "USD",
            vec![
                item("A", 1, "1000000000000000000000000000"),
                item("B", 1, "0.01"),
            ],
        ),
    )
    .unwrap_err();
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("OVERFLOW"), Some("items[0].unit_price"))
    );
    let err = quote(
        json!({"version": "x"}),
        request("USD", vec![item("A", 9_999, "370000000000000000000000")]),
    )
    .unwrap_err();
    assert_eq!(err["code"], "OVERFLOW");
    // Within the maximum per unit, past it times the quantity: the quantity is named.
    let err = quote(
        json!({"version": "x"}),
        request("USD", vec![item("A", 10_000, "999999999999.99")]),
    )
    .unwrap_err();
    assert_eq!(err["code"], "OVERFLOW");
    assert_eq!(err["field"], "items[0].quantity");
    assert_eq!(err["max"], "1000000000000000");
}

/// Defect 2: a KWD amount at the maximum keeps its third decimal, and the lines add up.
#[test]
fn kwd_keeps_its_third_decimal_at_the_maximum() {
    let q = quote(
        json!({"version": "x"}),
        request(
            "KWD",
            vec![item("A", 10_000, "99999999999.999"), item("B", 1, "0.001")],
        ),
    )
    .unwrap();
    assert_eq!(line(&q, "A")["gross"], "999999999999990.000");
    assert_eq!(q["base_amount"], "999999999999990.001");
    assert_eq!(q["final_amount"], "999999999999990.001");
}

/// Defect 2: a percentage of a large valid amount is returned, formed exactly.
#[test]
fn a_percentage_of_the_largest_amount_is_returned() {
    let rb = json!({"version": "x", "offers": [{"id": "ALL", "type": "DISCOUNT_PERCENTAGE", "value": "99.9999"}]});
    let q = quote(
        rb,
        request("SAR", vec![item("A", 1, "1000000000000000.00")]),
    );
    let q = q.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(q["discount_amount"], "999999000000000.00");
    assert_eq!(q["final_amount"], "1000000000.00");
    let fare = json!({"id": "F", "category": "FLIGHT",
        "fare": {"passengers": {"ADT": 1, "CHD": 1}, "adt": "500000000000000.01",
                 "chd": {"percent_of_adt": "75"}}});
    let q = quote(json!({"version": "x"}), request("SAR", vec![fare])).unwrap();
    // 75 % of 500000000000000.01 = 375000000000000.0075, rounded once (half away).
    assert_eq!(line(&q, "F/CHD")["gross"], "375000000000000.01");
    assert_eq!(q["base_amount"], "875000000000000.02");
}

fn budget_rulebook(policy: &str) -> Value {
    json!({"version": "b", "offers": [{"id": "BUD", "type": "DISCOUNT_PERCENTAGE", "value": "10",
        "budget": {"amount": "1000.00", "currency": "SAR"}, "budget_policy": policy}]})
}

fn used(amount: &str) -> Value {
    json!({"offers": {"BUD": {"total": 40, "budget_used": {"amount": amount, "currency": "SAR"}}}})
}

/// Defect 8: a budget's `remaining` read "0" instead of "0.00".
#[test]
fn budget_remaining_keeps_the_currency_scale() {
    let mut req = request("SAR", vec![item("T1", 1, "1000.00")]);
    req["usage"] = used("1200.00");
    let q = quote(budget_rulebook("REFUSE"), req).unwrap();
    assert_eq!(
        q["rejected"][0]["reason"],
        json!({"code": "BUDGET_EXCEEDED", "remaining": "0.00", "requested": "100.00"})
    );
}

/// Defect 8: a CLAMP budget already used up "applied" for 0.00 and emitted a redemption.
#[test]
fn a_used_up_clamp_budget_applies_nothing() {
    let mut req = request("SAR", vec![item("T1", 1, "1000.00")]);
    req["usage"] = used("1000.00");
    let q = quote(budget_rulebook("CLAMP"), req).unwrap();
    assert_eq!(q["discount_amount"], "0.00");
    assert_eq!(q["redemptions"], json!([]));
    assert_eq!(q["rejected"][0]["reason"]["code"], "BUDGET_EXCEEDED");
    assert_eq!(q["rejected"][0]["reason"]["remaining"], "0.00");
    // With some budget left it still clamps.
    let mut req = request("SAR", vec![item("T1", 1, "1000.00")]);
    req["usage"] = used("950.00");
    let q = quote(budget_rulebook("CLAMP"), req).unwrap();
    assert_eq!(q["discount_amount"], "50.00");
}

/// Defect 8: a 0 % offer "applied" for 0.00 and consumed a use; so did a percentage that
/// rounds to nothing.
#[test]
fn a_zero_discount_applies_nothing() {
    for (value, price) in [("0", "100.00"), ("1", "0.10")] {
        let rb = json!({"version": "z", "offers": [{"id": "Z", "type": "DISCOUNT_PERCENTAGE", "value": value,
            "conditions": {"usage_limit": 5}}]});
        let q = quote(rb, request("SAR", vec![item("T1", 1, price)])).unwrap();
        assert_eq!(q["discount_amount"], "0.00");
        assert_eq!(q["redemptions"], json!([]));
        assert_eq!(
            q["rejected"],
            json!([{"kind": "OFFER", "rule_id": "Z", "reason": {"code": "ZERO_DISCOUNT"}}])
        );
    }
    let rb = json!({"version": "z", "vouchers": [{"id": "V0", "code": "ZERO", "type": "DISCOUNT_PERCENTAGE", "value": "0"}]});
    let mut req = request("SAR", vec![item("T1", 1, "100.00")]);
    req["voucher_codes"] = json!(["zero"]);
    let q = quote(rb, req).unwrap();
    assert_eq!(q["redemptions"], json!([]));
    assert_eq!(q["rejected"][0]["reason"]["code"], "ZERO_DISCOUNT");
}

/// Defect 8: an exclusive offer without a group was ignored under BEST_DEAL.
#[test]
fn an_exclusive_offer_applies_alone_under_best_deal() {
    let offers = |x_priority: i64| {
        json!({"version": "bd", "offer_stacking": "BEST_DEAL", "offers": [
            {"id": "X", "type": "DISCOUNT_PERCENTAGE", "value": "10", "priority": x_priority, "exclusive": true},
            {"id": "B-50SAR", "type": "DISCOUNT_FIXED", "value": "50.00", "currency": "SAR", "priority": 5},
            {"id": "G-5PCT", "type": "DISCOUNT_PERCENTAGE", "value": "5", "priority": 4, "group": "G"}]})
    };
    let q = quote(offers(20), request("SAR", vec![item("T1", 1, "300.00")])).unwrap();
    assert_eq!(q["discount_amount"], "30.00");
    assert_eq!(
        q["rejected"],
        json!([
            {"kind": "OFFER", "rule_id": "B-50SAR", "reason": {"code": "NOT_COMBINABLE", "offer_id": "X"}},
            {"kind": "OFFER", "rule_id": "G-5PCT", "reason": {"code": "NOT_COMBINABLE", "offer_id": "X"}}
        ])
    );
    // After another offer applied, the exclusive one does not apply.
    let q = quote(offers(1), request("SAR", vec![item("T1", 1, "300.00")])).unwrap();
    assert_eq!(q["discount_amount"], "62.50");
    assert_eq!(
        q["rejected"],
        json!([{"kind": "OFFER", "rule_id": "X", "reason": {"code": "NOT_COMBINABLE", "offer_id": "B-50SAR"}}])
    );
}

/// Defect 8: a customer whose tier has no plan got tier-only offers while the rewards
/// said GUEST. One effective tier decides both.
#[test]
fn a_tier_without_a_plan_prices_as_guest_everywhere() {
    let rb = json!({"version": "t", "membership": {"plans": [
            {"tier": "GUEST", "price": {"amount": "0.00", "currency": "SAR"}, "cashback_percent": "0", "points_multiplier": "1.00"}]},
        "offers": [{"id": "GOLD-10", "type": "DISCOUNT_PERCENTAGE", "value": "10", "conditions": {"tiers": ["GOLD"]}}]});
    let mut req = request("SAR", vec![item("T1", 1, "100.00")]);
    req["customer"] = json!({"id": "C1", "membership": {"tier": "GOLD"}});
    let q = quote(rb, req).unwrap();
    assert_eq!(q["rewards"]["tier"], "GUEST");
    assert_eq!(q["rewards"]["membership_status"], "NO_PLAN");
    assert_eq!(q["discount_amount"], "0.00");
    assert_eq!(q["rejected"][0]["reason"]["code"], "TIER_NOT_ELIGIBLE");
    assert_eq!(q["rejected"][0]["reason"]["tier"], "GUEST");
}

/// Defect 8: per-document tax remainders followed the request's order while discounts
/// follow line ids: both follow line ids now.
#[test]
fn per_document_tax_remainders_follow_line_ids() {
    let rb = json!({"version": "pd", "tax_rounding": "PER_DOCUMENT",
        "taxes": [{"id": "T", "code": "VAT", "rate": "7.5"}]});
    for items in [
        vec![item("A", 1, "10.05"), item("B", 1, "10.05")],
        vec![item("B", 1, "10.05"), item("A", 1, "10.05")],
    ] {
        let q = quote(rb.clone(), request("USD", items)).unwrap();
        assert_eq!(q["tax_amount"], "1.51");
        assert_eq!(line(&q, "A")["tax"], "0.76");
        assert_eq!(line(&q, "B")["tax"], "0.75");
    }
}

/// Defect 8: at `now = 9999-12-31` the entitlement's reset printed `+10000-01-01…`.
#[test]
fn an_entitlement_whose_period_leaves_year_9999_is_refused() {
    let rb = Rulebook::default_rulebook().unwrap();
    let req = EntitlementRequest::from_value(json!({"tier": "GOLD", "code": "LOUNGE_PASS",
        "used": 0, "now": "9999-12-31T00:00:00Z"}))
    .unwrap();
    let err = rb.check_entitlement(&req).unwrap_err().to_value();
    assert_eq!(err["code"], "INVALID_REQUEST");
    assert_eq!(err["field"], "now");
    let req = EntitlementRequest::from_value(json!({"tier": "GOLD", "code": "LOUNGE_PASS",
        "used": 0, "now": "9999-11-30T00:00:00Z"}))
    .unwrap();
    let ok = serde_json::to_value(rb.check_entitlement(&req).unwrap()).unwrap();
    assert_eq!(ok["resets_at"], "9999-12-01T00:00:00Z");
}

fn charter(jet_extra: Value, leg_extra: Value) -> Value {
    let mut leg = json!({"from": "RUH", "to": "JED", "departure": "2026-12-08T10:00:00+03:00", "passengers": 4});
    for (k, v) in leg_extra.as_object().unwrap() {
        leg[k] = v.clone();
    }
    let mut jet = json!({"aircraft": {"id": "HZ-LGT1", "category": "LIGHT", "home_base": "RUH",
            "position": "DMM",
            "hourly_rate": {"amount": "18000.00", "currency": "SAR"},
            "repositioning_rate": {"amount": "14000.00", "currency": "SAR"}},
        "legs": [leg],
        "airports": [{"code": "RUH", "lat": "24.9576", "lon": "46.6988", "country": "SA"},
                     {"code": "JED", "lat": "21.6796", "lon": "39.1565", "country": "SA"},
                     {"code": "DMM", "lat": "26.4712", "lon": "49.7979", "country": "SA"}]});
    for (k, v) in jet_extra.as_object().unwrap() {
        jet[k] = v.clone();
    }
    json!({"currency": "SAR", "now": "2026-11-22T09:00:00Z",
        "items": [{"id": "JET-1", "category": "PRIVATE_JET", "jet": jet}]})
}

fn ferry_hours(q: &Value) -> Vec<(String, String)> {
    q["charters"][0]["legs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "REPOSITIONING")
        .map(|l| {
            (
                format!(
                    "{}-{}",
                    l["from"].as_str().unwrap(),
                    l["to"].as_str().unwrap()
                ),
                l["billed_hours"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Defect 10: repositioning and return-ferry legs take the operator's block time or a
/// wind component.
#[test]
fn ferry_legs_take_wind_and_block_time() {
    let rb = json!({"version": "c"});
    let plain = quote(rb.clone(), charter(json!({}), json!({}))).unwrap();
    let base = ferry_hours(&plain);
    assert_eq!(base.len(), 2);
    assert_eq!(base[1], ("JED-RUH".to_owned(), "1.4".to_owned()));

    let given = quote(
        rb.clone(),
        charter(
            json!({"return_ferry_leg": {"block_hours": "2.0"}}),
            json!({"ferry": {"block_hours": "1.3"}}),
        ),
    )
    .unwrap();
    assert_eq!(
        ferry_hours(&given),
        vec![
            ("DMM-RUH".to_owned(), "1.3".to_owned()),
            ("JED-RUH".to_owned(), "2.0".to_owned())
        ]
    );
    // 1.4 h occupied at 18,000 + 1.3 h + 2.0 h ferried at 14,000.
    assert_eq!(given["base_amount"], "71400.00");

    let headwind = quote(
        rb.clone(),
        charter(
            json!({"return_ferry_leg": {"wind_component_kt": "-100"}}),
            json!({}),
        ),
    )
    .unwrap();
    let h = ferry_hours(&headwind);
    let hours: rihla_core::Decimal = h[1].1.parse().unwrap();
    assert!(hours > rihla_core::Decimal::new(14, 1), "{h:?}");

    let err = quote(
        rb,
        charter(
            json!({"return_ferry_leg": {"block_hours": "1.25"}}),
            json!({}),
        ),
    )
    .unwrap_err();
    assert_eq!(err["code"], "INVALID_REQUEST");
    assert_eq!(err["field"], "items[0].jet.return_ferry_leg.block_hours");
}
