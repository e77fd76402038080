//! Membership cashback (issue 6): PENDING on booking, APPROVED after the hold (completion +
//! hold days, or an explicit override by an actor), CREDITED exactly once into the
//! wallet, CANCELLED before credit or CLAWED_BACK after it.
//!
//! A [`CashbackRecord`] is a state machine that drives a [`Ledger`]:
//!
//! | Operation | Status | Ledger transfer (code CASHBACK unless said) |
//! |---|---|---|
//! | [`CashbackRecord::book`] | → PENDING | pending transfer source → wallet (a hold: the wallet's pending credits show it) |
//! | [`CashbackRecord::complete`] | unchanged | none (records the booking's completion) |
//! | [`CashbackRecord::approve`] | PENDING → APPROVED | none |
//! | [`CashbackRecord::credit`] | APPROVED → CREDITED | post of the hold (the whole amount) |
//! | [`CashbackRecord::cancel`] | PENDING/APPROVED → CANCELLED | void of the hold |
//! | [`CashbackRecord::clawback`] | CREDITED → CLAWED_BACK | REVERSAL wallet → source; ADJUSTMENT debt account → source for what the wallet lacks (linked) |
//!
//! CANCELLED and CLAWED_BACK are terminal; CREDITED accepts only a clawback (and the
//! booking's completion, a fact). Every other move is [`CashbackError::InvalidTransition`]
//! naming the event and both statuses — a second credit included.
//!
//! Transfer ids derive from the record id ([`crate::points::derived_id`] with
//! [`HOLD_DOMAIN`], [`CREDIT_DOMAIN`], [`CANCEL_DOMAIN`], [`CLAWBACK_DOMAIN`],
//! [`DEBT_DOMAIN`]): a credit retried from a stale copy of the record (saved before the
//! credit) is `Exists` at the ledger, so the wallet is credited at most once whatever the
//! host retries.
//!
//! An operation the ledger refuses leaves the record unchanged. JSON: amounts are decimal
//! strings at the unit's scale, instants RFC 3339, statuses upper case.
//!
//! Limits: an `actor` and a `reason` are at most [`MAX_ACTOR_CHARS`] and
//! [`MAX_REASON_CHARS`] (128) characters ([`CashbackError::TooLong`]); a stored `history`
//! at most [`MAX_CASHBACK_HISTORY`] transitions; the end of the hold (completion +
//! `hold_days`) within year 9999 ([`CashbackError::TimeOutOfRange`], see
//! [`crate::instant`]).

use crate::account::AccountState;
use crate::amount::{to_decimal, to_units};
use crate::instant::add_days;
use crate::limits::{bounded_vec, MAX_CASHBACK_HISTORY};
use crate::points::{apply_all, derived_id, precheck, BatchOrTransfer};
use crate::{Code, Id, Ledger, Outcome, Transfer, TransferError, TransferFlags, Unit};
use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// Longest `actor` of an approval, a cancel or a clawback, in characters (after trimming):
/// 128, as a transfer's `reference` ([`crate::MAX_REFERENCE_CHARS`]). A longer one is
/// [`CashbackError::TooLong`]; it is recorded in the record's `history`.
pub const MAX_ACTOR_CHARS: usize = 128;

/// Longest `reason` of a cancel or a clawback, in characters: 128, as a transfer's
/// `reference`. A longer one is [`CashbackError::TooLong`]; it is recorded in the record's
/// `history`.
pub const MAX_REASON_CHARS: usize = 128;

/// Domain of the hold (pending) transfer id: `"rihla-cashback-hold"`.
pub const HOLD_DOMAIN: &str = "rihla-cashback-hold";
/// Domain of the credit (post) transfer id: `"rihla-cashback-credit"`.
pub const CREDIT_DOMAIN: &str = "rihla-cashback-credit";
/// Domain of the cancel (void) transfer id: `"rihla-cashback-cancel"`.
pub const CANCEL_DOMAIN: &str = "rihla-cashback-cancel";
/// Domain of the clawback (REVERSAL) transfer id: `"rihla-cashback-clawback"`.
pub const CLAWBACK_DOMAIN: &str = "rihla-cashback-clawback";
/// Domain of the clawback debt (ADJUSTMENT) transfer id: `"rihla-cashback-debt"`.
pub const DEBT_DOMAIN: &str = "rihla-cashback-debt";

/// Where a cashback stands. JSON: `"PENDING"`, `"APPROVED"`, `"CREDITED"`, `"CANCELLED"`,
/// `"CLAWED_BACK"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CashbackStatus {
    /// Booked: held as a pending credit of the wallet.
    Pending,
    /// Approved (after the hold, or by an override): may be credited.
    Approved,
    /// In the wallet. Only a clawback may follow.
    Credited,
    /// Cancelled before credit: the hold released. Terminal.
    Cancelled,
    /// Taken back after credit (from the wallet, the rest as debt). Terminal.
    ClawedBack,
}

