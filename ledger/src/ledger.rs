//! The in-memory ledger: accounts, transfers and the journal, applied in batches with
//! TigerBeetle's semantics.

use crate::account::{AccountState, Balances};
use crate::account_table::{AccountTable, Slot};
use crate::error::{AccountError, TransferError};
use crate::journal::{Entry, GENESIS};
use crate::limits::LimitExceeded;
pub(crate) use crate::stored::Stored;
use crate::{Account, Id, Transfer};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Most transfers in one batch (TigerBeetle's batch size).
pub const BATCH_MAX: usize = 8_190;
/// Most accounts one in-memory ledger holds.
pub const MAX_ACCOUNTS: usize = 10_000_000;
/// Most transfers [`Ledger::reserve`] reserves room for at once: 2²⁰ = 1,048,576, a
/// million transfers (the benchmark's run); more is refused.
///
/// The room costs some 530 bytes a transfer on a 64-bit host: 400 bytes of journal (a
/// 384-byte entry and its 16 bytes of links) and the id table's 65-byte slots (an id and
/// its stored transfer, and a control byte), a power of two of them between 8/7 and 16/7
/// slots a transfer. For 2²⁰ transfers on an empty ledger: 419 MB of journal and 2²¹ slots
/// (136 MB) of id table: 556 MB (545 MB resident, measured), touched (written) by
/// [`Ledger::reserve`] in under a second (0.4 to 0.8 s on a 2-core VM).
pub const MAX_RESERVED: usize = 1 << 20;
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

/// What became of an account created again and again: `CREATED` the first time, `EXISTS`
/// for a retry with the same body (nothing changed). JSON: `"CREATED"` or `"EXISTS"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountOutcome {
    /// Created now.
    Created,
    /// Already there with the same body (a retry): nothing changed.
    Exists,
}

impl AccountOutcome {
    /// `"CREATED"` or `"EXISTS"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountOutcome::Created => "CREATED",
            AccountOutcome::Exists => "EXISTS",
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

/// What a chain changed, to undo it when a later transfer of the chain fails.
#[derive(Debug, Clone)]
pub(crate) enum Undo {
    Account(Slot, Balances, u64),
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

/// An in-memory double-entry ledger (docs/ledger.md): accounts with posted and pending
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
#[derive(Debug, Clone)]
pub struct Ledger {
    pub(crate) accounts: AccountTable,
    pub(crate) transfers: FxHashMap<Id, Stored>,
    pub(crate) failed: FxHashMap<Id, &'static str>,
    /// The journal: entry `seq` at index `seq − 1`.
    pub(crate) entries: Vec<Entry>,
    /// Per entry (same index): `seq` of the previous entry of its debit account and of its
    /// credit account (0: none) — each account's entries as a chain, walked back by
    /// [`Ledger::entries_of`].
    pub(crate) links: Vec<[u64; 2]>,
    pub(crate) last_hash: [u8; 32],
    pub(crate) scratch: Vec<u8>,
    /// What the chain being applied changed (reused from batch to batch).
    pub(crate) undo: Vec<Undo>,
    /// Whether new entries are hashed and chained. Off only in scratch ledgers whose
    /// entries are hashed by their owner: an audit's replay (which compares each replayed
    /// entry with the stored one, hashed once) and a plan's (which renumbers and hashes).
    pub(crate) hashing: bool,
    /// Whether the journal is kept. Off only in an audit's replay, which keeps the last
    /// entry alone (to compare it with the stored one) and counts the others in
    /// `dropped`; its pending transfers keep their bodies beside the id table.
    pub(crate) keep_entries: bool,
    /// Entries dropped before `entries[0]` (only when `keep_entries` is off).
    pub(crate) dropped: u64,
}

impl Default for Ledger {
    fn default() -> Ledger {
        Ledger::new()
    }
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger {
            accounts: AccountTable::default(),
            transfers: FxHashMap::default(),
            failed: FxHashMap::default(),
            entries: Vec::new(),
            links: Vec::new(),
            last_hash: GENESIS,
            scratch: Vec::with_capacity(256),
            undo: Vec::new(),
            hashing: true,
            keep_entries: true,
            dropped: 0,
        }
    }

