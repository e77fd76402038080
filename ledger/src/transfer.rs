//! Transfers: one debit, one credit, one amount — single-phase, pending, post or void.

use crate::{Code, Id, Unit};
use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use serde::{Deserialize, Serialize};

/// How a transfer behaves (TigerBeetle's transfer flags).
///
/// JSON: an object of booleans, each absent = false: `{"pending": true, "linked": true}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferFlags {
    /// Chains this transfer to the next one of the batch: the chain succeeds or fails as a
    /// whole (the last transfer of a chain does not set it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub linked: bool,
    /// Reserves the amount (a hold): pending debits and credits, resolved later by exactly
    /// one post or void.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
    /// Posts the pending transfer `pending_id`: the amount given (≤ the pending amount;
    /// absent = all of it) moves, the rest is released.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub post_pending: bool,
    /// Voids the pending transfer `pending_id`: nothing moves, the hold is released.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub void_pending: bool,
    /// Moves at most what the debit account's limit allows ("pay what the wallet covers"):
    /// the amount is lowered to the available balance (an error when it is 0).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub balancing_debit: bool,
    /// Moves at most what the credit account's limit allows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub balancing_credit: bool,
}

impl TransferFlags {
    /// Whether the transfer resolves a pending one.
    pub fn resolves(self) -> bool {
        self.post_pending || self.void_pending
    }

    /// The flags as a bit set (linked 1, pending 2, post 4, void 8, balancing debit 16,
    /// balancing credit 32): the canonical form hashed into the journal.
    pub fn bits(self) -> u16 {
        u16::from(self.linked)
            | u16::from(self.pending) << 1
            | u16::from(self.post_pending) << 2
            | u16::from(self.void_pending) << 3
            | u16::from(self.balancing_debit) << 4
            | u16::from(self.balancing_credit) << 5
    }
}

/// A transfer: `amount` of `unit` from `debit_account_id` to `credit_account_id`.
///
/// The `id` is the idempotency key: applying the same id again with the same body returns
/// the first result (`EXISTS`); with another body it fails naming the first differing field
/// (`EXISTS_WITH_DIFFERENT_AMOUNT` …). `at` (the host's clock) is not part of the body.
///
/// ```json
/// {"id": "9001", "debit_account_id": "1", "credit_account_id": "1001", "amount": "500.00",
///  "unit": "SAR", "code": "DEPOSIT", "reference": "TOPUP-77", "at": "2026-11-22T09:00:00Z"}
/// ```
///
/// A post or void names `pending_id` and may leave the accounts, unit and code out (they
/// are the pending transfer's); when given they must match it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TransferWire", into = "TransferWire")]
pub struct Transfer {
    /// The transfer's id and idempotency key (not 0, not 2¹²⁸ − 1).
    pub id: Id,
    /// The account debited (0 on a post or void = the pending transfer's).
    pub debit_account_id: Id,
    /// The account credited (0 on a post or void = the pending transfer's).
    pub credit_account_id: Id,
    /// Minor units of the unit, > 0 (on a post, 0 = the whole pending amount; on a void,
    /// 0 or the pending amount).
    pub amount: u128,
    /// The pending transfer a post or void resolves (0 otherwise).
    pub pending_id: Id,
    /// The unit of the amount and of both accounts (`None` on a post or void = the
    /// pending transfer's).
    pub unit: Option<Unit>,
    /// Why (`None` on a post or void = the pending transfer's code).
    pub code: Option<Code>,
    /// The host's reference (a booking, a payment; at most 128 characters).
    pub reference: String,
    /// When the host made it (UTC): entries, statements and points lots use it. In JSON,
    /// RFC 3339 with years 0000–9999 ([`rihla_core::time`]).
    pub at: DateTime<Utc>,
    /// How it behaves.
    pub flags: TransferFlags,
}