impl CashbackStatus {
    /// The JSON name, e.g. `"CLAWED_BACK"`.
    pub fn name(self) -> &'static str {
        match self {
            CashbackStatus::Pending => "PENDING",
            CashbackStatus::Approved => "APPROVED",
            CashbackStatus::Credited => "CREDITED",
            CashbackStatus::Cancelled => "CANCELLED",
            CashbackStatus::ClawedBack => "CLAWED_BACK",
        }
    }

    /// Whether nothing may follow (CANCELLED, CLAWED_BACK).
    pub fn is_terminal(self) -> bool {
        matches!(self, CashbackStatus::Cancelled | CashbackStatus::ClawedBack)
    }
}

impl std::fmt::Display for CashbackStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What happened to a cashback. JSON: `"BOOK"`, `"COMPLETE"`, `"APPROVE"`, `"CREDIT"`,
/// `"CANCEL"`, `"CLAWBACK"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CashbackEvent {
    /// Booked (PENDING).
    Book,
    /// The booking completed (the hold starts).
    Complete,
    /// Approved.
    Approve,
    /// Credited to the wallet.
    Credit,
    /// Cancelled.
    Cancel,
    /// Clawed back.
    Clawback,
}

impl CashbackEvent {
    /// The JSON name, e.g. `"CREDIT"`.
    pub fn name(self) -> &'static str {
        match self {
            CashbackEvent::Book => "BOOK",
            CashbackEvent::Complete => "COMPLETE",
            CashbackEvent::Approve => "APPROVE",
            CashbackEvent::Credit => "CREDIT",
            CashbackEvent::Cancel => "CANCEL",
            CashbackEvent::Clawback => "CLAWBACK",
        }
    }
}

impl std::fmt::Display for CashbackEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a cashback operation was refused. The record and the ledger are unchanged.
///
/// JSON ([`CashbackError::to_value`]): `{"code": "HOLD_NOT_OVER", "message": …,
/// …values}`; a ledger refusal is the ledger's error with `"refused_by": "ledger"`. (The derived `Serialize` nests a ledger refusal as
/// `{"code": "LEDGER", "error": {…}}`; `to_value` is the form to expose.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CashbackError {
    /// The event is not allowed from the current status (a terminal status, a second
    /// credit, a cancel after credit, a clawback before it …).
    #[error("cannot {event} a cashback that is {from} (to {to})")]
    InvalidTransition {
        /// The event refused.
        event: CashbackEvent,
        /// The current status.
        from: CashbackStatus,
        /// The status it would have led to.
        to: CashbackStatus,
    },
    /// The booking's completion was already recorded.
    #[error("the booking already completed at {completed_at}")]
    AlreadyCompleted {
        /// When.
        completed_at: DateTime<Utc>,
    },
    /// A completion before the booking.
    #[error("completion at {completed_at} is before the booking at {booked_at}")]
    CompletedBeforeBooked {
        /// The booking instant.
        booked_at: DateTime<Utc>,
        /// The completion given.
        completed_at: DateTime<Utc>,
    },
    /// Approval without an override before the booking completed.
    #[error("the booking has not completed")]
    NotCompleted,
    /// Approval without an override before completion + hold days.
    #[error("the hold lasts until {eligible_at}, it is {now}")]
    HoldNotOver {
        /// The approval instant.
        now: DateTime<Utc>,
        /// completed_at + hold_days.
        eligible_at: DateTime<Utc>,
    },
    /// An override without an actor.
    #[error("an override of the hold needs an actor")]
    OverrideNeedsActor,
    /// A clawback in another unit than the cashback's.
    #[error("the cashback is in {record}, the request in {request}")]
    UnitMismatch {
        /// The cashback's unit.
        record: Unit,
        /// The request's.
        request: Unit,
    },
    /// A clawback of 0.
    #[error("amount must be more than 0")]
    AmountMustNotBeZero,
    /// The end of the hold (an instant plus `hold_days`) would fall after year
    /// [`crate::instant::LAST_YEAR`] (9999, the last RFC 3339 writes): refused when booked
    /// (`field` `at`: the booking instant; the hold ends no earlier than booking + hold
    /// days), when completed (`at`: the completion), or, for a record read back with such
    /// values, when approved (`completed_at`).
    #[error(
        "{field} {at} plus {days} hold days falls after year 9999, past what RFC 3339 can write"
    )]
    TimeOutOfRange {
        /// The field that leads there: `at` or `completed_at`.
        field: &'static str,
        /// Its instant.
        at: DateTime<Utc>,
        /// The hold days.
        days: u32,
    },
    /// An `actor` or `reason` longer than its limit ([`MAX_ACTOR_CHARS`],
    /// [`MAX_REASON_CHARS`]).
    #[error("{field} is {length} characters, more than {limit}")]
    TooLong {
        /// `actor` or `reason`.
        field: &'static str,
        /// Its length, characters.
        length: usize,
        /// The limit.
        limit: usize,
    },
    /// The ledger refused a transfer.
    #[error("the ledger refused the transfer: {error}")]
    Ledger {
        /// The ledger's error.
        error: TransferError,
    },
    /// The ledger refused the whole batch.
    #[error("the ledger refused the batch: {message}")]
    BatchRefused {
        /// The ledger's message.
        message: String,
    },
}

