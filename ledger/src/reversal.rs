//! Reversals (issue 6): undo the transfers of a booking — every leg at once, each at most
//! once.
//!
//! A reversal of transfers `t₁ … tₙ` is one linked chain of `REVERSAL` transfers, one per
//! original: debit and credit swapped, the amount that moved, the unit of the original. The
//! chain is atomic (every account restored or none); legs are undone newest first (the
//! original with the highest journal `seq` first), so that an escrow that received a payment
//! and paid it out again is refilled before it is emptied.
//!
//! Each reversal transfer has a deterministic id derived from the original's id
//! ([`reversal_id`]), so the ledger itself is the registry of what was reversed: a second
//! reversal of any original fails with [`ReversalError::AlreadyReversed`], even from another
//! process that shares the ledger (Formance: a transaction reverts at most once). A retry of
//! exactly the same request after it succeeded is also `AlreadyReversed` (it names the
//! reversal that exists): reversals are not replayed as `EXISTS`.
//!
//! Derived ids and sticky failures: when the ledger refuses a reversal for a reason that
//! depends on its state (a wallet that spent the money: `EXCEEDS_CREDITS`), TigerBeetle's
//! rule makes that transfer id fail forever (`ID_ALREADY_FAILED`). The next attempt then
//! uses the next derived id (`attempt` 1, 2 … up to [`MAX_ATTEMPTS`] − 1), so a reversal
//! refused for lack of funds can be retried once the funds are there.

use crate::ledger::{PendingState, Stored, BATCH_MAX};
use crate::{Code, Id, Ledger, Outcome, Transfer, TransferError, TransferFlags};
use chrono::{DateTime, Utc};
use rustc_hash::FxHashSet;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Most attempts of one derived id (reversals and webhook effects): attempt `k` is used
/// only once attempts `0 … k − 1` failed for a sticky reason.
pub const MAX_ATTEMPTS: u32 = 64;

/// A 128-bit id derived from a domain and parts, by the convention of
/// [`crate::points::derived_id`]: the first 16 bytes, read big-endian, of
/// SHA-256(`domain` as UTF-8 ‖ 0x00 ‖ `parts`… ‖ `attempt` as u32 big-endian, only when
/// `attempt` > 0); the reserved values 0 and 2¹²⁸ − 1 become 1 and 2¹²⁸ − 2. Callers
/// length-prefix variable-length parts.
pub(crate) fn derive_id(domain: &str, parts: &[&[u8]], attempt: u32) -> Id {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update([0u8]);
    for p in parts {
        h.update(p);
    }
    if attempt > 0 {
        h.update(attempt.to_be_bytes());
    }
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

/// The id of the reversal of `original` at `attempt`: the first 16 bytes, read big-endian,
/// of SHA-256(`"rihla-reversal"` ‖ 0x00 ‖ `original` as 16 bytes big-endian ‖ `attempt` as
/// u32 big-endian when > 0); 0 and 2¹²⁸ − 1 are mapped to 1 and 2¹²⁸ − 2. Attempt 0 in
/// Python: `int.from_bytes(sha256(b"rihla-reversal\0" + id.to_bytes(16, "big")).digest()[:16],
/// "big")`.
pub fn reversal_id(original: Id, attempt: u32) -> Id {
    derive_id("rihla-reversal", &[&original.0.to_be_bytes()], attempt)
}

/// Where the derived ids of one effect stand in the ledger.
pub(crate) enum Slot {
    /// Attempt `k`'s ids are all free (attempts before it failed): use them.
    Free(u32),
    /// A transfer with attempt `k`'s id exists: the effect happened.
    Taken(u32),
    /// Every attempt failed.
    Exhausted,
}

/// The first attempt whose ids (`ids(k)`) are not sticky failures of the ledger; `Taken`
/// when one of them exists.
pub(crate) fn slot(ledger: &Ledger, ids: impl Fn(u32) -> Vec<Id>) -> Slot {
    for k in 0..MAX_ATTEMPTS {
        let candidate = ids(k);
        if candidate.iter().any(|id| ledger.transfers.contains_key(id)) {
            return Slot::Taken(k);
        }
        if !candidate.iter().any(|id| ledger.failed.contains_key(id)) {
            return Slot::Free(k);
        }
    }
    Slot::Exhausted
}

/// Applies `chain` (already linked) and returns each transfer's outcome, or the first
/// transfer that failed for its own reason (not `LINKED_EVENT_FAILED`) with its error.
/// Callers keep chains within [`BATCH_MAX`].
pub(crate) fn apply_chain(
    ledger: &mut Ledger,
    chain: &[Transfer],
) -> Result<Vec<Outcome>, (Id, TransferError)> {
    let first = chain.first().map_or(Id::NONE, |t| t.id);
    let results = ledger
        .apply(chain)
        .map_err(|_| (first, TransferError::LinkedEventFailed))?;
    if results.iter().all(Result::is_ok) {
        return Ok(results.into_iter().flatten().collect());
    }
    let mut fallback = None;
    for (t, r) in chain.iter().zip(results) {
        match r {
            Err(TransferError::LinkedEventFailed) => {
                fallback.get_or_insert(t.id);
            }
            Err(e) => return Err((t.id, e)),
            Ok(_) => {}
        }
    }
    Err((fallback.unwrap_or(first), TransferError::LinkedEventFailed))
}

/// Links every transfer of `chain` to the next (all but the last).
pub(crate) fn link(chain: &mut [Transfer]) {
    let n = chain.len();
    for (i, t) in chain.iter_mut().enumerate() {
        t.flags.linked = i.saturating_add(1) < n;
    }
}

/// A request to reverse the transfers of one booking (every leg: payment, commission,
/// payouts, refunds …) at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReversalRequest {
    /// The transfers to reverse: 1 to [`BATCH_MAX`] distinct ids, in any order (they are
    /// undone newest first). Single-phase transfers and posts of pending transfers; not
    /// pending transfers (void them), voids, or reversals.
    pub transfer_ids: Vec<Id>,
    /// When (UTC), from the host's clock.
    pub at: DateTime<Utc>,
    /// Why (a cancellation, a chargeback): the `reference` of every reversal transfer, at
    /// most 128 characters (else the ledger's `REFERENCE_TOO_LONG`).
    pub reason: String,
}

