//! The `Ledger` class and `auditJournal`: `rihla-ledger`'s in-memory double-entry ledger
//! for JS hosts. Conversion code only: every rule lives in `rihla-ledger`.
//!
//! Accounts and transfers cross as JSON text (`JSON.stringify` of the object, or the text
//! itself) read by the ledger's strict serde forms: ids are strings (decimal digits or a
//! UUID), amounts decimal strings at the unit's scale, `at` an RFC 3339 instant. Results
//! come back through `JSON.parse` of the ledger's JSON (ids and amounts as strings, `seq` and
//! `version` as numbers).

use crate::args::{self, invalid_request};
use crate::{js_error, rihla_error};
use chrono::{DateTime, Utc};
use rihla_ledger::limits::{LimitExceeded, MAX_ACCOUNT_LIST};
use rihla_ledger::{AccountError, AccountList, BatchError, Id, PlanInput, TransferBatch};
use rihla_pricing::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::cell::{RefCell, RefMut};
use std::rc::Rc;
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;

/// Most bytes of the JSON text of one ledger argument (accounts, a batch, a plan input, a
/// points book …): 32 MiB (a full batch of 8,190 transfers with long references is about
/// 5 MiB; a plan input adds the stored transfers and account rows it touches).
pub const MAX_LEDGER_INPUT_BYTES: usize = 32 << 20;

/// Most transfers `reserve(n)` sets memory aside for in this build: 2^20 (1,048,576, about
/// 0.5 GiB of the module's linear memory, which never shrinks and is at most 4 GiB on
/// wasm32), or `rihla_ledger::MAX_RESERVED` when that is lower.
pub const MAX_WASM_RESERVED: usize = 1 << 20;

/// The bound `reserve(n)` applies: the lower of [`MAX_WASM_RESERVED`] and
/// `rihla_ledger::MAX_RESERVED`.
pub const RESERVE_LIMIT: usize = if rihla_ledger::MAX_RESERVED < MAX_WASM_RESERVED {
    rihla_ledger::MAX_RESERVED
} else {
    MAX_WASM_RESERVED
};

/// Most bytes of the journal text `auditJournal` verifies in this build: 256 MiB, or
/// `rihla_ledger::audit::MAX_JOURNAL_BYTES` when that is lower (the copy and the replayed
/// ledger both live in the module's linear memory, at most 4 GiB and never shrinking).
pub const MAX_WASM_JOURNAL_BYTES: usize = if rihla_ledger::audit::MAX_JOURNAL_BYTES < (256 << 20) {
    rihla_ledger::audit::MAX_JOURNAL_BYTES
} else {
    256 << 20
};

/// Code of a batch of more than [`rihla_ledger::BATCH_MAX`] transfers (nothing applied).
pub const BATCH_TOO_LARGE: &str = "BATCH_TOO_LARGE";

/// An in-memory double-entry ledger (TigerBeetle's transfer semantics, a hash-chained
/// journal). Unlike a `Rulebook`, it holds state across calls: accounts, transfers, the
/// journal.
///
/// Another class's method that drives a ledger (`book.earn(ledger, …)`) takes it as a
/// plain JS value and checks it ([`LedgerArg`]): anything but a live `Ledger` there is
/// `INVALID_REQUEST` naming the argument.
#[wasm_bindgen]
pub struct Ledger {
    inner: Rc<RefCell<rihla_ledger::Ledger>>,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger::new()
    }
}

