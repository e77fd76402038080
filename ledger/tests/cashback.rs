//! Cashback (issue 6): PENDING as a hold on booking, APPROVED only after completion + hold
//! days (or an override by a named actor), CREDITED exactly once, CANCELLED before credit,
//! CLAWED_BACK after it with the wallet's shortfall as debt; terminal states refuse.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rihla_ledger::{
    Account, BookCashback, CashbackClawback, CashbackError, CashbackEvent, CashbackRecord,
    CashbackStatus, Code, Id, Ledger, Outcome, Transfer, TransferError, Unit,
};

type R = Result<(), Box<dyn std::error::Error>>;

const SOURCE: u128 = 5;
const BANK: u128 = 6;
const MERCHANT: u128 = 2001;
const WALLET: u128 = 1001;
const DEBT: u128 = 1101;

fn sar() -> Result<Unit, String> {
    Unit::parse("SAR")
}

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The cashback expense (debit-normal), a bank, a merchant, the customer's wallet (must
/// not go negative) and the customer's debt account (debit-normal).
fn setup() -> Result<(Ledger, Unit), Box<dyn std::error::Error>> {
    let sar = sar()?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(SOURCE, sar).debit_normal(),
        Account::new(BANK, sar).debit_normal(),
        Account::new(MERCHANT, sar),
        Account::new(WALLET, sar).must_not_go_negative(),
        Account::new(DEBT, sar).debit_normal(),
    ]);
    assert!(created.iter().all(Result::is_ok));
    Ok((l, sar))
}

/// SAR 899.87 cashback booked on 1 Nov 09:00 with a 7-day hold.
fn book(l: &mut Ledger, sar: Unit) -> Result<(CashbackRecord, Outcome), CashbackError> {
    CashbackRecord::book(
        l,
        &BookCashback {
            id: Id(3001),
            reference: "BKG-1042".into(),
            wallet: Id(WALLET),
            source: Id(SOURCE),
            amount: 89_987,
            unit: sar,
            at: t(1, 9),
            hold_days: 7,
        },
    )
}

/// (posted, pending credits) of the wallet.
fn wallet(l: &Ledger) -> (i128, u128) {
    l.account(Id(WALLET)).map_or((0, 0), |a| {
        (
            a.balances.posted(a.account.normal),
            a.balances.credits_pending,
        )
    })
}

fn posted(l: &Ledger, id: u128) -> i128 {
    l.account(Id(id))
        .map_or(0, |a| a.balances.posted(a.account.normal))
}

fn invalid(event: CashbackEvent, from: CashbackStatus, to: CashbackStatus) -> CashbackError {
    CashbackError::InvalidTransition { event, from, to }
}

#[test]
fn booked_completed_approved_after_the_hold_and_credited_exactly_once() -> R {
    let (mut l, sar) = setup()?;
    let (mut cb, outcome) = book(&mut l, sar)?;
    assert!(matches!(outcome, Outcome::Created { .. }));
    assert_eq!(cb.status, CashbackStatus::Pending);
    // The pending cashback shows as a pending credit of the wallet, not as money.
    assert_eq!(wallet(&l), (0, 89_987));

    cb.complete(t(3, 12))?;
    assert_eq!(cb.eligible_at(), Some(t(10, 12)));
    // One second before the hold ends: refused, naming the instant it ends.
    let early = cb.approve(t(10, 12) - Duration::seconds(1), "system", false);
    assert_eq!(
        early,
        Err(CashbackError::HoldNotOver {
            now: t(10, 12) - Duration::seconds(1),
            eligible_at: t(10, 12)
        })
    );
    assert_eq!(cb.status, CashbackStatus::Pending);
    cb.approve(t(10, 12), "system", false)?;
    assert_eq!(
        (cb.status, cb.approved_by.as_deref(), cb.hold_overridden),
        (CashbackStatus::Approved, Some("system"), false)
    );

    let stale = cb.clone();
    let credited = cb.credit(&mut l, t(10, 13))?;
    assert!(matches!(credited, Outcome::Created { .. }));
    assert_eq!((cb.status, cb.credited), (CashbackStatus::Credited, 89_987));
    assert_eq!(wallet(&l), (89_987, 0));
    assert_eq!(posted(&l, SOURCE), 89_987);

    // A second credit is refused; the wallet does not move.
    assert_eq!(
        cb.credit(&mut l, t(10, 14)),
        Err(invalid(
            CashbackEvent::Credit,
            CashbackStatus::Credited,
            CashbackStatus::Credited
        ))
    );
    // A copy of the record saved before the credit credits again: EXISTS at the ledger.
    let mut stale = stale;
    let replay = stale.credit(&mut l, t(11, 9))?;
    assert_eq!(
        replay,
        Outcome::Exists {
            seq: credited.seq()
        }
    );
    assert_eq!(wallet(&l), (89_987, 0));
    let events: Vec<CashbackEvent> = cb.history.iter().map(|h| h.event).collect();
    assert_eq!(
        events,
        vec![
            CashbackEvent::Book,
            CashbackEvent::Complete,
            CashbackEvent::Approve,
            CashbackEvent::Credit
        ]
    );
    assert_eq!(
        cb.history.last().map(|h| (h.from, h.to, h.at)),
        Some((
            Some(CashbackStatus::Approved),
            CashbackStatus::Credited,
            t(10, 13)
        ))
    );
    Ok(())
}

