//! Creating one transfer: TigerBeetle's checks in their order of precedence, the new
//! balances, and the commit (balances, the stored transfer, the journal entry).

use crate::account::{AccountState, Balances};
use crate::account_table::Slot;
use crate::amount::MAX_AMOUNT;
use crate::error::TransferError;
use crate::journal::{Entry, Side};
use crate::ledger::{Stored, Undo, MAX_REFERENCE_CHARS};
use crate::{Id, Ledger, Outcome, PendingState, Transfer, TransferResult};

fn units(v: u128) -> String {
    v.to_string()
}

/// The largest balance, either way, in minor units: 2⁹⁶ − 1, the most a decimal holds at
/// any scale, so that every balance (posted, available) reads exactly as a decimal at the
/// unit's scale — in an account's JSON and in statements.
pub(crate) const MAX_BALANCE_UNITS: u128 = (1 << 96) - 1;

/// [`TransferError::Overflows`] when `new`, the balances `a` would have, put its posted or
/// available balance past [`MAX_BALANCE_UNITS`] either way.
fn decimal_range(new: &Balances, a: &AccountState, id: Id) -> Result<(), TransferError> {
    let normal = a.account.normal;
    let fits = |v: i128| v.unsigned_abs() <= MAX_BALANCE_UNITS;
    if fits(new.posted(normal)) && fits(new.available(normal)) {
        Ok(())
    } else {
        Err(TransferError::Overflows { account_id: id })
    }
}

impl Ledger {
    /// Creates one transfer, checking in TigerBeetle's order of precedence.
    pub(crate) fn create(&mut self, t: &Transfer) -> TransferResult {
        check_fields(t)?;
        if t.flags.resolves() {
            return self.resolve(t);
        }
        let (ds, dr) =
            self.account_at(&t.debit_account_id)
                .ok_or(TransferError::DebitAccountNotFound {
                    account_id: t.debit_account_id,
                })?;
        let (cs, cr) =
            self.account_at(&t.credit_account_id)
                .ok_or(TransferError::CreditAccountNotFound {
                    account_id: t.credit_account_id,
                })?;
        if dr.account.unit != cr.account.unit {
            return Err(TransferError::AccountsMustHaveTheSameUnit {
                debit: dr.account.unit,
                credit: cr.account.unit,
            });
        }
        if let Some(unit) = t.unit {
            if unit != dr.account.unit {
                return Err(TransferError::TransferMustHaveTheSameUnitAsAccounts {
                    transfer: unit,
                    accounts: dr.account.unit,
                });
            }
        }
        if let Some(e) = self.transfers.get(&t.id) {
            return exists(t, e, &self.entries);
        }
        if let Some(first) = self.failed.get(&t.id) {
            return Err(TransferError::IdAlreadyFailed { id: t.id, first });
        }
        if dr.account.closed {
            return Err(TransferError::DebitAccountClosed {
                account_id: t.debit_account_id,
            });
        }
        if cr.account.closed {
            return Err(TransferError::CreditAccountClosed {
                account_id: t.credit_account_id,
            });
        }
        let mut amount = t.amount;
        if t.flags.balancing_debit {
            amount = amount.min(dr.debit_room().unwrap_or(u128::MAX));
        }
        if t.flags.balancing_credit {
            amount = amount.min(cr.credit_room().unwrap_or(u128::MAX));
        }
        let pending = t.flags.pending;
        let (mut db, mut cb) = (dr.balances, cr.balances);
        let add = |x: u128, id: Id| {
            x.checked_add(amount)
                .filter(|v| *v <= MAX_AMOUNT.saturating_mul(1 << 16))
                .ok_or(TransferError::Overflows { account_id: id })
        };
        if pending {
            db.debits_pending = add(db.debits_pending, t.debit_account_id)?;
            cb.credits_pending = add(cb.credits_pending, t.credit_account_id)?;
        } else {
            db.debits_posted = add(db.debits_posted, t.debit_account_id)?;
            cb.credits_posted = add(cb.credits_posted, t.credit_account_id)?;
        }
        decimal_range(&db, dr, t.debit_account_id)?;
        decimal_range(&cb, cr, t.credit_account_id)?;
        if let Some(room) = dr.debit_room() {
            if amount > room || amount == 0 {
                return Err(TransferError::ExceedsCredits {
                    account_id: t.debit_account_id,
                    available: units(room),
                    amount: units(t.amount),
                });
            }
        }
        if let Some(room) = cr.credit_room() {
            if amount > room || amount == 0 {
                return Err(TransferError::ExceedsDebits {
                    account_id: t.credit_account_id,
                    available: units(room),
                    amount: units(t.amount),
                });
            }
        }
        if amount == 0 {
            return Err(TransferError::AmountMustNotBeZero);
        }
        let mut resolved = t.clone();
        resolved.amount = amount;
        resolved.flags.linked = false;
        let state = if pending {
            PendingState::Pending
        } else {
            PendingState::None
        };
        Ok(self.commit(t, resolved, state, (ds, db), (cs, cb)))
    }

