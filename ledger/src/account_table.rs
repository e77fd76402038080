//! The ledger's accounts: a slab of [`AccountState`]s in creation order, an id index, and
//! per account the `seq` of its last journal entry (the head of its entry chain).
//!
//! A transfer finds each account once (one hash lookup per side) and then works on slots;
//! the per-account entry chain ([`crate::Ledger::entries_of`]) is kept by the journal's
//! links, so no per-account list grows on the hot path.

use crate::account::AccountState;
use crate::Id;
use rustc_hash::FxHashMap;

/// A slot of the table (its index; the table holds at most
/// [`crate::MAX_ACCOUNTS`] accounts, far below 2³²).
pub(crate) type Slot = u32;

/// The accounts of a ledger.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountTable {
    index: FxHashMap<Id, Slot>,
    states: Vec<AccountState>,
    /// `seq` of each slot's last journal entry (0: none).
    last_seq: Vec<u64>,
}

impl AccountTable {
    /// How many accounts.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// The slot of `id`.
    pub fn slot(&self, id: &Id) -> Option<Slot> {
        self.index.get(id).copied()
    }

    /// The account in `slot`.
    pub fn at(&self, slot: Slot) -> Option<&AccountState> {
        self.states.get(slot as usize)
    }

    /// The account in `slot`, to change.
    pub fn at_mut(&mut self, slot: Slot) -> Option<&mut AccountState> {
        self.states.get_mut(slot as usize)
    }

    /// The account `id`.
    pub fn get(&self, id: &Id) -> Option<&AccountState> {
        self.slot(id).and_then(|s| self.at(s))
    }

    /// The account `id`, to change.
    pub fn get_mut(&mut self, id: &Id) -> Option<&mut AccountState> {
        let slot = self.slot(id)?;
        self.at_mut(slot)
    }

    /// Whether `id` is an account.
    pub fn contains_key(&self, id: &Id) -> bool {
        self.index.contains_key(id)
    }

    /// Adds an account; `false` (and nothing changed) when its id is taken or the table is
    /// full (2³² slots).
    pub fn insert(&mut self, state: AccountState) -> bool {
        let id = state.account.id;
        let Ok(slot) = Slot::try_from(self.states.len()) else {
            return false;
        };
        if self.index.contains_key(&id) {
            return false;
        }
        self.index.insert(id, slot);
        self.states.push(state);
        self.last_seq.push(0);
        true
    }

    /// Every account, in creation order.
    pub fn values(&self) -> impl Iterator<Item = &AccountState> {
        self.states.iter()
    }

    /// `seq` of the last entry of the account `id` (0: none or no such account).
    pub fn last_seq(&self, id: &Id) -> u64 {
        self.slot(id)
            .and_then(|s| self.last_seq.get(s as usize).copied())
            .unwrap_or(0)
    }

    /// Sets the last entry of the account `id`; returns the one before (0: none).
    pub fn set_last_seq(&mut self, id: &Id, seq: u64) -> u64 {
        match self
            .slot(id)
            .and_then(|s| self.last_seq.get_mut(s as usize))
        {
            Some(last) => std::mem::replace(last, seq),
            None => 0,
        }
    }

    /// Sets the last entry of the account in `slot`; returns the one before (0: none).
    pub fn set_last_seq_at(&mut self, slot: Slot, seq: u64) -> u64 {
        match self.last_seq.get_mut(slot as usize) {
            Some(last) => std::mem::replace(last, seq),
            None => 0,
        }
    }
}