#[test]
fn approval_before_the_hold_needs_an_override_by_a_named_actor() -> R {
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    assert_eq!(
        cb.approve(t(2, 9), "system", false),
        Err(CashbackError::NotCompleted)
    );
    assert_eq!(
        cb.approve(t(2, 9), "  ", true),
        Err(CashbackError::OverrideNeedsActor)
    );
    assert_eq!(cb.status, CashbackStatus::Pending);
    cb.approve(t(2, 9), "ops:amal", true)?;
    assert_eq!(
        (
            cb.status,
            cb.approved_by.as_deref(),
            cb.approved_at,
            cb.hold_overridden
        ),
        (
            CashbackStatus::Approved,
            Some("ops:amal"),
            Some(t(2, 9)),
            true
        )
    );
    let h = cb.history.last().cloned();
    assert_eq!(
        h.map(|h| (h.event, h.actor, h.reason)),
        Some((
            CashbackEvent::Approve,
            Some("ops:amal".to_string()),
            "hold overridden".to_string()
        ))
    );
    // Approved once: a second approval is refused.
    assert_eq!(
        cb.approve(t(20, 9), "system", false),
        Err(invalid(
            CashbackEvent::Approve,
            CashbackStatus::Approved,
            CashbackStatus::Approved
        ))
    );
    cb.credit(&mut l, t(2, 10))?;
    assert_eq!(wallet(&l), (89_987, 0));
    // Completion is still a fact to record after an overridden credit.
    cb.complete(t(3, 9))?;
    assert_eq!(
        cb.complete(t(4, 9)),
        Err(CashbackError::AlreadyCompleted {
            completed_at: t(3, 9)
        })
    );
    Ok(())
}

#[test]
fn a_cancel_voids_the_hold_and_cancelled_is_terminal() -> R {
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    cb.complete(t(3, 12))?;
    cb.approve(t(10, 12), "system", false)?;
    let o = cb.cancel(&mut l, t(10, 13), "ops:amal", "booking refunded")?;
    assert!(matches!(o, Outcome::Created { .. }));
    assert_eq!(cb.status, CashbackStatus::Cancelled);
    assert_eq!(wallet(&l), (0, 0));
    assert_eq!(
        l.transfer(cb.hold_transfer_id()).map(|(_, s)| s),
        Some(rihla_ledger::PendingState::Voided)
    );
    let from = CashbackStatus::Cancelled;
    assert_eq!(
        cb.credit(&mut l, t(11, 9)),
        Err(invalid(
            CashbackEvent::Credit,
            from,
            CashbackStatus::Credited
        ))
    );
    assert_eq!(
        cb.approve(t(11, 9), "ops", true),
        Err(invalid(
            CashbackEvent::Approve,
            from,
            CashbackStatus::Approved
        ))
    );
    assert_eq!(
        cb.cancel(&mut l, t(11, 9), "", ""),
        Err(invalid(
            CashbackEvent::Cancel,
            from,
            CashbackStatus::Cancelled
        ))
    );
    assert_eq!(
        cb.complete(t(11, 9)),
        Err(invalid(CashbackEvent::Complete, from, from))
    );
    let claw = CashbackClawback {
        at: t(11, 9),
        amount: 1,
        unit: sar,
        debt_account: Id(DEBT),
        actor: None,
        reason: String::new(),
    };
    assert_eq!(
        cb.clawback(&mut l, &claw).err(),
        Some(invalid(
            CashbackEvent::Clawback,
            from,
            CashbackStatus::ClawedBack
        ))
    );
    assert_eq!(wallet(&l), (0, 0));
    assert_eq!(cb.history.len(), 4);
    Ok(())
}

