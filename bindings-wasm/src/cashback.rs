//! The `CashbackRecord` class: `rihla-ledger`'s membership cashback state machine (PENDING
//! → APPROVED → CREDITED, or CANCELLED; CLAWED_BACK after a refund), each money move one
//! transfer of a [`Ledger`]. Conversion code only: every rule lives in
//! `rihla_ledger::cashback`.
//!
//! A host stores the record as JSON (`JSON.stringify(record)` through `toJSON`) and loads
//! it back with `CashbackRecord.fromObject`. Transfer ids derive from the record id, so a
//! credit retried from a stale copy is `EXISTS` at the ledger: the wallet is credited once.

use crate::args;
use crate::js_error;
use crate::ledger::{instant_arg, parse, to_js, LedgerArg};
use rihla_ledger::{BookCashback, CashbackClawback, CashbackError};
use wasm_bindgen::prelude::*;

/// One cashback: its status, amounts and history.
#[wasm_bindgen]
pub struct CashbackRecord {
    inner: rihla_ledger::CashbackRecord,
}

#[wasm_bindgen]
impl CashbackRecord {
    /// Books a cashback: a pending transfer (a hold) `source` → `wallet`, code CASHBACK.
    /// The request: `{id, reference?, wallet, source, amount, unit, at, hold_days}`.
    /// Returns `{record, outcome}`: the PENDING record (a `CashbackRecord`) and the hold's
    /// outcome (`{CREATED: {seq}}`, or `{EXISTS: {seq}}` for a retry). Throws
    /// `TIME_OUT_OF_RANGE` (`details.field` `"at"`, `at`, `days`) when `at` + `hold_days`
    /// falls after year 9999 (the hold could never end in RFC 3339).
    #[wasm_bindgen(
        unchecked_return_type = "{record: CashbackRecord, outcome: Record<string, any>}"
    )]
    pub fn book(
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let request: BookCashback = parse(&request, "request")?;
        let (record, outcome) = rihla_ledger::CashbackRecord::book(&mut *ledger.get()?, &request)
            .map_err(|e| cashback_error(&e))?;
        let out = js_sys::Object::new();
        js_sys::Reflect::set(
            &out,
            &"record".into(),
            &CashbackRecord { inner: record }.into(),
        )?;
        js_sys::Reflect::set(&out, &"outcome".into(), &to_js(&outcome)?)?;
        Ok(out.into())
    }

    /// Loads a record stored as JSON (what `toJSON` gives): an object or its text.
    #[wasm_bindgen(js_name = fromObject)]
    pub fn from_object(
        #[wasm_bindgen(unchecked_param_type = "object | string")] record: JsValue,
    ) -> Result<CashbackRecord, JsValue> {
        Ok(CashbackRecord {
            inner: parse(&record, "record")?,
        })
    }

    /// The record as a plain object, to store (`JSON.stringify(record)` calls it): `{id,
    /// reference, wallet, source, unit, amount, status, booked_at, completed_at?,
    /// hold_days, approved_by?, approved_at?, hold_overridden, credited, clawed_back, debt,
    /// history}`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "Record<string, any>")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner)
    }

    /// `PENDING`, `APPROVED`, `CREDITED`, `CANCELLED` or `CLAWED_BACK`.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> String {
        self.inner.status.name().to_owned()
    }

    /// When approval without an override becomes possible (completion + hold days, RFC
    /// 3339), or `undefined` before completion.
    #[wasm_bindgen(getter = eligibleAt)]
    pub fn eligible_at(&self) -> Option<String> {
        self.inner
            .eligible_at()
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }

    /// Records the booking's completion at `at` (an RFC 3339 string): the hold runs from
    /// it. No ledger effect. Throws `TIME_OUT_OF_RANGE` (`details.field` `"at"`) when the
    /// hold would end after year 9999.
    pub fn complete(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] at: JsValue,
    ) -> Result<(), JsValue> {
        let at = instant_arg(&at, "at")?;
        self.inner.complete(at).map_err(|e| cashback_error(&e))
    }

    /// Approves (PENDING → APPROVED) once the hold is over at `now`, or at any time with
    /// `overrideHold` and a non-blank `actor` (at most 128 characters: `TOO_LONG` with
    /// `details.field`, `length`, `limit` past it). No ledger effect.
    pub fn approve(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] now: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] actor: JsValue,
        #[wasm_bindgen(js_name = overrideHold, unchecked_optional_param_type = "boolean")]
        override_hold: JsValue,
    ) -> Result<(), JsValue> {
        let now = instant_arg(&now, "now")?;
        let actor = text_arg(&actor, "actor")?;
        let override_hold = args::optional_bool(&override_hold, "overrideHold")?.unwrap_or(false);
        self.inner
            .approve(now, &actor, override_hold)
            .map_err(|e| cashback_error(&e))
    }

    /// Credits (APPROVED → CREDITED): posts the hold into the wallet. Returns the post's
    /// outcome.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn credit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let now = instant_arg(&now, "now")?;
        let outcome = self
            .inner
            .credit(&mut *ledger.get()?, now)
            .map_err(|e| cashback_error(&e))?;
        to_js(&outcome)
    }

    /// Cancels before credit (PENDING/APPROVED → CANCELLED): voids the hold. Returns the
    /// void's outcome. `actor` and `reason` are at most 128 characters each (`TOO_LONG`).
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn cancel(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] actor: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] reason: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let now = instant_arg(&now, "now")?;
        let actor = text_arg(&actor, "actor")?;
        let reason = text_arg(&reason, "reason")?;
        let outcome = self
            .inner
            .cancel(&mut *ledger.get()?, now, &actor, &reason)
            .map_err(|e| cashback_error(&e))?;
        to_js(&outcome)
    }

    /// Claws back credited cashback (CREDITED → CLAWED_BACK) after a refund: REVERSAL from
    /// the wallet, what it lacks as an ADJUSTMENT on `debt_account`. The request: `{at,
    /// amount, unit, debt_account, actor?, reason?}` (`actor` and `reason` at most 128
    /// characters each: `TOO_LONG`). Returns `{unit, requested, applied,
    /// from_wallet, debt, reversal_transfer, debt_transfer, outcomes}`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn clawback(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let request: CashbackClawback = parse(&request, "request")?;
        let report = self
            .inner
            .clawback(&mut *ledger.get()?, &request)
            .map_err(|e| cashback_error(&e))?;
        to_js(&report)
    }
}

/// A text argument (an actor, a reason): a string of at most
/// [`args::MAX_TEXT_ARG_LENGTH`] (what is copied); `undefined` or `null` is empty. The
/// crate's own limit then decides (`rihla_ledger::cashback::MAX_ACTOR_CHARS`,
/// `MAX_REASON_CHARS`: 128 characters, `TOO_LONG`).
fn text_arg(value: &JsValue, what: &str) -> Result<String, JsValue> {
    Ok(args::optional_text(value, what)?.unwrap_or_default())
}

fn cashback_error(e: &CashbackError) -> JsValue {
    js_error(e.code(), &e.to_string(), &e.to_value())
}
