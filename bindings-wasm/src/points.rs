//! The `PointsBook` class: `rihla-ledger`'s loyalty points lots (earn with an expiry,
//! redeem soonest-expiring first, expiry sweeps, clawbacks on refunds), each operation one
//! transfer of a [`Ledger`]. Conversion code only: every rule lives in
//! `rihla_ledger::points`.
//!
//! The book holds state across calls, like the ledger it drives; a host stores it as JSON
//! (`JSON.stringify(book)` through `toJSON`) and loads it back with `PointsBook.fromObject`.

use crate::args::{self, invalid_request};
use crate::js_error;
use crate::ledger::{id_arg, instant_arg, parse, to_js, LedgerArg};
use rihla_ledger::{ClawbackRequest, EarnRequest, PointsError, RedeemRequest, Unit};
use wasm_bindgen::prelude::*;

/// The lots, redemptions and clawbacks of the points accounts of one points unit.
#[wasm_bindgen]
pub struct PointsBook {
    inner: rihla_ledger::PointsBook,
}

#[wasm_bindgen]
impl PointsBook {
    /// An empty book of `unit`: `"POINTS"` (whole points) or `"POINTS:n"` (n decimal
    /// places, at most 6).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] unit: JsValue,
    ) -> Result<PointsBook, JsValue> {
        if !unit.is_string() {
            return Err(invalid_request(
                "unit",
                format!(
                    "a unit is a string such as \"POINTS\", not {}",
                    args::kind(&unit)
                ),
            ));
        }
        let text = args::text(&unit, "unit")?;
        let unit = Unit::parse(&text).map_err(|reason| invalid_request("unit", reason))?;
        Ok(PointsBook {
            inner: rihla_ledger::PointsBook::new(unit),
        })
    }

    /// Loads a book stored as JSON (`{unit, lots, redemptions, clawbacks}`, what `toJSON`
    /// gives): an object or its text. Every lot's invariant is checked.
    #[wasm_bindgen(js_name = fromObject)]
    pub fn from_object(
        #[wasm_bindgen(unchecked_param_type = "object | string")] book: JsValue,
    ) -> Result<PointsBook, JsValue> {
        Ok(PointsBook {
            inner: parse(&book, "book")?,
        })
    }

    /// The book as a plain object, to store (`JSON.stringify(book)` calls it).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "Record<string, any>")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner)
    }

    /// The book's unit (`"POINTS"`, `"POINTS:2"` …).
    #[wasm_bindgen(getter)]
    pub fn unit(&self) -> String {
        self.inner.unit().to_string()
    }

    /// Earns points: one EARN transfer `from` → `to` (id: the request's, which is also the
    /// lot's), then the lot. The request: `{id, from, to, amount, unit, at, expires_at?,
    /// reference?}` (default expiry: 365 days of 24 hours after `at`). Returns `{lot,
    /// outcome}` (`outcome`: `{status: "CREATED", seq}`, or `{status: "EXISTS", seq}` for a
    /// retry).
    ///
    /// Throws the points codes (`UNIT_MISMATCH`, `EXPIRY_NOT_AFTER_EARN`,
    /// `LOT_EXISTS_WITH_DIFFERENT_FIELD`, `TIME_OUT_OF_RANGE` when there is no `expires_at`
    /// and the default one would fall after year 9999 …) or the ledger's
    /// (`details.refused_by === "ledger"`); nothing changes then.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn earn(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let request: EarnRequest = parse(&request, "request")?;
        let report = self
            .inner
            .earn(&mut *ledger.get()?, &request)
            .map_err(|e| points_error(&e))?;
        to_js(&report)
    }

    /// Redeems points from the account's lots available at `at`, soonest-expiring first:
    /// one REDEEM transfer `account` → `to`. The request: `{id, account, to, amount, unit,
    /// at, reference?}`. Returns `{redemption, outcome}` (`redemption.consumed`: what each
    /// lot gave).
    ///
    /// Throws `INSUFFICIENT_POINTS` (`details.available`, `details.amount`, minor units),
    /// `REDEMPTION_EXISTS_WITH_DIFFERENT_FIELD`, `UNIT_MISMATCH` or the ledger's codes.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn redeem(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let request: RedeemRequest = parse(&request, "request")?;
        let report = self
            .inner
            .redeem(&mut *ledger.get()?, &request)
            .map_err(|e| points_error(&e))?;
        to_js(&report)
    }

    /// Expires, at `now` (an RFC 3339 string), every lot with points left whose
    /// `expires_at <= now`: one EXPIRE transfer each, dated at the lot's `expires_at`.
    /// Returns `{now, expired: [{lot, account, unit, amount, transfer_id, outcome}],
    /// failed: [{lot, account, error}]}`; a second sweep at the same instant expires
    /// nothing.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn expire(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let now = instant_arg(&now, "now")?;
        let report = self.inner.expire(&mut *ledger.get()?, now);
        to_js(&report)
    }

    /// Claws back the points a refunded booking earned: `floor(lot amount × refunded ÷
    /// paid)`, from the lot while it holds them, the rest recorded as a debt on
    /// `debt_account`. The request: `{id, lot, refunded, paid, at, debt_account,
    /// reference?, from_other_lots?}` (`refunded`, `paid`: decimal strings). Returns
    /// `{clawback, outcomes}`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn clawback(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let request: ClawbackRequest = parse(&request, "request")?;
        let report = self
            .inner
            .clawback(&mut *ledger.get()?, &request)
            .map_err(|e| points_error(&e))?;
        to_js(&report)
    }

    /// The lots: every lot in id order, or with `account` that account's lots in
    /// redemption order (expires_at, earned_at, id). Amounts are decimal strings at the
    /// unit's scale.
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, any>>")]
    pub fn lots(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] account: JsValue,
    ) -> Result<JsValue, JsValue> {
        if account.is_undefined() || account.is_null() {
            let lots: Vec<_> = self.inner.lots().collect();
            return to_js(&lots);
        }
        to_js(&self.inner.lots_of(id_arg(&account, "account")?))
    }

    /// Points of `account` available at `at` (lots with `earned_at <= at < expires_at`),
    /// a decimal string at the unit's scale.
    pub fn available(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] account: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] at: JsValue,
    ) -> Result<String, JsValue> {
        let account = id_arg(&account, "account")?;
        let at = instant_arg(&at, "at")?;
        Ok(self.points(self.inner.available(account, at)))
    }

    /// Points left in `account`'s lots (expired but not yet swept included), a decimal
    /// string: the ledger's posted balance of the account when the book alone moves its
    /// points.
    pub fn balance(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] account: JsValue,
    ) -> Result<String, JsValue> {
        let account = id_arg(&account, "account")?;
        Ok(self.points(self.inner.balance(account)))
    }

    /// What `account` owes from clawbacks of points it had spent, a decimal string.
    #[wasm_bindgen(js_name = debtOf)]
    pub fn debt_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] account: JsValue,
    ) -> Result<String, JsValue> {
        let account = id_arg(&account, "account")?;
        Ok(self.points(self.inner.debt_of(account)))
    }
}

impl PointsBook {
    fn points(&self, minor: u128) -> String {
        rihla_ledger::amount::to_decimal(self.inner.unit(), minor).to_string()
    }
}

fn points_error(e: &PointsError) -> JsValue {
    js_error(e.code(), &e.to_string(), &e.to_value())
}
