//! # rihla-wasm
//!
//! The WebAssembly build of rihla for browsers and Node (`wasm-bindgen`). It holds
//! **conversion code only**; every pricing rule lives in `rihla-pricing` / `rihla-core`, every
//! ledger rule in `rihla-ledger`.
//!
//! JS values cross the boundary as JSON text: a request or rulebook object is turned into
//! text by the engine's own `JSON.stringify` and read by rihla's strict parsers (the same
//! field paths and errors as every other host); a quote comes back through `JSON.parse` of
//! rihla's canonical JSON, so amounts are decimal strings in both directions and a JS number
//! is never money.
//!
//! JS API (see `README.md`):
//!
//! - `Rulebook.fromJson(json)`, `Rulebook.fromObject(obj)`, `Rulebook.default()`,
//!   `rulebook.version`, `rulebook.quote(request)` (request: object or JSON string),
//!   `rulebook.checkVoucher(request, code)`, `rulebook.checkEntitlement(request)`,
//!   `rulebook.upgradePrice(request)`, `rulebook.referralRewards(request)`,
//!   `rulebook.charterAvailability(itinerary)`, `rulebook.tierForPoints(n)`;
//! - `allocate(amount, currency, weights)`: largest-remainder split, decimals as strings;
//! - `airportTableAvailable()`: whether this build embeds the airport table (it does not:
//!   the package is built without `rihla-pricing`'s `airports` feature, so a charter
//!   itinerary gives each airport's coordinates in its `airports`);
//! - `new Ledger()` ([`ledger`]): `rihla-ledger`'s in-memory double-entry ledger, which
//!   holds state across calls: `createAccounts(accounts)`, `apply(transfers)`,
//!   `account(id)`, `accounts()`, `transfer(id)`, `entries(startSeq?, limit?)`,
//!   `journalJsonl()`, `lastHash()`, `closeAccount(id)`, `entryCount`, `snapshot()`,
//!   `Ledger.fromSnapshot(text)`,
//!   `statement(accountId, fromSeq?, limit?)`, `planInput(transfers)`,
//!   `reverse(transferIds, at, reason?)`, `reversalOf(transferId)`; and
//!   `auditJournal(accounts, journalText)`, `planTransfers(input)` (the stateless planner);
//! - `new PointsBook(unit)` ([`points`]): loyalty points lots driving a `Ledger`:
//!   `earn(ledger, request)`, `redeem(ledger, request)`, `expire(ledger, now)`,
//!   `clawback(ledger, request)`, `lots(account?)`, `available(account, at)`,
//!   `balance(account)`, `debtOf(account)`, `toJSON()`, `PointsBook.fromObject(book)`;
//! - `CashbackRecord` ([`cashback`]): membership cashback driving a `Ledger`:
//!   `CashbackRecord.book(ledger, request)` → `{record, outcome}`, `record.complete(at)`,
//!   `approve(now, actor, overrideHold?)`, `credit(ledger, now)`,
//!   `cancel(ledger, now, actor, reason)`, `clawback(ledger, request)`, `status`,
//!   `eligibleAt`, `toJSON()`, `CashbackRecord.fromObject(record)`;
//! - `new Refunds()` ([`webhook`]): refunds of payments driving a `Ledger`, Σ refunds of a
//!   payment never more than it: `refund(ledger, request)`, `get(refundId)`, `receipts()`,
//!   `refundsOf(paymentId)`;
//! - `new WebhookInbox()` ([`webhook`]): payment-provider webhooks driving a `Ledger`, one
//!   effect per event whatever the duplicates and the order:
//!   `registerPayment(ledger, registration)`, `receive(ledger, event)`,
//!   `retryDeferred(ledger)`, `payment(provider, paymentRef)`, `outcome(provider, eventId)`,
//!   `deferred()`, `refunds()`, `size`; and `webhookTransferId(provider, eventId, leg?,
//!   attempt?)`;
//! - every failure throws an `Error` with `name === "RihlaError"`, a stable `code` and the
//!   error's JSON (`{"code", "message", …}`) as `details`.
//!
//! Every argument is taken as a `JsValue` and checked by [`args`] — type, then length or
//! range — before anything is copied into the module's memory; documents are serialized
//! under their byte limit ([`args::json`]). The package is built with `panic = "abort"`: a
//! panic would trap and poison the instance, and nothing at the boundary could catch it, so
//! the only guard is that none exists (no `unwrap`, `expect` or indexing on values derived
//! from input here; the pure crates never panic on input, kept so by their fuzzing). See
//! "Panics and hostile input" in `README.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use rihla_core::{CoreError, Currency, Money};
use rihla_pricing::limits::{MAX_REQUEST_BYTES, MAX_RULEBOOK_BYTES};
use serde_json::Value;
use wasm_bindgen::prelude::*;

