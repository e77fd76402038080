//! Refunds (issue 6): give back part or all of a payment, never more than it in total.
//!
//! A refund is a `REFUND` transfer in the payment's opposite direction (the payment's credit
//! account is debited, its debit account — the payer — credited), of the payment's unit.
//! The [`Refunds`] registry links each refund to its payment and keeps Σ refunds per
//! payment, so that Σ refunds ≤ the amount the payment moved ([`RefundError::ExceedsPayment`]
//! with the values that decided it). The registry is the host's state next to the ledger:
//! keep one registry per ledger, and persist it with [`Refunds::receipts`] and
//! [`Refunds::from_receipts`].
//!
//! The refund id is the refund transfer's id and the idempotency key: the same request again
//! returns the first receipt (with the ledger's `EXISTS` outcome); the same id with another
//! payment, amount or reference is [`RefundError::IdReused`]. A refund the ledger refused for a
//! state-dependent reason (the merchant account that must not go negative lacks the money)
//! keeps failing with `ID_ALREADY_FAILED` (TigerBeetle's sticky failures): retry with a new
//! refund id.
//!
//! A payment reversed with [`Ledger::reverse`] is not refunded ([`RefundError::PaymentReversed`]);
//! to reverse a partly refunded booking, reverse its refunds ([`Refunds::refunds_of`]) in
//! the same request.

use crate::amount::units_string;
use crate::ledger::PendingState;
use crate::limits::MAX_REFUND_RECEIPTS;
use crate::lists::ReceiptList;
use crate::{Code, Id, Ledger, Outcome, Transfer, TransferError, Unit};
use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// A refund as a host sends it: the amount a decimal at the payment's unit (the registry
/// converts it to minor units, [`Refunds::refund_order`]).
///
/// JSON: `{"id": "90", "payment_id": "2", "amount": "250.00", "at":
/// "2026-11-22T09:00:00Z", "reference": "RF-1"}` (`reference` may be left out).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundOrder {
    /// The refund's id (see [`RefundRequest::id`]).
    pub id: Id,
    /// The payment refunded.
    pub payment_id: Id,
    /// How much, in the payment's unit (`"250.00"` SAR), more than 0 and at most its scale.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
    /// When (UTC), from the host's clock.
    #[serde(with = "rihla_core::time::utc")]
    pub at: DateTime<Utc>,
    /// The host's reference of the refund transfer.
    #[serde(default)]
    pub reference: String,
}

/// A request to refund part or all of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The refund's id: the id of its `REFUND` transfer and the idempotency key (not 0,
    /// not 2¹²⁸ − 1, not another transfer's id).
    pub id: Id,
    /// The payment refunded: a `PAYMENT` transfer that moved money (single-phase, or the
    /// post of a pending payment — not the pending transfer itself).
    pub payment_id: Id,
    /// How much, minor units of the payment's unit (> 0).
    pub amount: u128,
    /// When (UTC), from the host's clock.
    pub at: DateTime<Utc>,
    /// The host's reference of the refund transfer (at most 128 characters).
    pub reference: String,
}

/// A refund made. JSON: amounts as strings of digits of minor units; read back (a host's
/// stored receipts, [`Refunds::from_receipts`]) with no other field allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundReceipt {
    /// The refund (its transfer's id).
    pub refund_id: Id,
    /// The payment refunded.
    pub payment_id: Id,
    /// The payment's unit.
    pub unit: Unit,
    /// This refund, minor units.
    #[serde(with = "units_string")]
    pub amount: u128,
    /// What the payment moved, minor units.
    #[serde(with = "units_string")]
    pub paid: u128,
    /// Σ refunds of the payment including this one, minor units (≤ `paid`).
    #[serde(with = "units_string")]
    pub refunded: u128,
    /// The refund transfer's reference.
    pub reference: String,
    /// `CREATED` with the journal `seq`, or `EXISTS` (a retry: the first `seq`).
    pub outcome: Outcome,
}

impl RefundReceipt {
    /// What can still be refunded after this refund, minor units.
    pub fn remaining(&self) -> u128 {
        self.paid.saturating_sub(self.refunded)
    }
}

