//! `rihla._rihla.Ledger`, `audit_journal`, `plan_transfers` and `reversal_id`: rihla's
//! double-entry ledger (`rihla-ledger`) for Python, and the helpers that the points,
//! cashback and webhook classes share. Conversion code only — every rule lives in the
//! ledger crate:
//!
//! - Accounts, transfers and requests come in as `dict`s (or any `Mapping`) through the
//!   strict walker ([`crate::from_python`], as a [`Doc::Ledger`]) to JSON, then through the crate's
//!   own serde forms, so a `float` amount is refused with `INVALID_AMOUNT` naming the field,
//!   as in JSON text. Id fields also take a non-negative `int` or a `uuid.UUID`. Other
//!   arguments (ids, instants, counts, text) are checked by [`crate::args`].
//! - Answers go out through the serde serializer ([`to_python`]): amounts at the unit's
//!   scale are `decimal.Decimal`; ids, minor-unit totals (`balances`, error values) and
//!   hashes are `str`; instants are RFC 3339 `str`.
//! - A refusal of a single operation (a statement, a reversal, a points or cashback
//!   operation …) raises a `RihlaError` whose `.code` and `.details` are the crate's error;
//!   the results of a batch (`apply`) are reports instead, one per transfer.
//! - Each stateful object sits behind a `Mutex` that is only ever taken with the GIL
//!   released, so threads may share them: calls are serialized, none blocks the
//!   interpreter, and none can deadlock against the GIL. An operation on two objects (a
//!   points book and its ledger) locks the other object first, then the ledger, always in
//!   that order.

use std::fmt::{Display, Write as _};
use std::sync::Mutex;

use pyo3::prelude::*;
use rihla_ledger::{Account, BatchError, Entry, PendingState, Transfer};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::args;
use crate::boundary::{guard, poisoned};
use crate::errors;
use crate::from_python::{Doc, ListLimits, Seg, Walker};
use crate::to_python::to_python;

/// Most bytes of a snapshot's JSON `Ledger.from_snapshot` reads: 1 GiB (as a journal).
pub(crate) const MAX_SNAPSHOT_BYTES: usize = 1 << 30;

/// Lines of a statement page unless the host asks for another number.
const DEFAULT_STATEMENT_LINES: u64 = 100;

/// An in-memory double-entry ledger (accounts, transfers, hash-chained journal). Safe to
/// share between threads: calls are serialized, and the GIL is released while one runs.
#[pyclass(frozen, name = "Ledger", module = "rihla._rihla")]
pub struct Ledger {
    inner: Mutex<rihla_ledger::Ledger>,
}