#[test]
fn credited_cashback_cannot_be_cancelled_and_pending_cannot_be_clawed_back() -> R {
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    let claw = CashbackClawback {
        at: t(2, 9),
        amount: 100,
        unit: sar,
        debt_account: Id(DEBT),
        actor: Some("system".into()),
        reason: "refund".into(),
    };
    assert_eq!(
        cb.clawback(&mut l, &claw).err(),
        Some(invalid(
            CashbackEvent::Clawback,
            CashbackStatus::Pending,
            CashbackStatus::ClawedBack
        ))
    );
    assert_eq!(
        cb.credit(&mut l, t(2, 9)),
        Err(invalid(
            CashbackEvent::Credit,
            CashbackStatus::Pending,
            CashbackStatus::Credited
        ))
    );
    cb.approve(t(2, 9), "ops:amal", true)?;
    cb.credit(&mut l, t(2, 10))?;
    assert_eq!(
        cb.cancel(&mut l, t(2, 11), "ops:amal", "too late"),
        Err(invalid(
            CashbackEvent::Cancel,
            CashbackStatus::Credited,
            CashbackStatus::Cancelled
        ))
    );
    assert_eq!(wallet(&l), (89_987, 0));
    Ok(())
}

#[test]
fn a_clawback_after_credit_takes_what_the_wallet_holds_and_records_the_rest_as_debt() -> R {
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    cb.complete(t(3, 12))?;
    cb.approve(t(10, 12), "system", false)?;
    cb.credit(&mut l, t(10, 13))?;
    // The customer spends SAR 500.00 of the 899.87.
    let spend = Transfer::new(
        70u128,
        WALLET,
        MERCHANT,
        50_000,
        sar,
        Code::Payment,
        t(11, 9),
    );
    assert!(l.apply(&[spend])?.iter().all(Result::is_ok));
    let before = cb.clone();
    let mut claw = CashbackClawback {
        at: t(20, 9),
        amount: 100_000, // more than credited: capped at 899.87
        unit: sar,
        debt_account: Id(DEBT),
        actor: Some("system".into()),
        reason: "refund RF-55".into(),
    };
    // The wrong unit, a zero amount, an unknown debt account: refused, nothing changes.
    claw.unit = Unit::parse("USD")?;
    assert_eq!(
        cb.clawback(&mut l, &claw).err().map(|e| e.code()),
        Some("UNIT_MISMATCH")
    );
    claw.unit = sar;
    claw.amount = 0;
    assert_eq!(
        cb.clawback(&mut l, &claw).err(),
        Some(CashbackError::AmountMustNotBeZero)
    );
    claw.amount = 100_000;
    claw.debt_account = Id(999);
    assert_eq!(
        cb.clawback(&mut l, &claw).err(),
        Some(CashbackError::Ledger {
            error: TransferError::DebitAccountNotFound {
                account_id: Id(999)
            }
        })
    );
    assert_eq!(cb, before);
    assert_eq!(wallet(&l), (39_987, 0));

    // The refusals were caught before the ledger: no id is failed for good, the same
    // record claws back with the right debt account. The wallet holds 399.87 of the
    // 899.87 (capped from 1,000.00): 399.87 back from the wallet, 500.00 as debt.
    let mut cb2 = cb;
    claw.debt_account = Id(DEBT);
    let r = cb2.clawback(&mut l, &claw)?;
    assert_eq!(
        (r.requested, r.applied, r.from_wallet, r.debt),
        (100_000, 89_987, 39_987, 50_000)
    );
    assert_eq!(r.reversal_transfer, Some(cb2.clawback_transfer_id()));
    assert_eq!(r.debt_transfer, Some(cb2.debt_transfer_id()));
    assert_eq!(r.outcomes.len(), 2);
    assert_eq!(wallet(&l), (0, 0));
    assert_eq!(posted(&l, DEBT), 50_000);
    assert_eq!(posted(&l, SOURCE), 89_987 - 39_987 - 50_000);
    assert_eq!(
        (cb2.status, cb2.clawed_back, cb2.debt),
        (CashbackStatus::ClawedBack, 39_987, 50_000)
    );
    let json = serde_json::to_value(&r)?;
    assert_eq!(
        (json["debt"].clone(), json["from_wallet"].clone()),
        ("500.00".into(), "399.87".into())
    );
    // Clawed back is terminal.
    assert_eq!(
        cb2.clawback(&mut l, &claw).err(),
        Some(invalid(
            CashbackEvent::Clawback,
            CashbackStatus::ClawedBack,
            CashbackStatus::ClawedBack
        ))
    );
    assert_eq!(
        cb2.credit(&mut l, t(21, 9)),
        Err(invalid(
            CashbackEvent::Credit,
            CashbackStatus::ClawedBack,
            CashbackStatus::Credited
        ))
    );
    let h = cb2.history.last().cloned();
    assert_eq!(
        h.map(|h| (h.event, h.actor, h.reason)),
        Some((
            CashbackEvent::Clawback,
            Some("system".into()),
            "refund RF-55".into()
        ))
    );
    Ok(())
}

