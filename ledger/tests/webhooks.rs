//! Payment webhooks (issue 6): `(provider, event_id)` de-duplication inside the same state
//! transition as the effect; events for unknown payments deferred, not dropped; duplicates
//! and reordering produce one effect (peers: duplicate webhooks that credited twice).

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rihla_ledger::webhook::{DeferReason, IgnoreReason, Redriven};
use rihla_ledger::{
    audit, webhook_transfer_id, Account, Code, Id, Ledger, Outcome, PaymentEvent, PaymentEventKind,
    PaymentRegistration, PaymentStatus, RefundError, Transfer, TransferError, Unit, WebhookError,
    WebhookInbox, WebhookOutcome,
};

type R = Result<(), Box<dyn std::error::Error>>;
type E = Box<dyn std::error::Error>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

fn sar() -> Unit {
    Unit::parse("SAR").unwrap_or(Unit::Points { scale: 2 })
}

const CLEARING: u128 = 1;
const BANK: u128 = 2;
const WALLET: u128 = 1001;
const MERCHANT: u128 = 2001;

/// The provider's clearing account and a bank (debit-normal), a wallet that must not go
/// negative, a merchant.
fn ledger() -> Ledger {
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(CLEARING, sar()).debit_normal(),
        Account::new(BANK, sar()).debit_normal(),
        Account::new(WALLET, sar()).must_not_go_negative(),
        Account::new(MERCHANT, sar()),
    ]);
    assert!(created.iter().all(Result::is_ok));
    l
}

/// A top-up of SAR 1,000.00 through the provider into the wallet.
fn registration(payment_ref: &str) -> PaymentRegistration {
    PaymentRegistration {
        provider: "moyasar".into(),
        payment_ref: payment_ref.into(),
        unit: sar(),
        amount: 100_000,
        clearing_account_id: Id(CLEARING),
        credit_account_id: Id(WALLET),
        reference: format!("TOPUP-{payment_ref}"),
    }
}

fn event(id: &str, payment_ref: &str, kind: PaymentEventKind, amount: u128) -> PaymentEvent {
    PaymentEvent {
        provider: "moyasar".into(),
        event_id: id.into(),
        payment_ref: payment_ref.into(),
        kind,
        amount,
        unit: sar(),
        at: at(1),
    }
}

use PaymentEventKind::{Authorized, Captured, Failed, Refunded};

fn balance(l: &Ledger, id: u128) -> (i128, i128) {
    l.account(Id(id)).map_or((0, 0), |a| {
        (
            a.balances.posted(a.account.normal),
            a.balances.available(a.account.normal),
        )
    })
}

fn applied_ids(o: &WebhookOutcome) -> Vec<Id> {
    match o {
        WebhookOutcome::Applied { transfers, .. } => {
            transfers.iter().map(|t| t.transfer_id).collect()
        }
        _ => Vec::new(),
    }
}

#[test]
fn the_same_event_twice_credits_once() -> R {
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    let capture = event("evt_1", "pay_1", Captured, 100_000);
    let first = inbox.receive(&mut l, &capture)?;
    assert_eq!(
        applied_ids(&first.outcome),
        vec![webhook_transfer_id("moyasar", "evt_1", 0, 0)]
    );
    let second = inbox.receive(&mut l, &capture)?;
    assert_eq!(
        second.outcome,
        WebhookOutcome::Duplicate {
            first: Box::new(first.outcome)
        }
    );
    assert_eq!(balance(&l, WALLET), (100_000, 100_000));
    assert_eq!(l.entries().len(), 1);
    // The same key with another body is refused, not applied.
    let other = event("evt_1", "pay_1", Captured, 90_000);
    assert_eq!(
        inbox.receive(&mut l, &other).err(),
        Some(WebhookError::EventIdReused {
            provider: "moyasar".into(),
            event_id: "evt_1".into(),
            field: "amount"
        })
    );
    // A lost inbox cannot credit twice either: the ledger knows the derived transfer id.
    let mut amnesiac = WebhookInbox::new();
    amnesiac.register_payment(&mut l, &registration("pay_1"))?;
    let replay = amnesiac.receive(&mut l, &capture)?;
    match replay.outcome {
        WebhookOutcome::Applied { transfers, .. } => {
            assert!(matches!(
                transfers.first().map(|t| t.outcome),
                Some(Outcome::Exists { seq: 1 })
            ));
        }
        o => return Err(format!("{o:?}").into()),
    }
    assert_eq!(balance(&l, WALLET), (100_000, 100_000));
    Ok(())
}

/// Delivers events in order; returns the final wallet and clearing balances.
fn deliver(events: &[PaymentEvent]) -> Result<(Ledger, WebhookInbox), E> {
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    for e in events {
        inbox.receive(&mut l, e)?;
    }
    Ok((l, inbox))
}

