//! Payment webhooks (issue 6): a pure reducer from a payment provider's events to ledger
//! transfers, where duplicates and reordering produce exactly one effect per event (peers
//! credited twice on duplicate webhooks).
//!
//! The [`WebhookInbox`] holds, next to the [`Ledger`]:
//!
//! - the `(provider, event_id)` keys seen, each with the event and its outcome. A key is
//!   recorded in the same call as the event's effect, and only when the effect happened
//!   (applied, deferred or deliberately ignored): when the ledger refuses, nothing is
//!   recorded and the event can be delivered again;
//! - the payments registered by the host ([`PaymentRegistration`]: the expected amount, the
//!   provider's clearing account debited and the account credited — a wallet for a top-up,
//!   a booking's receivable), each with its [`PaymentState`];
//! - the events deferred: events for a payment not registered yet (re-driven by
//!   [`WebhookInbox::register_payment`]) and refunds of a payment not captured yet
//!   (re-driven when the capture is applied), kept per payment. An event leaves the queue
//!   once it is decided: applied or ignored, or refused for good ([`WebhookError::is_final`]:
//!   a refund past the capture, an amount or unit the payment cannot take …), in which
//!   case its key is forgotten, as for an event refused on delivery (a later delivery is
//!   decided again, and refused again). An event the ledger refused stays (the ledger's
//!   state may change; each retry uses the next attempt's ids, at most
//!   [`MAX_ATTEMPTS`]). At most [`MAX_DEFERRED`] events wait; past it an event that would
//!   wait is refused (`LIMIT_EXCEEDED`, nothing recorded).
//!
//! A delivery costs the events of its own payment: an applied event re-drives only its
//! payment's queue.
//!
//! **The keys seen are bounded too**: an inbox records at most [`MAX_SEEN_EVENTS`] event
//! keys (every event it decided, forever: that is how it answers a duplicate). Past it, a
//! *new* event is refused with `LIMIT_EXCEEDED` (field `seen_events`; nothing recorded,
//! nothing applied), while an event already seen is still answered as a duplicate. An
//! inbox is state kept in memory next to its ledger, for a host that receives a bounded
//! stream of events (a test, a batch job, one payment's events). A long-lived host does
//! not keep one inbox forever: it keeps its deduplication keys in its own database — the
//! event's transfers are idempotent by their ids ([`webhook_transfer_id`] of `(provider,
//! event_id)`), which the ledger (or the host's ledger tables) answers `EXISTS` for —, and
//! builds an inbox per payment when an event arrives: registers the payment, delivers
//! that payment's stored events and the new one, and stores what it decided.
//!
//! Effects of each event kind on a registered payment (clearing → credited account):
//!
//! | event | state | effect |
//! |---|---|---|
//! | `AUTHORIZED` | registered | a pending `PAYMENT` transfer (a hold) of the amount |
//! | `AUTHORIZED` | authorized, captured or failed | ignored (`ALREADY_AUTHORIZED`, `ALREADY_CAPTURED`, `PAYMENT_FAILED`) |
//! | `CAPTURED` | hold open, amount ≤ hold | post of the hold (the rest released) |
//! | `CAPTURED` | hold open, amount > hold | void of the hold and a single-phase `PAYMENT`, linked |
//! | `CAPTURED` | no open hold (registered, failed) | a single-phase `PAYMENT` |
//! | `CAPTURED` | captured | ignored (`ALREADY_CAPTURED`) |
//! | `FAILED` | hold open | void of the hold |
//! | `FAILED` | registered | no transfer; the payment is failed |
//! | `FAILED` | captured or failed | ignored (`ALREADY_CAPTURED`, `ALREADY_FAILED`) |
//! | `REFUNDED` | captured | a `REFUND` through the inbox's [`Refunds`] registry (Σ refunds ≤ the capture) |
//! | `REFUNDED` | not captured | deferred (`NOT_CAPTURED`) until the capture |
//!
//! With these rules any order of the same set of events, each delivered any number of
//! times, leaves the same balances as the events once in order, for a payment's usual event
//! sets (an authorization, one capture, refunds; or an authorization and a failure, with or
//! without a later capture). Two captures of one payment keep the first.
//!
//! Ledger transfer ids are derived from `(provider, event_id)` ([`webhook_transfer_id`]), so
//! even an inbox whose state was lost cannot credit twice: the ledger answers `EXISTS` or
//! `EXISTS_WITH_DIFFERENT_*`. When the ledger refused an event's transfer for a sticky reason
//! (its id then stays failed), a later delivery uses the next attempt's ids.

use crate::amount::{to_decimal, to_units, units_string, MAX_AMOUNT};
use crate::refund::{RefundError, RefundRequest, Refunds};
use crate::reversal::{apply_chain, derive_id, link, slot, Slot, MAX_ATTEMPTS};
use crate::{Code, Id, Ledger, Outcome, Transfer, TransferError, TransferFlags, Unit};
use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Longest provider name, event id, payment reference and registration reference,
/// characters.
pub const MAX_KEY_CHARS: usize = 128;

/// Most events deferred at once, over all payments: 100,000. An event waits for its
/// payment's registration or capture — seconds or minutes for a host that registers its
/// payments as it creates them —, so a full queue means events that will never be
/// decided. A deferred event is held twice (the queue and the seen keys), 112 bytes and
/// its three keys each time: some 500 bytes with keys of ordinary length, about 50 MB for a
/// full queue (at most 330 MB, with every key 128 four-byte characters).
pub const MAX_DEFERRED: usize = 100_000;