#[wasm_bindgen]
impl Ledger {
    /// An empty ledger.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Ledger {
        Ledger {
            inner: Rc::new(RefCell::new(rihla_ledger::Ledger::new())),
        }
    }

    /// A share of this ledger, for the methods of other classes that take a ledger
    /// argument ([`LedgerArg`]); not part of the API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = "__rihla_share", skip_typescript)]
    pub fn share(&self) -> LedgerShare {
        LedgerShare {
            inner: Rc::clone(&self.inner),
        }
    }

    /// Creates accounts (an array of at most 1,048,576 `{id, unit, normal?,
    /// must_not_go_negative?, overdraft_limit?, closed?, code?, owner?}`, or its JSON text;
    /// more is `LIMIT_EXCEEDED` with `details.field` `"accounts"`) and returns one report
    /// per account, in order: `{id, status: "CREATED"}`, `{id, status: "EXISTS"}` (the same
    /// id and body was already there: nothing changed) or `{id, status: "FAILED", error:
    /// {code, message, …}}`.
    #[wasm_bindgen(js_name = createAccounts, unchecked_return_type = "Array<Record<string, any>>")]
    pub fn create_accounts(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "object[] | string")] accounts: JsValue,
    ) -> Result<JsValue, JsValue> {
        let AccountList(accounts) = parse_accounts(&accounts)?;
        let results = borrow_mut(&self.inner)?.create_accounts(&accounts);
        let reports: Vec<Value> = accounts
            .iter()
            .zip(results)
            .map(|(a, r)| match r {
                Ok(o) => json!({"id": a.id, "status": o.as_str()}),
                Err(e) => json!({"id": a.id, "status": "FAILED", "error": account_error(&e)}),
            })
            .collect();
        to_js(&reports)
    }

    /// Applies a batch of transfers (an array of transfer objects, or its JSON text; at
    /// most 8,190) in order and returns one report per transfer: `{id, status: "CREATED" |
    /// "EXISTS", seq}` or `{id, status: "FAILED", error: {code, message, …}}`. A failed
    /// transfer changes nothing; a linked chain applies whole or not at all.
    ///
    /// Throws `BATCH_TOO_LARGE` (`details.max`, `details.actual`; nothing applied),
    /// `INVALID_JSON`, `INVALID_REQUEST` / `INVALID_AMOUNT` (`details.field`, e.g.
    /// `[2].amount`), `LIMIT_EXCEEDED`.
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, any>>")]
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "object[] | string")] transfers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let TransferBatch(batch) = parse_batch(&transfers)?;
        let results = borrow_mut(&self.inner)?
            .apply(&batch)
            .map_err(|e| batch_error(&e))?;
        to_js(&rihla_ledger::report::reports(&batch, &results))
    }

    /// An account with its balances: the account's fields, `balances` (minor units as
    /// digit strings), `version`, `balance` and `available` (decimal strings at the unit's
    /// scale); `undefined` when there is no such account.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any> | undefined")]
    pub fn account(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = id_arg(&id, "id")?;
        match borrow(&self.inner)?.account(id) {
            Some(state) => to_js(state),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Every account (as `account(id)` gives it), sorted by id.
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, any>>")]
    pub fn accounts(&self) -> Result<JsValue, JsValue> {
        let ledger = borrow(&self.inner)?;
        let mut states: Vec<_> = ledger.accounts().collect();
        states.sort_by_key(|a| a.account.id);
        to_js(&states)
    }

    /// A transfer as created (a post or void with its accounts, unit and code resolved
    /// from the pending transfer) and its pending state: `{transfer: {…}, state: "NONE" |
    /// "PENDING" | "POSTED" | "VOIDED"}`; `undefined` when there is no such transfer.
    #[wasm_bindgen(
        unchecked_return_type = "{transfer: Record<string, any>, state: string} | undefined"
    )]
    pub fn transfer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = id_arg(&id, "id")?;
        match borrow(&self.inner)?.transfer(id) {
            Some((transfer, state)) => to_js(&json!({"transfer": transfer, "state": state})),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Journal entries from `startSeq` (default 1), at most `limit` of them (default all):
    /// `{seq, transfer, debit, credit, prev_hash, hash}`, the sides' balances in minor
    /// units as digit strings. Both arguments are whole JS numbers.
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, any>>")]
    pub fn entries(
        &self,
        #[wasm_bindgen(js_name = startSeq, unchecked_optional_param_type = "number")]
        start_seq: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: JsValue,
    ) -> Result<JsValue, JsValue> {
        let start = optional_count(&start_seq, "startSeq")?.unwrap_or(1);
        let limit = optional_count(&limit, "limit")?.unwrap_or(u64::MAX);
        let skip = usize::try_from(start.saturating_sub(1)).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        let ledger = borrow(&self.inner)?;
        let page: Vec<_> = ledger.entries().iter().skip(skip).take(take).collect();
        to_js(&page)
    }

    /// The whole journal as JSON Lines (one entry per line, each line ending in `\n`): what
    /// a host stores, and what `auditJournal` verifies.
    #[wasm_bindgen(js_name = journalJsonl)]
    pub fn journal_jsonl(&self) -> Result<String, JsValue> {
        let mut out = String::new();
        for entry in borrow(&self.inner)?.entries() {
            out.push_str(&entry.to_json_line());
            out.push('\n');
        }
        Ok(out)
    }

    /// The ledger's whole state as JSON text (`rihla_ledger::Snapshot`): accounts, the
    /// transfers as given in journal order, the sticky failures, the journal's last hash.
    /// `Ledger.fromSnapshot` rebuilds it (in a worker, another tab, a later session).
    pub fn snapshot(&self) -> Result<String, JsValue> {
        let snapshot = borrow(&self.inner)?
            .snapshot()
            .map_err(|e| coded(e.code(), &e.to_string(), serde_json::to_value(&e)))?;
        Ok(serde_json::to_string(&snapshot).unwrap_or_default())
    }

    /// The ledger a snapshot (JSON text, at most the journal's byte limit) describes: the
    /// accounts created, the transfers replayed, and the rebuilt journal required to end
    /// on the snapshot's `last_hash` (`HASH_MISMATCH`, `REPLAY_FAILED` for an edited one;
    /// `INVALID_JSON`, `INVALID_REQUEST`, `UNKNOWN_FORMAT`, `LIMIT_EXCEEDED`).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(
        #[wasm_bindgen(unchecked_param_type = "string")] snapshot: JsValue,
    ) -> Result<Ledger, JsValue> {
        let text = args::json::text_document(&snapshot, "snapshot", MAX_WASM_JOURNAL_BYTES)?;
        let snapshot: rihla_ledger::Snapshot = serde_json::from_str(&text).map_err(|e| {
            let code = if e.is_syntax() || e.is_eof() {
                "INVALID_JSON"
            } else {
                "INVALID_REQUEST"
            };
            let message = format!("snapshot: {e}");
            coded(
                code,
                &message,
                Ok(json!({ "field": "snapshot", "reason": e.to_string() })),
            )
        })?;
        let ledger = rihla_ledger::Ledger::restore(&snapshot)
            .map_err(|e| coded(e.code(), &e.to_string(), serde_json::to_value(&e)))?;
        Ok(Ledger {
            inner: Rc::new(RefCell::new(ledger)),
        })
    }

    /// The hash of the last journal entry, 64 lowercase hex digits (64 zeros when empty).
    #[wasm_bindgen(js_name = lastHash)]
    pub fn last_hash(&self) -> Result<String, JsValue> {
        Ok(hex(&borrow(&self.inner)?.last_hash()))
    }

    /// Closes an account: it takes no new transfer (its pending transfers may still be
    /// posted or voided). Returns whether the account exists.
    #[wasm_bindgen(js_name = closeAccount)]
    pub fn close_account(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<bool, JsValue> {
        let id = id_arg(&id, "id")?;
        Ok(borrow_mut(&self.inner)?.close_account(id))
    }

    /// Sets aside (and touches) the memory for `transfers` more transfers
    /// (`Ledger::reserve`): applying them then waits on no allocation. Best effort; about
    /// 0.5 KB a transfer, inside the module's linear memory, which never shrinks.
    ///
    /// `transfers` is a whole JS number from 0 to [`RESERVE_LIMIT`] (2^20 = 1,048,576
    /// unless `rihla_ledger::MAX_RESERVED` is lower): more is `LIMIT_EXCEEDED`
    /// (`details.limit`, `details.actual`), a negative number, a fraction, NaN or another
    /// type `INVALID_REQUEST`; nothing is reserved then.
    pub fn reserve(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] transfers: JsValue,
    ) -> Result<(), JsValue> {
        let limit = u64::try_from(RESERVE_LIMIT).unwrap_or(u64::MAX);
        let n = args::count(&transfers, "transfers", limit)?;
        // Within RESERVE_LIMIT, so it fits a usize (and the ledger's own check passes).
        let n = usize::try_from(n).unwrap_or(0);
        borrow_mut(&self.inner)?
            .reserve(n)
            .map_err(|e| js_error(e.code(), &e.to_string(), &e.to_value()))
    }

    /// How many entries the journal holds (the last `seq`).
    #[wasm_bindgen(getter = entryCount)]
    pub fn entry_count(&self) -> Result<usize, JsValue> {
        Ok(borrow(&self.inner)?.entries().len())
    }

    /// A page of an account's statement (the platform's wallet transactions), read from
    /// the journal: `{account_id, unit, lines, next_from_seq}`, each line `{seq,
    /// transfer_id, transaction_type: "CREDIT" | "DEBIT", code, amount, balance_before,
    /// balance_after, available_after, pending, reference, at, counterparty_account_id}`
    /// (amounts decimal strings at the unit's scale). `fromSeq` (default 1): the first
    /// journal `seq` to show; `limit` (default and most 1000) lines; the next page starts
    /// at `next_from_seq` (`null` on the last page).
    ///
    /// Throws `ACCOUNT_NOT_FOUND`, `LIMIT_OUT_OF_RANGE`, `INVALID_REQUEST`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn statement(
        &self,
        #[wasm_bindgen(js_name = accountId, unchecked_param_type = "string")] account_id: JsValue,
        #[wasm_bindgen(js_name = fromSeq, unchecked_optional_param_type = "number")]
        from_seq: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: JsValue,
    ) -> Result<JsValue, JsValue> {
        let account = id_arg(&account_id, "accountId")?;
        let from_seq = optional_count(&from_seq, "fromSeq")?.unwrap_or(1);
        let limit = optional_count(&limit, "limit")?
            .map_or(rihla_ledger::MAX_STATEMENT_LINES, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            });
        let page = borrow(&self.inner)?
            .statement(account, from_seq, limit)
            .map_err(|e| coded(e.code(), &e.to_string(), serde_json::to_value(&e)))?;
        to_js(&page)
    }

    /// What a host keeping the ledger in its own database would read for `transfers` (a
    /// batch, as `apply` takes it: more than 8,190 is `BATCH_TOO_LARGE`) — the input of
    /// `planTransfers` —, taken from this ledger: `{accounts, transfers, failed, last_seq,
    /// last_hash, batch}`.
    #[wasm_bindgen(js_name = planInput, unchecked_return_type = "Record<string, any>")]
    pub fn plan_input(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object[] | string")] transfers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let TransferBatch(batch) = parse_batch(&transfers)?;
        to_js(&borrow(&self.inner)?.plan_input(&batch))
    }

    /// Reverses the transfers of a booking (every leg: payment, commission, payouts,
    /// refunds …) in one atomic chain of `REVERSAL` transfers, debit and credit swapped,
    /// newest original first: every account is restored or none. `transferIds`: an array
    /// of 1 to 8,190 distinct id strings (single-phase transfers or posts of pending
    /// ones); `at`: an RFC 3339 instant; `reason` (optional, at most 128 characters): the
    /// `reference` of every reversal transfer. Each reversal has an id derived from its
    /// original's, so a transfer is reversed at most once.
    ///
    /// Returns `{legs: [{transfer_id, reversal_id, debit_account_id, credit_account_id,
    /// amount, seq}]}` in the order applied (`amount`: minor units as a digit string).
    ///
    /// Throws `EMPTY`, `TOO_MANY_TRANSFERS` (`details.max`, `details.actual`),
    /// `DUPLICATE_TRANSFER`, `TRANSFER_NOT_FOUND`, `NOT_REVERSIBLE` (`details.reason`:
    /// `PENDING`, `RESOLVED_PENDING`, `VOID`, `REVERSAL`), `ALREADY_REVERSED`
    /// (`details.transfer_id`, `details.reversal_id`; a retry of a reversal that succeeded
    /// included), `ATTEMPTS_EXHAUSTED`, `LEDGER_REFUSED` (`details.error`: the ledger's,
    /// e.g. `EXCEEDS_CREDITS`), `INVALID_REQUEST`; nothing changes then.
    #[wasm_bindgen(unchecked_return_type = "{legs: Array<Record<string, any>>}")]
    pub fn reverse(
        &mut self,
        #[wasm_bindgen(js_name = transferIds, unchecked_param_type = "string[]")]
        transfer_ids: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] at: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] reason: JsValue,
    ) -> Result<JsValue, JsValue> {
        let reversal_error = |e: &rihla_ledger::ReversalError| {
            coded(e.code(), &e.to_string(), serde_json::to_value(e))
        };
        let array = transfer_ids
            .dyn_ref::<js_sys::Array>()
            .ok_or_else(|| invalid_request("transferIds", "an array of id strings"))?;
        // Too many ids is the ledger's refusal, told before any id is read.
        let actual = usize::try_from(array.length()).unwrap_or(usize::MAX);
        if actual > rihla_ledger::BATCH_MAX {
            return Err(reversal_error(
                &rihla_ledger::ReversalError::TooManyTransfers {
                    max: rihla_ledger::BATCH_MAX,
                    actual,
                },
            ));
        }
        let transfer_ids = array
            .iter()
            .enumerate()
            .map(|(i, id)| id_arg(&id, &format!("transferIds[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let at = instant_arg(&at, "at")?;
        let reason = args::optional_text(&reason, "reason")?.unwrap_or_default();
        let request = rihla_ledger::ReversalRequest {
            transfer_ids,
            at,
            reason,
        };
        let receipt = borrow_mut(&self.inner)?
            .reverse(&request)
            .map_err(|e| reversal_error(&e))?;
        to_js(&receipt)
    }

    /// The id of the `REVERSAL` transfer of `transferId` (an id string), or `undefined`
    /// when it was not reversed.
    #[wasm_bindgen(js_name = reversalOf)]
    pub fn reversal_of(
        &self,
        #[wasm_bindgen(js_name = transferId, unchecked_param_type = "string")] transfer_id: JsValue,
    ) -> Result<Option<String>, JsValue> {
        let id = id_arg(&transfer_id, "transferId")?;
        Ok(borrow(&self.inner)?.reversal_of(id).map(|r| r.to_string()))
    }
}

/// A share of a [`Ledger`]'s state, handed from `ledger.__rihla_share()` to [`LedgerArg`];
/// not part of the API (a `LedgerShare` object is consumed as soon as it is read).
#[doc(hidden)]
#[wasm_bindgen(skip_typescript)]
pub struct LedgerShare {
    inner: Rc<RefCell<rihla_ledger::Ledger>>,
}

#[wasm_bindgen]
extern "C" {
    /// Any JS value given where a `Ledger` is expected.
    type MaybeLedger;

    /// `value.__rihla_share()`: a [`LedgerShare`] when `value` is a live `Ledger`; throws
    /// (caught) when the method is missing or the ledger was freed.
    #[wasm_bindgen(method, catch, structural, js_name = "__rihla_share")]
    fn rihla_share(this: &MaybeLedger) -> Result<JsValue, JsValue>;
}

/// A `Ledger` given as an argument to another class's method (`book.earn(ledger, …)`,
/// `CashbackRecord.book(ledger, …)`, `inbox.receive(ledger, …)` …), taken as a plain JS
/// value: anything but a live `Ledger` (a number, `undefined`, a plain object, a freed
/// ledger) is `INVALID_REQUEST` naming the argument, not wasm-bindgen's untyped `Error`.
pub(crate) struct LedgerArg {
    inner: Rc<RefCell<rihla_ledger::Ledger>>,
}

impl LedgerArg {
    /// Checks that `value` is a live `Ledger` and takes a share of it.
    pub(crate) fn from_js(value: &JsValue, field: &str) -> Result<LedgerArg, JsValue> {
        let refused = |why: Option<JsValue>| {
            let mut reason = format!("a live Ledger, not {}", args::kind(value));
            // What wasm-bindgen said: a freed ledger, one that a call in progress is changing.
            if let Some(message) = why
                .as_ref()
                .and_then(|e| e.dyn_ref::<js_sys::Error>())
                .map(|e| String::from(e.message()))
            {
                reason.push_str(&format!(
                    " ({})",
                    message.chars().take(200).collect::<String>()
                ));
            }
            invalid_request(field, reason)
        };
        if !value.is_object() {
            return Err(refused(None));
        }
        let share = value
            .unchecked_ref::<MaybeLedger>()
            .rihla_share()
            .map_err(|e| refused(Some(e)))?;
        let share = LedgerShare::try_from_js_value(share).map_err(|_| refused(None))?;
        Ok(LedgerArg { inner: share.inner })
    }

    /// The ledger, borrowed for one operation (`INVALID_REQUEST` if a call in progress
    /// holds it, which rihla's own calls never do).
    pub(crate) fn get(&self) -> Result<RefMut<'_, rihla_ledger::Ledger>, JsValue> {
        borrow_mut(&self.inner)
    }
}

fn busy() -> JsValue {
    invalid_request("ledger", "the ledger is in use by a call in progress")
}

fn borrow(
    ledger: &RefCell<rihla_ledger::Ledger>,
) -> Result<std::cell::Ref<'_, rihla_ledger::Ledger>, JsValue> {
    ledger.try_borrow().map_err(|_| busy())
}