impl CashbackError {
    /// The stable code, e.g. `INVALID_TRANSITION`; a ledger refusal gives the ledger's code.
    pub fn code(&self) -> &'static str {
        use CashbackError as E;
        match self {
            E::InvalidTransition { .. } => "INVALID_TRANSITION",
            E::AlreadyCompleted { .. } => "ALREADY_COMPLETED",
            E::CompletedBeforeBooked { .. } => "COMPLETED_BEFORE_BOOKED",
            E::NotCompleted => "NOT_COMPLETED",
            E::HoldNotOver { .. } => "HOLD_NOT_OVER",
            E::OverrideNeedsActor => "OVERRIDE_NEEDS_ACTOR",
            E::UnitMismatch { .. } => "UNIT_MISMATCH",
            E::AmountMustNotBeZero => "AMOUNT_MUST_NOT_BE_ZERO",
            E::TimeOutOfRange { .. } => "TIME_OUT_OF_RANGE",
            E::TooLong { .. } => "TOO_LONG",
            E::Ledger { error } => error.code(),
            E::BatchRefused { .. } => "BATCH_REFUSED",
        }
    }

    /// The error as JSON: `{"code", "message", …values}` (a ledger refusal: the ledger's
    /// error object with `"refused_by": "ledger"`).
    pub fn to_value(&self) -> serde_json::Value {
        if let CashbackError::Ledger { error } = self {
            return crate::error::refused_by_ledger(error);
        }
        crate::error::json_of(self, self.code())
    }
}

impl From<BatchOrTransfer> for CashbackError {
    fn from(e: BatchOrTransfer) -> Self {
        match e {
            BatchOrTransfer::Batch(b) => CashbackError::BatchRefused {
                message: b.to_string(),
            },
            BatchOrTransfer::Transfer(error) => CashbackError::Ledger { error },
        }
    }
}

/// One step of a cashback's history.
///
/// ```json
/// {"event": "APPROVE", "from": "PENDING", "to": "APPROVED", "actor": "ops:amal",
///  "reason": "hold overridden", "at": "2026-12-02T09:00:00Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// What happened.
    pub event: CashbackEvent,
    /// The status before (`None` for the booking).
    pub from: Option<CashbackStatus>,
    /// The status after.
    pub to: CashbackStatus,
    /// Who (a staff member, `system`), when given.
    #[serde(default)]
    pub actor: Option<String>,
    /// Why (`hold over`, `hold overridden`, the host's reason …).
    #[serde(default)]
    pub reason: String,
    /// When.
    #[serde(with = "rihla_core::time::utc")]
    pub at: DateTime<Utc>,
}

