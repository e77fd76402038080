//! The stateless planner: optimistic concurrency for hosts that keep the ledger in their own
//! database (docs/ledger.md, "The stateless planner").
//!
//! A host (a Django or FastAPI service) reads, inside its database transaction, what a
//! batch needs — the touched accounts with their balances and versions, the transfers
//! already stored under the batch's ids and `pending_id`s, the sticky failures stored under
//! its ids, and the journal head — and calls [`plan`]. The planner seeds a temporary
//! [`Ledger`] with that snapshot and applies the batch with [`Ledger::apply`] itself (the
//! same code path as the in-memory ledger, so the semantics cannot drift), then returns a
//! [`Plan`]: the result of every transfer, the journal entries to insert (`seq` continuing
//! from the head read, SHA-256 chained from its hash), the account rows to update with the
//! version the host read, the transfers, pending-state changes and sticky failures to
//! store.
//!
//! The host writes the plan in the same database transaction, guarded (a plan whose
//! results are all `EXISTS` — a retry — needs no transaction; one that refuses a transfer
//! runs the checks even when it writes nothing, since the refusal was decided on what was
//! read):
//!
//! ```text
//! for u in plan.account_updates:   UPDATE accounts SET <balances>, version = u.new_version
//!                                  WHERE id = u.account_id AND version = u.expected_version
//! for c in plan.account_checks:    SELECT 1 FROM accounts WHERE id = c.account_id
//!                                  AND version = c.version FOR SHARE
//! UPDATE journal_head SET seq = head.seq, hash = head.hash
//!                                  WHERE seq = base.seq AND hash = base.hash
//! INSERT INTO entries … plan.entries                    (seq is unique)
//! for p in plan.pending_updates:   UPDATE transfers SET state = p.to
//!                                  WHERE id = p.pending_id AND state = p.from
//! INSERT INTO transfers … plan.new_transfers; INSERT INTO failures … plan.new_failures
//!                                  (one unique key over transfer and failure ids)
//! ```
//!
//! Zero rows updated (or selected), or a unique key violated, means another writer
//! committed after the host's read: roll back, read again and plan again. A host that read
//! a stale balance so gets a conflict instead of a lost update or an overdraft. The
//! journal head is guarded by every plan that writes, because its entries chain from it
//! and its failures were decided on what the journal held (a `PENDING_TRANSFER_NOT_FOUND`
//! must not be stored after that pending transfer was created). Account rows are listed
//! in id order, so concurrent hosts lock them in the same order.
//!
//! [`Ledger::commit_plan`] is the same commit for a host that keeps a [`Ledger`] in memory,
//! and [`Ledger::plan_input`] reads a snapshot from one (what the host's queries return).
//!
//! ```
//! use rihla_ledger::{plan, Account, Code, Ledger, Transfer, Unit};
//! let sar = Unit::parse("SAR")?;
//! let at = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
//! let mut ledger = Ledger::new();
//! ledger.create_accounts(&[Account::new(1u128, sar).debit_normal(),
//!                          Account::new(1001u128, sar).must_not_go_negative()]);
//! let batch = [Transfer::new(9001u128, 1u128, 1001u128, 10_000, sar, Code::Deposit, at)];
//! let p = plan(&ledger.plan_input(&batch))?;
//! assert_eq!(p.entries().len(), 1);
//! assert_eq!(p.account_updates()[1].new_version, 1);
//! ledger.commit_plan(&p)?;
//! assert_eq!(ledger.account(1001u128.into()).map(|a| a.balances.credits_posted), Some(10_000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::account::{AccountState, Balances};
use crate::amount::MAX_AMOUNT;
use crate::error::TransferError;
use crate::journal::{Entry, GENESIS};
use crate::ledger::Stored;
use crate::limits::{bounded_vec, MAX_PLAN_ACCOUNTS, MAX_PLAN_FAILURES, MAX_PLAN_TRANSFERS};
use crate::{Account, Id, Ledger, Outcome, PendingState, Transfer, TransferResult, BATCH_MAX};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest `last_seq` a snapshot may give: a full batch must still number its entries.
pub const MAX_SEQ: u64 = u64::MAX - BATCH_MAX as u64;
/// Largest account version a snapshot may give: a full batch must still count up.
pub const MAX_VERSION: u64 = u64::MAX - BATCH_MAX as u64;
/// Largest balance total a snapshot may give, minor units (the bound the ledger keeps:
/// 2¹⁶ of the largest amount).
pub const MAX_BALANCE: u128 = MAX_AMOUNT.saturating_mul(1 << 16);