#[test]
fn a_refund_before_its_capture_waits_and_ends_as_in_order() -> R {
    let auth = event("evt_a", "pay_1", Authorized, 100_000);
    let capture = event("evt_c", "pay_1", Captured, 100_000);
    let refund = event("evt_r", "pay_1", Refunded, 30_000);
    let (in_order, inbox_a) = deliver(&[auth.clone(), capture.clone(), refund.clone()])?;
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    let r = inbox.receive(&mut l, &refund)?;
    assert_eq!(
        r.outcome,
        WebhookOutcome::Deferred {
            reason: DeferReason::NotCaptured
        }
    );
    let c = inbox.receive(&mut l, &capture)?;
    // The capture unblocks the refund, applied in the same call.
    assert_eq!(
        c.redriven
            .iter()
            .map(|d| d.event_id.as_str())
            .collect::<Vec<_>>(),
        vec!["evt_r"]
    );
    let a = inbox.receive(&mut l, &auth)?;
    assert_eq!(
        a.outcome,
        WebhookOutcome::Ignored {
            reason: IgnoreReason::AlreadyCaptured
        }
    );
    for account in [WALLET, CLEARING] {
        assert_eq!(balance(&l, account), balance(&in_order, account));
    }
    assert_eq!(balance(&l, WALLET), (70_000, 70_000));
    let (p, q) = (
        inbox.payment("moyasar", "pay_1").ok_or("payment")?,
        inbox_a.payment("moyasar", "pay_1").ok_or("payment")?,
    );
    assert_eq!(
        (p.status, p.captured, p.refunded),
        (q.status, q.captured, q.refunded)
    );
    assert_eq!((p.captured, p.refunded), (100_000, 30_000));
    assert!(matches!(
        inbox.outcome("moyasar", "evt_r"),
        Some(WebhookOutcome::Applied { .. })
    ));
    assert_eq!(inbox.deferred().count(), 0);
    Ok(())
}

#[test]
fn an_event_for_an_unknown_payment_is_deferred_then_applied_on_register() -> R {
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    let capture = event("evt_9", "pay_9", Captured, 25_000);
    let d = inbox.receive(&mut l, &capture)?;
    assert_eq!(
        d.outcome,
        WebhookOutcome::Deferred {
            reason: DeferReason::UnknownPayment
        }
    );
    assert_eq!(balance(&l, WALLET), (0, 0));
    // A duplicate while it waits is a duplicate, not a second deferred event.
    let dup = inbox.receive(&mut l, &capture)?;
    assert!(matches!(dup.outcome, WebhookOutcome::Duplicate { .. }));
    assert_eq!(inbox.deferred().count(), 1);
    let redriven = inbox.register_payment(&mut l, &registration("pay_9"))?;
    assert_eq!(redriven.len(), 1);
    assert!(matches!(
        redriven.first().map(|r| &r.result),
        Some(Ok(WebhookOutcome::Applied {
            status: PaymentStatus::Captured,
            ..
        }))
    ));
    assert_eq!(balance(&l, WALLET), (25_000, 25_000));
    assert_eq!(inbox.deferred().count(), 0);
    // The duplicate now reports the applied outcome.
    let dup = inbox.receive(&mut l, &capture)?;
    match dup.outcome {
        WebhookOutcome::Duplicate { first } => {
            assert!(matches!(*first, WebhookOutcome::Applied { .. }))
        }
        o => return Err(format!("{o:?}").into()),
    }
    assert_eq!(l.entries().len(), 1);
    Ok(())
}

#[test]
fn a_ledger_refusal_leaves_the_inbox_unchanged_and_the_event_can_be_retried() -> R {
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    inbox.receive(&mut l, &event("evt_c", "pay_1", Captured, 100_000))?;
    // The customer spends 900.00 of the 1,000.00 topped up.
    let spend = Transfer::new(
        50u128,
        WALLET,
        MERCHANT,
        90_000,
        sar(),
        Code::Payment,
        at(2),
    );
    l.apply(&[spend])?;
    let refund = event("evt_r", "pay_1", Refunded, 50_000);
    let before = inbox.clone();
    let entries = l.entries().len();
    let e = inbox.receive(&mut l, &refund).err();
    let refund_id = webhook_transfer_id("moyasar", "evt_r", 0, 0);
    assert_eq!(
        e,
        Some(WebhookError::RefundRefused {
            error: Box::new(RefundError::LedgerRefused {
                refund_id,
                error: TransferError::ExceedsCredits {
                    account_id: Id(WALLET),
                    available: "10000".into(),
                    amount: "50000".into()
                }
            })
        })
    );
    assert_eq!(inbox, before);
    assert_eq!(l.entries().len(), entries);
    assert!(inbox.outcome("moyasar", "evt_r").is_none());
    // Once the wallet holds the money again, the same event applies (with the next
    // attempt's transfer id: the ledger keeps the first one failed).
    l.apply(&[Transfer::new(
        51u128,
        BANK,
        WALLET,
        50_000,
        sar(),
        Code::Deposit,
        at(3),
    )])?;
    let ok = inbox.receive(&mut l, &refund)?;
    assert_eq!(
        applied_ids(&ok.outcome),
        vec![webhook_transfer_id("moyasar", "evt_r", 0, 1)]
    );
    assert_eq!(balance(&l, WALLET), (10_000, 10_000));
    assert_eq!(
        inbox.payment("moyasar", "pay_1").map(|p| p.refunded),
        Some(50_000)
    );
    // Σ refunds stays within the capture.
    let too_much = inbox
        .receive(&mut l, &event("evt_r2", "pay_1", Refunded, 50_001))
        .err();
    assert_eq!(
        too_much.as_ref().map(WebhookError::code),
        Some("REFUND_REFUSED")
    );
    Ok(())
}