/// Book a cashback: a pending transfer `source` → `wallet`.
///
/// ```json
/// {"id": "3001", "reference": "BKG-1042", "wallet": "1001", "source": "5",
///  "amount": "899.87", "unit": "SAR", "at": "2026-11-22T09:00:00Z", "hold_days": 7}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BookWire", into = "BookWire")]
pub struct BookCashback {
    /// The cashback's id (transfer ids derive from it).
    pub id: Id,
    /// The booking's reference (at most 128 characters; on every transfer).
    pub reference: String,
    /// The customer's wallet (credited).
    pub wallet: Id,
    /// The platform's cashback expense or liability account (debited).
    pub source: Id,
    /// Minor units of `unit` (> 0).
    pub amount: u128,
    /// The currency.
    pub unit: Unit,
    /// The booking instant.
    pub at: DateTime<Utc>,
    /// Days (of 24 hours) after the booking's completion before approval.
    pub hold_days: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookWire {
    id: Id,
    #[serde(default)]
    reference: String,
    wallet: Id,
    source: Id,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    unit: Unit,
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
    hold_days: u32,
}

impl TryFrom<BookWire> for BookCashback {
    type Error = String;
    fn try_from(w: BookWire) -> Result<Self, String> {
        Ok(BookCashback {
            id: w.id,
            reference: w.reference,
            wallet: w.wallet,
            source: w.source,
            amount: to_units(w.unit, w.amount, "amount", false)?,
            unit: w.unit,
            at: w.at,
            hold_days: w.hold_days,
        })
    }
}

impl From<BookCashback> for BookWire {
    fn from(b: BookCashback) -> Self {
        BookWire {
            id: b.id,
            reference: b.reference,
            wallet: b.wallet,
            source: b.source,
            amount: to_decimal(b.unit, b.amount),
            unit: b.unit,
            at: b.at,
            hold_days: b.hold_days,
        }
    }
}

/// Claw back credited cashback (a refund after credit).
///
/// ```json
/// {"at": "2026-12-20T09:00:00Z", "amount": "899.87", "unit": "SAR",
///  "debt_account": "1101", "actor": "system", "reason": "refund RF-55"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ClawbackWire", into = "ClawbackWire")]
pub struct CashbackClawback {
    /// The instant.
    pub at: DateTime<Utc>,
    /// Asked, minor units of `unit` (> 0; capped at what was credited).
    pub amount: u128,
    /// The currency (the cashback's).
    pub unit: Unit,
    /// The customer's debt (receivable) account, debit-normal: debited with what the
    /// wallet cannot give back.
    pub debt_account: Id,
    /// Who.
    pub actor: Option<String>,
    /// Why.
    pub reason: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClawbackWire {
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    unit: Unit,
    debt_account: Id,
    #[serde(default)]
    actor: Option<String>,
    #[serde(default)]
    reason: String,
}

impl TryFrom<ClawbackWire> for CashbackClawback {
    type Error = String;
    fn try_from(w: ClawbackWire) -> Result<Self, String> {
        Ok(CashbackClawback {
            at: w.at,
            amount: to_units(w.unit, w.amount, "amount", false)?,
            unit: w.unit,
            debt_account: w.debt_account,
            actor: w.actor,
            reason: w.reason,
        })
    }
}

impl From<CashbackClawback> for ClawbackWire {
    fn from(c: CashbackClawback) -> Self {
        ClawbackWire {
            at: c.at,
            amount: to_decimal(c.unit, c.amount),
            unit: c.unit,
            debt_account: c.debt_account,
            actor: c.actor,
            reason: c.reason,
        }
    }
}

/// What [`CashbackRecord::clawback`] did (minor units of `unit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "ReportWire")]
pub struct CashbackClawbackReport {
    /// The currency.
    pub unit: Unit,
    /// Asked.
    pub requested: u128,
    /// Asked, capped at what was credited.
    pub applied: u128,
    /// Taken back from the wallet (REVERSAL wallet → source).
    pub from_wallet: u128,
    /// What the wallet lacked: debited to the debt account (ADJUSTMENT debt → source).
    pub debt: u128,
    /// The REVERSAL transfer's id, if any.
    pub reversal_transfer: Option<Id>,
    /// The ADJUSTMENT transfer's id, if any.
    pub debt_transfer: Option<Id>,
    /// The transfers' outcomes, in that order.
    pub outcomes: Vec<Outcome>,
}

#[derive(Serialize)]
struct ReportWire {
    unit: Unit,
    #[serde(with = "rihla_core::decimal_string")]
    requested: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    applied: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    from_wallet: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    debt: Decimal,
    reversal_transfer: Option<Id>,
    debt_transfer: Option<Id>,
    outcomes: Vec<Outcome>,
}

impl From<CashbackClawbackReport> for ReportWire {
    fn from(r: CashbackClawbackReport) -> Self {
        let d = |v| to_decimal(r.unit, v);
        ReportWire {
            unit: r.unit,
            requested: d(r.requested),
            applied: d(r.applied),
            from_wallet: d(r.from_wallet),
            debt: d(r.debt),
            reversal_transfer: r.reversal_transfer,
            debt_transfer: r.debt_transfer,
            outcomes: r.outcomes,
        }
    }
}

/// A cashback and its history.
///
/// ```json
/// {"id": "3001", "reference": "BKG-1042", "wallet": "1001", "source": "5",
///  "unit": "SAR", "amount": "899.87", "status": "CREDITED",
///  "booked_at": "2026-11-22T09:00:00Z", "completed_at": "2026-11-25T12:00:00Z",
///  "hold_days": 7, "approved_by": "system", "approved_at": "2026-12-02T12:00:00Z",
///  "hold_overridden": false, "credited": "899.87", "clawed_back": "0.00",
///  "debt": "0.00", "history": [Transition…]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RecordWire", into = "RecordWire")]
pub struct CashbackRecord {
    /// The cashback's id.
    pub id: Id,
    /// The booking's reference.
    pub reference: String,
    /// The customer's wallet.
    pub wallet: Id,
    /// The platform's cashback account.
    pub source: Id,
    /// The currency.
    pub unit: Unit,
    /// Minor units.
    pub amount: u128,
    /// Where it stands.
    pub status: CashbackStatus,
    /// The booking instant.
    pub booked_at: DateTime<Utc>,
    /// The booking's completion, once known.
    pub completed_at: Option<DateTime<Utc>>,
    /// Days after completion before approval.
    pub hold_days: u32,
    /// Who approved.
    pub approved_by: Option<String>,
    /// When.
    pub approved_at: Option<DateTime<Utc>>,
    /// Whether the approval overrode the hold.
    pub hold_overridden: bool,
    /// Credited to the wallet (0 or `amount`).
    pub credited: u128,
    /// Taken back from the wallet.
    pub clawed_back: u128,
    /// Recorded as the customer's debt (what the wallet lacked at the clawback).
    pub debt: u128,
    /// Every transition, in order.
    pub history: Vec<Transition>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordWire {
    id: Id,
    #[serde(default)]
    reference: String,
    wallet: Id,
    source: Id,
    unit: Unit,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    status: CashbackStatus,
    #[serde(with = "rihla_core::time::utc")]
    booked_at: DateTime<Utc>,
    #[serde(default, with = "rihla_core::time::utc::option")]
    completed_at: Option<DateTime<Utc>>,
    hold_days: u32,
    #[serde(default)]
    approved_by: Option<String>,
    #[serde(default, with = "rihla_core::time::utc::option")]
    approved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    hold_overridden: bool,
    #[serde(with = "rihla_core::decimal_string")]
    credited: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    clawed_back: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    debt: Decimal,
    #[serde(default, deserialize_with = "history")]
    history: Vec<Transition>,
}

fn history<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Transition>, D::Error> {
    bounded_vec(d, "history", MAX_CASHBACK_HISTORY)
}

impl TryFrom<RecordWire> for CashbackRecord {
    type Error = String;
    fn try_from(w: RecordWire) -> Result<Self, String> {
        let u = |d: Decimal, field: &str| to_units(w.unit, d, field, true);
        let r = CashbackRecord {
            id: w.id,
            reference: w.reference,
            wallet: w.wallet,
            source: w.source,
            unit: w.unit,
            amount: to_units(w.unit, w.amount, "amount", false)?,
            status: w.status,
            booked_at: w.booked_at,
            completed_at: w.completed_at,
            hold_days: w.hold_days,
            approved_by: w.approved_by,
            approved_at: w.approved_at,
            hold_overridden: w.hold_overridden,
            credited: u(w.credited, "credited")?,
            clawed_back: u(w.clawed_back, "clawed_back")?,
            debt: u(w.debt, "debt")?,
            history: w.history,
        };
        let credited_ok = match r.status {
            CashbackStatus::Credited | CashbackStatus::ClawedBack => r.credited == r.amount,
            _ => r.credited == 0,
        };
        let taken = r.clawed_back.checked_add(r.debt);
        if !credited_ok || taken.is_none_or(|t| t > r.credited) {
            return Err(format!(
                "cashback {}: credited, clawed_back and debt do not fit status {}",
                r.id, r.status
            ));
        }
        Ok(r)
    }
}

impl From<CashbackRecord> for RecordWire {
    fn from(r: CashbackRecord) -> Self {
        let d = |v| to_decimal(r.unit, v);
        RecordWire {
            id: r.id,
            reference: r.reference,
            wallet: r.wallet,
            source: r.source,
            unit: r.unit,
            amount: d(r.amount),
            status: r.status,
            booked_at: r.booked_at,
            completed_at: r.completed_at,
            hold_days: r.hold_days,
            approved_by: r.approved_by,
            approved_at: r.approved_at,
            hold_overridden: r.hold_overridden,
            credited: d(r.credited),
            clawed_back: d(r.clawed_back),
            debt: d(r.debt),
            history: r.history,
        }
    }
}

/// An actor given as text: `None` when blank.
fn actor_of(actor: &str) -> Option<String> {
    let a = actor.trim();
    (!a.is_empty()).then(|| a.to_string())
}

/// An actor (trimmed, `None` when blank) of at most [`MAX_ACTOR_CHARS`] characters.
fn checked_actor(actor: &str) -> Result<Option<String>, CashbackError> {
    let length = actor.trim().chars().count();
    if length > MAX_ACTOR_CHARS {
        return Err(CashbackError::TooLong {
            field: "actor",
            length,
            limit: MAX_ACTOR_CHARS,
        });
    }
    Ok(actor_of(actor))
}

/// A reason of at most [`MAX_REASON_CHARS`] characters.
fn check_reason(reason: &str) -> Result<(), CashbackError> {
    let length = reason.chars().count();
    if length > MAX_REASON_CHARS {
        return Err(CashbackError::TooLong {
            field: "reason",
            length,
            limit: MAX_REASON_CHARS,
        });
    }
    Ok(())
}

impl CashbackRecord {
    /// Books a cashback: applies the hold, a pending transfer `source` → `wallet` of
    /// `amount` (code CASHBACK, id [`HOLD_DOMAIN`]-derived, the booking reference), and
    /// returns the PENDING record with the ledger's outcome. Booking the same id again is
    /// `Exists` at the ledger and returns a fresh PENDING record: keep the stored one.
    ///
    /// # Errors
    /// [`CashbackError::TimeOutOfRange`] (`at` + `hold_days` after year 9999),
    /// [`CashbackError::Ledger`] (unknown or closed accounts, units that differ, a zero
    /// amount, a reference over 128 characters …).
    pub fn book(
        ledger: &mut Ledger,
        req: &BookCashback,
    ) -> Result<(CashbackRecord, Outcome), CashbackError> {
        if add_days(req.at, i64::from(req.hold_days)).is_none() {
            return Err(CashbackError::TimeOutOfRange {
                field: "at",
                at: req.at,
                days: req.hold_days,
            });
        }
        let record = CashbackRecord {
            id: req.id,
            reference: req.reference.clone(),
            wallet: req.wallet,
            source: req.source,
            unit: req.unit,
            amount: req.amount,
            status: CashbackStatus::Pending,
            booked_at: req.at,
            completed_at: None,
            hold_days: req.hold_days,
            approved_by: None,
            approved_at: None,
            hold_overridden: false,
            credited: 0,
            clawed_back: 0,
            debt: 0,
            history: vec![Transition {
                event: CashbackEvent::Book,
                from: None,
                to: CashbackStatus::Pending,
                actor: None,
                reason: String::new(),
                at: req.at,
            }],
        };
        let hold = Transfer::new(
            record.hold_transfer_id(),
            req.source,
            req.wallet,
            req.amount,
            req.unit,
            Code::Cashback,
            req.at,
        )
        .with_reference(req.reference.clone())
        .with_flags(TransferFlags {
            pending: true,
            ..TransferFlags::default()
        });
        let hold = [hold];
        precheck(ledger, &hold).map_err(|error| CashbackError::Ledger { error })?;
        let outcome = one(apply_all(ledger, &hold)?)?;
        Ok((record, outcome))
    }