/// Most event keys an inbox records ([`WebhookInbox::seen_len`]): 2²⁰ = 1,048,576. A key
/// seen is kept with its event and outcome: some 600 bytes on a 64-bit host with keys of
/// ordinary length (a 192-byte slot of the table, up to two slots a key, five short
/// strings and the outcome's transfers): about 640 MB for a full inbox, more with long
/// keys. Past it a new event is refused
/// ([`WebhookError::LimitExceeded`], field `seen_events`); see the [module
/// docs](crate::webhook) for how a long-lived host keeps its keys instead.
pub const MAX_SEEN_EVENTS: usize = 1 << 20;

/// What a provider's event says happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentEventKind {
    /// The amount is authorized (held at the payer's bank), not yet captured.
    Authorized,
    /// The amount is captured (the money is the platform's, at the provider).
    Captured,
    /// The payment failed (an open authorization is released).
    Failed,
    /// The amount was refunded to the payer (one refund; a payment may have several).
    Refunded,
}

/// A payment provider's event, as the host parsed it from a webhook.
///
/// ```json
/// {"provider": "moyasar", "event_id": "evt_01", "payment_ref": "pay_77", "kind": "CAPTURED",
///  "amount": "1000.00", "unit": "SAR", "at": "2026-11-22T09:00:00Z"}
/// ```
///
/// `amount` is a decimal string at the unit's scale (absent = 0, for `FAILED`). The body
/// (`payment_ref`, `kind`, `amount`, `unit`) identifies the event with its key; `at` does
/// not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EventWire", into = "EventWire")]
pub struct PaymentEvent {
    /// The provider (`moyasar`, `hyperpay` …; 1 to 128 characters).
    pub provider: String,
    /// The provider's event id, unique per provider (1 to 128 characters).
    pub event_id: String,
    /// The provider's payment id (1 to 128 characters).
    pub payment_ref: String,
    /// What happened.
    pub kind: PaymentEventKind,
    /// The amount, minor units of `unit` (> 0 but for `FAILED`, ≤ the registered amount).
    pub amount: u128,
    /// The payment's unit.
    pub unit: Unit,
    /// When the provider says it happened (UTC): the `at` of the transfers made.
    pub at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventWire {
    provider: String,
    event_id: String,
    payment_ref: String,
    kind: PaymentEventKind,
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    amount: Option<Decimal>,
    unit: Unit,
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
}

impl TryFrom<EventWire> for PaymentEvent {
    type Error = String;
    fn try_from(w: EventWire) -> Result<Self, String> {
        let amount = match w.amount {
            None => 0,
            Some(a) => to_units(w.unit, a, "amount", true)?,
        };
        Ok(PaymentEvent {
            provider: w.provider,
            event_id: w.event_id,
            payment_ref: w.payment_ref,
            kind: w.kind,
            amount,
            unit: w.unit,
            at: w.at,
        })
    }
}

impl From<PaymentEvent> for EventWire {
    fn from(e: PaymentEvent) -> Self {
        EventWire {
            provider: e.provider,
            event_id: e.event_id,
            payment_ref: e.payment_ref,
            kind: e.kind,
            amount: (e.amount > 0).then(|| to_decimal(e.unit, e.amount)),
            unit: e.unit,
            at: e.at,
        }
    }
}

/// A payment the host expects, registered before or after its events arrive.
///
/// ```json
/// {"provider": "moyasar", "payment_ref": "pay_77", "unit": "SAR", "amount": "1000.00",
///  "clearing_account_id": "1", "credit_account_id": "1001", "reference": "TOPUP-77"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RegistrationWire", into = "RegistrationWire")]
pub struct PaymentRegistration {
    /// The provider (1 to 128 characters).
    pub provider: String,
    /// The provider's payment id (1 to 128 characters).
    pub payment_ref: String,
    /// The payment's unit (both accounts count it).
    pub unit: Unit,
    /// The expected amount, minor units (> 0): no event may authorize, capture or refund
    /// more at once. JSON: a decimal string at the unit's scale.
    pub amount: u128,
    /// The provider's clearing account (debited by the capture, credited by refunds).
    pub clearing_account_id: Id,
    /// The account credited by the capture (a wallet, a booking's receivable).
    pub credit_account_id: Id,
    /// The `reference` of every transfer of this payment (at most 128 characters).
    pub reference: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistrationWire {
    provider: String,
    payment_ref: String,
    unit: Unit,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    clearing_account_id: Id,
    credit_account_id: Id,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    reference: String,
}

impl TryFrom<RegistrationWire> for PaymentRegistration {
    type Error = String;
    fn try_from(w: RegistrationWire) -> Result<Self, String> {
        Ok(PaymentRegistration {
            amount: to_units(w.unit, w.amount, "amount", false)?,
            provider: w.provider,
            payment_ref: w.payment_ref,
            unit: w.unit,
            clearing_account_id: w.clearing_account_id,
            credit_account_id: w.credit_account_id,
            reference: w.reference,
        })
    }
}

impl From<PaymentRegistration> for RegistrationWire {
    fn from(r: PaymentRegistration) -> Self {
        RegistrationWire {
            amount: to_decimal(r.unit, r.amount),
            provider: r.provider,
            payment_ref: r.payment_ref,
            unit: r.unit,
            clearing_account_id: r.clearing_account_id,
            credit_account_id: r.credit_account_id,
            reference: r.reference,
        }
    }
}

/// Where a registered payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentStatus {
    /// Registered, no event applied yet.
    Registered,
    /// Authorized: a hold is open.
    Authorized,
    /// Captured: the money moved (refunds may follow).
    Captured,
    /// Failed and not captured.
    Failed,
}

/// The authorization hold of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// The pending transfer.
    pub transfer_id: Id,
    /// The amount held, minor units (JSON: digits).
    #[serde(with = "units_string")]
    pub amount: u128,
    /// Whether it still holds (not yet posted or voided).
    pub open: bool,
}

