//! The targets of `rihla-ledger`'s core entry points: accounts and batches of transfers
//! (JSON and generated), the stateless planner's input, and the audit of a stored
//! journal.

use crate::envelope::{object, text};
use crate::invariants::{check_code, check_value_code};
use crate::ledger_input::{LedgerInput, LedgerOp};
use crate::session::Session;
use arbitrary::{Arbitrary, Unstructured};
use rihla_ledger::{Account, PlanInput};
use serde_json::Value;

fn array(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// An envelope `{"accounts": […], "batches": [[…], …]}` (a ledger vector's input): the
/// accounts created, each batch planned and applied, the ledger checked, every account's
/// statement read.
pub fn ledger_json(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let mut session = Session::new();
    session.create_accounts(array(env.get("accounts")));
    for batch in array(env.get("batches")) {
        let batch = Session::transfers(array(Some(batch)));
        session.apply_and_commit(&batch);
    }
    session.check();
    session.statements();
}

/// A generated session ([`LedgerInput`]): accounts, then batches (planned too),
/// mid-session account creations, reversals and closures; the ledger checked at the end.
pub fn ledger_structured(data: &[u8]) {
    let u = Unstructured::new(data);
    let Ok(input) = LedgerInput::arbitrary_take_rest(u) else {
        return;
    };
    let mut session = Session::new();
    let accounts: Vec<Value> = input.accounts.iter().map(|a| a.to_json()).collect();
    session.create_accounts(&accounts);
    for op in &input.ops {
        match op {
            LedgerOp::Apply(batch) => {
                let values: Vec<Value> = batch.iter().map(|t| t.to_json()).collect();
                session.apply_and_commit(&Session::transfers(&values));
            }
            LedgerOp::CreateAccounts(accounts) => {
                let values: Vec<Value> = accounts.iter().map(|a| a.to_json()).collect();
                session.create_accounts(&values);
            }
            LedgerOp::Reverse(ids, at, reason) => {
                let ids: Vec<String> = ids.iter().map(|i| i.0.clone()).collect();
                let reason = reason.as_ref().map_or("", |r| r.0.as_str());
                session.reverse(&ids, &at.0, reason);
            }
            LedgerOp::Close(id) => {
                if let Ok(id) = rihla_ledger::Id::parse(&id.0) {
                    session.ledger.close_account(id);
                }
            }
        }
    }
    session.check();
    session.statements();
}

/// A `PlanInput` as JSON text (what a host keeping the ledger in its database reads):
/// `rihla_ledger::plan`. A plan has one result per transfer and numbers its entries on
/// from the head read; a refusal carries its code.
pub fn planner_json(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(input) = serde_json::from_str::<PlanInput>(text) else {
        return;
    };
    match rihla_ledger::plan(&input) {
        Ok(plan) => {
            assert_eq!(
                plan.results().len(),
                input.batch.len(),
                "one result per transfer"
            );
            let base = plan.base();
            let head = plan.head();
            assert_eq!(
                Some(head.seq),
                base.seq.checked_add(plan.entries().len() as u64),
                "the head is not the base plus the entries"
            );
            for (i, e) in plan.entries().iter().enumerate() {
                assert_eq!(Some(e.seq), base.seq.checked_add(i as u64 + 1), "entry seq");
            }
            for r in plan.results() {
                if let Err(e) = r {
                    check_value_code(&e.to_value(), e.code(), "plan result");
                }
            }
            serde_json::to_string(&plan)
                .unwrap_or_else(|e| panic!("a plan does not serialise: {e}"));
        }
        Err(e) => check_value_code(&e.to_value(), e.code(), "plan"),
    }
}

/// A stored journal: the first line the accounts (a JSON array), the rest the journal's
/// JSON Lines. `audit::verify_jsonl`: a clean report counts every entry line; a broken one
/// names a reason.
pub fn audit_jsonl(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (first, journal) = text.split_once('\n').unwrap_or((text, ""));
    let accounts: Vec<Account> = match serde_json::from_str::<Vec<Value>>(first) {
        Ok(values) => values
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        Err(_) => Vec::new(),
    };
    let report = rihla_ledger::audit::verify_jsonl(&accounts, journal);
    let lines = journal.lines().filter(|l| !l.trim().is_empty()).count() as u64;
    match &report.first_broken {
        None => {
            assert!(report.ok, "a report without a broken entry is not ok");
            assert_eq!(
                report.entries, lines,
                "a clean audit counts every entry line"
            );
        }
        Some(b) => {
            assert!(!report.ok, "a report with a broken entry is ok");
            check_code(b.reason, "audit reason");
            assert!(report.entries <= lines, "more entries verified than lines");
        }
    }
    serde_json::to_string(&report).unwrap_or_else(|e| panic!("a report does not serialise: {e}"));
}

/// A stored snapshot, as a host (or an attacker with write access to its store) hands it
/// back: `{"ledger": Snapshot}` or `{"inbox": InboxSnapshot}`. What restores is checked as
/// any ledger is (balanced, its journal audits, its own snapshot restores it again); what
/// does not carries a code.
pub fn snapshot_json(data: &[u8]) {
    let Some(env) = object(data) else { return };
    if let Some(value) = env.get("ledger") {
        let Ok(snapshot) = serde_json::from_value::<rihla_ledger::Snapshot>(value.clone()) else {
            return;
        };
        match rihla_ledger::Ledger::restore(&snapshot) {
            Ok(ledger) => {
                let mut created = snapshot.accounts.clone();
                for a in &mut created {
                    a.closed = false;
                }
                crate::invariants::check_ledger(&ledger, &created);
            }
            Err(e) => check_code(e.code(), "restore"),
        }
    }
    if let Some(value) = env.get("inbox") {
        let Ok(snapshot) =
            serde_json::from_value::<rihla_ledger::webhook_snapshot::InboxSnapshot>(value.clone())
        else {
            return;
        };
        match rihla_ledger::WebhookInbox::restore(&snapshot) {
            Ok(inbox) => {
                let again =
                    rihla_ledger::WebhookInbox::restore(&inbox.snapshot()).unwrap_or_else(|e| {
                        panic!("a restored inbox's snapshot does not restore: {e}")
                    });
                assert!(again == inbox, "an inbox restored twice differs");
                assert!(inbox.deferred_len() <= rihla_ledger::webhook::MAX_DEFERRED);
            }
            Err(e) => check_code(e.code(), "restore"),
        }
    }
}