    /// The hold (pending) transfer's id.
    pub fn hold_transfer_id(&self) -> Id {
        derived_id(HOLD_DOMAIN, self.id)
    }

    /// The credit (post) transfer's id.
    pub fn credit_transfer_id(&self) -> Id {
        derived_id(CREDIT_DOMAIN, self.id)
    }

    /// The cancel (void) transfer's id.
    pub fn cancel_transfer_id(&self) -> Id {
        derived_id(CANCEL_DOMAIN, self.id)
    }

    /// The clawback (REVERSAL) transfer's id.
    pub fn clawback_transfer_id(&self) -> Id {
        derived_id(CLAWBACK_DOMAIN, self.id)
    }

    /// The clawback debt (ADJUSTMENT) transfer's id.
    pub fn debt_transfer_id(&self) -> Id {
        derived_id(DEBT_DOMAIN, self.id)
    }

    /// When approval without an override becomes possible: `completed_at` + `hold_days`
    /// days (`None` before completion, or when that falls after year 9999).
    pub fn eligible_at(&self) -> Option<DateTime<Utc>> {
        add_days(self.completed_at?, i64::from(self.hold_days))
    }

    fn refuse(&self, event: CashbackEvent, to: CashbackStatus) -> CashbackError {
        CashbackError::InvalidTransition {
            event,
            from: self.status,
            to,
        }
    }