/// A registered payment and what its events did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentState {
    /// As registered.
    pub registration: PaymentRegistration,
    /// Where it stands.
    pub status: PaymentStatus,
    /// The authorization hold, if one was made.
    pub hold: Option<Hold>,
    /// The transfer that moved the captured money (a post or a single-phase `PAYMENT`);
    /// the refunds' payment.
    pub capture_id: Option<Id>,
    /// Captured, minor units (0 until captured; JSON: digits).
    #[serde(with = "units_string")]
    pub captured: u128,
    /// Σ refunds, minor units (≤ `captured`; JSON: digits).
    #[serde(with = "units_string")]
    pub refunded: u128,
}

/// Why an event waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeferReason {
    /// No payment is registered under `(provider, payment_ref)` yet.
    UnknownPayment,
    /// A refund of a payment not captured yet.
    NotCaptured,
}

/// Why an event had no effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IgnoreReason {
    /// The payment was authorized by an earlier event.
    AlreadyAuthorized,
    /// The payment was captured by an earlier event (a late authorization, failure or
    /// second capture).
    AlreadyCaptured,
    /// The payment failed by an earlier event.
    AlreadyFailed,
    /// An authorization of a failed payment (its hold would never be released).
    PaymentFailed,
}

/// A transfer an event made (or found made: `EXISTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectTransfer {
    /// The transfer's id ([`webhook_transfer_id`]).
    pub transfer_id: Id,
    /// The ledger's outcome.
    pub outcome: Outcome,
}

/// What became of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WebhookOutcome {
    /// Its effect is done: the transfers made (none for the failure of a payment without a
    /// hold) and the payment's status after it.
    Applied {
        /// The transfers, in order.
        transfers: Vec<EffectTransfer>,
        /// The payment's status after the event.
        status: PaymentStatus,
    },
    /// The key was seen before: nothing changed; `first` is the first delivery's outcome as
    /// it stands now (a deferred event shows `APPLIED` once re-driven).
    Duplicate {
        /// The first delivery's outcome.
        first: Box<WebhookOutcome>,
    },
    /// Kept for later (see [`DeferReason`]).
    Deferred {
        /// Why.
        reason: DeferReason,
    },
    /// Recorded without effect (see [`IgnoreReason`]).
    Ignored {
        /// Why.
        reason: IgnoreReason,
    },
}

/// The outcome of a delivered event and of the deferred events it unblocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The event's outcome.
    pub outcome: WebhookOutcome,
    /// Deferred events of the same payment re-driven after it.
    pub redriven: Vec<Redriven>,
}

/// A deferred event re-driven: applied or ignored (no longer deferred), or refused with an
/// error — final ([`WebhookError::is_final`]: it left the queue and its key was forgotten)
/// or not (the ledger refused: it stays deferred).
///
/// JSON: `{"provider", "event_id", "outcome": {…}}`, or `{"provider", "event_id",
/// "error": {"code", "message", …}, "deferred": true | false}` ([`WebhookError::to_value`];
/// `deferred`: whether it stays in the queue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redriven {
    /// The event's provider.
    pub provider: String,
    /// The event's id.
    pub event_id: String,
    /// Its outcome, or why it stays deferred.
    pub result: Result<WebhookOutcome, WebhookError>,
}

impl Serialize for Redriven {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            provider: &'a str,
            event_id: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            outcome: Option<&'a WebhookOutcome>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<serde_json::Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            deferred: Option<bool>,
        }
        View {
            provider: &self.provider,
            event_id: &self.event_id,
            outcome: self.result.as_ref().ok(),
            error: self.result.as_ref().err().map(WebhookError::to_value),
            deferred: self.result.as_ref().err().map(|e| !e.is_final()),
        }
        .serialize(s)
    }
}

