//! A stored transfer, kept once: the transfer as created is its journal entry's; what the
//! host sent (compared with a retry) differs from it only by the amount, the flags, and
//! the accounts, unit and code a post or void may leave out — those few fields are kept
//! beside it. A transfer read from a host's snapshot (the planner's) has no entry here and
//! keeps both bodies.

use crate::journal::Entry;
use crate::{Code, Id, PendingState, Transfer, TransferFlags, Unit};

/// Fields a post or void left out (taken from the pending transfer).
const OMITTED_DEBIT: u8 = 1;
const OMITTED_CREDIT: u8 = 2;
const OMITTED_UNIT: u8 = 4;
const OMITTED_CODE: u8 = 8;

/// A transfer the ledger holds under its id.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    /// Its journal entry's sequence number.
    pub seq: u64,
    /// Where it stands as a pending transfer.
    pub state: PendingState,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    /// Created by this ledger: the resolved transfer is the entry `seq`; the given one
    /// differs by these.
    Entry {
        amount: u128,
        flags: TransferFlags,
        omitted: u8,
    },
    /// Read from a snapshot: (given, resolved).
    Known(Box<(Transfer, Transfer)>),
}

/// The fields of the transfer as given that a retry is compared on, in TigerBeetle's
/// order of precedence.
pub(crate) struct Given<'a> {
    pub flags: TransferFlags,
    pub pending_id: Id,
    pub debit_account_id: Id,
    pub credit_account_id: Id,
    pub amount: u128,
    pub unit: Option<Unit>,
    pub code: Option<Code>,
    pub reference: &'a str,
}

impl Stored {
    /// A transfer the engine created from `given`: its entry `seq` holds the transfer as
    /// resolved, which differs from `given` only by the amount, the `linked` flag and the
    /// fields `given` left out (0 / none: a post or void takes the pending transfer's).
    pub fn created(given: &Transfer, seq: u64, state: PendingState) -> Self {
        let bit = |left_out: bool, bit: u8| if left_out { bit } else { 0 };
        let omitted = bit(given.debit_account_id == Id::NONE, OMITTED_DEBIT)
            | bit(given.credit_account_id == Id::NONE, OMITTED_CREDIT)
            | bit(given.unit.is_none(), OMITTED_UNIT)
            | bit(given.code.is_none(), OMITTED_CODE);
        Stored {
            seq,
            state,
            body: Body::Entry {
                amount: given.amount,
                flags: given.flags,
                omitted,
            },
        }
    }

    /// A transfer of a plan, whose entry `seq` holds `resolved`: kept as
    /// [`Stored::created`] when `resolved` is what the engine makes of `given`, else with
    /// both bodies.
    pub fn from_plan(given: &Transfer, resolved: &Transfer, seq: u64, state: PendingState) -> Self {
        let same_or_left_out = |g: Id, r: Id| g == r || (g == Id::NONE && r != Id::NONE);
        let consistent = given.id == resolved.id
            && given.pending_id == resolved.pending_id
            && given.reference == resolved.reference
            && given.at == resolved.at
            && same_or_left_out(given.debit_account_id, resolved.debit_account_id)
            && same_or_left_out(given.credit_account_id, resolved.credit_account_id)
            && (given.unit == resolved.unit || (given.unit.is_none() && resolved.unit.is_some()))
            && (given.code == resolved.code || (given.code.is_none() && resolved.code.is_some()));
        if consistent {
            Stored::created(given, seq, state)
        } else {
            Stored::known(given.clone(), resolved.clone(), seq, state)
        }
    }

    /// Sets the `linked` flag of the transfer as given (a snapshot's replay applies each
    /// transfer alone, then restores the flags a retry is compared on).
    pub fn set_given_linked(&mut self, linked: bool) {
        match &mut self.body {
            Body::Entry { flags, .. } => flags.linked = linked,
            Body::Known(pair) => pair.0.flags.linked = linked,
        }
    }

    /// A stand-in that takes a table slot ([`crate::Ledger::reserve`]).
    pub fn placeholder() -> Self {
        Stored {
            seq: 0,
            state: PendingState::None,
            body: Body::Entry {
                amount: 0,
                flags: TransferFlags::default(),
                omitted: 0,
            },
        }
    }

    /// A transfer read from a host: both bodies as stored.
    pub fn known(given: Transfer, resolved: Transfer, seq: u64, state: PendingState) -> Self {
        Stored {
            seq,
            state,
            body: Body::Known(Box::new((given, resolved))),
        }
    }

    /// The transfer as created, found in `entries` (a run numbered without gaps) when it
    /// was created by this ledger.
    pub fn resolved<'a>(&'a self, entries: &'a [Entry]) -> Option<&'a Transfer> {
        match &self.body {
            Body::Known(pair) => Some(&pair.1),
            Body::Entry { .. } => crate::journal::find(entries, self.seq).map(|e| &e.transfer),
        }
    }

    /// The fields as given.
    pub fn given<'a>(&'a self, entries: &'a [Entry]) -> Option<Given<'a>> {
        match &self.body {
            Body::Known(pair) => {
                let g = &pair.0;
                Some(Given {
                    flags: g.flags,
                    pending_id: g.pending_id,
                    debit_account_id: g.debit_account_id,
                    credit_account_id: g.credit_account_id,
                    amount: g.amount,
                    unit: g.unit,
                    code: g.code,
                    reference: &g.reference,
                })
            }
            Body::Entry {
                amount,
                flags,
                omitted,
            } => {
                let r = self.resolved(entries)?;
                let keep = |bit: u8| omitted & bit == 0;
                Some(Given {
                    flags: *flags,
                    pending_id: r.pending_id,
                    debit_account_id: if keep(OMITTED_DEBIT) {
                        r.debit_account_id
                    } else {
                        Id::NONE
                    },
                    credit_account_id: if keep(OMITTED_CREDIT) {
                        r.credit_account_id
                    } else {
                        Id::NONE
                    },
                    amount: *amount,
                    unit: r.unit.filter(|_| keep(OMITTED_UNIT)),
                    code: r.code.filter(|_| keep(OMITTED_CODE)),
                    reference: &r.reference,
                })
            }
        }
    }

    /// The transfer as given, rebuilt (for a host's snapshot).
    pub fn given_transfer(&self, entries: &[Entry]) -> Option<Transfer> {
        if let Body::Known(pair) = &self.body {
            return Some(pair.0.clone());
        }
        let g = self.given(entries)?;
        let r = self.resolved(entries)?;
        Some(Transfer {
            id: r.id,
            debit_account_id: g.debit_account_id,
            credit_account_id: g.credit_account_id,
            amount: g.amount,
            pending_id: g.pending_id,
            unit: g.unit,
            code: g.code,
            reference: r.reference.clone(),
            at: r.at,
            flags: g.flags,
        })
    }
}
