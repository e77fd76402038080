//! The targets of `rihla-pricing`'s entry points: rulebook load, quote (on the default
//! rulebook and on a host's or a generated rulebook, charters included), voucher check,
//! charter availability, and the membership and referral requests.

use crate::envelope::{default_rulebook, json_text, object, text, with_rulebook};
use crate::invariants::{check_pricing_error, check_quote, check_voucher_check};
use crate::quote_input::QuoteInput;
use crate::rulebook_input::RulebookInput;
use arbitrary::{Arbitrary, Unstructured};
use rihla_pricing::{EntitlementRequest, QuoteRequest, ReferralRequest, Rulebook, UpgradeRequest};
use serde_json::Value;

/// A small cart that every rulebook can price: a hotel in SA, a flight DAC → JED with
/// children and an infant, a tour; the rulebook's voucher codes are added to it.
const PROBE_REQUEST: &str = r#"{"currency": "SAR", "now": "2026-11-22T09:30:00Z",
 "customer": {"id": "C-1", "membership": {"tier": "GOLD", "valid_until": "2027-08-31T23:59:59Z"}},
 "items": [
   {"id": "HTL-1", "category": "HOTEL", "quantity": 3, "unit_price": "680.00", "country": "SA",
    "start_date": "2026-12-18"},
   {"id": "FLT-1", "category": "FLIGHT",
    "fare": {"passengers": {"ADT": 2, "CHD": 1, "INF": 1}, "adt": "2450.00",
             "chd": {"percent_of_adt": "75"}, "inf": {"percent_of_adt": "10"}},
    "segments": [{"origin": "DAC", "destination": "JED", "origin_country": "BD",
                  "destination_country": "SA", "departure": "2026-12-18T01:35:00+06:00"}]},
   {"id": "TOUR-1", "category": "TOUR", "unit_price": "0.01", "quantity": 10000}]}"#;

/// Prices `request` on `rulebook` and checks the quote, or the error.
fn quote_checked(rulebook: &Rulebook, request: &QuoteRequest) {
    match rulebook.quote(request) {
        Ok(q) => {
            check_quote(&q);
            crate::invariants::check_json_instants(&q.to_value(), "quote");
        }
        Err(e) => check_pricing_error(&e, "Rulebook::quote"),
    }
}

/// Checks `code` against the cart of `request`, and the answer or the error.
fn voucher_checked(rulebook: &Rulebook, request: &QuoteRequest, code: &str) {
    match rulebook.check_voucher(request, code) {
        Ok(c) => check_voucher_check(&c, request.currency),
        Err(e) => check_pricing_error(&e, "Rulebook::check_voucher"),
    }
}

/// Reads a request from JSON text and prices it; errors are checked.
fn quote_text(rulebook: &Rulebook, text: &str) -> Option<QuoteRequest> {
    match QuoteRequest::from_json(text) {
        Ok(request) => {
            quote_checked(rulebook, &request);
            Some(request)
        }
        Err(e) => {
            check_pricing_error(&e, "QuoteRequest::from_json");
            None
        }
    }
}

/// `Rulebook::from_json` of the input. A rulebook that loads must read back from its own
/// JSON with the same fingerprint, and price [`PROBE_REQUEST`] (with its voucher codes).
pub fn rulebook_load(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let rulebook = match Rulebook::from_json(text) {
        Ok(rb) => rb,
        Err(e) => return check_pricing_error(&e, "Rulebook::from_json"),
    };
    let again = Rulebook::from_json(&rulebook.to_json())
        .unwrap_or_else(|e| panic!("a loaded rulebook's own JSON does not load: {e}"));
    assert_eq!(
        again.fingerprint(),
        rulebook.fingerprint(),
        "a rulebook's fingerprint changed through its own JSON"
    );
    let Ok(mut request) = QuoteRequest::from_json(PROBE_REQUEST) else {
        panic!("the probe request does not parse")
    };
    request.voucher_codes = rulebook
        .doc()
        .vouchers
        .iter()
        .take(rihla_pricing::limits::MAX_VOUCHER_CODES)
        .map(|v| v.code.clone())
        .collect();
    quote_checked(&rulebook, &request);
    for code in request.voucher_codes.iter().take(3) {
        voucher_checked(&rulebook, &request, code);
    }
}

/// `QuoteRequest::from_json` of the input, priced on the default rulebook.
pub fn quote_json(data: &[u8]) {
    if let Some(text) = text(data) {
        quote_text(default_rulebook(), text);
    }
}

/// An envelope `{"rulebook": "default" | {…}, "request": {…}}` (a conformance vector's
/// input): the rulebook loaded, the request priced on it.
pub fn quote_envelope(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let Some(request) = env.get("request") else {
        return;
    };
    with_rulebook(env.get("rulebook"), |rb| {
        quote_text(rb, &json_text(request));
    });
}