fn borrow_mut(
    ledger: &RefCell<rihla_ledger::Ledger>,
) -> Result<RefMut<'_, rihla_ledger::Ledger>, JsValue> {
    ledger.try_borrow_mut().map_err(|_| busy())
}

/// The stateless planner, for a host that keeps the ledger in its own database: given what
/// it read (`{accounts: [{account, balances, version}], transfers?: [{given, resolved,
/// state, seq}], failed?: [{id, code}], last_seq, last_hash, batch}`), the plan of the
/// batch: `{base, head, results, entries, account_updates, account_checks, new_transfers,
/// pending_updates, new_failures}` to write in one database transaction, guarded by the
/// versions and the journal head read. Pure: nothing is stored.
///
/// Throws the planner's codes (`BATCH_TOO_LARGE`, `DUPLICATE_ACCOUNT`,
/// `INCONSISTENT_HEAD`, `INVALID_LAST_HASH` …; see `ledger/src/planner.rs`) and
/// `INVALID_JSON` / `INVALID_REQUEST` / `INVALID_AMOUNT` with the field path.
#[wasm_bindgen(js_name = planTransfers, unchecked_return_type = "Record<string, any>")]
pub fn plan_transfers(
    #[wasm_bindgen(unchecked_param_type = "object | string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input: PlanInput = parse(&input, "input")?;
    let plan = rihla_ledger::plan(&input).map_err(|e| {
        let value = e.to_value();
        js_error(e.code(), &e.to_string(), &value)
    })?;
    to_js(&plan)
}