impl Ledger {
    /// Runs `f` on the ledger with the GIL released (the lock is never held with the GIL).
    pub(crate) fn with<R, F>(&self, py: Python<'_>, f: F) -> PyResult<R>
    where
        R: Send,
        F: FnOnce(&mut rihla_ledger::Ledger) -> R + Send,
    {
        py.detach(|| self.inner.lock().map(|mut ledger| f(&mut ledger)).ok())
            .ok_or_else(|| poisoned(py))
    }

    /// Runs `f` on `other` (a points book, a cashback record, an inbox) and the ledger,
    /// with the GIL released; `other` is locked first.
    pub(crate) fn with_other<T, R, F>(&self, py: Python<'_>, other: &Mutex<T>, f: F) -> PyResult<R>
    where
        T: Send,
        R: Send,
        F: FnOnce(&mut T, &mut rihla_ledger::Ledger) -> R + Send,
    {
        py.detach(|| {
            let mut other = other.lock().ok()?;
            let mut ledger = self.inner.lock().ok()?;
            Some(f(&mut other, &mut ledger))
        })
        .ok_or_else(|| poisoned(py))
    }
}

/// Runs `f` on `value` with the GIL released (the lock is never held with the GIL).
pub(crate) fn with_lock<T, R, F>(py: Python<'_>, value: &Mutex<T>, f: F) -> PyResult<R>
where
    T: Send,
    R: Send,
    F: FnOnce(&mut T) -> R + Send,
{
    py.detach(|| value.lock().map(|mut v| f(&mut v)).ok())
        .ok_or_else(|| poisoned(py))
}

#[pymethods]
impl Ledger {
    /// An empty ledger.
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        guard(py, || {
            Ok(Ledger {
                inner: Mutex::new(rihla_ledger::Ledger::new()),
            })
        })
    }

    /// Creates accounts (at most `MAX_ACCOUNT_LIST` in one call): one answer per account,
    /// `"CREATED"`, `"EXISTS"` (the same id and body was there already: a retry, nothing
    /// changed) or the error's `dict` (`{"code", "message", ...}`).
    fn create_accounts<'py>(
        &self,
        py: Python<'py>,
        accounts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let accounts: Vec<Account> = records(py, accounts, "accounts", ACCOUNTS)?;
            let answers: Vec<Value> = self
                .with(py, |l| l.create_accounts(&accounts))?
                .iter()
                .map(|r| match r {
                    Ok(o) => Value::from(o.as_str()),
                    Err(e) => error_value(e.code(), e),
                })
                .collect();
            to_python(py, &answers)
        })
    }

    /// Applies a batch of transfers (at most `LEDGER_BATCH_MAX`), in order, linked chains
    /// atomically: one report per transfer, `{"id", "status": "CREATED" | "EXISTS" |
    /// "FAILED", "seq"?, "error"?}`. The batch is a list of dicts, or its JSON text
    /// (`bytes` / `str`, an array of transfers in the ledger's JSON: amounts in minor
    /// units), read without building a Python object.
    fn apply<'py>(
        &self,
        py: Python<'py>,
        transfers: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let max = crate::from_python::MAX_LEDGER_DOC_BYTES;
            let batch: Vec<Transfer> = match args::json_text(py, transfers, "transfers", max)? {
                Some(text) => batch_from_json(py, &text)?,
                None => records(py, transfers, "transfers", Count::Batch)?,
            };
            let reports = self
                .with(py, |l| {
                    l.apply(&batch)
                        .map(|results| rihla_ledger::report::reports(&batch, &results))
                })?
                .map_err(|e| batch_error(py, &e))?;
            to_python(py, &reports)
        })
    }

    /// An account with its balances and version, or `None`.
    fn account<'py>(
        &self,
        py: Python<'py>,
        account_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            let state = self.with(py, |l| l.account(id).cloned())?;
            to_python(py, &state)
        })
    }

    /// Every account with its balances and version, sorted by id.
    fn accounts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let states = self.with(py, |l| {
                let mut states: Vec<_> = l.accounts().cloned().collect();
                states.sort_by_key(|a| a.account.id);
                states
            })?;
            to_python(py, &states)
        })
    }

    /// A transfer as created (a post or void with its fields resolved) with its pending
    /// `state`, or `None`.
    fn transfer<'py>(
        &self,
        py: Python<'py>,
        transfer_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, transfer_id, "transfer_id")?;
            let found = self.with(py, |l| {
                l.transfer(id).map(|(transfer, state)| TransferView {
                    transfer: transfer.clone(),
                    state,
                })
            })?;
            to_python(py, &found)
        })
    }

    /// Journal entries from `start_seq` (1-based), at most `limit` of them.
    #[pyo3(signature = (start_seq = None, limit = None))]
    fn entries<'py>(
        &self,
        py: Python<'py>,
        start_seq: Option<&Bound<'py, PyAny>>,
        limit: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let (start, limit) = page_args(py, start_seq, limit)?;
            let entries: Vec<Entry> = self.with(py, |l| {
                let from = usize::try_from(start - 1).unwrap_or(usize::MAX);
                l.entries()
                    .get(from..)
                    .unwrap_or(&[])
                    .iter()
                    .take(limit)
                    .cloned()
                    .collect()
            })?;
            to_python(py, &entries)
        })
    }

    /// The journal entries that touch `account_id`, from `start_seq`, at most `limit`.
    #[pyo3(signature = (account_id, start_seq = None, limit = None))]
    fn entries_of<'py>(
        &self,
        py: Python<'py>,
        account_id: &Bound<'py, PyAny>,
        start_seq: Option<&Bound<'py, PyAny>>,
        limit: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            let (start, limit) = page_args(py, start_seq, limit)?;
            let entries: Vec<Entry> = self.with(py, |l| {
                l.entries_of(id)
                    .filter(|e| e.seq >= start)
                    .take(limit)
                    .cloned()
                    .collect()
            })?;
            to_python(py, &entries)
        })
    }

    /// The journal as stored text: one JSON object per entry, each line ending in `\n`.
    fn journal_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            self.with(py, |l| {
                let mut text = String::new();
                for entry in l.entries() {
                    text.push_str(&entry.to_json_line());
                    text.push('\n');
                }
                text
            })
        })
    }

    /// Reserves (and touches) memory for `transfers` more transfers (`Ledger::reserve`):
    /// an `int` from 0 (else `INVALID_REQUEST` with `min` and `max`) to
    /// `LEDGER_MAX_RESERVED` (past it, the crate's `LIMIT_EXCEEDED` with `limit` and
    /// `actual`; never clamped).
    fn reserve(&self, py: Python<'_>, transfers: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || {
            let n = args::int(py, transfers, "transfers", 0, usize::MAX)?;
            self.with(py, |l| l.reserve(n))?
                .map_err(|e| raise_value(py, e.to_value()))
        })
    }

    /// The ledger's whole state as JSON (UTF-8 `bytes`, `rihla_ledger::Snapshot`): the
    /// accounts, the transfers as given in journal order, the sticky failures and the
    /// journal's last hash. `Ledger.from_snapshot` rebuilds it; `pickle` uses it.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        guard(py, || {
            let json = self
                .with(py, |l| l.snapshot().map(|s| serde_json::to_vec(&s)))?
                .map_err(|e| raise(py, e.code(), &e))?
                .map_err(|e| errors::internal(py, &e.to_string()))?;
            Ok(pyo3::types::PyBytes::new(py, &json))
        })
    }

    /// The ledger a snapshot describes (JSON text, `bytes` or `str`, at most
    /// `MAX_SNAPSHOT_BYTES`): accounts created, transfers replayed in order, and the
    /// rebuilt journal required to end on the snapshot's `last_hash`. Errors:
    /// `INVALID_JSON`, `INVALID_REQUEST` (a malformed snapshot, with the reason),
    /// `UNKNOWN_FORMAT`, `LIMIT_EXCEEDED`, `ACCOUNT_REFUSED`, `REPLAY_FAILED`,
    /// `UNKNOWN_FAILURE_CODE`, `HASH_MISMATCH` (an edited snapshot).
    #[staticmethod]
    fn from_snapshot(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let Some(text) = args::json_text(py, data, "snapshot", MAX_SNAPSHOT_BYTES)? else {
                return Err(errors::from_binding(
                    py,
                    "INVALID_REQUEST",
                    "snapshot",
                    "a snapshot is JSON text (bytes or str), as Ledger.snapshot() writes it",
                ));
            };
            let parsed = py.detach(|| {
                serde_json::from_str::<rihla_ledger::Snapshot>(&text)
                    .map_err(|e| (e.is_syntax() || e.is_eof(), e.to_string()))
                    .map(|s| rihla_ledger::Ledger::restore(&s))
            });
            match parsed {
                Err((true, reason)) => Err(errors::from_binding(
                    py,
                    "INVALID_JSON",
                    "snapshot",
                    &reason,
                )),
                Err((false, reason)) => Err(errors::from_binding(
                    py,
                    "INVALID_REQUEST",
                    "snapshot",
                    &reason,
                )),
                Ok(Err(e)) => Err(raise(py, e.code(), &e)),
                Ok(Ok(ledger)) => Ok(Ledger {
                    inner: Mutex::new(ledger),
                }),
            }
        })
    }

    /// The last entry's SHA-256 hash, 64 lowercase hex digits (zeros when empty).
    fn last_hash(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || self.with(py, |l| hex_of(&l.last_hash())))
    }

    /// Closes an account (no new transfer; pending ones may still be posted or voided).
    /// Returns whether the account exists.
    fn close_account(&self, py: Python<'_>, account_id: &Bound<'_, PyAny>) -> PyResult<bool> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            self.with(py, |l| l.close_account(id))
        })
    }

    /// A page of an account's statement (the wallet-transaction view of the journal):
    /// `{"account_id", "unit", "lines": [...], "next_from_seq"}`.
    #[pyo3(signature = (account_id, from_seq = None, limit = None))]
    fn statement<'py>(
        &self,
        py: Python<'py>,
        account_id: &Bound<'py, PyAny>,
        from_seq: Option<&Bound<'py, PyAny>>,
        limit: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            let from = args::opt_int(py, from_seq, "from_seq", 0, 0, u64::MAX)?;
            let limit = args::opt_int(py, limit, "limit", DEFAULT_STATEMENT_LINES, 0, u64::MAX)?;
            let limit = usize::try_from(limit).unwrap_or(usize::MAX);
            let page = self
                .with(py, |l| l.statement(id, from, limit))?
                .map_err(|e| raise(py, e.code(), &e))?;
            to_python(py, &page)
        })
    }

    /// Reverses the transfers of a booking in one atomic chain of `REVERSAL` transfers:
    /// `{"legs": [...]}`.
    #[pyo3(signature = (transfer_ids, at, reason = None))]
    fn reverse<'py>(
        &self,
        py: Python<'py>,
        transfer_ids: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        reason: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let request = rihla_ledger::ReversalRequest {
                transfer_ids: args::ids(py, transfer_ids, "transfer_ids", rihla_ledger::BATCH_MAX)?,
                at: args::instant(py, at, "at")?,
                reason: args::opt_text(py, reason, "reason")?,
            };
            let receipt = self
                .with(py, |l| l.reverse(&request))?
                .map_err(|e| raise(py, e.code(), &e))?;
            to_python(py, &receipt)
        })
    }

    /// The id of the `REVERSAL` transfer of `transfer_id`, if it was reversed.
    fn reversal_of(
        &self,
        py: Python<'_>,
        transfer_id: &Bound<'_, PyAny>,
    ) -> PyResult<Option<String>> {
        guard(py, || {
            let id = args::id(py, transfer_id, "transfer_id")?;
            self.with(py, |l| l.reversal_of(id).map(|r| r.to_string()))
        })
    }

    /// The planner's snapshot for `transfers` as this ledger holds it (what a host's
    /// queries would return): the input of `plan_transfers`.
    fn plan_input<'py>(
        &self,
        py: Python<'py>,
        transfers: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let batch: Vec<Transfer> = records(py, transfers, "transfers", Count::Batch)?;
            let input = self.with(py, |l| l.plan_input(&batch))?;
            to_python(py, &input)
        })
    }

    /// The number of journal entries.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        guard(py, || self.with(py, |l| l.entries().len()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            self.with(py, |l| {
                format!(
                    "<rihla._rihla.Ledger accounts={} entries={}>",
                    l.accounts().count(),
                    l.entries().len()
                )
            })
        })
    }
}

