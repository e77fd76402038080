//! The `Refunds` and `WebhookInbox` classes and `webhookTransferId`: `rihla-ledger`'s refund
//! registry (`rihla_ledger::Refunds`: Σ refunds of a payment never more than it) and its
//! payment-webhook reducer (`rihla_ledger::WebhookInbox`: one effect per provider event,
//! whatever the duplicates and the order), each driving a [`Ledger`]. Conversion code only:
//! every rule lives in `rihla_ledger::refund` and `rihla_ledger::webhook`.
//!
//! Requests cross as JSON text (`JSON.stringify` of the object, or the text itself) read by
//! the ledger's strict serde forms: ids are strings (decimal digits or a UUID), amounts
//! decimal strings at the unit's scale, instants RFC 3339 strings. Results come back through
//! `JSON.parse` of the crate's JSON: ids as strings, the amounts of receipts and payment
//! states in **minor units as digit strings** (`"25000"` for SAR 250.00), journal `seq` as
//! numbers. Refusals throw a `RihlaError` whose `details` is the crate's error JSON with
//! `code` and `message`.
//!
//! Both classes hold state in memory only (the crate gives neither a stored form the WASM
//! package could load back): keep one of each per `Ledger`, for as long as it lives.

use crate::args;
use crate::ledger::{coded, id_arg, parse, parse_list, to_js, LedgerArg};
use rihla_ledger::{
    Id, PaymentEvent, PaymentRegistration, ReceiptList, RefundError, RefundOrder, WebhookError,
};
use wasm_bindgen::prelude::*;

/// The refunds of payments: each a `REFUND` transfer back to the payer (the payment's
/// credit account debited, its debit account credited), Σ refunds of a payment never more
/// than it. Keep one registry per ledger.
#[wasm_bindgen]
pub struct Refunds {
    inner: rihla_ledger::Refunds,
}

impl Default for Refunds {
    fn default() -> Self {
        Refunds::new()
    }
}

#[wasm_bindgen]
impl Refunds {
    /// An empty registry.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Refunds {
        Refunds {
            inner: rihla_ledger::Refunds::new(),
        }
    }

    /// A registry from stored receipts (what `receipts()` gave: an array or its JSON
    /// text), in that order — how a host that keeps receipts rebuilds the bound Σ refunds
    /// ≤ payment. Throws `INVALID_REQUEST` / `INVALID_JSON` naming the field of a malformed
    /// receipt, `LIMIT_EXCEEDED` (`details.field` `"receipts"`, `limit`, `actual`) past
    /// 1,048,576 receipts (`rihla_ledger::limits::MAX_REFUND_RECEIPTS`).
    #[wasm_bindgen(js_name = fromReceipts)]
    pub fn from_receipts(
        #[wasm_bindgen(unchecked_param_type = "object[] | string")] receipts: JsValue,
    ) -> Result<Refunds, JsValue> {
        let ReceiptList(list) = parse_list(
            &receipts,
            "receipts",
            rihla_ledger::limits::MAX_REFUND_RECEIPTS,
        )?;
        Ok(Refunds {
            inner: rihla_ledger::Refunds::from_receipts(list),
        })
    }

    /// Refunds part or all of a payment with one `REFUND` transfer of the payment's unit.
    /// The request (an object or its JSON text): `{id, payment_id, amount, at,
    /// reference?}`; `id` is the refund transfer's id and the idempotency key, `amount` a
    /// decimal string at the payment's unit (`"250.00"`, more than 0).
    ///
    /// Returns the receipt `{refund_id, payment_id, unit, amount, paid, refunded,
    /// reference, outcome}`: `amount` (this refund), `paid` (what the payment moved) and
    /// `refunded` (Σ refunds including this one, ≤ `paid`) in minor units as digit
    /// strings; `outcome` `{status: "CREATED", seq}`, or for a retry of the same request
    /// the first receipt with `{status: "EXISTS", seq}` (nothing changes).
    ///
    /// Throws, checked in this order: `ID_REUSED` (`details.field`: `payment_id`,
    /// `amount`, `reference`), `PAYMENT_NOT_FOUND`, `NOT_A_PAYMENT`, `PAYMENT_NOT_POSTED`,
    /// `PAYMENT_REVERSED`, `EXCEEDS_PAYMENT` (`details.paid`, `details.refunded`,
    /// `details.requested`: minor units), `LEDGER_REFUSED` (`details.error`: the ledger's,
    /// e.g. `EXCEEDS_CREDITS`; that refund id then stays failed); `INVALID_AMOUNT`
    /// (`details.field === "amount"`: not a decimal string, 0, negative or finer than the
    /// unit), `INVALID_REQUEST` / `INVALID_JSON` with the field. Nothing changes then.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn refund(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let order: RefundOrder = parse(&request, "request")?;
        let receipt = self
            .inner
            .refund_order(&mut *ledger.get()?, &order)
            .map_err(|e| refund_error(&e))?;
        to_js(&receipt)
    }

    /// The receipt of refund `refundId` (an id string) as first made (`outcome`
    /// `CREATED`), or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any> | undefined")]
    pub fn get(
        &self,
        #[wasm_bindgen(js_name = refundId, unchecked_param_type = "string")] refund_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        match self.inner.get(id_arg(&refund_id, "refundId")?) {
            Some(receipt) => to_js(receipt),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Every receipt, as `refund` first gave it: a payment's refunds in the order made,
    /// payments in no particular order.
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, any>>")]
    pub fn receipts(&self) -> Result<JsValue, JsValue> {
        let all: Vec<_> = self.inner.receipts().collect();
        to_js(&all)
    }

    /// The refund ids of payment `paymentId` (an id string), in the order made (empty when
    /// it has none).
    #[wasm_bindgen(js_name = refundsOf, unchecked_return_type = "string[]")]
    pub fn refunds_of(
        &self,
        #[wasm_bindgen(js_name = paymentId, unchecked_param_type = "string")] payment_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ids: Vec<String> = self
            .inner
            .refunds_of(id_arg(&payment_id, "paymentId")?)
            .iter()
            .map(Id::to_string)
            .collect();
        to_js(&ids)
    }
}