/// Verifies a stored journal (`journalText`, JSON Lines as `ledger.journalJsonl()` gives)
/// against the accounts it was written for, as they were created (before any transfer):
/// replays every transfer and checks the sequence, the SHA-256 chain and each account's
/// balance chain. Returns `{ok, entries, last_hash, first_broken?: {line, seq, reason,
/// detail}}`, `reason` one of `MALFORMED`, `SEQ_GAP`, `PREV_HASH_MISMATCH`,
/// `HASH_MISMATCH`, `BALANCE_CHAIN_BROKEN`, `REPLAY_FAILED`, `REPLAY_DIFFERS`.
#[wasm_bindgen(js_name = auditJournal, unchecked_return_type = "Record<string, any>")]
pub fn audit_journal(
    #[wasm_bindgen(unchecked_param_type = "object[] | string")] accounts: JsValue,
    #[wasm_bindgen(js_name = journalText, unchecked_param_type = "string")] journal_text: JsValue,
) -> Result<JsValue, JsValue> {
    let AccountList(accounts) = parse_accounts(&accounts)?;
    let text = args::json::text_document(&journal_text, "journalText", MAX_WASM_JOURNAL_BYTES)?;
    to_js(&rihla_ledger::audit::verify_jsonl(&accounts, &text))
}