/// A stored transfer and where it stands.
#[derive(Serialize)]
struct TransferView {
    #[serde(flatten)]
    transfer: Transfer,
    state: PendingState,
}

/// Replays a stored journal (JSON Lines, `str` or UTF-8 `bytes`, at most
/// `rihla_ledger::audit::MAX_JOURNAL_BYTES`) against the accounts it was written for (as
/// created, before any transfer) and reports the first broken entry.
#[pyfunction]
pub fn audit_journal<'py>(
    py: Python<'py>,
    accounts: &Bound<'py, PyAny>,
    journal: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let accounts: Vec<Account> = records(py, accounts, "accounts", ACCOUNTS)?;
        let Some(text) = args::json_text(
            py,
            journal,
            "journal",
            rihla_ledger::audit::MAX_JOURNAL_BYTES,
        )?
        else {
            return Err(errors::from_binding(
                py,
                "INVALID_REQUEST",
                "journal",
                "the journal must be its JSON Lines text (str or UTF-8 bytes)",
            ));
        };
        let report = py.detach(|| rihla_ledger::audit::verify_jsonl(&accounts, &text));
        to_python(py, &report)
    })
}

/// Plans a batch against a host's snapshot (the stateless planner): the results and the
/// rows to write, `{"base", "head", "results", "entries", "account_updates", ...}`.
#[pyfunction]
pub fn plan_transfers<'py>(
    py: Python<'py>,
    input: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let input: rihla_ledger::PlanInput = document_with(py, input, PLAN_LISTS)?;
        let plan = py
            .detach(|| rihla_ledger::plan(&input))
            .map_err(|e| raise_value(py, e.to_value()))?;
        to_python(py, &plan)
    })
}