    fn push(
        &mut self,
        event: CashbackEvent,
        to: CashbackStatus,
        actor: Option<String>,
        reason: String,
        at: DateTime<Utc>,
    ) {
        self.history.push(Transition {
            event,
            from: Some(self.status),
            to,
            actor,
            reason,
            at,
        });
        self.status = to;
    }

    /// Records the booking's completion at `at` (the hold runs from it). Allowed while
    /// PENDING, APPROVED or CREDITED (an override may approve and credit before completion);
    /// the status does not change. No ledger effect.
    ///
    /// # Errors
    /// [`CashbackError::InvalidTransition`] when CANCELLED or CLAWED_BACK,
    /// [`CashbackError::AlreadyCompleted`], [`CashbackError::CompletedBeforeBooked`],
    /// [`CashbackError::TimeOutOfRange`] (`at` + `hold_days` after year 9999).
    pub fn complete(&mut self, at: DateTime<Utc>) -> Result<(), CashbackError> {
        if self.status.is_terminal() {
            return Err(self.refuse(CashbackEvent::Complete, self.status));
        }
        if let Some(completed_at) = self.completed_at {
            return Err(CashbackError::AlreadyCompleted { completed_at });
        }
        if at < self.booked_at {
            return Err(CashbackError::CompletedBeforeBooked {
                booked_at: self.booked_at,
                completed_at: at,
            });
        }
        if add_days(at, i64::from(self.hold_days)).is_none() {
            return Err(CashbackError::TimeOutOfRange {
                field: "at",
                at,
                days: self.hold_days,
            });
        }
        self.completed_at = Some(at);
        self.push(
            CashbackEvent::Complete,
            self.status,
            None,
            "booking completed".into(),
            at,
        );
        Ok(())
    }