/// A typed error of the ledger as a RihlaError: `details` its JSON with `code` and
/// `message` added.
pub(crate) fn coded(code: &str, message: &str, value: Result<Value, serde_json::Error>) -> JsValue {
    let mut value = value.unwrap_or(Value::Null);
    if !value.is_object() {
        value = json!({});
    }
    if let Value::Object(m) = &mut value {
        m.insert("code".into(), code.into());
        m.insert("message".into(), message.into());
    }
    js_error(code, message, &value)
}

/// A serializable value as a plain JS value, through its JSON text.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    // The ledger's types always serialize (string keys, no floats).
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    js_sys::JSON::parse(&text)
}

/// Reads `T` from a JS value (`JSON.stringify` of it, or the string itself) with the field
/// path of the first error. A list past one of the ledger crate's count limits, met while
/// it is read (its elements past the limit are counted, never built), is [`limit_error`].
pub(crate) fn parse<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    let text = args::json::document(value, what, MAX_LEDGER_INPUT_BYTES)?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let parsed = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // A list past one of the ledger's count limits, met while it was read.
        if let Some(limit) = LimitExceeded::from_message(&e.inner().to_string()) {
            return limit_error(&limit);
        }
        let path = e.path().to_string();
        let inner = e.into_inner();
        rihla_error(match inner.classify() {
            serde_json::error::Category::Data => field_error(path, &inner.to_string()),
            _ => syntax(&inner),
        })
    })?;
    de.end().map_err(|e| rihla_error(syntax(&e)))?;
    Ok(parsed)
}

