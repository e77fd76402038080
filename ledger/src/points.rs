//! Loyalty points (issue 6): lots earned with an expiry, redeemed soonest-expiring first,
//! swept by an idempotent, path-independent expiry, and clawed back on refunds.
//!
//! A [`PointsBook`] keeps the lots of any number of customer points accounts and drives a
//! [`Ledger`]: every operation is one ledger transfer (or one linked chain), and the book
//! changes only once the ledger accepted it — a refused operation leaves the book and the
//! ledger as they were. The book expects to be the only mover of points out of the
//! customer accounts it keeps (points moved by other transfers are not known to its lots;
//! the ledger then refuses what the account no longer holds, a typed error).
//!
//! | Operation | Ledger transfer | Transfer id |
//! |---|---|---|
//! | [`PointsBook::earn`] | EARN issuer → customer | the request's id (= the lot id) |
//! | [`PointsBook::redeem`] | REDEEM customer → `to` | the request's id |
//! | [`PointsBook::expire`] | EXPIRE customer → the lot's issuer, one per lot | [`expire_transfer_id`] |
//! | [`PointsBook::clawback`] | REVERSAL customer → issuer, ADJUSTMENT debt → issuer (linked) | [`derived_id`] of the request's id |
//!
//! **Instants.** A lot is *available* at instant `t` when `earned_at <= t < expires_at`:
//! one instant before `expires_at` it can be redeemed, at `expires_at` it cannot. The
//! default expiry is [`DEFAULT_EXPIRY_DAYS`] (365) days of 24 hours after `earned_at`, not
//! "the same date next year": points earned on 2028-02-29T10:00Z expire at
//! 2029-02-28T10:00Z (and points earned on 2027-03-01T10:00Z expire at 2028-02-29T10:00Z).
//! An earn whose default expiry would fall after year 9999 (RFC 3339's last) is refused
//! with [`PointsError::TimeOutOfRange`] (see [`crate::instant`]); give its `expires_at`.
//!
//! **Expiry.** [`PointsBook::expire`]`(now)` creates, for every lot with points left and
//! `expires_at <= now`, one EXPIRE transfer of what is left, with an id derived from the
//! lot id and dated at the lot's `expires_at`. Since a redemption never takes from a lot
//! that is no longer available, what is left in a lot cannot change after `expires_at`: the
//! expiry amount, and so the final balances and lot remainders, do not depend on when or how
//! often the sweep runs (provided operations come in non-decreasing time order), and a
//! second sweep creates nothing. Expiry takes only what is left, never what was redeemed
//! (the peers' double deduction).
//!
//! **Clawback.** See [`PointsBook::clawback`]: `floor(lot amount × refunded ÷ paid)`,
//! capped at what the lot earned less earlier clawbacks; taken from the lot while it is
//! available, points of the lot that expired count as already recovered, and the rest —
//! points the customer spent — is recorded as a debt (an ADJUSTMENT transfer on the
//! customer's debt account), never dropped.
//!
//! JSON: amounts are decimal strings at the unit's scale (`"1500"` for whole points,
//! `"12.50"` for `POINTS:2`), ids decimal strings, instants RFC 3339 (UTC).

use crate::amount::{to_decimal, to_units};
use crate::instant::add_days;
use crate::limits::{bounded_vec, MAX_BOOK_CLAWBACKS, MAX_BOOK_LOTS, MAX_BOOK_REDEMPTIONS};
use crate::{BatchError, Code, Id, Ledger, Outcome, Transfer, TransferError, TransferFlags, Unit};
use crate::{TransferResult, BATCH_MAX};
use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Days (of 24 hours) from `earned_at` to the default `expires_at` of a lot.
pub const DEFAULT_EXPIRY_DAYS: i64 = 365;

/// Domain of [`expire_transfer_id`]: `"rihla-points-expire"`.
pub const EXPIRE_DOMAIN: &str = "rihla-points-expire";
/// Domain of a points clawback's REVERSAL transfer id: `"rihla-points-clawback"`.
pub const CLAWBACK_DOMAIN: &str = "rihla-points-clawback";
/// Domain of a points clawback's debt (ADJUSTMENT) transfer id: `"rihla-points-debt"`.
pub const DEBT_DOMAIN: &str = "rihla-points-debt";

/// A transfer id derived from another id, so that a derived operation (an expiry, a
/// clawback, a cashback credit) has the same id however often it is retried.
///
/// The first 16 bytes, big-endian, of `SHA-256(domain as UTF-8 ‖ 0x00 ‖ id as 16 bytes
/// big-endian)`; the reserved values are avoided (0 becomes 1, 2¹²⁸ − 1 becomes 2¹²⁸ − 2).
/// In Python: `int.from_bytes(sha256(domain.encode() + b"\0" + id.to_bytes(16, "big"))
/// .digest()[:16], "big")`.
pub fn derived_id(domain: &str, id: Id) -> Id {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update([0u8]);
    h.update(id.0.to_be_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    for (dst, src) in bytes.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    match u128::from_be_bytes(bytes) {
        0 => Id(1),
        u128::MAX => Id(u128::MAX - 1),
        v => Id(v),
    }
}

/// The id of the EXPIRE transfer of lot `lot`: [`derived_id`]`(`[`EXPIRE_DOMAIN`]`, lot)`.
pub fn expire_transfer_id(lot: Id) -> Id {
    derived_id(EXPIRE_DOMAIN, lot)
}

/// Why a points operation was refused. Nothing changed, in the book or in the ledger.
///
/// JSON ([`PointsError::to_value`]): `{"code": "INSUFFICIENT_POINTS", "message": …,
/// …values}`; a ledger refusal is the ledger's error (`{"code": "EXCEEDS_CREDITS", …}`)
/// with `"refused_by": "ledger"`. (The derived `Serialize` nests a ledger refusal as
/// `{"code": "LEDGER", "error": {…}}`; `to_value` is the form to expose.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PointsError {
    /// The request's unit is not the book's.
    #[error("the request counts {request}, the book {book}")]
    UnitMismatch {
        /// The book's unit.
        book: Unit,
        /// The request's unit.
        request: Unit,
    },
    /// A lot's `expires_at` is not after its `earned_at`.
    #[error("expires_at {expires_at} is not after earned_at {earned_at}")]
    ExpiryNotAfterEarn {
        /// The earn instant.
        earned_at: DateTime<Utc>,
        /// The expiry asked.
        expires_at: DateTime<Utc>,
    },
    /// An instant plus the default expiry falls after year
    /// [`crate::instant::LAST_YEAR`] (9999, the last RFC 3339 writes): give `expires_at`.
    #[error("{field} {at} plus {days} days falls after year 9999, past what RFC 3339 can write")]
    TimeOutOfRange {
        /// The request's field that leads there: `at` (the earn instant).
        field: &'static str,
        /// Its instant.
        at: DateTime<Utc>,
        /// The days added ([`DEFAULT_EXPIRY_DAYS`]).
        days: i64,
    },
    /// A lot with this id exists with another body (`field`: `from`, `to`, `amount`,
    /// `reference` or `expires_at`, the first that differs).
    #[error("lot {id} exists with a different {field}")]
    LotExistsWithDifferentField {
        /// The lot (earn transfer) id.
        id: Id,
        /// The first differing field.
        field: &'static str,
    },
    /// A redemption with this id exists with another body (`account`, `to`, `amount` or
    /// `reference`).
    #[error("redemption {id} exists with a different {field}")]
    RedemptionExistsWithDifferentField {
        /// The redemption (transfer) id.
        id: Id,
        /// The first differing field.
        field: &'static str,
    },
    /// A clawback with this id exists with another body (`lot`, `refunded`, `paid`,
    /// `debt_account`, `reference` or `from_other_lots`).
    #[error("clawback {id} exists with a different {field}")]
    ClawbackExistsWithDifferentField {
        /// The clawback request id.
        id: Id,
        /// The first differing field.
        field: &'static str,
    },
    /// The account's lots available at `at` hold less than the amount asked.
    #[error("account {account} has {available} points available, less than {amount}")]
    InsufficientPoints {
        /// The customer points account.
        account: Id,
        /// Available at the instant (minor units of the points unit).
        available: String,
        /// Asked (minor units).
        amount: String,
    },
    /// No lot has this id.
    #[error("lot {lot} not found")]
    LotNotFound {
        /// The lot id.
        lot: Id,
    },
    /// The refunded share is not in (0, 1]: `refunded` ≤ 0, `paid` ≤ 0 or
    /// `refunded` > `paid`.
    #[error("refunded {refunded} of paid {paid} is not a share in (0, 1]")]
    InvalidRefundShare {
        /// The refunded amount, as given.
        refunded: String,
        /// The paid amount, as given.
        paid: String,
    },
    /// Arithmetic beyond the largest amount (the values named).
    #[error("{what} overflows")]
    Overflow {
        /// What was being computed.
        what: &'static str,
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
    /// The book holds its limit of `field` (`lots` [`MAX_BOOK_LOTS`], `redemptions`
    /// [`MAX_BOOK_REDEMPTIONS`], `clawbacks` [`MAX_BOOK_CLAWBACKS`]): `actual` is the count
    /// the new record would make.
    #[error("{field} has {actual} entries, more than the limit of {limit}")]
    LimitExceeded {
        /// `lots`, `redemptions` or `clawbacks`.
        field: &'static str,
        /// The limit.
        limit: usize,
        /// The count with the new record.
        actual: usize,
    },
}

impl PointsError {
    /// The stable code, e.g. `INSUFFICIENT_POINTS`; a ledger refusal gives the ledger's code
    /// (`EXCEEDS_CREDITS`, `ID_ALREADY_FAILED` …).
    pub fn code(&self) -> &'static str {
        use PointsError as E;
        match self {
            E::UnitMismatch { .. } => "UNIT_MISMATCH",
            E::ExpiryNotAfterEarn { .. } => "EXPIRY_NOT_AFTER_EARN",
            E::TimeOutOfRange { .. } => "TIME_OUT_OF_RANGE",
            E::LotExistsWithDifferentField { .. } => "LOT_EXISTS_WITH_DIFFERENT_FIELD",
            E::RedemptionExistsWithDifferentField { .. } => {
                "REDEMPTION_EXISTS_WITH_DIFFERENT_FIELD"
            }
            E::ClawbackExistsWithDifferentField { .. } => "CLAWBACK_EXISTS_WITH_DIFFERENT_FIELD",
            E::InsufficientPoints { .. } => "INSUFFICIENT_POINTS",
            E::LotNotFound { .. } => "LOT_NOT_FOUND",
            E::InvalidRefundShare { .. } => "INVALID_REFUND_SHARE",
            E::Overflow { .. } => "OVERFLOW",
            E::Ledger { error } => error.code(),
            E::BatchRefused { .. } => "BATCH_REFUSED",
            E::LimitExceeded { .. } => "LIMIT_EXCEEDED",
        }
    }

    /// The error as JSON: `{"code", "message", …values}` (a ledger refusal: the ledger's
    /// error object with `"refused_by": "ledger"`).
    pub fn to_value(&self) -> serde_json::Value {
        if let PointsError::Ledger { error } = self {
            return crate::error::refused_by_ledger(error);
        }
        crate::error::json_of(self, self.code())
    }
}