    /// A post or void of a pending transfer.
    fn resolve(&mut self, t: &Transfer) -> TransferResult {
        let p =
            self.transfers
                .get(&t.pending_id)
                .ok_or(TransferError::PendingTransferNotFound {
                    pending_id: t.pending_id,
                })?;
        if p.state == PendingState::None {
            return Err(TransferError::PendingTransferNotPending {
                pending_id: t.pending_id,
            });
        }
        let not_found = TransferError::PendingTransferNotFound {
            pending_id: t.pending_id,
        };
        let pt = p.resolved(&self.entries).ok_or(not_found)?;
        let differs = |field| TransferError::PendingTransferHasDifferentField {
            pending_id: t.pending_id,
            field,
        };
        if t.debit_account_id != Id::NONE && t.debit_account_id != pt.debit_account_id {
            return Err(differs("debit_account_id"));
        }
        if t.credit_account_id != Id::NONE && t.credit_account_id != pt.credit_account_id {
            return Err(differs("credit_account_id"));
        }
        if t.unit.is_some() && t.unit != pt.unit {
            return Err(differs("unit"));
        }
        if t.code.is_some() && t.code != pt.code {
            return Err(differs("code"));
        }
        if t.flags.post_pending && t.amount > pt.amount {
            return Err(TransferError::ExceedsPendingTransferAmount {
                amount: units(t.amount),
                pending_amount: units(pt.amount),
            });
        }
        if t.flags.void_pending && t.amount != 0 && t.amount != pt.amount {
            return Err(TransferError::PendingTransferHasDifferentAmount {
                amount: units(t.amount),
                pending_amount: units(pt.amount),
            });
        }
        if let Some(e) = self.transfers.get(&t.id) {
            return exists(t, e, &self.entries);
        }
        if let Some(first) = self.failed.get(&t.id) {
            return Err(TransferError::IdAlreadyFailed { id: t.id, first });
        }
        match p.state {
            PendingState::Posted => {
                return Err(TransferError::PendingTransferAlreadyPosted {
                    pending_id: t.pending_id,
                })
            }
            PendingState::Voided => {
                return Err(TransferError::PendingTransferAlreadyVoided {
                    pending_id: t.pending_id,
                })
            }
            PendingState::Pending | PendingState::None => {}
        }
        let held = pt.amount;
        let moved = if t.flags.post_pending {
            if t.amount == 0 {
                held
            } else {
                t.amount
            }
        } else {
            0
        };
        let (dr_id, cr_id) = (pt.debit_account_id, pt.credit_account_id);
        let (Some((ds, dr)), Some((cs, cr))) = (self.account_at(&dr_id), self.account_at(&cr_id))
        else {
            return Err(TransferError::DebitAccountNotFound { account_id: dr_id });
        };
        let (mut db, mut cb) = (dr.balances, cr.balances);
        let overflow = |id| TransferError::Overflows { account_id: id };
        db.debits_pending = db.debits_pending.checked_sub(held).ok_or(overflow(dr_id))?;
        cb.credits_pending = cb
            .credits_pending
            .checked_sub(held)
            .ok_or(overflow(cr_id))?;
        db.debits_posted = db.debits_posted.checked_add(moved).ok_or(overflow(dr_id))?;
        cb.credits_posted = cb
            .credits_posted
            .checked_add(moved)
            .ok_or(overflow(cr_id))?;
        decimal_range(&db, dr, dr_id)?;
        decimal_range(&cb, cr, cr_id)?;
        let mut resolved = t.clone();
        resolved.debit_account_id = dr_id;
        resolved.credit_account_id = cr_id;
        resolved.unit = pt.unit;
        resolved.code = pt.code;
        resolved.amount = if t.flags.post_pending { moved } else { held };
        resolved.flags.linked = false;
        let new_state = if t.flags.post_pending {
            PendingState::Posted
        } else {
            PendingState::Voided
        };
        self.undo.push(Undo::State(t.pending_id, p.state));
        if let Some(s) = self.transfers.get_mut(&t.pending_id) {
            s.state = new_state;
        }
        Ok(self.commit(t, resolved, PendingState::None, (ds, db), (cs, cb)))
    }

    /// The slot and state of the account `id`.
    fn account_at(&self, id: &Id) -> Option<(Slot, &AccountState)> {
        let slot = self.accounts.slot(id)?;
        Some((slot, self.accounts.at(slot)?))
    }