/// A list document of the ledger (`L`: [`AccountList`], [`TransferBatch`],
/// `rihla_ledger::ReceiptList`), read with its count limit: a JS array past `limit` is
/// refused by its `length` before it is turned into text; the JSON text of one, while it
/// is read. Either way the crate's `LIMIT_EXCEEDED` naming `field` ([`limit_error`]).
pub(crate) fn parse_list<L: DeserializeOwned>(
    value: &JsValue,
    field: &'static str,
    limit: usize,
) -> Result<L, JsValue> {
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        let actual = usize::try_from(array.length()).unwrap_or(usize::MAX);
        if actual > limit {
            return Err(limit_error(&LimitExceeded::new(field, limit, actual)));
        }
    }
    parse(value, field)
}

/// Accounts as a host sends them: at most `MAX_ACCOUNT_LIST` (1,048,576).
fn parse_accounts(value: &JsValue) -> Result<AccountList, JsValue> {
    parse_list(value, "accounts", MAX_ACCOUNT_LIST)
}

/// A batch of transfers: at most `BATCH_MAX` (8,190; `BATCH_TOO_LARGE` past it).
fn parse_batch(value: &JsValue) -> Result<TransferBatch, JsValue> {
    parse_list(value, "transfers", rihla_ledger::BATCH_MAX)
}