/// Points taken from one lot (by a redemption or a clawback), minor units of the book's
/// unit. Serialized inside its parent (which carries the unit) as `{"lot": "…", "amount":
/// "…"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consumption {
    /// The lot (its earn transfer id).
    pub lot: Id,
    /// Points taken, minor units (> 0).
    pub amount: u128,
}

/// A lot: the points of one EARN transfer, with what became of them.
///
/// Invariant: `amount = remaining + redeemed + expired + clawed_back`.
///
/// ```json
/// {"id": "7001", "account": "501", "issuer": "1", "unit": "POINTS", "amount": "1500",
///  "remaining": "1000", "redeemed": "500", "expired": "0", "clawed_back": "0",
///  "clawback_target": "0", "covered_by_expiry": "0",
///  "earned_at": "2028-02-29T10:00:00Z", "expires_at": "2029-02-28T10:00:00Z",
///  "reference": "BKG-1042"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LotWire", into = "LotWire")]
pub struct Lot {
    /// The lot id: its EARN transfer's id.
    pub id: Id,
    /// The customer points account credited.
    pub account: Id,
    /// The platform's points-issuing account debited (expired and clawed-back points
    /// return to it).
    pub issuer: Id,
    /// The points unit.
    pub unit: Unit,
    /// Points earned, minor units.
    pub amount: u128,
    /// Points still in the lot.
    pub remaining: u128,
    /// Points redeemed from it.
    pub redeemed: u128,
    /// Points expired from it (by its EXPIRE transfer).
    pub expired: u128,
    /// Points taken from it by clawbacks (of this lot's booking or, with
    /// `from_other_lots`, of another).
    pub clawed_back: u128,
    /// Σ clawback targets against this lot (≤ `amount`): the cap of later clawbacks.
    pub clawback_target: u128,
    /// Of the clawback targets against this lot, the points counted as already recovered
    /// because they expired (≤ the points of the lot that expired).
    pub covered_by_expiry: u128,
    /// The earn instant (the EARN transfer's `at`).
    pub earned_at: DateTime<Utc>,
    /// The first instant at which the lot is no longer available.
    pub expires_at: DateTime<Utc>,
    /// The earn's reference (a booking).
    pub reference: String,
    /// Its EXPIRE transfer's id, once swept.
    pub expire_transfer: Option<Id>,
}

impl Lot {
    /// Whether the lot can be redeemed at `at`: `earned_at <= at < expires_at`.
    pub fn is_available_at(&self, at: DateTime<Utc>) -> bool {
        self.earned_at <= at && at < self.expires_at
    }

    /// The EARN transfer that created the lot.
    pub fn earn_transfer(&self) -> Transfer {
        Transfer::new(
            self.id,
            self.issuer,
            self.account,
            self.amount,
            self.unit,
            Code::Earn,
            self.earned_at,
        )
        .with_reference(self.reference.clone())
    }

    /// The EXPIRE transfer of what is left (id [`expire_transfer_id`], dated
    /// `expires_at`, reference the lot's), or `None` when nothing is left.
    pub fn expire_transfer(&self) -> Option<Transfer> {
        (self.remaining > 0).then(|| {
            Transfer::new(
                expire_transfer_id(self.id),
                self.account,
                self.issuer,
                self.remaining,
                self.unit,
                Code::Expire,
                self.expires_at,
            )
            .with_reference(self.reference.clone())
        })
    }

    /// Points of the lot that went, or are going, to expiry as seen at `at`: what expired,
    /// plus what is left once `at >= expires_at`.
    fn lapsed_at(&self, at: DateTime<Utc>) -> u128 {
        let due = if at >= self.expires_at {
            self.remaining
        } else {
            0
        };
        self.expired.saturating_add(due)
    }