#[test]
fn an_authorization_holds_and_a_failure_releases_it_in_either_order() -> R {
    let auth = event("evt_a", "pay_1", Authorized, 100_000);
    let failed = event("evt_f", "pay_1", Failed, 0);
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    inbox.receive(&mut l, &auth)?;
    let wallet = l.account(Id(WALLET)).map(|a| a.balances.credits_pending);
    assert_eq!(wallet, Some(100_000));
    assert_eq!(balance(&l, WALLET), (0, 0));
    inbox.receive(&mut l, &failed)?;
    let (reordered, inbox_b) = deliver(&[failed.clone(), auth.clone()])?;
    for ledger in [&l, &reordered] {
        let b = ledger
            .account(Id(WALLET))
            .map(|a| a.balances)
            .unwrap_or_default();
        assert_eq!((b.credits_pending, b.credits_posted), (0, 0));
    }
    assert_eq!(
        inbox_b.outcome("moyasar", "evt_a"),
        Some(&WebhookOutcome::Ignored {
            reason: IgnoreReason::PaymentFailed
        })
    );
    assert_eq!(
        inbox.payment("moyasar", "pay_1").map(|p| p.status),
        Some(PaymentStatus::Failed)
    );
    Ok(())
}

#[test]
fn a_capture_past_its_authorization_voids_the_hold_and_moves_the_capture() -> R {
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    inbox.receive(&mut l, &event("evt_a", "pay_1", Authorized, 50_000))?;
    let c = inbox.receive(&mut l, &event("evt_c", "pay_1", Captured, 100_000))?;
    assert_eq!(
        applied_ids(&c.outcome),
        vec![
            webhook_transfer_id("moyasar", "evt_c", 0, 0),
            webhook_transfer_id("moyasar", "evt_c", 1, 0)
        ]
    );
    let b = l
        .account(Id(WALLET))
        .map(|a| a.balances)
        .unwrap_or_default();
    assert_eq!((b.credits_pending, b.credits_posted), (0, 100_000));
    let p = inbox.payment("moyasar", "pay_1").ok_or("payment")?;
    assert_eq!(
        (p.status, p.captured, p.hold.map(|h| h.open)),
        (PaymentStatus::Captured, 100_000, Some(false))
    );
    // Past the registered amount is refused.
    assert_eq!(
        inbox
            .receive(&mut l, &event("evt_x", "pay_1", Refunded, 100_001))
            .err(),
        Some(WebhookError::AmountExceedsPayment {
            payment_amount: 100_000,
            amount: 100_001
        })
    );
    Ok(())
}

#[test]
fn events_and_registrations_read_from_json() -> R {
    let e: PaymentEvent = serde_json::from_str(
        r#"{"provider": "moyasar", "event_id": "evt_01", "payment_ref": "pay_77",
            "kind": "CAPTURED", "amount": "1000.00", "unit": "SAR",
            "at": "2026-11-22T09:00:00Z"}"#,
    )?;
    assert_eq!((e.kind, e.amount), (Captured, 100_000));
    assert_eq!(serde_json::to_value(&e)?["amount"], "1000.00");
    let r: PaymentRegistration = serde_json::from_str(
        r#"{"provider": "moyasar", "payment_ref": "pay_77", "unit": "SAR",
            "amount": "1000.00", "clearing_account_id": "1", "credit_account_id": "1001",
            "reference": "TOPUP-77"}"#,
    )?;
    assert_eq!(r.amount, 100_000);
    assert!(serde_json::from_str::<PaymentEvent>(
        r#"{"provider": "m", "event_id": "e", "payment_ref": "p", "kind": "CAPTURED",
            "amount": "1.005", "unit": "SAR", "at": "2026-11-22T09:00:00Z"}"#
    )
    .is_err());
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    let bad = PaymentRegistration {
        credit_account_id: Id(777),
        ..registration("pay_1")
    };
    assert_eq!(
        inbox.register_payment(&mut l, &bad).err(),
        Some(WebhookError::AccountNotFound {
            account_id: Id(777)
        })
    );
    Ok(())
}