/// A generated request ([`QuoteInput`]) priced on the default rulebook, and each of its
/// voucher codes (and the default rulebook's) checked on its cart.
pub fn quote_structured(data: &[u8]) {
    let u = Unstructured::new(data);
    let Ok(input) = QuoteInput::arbitrary_take_rest(u) else {
        return;
    };
    let rb = default_rulebook();
    if let Some(request) = quote_text(rb, &input.to_json().to_string()) {
        for code in request.voucher_codes.iter().take(2) {
            voucher_checked(rb, &request, code);
        }
        voucher_checked(rb, &request, "umrah150");
    }
}

/// A generated rulebook ([`RulebookInput`]) and request: the rulebook loaded, the request
/// (with the rulebook's voucher codes) priced on it, each code checked on its cart.
pub fn quote_rulebook_structured(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(rulebook_input) = RulebookInput::arbitrary(&mut u) else {
        return;
    };
    let Ok(request_input) = QuoteInput::arbitrary_take_rest(u) else {
        return;
    };
    let rulebook = match Rulebook::from_json(&rulebook_input.to_json().to_string()) {
        Ok(rb) => rb,
        Err(e) => return check_pricing_error(&e, "Rulebook::from_json"),
    };
    let mut request = request_input.to_json();
    let codes: Vec<Value> = rulebook_input
        .vouchers
        .iter()
        .map(|v| Value::String(v.code.0.clone()))
        .chain(
            request
                .get("voucher_codes")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        )
        .take(rihla_pricing::limits::MAX_VOUCHER_CODES)
        .collect();
    if let Value::Object(m) = &mut request {
        m.insert("voucher_codes".into(), Value::Array(codes));
    }
    if let Some(request) = quote_text(&rulebook, &request.to_string()) {
        for code in request.voucher_codes.iter().take(3) {
            voucher_checked(&rulebook, &request, code);
        }
    }
}

/// An envelope `{"rulebook"?, "request": {…}, "code": "…"}`: `Rulebook::check_voucher`.
pub fn check_voucher(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let (Some(request), Some(code)) = (env.get("request"), env.get("code")) else {
        return;
    };
    let code = json_text(code);
    with_rulebook(env.get("rulebook"), |rb| {
        match QuoteRequest::from_json(&json_text(request)) {
            Ok(request) => voucher_checked(rb, &request, &code),
            Err(e) => check_pricing_error(&e, "QuoteRequest::from_json"),
        }
    });
}

/// An envelope `{"rulebook"?, "itinerary": {…}}`: `Itinerary::from_json` and
/// `Rulebook::charter_availability`.
pub fn charter_availability(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let Some(itinerary) = env.get("itinerary") else {
        return;
    };
    with_rulebook(
        env.get("rulebook"),
        |rb| match rihla_pricing::jet::Itinerary::from_json(&json_text(itinerary)) {
            Ok(it) => match rb.charter_availability(&it) {
                Ok(report) => crate::invariants::check_json_instants(
                    &report.to_value(),
                    "charter availability",
                ),
                Err(e) => check_pricing_error(&e, "Rulebook::charter_availability"),
            },
            Err(e) => check_pricing_error(&e, "Itinerary::from_json"),
        },
    );
}

/// An envelope `{"op": "check_entitlement" | "upgrade_price" | "referral_rewards" |
/// "tier_for_points", "rulebook"?, "request" | "lifetime_points"}` (the membership and
/// referral vectors' shape).
pub fn membership(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let op = env
        .get("op")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let request = env.get("request").map(json_text).unwrap_or_default();
    let points = env.get("lifetime_points").and_then(Value::as_u64);
    with_rulebook(env.get("rulebook"), |rb| {
        let answer = match op.as_str() {
            "check_entitlement" => EntitlementRequest::from_json(&request)
                .and_then(|r| rb.check_entitlement(&r))
                .map(|c| c.to_value()),
            "upgrade_price" => UpgradeRequest::from_json(&request)
                .and_then(|r| rb.upgrade_price(&r))
                .map(|q| q.to_value()),
            "referral_rewards" => ReferralRequest::from_json(&request)
                .and_then(|r| rb.referral_rewards(&r))
                .map(|o| o.to_value()),
            "tier_for_points" => {
                let tier = rb.tier_for_points(points.unwrap_or(0));
                Ok(Value::String(tier.code().to_owned()))
            }
            _ => return,
        };
        match answer {
            Ok(v) => crate::invariants::check_json_instants(&v, &op),
            Err(e) => check_pricing_error(&e, &op),
        }
    });
}