#[test]
fn a_clawback_from_a_funded_wallet_needs_no_debt() -> R {
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    cb.approve(t(1, 10), "ops:amal", true)?;
    cb.credit(&mut l, t(1, 11))?;
    let deposit = Transfer::new(80u128, BANK, WALLET, 10_000, sar, Code::Deposit, t(1, 12));
    assert!(l.apply(&[deposit])?.iter().all(Result::is_ok));
    let r = cb.clawback(
        &mut l,
        &CashbackClawback {
            at: t(2, 9),
            amount: 40_000,
            unit: sar,
            debt_account: Id(DEBT),
            actor: None,
            reason: "partial refund".into(),
        },
    )?;
    assert_eq!(
        (r.applied, r.from_wallet, r.debt, r.debt_transfer),
        (40_000, 40_000, 0, None)
    );
    assert_eq!(r.outcomes.len(), 1);
    assert_eq!(wallet(&l), (89_987 + 10_000 - 40_000, 0));
    assert_eq!(posted(&l, DEBT), 0);
    Ok(())
}

#[test]
fn a_booking_on_an_unknown_wallet_is_refused_before_the_ledger() -> R {
    let (mut l, sar) = setup()?;
    let mut req = BookCashback {
        id: Id(3001),
        reference: "BKG-1042".into(),
        wallet: Id(4242),
        source: Id(SOURCE),
        amount: 89_987,
        unit: sar,
        at: t(1, 9),
        hold_days: 7,
    };
    let r = CashbackRecord::book(&mut l, &req);
    assert_eq!(
        r.err(),
        Some(CashbackError::Ledger {
            error: TransferError::CreditAccountNotFound {
                account_id: Id(4242)
            }
        })
    );
    assert!(l.entries().is_empty());
    // The hold id was not failed for good: the corrected booking goes through.
    req.wallet = Id(WALLET);
    let (cb, outcome) = CashbackRecord::book(&mut l, &req)?;
    assert!(matches!(outcome, Outcome::Created { .. }));
    assert_eq!(cb.status, CashbackStatus::Pending);
    Ok(())
}

#[test]
fn a_refused_credit_leaves_the_record_unchanged() -> R {
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    cb.approve(t(1, 10), "ops:amal", true)?;
    // Someone voided the hold directly at the ledger.
    let void = Transfer::resolve(99u128, cb.hold_transfer_id(), false, 0, t(1, 11));
    assert!(l.apply(&[void])?.iter().all(Result::is_ok));
    let before = cb.clone();
    let r = cb.credit(&mut l, t(1, 12));
    assert_eq!(
        r,
        Err(CashbackError::Ledger {
            error: TransferError::PendingTransferAlreadyVoided {
                pending_id: cb.hold_transfer_id()
            }
        })
    );
    assert_eq!(
        r.err().map(|e| e.to_value()["refused_by"].clone()),
        Some("ledger".into())
    );
    assert_eq!(cb, before);
    assert_eq!(wallet(&l), (0, 0));
    Ok(())
}