/// Three payments and their events, in order: a top-up authorized, captured and refunded
/// twice; an authorization that failed; an authorization that failed, then a capture.
fn scenario() -> (Vec<PaymentRegistration>, Vec<PaymentEvent>) {
    let regs = vec![registration("p1"), registration("p2"), registration("p3")];
    let events = vec![
        event("a1", "p1", Authorized, 100_000),
        event("c1", "p1", Captured, 80_000),
        event("r1", "p1", Refunded, 30_000),
        event("r2", "p1", Refunded, 20_000),
        event("a2", "p2", Authorized, 40_000),
        event("f2", "p2", Failed, 0),
        event("a3", "p3", Authorized, 60_000),
        event("f3", "p3", Failed, 0),
        event("c3", "p3", Captured, 60_000),
    ];
    (regs, events)
}

fn run(
    order: &[usize],
    register_after: &[usize],
) -> Result<(Ledger, WebhookInbox, Vec<Redriven>), E> {
    let (regs, events) = scenario();
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    let mut redriven = Vec::new();
    for (step, i) in order.iter().enumerate() {
        for (r, reg) in regs.iter().enumerate() {
            if register_after.get(r).copied() == Some(step) {
                redriven.extend(inbox.register_payment(&mut l, reg)?);
            }
        }
        let e = events.get(*i).ok_or("event")?;
        let d = inbox.receive(&mut l, e)?;
        redriven.extend(d.redriven);
    }
    for (r, reg) in regs.iter().enumerate() {
        if register_after.get(r).copied().unwrap_or(usize::MAX) >= order.len() {
            redriven.extend(inbox.register_payment(&mut l, reg)?);
        }
    }
    Ok((l, inbox, redriven))
}

proptest! {
    /// Webhook de-duplication: any permutation of the events, with duplicates and with the
    /// payments registered at any point, leaves the balances of the events once in order,
    /// one refund per refund event, nothing deferred, and an auditable journal.
    #[test]
    fn any_order_with_duplicates_gives_the_balances_of_the_events_once_in_order(
        order in prop::collection::vec(0usize..9, 0..12)
            .prop_map(|dups| (0..9).chain(dups).collect::<Vec<_>>())
            .prop_shuffle(),
        register_after in prop::collection::vec(0usize..30, 3),
    ) {
        let fail = |e: E| TestCaseError::fail(e.to_string());
        let in_order: Vec<usize> = (0..9).collect();
        let (expected, _, _) = run(&in_order, &[0, 0, 0]).map_err(fail)?;
        let (l, inbox, redriven) = run(&order, &register_after).map_err(fail)?;
        for account in [CLEARING, WALLET] {
            let b = |l: &Ledger| l.account(Id(account)).map(|a| a.balances);
            prop_assert_eq!(b(&l), b(&expected));
        }
        // p1: 800.00 captured less 500.00 refunded; p2: nothing; p3: 600.00.
        prop_assert_eq!(balance(&l, WALLET), (90_000, 90_000));
        let refunds = l.entries().iter().filter(|e| e.transfer.code == Some(Code::Refund)).count();
        prop_assert_eq!(refunds, 2);
        prop_assert_eq!(inbox.deferred().count(), 0);
        prop_assert_eq!(inbox.seen_len(), 9);
        prop_assert!(redriven.iter().all(|r| r.result.is_ok()));
        for (id, status) in [("p1", PaymentStatus::Captured), ("p2", PaymentStatus::Failed),
                             ("p3", PaymentStatus::Captured)] {
            prop_assert_eq!(inbox.payment("moyasar", id).map(|p| p.status), Some(status));
        }
        let accounts: Vec<Account> = [CLEARING, BANK, WALLET, MERCHANT]
            .iter()
            .filter_map(|id| l.account(Id(*id)).map(|a| a.account.clone()))
            .collect();
        let text: String = l.entries().iter().map(|e| e.to_json_line() + "\n").collect();
        prop_assert!(audit::verify_jsonl(&accounts, &text).ok);
    }
}