    fn check(&self) -> Result<(), String> {
        let parts = [self.redeemed, self.expired, self.clawed_back]
            .iter()
            .try_fold(self.remaining, |s, v| s.checked_add(*v));
        if parts != Some(self.amount) {
            return Err(format!(
                "lot {}: remaining + redeemed + expired + clawed_back is not amount",
                self.id
            ));
        }
        if self.clawback_target > self.amount || self.covered_by_expiry > self.clawback_target {
            return Err(format!(
                "lot {}: clawback_target or covered_by_expiry too large",
                self.id
            ));
        }
        if self.expires_at <= self.earned_at {
            return Err(format!(
                "lot {}: expires_at is not after earned_at",
                self.id
            ));
        }
        if self.id.is_reserved() {
            return Err("lot id must not be 0 or 2^128 - 1".into());
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LotWire {
    id: Id,
    account: Id,
    issuer: Id,
    unit: Unit,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    remaining: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    redeemed: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    expired: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    clawed_back: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    clawback_target: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    covered_by_expiry: Decimal,
    #[serde(with = "rihla_core::time::utc")]
    earned_at: DateTime<Utc>,
    #[serde(with = "rihla_core::time::utc")]
    expires_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expire_transfer: Option<Id>,
}

impl TryFrom<LotWire> for Lot {
    type Error = String;
    fn try_from(w: LotWire) -> Result<Self, String> {
        let u = |d: Decimal, field: &str| to_units(w.unit, d, field, true);
        let lot = Lot {
            id: w.id,
            account: w.account,
            issuer: w.issuer,
            unit: w.unit,
            amount: to_units(w.unit, w.amount, "amount", false)?,
            remaining: u(w.remaining, "remaining")?,
            redeemed: u(w.redeemed, "redeemed")?,
            expired: u(w.expired, "expired")?,
            clawed_back: u(w.clawed_back, "clawed_back")?,
            clawback_target: u(w.clawback_target, "clawback_target")?,
            covered_by_expiry: u(w.covered_by_expiry, "covered_by_expiry")?,
            earned_at: w.earned_at,
            expires_at: w.expires_at,
            reference: w.reference,
            expire_transfer: w.expire_transfer,
        };
        lot.check()?;
        Ok(lot)
    }
}

impl From<Lot> for LotWire {
    fn from(l: Lot) -> Self {
        let d = |v| to_decimal(l.unit, v);
        LotWire {
            id: l.id,
            account: l.account,
            issuer: l.issuer,
            unit: l.unit,
            amount: d(l.amount),
            remaining: d(l.remaining),
            redeemed: d(l.redeemed),
            expired: d(l.expired),
            clawed_back: d(l.clawed_back),
            clawback_target: d(l.clawback_target),
            covered_by_expiry: d(l.covered_by_expiry),
            earned_at: l.earned_at,
            expires_at: l.expires_at,
            reference: l.reference,
            expire_transfer: l.expire_transfer,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsumptionWire {
    lot: Id,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
}

fn consumptions_to_wire(unit: Unit, c: &[Consumption]) -> Vec<ConsumptionWire> {
    c.iter()
        .map(|c| ConsumptionWire {
            lot: c.lot,
            amount: to_decimal(unit, c.amount),
        })
        .collect()
}

fn consumptions_from_wire(unit: Unit, w: Vec<ConsumptionWire>) -> Result<Vec<Consumption>, String> {
    w.into_iter()
        .map(|c| {
            Ok(Consumption {
                lot: c.lot,
                amount: to_units(unit, c.amount, "consumed.amount", false)?,
            })
        })
        .collect()
}

/// Earn points: one EARN transfer `from` the platform's points-issuing account `to` a
/// customer points account, making a lot.
///
/// ```json
/// {"id": "7001", "from": "1", "to": "501", "amount": "1500", "unit": "POINTS",
///  "at": "2028-02-29T10:00:00Z", "expires_at": null, "reference": "BKG-1042"}
/// ```
///
/// The id is the lot id and the idempotency key; `at` is not part of the body (a retry at
/// another instant is the same earn), `expires_at` is when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EarnWire", into = "EarnWire")]
pub struct EarnRequest {
    /// The EARN transfer id = the lot id.
    pub id: Id,
    /// The platform's points-issuing account (debited).
    pub from: Id,
    /// The customer points account (credited).
    pub to: Id,
    /// Points, minor units of `unit` (> 0).
    pub amount: u128,
    /// The points unit (must be the book's).
    pub unit: Unit,
    /// The earn instant.
    pub at: DateTime<Utc>,
    /// When the lot stops being available; `None` = `at` + [`DEFAULT_EXPIRY_DAYS`] days.
    pub expires_at: Option<DateTime<Utc>>,
    /// The host's reference (a booking; at most 128 characters).
    pub reference: String,
}

impl EarnRequest {
    /// An earn with the default expiry and no reference.
    pub fn new(
        id: impl Into<Id>,
        from: impl Into<Id>,
        to: impl Into<Id>,
        amount: u128,
        unit: Unit,
        at: DateTime<Utc>,
    ) -> EarnRequest {
        EarnRequest {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            amount,
            unit,
            at,
            expires_at: None,
            reference: String::new(),
        }
    }

    /// The same earn expiring at `expires_at` (the per-lot override).
    pub fn expiring_at(mut self, expires_at: DateTime<Utc>) -> EarnRequest {
        self.expires_at = Some(expires_at);
        self
    }

    /// The same earn with `reference`.
    pub fn with_reference(mut self, reference: impl Into<String>) -> EarnRequest {
        self.reference = reference.into();
        self
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EarnWire {
    id: Id,
    from: Id,
    to: Id,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    unit: Unit,
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
    #[serde(default, with = "rihla_core::time::utc::option")]
    expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    reference: String,
}

impl TryFrom<EarnWire> for EarnRequest {
    type Error = String;
    fn try_from(w: EarnWire) -> Result<Self, String> {
        Ok(EarnRequest {
            id: w.id,
            from: w.from,
            to: w.to,
            amount: to_units(w.unit, w.amount, "amount", false)?,
            unit: w.unit,
            at: w.at,
            expires_at: w.expires_at,
            reference: w.reference,
        })
    }
}

impl From<EarnRequest> for EarnWire {
    fn from(r: EarnRequest) -> Self {
        EarnWire {
            id: r.id,
            from: r.from,
            to: r.to,
            amount: to_decimal(r.unit, r.amount),
            unit: r.unit,
            at: r.at,
            expires_at: r.expires_at,
            reference: r.reference,
        }
    }
}

/// Redeem points: one REDEEM transfer from a customer points account `to` the platform's
/// redemption account; the book takes the points from the account's lots available at `at`
/// in (expires_at, earned_at, id) order.
///
/// ```json
/// {"id": "8001", "account": "501", "to": "2", "amount": "700", "unit": "POINTS",
///  "at": "2028-06-01T00:00:00Z", "reference": "BKG-2001"}
/// ```
///
/// The id is the REDEEM transfer's id and the idempotency key (`at` not part of the body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RedeemWire", into = "RedeemWire")]
pub struct RedeemRequest {
    /// The REDEEM transfer id.
    pub id: Id,
    /// The customer points account (debited).
    pub account: Id,
    /// The platform's redemption account (credited).
    pub to: Id,
    /// Points, minor units of `unit` (> 0).
    pub amount: u128,
    /// The points unit (must be the book's).
    pub unit: Unit,
    /// The redemption instant: only lots available then are used.
    pub at: DateTime<Utc>,
    /// The host's reference (at most 128 characters).
    pub reference: String,
}

impl RedeemRequest {
    /// A redemption with no reference.
    pub fn new(
        id: impl Into<Id>,
        account: impl Into<Id>,
        to: impl Into<Id>,
        amount: u128,
        unit: Unit,
        at: DateTime<Utc>,
    ) -> RedeemRequest {
        RedeemRequest {
            id: id.into(),
            account: account.into(),
            to: to.into(),
            amount,
            unit,
            at,
            reference: String::new(),
        }
    }

    /// The same redemption with `reference`.
    pub fn with_reference(mut self, reference: impl Into<String>) -> RedeemRequest {
        self.reference = reference.into();
        self
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedeemWire {
    id: Id,
    account: Id,
    to: Id,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    unit: Unit,
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
    #[serde(default)]
    reference: String,
}

impl TryFrom<RedeemWire> for RedeemRequest {
    type Error = String;
    fn try_from(w: RedeemWire) -> Result<Self, String> {
        Ok(RedeemRequest {
            id: w.id,
            account: w.account,
            to: w.to,
            amount: to_units(w.unit, w.amount, "amount", false)?,
            unit: w.unit,
            at: w.at,
            reference: w.reference,
        })
    }
}

impl From<RedeemRequest> for RedeemWire {
    fn from(r: RedeemRequest) -> Self {
        RedeemWire {
            id: r.id,
            account: r.account,
            to: r.to,
            amount: to_decimal(r.unit, r.amount),
            unit: r.unit,
            at: r.at,
            reference: r.reference,
        }
    }
}

/// A redemption as the book recorded it: the request and the lots it took from.
///
/// ```json
/// {"id": "8001", "account": "501", "to": "2", "unit": "POINTS", "amount": "700",
///  "at": "2028-06-01T00:00:00Z", "consumed": [{"lot": "7002", "amount": "400"},
///  {"lot": "7001", "amount": "300"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RedemptionWire", into = "RedemptionWire")]
pub struct Redemption {
    /// The REDEEM transfer id.
    pub id: Id,
    /// The customer points account.
    pub account: Id,
    /// The redemption account credited.
    pub to: Id,
    /// The points unit.
    pub unit: Unit,
    /// Points, minor units.
    pub amount: u128,
    /// The instant.
    pub at: DateTime<Utc>,
    /// The reference.
    pub reference: String,
    /// The lots taken from, in the order taken (Σ = `amount`).
    pub consumed: Vec<Consumption>,
}

impl Redemption {
    /// The REDEEM transfer.
    pub fn transfer(&self) -> Transfer {
        Transfer::new(
            self.id,
            self.account,
            self.to,
            self.amount,
            self.unit,
            Code::Redeem,
            self.at,
        )
        .with_reference(self.reference.clone())
    }

    fn differs(&self, r: &RedeemRequest) -> Option<&'static str> {
        if self.account != r.account {
            Some("account")
        } else if self.to != r.to {
            Some("to")
        } else if self.amount != r.amount {
            Some("amount")
        } else if self.reference != r.reference {
            Some("reference")
        } else {
            None
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedemptionWire {
    id: Id,
    account: Id,
    to: Id,
    unit: Unit,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    reference: String,
    #[serde(deserialize_with = "consumed_lots")]
    consumed: Vec<ConsumptionWire>,
}

fn consumed_lots<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ConsumptionWire>, D::Error> {
    bounded_vec(d, "consumed", MAX_BOOK_LOTS)
}

fn other_lots<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ConsumptionWire>, D::Error> {
    bounded_vec(d, "from_other_lots", MAX_BOOK_LOTS)
}

impl TryFrom<RedemptionWire> for Redemption {
    type Error = String;
    fn try_from(w: RedemptionWire) -> Result<Self, String> {
        let consumed = consumptions_from_wire(w.unit, w.consumed)?;
        let amount = to_units(w.unit, w.amount, "amount", false)?;
        let total = consumed
            .iter()
            .try_fold(0u128, |s, c| s.checked_add(c.amount));
        if total != Some(amount) {
            return Err(format!(
                "redemption {}: consumed does not add up to amount",
                w.id
            ));
        }
        Ok(Redemption {
            id: w.id,
            account: w.account,
            to: w.to,
            unit: w.unit,
            amount,
            at: w.at,
            reference: w.reference,
            consumed,
        })
    }
}

impl From<Redemption> for RedemptionWire {
    fn from(r: Redemption) -> Self {
        RedemptionWire {
            id: r.id,
            account: r.account,
            to: r.to,
            unit: r.unit,
            amount: to_decimal(r.unit, r.amount),
            at: r.at,
            reference: r.reference,
            consumed: consumptions_to_wire(r.unit, &r.consumed),
        }
    }
}

/// Claw back the points a booking earned, for a refund of part or all of it.
///
/// ```json
/// {"id": "9101", "lot": "7001", "refunded": "250.00", "paid": "1000.00",
///  "at": "2028-05-01T00:00:00Z", "debt_account": "601", "reference": "RF-55"}
/// ```
///
/// `refunded` and `paid` are money in the booking's currency (any scale; only their ratio
/// is used, exactly). The id is the idempotency key; the transfers' ids derive from it
/// ([`CLAWBACK_DOMAIN`], [`DEBT_DOMAIN`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClawbackRequest {
    /// The clawback's id (a refund id).
    pub id: Id,
    /// The booking's lot (its earn transfer id).
    pub lot: Id,
    /// The amount refunded (> 0, ≤ `paid`).
    #[serde(with = "rihla_core::decimal_string")]
    pub refunded: Decimal,
    /// The amount paid for the booking (> 0).
    #[serde(with = "rihla_core::decimal_string")]
    pub paid: Decimal,
    /// The instant.
    #[serde(with = "rihla_core::time::utc")]
    pub at: DateTime<Utc>,
    /// The customer's points debt account (debit-normal, points unit): debited with the
    /// points the customer already spent.
    pub debt_account: Id,
    /// The host's reference (at most 128 characters).
    #[serde(default)]
    pub reference: String,
    /// Take what the lot no longer holds from the account's other lots available at `at`
    /// (in redemption order) before recording a debt. Default false: straight to debt.
    #[serde(default)]
    pub from_other_lots: bool,
}

/// A clawback as the book recorded it.
///
/// `target = from_lot + Σ from_other_lots + covered_by_expiry + debt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ClawbackWire", into = "ClawbackWire")]
pub struct PointsClawback {
    /// The request.
    pub request: ClawbackRequest,
    /// The customer points account (the lot's).
    pub account: Id,
    /// The lot's issuer (credited).
    pub issuer: Id,
    /// The points unit.
    pub unit: Unit,
    /// `floor(lot amount × refunded ÷ paid)`, capped at the lot's amount less earlier
    /// clawback targets; minor units.
    pub target: u128,
    /// Taken from the booking's lot (0 once it expired).
    pub from_lot: u128,
    /// Taken from the account's other lots (`from_other_lots` only).
    pub from_other_lots: Vec<Consumption>,
    /// Counted as already recovered: points of the lot that expired.
    pub covered_by_expiry: u128,
    /// Points the customer had spent: debited to `debt_account`.
    pub debt: u128,
    /// The REVERSAL transfer (customer → issuer, `from_lot` + Σ `from_other_lots`), if
    /// any.
    pub reversal_transfer: Option<Id>,
    /// The ADJUSTMENT transfer (debt account → issuer, `debt`), if any.
    pub debt_transfer: Option<Id>,
}

impl PointsClawback {
    /// The ledger transfers, linked when there are two: REVERSAL then ADJUSTMENT.
    pub fn transfers(&self) -> Vec<Transfer> {
        let r = &self.request;
        let taken = self
            .from_other_lots
            .iter()
            .fold(self.from_lot, |s, c| s.saturating_add(c.amount));
        let mut out = Vec::with_capacity(2);
        if let Some(id) = self.reversal_transfer {
            out.push(
                Transfer::new(
                    id,
                    self.account,
                    self.issuer,
                    taken,
                    self.unit,
                    Code::Reversal,
                    r.at,
                )
                .with_reference(r.reference.clone()),
            );
        }
        if let Some(id) = self.debt_transfer {
            out.push(
                Transfer::new(
                    id,
                    r.debt_account,
                    self.issuer,
                    self.debt,
                    self.unit,
                    Code::Adjustment,
                    r.at,
                )
                .with_reference(r.reference.clone()),
            );
        }
        link(out)
    }

    fn differs(&self, r: &ClawbackRequest) -> Option<&'static str> {
        let s = &self.request;
        if s.lot != r.lot {
            Some("lot")
        } else if s.refunded != r.refunded {
            Some("refunded")
        } else if s.paid != r.paid {
            Some("paid")
        } else if s.debt_account != r.debt_account {
            Some("debt_account")
        } else if s.reference != r.reference {
            Some("reference")
        } else if s.from_other_lots != r.from_other_lots {
            Some("from_other_lots")
        } else {
            None
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClawbackWire {
    request: ClawbackRequest,
    account: Id,
    issuer: Id,
    unit: Unit,
    #[serde(with = "rihla_core::decimal_string")]
    target: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    from_lot: Decimal,
    #[serde(deserialize_with = "other_lots")]
    from_other_lots: Vec<ConsumptionWire>,
    #[serde(with = "rihla_core::decimal_string")]
    covered_by_expiry: Decimal,
    #[serde(with = "rihla_core::decimal_string")]
    debt: Decimal,
    #[serde(default)]
    reversal_transfer: Option<Id>,
    #[serde(default)]
    debt_transfer: Option<Id>,
}

impl TryFrom<ClawbackWire> for PointsClawback {
    type Error = String;
    fn try_from(w: ClawbackWire) -> Result<Self, String> {
        let u = |d: Decimal, field: &str| to_units(w.unit, d, field, true);
        let c = PointsClawback {
            account: w.account,
            issuer: w.issuer,
            unit: w.unit,
            target: u(w.target, "target")?,
            from_lot: u(w.from_lot, "from_lot")?,
            from_other_lots: consumptions_from_wire(w.unit, w.from_other_lots)?,
            covered_by_expiry: u(w.covered_by_expiry, "covered_by_expiry")?,
            debt: u(w.debt, "debt")?,
            reversal_transfer: w.reversal_transfer,
            debt_transfer: w.debt_transfer,
            request: w.request,
        };
        let parts = c
            .from_other_lots
            .iter()
            .map(|x| x.amount)
            .chain([c.from_lot, c.covered_by_expiry, c.debt])
            .try_fold(0u128, u128::checked_add);
        if parts != Some(c.target) {
            return Err(format!(
                "clawback {}: the parts do not add up to target",
                c.request.id
            ));
        }
        Ok(c)
    }
}

impl From<PointsClawback> for ClawbackWire {
    fn from(c: PointsClawback) -> Self {
        let d = |v| to_decimal(c.unit, v);
        ClawbackWire {
            account: c.account,
            issuer: c.issuer,
            unit: c.unit,
            target: d(c.target),
            from_lot: d(c.from_lot),
            from_other_lots: consumptions_to_wire(c.unit, &c.from_other_lots),
            covered_by_expiry: d(c.covered_by_expiry),
            debt: d(c.debt),
            reversal_transfer: c.reversal_transfer,
            debt_transfer: c.debt_transfer,
            request: c.request,
        }
    }
}

/// What [`PointsBook::earn`] did: the lot and the ledger's outcome (`Created`, or `Exists`
/// for a retry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarnReport {
    /// The lot.
    pub lot: Lot,
    /// The EARN transfer's outcome.
    pub outcome: Outcome,
}

/// What [`PointsBook::redeem`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedeemReport {
    /// The redemption with the lots it took from.
    pub redemption: Redemption,
    /// The REDEEM transfer's outcome.
    pub outcome: Outcome,
}

/// What [`PointsBook::clawback`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClawbackReport {
    /// The clawback with its split (lot, other lots, expiry, debt).
    pub clawback: PointsClawback,
    /// The outcomes of [`PointsClawback::transfers`], in order (empty when nothing moved).
    pub outcomes: Vec<Outcome>,
}

/// One lot expired by a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "ExpiryWire")]
pub struct Expiry {
    /// The lot.
    pub lot: Id,
    /// Its customer points account.
    pub account: Id,
    /// The points unit.
    pub unit: Unit,
    /// Points expired (what was left), minor units.
    pub amount: u128,
    /// The EXPIRE transfer's id ([`expire_transfer_id`]).
    pub transfer_id: Id,
    /// Its outcome (`Exists` when a sweep of another copy of the book already made it).
    pub outcome: Outcome,
}

#[derive(Serialize)]
struct ExpiryWire {
    lot: Id,
    account: Id,
    unit: Unit,
    #[serde(with = "rihla_core::decimal_string")]
    amount: Decimal,
    transfer_id: Id,
    outcome: Outcome,
}

impl From<Expiry> for ExpiryWire {
    fn from(e: Expiry) -> Self {
        ExpiryWire {
            lot: e.lot,
            account: e.account,
            unit: e.unit,
            amount: to_decimal(e.unit, e.amount),
            transfer_id: e.transfer_id,
            outcome: e.outcome,
        }
    }
}

/// A lot a sweep could not expire (its account closed or unknown — caught before the ledger,
/// so the expiry id is not failed for good —, or the ledger's balance short of the lot when
/// points were moved outside the book): the lot is unchanged and the next sweep tries
/// again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpiryFailure {
    /// The lot.
    pub lot: Id,
    /// Its customer points account.
    pub account: Id,
    /// Why (JSON: [`PointsError::to_value`], the ledger's code for a ledger refusal).
    #[serde(serialize_with = "error_value")]
    pub error: PointsError,
}

fn error_value<S: serde::Serializer>(e: &PointsError, s: S) -> Result<S::Ok, S::Error> {
    e.to_value().serialize(s)
}

/// What [`PointsBook::expire`] did: the lots expired (in lot id order) and those that
/// failed. Empty on a second sweep at the same instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpireReport {
    /// The sweep's instant.
    pub now: DateTime<Utc>,
    /// Lots expired.
    pub expired: Vec<Expiry>,
    /// Lots that could not be.
    pub failed: Vec<ExpiryFailure>,
}

/// The lots, redemptions and clawbacks of the points accounts of one points unit.
///
/// JSON: `{"unit": "POINTS", "lots": [Lot…], "redemptions": [Redemption…],
/// "clawbacks": [PointsClawback…]}` (each in id order); reading it back checks every lot's
/// invariant and that everything counts the book's unit, and refuses a list past its limit
/// ([`MAX_BOOK_LOTS`], [`MAX_BOOK_REDEMPTIONS`], [`MAX_BOOK_CLAWBACKS`]; a record's
/// `consumed` or `from_other_lots` past [`MAX_BOOK_LOTS`]) before building it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BookWire", into = "BookWire")]
pub struct PointsBook {
    unit: Unit,
    lots: BTreeMap<Id, Lot>,
    by_account: BTreeMap<Id, BTreeSet<Id>>,
    redemptions: BTreeMap<Id, Redemption>,
    clawbacks: BTreeMap<Id, PointsClawback>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookWire {
    unit: Unit,
    #[serde(default, deserialize_with = "book_lots")]
    lots: Vec<Lot>,
    #[serde(default, deserialize_with = "book_redemptions")]
    redemptions: Vec<Redemption>,
    #[serde(default, deserialize_with = "book_clawbacks")]
    clawbacks: Vec<PointsClawback>,
}

fn book_lots<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Lot>, D::Error> {
    bounded_vec(d, "lots", MAX_BOOK_LOTS)
}

fn book_redemptions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Redemption>, D::Error> {
    bounded_vec(d, "redemptions", MAX_BOOK_REDEMPTIONS)
}

fn book_clawbacks<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PointsClawback>, D::Error> {
    bounded_vec(d, "clawbacks", MAX_BOOK_CLAWBACKS)
}

impl TryFrom<BookWire> for PointsBook {
    type Error = String;
    fn try_from(w: BookWire) -> Result<Self, String> {
        let mut book = PointsBook::new(w.unit);
        for lot in w.lots {
            if lot.unit != w.unit {
                return Err(format!(
                    "lot {} counts {}, not {}",
                    lot.id, lot.unit, w.unit
                ));
            }
            if book.lots.contains_key(&lot.id) {
                return Err(format!("lot {} appears twice", lot.id));
            }
            book.insert_lot(lot);
        }
        for r in w.redemptions {
            if r.unit != w.unit {
                return Err(format!("redemption {} counts {}", r.id, r.unit));
            }
            book.redemptions.insert(r.id, r);
        }
        for c in w.clawbacks {
            if c.unit != w.unit {
                return Err(format!("clawback {} counts {}", c.request.id, c.unit));
            }
            book.clawbacks.insert(c.request.id, c);
        }
        Ok(book)
    }
}

impl From<PointsBook> for BookWire {
    fn from(b: PointsBook) -> Self {
        BookWire {
            unit: b.unit,
            lots: b.lots.into_values().collect(),
            redemptions: b.redemptions.into_values().collect(),
            clawbacks: b.clawbacks.into_values().collect(),
        }
    }
}

/// Sets `linked` on every transfer but the last.
fn link(mut transfers: Vec<Transfer>) -> Vec<Transfer> {
    let n = transfers.len();
    for (i, t) in transfers.iter_mut().enumerate() {
        t.flags = TransferFlags {
            linked: i.saturating_add(1) < n,
            ..t.flags
        };
    }
    transfers
}

/// Applies a batch of at most a few transfers as one (linked when more than one): the
/// outcomes, or the first real failure (not `LINKED_EVENT_FAILED`).
pub(crate) fn apply_all(
    ledger: &mut Ledger,
    transfers: &[Transfer],
) -> Result<Vec<Outcome>, BatchOrTransfer> {
    if transfers.is_empty() {
        return Ok(Vec::new());
    }
    let results = ledger.apply(transfers).map_err(BatchOrTransfer::Batch)?;
    let first_error = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .find(|e| **e != TransferError::LinkedEventFailed)
        .or_else(|| results.iter().find_map(|r| r.as_ref().err()));
    if let Some(e) = first_error {
        return Err(BatchOrTransfer::Transfer(e.clone()));
    }
    Ok(results.into_iter().filter_map(Result::ok).collect())
}

/// A refusal by the ledger: of the batch or of a transfer.
pub(crate) enum BatchOrTransfer {
    Batch(BatchError),
    Transfer(TransferError),
}

impl From<BatchOrTransfer> for PointsError {
    fn from(e: BatchOrTransfer) -> Self {
        match e {
            BatchOrTransfer::Batch(b) => PointsError::BatchRefused {
                message: b.to_string(),
            },
            BatchOrTransfer::Transfer(error) => PointsError::Ledger { error },
        }
    }
}

/// The checks of a new transfer's accounts that the ledger would otherwise remember as a
/// sticky failure of the id (not found, closed), made before applying so that a derived id
/// (an expiry, a clawback) is not failed for good by a fixable mistake. Posts and voids are
/// not checked.
pub(crate) fn precheck(ledger: &Ledger, transfers: &[Transfer]) -> Result<(), TransferError> {
    for t in transfers.iter().filter(|t| !t.flags.resolves()) {
        let debit =
            ledger
                .account(t.debit_account_id)
                .ok_or(TransferError::DebitAccountNotFound {
                    account_id: t.debit_account_id,
                })?;
        let credit =
            ledger
                .account(t.credit_account_id)
                .ok_or(TransferError::CreditAccountNotFound {
                    account_id: t.credit_account_id,
                })?;
        if debit.account.closed {
            return Err(TransferError::DebitAccountClosed {
                account_id: t.debit_account_id,
            });
        }
        if credit.account.closed {
            return Err(TransferError::CreditAccountClosed {
                account_id: t.credit_account_id,
            });
        }
    }
    Ok(())
}

fn apply_one(ledger: &mut Ledger, t: Transfer) -> Result<Outcome, PointsError> {
    apply_all(ledger, std::slice::from_ref(&t))?
        .into_iter()
        .next()
        .ok_or(PointsError::BatchRefused {
            message: "no result".into(),
        })
}

/// `floor(a × b ÷ c)` exactly, for `b <= c`, `c > 0` (no intermediate overflow: binary
/// long multiplication keeping the quotient and remainder).
fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
    if c == 0 || b > c {
        return None;
    }
    let (aq, ar) = (a.checked_div(c)?, a.checked_rem(c)?);
    let (mut q, mut r) = (0u128, 0u128);
    for bit in (0..128).rev() {
        q = q.checked_mul(2)?;
        r = r.checked_mul(2)?;
        if r >= c {
            q = q.checked_add(1)?;
            r = r.checked_sub(c)?;
        }
        if (b >> bit) & 1 == 1 {
            q = q.checked_add(aq)?;
            r = r.checked_add(ar)?;
            if r >= c {
                q = q.checked_add(1)?;
                r = r.checked_sub(c)?;
            }
        }
    }
    Some(q)
}

/// Whether one more record fits a list of the book holding `len` (limit `limit`).
fn room(field: &'static str, len: usize, limit: usize) -> Result<(), PointsError> {
    if len < limit {
        return Ok(());
    }
    Err(PointsError::LimitExceeded {
        field,
        limit,
        actual: len.saturating_add(1),
    })
}

/// `refunded` and `paid` as integers at their common scale.
fn share(refunded: Decimal, paid: Decimal) -> Result<(u128, u128), PointsError> {
    let invalid = || PointsError::InvalidRefundShare {
        refunded: refunded.to_string(),
        paid: paid.to_string(),
    };
    if refunded <= Decimal::ZERO || paid <= Decimal::ZERO || refunded > paid {
        return Err(invalid());
    }
    let scale = refunded.scale().max(paid.scale());
    let int = |d: Decimal| -> Option<u128> {
        let m = u128::try_from(d.mantissa()).ok()?;
        m.checked_mul(10u128.checked_pow(scale.checked_sub(d.scale())?)?)
    };
    match (int(refunded), int(paid)) {
        (Some(r), Some(p)) if p > 0 => Ok((r, p)),
        _ => Err(PointsError::Overflow {
            what: "refunded ÷ paid",
        }),
    }
}

impl PointsBook {
    /// An empty book of `unit` (a points unit, `Unit::Points { scale }`; any unit works).
    pub fn new(unit: Unit) -> PointsBook {
        PointsBook {
            unit,
            lots: BTreeMap::new(),
            by_account: BTreeMap::new(),
            redemptions: BTreeMap::new(),
            clawbacks: BTreeMap::new(),
        }
    }

    /// The book's unit.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// A lot by id.
    pub fn lot(&self, id: Id) -> Option<&Lot> {
        self.lots.get(&id)
    }

    /// Every lot, in id order.
    pub fn lots(&self) -> impl Iterator<Item = &Lot> {
        self.lots.values()
    }

    /// The lots of a customer points account in redemption order: (expires_at,
    /// earned_at, id).
    pub fn lots_of(&self, account: Id) -> Vec<&Lot> {
        let mut lots: Vec<&Lot> = self
            .by_account
            .get(&account)
            .into_iter()
            .flatten()
            .filter_map(|id| self.lots.get(id))
            .collect();
        lots.sort_by_key(|l| (l.expires_at, l.earned_at, l.id));
        lots
    }

    /// Points of `account` available at `at` (Σ remaining of its lots with
    /// `earned_at <= at < expires_at`), minor units.
    pub fn available(&self, account: Id, at: DateTime<Utc>) -> u128 {
        self.lots_of(account)
            .into_iter()
            .filter(|l| l.is_available_at(at))
            .fold(0u128, |s, l| s.saturating_add(l.remaining))
    }

    /// Points left in `account`'s lots, expired but not yet swept included: equal to the
    /// ledger's posted balance of the account when the book alone moves its points.
    pub fn balance(&self, account: Id) -> u128 {
        self.lots_of(account)
            .into_iter()
            .fold(0u128, |s, l| s.saturating_add(l.remaining))
    }

    /// A redemption by its transfer id.
    pub fn redemption(&self, id: Id) -> Option<&Redemption> {
        self.redemptions.get(&id)
    }

    /// A clawback by its request id.
    pub fn clawback_record(&self, id: Id) -> Option<&PointsClawback> {
        self.clawbacks.get(&id)
    }

    /// Σ debts recorded by clawbacks of `account`'s lots, minor units (what the customer
    /// owes on its debt account(s)).
    pub fn debt_of(&self, account: Id) -> u128 {
        self.clawbacks
            .values()
            .filter(|c| c.account == account)
            .fold(0u128, |s, c| s.saturating_add(c.debt))
    }

    fn insert_lot(&mut self, lot: Lot) {
        self.by_account
            .entry(lot.account)
            .or_default()
            .insert(lot.id);
        self.lots.insert(lot.id, lot);
    }

    fn check_unit(&self, unit: Unit) -> Result<(), PointsError> {
        if unit == self.unit {
            Ok(())
        } else {
            Err(PointsError::UnitMismatch {
                book: self.unit,
                request: unit,
            })
        }
    }

    /// Earns points: applies the EARN transfer (`from` → `to`, code EARN, id the
    /// request's), then records the lot with `expires_at` the request's or `at` +
    /// [`DEFAULT_EXPIRY_DAYS`] days.
    ///
    /// A retry (a lot with this id and the same `from`, `to`, `amount`, `reference` and,
    /// when given, `expires_at`) applies the lot's own EARN transfer again (the ledger says
    /// `Exists`) and returns the lot unchanged. An id the ledger already holds but the book
    /// does not (a book restored from an older copy) is recorded as the lot.
    ///
    /// # Errors
    /// [`PointsError::UnitMismatch`], [`PointsError::TimeOutOfRange`] (no `expires_at`
    /// and `at` + [`DEFAULT_EXPIRY_DAYS`] days after year 9999),
    /// [`PointsError::ExpiryNotAfterEarn`], [`PointsError::LotExistsWithDifferentField`],
    /// [`PointsError::LimitExceeded`] (a new lot in a book of [`MAX_BOOK_LOTS`] lots),
    /// or [`PointsError::Ledger`] (unknown or closed account, a zero amount,
    /// `EXISTS_WITH_DIFFERENT_*` …). Nothing changes.
    pub fn earn(
        &mut self,
        ledger: &mut Ledger,
        req: &EarnRequest,
    ) -> Result<EarnReport, PointsError> {
        self.check_unit(req.unit)?;
        let expires_at = match req.expires_at {
            Some(t) => t,
            None => add_days(req.at, DEFAULT_EXPIRY_DAYS).ok_or(PointsError::TimeOutOfRange {
                field: "at",
                at: req.at,
                days: DEFAULT_EXPIRY_DAYS,
            })?,
        };
        if let Some(lot) = self.lots.get(&req.id) {
            let field = if lot.issuer != req.from {
                Some("from")
            } else if lot.account != req.to {
                Some("to")
            } else if lot.amount != req.amount {
                Some("amount")
            } else if lot.reference != req.reference {
                Some("reference")
            } else if req.expires_at.is_some_and(|t| t != lot.expires_at) {
                Some("expires_at")
            } else {
                None
            };
            if let Some(field) = field {
                return Err(PointsError::LotExistsWithDifferentField { id: req.id, field });
            }
            let outcome = apply_one(ledger, lot.earn_transfer())?;
            return Ok(EarnReport {
                lot: lot.clone(),
                outcome,
            });
        }
        if expires_at <= req.at {
            return Err(PointsError::ExpiryNotAfterEarn {
                earned_at: req.at,
                expires_at,
            });
        }
        room("lots", self.lots.len(), MAX_BOOK_LOTS)?;
        let lot = Lot {
            id: req.id,
            account: req.to,
            issuer: req.from,
            unit: self.unit,
            amount: req.amount,
            remaining: req.amount,
            redeemed: 0,
            expired: 0,
            clawed_back: 0,
            clawback_target: 0,
            covered_by_expiry: 0,
            earned_at: req.at,
            expires_at,
            reference: req.reference.clone(),
            expire_transfer: None,
        };
        let outcome = apply_one(ledger, lot.earn_transfer())?;
        self.insert_lot(lot.clone());
        Ok(EarnReport { lot, outcome })
    }

    /// Takes `amount` from `account`'s lots available at `at`, in (expires_at, earned_at,
    /// id) order, skipping `skip`: the consumptions, or the points available when short.
    fn plan(
        &self,
        account: Id,
        at: DateTime<Utc>,
        amount: u128,
        skip: Option<Id>,
    ) -> Result<Vec<Consumption>, u128> {
        let mut left = amount;
        let mut available = 0u128;
        let mut out = Vec::new();
        for lot in self.lots_of(account) {
            if Some(lot.id) == skip || !lot.is_available_at(at) || lot.remaining == 0 {
                continue;
            }
            available = available.saturating_add(lot.remaining);
            if left > 0 {
                let take = left.min(lot.remaining);
                left = left.saturating_sub(take);
                out.push(Consumption {
                    lot: lot.id,
                    amount: take,
                });
            }
        }
        if left > 0 {
            Err(available)
        } else {
            Ok(out)
        }
    }

    /// The lots after taking `consumed` from them (`redeemed` or `clawed_back` bumped),
    /// computed before anything changes.
    fn taken(&self, consumed: &[Consumption], redeem: bool) -> Result<Vec<Lot>, PointsError> {
        let overflow = PointsError::Overflow {
            what: "lot remainder",
        };
        let mut out: Vec<Lot> = Vec::with_capacity(consumed.len());
        for c in consumed {
            let mut lot = match out.iter().position(|l| l.id == c.lot) {
                Some(i) => out.swap_remove(i),
                None => self
                    .lots
                    .get(&c.lot)
                    .cloned()
                    .ok_or(PointsError::LotNotFound { lot: c.lot })?,
            };
            lot.remaining = lot
                .remaining
                .checked_sub(c.amount)
                .ok_or(overflow.clone())?;
            let used = if redeem {
                &mut lot.redeemed
            } else {
                &mut lot.clawed_back
            };
            *used = used.checked_add(c.amount).ok_or(overflow.clone())?;
            out.push(lot);
        }
        Ok(out)
    }

    /// Redeems points: takes `amount` from the account's lots available at `at` (never an
    /// expired lot: one instant before `expires_at` a lot counts, at `expires_at` it does
    /// not) in (expires_at, earned_at, id) order, applies one REDEEM transfer (`account` →
    /// `to`), then records what each lot gave.
    ///
    /// A retry (same id, `account`, `to`, `amount`, `reference`) applies the recorded
    /// transfer again (`Exists`) and returns the recorded redemption; lots are not touched
    /// twice.
    ///
    /// # Errors
    /// [`PointsError::UnitMismatch`], [`PointsError::RedemptionExistsWithDifferentField`],
    /// [`PointsError::LimitExceeded`] (a book of [`MAX_BOOK_REDEMPTIONS`] redemptions),
    /// [`PointsError::InsufficientPoints`] (the book's lots, checked before the ledger), or
    /// [`PointsError::Ledger`] (a zero amount, an unknown account, the ledger's balance
    /// short …). Nothing changes.
    pub fn redeem(
        &mut self,
        ledger: &mut Ledger,
        req: &RedeemRequest,
    ) -> Result<RedeemReport, PointsError> {
        self.check_unit(req.unit)?;
        if let Some(r) = self.redemptions.get(&req.id) {
            if let Some(field) = r.differs(req) {
                return Err(PointsError::RedemptionExistsWithDifferentField { id: req.id, field });
            }
            let outcome = apply_one(ledger, r.transfer())?;
            return Ok(RedeemReport {
                redemption: r.clone(),
                outcome,
            });
        }
        room("redemptions", self.redemptions.len(), MAX_BOOK_REDEMPTIONS)?;
        let consumed = self
            .plan(req.account, req.at, req.amount, None)
            .map_err(|available| PointsError::InsufficientPoints {
                account: req.account,
                available: available.to_string(),
                amount: req.amount.to_string(),
            })?;
        let lots = self.taken(&consumed, true)?;
        let redemption = Redemption {
            id: req.id,
            account: req.account,
            to: req.to,
            unit: self.unit,
            amount: req.amount,
            at: req.at,
            reference: req.reference.clone(),
            consumed,
        };
        let outcome = apply_one(ledger, redemption.transfer())?;
        for lot in lots {
            self.lots.insert(lot.id, lot);
        }
        self.redemptions.insert(redemption.id, redemption.clone());
        Ok(RedeemReport {
            redemption,
            outcome,
        })
    }

    /// Sweeps expired lots: for every lot with `remaining > 0` and `expires_at <= now`
    /// (lot id order), one EXPIRE transfer of what is left, customer → the lot's issuer,
    /// id [`expire_transfer_id`]`(lot)`, dated `expires_at`, reference the lot's; each lot
    /// the ledger accepts (`Created`, or `Exists` when another copy of the book swept it) is
    /// then empty (`expired` += what was left).
    ///
    /// Idempotent and path-independent: a second sweep finds nothing to do; sweeping at
    /// several instants or once at the end leaves the same lots and balances (redemptions
    /// never take from a lot past its expiry, so what a lot has left at its expiry is
    /// fixed). Lots are independent: one the ledger refuses (a closed account …) is listed
    /// in `failed`, unchanged, and retried by the next sweep.
    pub fn expire(&mut self, ledger: &mut Ledger, now: DateTime<Utc>) -> ExpireReport {
        let due: Vec<(Id, Transfer)> = self
            .lots
            .values()
            .filter(|l| l.expires_at <= now)
            .filter_map(|l| l.expire_transfer().map(|t| (l.id, t)))
            .collect();
        let mut report = ExpireReport {
            now,
            expired: Vec::new(),
            failed: Vec::new(),
        };
        let (due, refused): (Vec<_>, Vec<_>) = due
            .into_iter()
            .map(|(id, t)| {
                let ok = precheck(ledger, std::slice::from_ref(&t));
                (id, t, ok)
            })
            .partition(|(_, _, ok)| ok.is_ok());
        for (lot_id, _, ok) in refused {
            if let (Some(lot), Err(error)) = (self.lots.get(&lot_id), ok) {
                report.failed.push(ExpiryFailure {
                    lot: lot.id,
                    account: lot.account,
                    error: PointsError::Ledger { error },
                });
            }
        }
        let due: Vec<(Id, Transfer)> = due.into_iter().map(|(id, t, _)| (id, t)).collect();
        for chunk in due.chunks(BATCH_MAX) {
            let transfers: Vec<Transfer> = chunk.iter().map(|(_, t)| t.clone()).collect();
            let results: Vec<Result<Outcome, PointsError>> = match ledger.apply(&transfers) {
                Ok(r) => r
                    .into_iter()
                    .map(|r: TransferResult| r.map_err(|error| PointsError::Ledger { error }))
                    .collect(),
                Err(e) => chunk
                    .iter()
                    .map(|_| {
                        Err(PointsError::BatchRefused {
                            message: e.to_string(),
                        })
                    })
                    .collect(),
            };
            for ((lot_id, t), r) in chunk.iter().zip(results) {
                let Some(lot) = self.lots.get_mut(lot_id) else {
                    continue;
                };
                match r {
                    Ok(outcome) => {
                        lot.expired = lot.expired.saturating_add(lot.remaining);
                        lot.remaining = 0;
                        lot.expire_transfer = Some(t.id);
                        report.expired.push(Expiry {
                            lot: lot.id,
                            account: lot.account,
                            unit: lot.unit,
                            amount: t.amount,
                            transfer_id: t.id,
                            outcome,
                        });
                    }
                    Err(error) => report.failed.push(ExpiryFailure {
                        lot: lot.id,
                        account: lot.account,
                        error,
                    }),
                }
            }
        }
        report
    }

    /// Claws back the points a booking's lot earned, for a refund.
    ///
    /// - `target = floor(lot.amount × refunded ÷ paid)` (rounded down: the customer keeps
    ///   a fraction of a point), capped at `lot.amount − lot.clawback_target` (partial
    ///   refunds never claw back more than the lot earned in total).
    /// - `from_lot`: taken from the lot's remainder while it is available (`at <
    ///   expires_at`); 0 once the lot expired.
    /// - `covered_by_expiry`: what the lot lost to expiry (swept or due at `at`) and no
    ///   earlier clawback counted — those points already went back to the issuer, so they
    ///   are not charged twice.
    /// - `from_other_lots` (only when asked): taken from the account's other lots available
    ///   at `at`, in redemption order.
    /// - `debt`: the rest — points the customer already spent — debited to `debt_account`
    ///   (ADJUSTMENT, debt account → issuer), never dropped.
    ///
    /// The REVERSAL (customer → the lot's issuer, `from_lot` + other lots) and ADJUSTMENT
    /// transfers are applied as one linked chain; their ids derive from the request id. A
    /// retry (same id and body) applies them again (`Exists`).
    ///
    /// # Errors
    /// [`PointsError::ClawbackExistsWithDifferentField`], [`PointsError::LotNotFound`],
    /// [`PointsError::LimitExceeded`] (a book of [`MAX_BOOK_CLAWBACKS`] clawbacks),
    /// [`PointsError::InvalidRefundShare`], [`PointsError::Overflow`], or
    /// [`PointsError::Ledger`] (an unknown debt account …). Nothing changes.
    pub fn clawback(
        &mut self,
        ledger: &mut Ledger,
        req: &ClawbackRequest,
    ) -> Result<ClawbackReport, PointsError> {
        if let Some(c) = self.clawbacks.get(&req.id) {
            if let Some(field) = c.differs(req) {
                return Err(PointsError::ClawbackExistsWithDifferentField { id: req.id, field });
            }
            let outcomes = apply_all(ledger, &c.transfers())?;
            return Ok(ClawbackReport {
                clawback: c.clone(),
                outcomes,
            });
        }
        let lot = self
            .lots
            .get(&req.lot)
            .ok_or(PointsError::LotNotFound { lot: req.lot })?;
        room("clawbacks", self.clawbacks.len(), MAX_BOOK_CLAWBACKS)?;
        let (refunded, paid) = share(req.refunded, req.paid)?;
        let proportional =
            mul_div_floor(lot.amount, refunded, paid).ok_or(PointsError::Overflow {
                what: "points × refunded ÷ paid",
            })?;
        let target = proportional.min(lot.amount.saturating_sub(lot.clawback_target));
        let from_lot = if req.at < lot.expires_at {
            target.min(lot.remaining)
        } else {
            0
        };
        let mut rest = target.saturating_sub(from_lot);
        let lapsed = lot.lapsed_at(req.at);
        let covered = rest.min(lapsed.saturating_sub(lot.covered_by_expiry));
        rest = rest.saturating_sub(covered);
        let others = if req.from_other_lots && rest > 0 {
            let elsewhere = self
                .lots_of(lot.account)
                .into_iter()
                .filter(|l| l.id != lot.id && l.is_available_at(req.at))
                .fold(0u128, |s, l| s.saturating_add(l.remaining));
            self.plan(lot.account, req.at, rest.min(elsewhere), Some(lot.id))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let from_others = others.iter().fold(0u128, |s, c| s.saturating_add(c.amount));
        rest = rest.saturating_sub(from_others);
        let debt = rest;
        let mut booking_lot = lot.clone();
        booking_lot.remaining = booking_lot.remaining.saturating_sub(from_lot);
        booking_lot.clawed_back = booking_lot.clawed_back.saturating_add(from_lot);
        booking_lot.clawback_target = booking_lot.clawback_target.saturating_add(target);
        booking_lot.covered_by_expiry = booking_lot.covered_by_expiry.saturating_add(covered);
        let other_lots = self.taken(&others, false)?;
        let record = PointsClawback {
            request: req.clone(),
            account: lot.account,
            issuer: lot.issuer,
            unit: self.unit,
            target,
            from_lot,
            from_other_lots: others,
            covered_by_expiry: covered,
            debt,
            reversal_transfer: (from_lot.saturating_add(from_others) > 0)
                .then(|| derived_id(CLAWBACK_DOMAIN, req.id)),
            debt_transfer: (debt > 0).then(|| derived_id(DEBT_DOMAIN, req.id)),
        };
        let transfers = record.transfers();
        precheck(ledger, &transfers).map_err(|error| PointsError::Ledger { error })?;
        let outcomes = apply_all(ledger, &transfers)?;
        self.lots.insert(booking_lot.id, booking_lot);
        for l in other_lots {
            self.lots.insert(l.id, l);
        }
        self.clawbacks.insert(req.id, record.clone());
        Ok(ClawbackReport {
            clawback: record,
            outcomes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_div_is_exact_and_floors() {
        assert_eq!(mul_div_floor(1000, 1, 3), Some(333));
        assert_eq!(mul_div_floor(1000, 3, 3), Some(1000));
        assert_eq!(mul_div_floor(7, 0, 3), Some(0));
        let big = crate::amount::MAX_AMOUNT;
        assert_eq!(mul_div_floor(big, big - 1, big), Some(big - 1));
        assert_eq!(mul_div_floor(1, 2, 1), None);
    }

    #[test]
    fn a_full_book_takes_no_new_record() {
        assert_eq!(room("lots", MAX_BOOK_LOTS - 1, MAX_BOOK_LOTS), Ok(()));
        let full = room("redemptions", MAX_BOOK_REDEMPTIONS, MAX_BOOK_REDEMPTIONS).err();
        assert_eq!(
            full,
            Some(PointsError::LimitExceeded {
                field: "redemptions",
                limit: 1 << 20,
                actual: (1 << 20) + 1
            })
        );
        assert_eq!(
            full.map(|e| e.to_value()),
            Some(serde_json::json!({
                "code": "LIMIT_EXCEEDED",
                "message": "redemptions has 1048577 entries, more than the limit of 1048576",
                "field": "redemptions", "limit": 1_048_576, "actual": 1_048_577
            }))
        );
    }

    #[test]
    fn derived_ids_are_stable_and_not_reserved() {
        let a = derived_id(EXPIRE_DOMAIN, Id(7001));
        assert_eq!(a, expire_transfer_id(Id(7001)));
        assert_ne!(a, derived_id(CLAWBACK_DOMAIN, Id(7001)));
        assert!(!a.is_reserved());
    }
}