/// A list past one of the ledger crate's count limits: its `LIMIT_EXCEEDED` (`details`:
/// `field`, `limit`, `actual`) — but a batch's `transfers` past `BATCH_MAX` is
/// [`BATCH_TOO_LARGE`] (`details.max`, `details.actual`), the code `apply` has always
/// given.
pub(crate) fn limit_error(limit: &LimitExceeded) -> JsValue {
    if limit.field == "transfers" && limit.limit == rihla_ledger::BATCH_MAX {
        return batch_error(&BatchError::TooLarge {
            max: limit.limit,
            actual: limit.actual,
        });
    }
    js_error(limit.code(), &limit.to_string(), &limit.to_value())
}

/// `INVALID_AMOUNT` for an amount that is not a decimal string (a JS number, `"1e3"`) or
/// that the unit cannot hold (negative, digits below its scale, too large); otherwise
/// `INVALID_REQUEST`; both with the field path.
fn field_error(path: String, message: &str) -> Error {
    let mut field = if path.is_empty() || path == "." {
        "$".to_owned()
    } else {
        path
    };
    let reason = strip_position(message);
    if reason.starts_with(rihla_core::decimal_string::ERROR_PREFIX) {
        return Error::InvalidAmount { field, reason };
    }
    // The ledger checks an amount against its unit once the object is read, so serde
    // reports it on the object: `amount: 1.005 has more decimal places than SAR's 2`.
    for name in ["amount", "overdraft_limit"] {
        if let Some(rest) = reason.strip_prefix(name).and_then(|r| r.strip_prefix(": ")) {
            let reason = rest.to_owned();
            field = if field == "$" {
                name.to_owned()
            } else {
                format!("{field}.{name}")
            };
            return if reason.starts_with("give the unit") {
                Error::InvalidRequest { field, reason }
            } else {
                Error::InvalidAmount { field, reason }
            };
        }
    }
    Error::InvalidRequest { field, reason }
}