/// The id of the `REVERSAL` transfer of `transfer_id` at `attempt` (an `int` from 0 to
/// 2³² − 1, default 0: 0 unless earlier reversals of it failed for good).
#[pyfunction]
#[pyo3(signature = (transfer_id, attempt = None), text_signature = "(transfer_id, attempt=0)")]
pub fn reversal_id(
    py: Python<'_>,
    transfer_id: &Bound<'_, PyAny>,
    attempt: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    guard(py, || {
        let id = args::id(py, transfer_id, "transfer_id")?;
        let attempt = args::opt_int(py, attempt, "attempt", 0, 0, u32::MAX)?;
        Ok(rihla_ledger::reversal_id(id, attempt).to_string())
    })
}

// --- helpers shared by the ledger classes ---------------------------------------------------

/// How many records a list argument may hold.
#[derive(Clone, Copy)]
pub(crate) enum Count {
    /// A batch of transfers: at most `BATCH_MAX` (`BATCH_TOO_LARGE` past it).
    Batch,
    /// At most this many, one of the crate's `rihla_ledger::limits` (its
    /// `LIMIT_EXCEEDED`, naming the list, past it).
    Limit(usize),
}

/// The account lists a host sends: at most `MAX_ACCOUNT_LIST`.
const ACCOUNTS: Count = Count::Limit(rihla_ledger::limits::MAX_ACCOUNT_LIST);