/// The codes of the sticky failures (those [`TransferError::is_sticky`] holds for), the
/// only codes a [`StickyFailure`] may carry.
pub const STICKY_CODES: [&str; 8] = [
    "DEBIT_ACCOUNT_NOT_FOUND",
    "CREDIT_ACCOUNT_NOT_FOUND",
    "PENDING_TRANSFER_NOT_FOUND",
    "DEBIT_ACCOUNT_CLOSED",
    "CREDIT_ACCOUNT_CLOSED",
    "OVERFLOWS",
    "EXCEEDS_CREDITS",
    "EXCEEDS_DEBITS",
];

pub(crate) fn sticky_code(code: &str) -> Option<&'static str> {
    STICKY_CODES.iter().copied().find(|c| *c == code)
}

/// An account as the host read it: its row, balances and version.
///
/// JSON: `{"account": {…Account…}, "balances": {"debits_pending": "0", …}, "version": 3}`
/// (balances are strings of digits, minor units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSnapshot {
    /// The account.
    pub account: Account,
    /// Its balances, minor units, each at most [`MAX_BALANCE`].
    pub balances: Balances,
    /// Its version (incremented by every transfer that changes its balances), at most
    /// [`MAX_VERSION`].
    pub version: u64,
}

/// A stored transfer: what the host read for a batch's ids and `pending_id`s (so that
/// retries are `EXISTS`, other bodies `EXISTS_WITH_DIFFERENT_<FIELD>`, and posts and voids
/// find their pending transfer), and what a [`Plan`] gives it to store.
///
/// JSON: `{"given": {…Transfer…}, "resolved": {…Transfer…}, "state": "PENDING", "seq": 7}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownTransfer {
    /// The transfer as the host sent it (compared with a retry).
    pub given: Transfer,
    /// The transfer as created (the journal entry's: a post or void with its accounts,
    /// unit and code resolved, `amount` what moved; a balancing transfer with the amount
    /// that moved). Same id as `given`.
    pub resolved: Transfer,
    /// `NONE` (not a pending transfer), `PENDING`, `POSTED` or `VOIDED`.
    #[serde(with = "pending_state")]
    pub state: PendingState,
    /// Its journal entry's sequence number (1 to the snapshot's `last_seq`).
    pub seq: u64,
}

/// An id that failed for a reason that depended on the ledger's state: it stays failed
/// (`ID_ALREADY_FAILED`).
///
/// JSON: `{"id": "60", "code": "EXCEEDS_CREDITS"}` (another code is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StickyFailure {
    /// The transfer id.
    pub id: Id,
    /// The first failure's code, one of [`STICKY_CODES`].
    pub code: &'static str,
}

/// The JSON form of [`StickyFailure`] read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StickyFailureWire {
    id: Id,
    code: String,
}

impl<'de> Deserialize<'de> for StickyFailure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = StickyFailureWire::deserialize(d)?;
        match sticky_code(&w.code) {
            Some(code) => Ok(StickyFailure { id: w.id, code }),
            None => Err(serde::de::Error::custom(format!(
                "code: {:?} is not a sticky failure code ({})",
                w.code.chars().take(64).collect::<String>(),
                STICKY_CODES.join(", ")
            ))),
        }
    }
}

/// What the host read for one batch, and the batch.
///
/// The host must give every account the batch names that exists (debit and credit
/// accounts, and both accounts of every pending transfer it posts or voids): an account
/// left out is *not found*, a sticky failure. Likewise every stored transfer whose id is a
/// batch id or `pending_id`, and every stored failure under a batch id: a transfer left out
/// would be created twice (the host's unique key then refuses the commit).
///
/// JSON: `{"accounts": […], "transfers": […], "failed": […], "last_seq": 12,
/// "last_hash": "<64 hex digits>", "batch": […Transfer…]}` (`transfers` and `failed` may
/// be left out when empty). Reading it refuses a list past its limit
/// ([`crate::limits`]: `LIMIT_EXCEEDED` naming `accounts`, `transfers`, `failed` or
/// `batch`) before building it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The accounts the batch touches, with balances and versions (read: at most
    /// [`MAX_PLAN_ACCOUNTS`]).
    #[serde(deserialize_with = "plan_accounts")]
    pub accounts: Vec<AccountSnapshot>,
    /// The stored transfers under the batch's ids and `pending_id`s (read: at most
    /// [`MAX_PLAN_TRANSFERS`]).
    #[serde(default, deserialize_with = "plan_transfers")]
    pub transfers: Vec<KnownTransfer>,
    /// The stored sticky failures under the batch's ids (read: at most
    /// [`MAX_PLAN_FAILURES`]).
    #[serde(default, deserialize_with = "plan_failures")]
    pub failed: Vec<StickyFailure>,
    /// The journal head read: the last entry's `seq` (0 for an empty journal), at most
    /// [`MAX_SEQ`].
    pub last_seq: u64,
    /// The last entry's hash, 64 hex digits (64 zeros for an empty journal).
    pub last_hash: String,
    /// The transfers to apply, in order (at most [`BATCH_MAX`], checked while read).
    #[serde(deserialize_with = "plan_batch")]
    pub batch: Vec<Transfer>,
}