pub mod args;
pub mod cashback;
pub mod ledger;
pub mod points;
pub mod webhook;
pub use cashback::CashbackRecord;
pub use ledger::{audit_journal, plan_transfers, Ledger};
pub use points::PointsBook;
pub use webhook::{webhook_transfer_id, Refunds, WebhookInbox};

/// The `name` of every error this package throws.
pub const ERROR_NAME: &str = "RihlaError";

/// Code of a JS value that has no JSON text (`JSON.stringify` throws on a cycle or a
/// BigInt) or nests deeper than [`args::json::MAX_DEPTH`]: the code rihla gives a
/// malformed JSON text. (A document argument of another type, e.g. a number, is
/// `INVALID_REQUEST` naming it.)
pub const INVALID_JSON: &str = "INVALID_JSON";

/// Most weights `allocate` takes in one call: 100,000 (the Python binding's bound);
/// `LIMIT_EXCEEDED` past it, before any weight is read.
pub const MAX_WEIGHTS: u32 = 100_000;

/// Splits `amount` of `currency` over `weights` with [`rihla_core::allocate`] and returns
/// the parts as decimal strings, in line order. Inputs use the strict decimal wire format
/// (`"10.00"`).
///
/// # Errors
/// `INVALID_AMOUNT` for text that is not a decimal, `UNKNOWN_CURRENCY`, and the errors of
/// [`rihla_core::allocate`].
pub fn allocate_parts<S: AsRef<str>>(
    amount: &str,
    currency: &str,
    weights: &[S],
) -> Result<Vec<String>, rihla_pricing::Error> {
    let parse = |text: &str| {
        rihla_core::decimal_string::parse(text).map_err(|reason| {
            rihla_pricing::Error::from(CoreError::InvalidAmount {
                value: text.chars().take(64).collect(),
                reason,
            })
        })
    };
    let currency = Currency::from_code(currency)?;
    let amount = parse(amount)?;
    let weights = weights
        .iter()
        .map(|w| parse(w.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = rihla_core::allocate(Money::new(amount, currency), &weights)?;
    Ok(parts.into_iter().map(|m| m.amount.to_string()).collect())
}

/// Builds the thrown value: an `Error` named `RihlaError` with `code` and `details`.
pub(crate) fn js_error(code: &str, message: &str, details: &Value) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(ERROR_NAME);
    let details = js_sys::JSON::parse(&details.to_string()).unwrap_or(JsValue::NULL);
    // `Reflect.set` on a fresh Error cannot fail; there is nothing better to do if it did.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(&error, &"details".into(), &details);
    error.into()
}

pub(crate) fn rihla_error(err: rihla_pricing::Error) -> JsValue {
    js_error(err.code(), &err.to_string(), &err.to_value())
}

/// A rulebook, validated once when loaded; it can then price many requests.
#[wasm_bindgen]
pub struct Rulebook {
    inner: rihla_pricing::Rulebook,
}

#[wasm_bindgen]
impl Rulebook {
    /// Loads a rulebook from its JSON text (a string of at most
    /// `rihla_pricing::limits::MAX_RULEBOOK_BYTES`, 16 MiB; its length is checked before
    /// it is copied). Another type is `INVALID_REQUEST` (`details.field`: `"rulebook"`).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    ) -> Result<Rulebook, JsValue> {
        Self::load(&args::json::text_document(
            &json,
            "rulebook",
            MAX_RULEBOOK_BYTES,
        )?)
    }

    /// Loads a rulebook from a plain JS object (the parsed form of its JSON), serialized
    /// under the same 16 MiB limit: an over-large object is refused as soon as the walk
    /// passes it (`LIMIT_EXCEEDED`).
    #[wasm_bindgen(js_name = fromObject)]
    pub fn from_object(
        #[wasm_bindgen(unchecked_param_type = "object")] obj: JsValue,
    ) -> Result<Rulebook, JsValue> {
        Self::load(&args::json::document(&obj, "rulebook", MAX_RULEBOOK_BYTES)?)
    }

    /// The rulebook rihla ships with (`pricing/data/default_rulebook.json`).
    #[wasm_bindgen(js_name = "default")]
    pub fn default_rulebook() -> Result<Rulebook, JsValue> {
        rihla_pricing::Rulebook::default_rulebook()
            .map(|inner| Rulebook { inner })
            .map_err(rihla_error)
    }

    fn load(text: &str) -> Result<Rulebook, JsValue> {
        rihla_pricing::Rulebook::from_json(text)
            .map(|inner| Rulebook { inner })
            .map_err(rihla_error)
    }

    /// The rulebook's own version string.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_owned()
    }

    /// Prices a request (a plain object or its JSON text) and returns the quote as a plain
    /// object, amounts as decimal strings.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn quote(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = rihla_pricing::QuoteRequest::from_json(&request_text(&request)?)
            .map_err(rihla_error)?;
        let quote = self.inner.quote(&request).map_err(rihla_error)?;
        js_sys::JSON::parse(&quote.to_json())
    }

    /// Would `code` apply to the cart of `request` (after the automatic offers), for how
    /// much, and if not, why: `{code, applies, rule_id, eligible_amount, discount}` or
    /// `{code, applies: false, rule_id, reason: {code, …}}`.
    #[wasm_bindgen(js_name = checkVoucher, unchecked_return_type = "Record<string, any>")]
    ///
    /// `code` is a string (at most [`args::MAX_TEXT_ARG_LENGTH`] long; the engine then
    /// allows 128 characters once trimmed); anything else is `INVALID_REQUEST`
    /// (`details.field`: `"code"`).
    pub fn check_voucher(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Result<JsValue, JsValue> {
        let code = args::text(&code, "code")?;
        let request = rihla_pricing::QuoteRequest::from_json(&request_text(&request)?)
            .map_err(rihla_error)?;
        let check = self
            .inner
            .check_voucher(&request, &code)
            .map_err(rihla_error)?;
        js_sys::JSON::parse(&check.to_value().to_string())
    }

    /// May a member of `tier` use one more `code` now: `{code, tier, allowed, unlimited,
    /// quota, used, remaining, period, period_start, resets_at, reason?}` (instants as
    /// RFC 3339 strings; `quota`/`remaining` `null` when unlimited). The request:
    /// `{tier, code, used, now, period_anchor?}`, an object or its JSON text.
    #[wasm_bindgen(js_name = checkEntitlement, unchecked_return_type = "Record<string, any>")]
    pub fn check_entitlement(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = rihla_pricing::EntitlementRequest::from_json(&request_text(&request)?)
            .map_err(rihla_error)?;
        let check = self
            .inner
            .check_entitlement(&request)
            .map_err(rihla_error)?;
        js_sys::JSON::parse(&check.to_value().to_string())
    }

    /// The price of an upgrade for the rest of the current term: `{from, to, currency,
    /// from_price, to_price, price_difference, total_days, remaining_days,
    /// prorated_amount, instalments?}` (amounts as decimal strings). The request: `{from,
    /// to, currency?, subscription_start, subscription_end, now, instalments?}`.
    #[wasm_bindgen(js_name = upgradePrice, unchecked_return_type = "Record<string, any>")]
    pub fn upgrade_price(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = rihla_pricing::UpgradeRequest::from_json(&request_text(&request)?)
            .map_err(rihla_error)?;
        let quote = self.inner.upgrade_price(&request).map_err(rihla_error)?;
        js_sys::JSON::parse(&quote.to_value().to_string())
    }

    /// What a referred booking earns: `{eligible, currency, booking_amount,
    /// referrer_reward, referee_reward, affiliate_commission_percent,
    /// affiliate_commission, reason?}` (amounts as decimal strings). The request:
    /// `{booking_amount: {amount, currency}, referrer_id?, referee_id?}`.
    #[wasm_bindgen(js_name = referralRewards, unchecked_return_type = "Record<string, any>")]
    pub fn referral_rewards(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = rihla_pricing::ReferralRequest::from_json(&request_text(&request)?)
            .map_err(rihla_error)?;
        let outcome = self.inner.referral_rewards(&request).map_err(rihla_error)?;
        js_sys::JSON::parse(&outcome.to_value().to_string())
    }

    /// The flown schedule of a charter itinerary (the `jet` of a PRIVATE_JET item: an
    /// object or its JSON text) and its conflicts with the itinerary's `availability`
    /// calendar: `{available, legs, conflicts}` (instants as RFC 3339 strings, hours and
    /// distances as decimal strings). No price is computed. This build has no airport
    /// table: every code the legs use (and the aircraft's `home_base`/`position`) must be
    /// in the itinerary's `airports` (`{code, lat, lon, country}`), otherwise
    /// `AIRPORT_TABLE_UNAVAILABLE`.
    #[wasm_bindgen(js_name = charterAvailability, unchecked_return_type = "Record<string, any>")]
    pub fn charter_availability(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] itinerary: JsValue,
    ) -> Result<JsValue, JsValue> {
        let itinerary = rihla_pricing::jet::Itinerary::from_json(&args::json::document(
            &itinerary,
            "itinerary",
            MAX_REQUEST_BYTES,
        )?)
        .map_err(rihla_error)?;
        let report = self
            .inner
            .charter_availability(&itinerary)
            .map_err(rihla_error)?;
        js_sys::JSON::parse(&report.to_value().to_string())
    }

    /// The tier that `lifetimePoints` reach (`"GUEST"` … `"DIAMOND"`). `lifetimePoints`
    /// is a JS number holding a whole number from 0 to `Number.MAX_SAFE_INTEGER`;
    /// anything else throws `INVALID_REQUEST`.
    #[wasm_bindgen(js_name = tierForPoints)]
    pub fn tier_for_points(
        &self,
        #[wasm_bindgen(js_name = lifetimePoints, unchecked_param_type = "number")]
        lifetime_points: JsValue,
    ) -> Result<String, JsValue> {
        let points = args::whole(&lifetime_points, "lifetime_points", args::MAX_SAFE_INTEGER)?;
        Ok(self.inner.tier_for_points(points).code().to_owned())
    }
}