/// The payment-webhook reducer: the provider events seen, the payments registered, the
/// events deferred and the refunds made by `REFUNDED` events. One effect per `(provider,
/// event_id)`, whatever the duplicates and the order; the ledger transfer ids derive from
/// the key (`webhookTransferId`), so even a lost inbox cannot credit twice. Keep one inbox
/// per ledger. An inbox records at most 1,048,576 event keys
/// (`rihla_ledger::webhook::MAX_SEEN_EVENTS`): a long-lived host keeps its deduplication
/// keys in its own database and builds an inbox per payment (see `receive`).
///
/// Outcomes (`{outcome: …}`): `{outcome: "APPLIED", transfers: [{transfer_id, outcome:
/// {status, seq}}], status}` (`status`: the payment's after the event: `REGISTERED`,
/// `AUTHORIZED`, `CAPTURED`, `FAILED`), `{outcome: "DUPLICATE", first}` (the first
/// delivery's outcome as it stands now), `{outcome: "DEFERRED", reason:
/// "UNKNOWN_PAYMENT" | "NOT_CAPTURED"}`, `{outcome: "IGNORED", reason:
/// "ALREADY_AUTHORIZED" | "ALREADY_CAPTURED" | "ALREADY_FAILED" | "PAYMENT_FAILED"}`.
///
/// A re-driven deferred event: `{provider, event_id, outcome}` when it left the queue, or
/// `{provider, event_id, error: {code, message, …}, deferred}` when an error refused it
/// (`deferred`: whether it stays in the queue).
#[wasm_bindgen]
pub struct WebhookInbox {
    inner: rihla_ledger::WebhookInbox,
}

impl Default for WebhookInbox {
    fn default() -> Self {
        WebhookInbox::new()
    }
}