fn plan_accounts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<AccountSnapshot>, D::Error> {
    bounded_vec(d, "accounts", MAX_PLAN_ACCOUNTS)
}

fn plan_transfers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<KnownTransfer>, D::Error> {
    bounded_vec(d, "transfers", MAX_PLAN_TRANSFERS)
}

fn plan_failures<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<StickyFailure>, D::Error> {
    bounded_vec(d, "failed", MAX_PLAN_FAILURES)
}

fn plan_batch<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Transfer>, D::Error> {
    bounded_vec(d, "batch", BATCH_MAX)
}

/// The journal head: the last entry's `seq` and hash.
///
/// JSON: `{"seq": 12, "hash": "<64 lowercase hex digits>"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalHead {
    /// The last entry's sequence number (0: no entry).
    pub seq: u64,
    /// Its hash (32 zero bytes: no entry).
    #[serde(with = "crate::journal::hex_32")]
    pub hash: [u8; 32],
}

/// An account row to update: `UPDATE … WHERE id = account_id AND version =
/// expected_version`.
///
/// JSON: `{"account_id": "1001", "expected_version": 3, "new_version": 4, "balances":
/// {"debits_pending": "0", "debits_posted": "8000", "credits_pending": "0",
/// "credits_posted": "10000"}}` (balances in minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    /// The account.
    pub account_id: Id,
    /// The version the host read (the snapshot's).
    pub expected_version: u64,
    /// The version to write (one more per transfer of the batch that changed it).
    pub new_version: u64,
    /// The balances to write, minor units.
    pub balances: Balances,
}

/// An account the batch read but did not change: its version must still be the one read
/// (a failure such as `EXCEEDS_CREDITS` was decided on it).
///
/// JSON: `{"account_id": "2001", "version": 5}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionCheck {
    /// The account.
    pub account_id: Id,
    /// The version the host read.
    pub version: u64,
}

/// A stored pending transfer that the batch posted or voided: `UPDATE … SET state = to
/// WHERE id = pending_id AND state = from`.
///
/// JSON: `{"pending_id": "10", "from": "PENDING", "to": "POSTED"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingUpdate {
    /// The pending transfer.
    pub pending_id: Id,
    /// Its state as read (`PENDING`).
    #[serde(with = "pending_state")]
    pub from: PendingState,
    /// Its state now (`POSTED` or `VOIDED`).
    #[serde(with = "pending_state")]
    pub to: PendingState,
}

/// What a batch does to the host's tables: made by [`plan`] only (its fields are read
/// through its methods), written by the host in one database transaction or by
/// [`Ledger::commit_plan`].
///
/// JSON: `{"base", "head", "results", "entries", "account_updates", "account_checks",
/// "new_transfers", "pending_updates", "new_failures"}`; each result is
/// `{"status": "CREATED" | "EXISTS", "seq": n}` or the error's `{"code", "message",
/// …values}` ([`TransferError::to_value`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    base: JournalHead,
    head: JournalHead,
    #[serde(serialize_with = "serialize_results")]
    results: Vec<TransferResult>,
    entries: Vec<Entry>,
    account_updates: Vec<AccountUpdate>,
    account_checks: Vec<VersionCheck>,
    new_transfers: Vec<KnownTransfer>,
    pending_updates: Vec<PendingUpdate>,
    new_failures: Vec<StickyFailure>,
}

impl Plan {
    /// The journal head the host read (the entries' `seq` continue from it).
    pub fn base(&self) -> JournalHead {
        self.base
    }

    /// The journal head after the entries (equal to `base` when there are none).
    pub fn head(&self) -> JournalHead {
        self.head
    }

    /// One result per transfer of the batch, in order, as [`Ledger::apply`] gives them
    /// (`seq` numbers are the journal's).
    pub fn results(&self) -> &[TransferResult] {
        &self.results
    }

    /// The journal entries to insert, in order: `seq` from `base.seq + 1` without gaps, the
    /// first `prev_hash` is `base.hash`.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The accounts whose balances changed, in id order.
    pub fn account_updates(&self) -> &[AccountUpdate] {
        &self.account_updates
    }

    /// The accounts the batch read without changing them, in id order.
    pub fn account_checks(&self) -> &[VersionCheck] {
        &self.account_checks
    }

    /// The transfers created, in `seq` order, to store (with their pending state after the
    /// batch: a transfer held and posted in the same batch is `POSTED`).
    pub fn new_transfers(&self) -> &[KnownTransfer] {
        &self.new_transfers
    }

    /// The stored pending transfers the batch posted or voided, in id order.
    pub fn pending_updates(&self) -> &[PendingUpdate] {
        &self.pending_updates
    }