/// The lists of a planner snapshot (`PlanInput`) and their limits.
const PLAN_LISTS: ListLimits = &[
    ("accounts", rihla_ledger::limits::MAX_PLAN_ACCOUNTS),
    ("transfers", rihla_ledger::limits::MAX_PLAN_TRANSFERS),
    ("failed", rihla_ledger::limits::MAX_PLAN_FAILURES),
    ("batch", rihla_ledger::BATCH_MAX),
];

/// The lists of a stored points book and their limits (a redemption's or a clawback's
/// `consumed` / `from_other_lots` too).
pub(crate) const BOOK_LISTS: ListLimits = &[
    ("lots", rihla_ledger::limits::MAX_BOOK_LOTS),
    ("redemptions", rihla_ledger::limits::MAX_BOOK_REDEMPTIONS),
    ("clawbacks", rihla_ledger::limits::MAX_BOOK_CLAWBACKS),
    ("consumed", rihla_ledger::limits::MAX_BOOK_LOTS),
    ("from_other_lots", rihla_ledger::limits::MAX_BOOK_LOTS),
];

/// The list of a stored cashback record and its limit.
pub(crate) const CASHBACK_LISTS: ListLimits =
    &[("history", rihla_ledger::limits::MAX_CASHBACK_HISTORY)];

/// Reads a sequence of records (`dict`s or `Mapping`s), each with the crate's serde form;
/// errors name the record (`[3].amount`). The count is checked before any record is read,
/// and the records share one document's byte limit.
pub(crate) fn records<T: DeserializeOwned>(
    py: Python<'_>,
    items: &Bound<'_, PyAny>,
    what: &str,
    count: Count,
) -> PyResult<Vec<T>> {
    let not_a_list = || {
        errors::from_binding(
            py,
            "INVALID_REQUEST",
            what,
            &format!("{what} must be a list of dicts"),
        )
    };
    if args::is_text_or_mapping(items) {
        return Err(not_a_list());
    }
    let len = items.len().map_err(|_| not_a_list())?;
    match count {
        Count::Batch if len > rihla_ledger::BATCH_MAX => {
            return Err(batch_error(
                py,
                &BatchError::TooLarge {
                    max: rihla_ledger::BATCH_MAX,
                    actual: len,
                },
            ));
        }
        Count::Limit(limit) if len > limit => {
            let err = rihla_ledger::LimitExceeded::new(what, limit, len);
            return Err(raise_value(py, err.to_value()));
        }
        _ => {}
    }
    let mut walker = Walker::new(Doc::Ledger);
    let mut out = Vec::with_capacity(len.min(4096));
    for (i, item) in items.try_iter().map_err(|_| not_a_list())?.enumerate() {
        if i >= len {
            // The sequence grew while it was read: its length was the checked one.
            break;
        }
        let item = item?;
        let value = walker
            .read(&item)
            .map_err(|e| e.at(Seg::Index(i)).into_pyerr(py))?;
        out.push(deserialize(py, value, &format!("[{i}]"))?);
    }
    Ok(out)
}