/// Why an event or a registration was refused. Nothing changed in the inbox or the ledger
/// (but for the ledger's sticky failure of a refused transfer id, see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WebhookError {
    /// A key field is empty or longer than [`MAX_KEY_CHARS`] (`reason` `EMPTY`,
    /// `TOO_LONG`), or a registration credits its clearing account (`SAME_ACCOUNT`).
    #[error("{field} is invalid ({reason})")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// The event key was seen with another body (`field`: `payment_ref`, `kind`, `amount`
    /// or `unit`, the first that differs).
    #[error("event {provider}/{event_id} was seen with a different {field}")]
    EventIdReused {
        /// The provider.
        provider: String,
        /// The event id.
        event_id: String,
        /// The first differing field.
        field: &'static str,
    },
    /// The event's (or an account's) unit is not the payment's.
    #[error("unit {actual} is not the payment's {expected}")]
    UnitMismatch {
        /// The payment's unit.
        expected: Unit,
        /// The unit given.
        actual: Unit,
    },
    /// An authorization, capture, refund or registration of 0.
    #[error("amount must be more than 0")]
    AmountMustNotBeZero,
    /// An amount past the registered amount (or, for a registration, past the largest
    /// amount); minor units, JSON digits.
    #[error("amount {amount} is more than the payment's {payment_amount} (minor units)")]
    AmountExceedsPayment {
        /// The registered amount.
        #[serde(with = "units_string")]
        payment_amount: u128,
        /// The event's amount.
        #[serde(with = "units_string")]
        amount: u128,
    },
    /// A registration names an account the ledger does not have.
    #[error("account {account_id} not found")]
    AccountNotFound {
        /// The id.
        account_id: Id,
    },
    /// The payment is registered with another `field` (`unit`, `amount`,
    /// `clearing_account_id`, `credit_account_id`, `reference`).
    #[error("payment {provider}/{payment_ref} is registered with a different {field}")]
    PaymentExists {
        /// The provider.
        provider: String,
        /// The payment.
        payment_ref: String,
        /// The first differing field.
        field: &'static str,
    },
    /// The refund of a `REFUNDED` event was refused (`EXCEEDS_PAYMENT` when Σ refunds
    /// would pass the capture, or the ledger's refusal).
    #[error("refund refused: {error}")]
    RefundRefused {
        /// The registry's error.
        error: Box<RefundError>,
    },
    /// The ledger refused a transfer of the effect.
    #[error("the ledger refused transfer {transfer_id}: {error}")]
    LedgerRefused {
        /// The transfer.
        transfer_id: Id,
        /// The ledger's error.
        error: TransferError,
    },
    /// Every one of [`MAX_ATTEMPTS`] attempts of this event's transfers failed.
    #[error("every one of the {attempts} attempts of this event failed")]
    AttemptsExhausted {
        /// [`MAX_ATTEMPTS`].
        attempts: u32,
    },
    /// The event would wait, but [`MAX_DEFERRED`] events wait already (`field`
    /// `deferred`; `actual` the count with this one), or it is new and the inbox has seen
    /// its limit of event keys already ([`MAX_SEEN_EVENTS`], or the lower limit of
    /// [`WebhookInbox::with_seen_limit`]; `field` `seen_events`). Nothing recorded: deliver
    /// it again once the queue drains, or to an inbox with room.
    #[error("{field} has {actual} entries, more than the limit of {limit}")]
    LimitExceeded {
        /// `deferred` or `seen_events`.
        field: &'static str,
        /// [`MAX_DEFERRED`], or the inbox's limit of event keys.
        limit: usize,
        /// The count with this event.
        actual: usize,
    },
}

impl WebhookError {
    /// The error as a JSON object: its fields, `code` and `message`.
    pub fn to_value(&self) -> serde_json::Value {
        crate::error::json_of(self, self.code())
    }

    /// The stable code, e.g. `EVENT_ID_REUSED`.
    pub fn code(&self) -> &'static str {
        match self {
            WebhookError::InvalidField { .. } => "INVALID_FIELD",
            WebhookError::EventIdReused { .. } => "EVENT_ID_REUSED",
            WebhookError::UnitMismatch { .. } => "UNIT_MISMATCH",
            WebhookError::AmountMustNotBeZero => "AMOUNT_MUST_NOT_BE_ZERO",
            WebhookError::AmountExceedsPayment { .. } => "AMOUNT_EXCEEDS_PAYMENT",
            WebhookError::AccountNotFound { .. } => "ACCOUNT_NOT_FOUND",
            WebhookError::PaymentExists { .. } => "PAYMENT_EXISTS",
            WebhookError::RefundRefused { .. } => "REFUND_REFUSED",
            WebhookError::LedgerRefused { .. } => "LEDGER_REFUSED",
            WebhookError::AttemptsExhausted { .. } => "ATTEMPTS_EXHAUSTED",
            WebhookError::LimitExceeded { .. } => "LIMIT_EXCEEDED",
        }
    }

    /// Whether the event can never be applied as it stands, whatever happens later: a key
    /// field, unit or amount the payment cannot take, the key reused, every attempt's ids
    /// failed, a refund refused by the registry (past the capture, a reversed payment …).
    /// Not final: the ledger's refusal (a balance may grow, an account be created), a
    /// registration's unknown account, a full queue. A deferred event refused for good
    /// leaves the queue.
    pub fn is_final(&self) -> bool {
        match self {
            WebhookError::RefundRefused { error } => {
                !matches!(**error, RefundError::LedgerRefused { .. })
            }
            WebhookError::LedgerRefused { .. }
            | WebhookError::AccountNotFound { .. }
            | WebhookError::LimitExceeded { .. } => false,
            WebhookError::InvalidField { .. }
            | WebhookError::EventIdReused { .. }
            | WebhookError::UnitMismatch { .. }
            | WebhookError::AmountMustNotBeZero
            | WebhookError::AmountExceedsPayment { .. }
            | WebhookError::PaymentExists { .. }
            | WebhookError::AttemptsExhausted { .. } => true,
        }
    }
}

