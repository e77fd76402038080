//! The in-memory ledger: accounts, transfers and the journal, applied in batches with
//! TigerBeetle's semantics.

use crate::account::{AccountState, Balances, Normal};
use crate::amount::MAX_AMOUNT;
use crate::error::{AccountError, TransferError};
use crate::journal::{Entry, Side, GENESIS};
use crate::{Account, Id, Transfer};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Most transfers in one batch (TigerBeetle's batch size).
pub const BATCH_MAX: usize = 8_190;
/// Most accounts one in-memory ledger holds.
pub const MAX_ACCOUNTS: usize = 10_000_000;
/// Longest `reference`, characters.
pub const MAX_REFERENCE_CHARS: usize = 128;

/// What became of a transfer that did not fail. JSON: `{"status": "CREATED", "seq": 12}`
/// or `{"status": "EXISTS", "seq": 12}` (the shape of [`crate::report`]'s reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    /// Created now: its journal entry has this `seq`.
    Created {
        /// The entry's sequence number.
        seq: u64,
    },
    /// The same id with the same body was applied before (a retry): nothing changed; `seq`
    /// is the first entry's.
    Exists {
        /// The first entry's sequence number.
        seq: u64,
    },
}

impl Outcome {
    /// The entry's sequence number.
    pub fn seq(self) -> u64 {
        match self {
            Outcome::Created { seq } | Outcome::Exists { seq } => seq,
        }
    }
}

/// The result of one transfer of a batch.
pub type TransferResult = Result<Outcome, TransferError>;

/// Where a pending transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PendingState {
    /// Not a pending transfer.
    None,
    /// Holding its amount.
    Pending,
    /// Posted (the amount posted may be less than held).
    Posted,
    /// Voided.
    Voided,
}

/// A stored transfer: as given (for idempotency), as resolved (for the journal), and its
/// pending state.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub given: Transfer,
    pub resolved: Transfer,
    pub state: PendingState,
    pub seq: u64,
}

/// What a chain changed, to undo it when a later transfer of the chain fails.
enum Undo {
    Account(Id, Balances, u64),
    Inserted(Id),
    State(Id, PendingState),
    Entry,
}

/// Why a whole batch was refused (nothing applied).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// More than [`BATCH_MAX`] transfers.
    #[error("a batch holds at most {max} transfers, not {actual}")]
    TooLarge {
        /// [`BATCH_MAX`].
        max: usize,
        /// The batch's length.
        actual: usize,
    },
}

/// An in-memory double-entry ledger (DESIGN.md §6): accounts with posted and pending
/// balances, transfers applied in batches of up to [`BATCH_MAX`] (linked chains atomic),
/// two-phase transfers that resolve at most once, idempotent ids, sticky failures, and a
/// hash-chained journal.
///
/// ```
/// use rihla_ledger::{Account, Code, Ledger, Transfer, Unit};
/// let sar = Unit::parse("SAR")?;
/// let at = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
/// let mut ledger = Ledger::new();
/// ledger.create_accounts(&[Account::new(1u128, sar).debit_normal(),
///                          Account::new(1001u128, sar).must_not_go_negative()]);
/// let r = ledger.apply(&[Transfer::new(9001u128, 1u128, 1001u128, 50_000, sar, Code::Deposit, at)])?;
/// assert!(r[0].is_ok());
/// assert_eq!(ledger.account(1001u128.into()).map(|a| a.balances.credits_posted), Some(50_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub(crate) accounts: FxHashMap<Id, AccountState>,
    pub(crate) transfers: FxHashMap<Id, Stored>,
    pub(crate) failed: FxHashMap<Id, &'static str>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) by_account: FxHashMap<Id, Vec<u64>>,
    pub(crate) last_hash: [u8; 32],
    pub(crate) scratch: Vec<u8>,
}