/// Why a refund was refused. Nothing changed (but see the ledger's sticky failures under
/// `LEDGER_REFUSED`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefundError {
    /// No transfer has the payment's id.
    #[error("payment {payment_id} not found")]
    PaymentNotFound {
        /// The id.
        payment_id: Id,
    },
    /// The transfer is not a `PAYMENT`.
    #[error("transfer {payment_id} is not a payment (code {transfer_code:?})")]
    NotAPayment {
        /// The id.
        payment_id: Id,
        /// Its code.
        transfer_code: Option<Code>,
    },
    /// The payment moved nothing by itself: `PENDING` (a hold: refund its post, or void it
    /// while it is open) or `VOID`.
    #[error("payment {payment_id} did not move money ({kind})")]
    PaymentNotPosted {
        /// The id.
        payment_id: Id,
        /// `PENDING` or `VOID`.
        kind: &'static str,
        /// The hold's state (`PENDING`, `POSTED`, `VOIDED`; `NONE` for a void).
        state: PendingState,
    },
    /// The payment was reversed: nothing is left to refund.
    #[error("payment {payment_id} was reversed by {reversal_id}")]
    PaymentReversed {
        /// The payment.
        payment_id: Id,
        /// Its reversal.
        reversal_id: Id,
    },
    /// Σ refunds would pass the payment: `refunded + requested > paid` (minor units;
    /// JSON: strings of digits).
    #[error("payment {payment_id} of {paid} has {refunded} refunded; {requested} more would pass it (minor units of {unit})")]
    ExceedsPayment {
        /// The payment.
        payment_id: Id,
        /// Its unit.
        unit: Unit,
        /// What it moved.
        #[serde(with = "units_string")]
        paid: u128,
        /// Σ refunds so far.
        #[serde(with = "units_string")]
        refunded: u128,
        /// This refund.
        #[serde(with = "units_string")]
        requested: u128,
    },
    /// The refund id was used with another `field` (`payment_id`, `amount`, `reference`).
    #[error("refund {refund_id} exists with a different {field}")]
    IdReused {
        /// The refund id.
        refund_id: Id,
        /// The first differing field.
        field: &'static str,
    },
    /// An order's amount is not a positive number at the payment unit's scale
    /// ([`Refunds::refund_order`]).
    #[error("invalid amount at {field}: {reason}")]
    InvalidAmount {
        /// `amount`.
        field: &'static str,
        /// What is wrong with it (e.g. `1.005 has more decimal places than SAR's 2`).
        reason: String,
    },
    /// The ledger refused the refund transfer (its error: `EXCEEDS_CREDITS` when the
    /// account debited must not go negative and lacks the amount, `AMOUNT_MUST_NOT_BE_ZERO`,
    /// `EXISTS_WITH_DIFFERENT_*` when the id is another transfer's …). A sticky failure
    /// keeps this refund id failed.
    #[error("the ledger refused refund {refund_id}: {error}")]
    LedgerRefused {
        /// The refund id.
        refund_id: Id,
        /// The ledger's error.
        error: TransferError,
    },
    /// The registry holds [`MAX_REFUND_RECEIPTS`] refunds: a new one would pass the limit
    /// (`field` `receipts`; `actual` the count with the new refund).
    #[error("{field} has {actual} entries, more than the limit of {limit}")]
    LimitExceeded {
        /// `receipts`.
        field: &'static str,
        /// [`MAX_REFUND_RECEIPTS`].
        limit: usize,
        /// The count with the new refund.
        actual: usize,
    },
}

impl RefundError {
    /// The stable code, e.g. `EXCEEDS_PAYMENT`.
    pub fn code(&self) -> &'static str {
        match self {
            RefundError::PaymentNotFound { .. } => "PAYMENT_NOT_FOUND",
            RefundError::NotAPayment { .. } => "NOT_A_PAYMENT",
            RefundError::PaymentNotPosted { .. } => "PAYMENT_NOT_POSTED",
            RefundError::PaymentReversed { .. } => "PAYMENT_REVERSED",
            RefundError::ExceedsPayment { .. } => "EXCEEDS_PAYMENT",
            RefundError::IdReused { .. } => "ID_REUSED",
            RefundError::InvalidAmount { .. } => "INVALID_AMOUNT",
            RefundError::LedgerRefused { .. } => "LEDGER_REFUSED",
            RefundError::LimitExceeded { .. } => "LIMIT_EXCEEDED",
        }
    }
}