    /// Approves: PENDING → APPROVED when `now >= completed_at + hold_days`, or at any time
    /// with `override_hold` and a non-blank `actor` (recorded: `approved_by`,
    /// `hold_overridden`, the transition's reason `hold overridden`). A blank actor without
    /// override is recorded as none. No ledger effect.
    ///
    /// # Errors
    /// [`CashbackError::TooLong`] (an actor past [`MAX_ACTOR_CHARS`]),
    /// [`CashbackError::InvalidTransition`] unless PENDING,
    /// [`CashbackError::OverrideNeedsActor`], [`CashbackError::NotCompleted`],
    /// [`CashbackError::HoldNotOver`] (with the eligible instant),
    /// [`CashbackError::TimeOutOfRange`].
    pub fn approve(
        &mut self,
        now: DateTime<Utc>,
        actor: &str,
        override_hold: bool,
    ) -> Result<(), CashbackError> {
        let actor = checked_actor(actor)?;
        if self.status != CashbackStatus::Pending {
            return Err(self.refuse(CashbackEvent::Approve, CashbackStatus::Approved));
        }
        let reason = if override_hold {
            if actor.is_none() {
                return Err(CashbackError::OverrideNeedsActor);
            }
            "hold overridden"
        } else {
            let completed_at = self.completed_at.ok_or(CashbackError::NotCompleted)?;
            let eligible_at = self.eligible_at().ok_or(CashbackError::TimeOutOfRange {
                field: "completed_at",
                at: completed_at,
                days: self.hold_days,
            })?;
            if now < eligible_at {
                return Err(CashbackError::HoldNotOver { now, eligible_at });
            }
            "hold over"
        };
        self.approved_by.clone_from(&actor);
        self.approved_at = Some(now);
        self.hold_overridden = override_hold;
        self.push(
            CashbackEvent::Approve,
            CashbackStatus::Approved,
            actor,
            reason.into(),
            now,
        );
        Ok(())
    }

    /// Credits the wallet: APPROVED → CREDITED by posting the hold in full (id
    /// [`CREDIT_DOMAIN`]-derived). Exactly once: a second credit is
    /// [`CashbackError::InvalidTransition`] (CREDITED → CREDITED), and a credit replayed
    /// from a stale copy of the record is `Exists` at the ledger (the wallet moves once).
    ///
    /// # Errors
    /// [`CashbackError::InvalidTransition`] unless APPROVED, [`CashbackError::Ledger`]
    /// (the hold voided or not found …).
    pub fn credit(
        &mut self,
        ledger: &mut Ledger,
        now: DateTime<Utc>,
    ) -> Result<Outcome, CashbackError> {
        if self.status != CashbackStatus::Approved {
            return Err(self.refuse(CashbackEvent::Credit, CashbackStatus::Credited));
        }
        let post = Transfer::resolve(
            self.credit_transfer_id(),
            self.hold_transfer_id(),
            true,
            0,
            now,
        )
        .with_reference(self.reference.clone());
        let outcome = one(apply_all(ledger, &[post])?)?;
        self.credited = self.amount;
        self.push(
            CashbackEvent::Credit,
            CashbackStatus::Credited,
            None,
            String::new(),
            now,
        );
        Ok(outcome)
    }

    /// Cancels before credit: PENDING or APPROVED → CANCELLED, voiding the hold (id
    /// [`CANCEL_DOMAIN`]-derived). `actor` (blank = none; at most [`MAX_ACTOR_CHARS`]
    /// characters) and `reason` (at most [`MAX_REASON_CHARS`]) are recorded.
    ///
    /// # Errors
    /// [`CashbackError::TooLong`] (`actor` or `reason`),
    /// [`CashbackError::InvalidTransition`] when CREDITED (claw back instead) or terminal,
    /// [`CashbackError::Ledger`].
    pub fn cancel(
        &mut self,
        ledger: &mut Ledger,
        now: DateTime<Utc>,
        actor: &str,
        reason: &str,
    ) -> Result<Outcome, CashbackError> {
        let actor = checked_actor(actor)?;
        check_reason(reason)?;
        if !matches!(
            self.status,
            CashbackStatus::Pending | CashbackStatus::Approved
        ) {
            return Err(self.refuse(CashbackEvent::Cancel, CashbackStatus::Cancelled));
        }
        let void = Transfer::resolve(
            self.cancel_transfer_id(),
            self.hold_transfer_id(),
            false,
            0,
            now,
        )
        .with_reference(self.reference.clone());
        let outcome = one(apply_all(ledger, &[void])?)?;
        self.push(
            CashbackEvent::Cancel,
            CashbackStatus::Cancelled,
            actor,
            reason.into(),
            now,
        );
        Ok(outcome)
    }