#[test]
fn a_redriven_event_reads_as_its_outcome_or_its_error_in_json() {
    use rihla_ledger::WebhookError;
    let kept = Redriven {
        provider: "moyasar".into(),
        event_id: "evt_9".into(),
        result: Err(WebhookError::AmountMustNotBeZero),
    };
    // Refused for good: it left the queue.
    assert_eq!(
        serde_json::to_value(&kept).ok(),
        Some(serde_json::json!({
            "provider": "moyasar",
            "event_id": "evt_9",
            "error": {"code": "AMOUNT_MUST_NOT_BE_ZERO", "message": WebhookError::AmountMustNotBeZero.to_string()},
            "deferred": false
        }))
    );
    // Refused by the ledger: it stays deferred.
    let error = WebhookError::LedgerRefused {
        transfer_id: Id(7),
        error: TransferError::DebitAccountClosed { account_id: Id(1) },
    };
    let waiting = Redriven {
        provider: "moyasar".into(),
        event_id: "evt_10".into(),
        result: Err(error.clone()),
    };
    assert_eq!(
        serde_json::to_value(&waiting)
            .ok()
            .and_then(|v| v.get("deferred").cloned()),
        Some(serde_json::json!(true))
    );
    assert!(!error.is_final());
}

/// A refund of `amount` for payment `pay_1`, event `evt_r{n}`.
fn refund(n: usize, amount: u128) -> PaymentEvent {
    event(&format!("evt_r{n}"), "pay_1", Refunded, amount)
}

#[test]
fn refunds_deferred_before_the_capture_that_then_fail_leave_the_queue() -> R {
    const REFUNDS: usize = 5_000;
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    // 5,000 refunds of 600.00 of a payment of 1,000.00, all before its capture.
    for n in 0..REFUNDS {
        let d = inbox.receive(&mut l, &refund(n, 60_000))?;
        assert_eq!(
            d.outcome,
            WebhookOutcome::Deferred {
                reason: DeferReason::NotCaptured
            }
        );
    }
    assert_eq!(inbox.deferred_len(), REFUNDS);
    // Events of another payment wait for its registration, untouched by pay_1's.
    inbox.receive(&mut l, &event("evt_x", "pay_x", Captured, 10_000))?;
    let c = inbox.receive(&mut l, &event("evt_c", "pay_1", Captured, 100_000))?;
    // The first refund applies; the 4,999 others pass the capture: refused for good, they
    // leave the queue and their keys are forgotten.
    assert_eq!(c.redriven.len(), REFUNDS);
    assert!(c.redriven.iter().all(|r| r.event_id.starts_with("evt_r")));
    assert!(matches!(
        c.redriven.first().map(|r| &r.result),
        Some(Ok(WebhookOutcome::Applied { .. }))
    ));
    let refused: Vec<&Redriven> = c.redriven.iter().filter(|r| r.result.is_err()).collect();
    assert_eq!(refused.len(), REFUNDS - 1);
    let capture_id = inbox
        .payment("moyasar", "pay_1")
        .and_then(|p| p.capture_id)
        .ok_or("capture")?;
    assert_eq!(
        refused.first().map(|r| r.result.clone()),
        Some(Err(WebhookError::RefundRefused {
            error: Box::new(RefundError::ExceedsPayment {
                payment_id: capture_id,
                unit: sar(),
                paid: 100_000,
                refunded: 60_000,
                requested: 60_000,
            })
        }))
    );
    assert!(refused
        .iter()
        .all(|r| r.result.as_ref().err().is_some_and(WebhookError::is_final)));
    assert_eq!(
        serde_json::to_value(refused.first().ok_or("refused")?)?.get("deferred"),
        Some(&serde_json::json!(false))
    );
    // Only pay_x's event waits; the refused ones are not seen any more.
    assert_eq!(inbox.deferred_len(), 1);
    assert_eq!(
        inbox
            .deferred()
            .map(|e| e.event_id.as_str())
            .collect::<Vec<_>>(),
        vec!["evt_x"]
    );
    assert!(inbox.outcome("moyasar", "evt_r1").is_none());
    assert!(matches!(
        inbox.outcome("moyasar", "evt_r0"),
        Some(WebhookOutcome::Applied { .. })
    ));
    assert_eq!(inbox.seen_len(), 3); // evt_r0, evt_x, evt_c
                                     // A later refund re-drives nothing: its cost is its own.
    let small = inbox.receive(&mut l, &refund(REFUNDS, 1))?;
    assert!(matches!(small.outcome, WebhookOutcome::Applied { .. }));
    assert_eq!(small.redriven, Vec::new());
    assert_eq!(
        inbox.payment("moyasar", "pay_1").map(|p| p.refunded),
        Some(60_001)
    );
    // A refused event delivered again is decided again: refused, nothing recorded.
    let again = inbox.receive(&mut l, &refund(1, 60_000)).err();
    assert_eq!(
        again.as_ref().map(WebhookError::code),
        Some("REFUND_REFUSED")
    );
    assert!(inbox.outcome("moyasar", "evt_r1").is_none());
    assert_eq!(inbox.deferred_len(), 1);
    // The ledger: the capture and two refunds.
    assert_eq!(l.entries().len(), 3);
    assert_eq!(balance(&l, WALLET), (39_999, 39_999));
    Ok(())
}