    /// The ids that failed for a sticky reason, in id order, to store.
    pub fn new_failures(&self) -> &[StickyFailure] {
        &self.new_failures
    }

    /// Whether the plan writes anything (an all-`EXISTS` retry writes nothing).
    pub fn writes(&self) -> bool {
        !(self.entries.is_empty()
            && self.account_updates.is_empty()
            && self.new_transfers.is_empty()
            && self.pending_updates.is_empty()
            && self.new_failures.is_empty())
    }
}

fn serialize_results<S: Serializer>(results: &[TransferResult], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(results.iter().map(|r| match r {
        Ok(Outcome::Created { seq }) => serde_json::json!({"status": "CREATED", "seq": seq}),
        Ok(Outcome::Exists { seq }) => serde_json::json!({"status": "EXISTS", "seq": seq}),
        Err(e) => e.to_value(),
    }))
}

/// Why a snapshot cannot be planned (nothing planned). Serialized as `{"code", "message",
/// …values}` by [`PlanError::to_value`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlanError {
    /// More than [`BATCH_MAX`] transfers.
    #[error("a batch holds at most {max} transfers, not {actual}")]
    BatchTooLarge {
        /// [`BATCH_MAX`].
        max: usize,
        /// The batch's length.
        actual: usize,
    },
    /// Two snapshots of one account.
    #[error("account {account_id} is given twice")]
    DuplicateAccount {
        /// The account.
        account_id: Id,
    },
    /// An account version past [`MAX_VERSION`].
    #[error("account {account_id} has version {version}, more than {max}")]
    VersionOutOfRange {
        /// The account.
        account_id: Id,
        /// Its version.
        version: u64,
        /// [`MAX_VERSION`].
        max: u64,
    },
    /// A balance total past [`MAX_BALANCE`].
    #[error("account {account_id} has {field} {value}, more than the largest balance")]
    BalanceOutOfRange {
        /// The account.
        account_id: Id,
        /// `debits_pending`, `debits_posted`, `credits_pending` or `credits_posted`.
        field: &'static str,
        /// The total, minor units.
        value: String,
    },
    /// Two stored transfers with one id.
    #[error("transfer {id} is given twice")]
    DuplicateTransfer {
        /// The id.
        id: Id,
    },
    /// A stored transfer whose `given` and `resolved` ids differ.
    #[error("stored transfer {given} is resolved as transfer {resolved}")]
    TransferIdsDiffer {
        /// `given.id`.
        given: Id,
        /// `resolved.id`.
        resolved: Id,
    },
    /// A stored transfer's `seq` outside 1 to `last_seq`.
    #[error("transfer {id} has seq {seq}, outside 1..={last_seq}")]
    TransferSeqOutOfRange {
        /// The id.
        id: Id,
        /// Its seq.
        seq: u64,
        /// The snapshot's `last_seq`.
        last_seq: u64,
    },
    /// A pending transfer that the batch posts or voids, whose account is not in the
    /// snapshot.
    #[error("pending transfer {pending_id} is resolved by the batch but its account {account_id} is not given")]
    PendingAccountMissing {
        /// The pending transfer.
        pending_id: Id,
        /// The missing account.
        account_id: Id,
    },
    /// Two stored failures with one id.
    #[error("failure of {id} is given twice")]
    DuplicateFailure {
        /// The id.
        id: Id,
    },
    /// A stored failure whose code is not one of [`STICKY_CODES`].
    #[error("failure of {id} has code {given:?}, not a sticky failure code")]
    UnknownFailureCode {
        /// The id.
        id: Id,
        /// The code given (its first 64 characters).
        given: String,
    },
    /// `last_hash` is not 64 hex digits.
    #[error("last_hash {value:?} is not 64 hex digits")]
    InvalidLastHash {
        /// The text given (its first 80 characters).
        value: String,
    },
    /// `last_seq` 0 with a hash other than 64 zeros, or the other way round.
    #[error("journal head seq {last_seq} does not go with hash {last_hash}")]
    InconsistentHead {
        /// The seq given.
        last_seq: u64,
        /// The hash given.
        last_hash: String,
    },
    /// `last_seq` past [`MAX_SEQ`].
    #[error("last_seq {last_seq} is more than {max}")]
    SeqOutOfRange {
        /// The seq given.
        last_seq: u64,
        /// [`MAX_SEQ`].
        max: u64,
    },
    /// A list of the snapshot past its limit: `accounts` [`MAX_PLAN_ACCOUNTS`],
    /// `transfers` [`MAX_PLAN_TRANSFERS`], `failed` [`MAX_PLAN_FAILURES`] (read from JSON,
    /// the same limits refuse the document while it is read).
    #[error("{field} has {actual} entries, more than the limit of {limit}")]
    LimitExceeded {
        /// `accounts`, `transfers` or `failed`.
        field: &'static str,
        /// The limit.
        limit: usize,
        /// The list's length.
        actual: usize,
    },
}