/// The ledger id of transfer `leg` (0, 1) of the effect of event `(provider, event_id)` at
/// `attempt`: the first 16 bytes, read big-endian, of SHA-256(`"rihla-webhook"` ‖ 0x00 ‖
/// len(provider) u32 BE ‖ provider ‖ len(event_id) u32 BE ‖ event_id ‖ leg u8 ‖ attempt
/// u32 BE when > 0), strings as UTF-8 bytes; 0 and 2¹²⁸ − 1 are mapped to 1 and 2¹²⁸ − 2.
pub fn webhook_transfer_id(provider: &str, event_id: &str, leg: u8, attempt: u32) -> Id {
    let len = |s: &str| u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes();
    derive_id(
        "rihla-webhook",
        &[
            &len(provider),
            provider.as_bytes(),
            &len(event_id),
            event_id.as_bytes(),
            &[leg],
        ],
        attempt,
    )
}

pub(crate) type Key = (String, String);

/// A key seen: the event as first delivered and its outcome now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) event: PaymentEvent,
    pub(crate) outcome: WebhookOutcome,
}

/// The webhook reducer: seen event keys, registered payments, deferred events and the
/// refunds made by `REFUNDED` events (see the [module docs](crate::webhook)). Keep one inbox
/// per ledger, next to it. It records at most [`MAX_SEEN_EVENTS`] event keys (or the
/// lower limit given to [`WebhookInbox::with_seen_limit`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookInbox {
    pub(crate) seen: FxHashMap<Key, Seen>,
    /// The most keys `seen` may hold (at most [`MAX_SEEN_EVENTS`]).
    pub(crate) max_seen: usize,
    pub(crate) payments: FxHashMap<Key, PaymentState>,
    /// The deferred events of each payment `(provider, payment_ref)`, in arrival order.
    pub(crate) deferred: FxHashMap<Key, Vec<PaymentEvent>>,
    /// How many events `deferred` holds (at most [`MAX_DEFERRED`]).
    pub(crate) deferred_len: usize,
    pub(crate) refunds: Refunds,
}

fn check_key(field: &'static str, value: &str) -> Result<(), WebhookError> {
    if value.is_empty() {
        return Err(WebhookError::InvalidField {
            field,
            reason: "EMPTY",
        });
    }
    if value.chars().count() > MAX_KEY_CHARS {
        return Err(WebhookError::InvalidField {
            field,
            reason: "TOO_LONG",
        });
    }
    Ok(())
}

/// The first field of the body that differs.
fn event_differs(first: &PaymentEvent, again: &PaymentEvent) -> Option<&'static str> {
    if first.payment_ref != again.payment_ref {
        Some("payment_ref")
    } else if first.kind != again.kind {
        Some("kind")
    } else if first.amount != again.amount {
        Some("amount")
    } else if first.unit != again.unit {
        Some("unit")
    } else {
        None
    }
}

fn registration_differs(a: &PaymentRegistration, b: &PaymentRegistration) -> Option<&'static str> {
    if a.unit != b.unit {
        Some("unit")
    } else if a.amount != b.amount {
        Some("amount")
    } else if a.clearing_account_id != b.clearing_account_id {
        Some("clearing_account_id")
    } else if a.credit_account_id != b.credit_account_id {
        Some("credit_account_id")
    } else if a.reference != b.reference {
        Some("reference")
    } else {
        None
    }
}

impl Default for WebhookInbox {
    fn default() -> Self {
        WebhookInbox::with_seen_limit(MAX_SEEN_EVENTS)
    }
}

impl WebhookInbox {
    /// An empty inbox that records up to [`MAX_SEEN_EVENTS`] event keys.
    pub fn new() -> WebhookInbox {
        WebhookInbox::default()
    }

    /// An empty inbox that records at most `limit` event keys ([`MAX_SEEN_EVENTS`] when
    /// `limit` is more): a host that builds an inbox per payment may bound it by what one
    /// payment can receive.
    pub fn with_seen_limit(limit: usize) -> WebhookInbox {
        WebhookInbox {
            seen: FxHashMap::default(),
            max_seen: limit.min(MAX_SEEN_EVENTS),
            payments: FxHashMap::default(),
            deferred: FxHashMap::default(),
            deferred_len: 0,
            refunds: Refunds::default(),
        }
    }

    /// The most event keys this inbox records ([`MAX_SEEN_EVENTS`] unless lowered).
    pub fn seen_limit(&self) -> usize {
        self.max_seen
    }

    /// The registered payment `(provider, payment_ref)`.
    pub fn payment(&self, provider: &str, payment_ref: &str) -> Option<&PaymentState> {
        self.payments
            .get(&(provider.to_owned(), payment_ref.to_owned()))
    }

    /// The outcome of event `(provider, event_id)` as it stands, if it was seen.
    pub fn outcome(&self, provider: &str, event_id: &str) -> Option<&WebhookOutcome> {
        self.seen
            .get(&(provider.to_owned(), event_id.to_owned()))
            .map(|s| &s.outcome)
    }

    /// How many event keys were seen (at most [`WebhookInbox::seen_limit`]).
    pub fn seen_len(&self) -> usize {
        self.seen.len()
    }

    /// The deferred events (payments in no particular order, each payment's in arrival
    /// order).
    pub fn deferred(&self) -> impl Iterator<Item = &PaymentEvent> {
        self.deferred.values().flatten()
    }

    /// How many events are deferred (at most [`MAX_DEFERRED`]).
    pub fn deferred_len(&self) -> usize {
        self.deferred_len
    }

    /// The refunds made by `REFUNDED` events (payment = the capture transfer).
    pub fn refunds(&self) -> &Refunds {
        &self.refunds
    }