/// One leg of a reversal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReversedLeg {
    /// The original transfer.
    pub transfer_id: Id,
    /// The reversal transfer ([`reversal_id`] of the original at some attempt).
    pub reversal_id: Id,
    /// The account the reversal debited (the original's credit account).
    pub debit_account_id: Id,
    /// The account the reversal credited (the original's debit account).
    pub credit_account_id: Id,
    /// What moved back: the original's amount as created, minor units of its unit
    /// (JSON: a string of digits).
    #[serde(with = "crate::amount::units_string")]
    pub amount: u128,
    /// The reversal's journal entry.
    pub seq: u64,
}

/// What a reversal did: its legs in the order applied (originals newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReversalReceipt {
    /// The legs.
    pub legs: Vec<ReversedLeg>,
}

/// Why a reversal was refused. Nothing changed in the ledger; the first problem in request
/// order is reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReversalError {
    /// No transfer to reverse.
    #[error("a reversal needs at least one transfer")]
    Empty,
    /// More than [`BATCH_MAX`] transfers.
    #[error("a reversal holds at most {max} transfers, not {actual}")]
    TooManyTransfers {
        /// [`BATCH_MAX`].
        max: usize,
        /// How many were given.
        actual: usize,
    },
    /// The same transfer twice in the request.
    #[error("transfer {transfer_id} is named twice")]
    DuplicateTransfer {
        /// The id.
        transfer_id: Id,
    },
    /// No transfer has this id.
    #[error("transfer {transfer_id} not found")]
    TransferNotFound {
        /// The id.
        transfer_id: Id,
    },
    /// The transfer cannot be reversed: `PENDING` (a hold still open: void it instead),
    /// `RESOLVED_PENDING` (a hold posted or voided: reverse its post), `VOID` (a void moved
    /// nothing) or `REVERSAL` (a reversal is not reversed again).
    #[error("transfer {transfer_id} cannot be reversed ({reason})")]
    NotReversible {
        /// The id.
        transfer_id: Id,
        /// Why.
        reason: &'static str,
    },
    /// The transfer was reversed already (a retry of the same reversal included).
    #[error("transfer {transfer_id} was already reversed by {reversal_id}")]
    AlreadyReversed {
        /// The original.
        transfer_id: Id,
        /// The reversal that exists.
        reversal_id: Id,
    },
    /// [`MAX_ATTEMPTS`] reversals of this transfer failed in the ledger.
    #[error("every one of the {attempts} reversal ids of transfer {transfer_id} failed")]
    AttemptsExhausted {
        /// The original.
        transfer_id: Id,
        /// [`MAX_ATTEMPTS`].
        attempts: u32,
    },
    /// The ledger refused a reversal transfer (a wallet that spent the money: the ledger's
    /// `EXCEEDS_CREDITS`; a closed account …); the whole chain failed.
    #[error("the reversal {reversal_id} of transfer {transfer_id} failed: {error}")]
    LedgerRefused {
        /// The original.
        transfer_id: Id,
        /// The reversal transfer that failed.
        reversal_id: Id,
        /// The ledger's error.
        error: TransferError,
    },
}

impl ReversalError {
    /// The stable code, e.g. `ALREADY_REVERSED`.
    pub fn code(&self) -> &'static str {
        match self {
            ReversalError::Empty => "EMPTY",
            ReversalError::TooManyTransfers { .. } => "TOO_MANY_TRANSFERS",
            ReversalError::DuplicateTransfer { .. } => "DUPLICATE_TRANSFER",
            ReversalError::TransferNotFound { .. } => "TRANSFER_NOT_FOUND",
            ReversalError::NotReversible { .. } => "NOT_REVERSIBLE",
            ReversalError::AlreadyReversed { .. } => "ALREADY_REVERSED",
            ReversalError::AttemptsExhausted { .. } => "ATTEMPTS_EXHAUSTED",
            ReversalError::LedgerRefused { .. } => "LEDGER_REFUSED",
        }
    }
}