#[test]
fn the_deferred_queue_holds_at_most_max_deferred_events() -> R {
    use rihla_ledger::webhook::MAX_DEFERRED;
    assert_eq!(MAX_DEFERRED, 100_000);
    let mut l = ledger();
    let mut inbox = WebhookInbox::new();
    // Captures of a payment not registered yet: every one waits.
    let capture = |n: usize| event(&format!("evt_{n}"), "pay_1", Captured, 100_000);
    for n in 0..MAX_DEFERRED {
        inbox.receive(&mut l, &capture(n))?;
    }
    assert_eq!(inbox.deferred_len(), MAX_DEFERRED);
    let full = inbox.receive(&mut l, &capture(MAX_DEFERRED)).err();
    assert_eq!(
        full,
        Some(WebhookError::LimitExceeded {
            field: "deferred",
            limit: MAX_DEFERRED,
            actual: MAX_DEFERRED + 1
        })
    );
    assert_eq!(
        full.as_ref().map(WebhookError::code),
        Some("LIMIT_EXCEEDED")
    );
    assert_eq!(
        full.map(|e| e.to_value()),
        Some(serde_json::json!({
            "code": "LIMIT_EXCEEDED",
            "message": "deferred has 100001 entries, more than the limit of 100000",
            "field": "deferred", "limit": 100_000, "actual": 100_001
        }))
    );
    // Nothing recorded: the refused event is unknown, the queue unchanged; a duplicate of
    // a waiting event is still a duplicate.
    assert!(inbox
        .outcome("moyasar", &format!("evt_{MAX_DEFERRED}"))
        .is_none());
    assert_eq!(inbox.seen_len(), MAX_DEFERRED);
    let dup = inbox.receive(&mut l, &capture(7))?;
    assert!(matches!(dup.outcome, WebhookOutcome::Duplicate { .. }));
    // The registration decides them all (one capture, the others ignored): the queue is
    // empty and takes the refused event now.
    let redriven = inbox.register_payment(&mut l, &registration("pay_1"))?;
    assert_eq!(redriven.len(), MAX_DEFERRED);
    assert_eq!(inbox.deferred_len(), 0);
    assert_eq!(inbox.deferred().count(), 0);
    let later = inbox.receive(&mut l, &event("evt_x", "pay_2", Captured, 1))?;
    assert_eq!(
        later.outcome,
        WebhookOutcome::Deferred {
            reason: DeferReason::UnknownPayment
        }
    );
    assert_eq!(balance(&l, WALLET), (100_000, 100_000));
    Ok(())
}

fn over_refund_scenario() -> (Vec<PaymentRegistration>, Vec<PaymentEvent>) {
    let regs = vec![registration("p1")];
    let events = vec![
        event("a1", "p1", Authorized, 100_000),
        event("c1", "p1", Captured, 80_000),
        event("r1", "p1", Refunded, 30_000),
        event("r2", "p1", Refunded, 20_000),
        event("r3", "p1", Refunded, 40_000),
    ];
    (regs, events)
}