impl PlanError {
    /// The stable code, e.g. `DUPLICATE_ACCOUNT`.
    pub fn code(&self) -> &'static str {
        use PlanError as E;
        match self {
            E::BatchTooLarge { .. } => "BATCH_TOO_LARGE",
            E::DuplicateAccount { .. } => "DUPLICATE_ACCOUNT",
            E::VersionOutOfRange { .. } => "VERSION_OUT_OF_RANGE",
            E::BalanceOutOfRange { .. } => "BALANCE_OUT_OF_RANGE",
            E::DuplicateTransfer { .. } => "DUPLICATE_TRANSFER",
            E::TransferIdsDiffer { .. } => "TRANSFER_IDS_DIFFER",
            E::TransferSeqOutOfRange { .. } => "TRANSFER_SEQ_OUT_OF_RANGE",
            E::PendingAccountMissing { .. } => "PENDING_ACCOUNT_MISSING",
            E::DuplicateFailure { .. } => "DUPLICATE_FAILURE",
            E::UnknownFailureCode { .. } => "UNKNOWN_FAILURE_CODE",
            E::InvalidLastHash { .. } => "INVALID_LAST_HASH",
            E::InconsistentHead { .. } => "INCONSISTENT_HEAD",
            E::SeqOutOfRange { .. } => "SEQ_OUT_OF_RANGE",
            E::LimitExceeded { .. } => "LIMIT_EXCEEDED",
        }
    }

    /// The error as JSON: `{"code", "message", …values}`.
    pub fn to_value(&self) -> serde_json::Value {
        crate::error::json_of(self, self.code())
    }
}

/// Plans a batch against a snapshot: the results [`Ledger::apply`] would give on a ledger
/// in the snapshot's state, and the rows to write (see the [module](self) docs).
///
/// Pure: nothing is written anywhere; the same input gives the same plan.
///
/// # Errors
/// A [`PlanError`] when the snapshot is inconsistent (duplicate ids, values out of range, a
/// malformed head, a pending transfer to resolve without its accounts), a list is past its
/// limit (`LIMIT_EXCEEDED`), or the batch holds more than [`BATCH_MAX`] transfers.
pub fn plan(input: &PlanInput) -> Result<Plan, PlanError> {
    let (mut ledger, base) = Ledger::from_snapshot(input)?;
    // Its entries are renumbered and hashed below, once.
    ledger.hashing = false;
    let results = ledger
        .apply(&input.batch)
        .map_err(|_| PlanError::BatchTooLarge {
            max: BATCH_MAX,
            actual: input.batch.len(),
        })?;
    let known: FxHashSet<Id> = input.transfers.iter().map(|k| k.given.id).collect();
    let offset = base.seq;
    // The temporary ledger numbers its entries from 1; stored transfers keep their seq.
    let shift = |seq: u64| seq.saturating_add(offset);
    let results: Vec<TransferResult> = input
        .batch
        .iter()
        .zip(results)
        .map(|(t, r)| {
            r.map(|o| match o {
                Outcome::Created { seq } => Outcome::Created { seq: shift(seq) },
                Outcome::Exists { seq } if known.contains(&t.id) => Outcome::Exists { seq },
                Outcome::Exists { seq } => Outcome::Exists { seq: shift(seq) },
            })
        })
        .collect();

    let mut account_updates: Vec<AccountUpdate> = input
        .accounts
        .iter()
        .filter_map(|s| {
            let now = ledger.accounts.get(&s.account.id)?;
            (now.version != s.version).then_some(AccountUpdate {
                account_id: s.account.id,
                expected_version: s.version,
                new_version: now.version,
                balances: now.balances,
            })
        })
        .collect();
    account_updates.sort_by_key(|u| u.account_id);

    let mut read: FxHashSet<Id> = FxHashSet::default();
    for t in &input.batch {
        read.extend([t.debit_account_id, t.credit_account_id]);
        if t.flags.resolves() {
            if let Some(p) = ledger
                .transfers
                .get(&t.pending_id)
                .and_then(|p| p.resolved(&ledger.entries))
            {
                read.extend([p.debit_account_id, p.credit_account_id]);
            }
        }
    }
    let mut account_checks: Vec<VersionCheck> = input
        .accounts
        .iter()
        .filter(|s| read.contains(&s.account.id))
        .filter(|s| {
            account_updates
                .binary_search_by_key(&s.account.id, |u| u.account_id)
                .is_err()
        })
        .map(|s| VersionCheck {
            account_id: s.account.id,
            version: s.version,
        })
        .collect();
    account_checks.sort_by_key(|c| c.account_id);

    let mut new_transfers: Vec<KnownTransfer> = ledger
        .transfers
        .iter()
        .filter(|(id, _)| !known.contains(id))
        .filter_map(|(_, s)| {
            Some(KnownTransfer {
                given: s.given_transfer(&ledger.entries)?,
                resolved: s.resolved(&ledger.entries)?.clone(),
                state: s.state,
                seq: shift(s.seq),
            })
        })
        .collect();
    new_transfers.sort_by_key(|k| k.seq);

    let mut pending_updates: Vec<PendingUpdate> = input
        .transfers
        .iter()
        .filter_map(|k| {
            let now = ledger.transfers.get(&k.given.id)?;
            (now.state != k.state).then_some(PendingUpdate {
                pending_id: k.given.id,
                from: k.state,
                to: now.state,
            })
        })
        .collect();
    pending_updates.sort_by_key(|p| p.pending_id);

    let mut entries = std::mem::take(&mut ledger.entries);
    let mut running = base.hash;
    for e in &mut entries {
        e.seq = shift(e.seq);
        e.prev_hash = running;
        e.hash = e.compute_hash(&mut ledger.scratch);
        running = e.hash;
    }
    let head = JournalHead {
        seq: entries.last().map_or(base.seq, |e| e.seq),
        hash: running,
    };

    // The ledger also remembers a sticky failure under an id that exists as a transfer (a
    // post naming an unknown pending transfer under a used id); that record can never be
    // read (a stored transfer answers first), so it is not given to store.
    let stored: FxHashSet<Id> = input.failed.iter().map(|f| f.id).collect();
    let mut new_failures: Vec<StickyFailure> = ledger
        .failed
        .iter()
        .filter(|(id, _)| !stored.contains(id) && !ledger.transfers.contains_key(id))
        .map(|(id, code)| StickyFailure { id: *id, code })
        .collect();
    new_failures.sort_by_key(|f| f.id);

    Ok(Plan {
        base,
        head,
        results,
        entries,
        account_updates,
        account_checks,
        new_transfers,
        pending_updates,
        new_failures,
    })
}