    /// Registers a payment, then re-drives its deferred events (in arrival order, until
    /// none progresses). Registering the same payment again is a no-op (it re-drives).
    ///
    /// # Errors
    /// [`WebhookError`]: an empty or too long provider, payment_ref or reference; an amount
    /// of 0 or past the largest amount; the same account on both sides; an account not in
    /// the ledger or of another unit; the payment registered with another body. Nothing
    /// changes on error.
    pub fn register_payment(
        &mut self,
        ledger: &mut Ledger,
        registration: &PaymentRegistration,
    ) -> Result<Vec<Redriven>, WebhookError> {
        let r = registration;
        check_key("provider", &r.provider)?;
        check_key("payment_ref", &r.payment_ref)?;
        if r.reference.chars().count() > MAX_KEY_CHARS {
            return Err(WebhookError::InvalidField {
                field: "reference",
                reason: "TOO_LONG",
            });
        }
        if r.amount == 0 {
            return Err(WebhookError::AmountMustNotBeZero);
        }
        if r.amount > MAX_AMOUNT {
            return Err(WebhookError::AmountExceedsPayment {
                payment_amount: MAX_AMOUNT,
                amount: r.amount,
            });
        }
        if r.clearing_account_id == r.credit_account_id {
            return Err(WebhookError::InvalidField {
                field: "credit_account_id",
                reason: "SAME_ACCOUNT",
            });
        }
        for account_id in [r.clearing_account_id, r.credit_account_id] {
            let a = ledger
                .account(account_id)
                .ok_or(WebhookError::AccountNotFound { account_id })?;
            if a.account.unit != r.unit {
                return Err(WebhookError::UnitMismatch {
                    expected: r.unit,
                    actual: a.account.unit,
                });
            }
        }
        let key = (r.provider.clone(), r.payment_ref.clone());
        if let Some(existing) = self.payments.get(&key) {
            if let Some(field) = registration_differs(&existing.registration, r) {
                return Err(WebhookError::PaymentExists {
                    provider: r.provider.clone(),
                    payment_ref: r.payment_ref.clone(),
                    field,
                });
            }
        } else {
            self.payments.insert(
                key.clone(),
                PaymentState {
                    registration: r.clone(),
                    status: PaymentStatus::Registered,
                    hold: None,
                    capture_id: None,
                    captured: 0,
                    refunded: 0,
                },
            );
        }
        Ok(self.redrive(ledger, &key))
    }

    /// Receives one event: a duplicate key returns the first outcome; an event for a
    /// payment not registered is deferred; else its effect is applied (see the module
    /// docs), the key recorded with it, and the payment's deferred events re-driven.
    ///
    /// # Errors
    /// [`WebhookError`]: an empty or too long key field; the key seen with another body; a
    /// unit or amount that does not fit the payment; a refund past the capture; the
    /// ledger's refusal; an event that would wait while [`MAX_DEFERRED`] wait already
    /// (`LIMIT_EXCEEDED`, field `deferred`); a new event once the inbox holds its limit of
    /// keys ([`WebhookInbox::seen_limit`]: `LIMIT_EXCEEDED`, field `seen_events`; a
    /// duplicate of a key seen is still answered). Nothing is recorded on error: the same
    /// event may be delivered again.
    pub fn receive(
        &mut self,
        ledger: &mut Ledger,
        event: &PaymentEvent,
    ) -> Result<Delivery, WebhookError> {
        check_key("provider", &event.provider)?;
        check_key("event_id", &event.event_id)?;
        check_key("payment_ref", &event.payment_ref)?;
        let key = (event.provider.clone(), event.event_id.clone());
        if let Some(seen) = self.seen.get(&key) {
            if let Some(field) = event_differs(&seen.event, event) {
                return Err(WebhookError::EventIdReused {
                    provider: event.provider.clone(),
                    event_id: event.event_id.clone(),
                    field,
                });
            }
            return Ok(Delivery {
                outcome: WebhookOutcome::Duplicate {
                    first: Box::new(seen.outcome.clone()),
                },
                redriven: Vec::new(),
            });
        }
        // A new key: refused before anything is decided when the inbox is full.
        if self.seen.len() >= self.max_seen {
            return Err(WebhookError::LimitExceeded {
                field: "seen_events",
                limit: self.max_seen,
                actual: self.seen.len().saturating_add(1),
            });
        }
        let outcome = self.process(ledger, event)?;
        let payment = (event.provider.clone(), event.payment_ref.clone());
        if matches!(outcome, WebhookOutcome::Deferred { .. }) {
            // Deciding to defer changed nothing yet: refusing here leaves no trace.
            if self.deferred_len >= MAX_DEFERRED {
                return Err(WebhookError::LimitExceeded {
                    field: "deferred",
                    limit: MAX_DEFERRED,
                    actual: self.deferred_len.saturating_add(1),
                });
            }
            self.deferred
                .entry(payment.clone())
                .or_default()
                .push(event.clone());
            self.deferred_len = self.deferred_len.saturating_add(1);
        }
        self.seen.insert(
            key,
            Seen {
                event: event.clone(),
                outcome: outcome.clone(),
            },
        );
        let redriven = if matches!(outcome, WebhookOutcome::Applied { .. }) {
            self.redrive(ledger, &payment)
        } else {
            Vec::new()
        };
        Ok(Delivery { outcome, redriven })
    }