#[test]
fn records_and_requests_round_trip_through_json() -> R {
    let (mut l, sar) = setup()?;
    let req: BookCashback = serde_json::from_str(
        r#"{"id": "3001", "reference": "BKG-1042", "wallet": "1001", "source": "5",
            "amount": "899.87", "unit": "SAR", "at": "2026-11-01T09:00:00Z", "hold_days": 7}"#,
    )?;
    assert_eq!((req.amount, req.unit), (89_987, sar));
    let (mut cb, _) = CashbackRecord::book(&mut l, &req)?;
    cb.complete(t(3, 12))?;
    cb.approve(t(10, 12), "system", false)?;
    cb.credit(&mut l, t(10, 13))?;
    let json = serde_json::to_value(&cb)?;
    assert_eq!(json["status"], "CREDITED");
    assert_eq!(json["amount"], "899.87");
    assert_eq!(json["credited"], "899.87");
    assert_eq!(json["completed_at"], "2026-11-03T12:00:00Z");
    assert_eq!(json["history"][3]["event"], "CREDIT");
    let back: CashbackRecord = serde_json::from_value(json.clone())?;
    assert_eq!(back, cb);
    let mut broken = json;
    broken["credited"] = "0.00".into();
    assert!(serde_json::from_value::<CashbackRecord>(broken).is_err());
    let err = invalid(
        CashbackEvent::Credit,
        CashbackStatus::Credited,
        CashbackStatus::Credited,
    );
    let v = err.to_value();
    assert_eq!(
        (v["code"].clone(), v["event"].clone(), v["from"].clone()),
        (
            "INVALID_TRANSITION".into(),
            "CREDIT".into(),
            "CREDITED".into()
        )
    );
    Ok(())
}

#[test]
fn an_actor_or_reason_past_its_limit_is_refused_and_changes_nothing() -> R {
    use rihla_ledger::cashback::{MAX_ACTOR_CHARS, MAX_REASON_CHARS};
    assert_eq!((MAX_ACTOR_CHARS, MAX_REASON_CHARS), (128, 128));
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    let before = cb.clone();
    let too_long = |field: &'static str, length: usize| CashbackError::TooLong {
        field,
        length,
        limit: 128,
    };
    // 129 characters (multi-byte ones count once), trimmed first for an actor.
    let actor = "é".repeat(129);
    assert_eq!(
        cb.approve(t(2, 9), &actor, true).err(),
        Some(too_long("actor", 129))
    );
    assert_eq!(cb, before);
    let err = cb.cancel(&mut l, t(2, 9), "ops", &"x".repeat(129)).err();
    assert_eq!(err, Some(too_long("reason", 129)));
    let v = err.map(|e| e.to_value()).unwrap_or_default();
    assert_eq!(
        (
            v["code"].clone(),
            v["field"].clone(),
            v["length"].clone(),
            v["limit"].clone()
        ),
        ("TOO_LONG".into(), "reason".into(), 129.into(), 128.into())
    );
    assert_eq!(
        cb.cancel(&mut l, t(2, 9), &"a".repeat(10_000), "").err(),
        Some(too_long("actor", 10_000))
    );
    assert_eq!(cb, before);
    assert_eq!(l.entries().len(), 1, "only the hold: no void");
    // At the limits (an actor padded with blanks is trimmed), both are recorded.
    let actor = format!("  {}  ", "é".repeat(128));
    cb.approve(t(2, 9), &actor, true)?;
    assert_eq!(cb.approved_by, Some("é".repeat(128)));
    cb.cancel(&mut l, t(2, 10), &"o".repeat(128), &"r".repeat(128))?;
    assert_eq!(cb.status, CashbackStatus::Cancelled);
    let last = cb.history.last().cloned();
    assert_eq!(
        last.map(|h| (h.actor, h.reason)),
        Some((Some("o".repeat(128)), "r".repeat(128)))
    );

    // A clawback request's actor and reason too, before any transfer.
    let (mut l, sar) = setup()?;
    let (mut cb, _) = book(&mut l, sar)?;
    cb.approve(t(1, 10), "ops:amal", true)?;
    cb.credit(&mut l, t(1, 11))?;
    let credited = cb.clone();
    let entries = l.entries().len();
    let claw = CashbackClawback {
        at: t(20, 9),
        amount: 100,
        unit: sar,
        debt_account: Id(DEBT),
        actor: Some("a".repeat(129)),
        reason: String::new(),
    };
    assert_eq!(
        cb.clawback(&mut l, &claw).err(),
        Some(too_long("actor", 129))
    );
    let claw = CashbackClawback {
        actor: None,
        reason: "r".repeat(129),
        ..claw
    };
    assert_eq!(
        cb.clawback(&mut l, &claw).err(),
        Some(too_long("reason", 129))
    );
    assert_eq!((cb, l.entries().len()), (credited, entries));
    Ok(())
}