/// A batch given as JSON text: read directly (the GIL released); when that fails, read
/// again as a value and walked as the dict path walks it, for the same error (the field
/// path, `BATCH_TOO_LARGE` past the batch limit).
fn batch_from_json(py: Python<'_>, text: &str) -> PyResult<Vec<Transfer>> {
    let parsed = py.detach(|| serde_json::from_str::<rihla_ledger::TransferBatch>(text));
    let err = match parsed {
        Ok(batch) => return Ok(batch.0),
        Err(e) => e,
    };
    if err.is_syntax() || err.is_eof() {
        return Err(errors::from_binding(
            py,
            "INVALID_JSON",
            "$",
            &err.to_string(),
        ));
    }
    if let Some(limit) = rihla_ledger::LimitExceeded::from_message(&err.to_string()) {
        if limit.field == "transfers" {
            return Err(batch_error(
                py,
                &BatchError::TooLarge {
                    max: limit.limit,
                    actual: limit.actual,
                },
            ));
        }
        return Err(limit_error(py, &limit));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| errors::from_binding(py, "INVALID_JSON", "$", &e.to_string()))?;
    let batch: rihla_ledger::TransferBatch = deserialize(py, value, "")?;
    Ok(batch.0)
}

/// One document (a request, a snapshot) in the crate's serde form; errors name its fields.
pub(crate) fn document<T: DeserializeOwned>(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    document_with(py, obj, &[])
}

/// One document holding lists (a stored points book, a cashback record, a planner
/// snapshot): each list in `lists` counted against its limit before it is walked (the
/// crate's `LIMIT_EXCEEDED` past it), then as [`document`].
pub(crate) fn document_with<T: DeserializeOwned>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    lists: ListLimits,
) -> PyResult<T> {
    let value = Walker::with_lists(Doc::Ledger, lists)
        .read(obj)
        .map_err(|e| e.into_pyerr(py))?;
    deserialize(py, value, "")
}

/// `start_seq` (an `int` from 1, default 1) and `limit` (from 0, default 1,000).
fn page_args(
    py: Python<'_>,
    start_seq: Option<&Bound<'_, PyAny>>,
    limit: Option<&Bound<'_, PyAny>>,
) -> PyResult<(u64, usize)> {
    let start = args::opt_int(py, start_seq, "start_seq", 1, 1, u64::MAX)?;
    let limit = args::opt_int(py, limit, "limit", 1_000, 0, u64::MAX)?;
    Ok((start, usize::try_from(limit).unwrap_or(usize::MAX)))
}

/// Reads `value` as `T`, naming the field of a failure (`prefix` + its path): a list past
/// one of the crate's count limits is its `LIMIT_EXCEEDED` (`field`, `limit`, `actual`), an
/// amount that rihla's decimal reader or the unit's scale refuses is `INVALID_AMOUNT`, the
/// rest `INVALID_REQUEST`.
pub(crate) fn deserialize<T: DeserializeOwned>(
    py: Python<'_>,
    value: Value,
    prefix: &str,
) -> PyResult<T> {
    // Valid documents are read once, without tracking the path; only a failed read is
    // read again with serde_path_to_error, for the field.
    if let Ok(parsed) = T::deserialize(&value) {
        return Ok(parsed);
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        if let Some(limit) = rihla_ledger::LimitExceeded::from_message(&err.inner().to_string()) {
            return limit_error(py, &limit);
        }
        let mut field = prefix.to_owned();
        for seg in err.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => {
                    let _ = write!(field, "[{index}]");
                }
                serde_path_to_error::Segment::Map { key } => push_key(&mut field, key),
                serde_path_to_error::Segment::Enum { variant } => push_key(&mut field, variant),
                serde_path_to_error::Segment::Unknown => push_key(&mut field, "?"),
            }
        }
        let reason = err.inner().to_string();
        let code = classify(&mut field, &reason);
        if field.is_empty() {
            field.push('$');
        }
        errors::from_binding(py, code, &field, &reason)
    })
}