    /// Re-drives the deferred events of every registered payment (payments in order of
    /// `(provider, payment_ref)`): for events kept by an error, once its cause is gone.
    pub fn retry_deferred(&mut self, ledger: &mut Ledger) -> Vec<Redriven> {
        let mut keys: Vec<Key> = self
            .deferred
            .keys()
            .filter(|k| self.payments.contains_key(*k))
            .cloned()
            .collect();
        keys.sort();
        keys.iter()
            .flat_map(|k| self.redrive(ledger, k))
            .collect::<Vec<_>>()
    }

    /// Re-drives the deferred events of one payment (only that payment's) in arrival
    /// order, again while any progresses; reports the events that left the queue (applied,
    /// ignored or refused for good — then forgotten), then those kept by an error.
    fn redrive(&mut self, ledger: &mut Ledger, payment: &Key) -> Vec<Redriven> {
        let mut report = Vec::new();
        let mut errors: Vec<(PaymentEvent, WebhookError)>;
        loop {
            errors = Vec::new();
            let Some(queue) = self.deferred.remove(payment) else {
                break;
            };
            self.deferred_len = self.deferred_len.saturating_sub(queue.len());
            let mut kept = Vec::new();
            let mut progressed = false;
            for event in queue {
                match self.process(ledger, &event) {
                    Ok(WebhookOutcome::Deferred { reason }) => {
                        self.set_outcome(&event, WebhookOutcome::Deferred { reason });
                        kept.push(event);
                    }
                    Ok(outcome) => {
                        progressed = true;
                        self.set_outcome(&event, outcome.clone());
                        report.push(Redriven {
                            provider: event.provider.clone(),
                            event_id: event.event_id.clone(),
                            result: Ok(outcome),
                        });
                    }
                    Err(e) if e.is_final() => {
                        // Decided: refused for good. Forgotten, as an event refused on
                        // delivery is never recorded.
                        self.seen
                            .remove(&(event.provider.clone(), event.event_id.clone()));
                        report.push(Redriven {
                            provider: event.provider,
                            event_id: event.event_id,
                            result: Err(e),
                        });
                    }
                    Err(e) => {
                        errors.push((event.clone(), e));
                        kept.push(event);
                    }
                }
            }
            if !kept.is_empty() {
                self.deferred_len = self.deferred_len.saturating_add(kept.len());
                self.deferred.insert(payment.clone(), kept);
            }
            if !progressed {
                break;
            }
        }
        report.extend(errors.into_iter().map(|(event, e)| Redriven {
            provider: event.provider,
            event_id: event.event_id,
            result: Err(e),
        }));
        report
    }

    fn set_outcome(&mut self, event: &PaymentEvent, outcome: WebhookOutcome) {
        if let Some(s) = self
            .seen
            .get_mut(&(event.provider.clone(), event.event_id.clone()))
        {
            s.outcome = outcome;
        }
    }