    /// Reserves room for `transfers` more transfers (0 to [`MAX_RESERVED`]: journal
    /// entries and the id table) and touches it, as TigerBeetle allocates its memory at
    /// start-up: applying that many then neither moves what is stored nor waits on the
    /// operating system for fresh pages. Takes the memory applying them would (about
    /// 0.53 KB a transfer, see [`MAX_RESERVED`]). Best effort: when the memory cannot be
    /// had, nothing is reserved (and `Ok`). The room is not kept by `clone`.
    ///
    /// # Errors
    /// [`LimitExceeded`] (field `transfers`, limit [`MAX_RESERVED`], `actual` the count
    /// asked) past [`MAX_RESERVED`]: nothing is reserved.
    pub fn reserve(&mut self, transfers: usize) -> Result<(), LimitExceeded> {
        if transfers > MAX_RESERVED {
            return Err(LimitExceeded::new("transfers", MAX_RESERVED, transfers));
        }
        self.reserve_with(transfers, true);
        Ok(())
    }

    /// [`Ledger::reserve`] of at most [`MAX_RESERVED`] transfers (more is reserved as
    /// [`MAX_RESERVED`]), touching the memory or not (then the operating system hands out
    /// the pages as they are first written).
    pub(crate) fn reserve_with(&mut self, transfers: usize, touch: bool) {
        let n = transfers.min(MAX_RESERVED);
        let total = self.transfers.len().saturating_add(n);
        let mut table: FxHashMap<Id, Stored> = FxHashMap::default();
        let journal = if self.keep_entries { n } else { 0 };
        if self.entries.try_reserve(journal).is_err()
            || self.links.try_reserve(journal).is_err()
            || table.try_reserve(total).is_err()
        {
            return;
        }
        if !touch {
            table.extend(self.transfers.drain());
            self.transfers = table;
            return;
        }
        let (entries, links) = (self.entries.len(), self.links.len());
        self.entries
            .resize(entries.saturating_add(journal), Entry::placeholder());
        self.entries.truncate(entries);
        self.links.resize(links.saturating_add(journal), [0; 2]);
        self.links.truncate(links);
        // The larger table filled with placeholders, then cleared: its pages are touched.
        table.extend((1..=total as u128).map(|k| (Id(k), Stored::placeholder())));
        table.clear();
        table.extend(self.transfers.drain());
        self.transfers = table;
    }

    /// Creates accounts, each on its own: [`AccountOutcome::Created`]; an account that
    /// exists with the same body is left as it is ([`AccountOutcome::Exists`], a retry);
    /// with another body it fails naming the first differing field.
    ///
    /// # Errors
    /// Per account, an [`AccountError`] (reserved id, a field too long, an overdraft
    /// without a limit, `EXISTS_WITH_DIFFERENT_<FIELD>`, past [`MAX_ACCOUNTS`]).
    pub fn create_accounts(
        &mut self,
        accounts: &[Account],
    ) -> Vec<Result<AccountOutcome, AccountError>> {
        accounts.iter().map(|a| self.create_account(a)).collect()
    }

    fn create_account(&mut self, a: &Account) -> Result<AccountOutcome, AccountError> {
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
                return Ok(AccountOutcome::Exists);
            };
            return Err(AccountError::ExistsWithDifferentField { id: a.id, field });
        }
        let state = AccountState {
            account: a.clone(),
            balances: Balances::default(),
            version: 0,
        };
        if self.accounts.len() >= MAX_ACCOUNTS || !self.accounts.insert(state) {
            return Err(AccountError::TooManyAccounts);
        }
        Ok(AccountOutcome::Created)
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

    /// Every account, in the order created.
    pub fn accounts(&self) -> impl Iterator<Item = &AccountState> {
        self.accounts.values()
    }

    /// A transfer as created (a post or void with its fields resolved) and its pending
    /// state.
    pub fn transfer(&self, id: Id) -> Option<(&Transfer, PendingState)> {
        let s = self.transfers.get(&id)?;
        Some((s.resolved(&self.entries)?, s.state))
    }

    /// A stored transfer and the transfer as created.
    pub(crate) fn stored(&self, id: &Id) -> Option<(&Stored, &Transfer)> {
        let s = self.transfers.get(id)?;
        Some((s, s.resolved(&self.entries)?))
    }