impl Transfer {
    /// A single-phase transfer.
    pub fn new(
        id: impl Into<Id>,
        debit: impl Into<Id>,
        credit: impl Into<Id>,
        amount: u128,
        unit: Unit,
        code: Code,
        at: DateTime<Utc>,
    ) -> Transfer {
        Transfer {
            id: id.into(),
            debit_account_id: debit.into(),
            credit_account_id: credit.into(),
            amount,
            pending_id: Id::NONE,
            unit: Some(unit),
            code: Some(code),
            reference: String::new(),
            at,
            flags: TransferFlags::default(),
        }
    }

    /// A post (`amount` 0 = all) or void of `pending_id`.
    pub fn resolve(
        id: impl Into<Id>,
        pending_id: impl Into<Id>,
        post: bool,
        amount: u128,
        at: DateTime<Utc>,
    ) -> Transfer {
        Transfer {
            id: id.into(),
            debit_account_id: Id::NONE,
            credit_account_id: Id::NONE,
            amount,
            pending_id: pending_id.into(),
            unit: None,
            code: None,
            reference: String::new(),
            at,
            flags: TransferFlags {
                post_pending: post,
                void_pending: !post,
                ..TransferFlags::default()
            },
        }
    }

    /// The same transfer with `reference`.
    pub fn with_reference(mut self, reference: impl Into<String>) -> Transfer {
        self.reference = reference.into();
        self
    }

    /// The same transfer with `flags`.
    pub fn with_flags(mut self, flags: TransferFlags) -> Transfer {
        self.flags = flags;
        self
    }
}

/// The JSON form of [`Transfer`] (the amount a decimal string at the unit's scale; an
/// amount needs its unit).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferWire {
    id: Id,
    #[serde(default, skip_serializing_if = "is_none_id")]
    debit_account_id: Id,
    #[serde(default, skip_serializing_if = "is_none_id")]
    credit_account_id: Id,
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    amount: Option<Decimal>,
    /// The amount in minor units, for a post or void given without its unit (the unit is
    /// the pending transfer's).
    #[serde(
        default,
        with = "crate::amount::units_string_opt",
        skip_serializing_if = "Option::is_none"
    )]
    amount_units: Option<u128>,
    #[serde(default, skip_serializing_if = "is_none_id")]
    pending_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<Unit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<Code>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    reference: String,
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "is_default_flags")]
    flags: TransferFlags,
}

fn is_none_id(id: &Id) -> bool {
    *id == Id::NONE
}

fn is_default_flags(f: &TransferFlags) -> bool {
    *f == TransferFlags::default()
}

impl TryFrom<TransferWire> for Transfer {
    type Error = String;
    fn try_from(w: TransferWire) -> Result<Self, String> {
        let amount = match (w.amount, w.amount_units, w.unit) {
            (None, None, _) => 0,
            (Some(a), None, Some(unit)) => crate::amount::to_units(unit, a, "amount", true)?,
            (None, Some(units), _) if units <= crate::amount::MAX_AMOUNT => units,
            (None, Some(_), _) => return Err("amount_units: more than the largest amount".into()),
            (Some(_), None, None) => return Err("amount: give the unit with an amount".into()),
            (Some(_), Some(_), _) => {
                return Err("amount: give amount or amount_units, not both".into())
            }
        };
        Ok(Transfer {
            id: w.id,
            debit_account_id: w.debit_account_id,
            credit_account_id: w.credit_account_id,
            amount,
            pending_id: w.pending_id,
            unit: w.unit,
            code: w.code,
            reference: w.reference,
            at: w.at,
            flags: w.flags,
        })
    }
}

impl From<Transfer> for TransferWire {
    fn from(t: Transfer) -> Self {
        TransferWire {
            id: t.id,
            debit_account_id: t.debit_account_id,
            credit_account_id: t.credit_account_id,
            amount: match (t.amount, t.unit) {
                (0, _) | (_, None) => None,
                (a, Some(u)) => Some(crate::amount::to_decimal(u, a)),
            },
            amount_units: (t.amount > 0 && t.unit.is_none()).then_some(t.amount),
            pending_id: t.pending_id,
            unit: t.unit,
            code: t.code,
            reference: t.reference,
            at: t.at,
            flags: t.flags,
        }
    }
}