fn push_key(field: &mut String, key: &str) {
    if !field.is_empty() {
        field.push('.');
    }
    field.push_str(key);
}

/// The amount fields that the crate checks once a record is read (against its unit's
/// scale), so that serde places their errors on the record: the message names them.
const CHECKED_AMOUNTS: &[&str] = &[
    "amount",
    "overdraft_limit",
    "remaining",
    "redeemed",
    "expired",
    "clawed_back",
    "clawback_target",
    "covered_by_expiry",
    "target",
    "from_lot",
    "debt",
    "credited",
    "consumed.amount",
];

/// The code of a serde failure; names the amount field when the crate's own amount check
/// says which (`amount: 1.005 has more decimal places than SAR's 2`).
fn classify(field: &mut String, reason: &str) -> &'static str {
    if reason.starts_with(rihla_core::decimal_string::ERROR_PREFIX) {
        return "INVALID_AMOUNT";
    }
    for key in CHECKED_AMOUNTS {
        if let Some(rest) = reason.strip_prefix(key).and_then(|r| r.strip_prefix(": ")) {
            push_key(field, key);
            return if rest.starts_with("give the unit") {
                "INVALID_REQUEST"
            } else {
                "INVALID_AMOUNT"
            };
        }
    }
    "INVALID_REQUEST"
}

/// A list past one of the crate's count limits, met while it was read: `LIMIT_EXCEEDED`
/// with `field`, `limit` and `actual` — but a batch's `transfers` past `BATCH_MAX` is
/// `BATCH_TOO_LARGE` with `max` and `actual`, the code `apply` has always given.
pub(crate) fn limit_error(py: Python<'_>, limit: &rihla_ledger::LimitExceeded) -> PyErr {
    if limit.field == "transfers" && limit.limit == rihla_ledger::BATCH_MAX {
        return batch_error(
            py,
            &BatchError::TooLarge {
                max: limit.limit,
                actual: limit.actual,
            },
        );
    }
    raise_value(py, limit.to_value())
}

/// `BATCH_TOO_LARGE` with `max` and `actual`.
fn batch_error(py: Python<'_>, err: &BatchError) -> PyErr {
    let BatchError::TooLarge { max, actual } = err;
    let details = serde_json::json!({
        "code": "BATCH_TOO_LARGE",
        "message": err.to_string(),
        "max": max,
        "actual": actual,
    });
    errors::rihla_error(py, "BATCH_TOO_LARGE", &err.to_string(), &details)
}

/// An error of the crate as `{"code", "message", ...values}` (its serde form, which the
/// crate tags with the code, plus the code and message).
pub(crate) fn error_value<E: Serialize + Display>(code: &str, err: &E) -> Value {
    let mut value = serde_json::to_value(err).unwrap_or(Value::Null);
    if !value.is_object() {
        value = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = &mut value {
        map.insert("code".into(), code.into());
        map.insert("message".into(), err.to_string().into());
    }
    value
}

/// Raises an error of the crate (see [`error_value`]).
pub(crate) fn raise<E: Serialize + Display>(py: Python<'_>, code: &str, err: &E) -> PyErr {
    errors::rihla_error(py, code, &err.to_string(), &error_value(code, err))
}

/// Raises an error already in its `{"code", "message", ...}` form (`to_value()`).
pub(crate) fn raise_value(py: Python<'_>, details: Value) -> PyErr {
    let code = details
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or("LEDGER_ERROR")
        .to_owned();
    errors::rihla_error(py, &code, &code, &details)
}

pub(crate) fn hex_of(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}