    /// Decides and applies one event's effect. Every check comes before the ledger; the
    /// payment's state changes only after the ledger accepted.
    fn process(
        &mut self,
        ledger: &mut Ledger,
        event: &PaymentEvent,
    ) -> Result<WebhookOutcome, WebhookError> {
        let key = (event.provider.clone(), event.payment_ref.clone());
        let Some(p) = self.payments.get(&key) else {
            return Ok(WebhookOutcome::Deferred {
                reason: DeferReason::UnknownPayment,
            });
        };
        let reg = &p.registration;
        if event.unit != reg.unit {
            return Err(WebhookError::UnitMismatch {
                expected: reg.unit,
                actual: event.unit,
            });
        }
        if event.kind != PaymentEventKind::Failed {
            if event.amount == 0 {
                return Err(WebhookError::AmountMustNotBeZero);
            }
            if event.amount > reg.amount {
                return Err(WebhookError::AmountExceedsPayment {
                    payment_amount: reg.amount,
                    amount: event.amount,
                });
            }
        }
        let ignored = |reason| Ok(WebhookOutcome::Ignored { reason });
        let open_hold = p.hold.filter(|h| h.open);
        let (provider, event_id) = (event.provider.as_str(), event.event_id.as_str());
        let attempt = |legs: u8| -> Result<u32, WebhookError> {
            match slot(ledger, |k| {
                (0..legs)
                    .map(|leg| webhook_transfer_id(provider, event_id, leg, k))
                    .collect()
            }) {
                Slot::Free(k) | Slot::Taken(k) => Ok(k),
                Slot::Exhausted => Err(WebhookError::AttemptsExhausted {
                    attempts: MAX_ATTEMPTS,
                }),
            }
        };
        let single = |id: Id, pending: bool| {
            Transfer::new(
                id,
                reg.clearing_account_id,
                reg.credit_account_id,
                event.amount,
                reg.unit,
                Code::Payment,
                event.at,
            )
            .with_reference(reg.reference.clone())
            .with_flags(TransferFlags {
                pending,
                ..TransferFlags::default()
            })
        };
        let resolve = |id: Id, hold: Id, post: bool| {
            Transfer::resolve(
                id,
                hold,
                post,
                if post { event.amount } else { 0 },
                event.at,
            )
            .with_reference(reg.reference.clone())
        };
        let id = |leg: u8, k: u32| webhook_transfer_id(provider, event_id, leg, k);
        match event.kind {
            PaymentEventKind::Authorized => {
                match p.status {
                    PaymentStatus::Captured => return ignored(IgnoreReason::AlreadyCaptured),
                    PaymentStatus::Failed => return ignored(IgnoreReason::PaymentFailed),
                    PaymentStatus::Authorized => return ignored(IgnoreReason::AlreadyAuthorized),
                    PaymentStatus::Registered => {}
                }
                let k = attempt(1)?;
                let chain = vec![single(id(0, k), true)];
                let transfers = apply(ledger, chain)?;
                let hold = Hold {
                    transfer_id: id(0, k),
                    amount: event.amount,
                    open: true,
                };
                self.update(&key, |p| {
                    p.hold = Some(hold);
                    p.status = PaymentStatus::Authorized;
                });
                Ok(applied(transfers, PaymentStatus::Authorized))
            }
            PaymentEventKind::Captured => {
                if p.status == PaymentStatus::Captured {
                    return ignored(IgnoreReason::AlreadyCaptured);
                }
                let chain = match open_hold {
                    Some(h) if event.amount <= h.amount => {
                        let k = attempt(1)?;
                        vec![resolve(id(0, k), h.transfer_id, true)]
                    }
                    Some(h) => {
                        let k = attempt(2)?;
                        vec![
                            resolve(id(0, k), h.transfer_id, false),
                            single(id(1, k), false),
                        ]
                    }
                    None => {
                        let k = attempt(1)?;
                        vec![single(id(0, k), false)]
                    }
                };
                let capture_id = chain.last().map(|t| t.id);
                let transfers = apply(ledger, chain)?;
                let amount = event.amount;
                self.update(&key, |p| {
                    if let Some(h) = p.hold.as_mut() {
                        h.open = false;
                    }
                    p.capture_id = capture_id;
                    p.captured = amount;
                    p.status = PaymentStatus::Captured;
                });
                Ok(applied(transfers, PaymentStatus::Captured))
            }
            PaymentEventKind::Failed => {
                match p.status {
                    PaymentStatus::Captured => return ignored(IgnoreReason::AlreadyCaptured),
                    PaymentStatus::Failed => return ignored(IgnoreReason::AlreadyFailed),
                    PaymentStatus::Registered | PaymentStatus::Authorized => {}
                }
                let chain = match open_hold {
                    Some(h) => {
                        let k = attempt(1)?;
                        vec![resolve(id(0, k), h.transfer_id, false)]
                    }
                    None => Vec::new(),
                };
                let transfers = apply(ledger, chain)?;
                self.update(&key, |p| {
                    if let Some(h) = p.hold.as_mut() {
                        h.open = false;
                    }
                    p.status = PaymentStatus::Failed;
                });
                Ok(applied(transfers, PaymentStatus::Failed))
            }
            PaymentEventKind::Refunded => {
                let (PaymentStatus::Captured, Some(capture_id)) = (p.status, p.capture_id) else {
                    return Ok(WebhookOutcome::Deferred {
                        reason: DeferReason::NotCaptured,
                    });
                };
                let k = attempt(1)?;
                let request = RefundRequest {
                    id: id(0, k),
                    payment_id: capture_id,
                    amount: event.amount,
                    at: event.at,
                    reference: reg.reference.clone(),
                };
                let receipt = self
                    .refunds
                    .refund(ledger, &request)
                    .map_err(|e| WebhookError::RefundRefused { error: Box::new(e) })?;
                self.update(&key, |p| p.refunded = receipt.refunded);
                Ok(applied(
                    vec![EffectTransfer {
                        transfer_id: receipt.refund_id,
                        outcome: receipt.outcome,
                    }],
                    PaymentStatus::Captured,
                ))
            }
        }
    }

    fn update(&mut self, key: &Key, change: impl FnOnce(&mut PaymentState)) {
        if let Some(p) = self.payments.get_mut(key) {
            change(p);
        }
    }
}

fn applied(transfers: Vec<EffectTransfer>, status: PaymentStatus) -> WebhookOutcome {
    WebhookOutcome::Applied { transfers, status }
}

/// Applies an effect's transfers as one linked chain.
fn apply(
    ledger: &mut Ledger,
    mut chain: Vec<Transfer>,
) -> Result<Vec<EffectTransfer>, WebhookError> {
    if chain.is_empty() {
        return Ok(Vec::new());
    }
    link(&mut chain);
    let outcomes = apply_chain(ledger, &chain)
        .map_err(|(transfer_id, error)| WebhookError::LedgerRefused { transfer_id, error })?;
    Ok(chain
        .iter()
        .zip(outcomes)
        .map(|(t, outcome)| EffectTransfer {
            transfer_id: t.id,
            outcome,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn memory_size_behind_max_seen_events() {
        // MAX_SEEN_EVENTS: a key seen is a 192-byte slot of the table (its two strings, the
        // event with three, the outcome), with up to two slots a key.
        assert!(std::mem::size_of::<(Key, Seen)>() <= 192);
        assert!(std::mem::size_of::<EffectTransfer>() <= 32);
    }

    #[test]
    fn an_inbox_s_limit_of_keys_is_at_most_max_seen_events() {
        assert_eq!(MAX_SEEN_EVENTS, 1_048_576);
        assert_eq!(WebhookInbox::new().seen_limit(), MAX_SEEN_EVENTS);
        assert_eq!(WebhookInbox::default(), WebhookInbox::new());
        assert_eq!(WebhookInbox::with_seen_limit(3).seen_limit(), 3);
        assert_eq!(
            WebhookInbox::with_seen_limit(usize::MAX).seen_limit(),
            MAX_SEEN_EVENTS
        );
    }
}