fn units(v: u128) -> String {
    v.to_string()
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger {
            last_hash: GENESIS,
            ..Ledger::default()
        }
    }

    /// Creates accounts; an account that exists with the same body is left as it is (a
    /// retry), with another body it fails naming the first differing field.
    pub fn create_accounts(&mut self, accounts: &[Account]) -> Vec<Result<(), AccountError>> {
        accounts.iter().map(|a| self.create_account(a)).collect()
    }

    fn create_account(&mut self, a: &Account) -> Result<(), AccountError> {
        if a.id.is_reserved() {
            return Err(AccountError::IdMustNotBeReserved);
        }
        if a.code.chars().count() > 64 {
            return Err(AccountError::TooLong { field: "code" });
        }
        if a.owner.chars().count() > 128 {
            return Err(AccountError::TooLong { field: "owner" });
        }
        if a.overdraft_limit > 0 && !a.must_not_go_negative {
            return Err(AccountError::OverdraftWithoutLimit);
        }
        if let Some(e) = self.accounts.get(&a.id) {
            let e = &e.account;
            let field = if e.unit != a.unit {
                "unit"
            } else if e.normal != a.normal {
                "normal"
            } else if e.must_not_go_negative != a.must_not_go_negative {
                "must_not_go_negative"
            } else if e.overdraft_limit != a.overdraft_limit {
                "overdraft_limit"
            } else if e.closed != a.closed {
                "closed"
            } else if e.code != a.code {
                "code"
            } else if e.owner != a.owner {
                "owner"
            } else {
                return Ok(());
            };
            return Err(AccountError::ExistsWithDifferentField { id: a.id, field });
        }
        if self.accounts.len() >= MAX_ACCOUNTS {
            return Err(AccountError::TooManyAccounts);
        }
        self.accounts.insert(
            a.id,
            AccountState {
                account: a.clone(),
                balances: Balances::default(),
                version: 0,
            },
        );
        Ok(())
    }

    /// Closes an account (it takes no new transfer; its pending transfers may still be
    /// posted or voided). Returns whether the account exists.
    pub fn close_account(&mut self, id: Id) -> bool {
        match self.accounts.get_mut(&id) {
            Some(a) => {
                a.account.closed = true;
                true
            }
            None => false,
        }
    }

    /// An account with its balances and version.
    pub fn account(&self, id: Id) -> Option<&AccountState> {
        self.accounts.get(&id)
    }

    /// Every account, in no particular order.
    pub fn accounts(&self) -> impl Iterator<Item = &AccountState> {
        self.accounts.values()
    }

    /// A transfer as created (a post or void with its fields resolved) and its pending
    /// state.
    pub fn transfer(&self, id: Id) -> Option<(&Transfer, PendingState)> {
        self.transfers.get(&id).map(|s| (&s.resolved, s.state))
    }

    /// The journal, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries that touch `account`, in order.
    pub fn entries_of(&self, account: Id) -> impl Iterator<Item = &Entry> {
        self.by_account
            .get(&account)
            .into_iter()
            .flatten()
            .filter_map(|seq| {
                self.entries
                    .get(usize::try_from(*seq).unwrap_or(0).wrapping_sub(1))
            })
    }

    /// The hash of the last entry (32 zero bytes when empty).
    pub fn last_hash(&self) -> [u8; 32] {
        self.last_hash
    }

    /// Applies a batch in order. A linked chain (transfers with `linked` set, and the one
    /// after the last of them) is applied as a whole or not at all; every other transfer
    /// on its own. A failed transfer changes nothing.
    ///
    /// # Errors
    /// [`BatchError::TooLarge`] past [`BATCH_MAX`] transfers (nothing applied).
    pub fn apply(&mut self, batch: &[Transfer]) -> Result<Vec<TransferResult>, BatchError> {
        if batch.len() > BATCH_MAX {
            return Err(BatchError::TooLarge {
                max: BATCH_MAX,
                actual: batch.len(),
            });
        }
        let mut results: Vec<TransferResult> = Vec::with_capacity(batch.len());
        let mut start = 0;
        while start < batch.len() {
            let mut end = start;
            while batch.get(end).is_some_and(|t| t.flags.linked) && end + 1 < batch.len() {
                end += 1;
            }
            let chain = batch.get(start..=end).unwrap_or(&[]);
            let open = chain.last().is_some_and(|t| t.flags.linked);
            if chain.len() == 1 && !open {
                let mut undo = Vec::new();
                let r = chain
                    .first()
                    .map(|t| self.create(t, &mut undo))
                    .unwrap_or(Err(TransferError::LinkedEventFailed));
                self.remember_failure(chain.first(), &r);
                results.push(r);
            } else {
                self.apply_chain(chain, open, &mut results);
            }
            start = end + 1;
        }
        Ok(results)
    }

    fn apply_chain(&mut self, chain: &[Transfer], open: bool, results: &mut Vec<TransferResult>) {
        let mut undo = Vec::new();
        let mut outcomes = Vec::with_capacity(chain.len());
        let mut failed_at = None;
        for (k, t) in chain.iter().enumerate() {
            let r = if open && k + 1 == chain.len() {
                Err(TransferError::LinkedEventChainOpen)
            } else {
                self.create(t, &mut undo)
            };
            match r {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    failed_at = Some((k, e));
                    break;
                }
            }
        }
        match failed_at {
            None => results.extend(outcomes.into_iter().map(Ok)),
            Some((k, e)) => {
                self.rollback(undo);
                self.remember_failure(chain.get(k), &Err(e.clone()));
                for i in 0..chain.len() {
                    results.push(if i == k {
                        Err(e.clone())
                    } else {
                        Err(TransferError::LinkedEventFailed)
                    });
                }
            }
        }
    }

    fn remember_failure(&mut self, t: Option<&Transfer>, r: &TransferResult) {
        if let (Some(t), Err(e)) = (t, r) {
            if e.is_sticky() && !t.id.is_reserved() && !self.transfers.contains_key(&t.id) {
                self.failed.entry(t.id).or_insert(e.code());
            }
        }
    }

    fn rollback(&mut self, undo: Vec<Undo>) {
        for u in undo.into_iter().rev() {
            match u {
                Undo::Account(id, balances, version) => {
                    if let Some(a) = self.accounts.get_mut(&id) {
                        a.balances = balances;
                        a.version = version;
                    }
                }
                Undo::Inserted(id) => {
                    self.transfers.remove(&id);
                }
                Undo::State(id, state) => {
                    if let Some(s) = self.transfers.get_mut(&id) {
                        s.state = state;
                    }
                }
                Undo::Entry => {
                    if let Some(e) = self.entries.pop() {
                        self.last_hash = e.prev_hash;
                        for side in [e.debit.account_id, e.credit.account_id] {
                            if let Some(v) = self.by_account.get_mut(&side) {
                                v.pop();
                            }
                        }
                    }
                }
            }
        }
    }

    /// Creates one transfer, checking in TigerBeetle's order of precedence.
    fn create(&mut self, t: &Transfer, undo: &mut Vec<Undo>) -> TransferResult {
        check_fields(t)?;
        if t.flags.resolves() {
            return self.resolve(t, undo);
        }
        let dr =
            self.accounts
                .get(&t.debit_account_id)
                .ok_or(TransferError::DebitAccountNotFound {
                    account_id: t.debit_account_id,
                })?;
        let cr = self.accounts.get(&t.credit_account_id).ok_or(
            TransferError::CreditAccountNotFound {
                account_id: t.credit_account_id,
            },
        )?;
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
            return exists(t, e);
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
            amount = amount.min(debit_room(dr).unwrap_or(u128::MAX));
        }
        if t.flags.balancing_credit {
            amount = amount.min(credit_room(cr).unwrap_or(u128::MAX));
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
        if let Some(room) = debit_room(dr) {
            if amount > room || amount == 0 {
                return Err(TransferError::ExceedsCredits {
                    account_id: t.debit_account_id,
                    available: units(room),
                    amount: units(t.amount),
                });
            }
        }
        if let Some(room) = credit_room(cr) {
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
        Ok(self.commit(t, resolved, state, db, cb, undo))
    }

    /// A post or void of a pending transfer.
    fn resolve(&mut self, t: &Transfer, undo: &mut Vec<Undo>) -> TransferResult {
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
        let pt = &p.resolved;
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
            return exists(t, e);
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
        let (Some(dr), Some(cr)) = (self.accounts.get(&dr_id), self.accounts.get(&cr_id)) else {
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
        undo.push(Undo::State(t.pending_id, p.state));
        if let Some(s) = self.transfers.get_mut(&t.pending_id) {
            s.state = new_state;
        }
        Ok(self.commit(t, resolved, PendingState::None, db, cb, undo))
    }

    /// Writes the balances, stores the transfer, appends the journal entry.
    fn commit(
        &mut self,
        given: &Transfer,
        resolved: Transfer,
        state: PendingState,
        db: Balances,
        cb: Balances,
        undo: &mut Vec<Undo>,
    ) -> Outcome {
        let seq = self.entries.len() as u64 + 1;
        let mut side = |id: Id, new: Balances| -> Side {
            match self.accounts.get_mut(&id) {
                Some(a) => {
                    undo.push(Undo::Account(id, a.balances, a.version));
                    let normal = a.account.normal;
                    let before = a.balances.posted(normal);
                    a.balances = new;
                    a.version += 1;
                    Side {
                        account_id: id,
                        normal,
                        balance_before: before,
                        balance_after: new.posted(normal),
                        available_after: new.available(normal),
                        version: a.version,
                    }
                }
                None => Side {
                    account_id: id,
                    normal: Normal::Credit,
                    balance_before: 0,
                    balance_after: 0,
                    available_after: 0,
                    version: 0,
                },
            }
        };
        let debit = side(resolved.debit_account_id, db);
        let credit = side(resolved.credit_account_id, cb);
        let mut entry = Entry {
            seq,
            transfer: resolved.clone(),
            debit,
            credit,
            prev_hash: self.last_hash,
            hash: [0; 32],
        };
        entry.hash = entry.compute_hash(&mut self.scratch);
        self.last_hash = entry.hash;
        for id in [debit.account_id, credit.account_id] {
            self.by_account.entry(id).or_default().push(seq);
        }
        self.entries.push(entry);
        undo.push(Undo::Entry);
        self.transfers.insert(
            given.id,
            Stored {
                given: given.clone(),
                resolved,
                state,
                seq,
            },
        );
        undo.push(Undo::Inserted(given.id));
        Outcome::Created { seq }
    }
}

/// How much more a `must_not_go_negative` credit-normal account can be debited (`None`:
/// no limit on its debit side).
fn debit_room(a: &AccountState) -> Option<u128> {
    let acc = &a.account;
    (acc.must_not_go_negative && acc.normal == Normal::Credit).then(|| {
        let b = &a.balances;
        b.credits_posted
            .saturating_add(acc.overdraft_limit)
            .saturating_sub(b.debits_posted.saturating_add(b.debits_pending))
    })
}

/// How much more a `must_not_go_negative` debit-normal account can be credited.
fn credit_room(a: &AccountState) -> Option<u128> {
    let acc = &a.account;
    (acc.must_not_go_negative && acc.normal == Normal::Debit).then(|| {
        let b = &a.balances;
        b.debits_posted
            .saturating_add(acc.overdraft_limit)
            .saturating_sub(b.credits_posted.saturating_add(b.credits_pending))
    })
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
fn exists(t: &Transfer, e: &Stored) -> TransferResult {
    let g = &e.given;
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