/// The refunds of one payment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PaymentRefunds {
    refunded: u128,
    ids: Vec<Id>,
}

/// The registry of refunds: refund id → receipt, payment → Σ refunded and its refund ids; at
/// most [`MAX_REFUND_RECEIPTS`] refunds.
///
/// JSON (read): the stored receipts, `[RefundReceipt…]` (what [`Refunds::receipts`] gave;
/// at most [`MAX_REFUND_RECEIPTS`], checked while read), as [`Refunds::from_receipts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refunds {
    by_id: FxHashMap<Id, RefundReceipt>,
    by_payment: FxHashMap<Id, PaymentRefunds>,
}

impl Refunds {
    /// An empty registry.
    pub fn new() -> Refunds {
        Refunds::default()
    }

    /// A registry from stored receipts (what [`Refunds::receipts`] gave), in the order
    /// given; a receipt whose refund id is already present is skipped. (A registry of more
    /// than [`MAX_REFUND_RECEIPTS`] refunds takes no new refund.)
    pub fn from_receipts(receipts: impl IntoIterator<Item = RefundReceipt>) -> Refunds {
        let mut r = Refunds::new();
        for receipt in receipts {
            r.record(receipt);
        }
        r
    }

    /// Every refund's receipt (as first made), refunds of a payment in the order made,
    /// payments in no particular order.
    pub fn receipts(&self) -> impl Iterator<Item = &RefundReceipt> {
        self.by_payment
            .values()
            .flat_map(|p| p.ids.iter().filter_map(|id| self.by_id.get(id)))
    }

    /// The receipt of refund `refund_id`, as first made.
    pub fn get(&self, refund_id: Id) -> Option<&RefundReceipt> {
        self.by_id.get(&refund_id)
    }

    /// Σ refunds of `payment_id`, minor units (0 when none).
    pub fn refunded(&self, payment_id: Id) -> u128 {
        self.by_payment.get(&payment_id).map_or(0, |p| p.refunded)
    }

    /// The refund ids of `payment_id`, in the order made.
    pub fn refunds_of(&self, payment_id: Id) -> &[Id] {
        self.by_payment
            .get(&payment_id)
            .map_or(&[][..], |p| p.ids.as_slice())
    }

    fn record(&mut self, receipt: RefundReceipt) {
        if self.by_id.contains_key(&receipt.refund_id) {
            return;
        }
        let p = self.by_payment.entry(receipt.payment_id).or_default();
        p.refunded = p.refunded.saturating_add(receipt.amount);
        p.ids.push(receipt.refund_id);
        self.by_id.insert(receipt.refund_id, receipt);
    }

    /// [`Refunds::refund`] of an order whose amount is a decimal at the payment's unit: the
    /// form hosts send (Python, JS).
    ///
    /// # Errors
    /// As [`Refunds::refund`], and [`RefundError::InvalidAmount`] when the amount is 0,
    /// negative or finer than the payment's unit (checked once the payment is found: an
    /// unknown payment is `PAYMENT_NOT_FOUND`).
    pub fn refund_order(
        &mut self,
        ledger: &mut Ledger,
        order: &RefundOrder,
    ) -> Result<RefundReceipt, RefundError> {
        let amount =
            match ledger.transfer(order.payment_id).and_then(|(t, _)| t.unit) {
                Some(unit) => crate::amount::to_units(unit, order.amount, "amount", false)
                    .map_err(|reason| RefundError::InvalidAmount {
                        field: "amount",
                        reason: match reason.strip_prefix("amount: ") {
                            Some(rest) => rest.to_owned(),
                            None => reason,
                        },
                    })?,
                None => 0,
            };
        self.refund(
            ledger,
            &RefundRequest {
                id: order.id,
                payment_id: order.payment_id,
                amount,
                at: order.at,
                reference: order.reference.clone(),
            },
        )
    }