impl Ledger {
    /// A temporary ledger in the snapshot's state (accounts with their balances and
    /// versions, the stored transfers and failures, the journal head's hash; no entries, so
    /// it numbers new entries from 1: [`plan`] renumbers them), and the head read.
    pub(crate) fn from_snapshot(input: &PlanInput) -> Result<(Ledger, JournalHead), PlanError> {
        if input.batch.len() > BATCH_MAX {
            return Err(PlanError::BatchTooLarge {
                max: BATCH_MAX,
                actual: input.batch.len(),
            });
        }
        for (field, limit, actual) in [
            ("accounts", MAX_PLAN_ACCOUNTS, input.accounts.len()),
            ("transfers", MAX_PLAN_TRANSFERS, input.transfers.len()),
            ("failed", MAX_PLAN_FAILURES, input.failed.len()),
        ] {
            if actual > limit {
                return Err(PlanError::LimitExceeded {
                    field,
                    limit,
                    actual,
                });
            }
        }
        let base = parse_head(input.last_seq, &input.last_hash)?;
        let mut ledger = Ledger {
            last_hash: base.hash,
            ..Ledger::new()
        };
        for s in &input.accounts {
            let id = s.account.id;
            if s.version > MAX_VERSION {
                return Err(PlanError::VersionOutOfRange {
                    account_id: id,
                    version: s.version,
                    max: MAX_VERSION,
                });
            }
            let b = &s.balances;
            for (field, value) in [
                ("debits_pending", b.debits_pending),
                ("debits_posted", b.debits_posted),
                ("credits_pending", b.credits_pending),
                ("credits_posted", b.credits_posted),
            ] {
                if value > MAX_BALANCE {
                    return Err(PlanError::BalanceOutOfRange {
                        account_id: id,
                        field,
                        value: value.to_string(),
                    });
                }
            }
            let state = AccountState {
                account: s.account.clone(),
                balances: s.balances,
                version: s.version,
            };
            if !ledger.accounts.insert(state) {
                return Err(PlanError::DuplicateAccount { account_id: id });
            }
        }
        let mut failed: FxHashMap<Id, &'static str> = FxHashMap::default();
        for f in &input.failed {
            let code = sticky_code(f.code).ok_or_else(|| PlanError::UnknownFailureCode {
                id: f.id,
                given: f.code.chars().take(64).collect(),
            })?;
            if failed.insert(f.id, code).is_some() {
                return Err(PlanError::DuplicateFailure { id: f.id });
            }
        }
        for k in &input.transfers {
            let id = k.given.id;
            if k.resolved.id != id {
                return Err(PlanError::TransferIdsDiffer {
                    given: id,
                    resolved: k.resolved.id,
                });
            }
            if k.seq == 0 || k.seq > base.seq {
                return Err(PlanError::TransferSeqOutOfRange {
                    id,
                    seq: k.seq,
                    last_seq: base.seq,
                });
            }
            let stored = Stored::known(k.given.clone(), k.resolved.clone(), k.seq, k.state);
            if ledger.transfers.insert(id, stored).is_some() {
                return Err(PlanError::DuplicateTransfer { id });
            }
        }
        for t in input.batch.iter().filter(|t| t.flags.resolves()) {
            let Some((p, pt)) = ledger.stored(&t.pending_id) else {
                continue;
            };
            if p.state != PendingState::Pending {
                continue;
            }
            for account_id in [pt.debit_account_id, pt.credit_account_id] {
                if !ledger.accounts.contains_key(&account_id) {
                    return Err(PlanError::PendingAccountMissing {
                        pending_id: t.pending_id,
                        account_id,
                    });
                }
            }
        }
        ledger.failed = failed;
        Ok((ledger, base))
    }