/// Why a stored transfer cannot be reversed, if it cannot.
fn not_reversible(s: &Stored, t: &Transfer) -> Option<&'static str> {
    if t.flags.pending {
        return Some(if s.state == PendingState::Pending {
            "PENDING"
        } else {
            "RESOLVED_PENDING"
        });
    }
    if t.flags.void_pending {
        return Some("VOID");
    }
    if t.code == Some(Code::Reversal) {
        return Some("REVERSAL");
    }
    None
}

impl Ledger {
    /// The reversal of `transfer_id`, if it was reversed: the id of the `REVERSAL` transfer
    /// ([`reversal_id`] at the first attempt that did not fail).
    pub fn reversal_of(&self, transfer_id: Id) -> Option<Id> {
        match slot(self, |k| vec![reversal_id(transfer_id, k)]) {
            Slot::Taken(k) => Some(reversal_id(transfer_id, k)),
            Slot::Free(_) | Slot::Exhausted => None,
        }
    }

    /// Reverses the transfers of a booking in one atomic linked chain of `REVERSAL`
    /// transfers (see the [module docs](crate::reversal)): each original's accounts
    /// swapped, the amount that moved, its unit, `reference` = the reason, `at` = the
    /// request's. Every account is restored, or nothing changes.
    ///
    /// # Errors
    /// [`ReversalError`]: an empty or oversized request, an id named twice or not found, a
    /// transfer that cannot be reversed (pending, void, a reversal), one reversed already
    /// (`ALREADY_REVERSED`, also for a retry), or the ledger's refusal of a leg
    /// (`LEDGER_REFUSED` with the ledger's error). Nothing changes on error (the ledger
    /// remembers a sticky failure of the refused reversal id; the next request uses the
    /// next attempt's id).
    pub fn reverse(&mut self, request: &ReversalRequest) -> Result<ReversalReceipt, ReversalError> {
        let ids = &request.transfer_ids;
        if ids.is_empty() {
            return Err(ReversalError::Empty);
        }
        if ids.len() > BATCH_MAX {
            return Err(ReversalError::TooManyTransfers {
                max: BATCH_MAX,
                actual: ids.len(),
            });
        }
        let mut named = FxHashSet::default();
        let mut legs: Vec<(u64, Id, Transfer)> = Vec::with_capacity(ids.len());
        for &id in ids {
            if !named.insert(id) {
                return Err(ReversalError::DuplicateTransfer { transfer_id: id });
            }
            let (s, o) = self
                .stored(&id)
                .ok_or(ReversalError::TransferNotFound { transfer_id: id })?;
            if let Some(reason) = not_reversible(s, o) {
                return Err(ReversalError::NotReversible {
                    transfer_id: id,
                    reason,
                });
            }
            let attempt = match slot(self, |k| vec![reversal_id(id, k)]) {
                Slot::Free(k) => k,
                Slot::Taken(k) => {
                    return Err(ReversalError::AlreadyReversed {
                        transfer_id: id,
                        reversal_id: reversal_id(id, k),
                    })
                }
                Slot::Exhausted => {
                    return Err(ReversalError::AttemptsExhausted {
                        transfer_id: id,
                        attempts: MAX_ATTEMPTS,
                    })
                }
            };
            let back = Transfer {
                id: reversal_id(id, attempt),
                debit_account_id: o.credit_account_id,
                credit_account_id: o.debit_account_id,
                amount: o.amount,
                pending_id: Id::NONE,
                unit: o.unit,
                code: Some(Code::Reversal),
                reference: request.reason.clone(),
                at: request.at,
                flags: TransferFlags::default(),
            };
            legs.push((s.seq, id, back));
        }
        legs.sort_by_key(|l| std::cmp::Reverse(l.0));
        let originals: Vec<Id> = legs.iter().map(|(_, id, _)| *id).collect();
        let mut chain: Vec<Transfer> = legs.into_iter().map(|(_, _, t)| t).collect();
        link(&mut chain);
        match apply_chain(self, &chain) {
            Ok(outcomes) => Ok(ReversalReceipt {
                legs: chain
                    .iter()
                    .zip(originals)
                    .zip(outcomes)
                    .map(|((t, original), o)| ReversedLeg {
                        transfer_id: original,
                        reversal_id: t.id,
                        debit_account_id: t.debit_account_id,
                        credit_account_id: t.credit_account_id,
                        amount: t.amount,
                        seq: o.seq(),
                    })
                    .collect(),
            }),
            Err((failed, error)) => {
                let transfer_id = chain
                    .iter()
                    .zip(&originals)
                    .find(|(t, _)| t.id == failed)
                    .map_or(Id::NONE, |(_, o)| *o);
                Err(ReversalError::LedgerRefused {
                    transfer_id,
                    reversal_id: failed,
                    error,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let a = reversal_id(Id(42), 0);
        assert_eq!(a, reversal_id(Id(42), 0));
        assert_ne!(a, reversal_id(Id(42), 1));
        assert_ne!(a, reversal_id(Id(43), 0));
        assert!(!a.is_reserved());
    }
}