/// The JSON text of a request argument (an object or its text), at most
/// `rihla_pricing::limits::MAX_REQUEST_BYTES` (1 MiB), checked before it is copied.
fn request_text(request: &JsValue) -> Result<String, JsValue> {
    args::json::document(request, "request", MAX_REQUEST_BYTES)
}

/// Whether this build embeds rihla's airport table (`rihla-pricing`'s cargo feature
/// `airports`). The WASM package leaves it out to stay small, so this is `false`: a charter
/// itinerary must give the coordinates and country of every airport it uses in its
/// `airports` array.
#[wasm_bindgen(js_name = airportTableAvailable)]
pub fn airport_table_available() -> bool {
    rihla_pricing::jet::airport::table_available()
}

/// Splits `amount` (a decimal string) of `currency` over `weights` (decimal strings) by
/// the largest-remainder method on minor units; the parts, as decimal strings, sum exactly
/// to `amount`.
///
/// An amount or weight that is not a string is `INVALID_AMOUNT` (a JS number is never
/// money); `currency` not a string is `INVALID_REQUEST`; `weights` not an array is
/// `INVALID_WEIGHTS`; more than [`MAX_WEIGHTS`] weights, or a string longer than
/// [`args::MAX_TEXT_ARG_LENGTH`], is `LIMIT_EXCEEDED`, each before anything is copied.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn allocate(
    #[wasm_bindgen(unchecked_param_type = "string")] amount: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] currency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] weights: JsValue,
) -> Result<JsValue, JsValue> {
    let decimal_text = |what: String, value: &JsValue| {
        if value.is_string() {
            return args::text(value, &what);
        }
        Err(rihla_error(rihla_pricing::Error::from(
            CoreError::InvalidAmount {
                value: match value.as_f64() {
                    Some(n) => n.to_string().chars().take(64).collect(),
                    None => value.js_typeof().as_string().unwrap_or_default(),
                },
                reason: format!("{what} must be a decimal string such as \"10.00\""),
            },
        )))
    };
    let amount_text = decimal_text("amount".into(), &amount)?;
    let code = args::text(&currency, "currency")?;
    let Some(weights) = args::array(&weights, "weights", MAX_WEIGHTS)? else {
        return Err(rihla_error(rihla_pricing::Error::from(
            CoreError::InvalidWeights {
                reason: "weights must be an array of decimal strings".into(),
            },
        )));
    };
    let weights = weights
        .iter()
        .enumerate()
        .map(|(i, w)| decimal_text(format!("weights[{i}]"), &w))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = allocate_parts(&amount_text, &code, &weights).map_err(rihla_error)?;
    Ok(parts
        .into_iter()
        .map(JsValue::from)
        .collect::<js_sys::Array>()
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocate_parts_splits_by_largest_remainder() {
        assert_eq!(
            allocate_parts("10.00", "SAR", &["1", "1", "1"]).map_err(|e| e.code()),
            Ok(vec![
                "3.34".to_owned(),
                "3.33".to_owned(),
                "3.33".to_owned()
            ])
        );
        assert_eq!(
            allocate_parts("-1", "JPY", &["1", "1"]).map_err(|e| e.code()),
            Ok(vec!["-1".to_owned(), "0".to_owned()])
        );
    }

    #[test]
    fn allocate_parts_reports_codes() {
        let code = |r: Result<Vec<String>, rihla_pricing::Error>| r.map_err(|e| e.code());
        assert_eq!(
            code(allocate_parts("10.00", "XXQ", &["1"])),
            Err("UNKNOWN_CURRENCY")
        );
        assert_eq!(
            code(allocate_parts("10,00", "SAR", &["1"])),
            Err("INVALID_AMOUNT")
        );
        assert_eq!(
            code(allocate_parts("10.00", "SAR", &["1", "x"])),
            Err("INVALID_AMOUNT")
        );
        assert_eq!(
            code(allocate_parts("10.00", "SAR", &["1", "-1"])),
            Err("INVALID_WEIGHTS")
        );
    }
}