proptest! {
    /// Refunds that together pass the capture, in any order, with duplicates and the
    /// payment registered at any point: Σ refunds stays within the capture, the wallet
    /// holds the capture less the refunds applied, and no event is left waiting — a refund
    /// refused after it waited leaves the queue and is forgotten (a later delivery of it
    /// is refused again).
    #[test]
    fn refunds_past_the_capture_in_any_order_leave_nothing_waiting(
        order in prop::collection::vec(0usize..5, 0..8)
            .prop_map(|dups| (0..5).chain(dups).collect::<Vec<_>>())
            .prop_shuffle(),
        register_after in 0usize..14,
    ) {
        let (regs, events) = over_refund_scenario();
        let mut l = ledger();
        let mut inbox = WebhookInbox::new();
        let reg = regs.first().ok_or_else(|| TestCaseError::fail("registration"))?;
        for (step, i) in order.iter().enumerate() {
            if step == register_after {
                inbox.register_payment(&mut l, reg).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            let e = events.get(*i).ok_or_else(|| TestCaseError::fail("event"))?;
            match inbox.receive(&mut l, e) {
                Ok(_) => {}
                // Refused on delivery: only a refund past the capture.
                Err(err) => {
                    prop_assert_eq!(e.kind, Refunded);
                    prop_assert!(err.is_final(), "{:?}", err);
                }
            }
        }
        if register_after >= order.len() {
            inbox.register_payment(&mut l, reg).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(inbox.deferred_len(), 0);
        prop_assert_eq!(inbox.deferred().count(), 0);
        let p = inbox.payment("moyasar", "p1").ok_or_else(|| TestCaseError::fail("payment"))?;
        prop_assert_eq!((p.status, p.captured), (PaymentStatus::Captured, 80_000));
        prop_assert!(p.refunded <= 80_000 && p.refunded >= 50_000);
        let applied: u128 = ["r1", "r2", "r3"]
            .iter()
            .zip([30_000u128, 20_000, 40_000])
            .filter(|(id, _)| matches!(inbox.outcome("moyasar", id), Some(WebhookOutcome::Applied { .. })))
            .map(|(_, amount)| amount)
            .sum();
        prop_assert_eq!(applied, p.refunded);
        let wallet = i128::try_from(80_000 - p.refunded).unwrap_or(-1);
        prop_assert_eq!(balance(&l, WALLET), (wallet, wallet));
        // Every refund not applied is unknown to the inbox.
        for id in ["r1", "r2", "r3"] {
            let o = inbox.outcome("moyasar", id);
            let applied_or_unknown = o.is_none_or(|o| matches!(o, WebhookOutcome::Applied { .. }));
            prop_assert!(applied_or_unknown);
        }
    }
}

#[test]
fn an_inbox_records_at_most_its_limit_of_event_keys() -> R {
    use rihla_ledger::webhook::MAX_SEEN_EVENTS;
    assert_eq!(MAX_SEEN_EVENTS, 1_048_576);
    assert_eq!(WebhookInbox::new().seen_limit(), MAX_SEEN_EVENTS);
    let mut l = ledger();
    let mut inbox = WebhookInbox::with_seen_limit(3);
    inbox.register_payment(&mut l, &registration("pay_1"))?;
    inbox.receive(&mut l, &event("evt_a", "pay_1", Authorized, 100_000))?;
    inbox.receive(&mut l, &event("evt_c", "pay_1", Captured, 100_000))?;
    // A refund of a payment not registered waits: its key is seen too.
    inbox.receive(&mut l, &event("evt_w", "pay_2", Refunded, 1_000))?;
    assert_eq!(inbox.seen_len(), 3);
    let before = (inbox.clone(), l.entries().len(), balance(&l, WALLET));
    // A new event: refused, nothing recorded, nothing applied.
    let refund = event("evt_r", "pay_1", Refunded, 40_000);
    let full = inbox.receive(&mut l, &refund).err();
    assert_eq!(
        full,
        Some(WebhookError::LimitExceeded {
            field: "seen_events",
            limit: 3,
            actual: 4
        })
    );
    assert_eq!(
        full.map(|e| e.to_value()),
        Some(serde_json::json!({
            "code": "LIMIT_EXCEEDED",
            "message": "seen_events has 4 entries, more than the limit of 3",
            "field": "seen_events", "limit": 3, "actual": 4
        }))
    );
    assert_eq!(
        (inbox.clone(), l.entries().len(), balance(&l, WALLET)),
        before
    );
    // A duplicate of a key seen is still answered as one (the waiting event's too), and a
    // key reused with another body still refused as such.
    let dup = inbox.receive(&mut l, &event("evt_c", "pay_1", Captured, 100_000))?;
    assert!(matches!(dup.outcome, WebhookOutcome::Duplicate { .. }));
    let dup = inbox.receive(&mut l, &event("evt_w", "pay_2", Refunded, 1_000))?;
    assert!(matches!(dup.outcome, WebhookOutcome::Duplicate { .. }));
    assert_eq!(
        inbox
            .receive(&mut l, &event("evt_c", "pay_1", Captured, 1))
            .err()
            .map(|e| e.code()),
        Some("EVENT_ID_REUSED")
    );
    assert_eq!(
        (inbox.clone(), l.entries().len(), balance(&l, WALLET)),
        before
    );
    // A fresh inbox (what a host builds per payment) takes the refund; the ledger's ids
    // keep the effects once: the capture again is EXISTS, not a second credit.
    let mut next = WebhookInbox::with_seen_limit(3);
    next.register_payment(&mut l, &registration("pay_1"))?;
    next.receive(&mut l, &event("evt_a", "pay_1", Authorized, 100_000))?;
    next.receive(&mut l, &event("evt_c", "pay_1", Captured, 100_000))?;
    next.receive(&mut l, &refund)?;
    assert_eq!(balance(&l, WALLET), (60_000, 60_000));
    assert_eq!(l.entries().len(), 3, "hold, post, refund");
    Ok(())
}

proptest! {
    /// Any deliveries (new events, duplicates, a payment registered at any point) to an
    /// inbox with a small limit: it never records more keys than its limit; a refusal for
    /// the limit is of a new key and changes nothing; a key seen is always answered.
    #[test]
    fn an_inbox_never_records_more_keys_than_its_limit(
        limit in 0usize..6,
        deliveries in prop::collection::vec((0usize..8, 0usize..4), 0..24),
        register_at in 0usize..24,
    ) {
        let kinds = [Authorized, Captured, Refunded, Failed];
        let mut l = ledger();
        let mut inbox = WebhookInbox::with_seen_limit(limit);
        for (step, (n, k)) in deliveries.iter().enumerate() {
            if step == register_at {
                inbox
                    .register_payment(&mut l, &registration("pay_1"))
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            let kind = kinds.get(*k).copied().unwrap_or(Captured);
            let amount = if kind == Failed { 0 } else { 1_000 };
            let e = event(&format!("evt_{n}_{k}"), "pay_1", kind, amount);
            let seen = inbox.outcome("moyasar", &e.event_id).is_some();
            let before = (inbox.clone(), l.entries().len());
            match inbox.receive(&mut l, &e) {
                Ok(d) => {
                    prop_assert_eq!(seen, matches!(d.outcome, WebhookOutcome::Duplicate { .. }));
                }
                Err(WebhookError::LimitExceeded { field: "seen_events", limit: lim, actual }) => {
                    prop_assert!(!seen);
                    prop_assert_eq!((lim, actual), (limit, limit + 1));
                    prop_assert_eq!((inbox.clone(), l.entries().len()), before);
                }
                Err(other) => prop_assert!(!seen, "{other}"),
            }
            prop_assert!(inbox.seen_len() <= limit);
        }
    }
}

/// An inbox with a captured payment, a refund, a duplicate, an event for a payment not
/// registered yet (deferred) and a refund of a payment not captured yet (deferred).
fn busy_inbox() -> Result<(Ledger, WebhookInbox), E> {
    let (mut l, mut inbox) = deliver(&[
        event("evt_1", "pay_1", Captured, 100_000),
        event("evt_1", "pay_1", Captured, 100_000),
        event("evt_2", "pay_1", Refunded, 2_500),
        event("evt_3", "pay_2", Captured, 100_000),
    ])?;
    inbox.register_payment(&mut l, &registration("pay_3"))?;
    inbox.receive(&mut l, &event("evt_4", "pay_3", Refunded, 1_000))?;
    Ok((l, inbox))
}

#[test]
fn an_inbox_snapshot_restores_the_same_inbox() -> R {
    use rihla_ledger::webhook_snapshot::InboxSnapshot;
    let (l, inbox) = busy_inbox()?;
    assert_eq!(inbox.deferred_len(), 2);
    let snap = inbox.snapshot();
    let text = serde_json::to_string(&snap)?;
    let back = WebhookInbox::restore(&serde_json::from_str::<InboxSnapshot>(&text)?)?;
    assert_eq!(back, inbox);
    assert_eq!(back.snapshot(), snap);
    // Restored beside the restored ledger, it goes on as the original: registering pay_2
    // re-drives its deferred capture in both.
    let (mut l1, mut i1) = (l.clone(), inbox);
    let (mut l2, mut i2) = (Ledger::restore(&l.snapshot()?)?, back);
    let a = i1.register_payment(&mut l1, &registration("pay_2"))?;
    let b = i2.register_payment(&mut l2, &registration("pay_2"))?;
    assert_eq!(a, b);
    assert_eq!(i1, i2);
    assert_eq!(l1.last_hash(), l2.last_hash());
    assert_eq!(i1.deferred_len(), 1);
    Ok(())
}

#[test]
fn an_inconsistent_inbox_snapshot_is_refused() -> R {
    use rihla_ledger::webhook_snapshot::InboxSnapshotError;
    let (_, inbox) = busy_inbox()?;
    let snap = inbox.snapshot();
    let code = |s| {
        WebhookInbox::restore(&s)
            .err()
            .map(|e: InboxSnapshotError| e.code())
    };
    let mut s = snap.clone();
    s.format = 2;
    assert_eq!(code(s), Some("UNKNOWN_FORMAT"));
    let mut s = snap.clone();
    if let Some(p) = s.payments.first_mut() {
        p.refunded = p.captured + 1;
    }
    assert_eq!(code(s), Some("INCONSISTENT_SNAPSHOT"));
    let mut s = snap.clone();
    let first = s.deferred.first().cloned();
    s.deferred.extend(first);
    assert_eq!(code(s), Some("INCONSISTENT_SNAPSHOT"));
    let mut s = snap.clone();
    s.deferred.pop();
    assert_eq!(code(s), Some("INCONSISTENT_SNAPSHOT"));
    let mut s = snap.clone();
    s.seen_limit = 1;
    assert_eq!(code(s), Some("LIMIT_EXCEEDED"));
    let mut s = snap;
    let again = s.payments.first().cloned();
    s.payments.extend(again);
    assert_eq!(code(s), Some("INCONSISTENT_SNAPSHOT"));
    Ok(())
}
