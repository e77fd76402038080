//! A ledger's whole state as one document, and the ledger rebuilt from it: what a host
//! needs to hand a ledger to another process (Python's `pickle`, a task queue) or keep it
//! between runs.
//!
//! A [`Snapshot`] holds the accounts (as created, with their `closed` flag), the transfers
//! *as given*, in journal order (a linked chain as consecutive transfers, each but the last
//! flagged `linked`), the sticky failures, and the journal's last hash. [`Ledger::restore`]
//! creates the accounts, replays the transfers in order — each must be created again, as
//! the engine is deterministic — and then requires the rebuilt journal to end on the
//! snapshot's hash: a snapshot edited by hand, or written by a build with other rules, is
//! refused rather than restored to a different state. Balances, versions, pending states
//! and the journal itself are recomputed, not trusted.
//!
//! JSON (`serde`): `{"format": 1, "accounts": [...], "transfers": [...], "failed": [{"id",
//! "code"}], "last_hash": "<64 hex>"}`; amounts in minor units as in every ledger document.

use serde::{Deserialize, Serialize};

use crate::{Account, Id, Ledger, Outcome, Transfer, MAX_ACCOUNTS};

/// The snapshot format this build writes and reads.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// Most transfers a snapshot may hold: 16,777,216 (2^24; ~0.5 KB each once restored).
pub const MAX_SNAPSHOT_TRANSFERS: usize = 1 << 24;

/// A ledger's state (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// [`SNAPSHOT_FORMAT`].
    pub format: u32,
    /// Every account, in the order created, with its `closed` flag.
    pub accounts: Vec<Account>,
    /// Every created transfer as the host gave it, in journal order.
    pub transfers: Vec<Transfer>,
    /// The ids that failed, with their sticky codes (a retry fails the same way).
    pub failed: Vec<Failure>,
    /// The journal's last hash, lowercase hex (64 zeros for an empty journal).
    pub last_hash: String,
}

/// A transfer id that failed and the code it keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// The transfer id.
    pub id: Id,
    /// The code it failed with (`EXCEEDS_CREDITS` …).
    pub code: String,
}

/// Why a snapshot could not be taken or restored; nothing is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SnapshotError {
    /// A format this build does not read.
    #[error("snapshot format {found}; this build reads format {expected}")]
    UnknownFormat {
        /// The snapshot's `format`.
        found: u32,
        /// [`SNAPSHOT_FORMAT`].
        expected: u32,
    },
    /// More accounts or transfers than a snapshot may hold.
    #[error("a snapshot's {field} has {actual} entries, more than the limit of {limit}")]
    TooLarge {
        /// `accounts` or `transfers`.
        field: &'static str,
        /// [`MAX_ACCOUNTS`] or [`MAX_SNAPSHOT_TRANSFERS`].
        limit: usize,
        /// The count given.
        actual: usize,
    },
    /// An account could not be created again.
    #[error("account {index} of the snapshot is refused: {reason}")]
    AccountRefused {
        /// Its index in `accounts`.
        index: usize,
        /// The account error's code.
        reason: &'static str,
    },
    /// A transfer was not created again as it was the first time.
    #[error("transfer {index} of the snapshot (id {id}) does not replay: {reason}")]
    ReplayFailed {
        /// Its index in `transfers`.
        index: usize,
        /// Its id.
        id: Id,
        /// The transfer error's code, or `EXISTS`.
        reason: String,
    },
    /// A failure code the ledger does not keep.
    #[error("failure of {id}: unknown code {given:?}")]
    UnknownFailureCode {
        /// The transfer id.
        id: Id,
        /// The code given (at most 64 characters of it).
        given: String,
    },
    /// The replayed journal does not end where the snapshot says.
    #[error("the replayed journal ends on {replayed}, the snapshot on {expected}")]
    HashMismatch {
        /// The snapshot's `last_hash`.
        expected: String,
        /// The replay's.
        replayed: String,
    },
    /// This ledger does not keep its journal (an audit's replay), so it has no snapshot.
    #[error("this ledger does not keep its journal")]
    JournalNotKept,
}

impl SnapshotError {
    /// The stable code (`UNKNOWN_FORMAT`, `TOO_LARGE`, `REPLAY_FAILED`, `HASH_MISMATCH` …).
    pub fn code(&self) -> &'static str {
        match self {
            SnapshotError::UnknownFormat { .. } => "UNKNOWN_FORMAT",
            SnapshotError::TooLarge { .. } => "LIMIT_EXCEEDED",
            SnapshotError::AccountRefused { .. } => "ACCOUNT_REFUSED",
            SnapshotError::ReplayFailed { .. } => "REPLAY_FAILED",
            SnapshotError::UnknownFailureCode { .. } => "UNKNOWN_FAILURE_CODE",
            SnapshotError::HashMismatch { .. } => "HASH_MISMATCH",
            SnapshotError::JournalNotKept => "JOURNAL_NOT_KEPT",
        }
    }
}