    /// Refunds `request.amount` of payment `request.payment_id` with a `REFUND` transfer
    /// (id `request.id`) from the payment's credit account to its debit account.
    ///
    /// Returns the receipt; a retry of the same request returns the first receipt with
    /// outcome `EXISTS` (nothing changes).
    ///
    /// # Errors
    /// [`RefundError`], checked in this order: the id reused with another body; the payment
    /// not found, not a `PAYMENT`, not posted, reversed; Σ refunds past the payment
    /// (`EXCEEDS_PAYMENT` with paid, refunded, requested); a registry holding
    /// [`MAX_REFUND_RECEIPTS`] refunds (`LIMIT_EXCEEDED`); the ledger's refusal. Nothing
    /// changes on error.
    pub fn refund(
        &mut self,
        ledger: &mut Ledger,
        request: &RefundRequest,
    ) -> Result<RefundReceipt, RefundError> {
        if let Some(first) = self.by_id.get(&request.id) {
            let field = if first.payment_id != request.payment_id {
                "payment_id"
            } else if first.amount != request.amount {
                "amount"
            } else if first.reference != request.reference {
                "reference"
            } else {
                let mut again = first.clone();
                again.outcome = Outcome::Exists {
                    seq: first.outcome.seq(),
                };
                return Ok(again);
            };
            return Err(RefundError::IdReused {
                refund_id: request.id,
                field,
            });
        }
        let payment_id = request.payment_id;
        let (stored, p) = ledger
            .stored(&payment_id)
            .ok_or(RefundError::PaymentNotFound { payment_id })?;
        let (Some(Code::Payment), Some(unit)) = (p.code, p.unit) else {
            return Err(RefundError::NotAPayment {
                payment_id,
                transfer_code: p.code,
            });
        };
        if p.flags.pending || p.flags.void_pending {
            return Err(RefundError::PaymentNotPosted {
                payment_id,
                kind: if p.flags.pending { "PENDING" } else { "VOID" },
                state: stored.state,
            });
        }
        if let Some(reversal_id) = ledger.reversal_of(payment_id) {
            return Err(RefundError::PaymentReversed {
                payment_id,
                reversal_id,
            });
        }
        let paid = p.amount;
        let refunded = self.refunded(payment_id);
        let total = refunded
            .checked_add(request.amount)
            .filter(|t| *t <= paid)
            .ok_or(RefundError::ExceedsPayment {
                payment_id,
                unit,
                paid,
                refunded,
                requested: request.amount,
            })?;
        room(self.by_id.len())?;
        let transfer = Transfer::new(
            request.id,
            p.credit_account_id,
            p.debit_account_id,
            request.amount,
            unit,
            Code::Refund,
            request.at,
        )
        .with_reference(request.reference.clone());
        let outcome = crate::reversal::apply_chain(ledger, std::slice::from_ref(&transfer))
            .map_err(|(_, error)| RefundError::LedgerRefused {
                refund_id: request.id,
                error,
            })?
            .first()
            .copied()
            .ok_or(RefundError::LedgerRefused {
                refund_id: request.id,
                error: TransferError::LinkedEventFailed,
            })?;
        let receipt = RefundReceipt {
            refund_id: request.id,
            payment_id,
            unit,
            amount: request.amount,
            paid,
            refunded: total,
            reference: request.reference.clone(),
            outcome,
        };
        self.record(receipt.clone());
        Ok(receipt)
    }
}

/// Whether a registry of `len` refunds takes one more (at most [`MAX_REFUND_RECEIPTS`]).
fn room(len: usize) -> Result<(), RefundError> {
    if len < MAX_REFUND_RECEIPTS {
        return Ok(());
    }
    Err(RefundError::LimitExceeded {
        field: "receipts",
        limit: MAX_REFUND_RECEIPTS,
        actual: len.saturating_add(1),
    })
}

impl<'de> serde::Deserialize<'de> for Refunds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ReceiptList::deserialize(d).map(|list| Refunds::from_receipts(list.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_registry_takes_no_new_refund() {
        assert_eq!(room(0), Ok(()));
        assert_eq!(room(MAX_REFUND_RECEIPTS - 1), Ok(()));
        let full = room(MAX_REFUND_RECEIPTS).err();
        assert_eq!(
            full,
            Some(RefundError::LimitExceeded {
                field: "receipts",
                limit: 1 << 20,
                actual: (1 << 20) + 1
            })
        );
        assert_eq!(full.map(|e| e.code()), Some("LIMIT_EXCEEDED"));
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn memory_sizes_behind_the_documented_figures() {
        // MAX_REFUND_RECEIPTS: a receipt is 128 bytes (and its reference).
        assert!(std::mem::size_of::<RefundReceipt>() <= 128);
    }
}