fn syntax(e: &serde_json::Error) -> Error {
    Error::InvalidJson {
        line: e.line(),
        column: e.column(),
        reason: strip_position(&e.to_string()),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i)
            if message
                .get(i..)
                .is_some_and(|rest| rest.contains(" column ")) =>
        {
            message.get(..i).unwrap_or(message).to_owned()
        }
        _ => message.to_owned(),
    }
}

/// An id argument: a JS string of decimal digits or a UUID.
pub(crate) fn id_arg(value: &JsValue, what: &str) -> Result<Id, JsValue> {
    if !value.is_string() {
        return Err(invalid_request(
            what,
            format!(
                "an id is a string: decimal digits or a UUID, not {}",
                args::kind(value)
            ),
        ));
    }
    let text = args::text(value, what)?;
    Id::parse(&text).map_err(|reason| invalid_request(what, reason))
}

/// An instant argument: an RFC 3339 string.
pub(crate) fn instant_arg(value: &JsValue, what: &str) -> Result<DateTime<Utc>, JsValue> {
    if !value.is_string() {
        return Err(invalid_request(
            what,
            format!(
                "an instant is an RFC 3339 string, not {}",
                args::kind(value)
            ),
        ));
    }
    let text = args::text(value, what)?;
    // rihla's strict reader: RFC 3339 with a four-digit year that stays within 0000–9999
    // in UTC (so that the journal can write it), not chrono's lenient one.
    rihla_core::time::utc::parse(&text).map_err(|reason| invalid_request(what, reason))
}

/// An optional whole JS number (`undefined` or `null`: `None`).
fn optional_count(value: &JsValue, what: &str) -> Result<Option<u64>, JsValue> {
    args::optional_whole(value, what, args::MAX_SAFE_INTEGER)
}

fn batch_error(e: &BatchError) -> JsValue {
    let message = e.to_string();
    let BatchError::TooLarge { max, actual } = e;
    js_error(
        BATCH_TOO_LARGE,
        &message,
        &json!({"code": BATCH_TOO_LARGE, "message": message, "max": max, "actual": actual}),
    )
}

/// An account error as JSON: `{"code", "message", …values}`.
fn account_error(e: &AccountError) -> Value {
    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("code".into(), e.code().into());
        m.insert("message".into(), e.to_string().into());
    }
    v
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}