    /// Claws back credited cashback: CREDITED → CLAWED_BACK. `applied = min(amount,
    /// credited)`; the wallet gives back what it can (its available balance plus overdraft
    /// when it must not go negative; all of it otherwise): REVERSAL wallet → source; the
    /// rest is the customer's debt: ADJUSTMENT debt account → source — recorded, never
    /// dropped. The two transfers are one linked chain (ids [`CLAWBACK_DOMAIN`]- and
    /// [`DEBT_DOMAIN`]-derived). One clawback per cashback (a partial one is terminal
    /// too). The request's `actor` and `reason` are recorded (at most [`MAX_ACTOR_CHARS`]
    /// and [`MAX_REASON_CHARS`] characters).
    ///
    /// # Errors
    /// [`CashbackError::TooLong`] (`actor` or `reason`),
    /// [`CashbackError::InvalidTransition`] unless CREDITED,
    /// [`CashbackError::UnitMismatch`], [`CashbackError::AmountMustNotBeZero`],
    /// [`CashbackError::Ledger`] (an unknown debt account …).
    pub fn clawback(
        &mut self,
        ledger: &mut Ledger,
        req: &CashbackClawback,
    ) -> Result<CashbackClawbackReport, CashbackError> {
        let actor = match req.actor.as_deref() {
            Some(actor) => checked_actor(actor)?,
            None => None,
        };
        check_reason(&req.reason)?;
        if self.status != CashbackStatus::Credited {
            return Err(self.refuse(CashbackEvent::Clawback, CashbackStatus::ClawedBack));
        }
        if req.unit != self.unit {
            return Err(CashbackError::UnitMismatch {
                record: self.unit,
                request: req.unit,
            });
        }
        if req.amount == 0 {
            return Err(CashbackError::AmountMustNotBeZero);
        }
        let applied = req.amount.min(
            self.credited
                .saturating_sub(self.clawed_back.saturating_add(self.debt)),
        );
        let room = ledger
            .account(self.wallet)
            .map_or(Some(applied), AccountState::debit_room)
            .unwrap_or(applied);
        let from_wallet = applied.min(room);
        let debt = applied.saturating_sub(from_wallet);
        let reason = req.reason.clone();
        let mut transfers = Vec::with_capacity(2);
        let reversal_transfer = (from_wallet > 0).then(|| self.clawback_transfer_id());
        let debt_transfer = (debt > 0).then(|| self.debt_transfer_id());
        if let Some(id) = reversal_transfer {
            transfers.push(
                Transfer::new(
                    id,
                    self.wallet,
                    self.source,
                    from_wallet,
                    self.unit,
                    Code::Reversal,
                    req.at,
                )
                .with_reference(self.reference.clone()),
            );
        }
        if let Some(id) = debt_transfer {
            transfers.push(
                Transfer::new(
                    id,
                    req.debt_account,
                    self.source,
                    debt,
                    self.unit,
                    Code::Adjustment,
                    req.at,
                )
                .with_reference(self.reference.clone()),
            );
        }
        let n = transfers.len();
        for (i, t) in transfers.iter_mut().enumerate() {
            t.flags.linked = i.saturating_add(1) < n;
        }
        precheck(ledger, &transfers).map_err(|error| CashbackError::Ledger { error })?;
        let outcomes = apply_all(ledger, &transfers)?;
        self.clawed_back = self.clawed_back.saturating_add(from_wallet);
        self.debt = self.debt.saturating_add(debt);
        self.push(
            CashbackEvent::Clawback,
            CashbackStatus::ClawedBack,
            actor,
            reason,
            req.at,
        );
        Ok(CashbackClawbackReport {
            unit: self.unit,
            requested: req.amount,
            applied,
            from_wallet,
            debt,
            reversal_transfer,
            debt_transfer,
            outcomes,
        })
    }
}

/// The single outcome of a one-transfer batch.
fn one(outcomes: Vec<Outcome>) -> Result<Outcome, CashbackError> {
    outcomes
        .into_iter()
        .next()
        .ok_or(CashbackError::BatchRefused {
            message: "no result".into(),
        })
}