impl Ledger {
    /// The ledger's state as a [`Snapshot`].
    ///
    /// # Errors
    /// [`SnapshotError::JournalNotKept`] for an audit's replay ledger (never for a ledger
    /// made with [`Ledger::new`]).
    pub fn snapshot(&self) -> Result<Snapshot, SnapshotError> {
        if !self.keep_entries || self.dropped > 0 {
            return Err(SnapshotError::JournalNotKept);
        }
        let accounts = self.accounts().map(|s| s.account.clone()).collect();
        let transfers = self
            .entries
            .iter()
            .map(|e| {
                self.transfers
                    .get(&e.transfer.id)
                    .and_then(|s| s.given_transfer(&self.entries))
                    .unwrap_or_else(|| e.transfer.clone())
            })
            .collect();
        let mut failed: Vec<Failure> = self
            .failed
            .iter()
            .map(|(id, code)| Failure {
                id: *id,
                code: (*code).to_owned(),
            })
            .collect();
        failed.sort_unstable_by_key(|f| f.id);
        Ok(Snapshot {
            format: SNAPSHOT_FORMAT,
            accounts,
            transfers,
            failed,
            last_hash: hex::encode(self.last_hash),
        })
    }

    /// The ledger a [`Snapshot`] describes (see the module docs).
    ///
    /// # Errors
    /// [`SnapshotError`]: an unknown format, too many accounts or transfers, an account or
    /// transfer that is not created again, an unknown failure code, or a rebuilt journal
    /// that does not end on `last_hash`.
    pub fn restore(snapshot: &Snapshot) -> Result<Ledger, SnapshotError> {
        if snapshot.format != SNAPSHOT_FORMAT {
            return Err(SnapshotError::UnknownFormat {
                found: snapshot.format,
                expected: SNAPSHOT_FORMAT,
            });
        }
        for (field, limit, actual) in [
            ("accounts", MAX_ACCOUNTS, snapshot.accounts.len()),
            (
                "transfers",
                MAX_SNAPSHOT_TRANSFERS,
                snapshot.transfers.len(),
            ),
        ] {
            if actual > limit {
                return Err(SnapshotError::TooLarge {
                    field,
                    limit,
                    actual,
                });
            }
        }
        let mut ledger = Ledger::new();
        let open: Vec<Account> = snapshot
            .accounts
            .iter()
            .map(|a| Account {
                closed: false,
                ..a.clone()
            })
            .collect();
        for (index, created) in ledger.create_accounts(&open).into_iter().enumerate() {
            if let Err(e) = created {
                return Err(SnapshotError::AccountRefused {
                    index,
                    reason: e.code(),
                });
            }
        }
        replay(&mut ledger, &snapshot.transfers)?;
        let replayed = hex::encode(ledger.last_hash);
        if replayed != snapshot.last_hash.to_ascii_lowercase() {
            return Err(SnapshotError::HashMismatch {
                expected: snapshot.last_hash.chars().take(64).collect(),
                replayed,
            });
        }
        for a in snapshot.accounts.iter().filter(|a| a.closed) {
            ledger.close_account(a.id);
        }
        for f in &snapshot.failed {
            let code = crate::planner::sticky_code(&f.code).ok_or_else(|| {
                SnapshotError::UnknownFailureCode {
                    id: f.id,
                    given: f.code.chars().take(64).collect(),
                }
            })?;
            ledger.failed.insert(f.id, code);
        }
        Ok(ledger)
    }
}

/// Applies `transfers` one at a time, `linked` cleared — each was created, so a chain
/// applied link by link makes the same entries (a resolved transfer never keeps `linked`)
/// — then gives each stored transfer back the flags it was given with, which a retry is
/// compared on.
fn replay(ledger: &mut Ledger, transfers: &[Transfer]) -> Result<(), SnapshotError> {
    for (index, given) in transfers.iter().enumerate() {
        let refused = |reason: String| SnapshotError::ReplayFailed {
            index,
            id: given.id,
            reason,
        };
        let mut single = given.clone();
        single.flags.linked = false;
        let results = ledger
            .apply(std::slice::from_ref(&single))
            .map_err(|e| refused(e.to_string()))?;
        match results.first() {
            Some(Ok(Outcome::Created { .. })) => {}
            Some(Ok(_)) => return Err(refused("EXISTS".to_owned())),
            Some(Err(e)) => return Err(refused(e.code().to_owned())),
            None => return Err(refused("NO_RESULT".to_owned())),
        }
        if given.flags.linked {
            if let Some(stored) = ledger.transfers.get_mut(&given.id) {
                stored.set_given_linked(true);
            }
        }
    }
    Ok(())
}