    /// The journal, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries that touch `account`, in order.
    pub fn entries_of(&self, account: Id) -> impl Iterator<Item = &Entry> {
        self.seqs_of(account)
            .into_iter()
            .filter_map(|seq| self.entry(seq))
    }

    /// The entry `seq` (1-based).
    pub fn entry(&self, seq: u64) -> Option<&Entry> {
        crate::journal::find(&self.entries, seq)
    }

    /// The `seq` the next entry takes.
    pub(crate) fn next_seq(&self) -> u64 {
        self.dropped
            .saturating_add(self.entries.len() as u64)
            .saturating_add(1)
    }

    /// The `seq` of every entry that touches `account`, in order (walking the account's
    /// chain of entries back from its last one).
    pub(crate) fn seqs_of(&self, account: Id) -> Vec<u64> {
        let mut seqs = Vec::new();
        let mut seq = self.accounts.last_seq(&account);
        while let Some(e) = self.entry(seq) {
            seqs.push(seq);
            let side = usize::from(e.debit.account_id != account);
            let prev = seq
                .checked_sub(1)
                .and_then(|i| usize::try_from(i).ok())
                .filter(|_| self.keep_entries)
                .and_then(|i| self.links.get(i))
                .and_then(|l| l.get(side).copied())
                .unwrap_or(0);
            if prev >= seq {
                break;
            }
            seq = prev;
        }
        seqs.reverse();
        seqs
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
            while batch.get(end).is_some_and(|t| t.flags.linked)
                && end.saturating_add(1) < batch.len()
            {
                end = end.saturating_add(1);
            }
            let chain = batch.get(start..=end).unwrap_or(&[]);
            let open = chain.last().is_some_and(|t| t.flags.linked);
            if chain.len() == 1 && !open {
                self.undo.clear();
                let r = chain
                    .first()
                    .map(|t| self.create(t))
                    .unwrap_or(Err(TransferError::LinkedEventFailed));
                self.remember_failure(chain.first(), &r);
                results.push(r);
            } else {
                self.apply_chain(chain, open, &mut results);
            }
            start = end.saturating_add(1);
        }
        Ok(results)
    }

    fn apply_chain(&mut self, chain: &[Transfer], open: bool, results: &mut Vec<TransferResult>) {
        self.undo.clear();
        let mut outcomes = Vec::with_capacity(chain.len());
        let mut failed_at = None;
        for (k, t) in chain.iter().enumerate() {
            let r = if open && k.saturating_add(1) == chain.len() {
                Err(TransferError::LinkedEventChainOpen)
            } else {
                self.create(t)
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
                self.rollback();
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

    /// Undoes what the chain being applied changed, last change first.
    fn rollback(&mut self) {
        while let Some(u) = self.undo.pop() {
            match u {
                Undo::Account(slot, balances, version) => {
                    if let Some(a) = self.accounts.at_mut(slot) {
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
                Undo::Entry => self.pop_entry(),
            }
        }
    }

    /// Appends an entry to the journal, chaining it to its accounts' previous entries.
    pub(crate) fn push_entry(&mut self, entry: Entry) {
        let slots = [
            self.accounts.slot(&entry.debit.account_id),
            self.accounts.slot(&entry.credit.account_id),
        ];
        self.push_entry_at(entry, slots);
    }

    /// [`Ledger::push_entry`] with its accounts' slots found already.
    pub(crate) fn push_entry_at(&mut self, entry: Entry, slots: [Option<Slot>; 2]) {
        if !self.keep_entries {
            self.dropped = self.dropped.saturating_add(self.entries.len() as u64);
            self.entries.clear();
            self.links.clear();
        }
        let seq = entry.seq;
        let link = slots.map(|s| s.map_or(0, |s| self.accounts.set_last_seq_at(s, seq)));
        self.links.push(link);
        self.entries.push(entry);
    }

    /// Removes the last entry (a chain rolled back), restoring its accounts' chains and the
    /// journal's last hash.
    fn pop_entry(&mut self) {
        let (Some(e), Some([debit, credit])) = (self.entries.pop(), self.links.pop()) else {
            return;
        };
        self.last_hash = e.prev_hash;
        self.accounts.set_last_seq(&e.debit.account_id, debit);
        self.accounts.set_last_seq(&e.credit.account_id, credit);
    }
}