    /// What a host would read for `batch` from this ledger: every account the batch names
    /// (and both accounts of every stored pending transfer it names), the stored transfers
    /// under its ids and `pending_id`s, the stored failures under its ids, and the journal
    /// head — in id order. Ids the ledger does not hold are left out.
    pub fn plan_input(&self, batch: &[Transfer]) -> PlanInput {
        let mut account_ids: Vec<Id> = Vec::new();
        let mut transfer_ids: Vec<Id> = Vec::new();
        for t in batch {
            account_ids.extend([t.debit_account_id, t.credit_account_id]);
            transfer_ids.push(t.id);
            if t.flags.resolves() {
                transfer_ids.push(t.pending_id);
                if let Some((_, p)) = self.stored(&t.pending_id) {
                    account_ids.extend([p.debit_account_id, p.credit_account_id]);
                }
            }
        }
        account_ids.sort_unstable();
        account_ids.dedup();
        transfer_ids.sort_unstable();
        transfer_ids.dedup();
        PlanInput {
            accounts: account_ids
                .iter()
                .filter_map(|id| self.accounts.get(id))
                .map(|a| AccountSnapshot {
                    account: a.account.clone(),
                    balances: a.balances,
                    version: a.version,
                })
                .collect(),
            transfers: transfer_ids
                .iter()
                .filter_map(|id| {
                    let (s, resolved) = self.stored(id)?;
                    Some(KnownTransfer {
                        given: s.given_transfer(&self.entries)?,
                        resolved: resolved.clone(),
                        state: s.state,
                        seq: s.seq,
                    })
                })
                .collect(),
            failed: transfer_ids
                .iter()
                .filter(|id| !self.transfers.contains_key(id))
                .filter_map(|id| {
                    self.failed
                        .get(id)
                        .map(|code| StickyFailure { id: *id, code })
                })
                .collect(),
            last_seq: self.entries.len() as u64,
            last_hash: hex::encode(self.last_hash),
            batch: batch.to_vec(),
        }
    }

