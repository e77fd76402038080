//! The targets of the documents hosts store and send to `rihla-ledger`'s state machines:
//! points books and their requests, refund receipts and orders, payment webhooks, and
//! cashback records. Each input is a JSON scenario: `{"accounts": […], "transfers": […],
//! <the stored document>, "steps": [{"<call>": <its JSON>}, …]}` — the ledger set up, the
//! document loaded, then each call made with its own JSON (a step that does not read is
//! skipped, as the binding would refuse it). Every refusal carries a code; the ledger is
//! checked at the end, and a stored document reads back from its own JSON unchanged.

use crate::envelope::object;
use crate::invariants::{check_code, check_value_code};
use crate::session::Session;
use chrono::{DateTime, Utc};
use rihla_ledger::{
    BookCashback, CashbackClawback, CashbackRecord, ClawbackRequest, EarnRequest, PaymentEvent,
    PaymentRegistration, PointsBook, RedeemRequest, RefundOrder, RefundReceipt, Refunds, Unit,
    WebhookInbox,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The scenario's ledger: its accounts created and its transfers applied.
fn setup(env: &Map<String, Value>) -> Session {
    let mut session = Session::new();
    let list = |k: &str| {
        env.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    session.create_accounts(&list("accounts"));
    let batch = Session::transfers(&list("transfers"));
    session.apply(&batch);
    session
}

/// The steps: `(call, argument)` of each one-key object.
fn steps(env: &Map<String, Value>) -> Vec<(String, Value)> {
    env.get("steps")
        .and_then(Value::as_array)
        .map(|steps| {
            steps
                .iter()
                .filter_map(|s| match s {
                    Value::Object(m) => m.iter().next().map(|(k, v)| (k.clone(), v.clone())),
                    Value::String(k) => Some((k.clone(), Value::Null)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn read<T: DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

/// An instant as the bindings read one: rihla's strict RFC 3339 reader.
fn instant(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|t| rihla_core::time::utc::parse(t).ok())
}

fn field<'a>(v: &'a Value, k: &str) -> &'a Value {
    v.get(k).unwrap_or(&Value::Null)
}

/// Asserts that a stored document reads back from its own JSON and writes the same JSON.
fn round_trip<T: Serialize + DeserializeOwned>(doc: &T, what: &str) {
    let first =
        serde_json::to_value(doc).unwrap_or_else(|e| panic!("{what} does not serialise: {e}"));
    let back: T = serde_json::from_value(first.clone())
        .unwrap_or_else(|e| panic!("{what} does not read back from its own JSON: {e}\n{first}"));
    let second = serde_json::to_value(&back).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(first, second, "{what} changed through its own JSON");
}

/// A points scenario: `{"accounts", "transfers", "unit"?: "POINTS", "book"?: {stored},
/// "steps": [{"earn": {…}}, {"redeem": {…}}, {"expire": "<instant>"}, {"clawback": {…}},
/// {"available": ["<account>", "<instant>"]}]}`.
pub fn points_json(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let mut session = setup(&env);
    let mut book = match env.get("book") {
        Some(stored) => match read::<PointsBook>(stored) {
            Some(b) => b,
            None => return,
        },
        None => {
            let unit = env.get("unit").and_then(Value::as_str).unwrap_or("POINTS");
            let Ok(unit) = Unit::parse(unit) else { return };
            PointsBook::new(unit)
        }
    };
    round_trip(&book, "a loaded points book");
    for (call, arg) in steps(&env) {
        let ledger = &mut session.ledger;
        let result = match call.as_str() {
            "earn" => read::<EarnRequest>(&arg).map(|r| book.earn(ledger, &r).map(drop)),
            "redeem" => read::<RedeemRequest>(&arg).map(|r| book.redeem(ledger, &r).map(drop)),
            "clawback" => {
                read::<ClawbackRequest>(&arg).map(|r| book.clawback(ledger, &r).map(drop))
            }
            "expire" => instant(&arg).map(|now| {
                let report = book.expire(ledger, now);
                for f in &report.failed {
                    check_value_code(&f.error.to_value(), f.error.code(), "expire");
                }
                Ok(())
            }),
            "available" => {
                let account = read::<rihla_ledger::Id>(field(&arg, "account"));
                let at = instant(field(&arg, "at"));
                if let (Some(a), Some(at)) = (account, at) {
                    book.available(a, at);
                    book.balance(a);
                    book.debt_of(a);
                    book.lots_of(a);
                }
                None
            }
            _ => None,
        };
        if let Some(Err(e)) = result {
            check_value_code(&e.to_value(), e.code(), &call);
        }
    }
    round_trip(&book, "a points book");
    session.check();
}

/// A refunds scenario: `{"accounts", "transfers", "receipts"?: [stored], "steps":
/// [{"refund": {id, payment_id, amount, at, reference?}}]}`. Every receipt made keeps
/// `amount ≤ refunded ≤ paid`.
pub fn refunds_json(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let mut session = setup(&env);
    let mut refunds = match env.get("receipts") {
        Some(stored) => match read::<Vec<RefundReceipt>>(stored) {
            Some(list) => Refunds::from_receipts(list),
            None => return,
        },
        None => Refunds::new(),
    };
    for (call, arg) in steps(&env) {
        if call != "refund" {
            continue;
        }
        let Some(order) = read::<RefundOrder>(&arg) else {
            continue;
        };
        match refunds.refund_order(&mut session.ledger, &order) {
            Ok(r) => {
                assert!(
                    r.amount <= r.refunded && r.refunded <= r.paid,
                    "a receipt with amount {} refunded {} paid {}",
                    r.amount,
                    r.refunded,
                    r.paid
                );
                round_trip(&r, "a refund receipt");
            }
            Err(e) => check_code(e.code(), "refund"),
        }
    }
    let all: Vec<&RefundReceipt> = refunds.receipts().collect();
    serde_json::to_string(&all).unwrap_or_else(|e| panic!("receipts do not serialise: {e}"));
    session.check();
}

/// A webhook scenario: `{"accounts", "transfers", "steps": [{"register": {registration}},
/// {"event": {event}}, "retry"]}`. The refunds the events make keep `refunded ≤ paid`.
pub fn webhook_json(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let mut session = setup(&env);
    let mut inbox = WebhookInbox::new();
    for (call, arg) in steps(&env) {
        let ledger = &mut session.ledger;
        let result = match call.as_str() {
            "register" => read::<PaymentRegistration>(&arg).map(|r| {
                inbox
                    .register_payment(ledger, &r)
                    .map(|list| to_text(&list))
            }),
            "event" => {
                read::<PaymentEvent>(&arg).map(|e| inbox.receive(ledger, &e).map(|d| to_text(&d)))
            }
            "retry" => Some(Ok(to_text(&inbox.retry_deferred(ledger)))),
            _ => None,
        };
        if let Some(Err(e)) = result {
            check_value_code(&e.to_value(), e.code(), &call);
        }
    }
    for r in inbox.refunds().receipts() {
        assert!(
            r.refunded <= r.paid,
            "a webhook refund past its payment: {r:?}"
        );
    }
    let deferred: Vec<&PaymentEvent> = inbox.deferred().collect();
    to_text(&deferred);
    // The inbox restores from its own snapshot, through JSON.
    let text = to_text(&inbox.snapshot());
    let read: rihla_ledger::webhook_snapshot::InboxSnapshot = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("an inbox snapshot does not read back: {e}"));
    let restored = WebhookInbox::restore(&read)
        .unwrap_or_else(|e| panic!("the inbox's own snapshot does not restore: {e}"));
    assert!(restored == inbox, "the restored inbox differs");
    session.check();
}

/// A cashback scenario: `{"accounts", "transfers", "book": {request} | "record": {stored},
/// "steps": [{"complete": "<at>"}, {"approve": {now, actor, override?}}, {"credit":
/// "<now>"}, {"cancel": {now, actor, reason}}, {"clawback": {request}}]}`.
pub fn cashback_json(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let mut session = setup(&env);
    let mut record = if let Some(stored) = env.get("record") {
        match read::<CashbackRecord>(stored) {
            Some(r) => r,
            None => return,
        }
    } else {
        let Some(request) = env.get("book").and_then(read::<BookCashback>) else {
            return;
        };
        match CashbackRecord::book(&mut session.ledger, &request) {
            Ok((record, _)) => record,
            Err(e) => {
                check_value_code(&e.to_value(), e.code(), "book");
                return session.check();
            }
        }
    };
    round_trip(&record, "a cashback record");
    for (call, arg) in steps(&env) {
        let ledger = &mut session.ledger;
        let text = |k: &str| field(&arg, k).as_str().unwrap_or("").to_owned();
        let result = match call.as_str() {
            "complete" => instant(&arg).map(|at| record.complete(at)),
            "approve" => instant(field(&arg, "now")).map(|now| {
                let override_hold = field(&arg, "override").as_bool().unwrap_or(false);
                record.approve(now, &text("actor"), override_hold)
            }),
            "credit" => instant(&arg).map(|now| record.credit(ledger, now).map(drop)),
            "cancel" => instant(field(&arg, "now")).map(|now| {
                record
                    .cancel(ledger, now, &text("actor"), &text("reason"))
                    .map(drop)
            }),
            "clawback" => {
                read::<CashbackClawback>(&arg).map(|r| record.clawback(ledger, &r).map(drop))
            }
            _ => None,
        };
        if let Some(Err(e)) = result {
            check_value_code(&e.to_value(), e.code(), &call);
        }
    }
    round_trip(&record, "a cashback record");
    session.check();
}

fn to_text<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| panic!("an answer does not serialise: {e}"))
}