#[wasm_bindgen]
impl WebhookInbox {
    /// An empty inbox.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WebhookInbox {
        WebhookInbox {
            inner: rihla_ledger::WebhookInbox::new(),
        }
    }

    /// The inbox's state as JSON text (`rihla_ledger::webhook_snapshot::InboxSnapshot`):
    /// payments, events seen with their outcomes, deferred events, refunds.
    /// `WebhookInbox.fromSnapshot` rebuilds it.
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&self.inner.snapshot()).unwrap_or_default()
    }

    /// The inbox a snapshot (JSON text, at most the journal's byte limit) describes.
    /// Throws `INVALID_JSON`, `INVALID_REQUEST`, `UNKNOWN_FORMAT`, `LIMIT_EXCEEDED`,
    /// `INCONSISTENT_SNAPSHOT` (a state the inbox never holds).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(
        #[wasm_bindgen(unchecked_param_type = "string")] snapshot: JsValue,
    ) -> Result<WebhookInbox, JsValue> {
        let max = crate::ledger::MAX_WASM_JOURNAL_BYTES;
        let text = args::json::text_document(&snapshot, "snapshot", max)?;
        let parsed: rihla_ledger::webhook_snapshot::InboxSnapshot = serde_json::from_str(&text)
            .map_err(|e| {
                let code = if e.is_syntax() || e.is_eof() {
                    "INVALID_JSON"
                } else {
                    "INVALID_REQUEST"
                };
                let details = serde_json::json!({ "field": "snapshot", "reason": e.to_string() });
                coded(code, &format!("snapshot: {e}"), Ok(details))
            })?;
        let inner = rihla_ledger::WebhookInbox::restore(&parsed)
            .map_err(|e| coded(e.code(), &e.to_string(), serde_json::to_value(&e)))?;
        Ok(WebhookInbox { inner })
    }

    /// Registers a payment the host expects (before or after its events arrive), then
    /// re-drives its deferred events; registering the same payment again changes nothing
    /// (it re-drives). The registration (an object or its JSON text): `{provider,
    /// payment_ref, unit, amount, clearing_account_id, credit_account_id, reference?}`;
    /// `amount` a decimal string at the unit's scale (the most one event may authorize,
    /// capture or refund); the capture debits `clearing_account_id` and credits
    /// `credit_account_id` (a wallet, a booking's receivable).
    ///
    /// Returns the re-driven events (see the class).
    ///
    /// Throws `INVALID_FIELD` (`details.field`, `details.reason`: `EMPTY`, `TOO_LONG`,
    /// `SAME_ACCOUNT`), `AMOUNT_MUST_NOT_BE_ZERO`, `AMOUNT_EXCEEDS_PAYMENT`,
    /// `ACCOUNT_NOT_FOUND`, `UNIT_MISMATCH`, `PAYMENT_EXISTS` (`details.field`: registered
    /// with another body), `INVALID_AMOUNT` / `INVALID_REQUEST` / `INVALID_JSON` with the
    /// field. Nothing changes then.
    #[wasm_bindgen(js_name = registerPayment, unchecked_return_type = "Array<Record<string, any>>")]
    pub fn register_payment(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] registration: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let registration: PaymentRegistration = parse(&registration, "registration")?;
        let list = self
            .inner
            .register_payment(&mut *ledger.get()?, &registration)
            .map_err(|e| webhook_error(&e))?;
        to_js(&list)
    }

    /// Receives one provider event (an object or its JSON text): `{provider, event_id,
    /// payment_ref, kind: "AUTHORIZED" | "CAPTURED" | "FAILED" | "REFUNDED", amount?,
    /// unit, at}`; `amount` a decimal string at the unit's scale (absent for `FAILED`).
    /// A key seen before is a `DUPLICATE` (nothing changes); an event for a payment not
    /// registered is `DEFERRED`, not dropped.
    ///
    /// Returns `{outcome, redriven}`: the event's outcome and the deferred events of the
    /// same payment it unblocked (see the class).
    ///
    /// Throws `INVALID_FIELD`, `EVENT_ID_REUSED` (`details.field`: the key seen with
    /// another `payment_ref`, `kind`, `amount` or `unit`), `UNIT_MISMATCH`,
    /// `AMOUNT_MUST_NOT_BE_ZERO`, `AMOUNT_EXCEEDS_PAYMENT`, `REFUND_REFUSED`
    /// (`details.error`: the registry's, e.g. `EXCEEDS_PAYMENT`), `LEDGER_REFUSED`,
    /// `ATTEMPTS_EXHAUSTED`, `LIMIT_EXCEEDED` (`details.field` `"deferred"`: 100,000
    /// events wait already; `"seen_events"`: the event is new and the inbox holds its
    /// 1,048,576 keys — a duplicate is still answered), `INVALID_AMOUNT` /
    /// `INVALID_REQUEST` / `INVALID_JSON` with the field. Nothing is recorded then: the
    /// same event may be delivered again.
    #[wasm_bindgen(
        unchecked_return_type = "{outcome: Record<string, any>, redriven: Array<Record<string, any>>}"
    )]
    pub fn receive(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] event: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let event: PaymentEvent = parse(&event, "event")?;
        let delivery = self
            .inner
            .receive(&mut *ledger.get()?, &event)
            .map_err(|e| webhook_error(&e))?;
        to_js(&delivery)
    }

    /// Re-drives the deferred events of every registered payment (payments in order of
    /// `(provider, payment_ref)`): what an error kept deferred applies once its cause is
    /// gone. Returns the re-driven events (see the class); never throws.
    #[wasm_bindgen(js_name = retryDeferred, unchecked_return_type = "Array<Record<string, any>>")]
    pub fn retry_deferred(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ledger = LedgerArg::from_js(&ledger, "ledger")?;
        let redriven = self.inner.retry_deferred(&mut *ledger.get()?);
        to_js(&redriven)
    }

    /// The registered payment `(provider, paymentRef)` and where it stands, or
    /// `undefined`: `{registration, status, hold: {transfer_id, amount, open} | null,
    /// capture_id, captured, refunded}` (`registration.amount` a decimal string; `hold.amount`,
    /// `captured` and `refunded` minor units as digit strings).
    #[wasm_bindgen(unchecked_return_type = "Record<string, any> | undefined")]
    pub fn payment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] provider: JsValue,
        #[wasm_bindgen(js_name = paymentRef, unchecked_param_type = "string")] payment_ref: JsValue,
    ) -> Result<JsValue, JsValue> {
        let provider = key_arg(&provider, "provider")?;
        let payment_ref = key_arg(&payment_ref, "paymentRef")?;
        match self.inner.payment(&provider, &payment_ref) {
            Some(state) => to_js(state),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The outcome of event `(provider, eventId)` as it stands (a deferred event shows
    /// `APPLIED` once re-driven), or `undefined` when it was not seen.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any> | undefined")]
    pub fn outcome(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] provider: JsValue,
        #[wasm_bindgen(js_name = eventId, unchecked_param_type = "string")] event_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let provider = key_arg(&provider, "provider")?;
        let event_id = key_arg(&event_id, "eventId")?;
        match self.inner.outcome(&provider, &event_id) {
            Some(outcome) => to_js(outcome),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The deferred events, as `receive` takes them (payments in no particular order, each
    /// payment's in arrival order).
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, any>>")]
    pub fn deferred(&self) -> Result<JsValue, JsValue> {
        let events: Vec<_> = self.inner.deferred().collect();
        to_js(&events)
    }

    /// The receipts of the refunds made by `REFUNDED` events (as `Refunds.refund` gives
    /// them; `payment_id` is the capture transfer).
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, any>>")]
    pub fn refunds(&self) -> Result<JsValue, JsValue> {
        let receipts: Vec<_> = self.inner.refunds().receipts().collect();
        to_js(&receipts)
    }

    /// How many event keys `(provider, event_id)` were seen.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.seen_len()
    }
}

/// The ledger id (a string of decimal digits) of transfer `leg` of the effect of event
/// `(provider, eventId)` at `attempt`: the first 16 bytes, read big-endian, of
/// SHA-256(`"rihla-webhook"` ‖ 0x00 ‖ len(provider) u32 BE ‖ provider ‖ len(eventId) u32
/// BE ‖ eventId ‖ leg u8 ‖ attempt u32 BE when > 0), strings as UTF-8. `leg` (default 0)
/// is a whole number from 0 to 255, `attempt` (default 0) from 0 to 4294967295; otherwise
/// `INVALID_REQUEST`, as for a `provider` or `eventId` that is not a string.
#[wasm_bindgen(js_name = webhookTransferId)]
pub fn webhook_transfer_id(
    #[wasm_bindgen(unchecked_param_type = "string")] provider: JsValue,
    #[wasm_bindgen(js_name = eventId, unchecked_param_type = "string")] event_id: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] leg: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] attempt: JsValue,
) -> Result<String, JsValue> {
    let provider = key_arg(&provider, "provider")?;
    let event_id = key_arg(&event_id, "eventId")?;
    let leg = args::optional_whole(&leg, "leg", u8::MAX.into())?.unwrap_or(0);
    let attempt = args::optional_whole(&attempt, "attempt", u32::MAX.into())?.unwrap_or(0);
    // Within the bounds just checked.
    let (leg, attempt) = (
        u8::try_from(leg).unwrap_or(u8::MAX),
        u32::try_from(attempt).unwrap_or(u32::MAX),
    );
    Ok(rihla_ledger::webhook_transfer_id(&provider, &event_id, leg, attempt).to_string())
}

/// A string argument (provider, payment or event reference) of at most
/// [`args::MAX_TEXT_ARG_LENGTH`] (the crate then allows 128 characters).
fn key_arg(value: &JsValue, what: &str) -> Result<String, JsValue> {
    args::text(value, what)
}

fn webhook_error(e: &WebhookError) -> JsValue {
    coded(e.code(), &e.to_string(), serde_json::to_value(e))
}

fn refund_error(e: &RefundError) -> JsValue {
    coded(e.code(), &e.to_string(), serde_json::to_value(e))
}