    /// Commits a [`Plan`] made from a snapshot of this ledger, as a host's guarded writes
    /// would: all of it, or nothing when the ledger moved since the snapshot. A plan that
    /// commits leaves the ledger as [`Ledger::apply`] of its batch would have now (save for
    /// accounts created or closed since the snapshot: that changes no version).
    ///
    /// A plan that writes nothing and answers `EXISTS` for every transfer (a retry) commits
    /// without a check; a plan that writes nothing but refuses a transfer is checked too
    /// (its refusal was decided on the balances read). Otherwise,
    /// in this order: every account to update is at `expected_version` and every account
    /// read is at its version read (accounts in id order); the journal head is the one
    /// read; every pending transfer to update is in the state read; no transfer or failure
    /// to store exists already.
    ///
    /// # Errors
    /// [`TransferError::VersionConflict`] (nothing changed; read again and plan again):
    /// for an account, its id with the version read and the version now (0 for an account
    /// the ledger does not hold); for the journal or the stored transfers, account id 0
    /// with the journal seq read and the seq now (equal when the head's hash, a pending
    /// state or a stored id differs).
    pub fn commit_plan(&mut self, plan: &Plan) -> Result<(), TransferError> {
        // Only an all-EXISTS retry needs no check: a plan whose results include a refusal
        // read balances to decide it, and a stale one must conflict even when it writes
        // nothing (found by `a_stale_plan_conflicts_or_equals_apply_now`).
        let all_exist = plan
            .results
            .iter()
            .all(|r| matches!(r, Ok(crate::Outcome::Exists { .. })));
        if !plan.writes() && all_exist {
            return Ok(());
        }
        let expected_versions = plan
            .account_updates
            .iter()
            .map(|u| (u.account_id, u.expected_version))
            .chain(
                plan.account_checks
                    .iter()
                    .map(|c| (c.account_id, c.version)),
            );
        let mut expected_versions: Vec<(Id, u64)> = expected_versions.collect();
        expected_versions.sort_by_key(|(id, _)| *id);
        for (account_id, expected) in expected_versions {
            let actual = self.accounts.get(&account_id).map(|a| a.version);
            if actual != Some(expected) {
                return Err(TransferError::VersionConflict {
                    account_id,
                    expected,
                    actual: actual.unwrap_or(0),
                });
            }
        }
        let seq = self.entries.len() as u64;
        let moved = TransferError::VersionConflict {
            account_id: Id::NONE,
            expected: plan.base.seq,
            actual: seq,
        };
        if seq != plan.base.seq || self.last_hash != plan.base.hash {
            return Err(moved);
        }
        let pending_moved = plan.pending_updates.iter().any(|p| {
            self.transfers
                .get(&p.pending_id)
                .is_none_or(|s| s.state != p.from)
        });
        let stored = |id: &Id| self.transfers.contains_key(id) || self.failed.contains_key(id);
        if pending_moved
            || plan.new_transfers.iter().any(|k| stored(&k.given.id))
            || plan.new_failures.iter().any(|f| stored(&f.id))
        {
            return Err(moved);
        }

        for u in &plan.account_updates {
            if let Some(a) = self.accounts.get_mut(&u.account_id) {
                a.balances = u.balances;
                a.version = u.new_version;
            }
        }
        for p in &plan.pending_updates {
            if let Some(s) = self.transfers.get_mut(&p.pending_id) {
                s.state = p.to;
            }
        }
        for e in &plan.entries {
            self.push_entry(e.clone());
        }
        for k in &plan.new_transfers {
            // A transfer of the plan is its entry's; kept whole otherwise.
            let stored = if self.entry(k.seq).map(|e| &e.transfer) == Some(&k.resolved) {
                Stored::from_plan(&k.given, &k.resolved, k.seq, k.state)
            } else {
                Stored::known(k.given.clone(), k.resolved.clone(), k.seq, k.state)
            };
            self.transfers.insert(k.given.id, stored);
        }
        for f in &plan.new_failures {
            self.failed.insert(f.id, f.code);
        }
        if !plan.entries.is_empty() {
            self.last_hash = plan.head.hash;
        }
        Ok(())
    }
}

/// The journal head from the snapshot's text.
fn parse_head(last_seq: u64, last_hash: &str) -> Result<JournalHead, PlanError> {
    if last_seq > MAX_SEQ {
        return Err(PlanError::SeqOutOfRange {
            last_seq,
            max: MAX_SEQ,
        });
    }
    let mut hash = [0u8; 32];
    if hex::decode_to_slice(last_hash.as_bytes(), &mut hash).is_err() {
        return Err(PlanError::InvalidLastHash {
            value: last_hash.chars().take(80).collect(),
        });
    }
    if (last_seq == 0) != (hash == GENESIS) {
        return Err(PlanError::InconsistentHead {
            last_seq,
            last_hash: hex::encode(hash),
        });
    }
    Ok(JournalHead {
        seq: last_seq,
        hash,
    })
}

/// Serde for [`PendingState`] as `NONE`, `PENDING`, `POSTED` or `VOIDED`.
mod pending_state {
    use crate::PendingState;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &PendingState, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PendingState, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        match text.as_ref() {
            "NONE" => Ok(PendingState::None),
            "PENDING" => Ok(PendingState::Pending),
            "POSTED" => Ok(PendingState::Posted),
            "VOIDED" => Ok(PendingState::Voided),
            other => Err(serde::de::Error::custom(format!(
                "{:?} is not NONE, PENDING, POSTED or VOIDED",
                other.chars().take(32).collect::<String>()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sticky_codes_are_those_of_the_sticky_errors() {
        use TransferError as E;
        let id = Id::NONE;
        let s = String::new;
        let sticky = [
            E::DebitAccountNotFound { account_id: id },
            E::CreditAccountNotFound { account_id: id },
            E::PendingTransferNotFound { pending_id: id },
            E::DebitAccountClosed { account_id: id },
            E::CreditAccountClosed { account_id: id },
            E::Overflows { account_id: id },
            E::ExceedsCredits {
                account_id: id,
                available: s(),
                amount: s(),
            },
            E::ExceedsDebits {
                account_id: id,
                available: s(),
                amount: s(),
            },
        ];
        let codes: Vec<&str> = sticky.iter().map(E::code).collect();
        assert_eq!(codes, STICKY_CODES.to_vec());
        assert!(sticky.iter().all(E::is_sticky));
        assert!(!E::VersionConflict {
            account_id: id,
            expected: 0,
            actual: 1
        }
        .is_sticky());
    }
}