    /// Writes an account's new balances (remembering the old ones to undo) and gives its
    /// side of the entry.
    fn write_side(&mut self, slot: Slot, new: Balances) -> Side {
        let Some(a) = self.accounts.at_mut(slot) else {
            return Side::ZERO;
        };
        self.undo.push(Undo::Account(slot, a.balances, a.version));
        let normal = a.account.normal;
        let before = a.balances.posted(normal);
        a.balances = new;
        a.version = a.version.saturating_add(1);
        Side {
            account_id: a.account.id,
            normal,
            balance_before: before,
            balance_after: new.posted(normal),
            available_after: new.available(normal),
            version: a.version,
        }
    }

    /// Writes the balances, stores the transfer, appends the journal entry (hashed and
    /// chained unless the ledger is a scratch one).
    fn commit(
        &mut self,
        given: &Transfer,
        resolved: Transfer,
        state: PendingState,
        (ds, db): (Slot, Balances),
        (cs, cb): (Slot, Balances),
    ) -> Outcome {
        let seq = self.next_seq();
        let debit = self.write_side(ds, db);
        let credit = self.write_side(cs, cb);
        let stored = if self.keep_entries || state != PendingState::Pending {
            Stored::created(given, seq, state)
        } else {
            // No journal to find it in later: a pending transfer keeps its bodies.
            Stored::known(given.clone(), resolved.clone(), seq, state)
        };
        let mut entry = Entry {
            seq,
            transfer: resolved,
            debit,
            credit,
            prev_hash: self.last_hash,
            hash: [0; 32],
        };
        if self.hashing {
            entry.hash = entry.compute_hash(&mut self.scratch);
            self.last_hash = entry.hash;
        }
        self.push_entry_at(entry, [Some(ds), Some(cs)]);
        self.undo.push(Undo::Entry);
        self.transfers.insert(given.id, stored);
        self.undo.push(Undo::Inserted(given.id));
        Outcome::Created { seq }
    }
}

/// The checks that need nothing but the transfer itself, in precedence order.
fn check_fields(t: &Transfer) -> Result<(), TransferError> {
    use TransferError as E;
    if t.id.0 == 0 {
        return Err(E::IdMustNotBeZero);
    }
    if t.id.0 == u128::MAX {
        return Err(E::IdMustNotBeIntMax);
    }
    let f = t.flags;
    if (f.pending && f.resolves())
        || (f.post_pending && f.void_pending)
        || (f.resolves() && (f.balancing_debit || f.balancing_credit))
    {
        return Err(E::FlagsAreMutuallyExclusive);
    }
    if f.resolves() {
        if t.pending_id.is_reserved() {
            return Err(E::PendingIdMustNotBeZero);
        }
        if t.pending_id == t.id {
            return Err(E::PendingIdMustBeDifferent);
        }
    } else {
        if t.debit_account_id.is_reserved() {
            return Err(E::DebitAccountIdMustNotBeZero);
        }
        if t.credit_account_id.is_reserved() {
            return Err(E::CreditAccountIdMustNotBeZero);
        }
        if t.debit_account_id == t.credit_account_id {
            return Err(E::AccountsMustBeDifferent);
        }
        if t.pending_id != Id::NONE {
            return Err(E::PendingIdMustBeZero);
        }
        if t.amount == 0 {
            return Err(E::AmountMustNotBeZero);
        }
        if t.unit.is_none() {
            return Err(E::FieldRequired { field: "unit" });
        }
        if t.code.is_none() {
            return Err(E::FieldRequired { field: "code" });
        }
    }
    if t.amount > MAX_AMOUNT {
        return Err(E::AmountTooLarge {
            amount: units(t.amount),
        });
    }
    let n = t.reference.chars().count();
    if n > MAX_REFERENCE_CHARS {
        return Err(E::ReferenceTooLong { length: n });
    }
    Ok(())
}

/// The result for an id that exists: `EXISTS` (the first outcome) when the body is the
/// same, else the first differing field.
fn exists(t: &Transfer, e: &Stored, entries: &[Entry]) -> TransferResult {
    let Some(g) = e.given(entries) else {
        return Ok(Outcome::Exists { seq: e.seq });
    };
    let field = if g.flags != t.flags {
        "flags"
    } else if g.pending_id != t.pending_id {
        "pending_id"
    } else if g.debit_account_id != t.debit_account_id {
        "debit_account_id"
    } else if g.credit_account_id != t.credit_account_id {
        "credit_account_id"
    } else if g.amount != t.amount {
        "amount"
    } else if g.unit != t.unit {
        "unit"
    } else if g.code != t.code {
        "code"
    } else if g.reference != t.reference {
        "reference"
    } else {
        return Ok(Outcome::Exists { seq: e.seq });
    };
    Err(TransferError::ExistsWithDifferentField { id: t.id, field })
}
