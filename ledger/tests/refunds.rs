//! Refunds and reversals (issue 6): Σ refunds of a payment ≤ the payment; a reversal of a
//! multi-leg booking restores every account; a second reversal fails with
//! `ALREADY_REVERSED` (Formance: a transaction reverts at most once).

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rihla_ledger::{
    reversal_id, Account, Code, Id, Ledger, Outcome, PendingState, RefundError, RefundRequest,
    Refunds, ReversalError, ReversalRequest, Transfer, TransferError, TransferFlags, Unit,
};

type R = Result<(), Box<dyn std::error::Error>>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

const BANK: u128 = 1;
const WALLET: u128 = 1001;
const MERCHANT: u128 = 2001;
const ESCROW: u128 = 3001;
const PLATFORM: u128 = 4001;
const OWNER: u128 = 5001;

/// A bank (debit-normal); a wallet holding SAR 5,000.00, a booking escrow and an owner's
/// account, all three refusing to go negative; a merchant and the platform's revenue.
fn ledger() -> Result<(Ledger, Unit), Box<dyn std::error::Error>> {
    let sar = Unit::parse("SAR")?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar).must_not_go_negative(),
        Account::new(MERCHANT, sar).must_not_go_negative(),
        Account::new(ESCROW, sar).must_not_go_negative(),
        Account::new(PLATFORM, sar),
        Account::new(OWNER, sar).must_not_go_negative(),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let r = l.apply(&[Transfer::new(
        1u128,
        BANK,
        WALLET,
        500_000,
        sar,
        Code::Deposit,
        at(0),
    )])?;
    assert!(r.iter().all(Result::is_ok));
    Ok((l, sar))
}

fn balance(l: &Ledger, id: u128) -> i128 {
    l.account(Id(id))
        .map_or(0, |a| a.balances.posted(a.account.normal))
}

fn refund(id: u128, payment: u128, amount: u128, minute: i64) -> RefundRequest {
    RefundRequest {
        id: Id(id),
        payment_id: Id(payment),
        amount,
        at: at(minute),
        reference: format!("RF-{id}"),
    }
}

/// SAR 1,000.00 paid from the wallet to the merchant (transfer 100).
fn paid() -> Result<(Ledger, Unit), Box<dyn std::error::Error>> {
    let (mut l, sar) = ledger()?;
    let r = l.apply(&[Transfer::new(
        100u128,
        WALLET,
        MERCHANT,
        100_000,
        sar,
        Code::Payment,
        at(1),
    )
    .with_reference("BK-1")])?;
    assert!(r.iter().all(Result::is_ok));
    Ok((l, sar))
}

#[test]
fn three_partial_refunds_fit_and_one_halala_more_is_refused() -> R {
    let (mut l, sar) = paid()?;
    let mut refunds = Refunds::new();
    let mut totals = Vec::new();
    for (i, amount) in [40_000u128, 40_000, 20_000].into_iter().enumerate() {
        let k = i as u128;
        let receipt = refunds.refund(&mut l, &refund(200 + k, 100, amount, 2 + i as i64))?;
        assert!(matches!(receipt.outcome, Outcome::Created { .. }));
        assert_eq!((receipt.paid, receipt.unit), (100_000, sar));
        totals.push((receipt.refunded, receipt.remaining()));
    }
    assert_eq!(
        totals,
        vec![(40_000, 60_000), (80_000, 20_000), (100_000, 0)]
    );
    assert_eq!(balance(&l, WALLET), 500_000);
    assert_eq!(balance(&l, MERCHANT), 0);
    let entries = l.entries().len();
    let e = refunds.refund(&mut l, &refund(203, 100, 1, 6)).err();
    assert_eq!(
        e,
        Some(RefundError::ExceedsPayment {
            payment_id: Id(100),
            unit: sar,
            paid: 100_000,
            refunded: 100_000,
            requested: 1
        })
    );
    assert_eq!(e.as_ref().map(RefundError::code), Some("EXCEEDS_PAYMENT"));
    assert_eq!(l.entries().len(), entries);
    assert_eq!(refunds.refunded(Id(100)), 100_000);
    assert_eq!(refunds.refunds_of(Id(100)), &[Id(200), Id(201), Id(202)]);
    // The refund transfers go the payment's way back, coded REFUND.
    let (t, _) = l.transfer(Id(201)).ok_or("refund 201")?;
    assert_eq!(
        (t.debit_account_id, t.credit_account_id, t.code),
        (Id(MERCHANT), Id(WALLET), Some(Code::Refund))
    );
    // JSON of the refusal: the values that decided it, as digits of minor units.
    let v = serde_json::to_value(e.ok_or("error")?)?;
    assert_eq!(v["code"], "EXCEEDS_PAYMENT");
    assert_eq!(
        (&v["paid"], &v["refunded"], &v["requested"]),
        (
            &serde_json::json!("100000"),
            &serde_json::json!("100000"),
            &serde_json::json!("1")
        )
    );
    Ok(())
}

#[test]
fn a_retried_refund_returns_the_first_result() -> R {
    let (mut l, _) = paid()?;
    let mut refunds = Refunds::new();
    let first = refunds.refund(&mut l, &refund(200, 100, 40_000, 2))?;
    let entries = l.entries().len();
    let again = refunds.refund(&mut l, &refund(200, 100, 40_000, 9))?;
    assert_eq!(
        again.outcome,
        Outcome::Exists {
            seq: first.outcome.seq()
        }
    );
    assert_eq!(
        (again.refunded, again.amount, again.paid),
        (first.refunded, first.amount, first.paid)
    );
    assert_eq!(l.entries().len(), entries);
    assert_eq!(balance(&l, WALLET), 440_000);
    assert_eq!(refunds.refunded(Id(100)), 40_000);
    // The same id for another amount or payment is refused.
    assert_eq!(
        refunds.refund(&mut l, &refund(200, 100, 40_001, 9)).err(),
        Some(RefundError::IdReused {
            refund_id: Id(200),
            field: "amount"
        })
    );
    // A registry restored from its receipts knows the refund.
    let restored = Refunds::from_receipts(refunds.receipts().cloned());
    assert_eq!(restored, refunds);
    Ok(())
}

#[test]
fn only_posted_payments_are_refunded() -> R {
    let (mut l, sar) = paid()?;
    let mut refunds = Refunds::new();
    let hold = Transfer::new(110u128, WALLET, MERCHANT, 30_000, sar, Code::Payment, at(2))
        .with_flags(TransferFlags {
            pending: true,
            ..TransferFlags::default()
        });
    l.apply(&[hold])?;
    assert_eq!(
        refunds.refund(&mut l, &refund(300, 110, 1_000, 3)).err(),
        Some(RefundError::PaymentNotPosted {
            payment_id: Id(110),
            kind: "PENDING",
            state: PendingState::Pending
        })
    );
    // Its post is the payment that moved money: 200.00 of the 300.00 held.
    l.apply(&[Transfer::resolve(111u128, 110u128, true, 20_000, at(3))])?;
    let r = refunds.refund(&mut l, &refund(301, 111, 20_000, 4))?;
    assert_eq!((r.paid, r.refunded), (20_000, 20_000));
    assert_eq!(
        refunds.refund(&mut l, &refund(302, 1, 1_000, 5)).err(),
        Some(RefundError::NotAPayment {
            payment_id: Id(1),
            transfer_code: Some(Code::Deposit)
        })
    );
    assert_eq!(
        refunds.refund(&mut l, &refund(303, 999, 1_000, 5)).err(),
        Some(RefundError::PaymentNotFound {
            payment_id: Id(999)
        })
    );
    Ok(())
}

#[test]
fn a_refund_the_ledger_refuses_changes_nothing_and_stays_failed() -> R {
    let (mut l, sar) = paid()?;
    // The merchant moved 800.00 out: a refund of 500.00 no longer fits its balance.
    l.apply(&[Transfer::new(
        120u128,
        MERCHANT,
        BANK,
        80_000,
        sar,
        Code::Withdrawal,
        at(2),
    )])?;
    let mut refunds = Refunds::new();
    let before = refunds.clone();
    let e = refunds.refund(&mut l, &refund(400, 100, 50_000, 3)).err();
    assert_eq!(
        e,
        Some(RefundError::LedgerRefused {
            refund_id: Id(400),
            error: TransferError::ExceedsCredits {
                account_id: Id(MERCHANT),
                available: "20000".into(),
                amount: "50000".into()
            }
        })
    );
    assert_eq!(refunds, before);
    assert_eq!(balance(&l, MERCHANT), 20_000);
    // TigerBeetle's sticky failure: the same refund id fails from now on; a new id works.
    l.apply(&[Transfer::new(
        121u128,
        BANK,
        MERCHANT,
        80_000,
        sar,
        Code::Deposit,
        at(4),
    )])?;
    let again = refunds.refund(&mut l, &refund(400, 100, 50_000, 5)).err();
    assert_eq!(
        again.and_then(|e| match e {
            RefundError::LedgerRefused { error, .. } => Some(error.code()),
            _ => None,
        }),
        Some("ID_ALREADY_FAILED")
    );
    let ok = refunds.refund(&mut l, &refund(401, 100, 50_000, 6))?;
    assert_eq!(ok.refunded, 50_000);
    Ok(())
}

/// A booking of SAR 1,000.00 in three legs: the wallet pays the escrow, the escrow pays the
/// platform 100.00 commission and the owner 900.00.
fn booked(l: &mut Ledger, sar: Unit, base: u128) -> Result<[u128; 3], Box<dyn std::error::Error>> {
    let legs = [base, base + 1, base + 2];
    let r = l.apply(&[
        Transfer::new(legs[0], WALLET, ESCROW, 100_000, sar, Code::Payment, at(10))
            .with_reference("BK-7"),
        Transfer::new(
            legs[1],
            ESCROW,
            PLATFORM,
            10_000,
            sar,
            Code::Commission,
            at(10),
        )
        .with_reference("BK-7"),
        Transfer::new(legs[2], ESCROW, OWNER, 90_000, sar, Code::Payment, at(10))
            .with_reference("BK-7"),
    ])?;
    assert!(r.iter().all(Result::is_ok), "{r:?}");
    Ok(legs)
}

const ALL: [u128; 6] = [BANK, WALLET, MERCHANT, ESCROW, PLATFORM, OWNER];

fn balances(l: &Ledger) -> Vec<i128> {
    ALL.iter().map(|id| balance(l, *id)).collect()
}

#[test]
fn a_reversal_of_a_three_leg_booking_restores_every_account_once() -> R {
    let (mut l, sar) = ledger()?;
    let before = balances(&l);
    let legs = booked(&mut l, sar, 500)?;
    assert_eq!(balances(&l), vec![500_000, 400_000, 0, 0, 10_000, 90_000]);
    let request = ReversalRequest {
        transfer_ids: legs.iter().map(|id| Id(*id)).collect(),
        at: at(20),
        reason: "BK-7 cancelled".into(),
    };
    let receipt = l.reverse(&request)?;
    assert_eq!(balances(&l), before);
    // Undone newest first, so the escrow is refilled before it pays the wallet back.
    let order: Vec<(Id, Id, u128)> = receipt
        .legs
        .iter()
        .map(|g| (g.transfer_id, g.reversal_id, g.amount))
        .collect();
    assert_eq!(
        order,
        vec![
            (Id(502), reversal_id(Id(502), 0), 90_000),
            (Id(501), reversal_id(Id(501), 0), 10_000),
            (Id(500), reversal_id(Id(500), 0), 100_000),
        ]
    );
    let (t, _) = l.transfer(reversal_id(Id(500), 0)).ok_or("reversal")?;
    assert_eq!(
        (
            t.debit_account_id,
            t.credit_account_id,
            t.code,
            t.reference.as_str()
        ),
        (
            Id(ESCROW),
            Id(WALLET),
            Some(Code::Reversal),
            "BK-7 cancelled"
        )
    );
    assert_eq!(l.reversal_of(Id(501)), Some(reversal_id(Id(501), 0)));
    // Any second reversal, a retry of the same request included, is refused.
    let entries = l.entries().len();
    let second = l.reverse(&ReversalRequest {
        transfer_ids: vec![Id(501)],
        ..request.clone()
    });
    assert_eq!(
        second.err(),
        Some(ReversalError::AlreadyReversed {
            transfer_id: Id(501),
            reversal_id: reversal_id(Id(501), 0)
        })
    );
    let retry = l.reverse(&request).err();
    assert_eq!(
        retry.as_ref().map(ReversalError::code),
        Some("ALREADY_REVERSED")
    );
    // A reversal is not reversed in turn.
    assert_eq!(
        l.reverse(&ReversalRequest {
            transfer_ids: vec![reversal_id(Id(500), 0)],
            ..request
        })
        .err(),
        Some(ReversalError::NotReversible {
            transfer_id: reversal_id(Id(500), 0),
            reason: "REVERSAL"
        })
    );
    assert_eq!(l.entries().len(), entries);
    assert_eq!(balances(&l), before);
    Ok(())
}

#[test]
fn a_reversal_the_wallet_cannot_fund_fails_whole_and_works_once_funded() -> R {
    let (mut l, sar) = ledger()?;
    let before = balances(&l);
    let legs = booked(&mut l, sar, 600)?;
    // The owner withdrew 500.00 of the 900.00 paid out.
    l.apply(&[Transfer::new(
        610u128,
        OWNER,
        BANK,
        50_000,
        sar,
        Code::Withdrawal,
        at(11),
    )])?;
    let after_booking = balances(&l);
    let entries = l.entries().len();
    let request = ReversalRequest {
        transfer_ids: legs.iter().map(|id| Id(*id)).collect(),
        at: at(20),
        reason: "BK-7 cancelled".into(),
    };
    let e = l.reverse(&request).err();
    assert_eq!(
        e,
        Some(ReversalError::LedgerRefused {
            transfer_id: Id(602),
            reversal_id: reversal_id(Id(602), 0),
            error: TransferError::ExceedsCredits {
                account_id: Id(OWNER),
                available: "40000".into(),
                amount: "90000".into()
            }
        })
    );
    assert_eq!(balances(&l), after_booking);
    assert_eq!(l.entries().len(), entries);
    assert_eq!(l.reversal_of(Id(600)), None);
    // The owner pays the 500.00 back; the reversal then goes through, its payout leg with
    // the next attempt's id (the first stays failed in the ledger).
    l.apply(&[Transfer::new(
        611u128,
        BANK,
        OWNER,
        50_000,
        sar,
        Code::Deposit,
        at(12),
    )])?;
    let receipt = l.reverse(&request)?;
    assert_eq!(
        receipt.legs.first().map(|g| g.reversal_id),
        Some(reversal_id(Id(602), 1))
    );
    assert_eq!(l.reversal_of(Id(602)), Some(reversal_id(Id(602), 1)));
    let mut expected = before;
    // The bank's balance: the withdrawal and the deposit back cancel.
    expected[0] = balance(&l, BANK);
    assert_eq!(balances(&l), expected);
    assert!(matches!(
        l.reverse(&request).err(),
        Some(ReversalError::AlreadyReversed { .. })
    ));
    Ok(())
}

#[test]
fn pending_transfers_are_voided_not_reversed_and_reversed_payments_are_not_refunded() -> R {
    let (mut l, sar) = paid()?;
    let hold = Transfer::new(130u128, WALLET, MERCHANT, 1_000, sar, Code::Payment, at(2))
        .with_flags(TransferFlags {
            pending: true,
            ..TransferFlags::default()
        });
    l.apply(&[hold])?;
    let req = |ids: Vec<u128>| ReversalRequest {
        transfer_ids: ids.into_iter().map(Id).collect(),
        at: at(3),
        reason: "cancel".into(),
    };
    assert_eq!(
        l.reverse(&req(vec![130])).err(),
        Some(ReversalError::NotReversible {
            transfer_id: Id(130),
            reason: "PENDING"
        })
    );
    assert_eq!(
        l.reverse(&req(vec![100, 100])).err(),
        Some(ReversalError::DuplicateTransfer {
            transfer_id: Id(100)
        })
    );
    assert_eq!(
        l.reverse(&req(vec![77])).err(),
        Some(ReversalError::TransferNotFound {
            transfer_id: Id(77)
        })
    );
    assert_eq!(l.reverse(&req(vec![])).err(), Some(ReversalError::Empty));
    let mut refunds = Refunds::new();
    refunds.refund(&mut l, &refund(140, 100, 10_000, 4))?;
    // Reverse the payment with its refund: the wallet is where it was before paying.
    l.reverse(&req(vec![100, 140]))?;
    assert_eq!(balance(&l, WALLET), 500_000);
    assert_eq!(balance(&l, MERCHANT), 0);
    assert_eq!(
        refunds.refund(&mut l, &refund(141, 100, 10_000, 5)).err(),
        Some(RefundError::PaymentReversed {
            payment_id: Id(100),
            reversal_id: reversal_id(Id(100), 0)
        })
    );
    Ok(())
}

proptest! {
    /// Refund bounds: whatever refunds are asked (any amounts, retried ids), Σ refunds
    /// never passes the payment, the registry agrees with the ledger, and every refusal
    /// for the bound names paid, refunded and requested truly.
    #[test]
    fn refunds_never_pass_the_payment(
        asks in prop::collection::vec((0u128..8, 1u128..60_000), 1..24)
    ) {
        let (mut l, _) = paid().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut refunds = Refunds::new();
        let mut amounts = std::collections::BTreeMap::new();
        for (i, (id, amount)) in asks.into_iter().enumerate() {
            let id = 200 + id;
            let r = refunds.refund(&mut l, &refund(id, 100, amount, i as i64));
            match r {
                Ok(receipt) => {
                    let first = *amounts.entry(id).or_insert(amount);
                    prop_assert_eq!(first, amount);
                    prop_assert!(receipt.refunded <= 100_000);
                }
                Err(RefundError::ExceedsPayment { paid, refunded, requested, .. }) => {
                    prop_assert_eq!(paid, 100_000);
                    prop_assert_eq!(refunded, refunds.refunded(Id(100)));
                    prop_assert_eq!(requested, amount);
                    prop_assert!(refunded + requested > paid);
                }
                Err(RefundError::IdReused { refund_id, .. }) => {
                    prop_assert!(amounts.get(&refund_id.0).is_some_and(|a| *a != amount));
                }
                Err(e) => prop_assert!(false, "unexpected {:?}", e),
            }
            let total: u128 = amounts.values().sum();
            prop_assert_eq!(refunds.refunded(Id(100)), total);
            prop_assert!(total <= 100_000);
            prop_assert_eq!(balance(&l, MERCHANT), 100_000 - total as i128);
            prop_assert_eq!(balance(&l, WALLET), 400_000 + total as i128);
        }
    }
}

#[test]
fn a_refund_order_reads_its_amount_at_the_payment_unit() -> R {
    use rihla_ledger::RefundOrder;
    let (mut l, sar) = ledger()?;
    l.apply(&[Transfer::new(
        2u128,
        WALLET,
        MERCHANT,
        125_050,
        sar,
        Code::Payment,
        at(1),
    )])?;
    let mut refunds = Refunds::new();
    let order = |id: &str, payment: &str, amount: &str| -> Result<RefundOrder, serde_json::Error> {
        serde_json::from_value(serde_json::json!({
            "id": id, "payment_id": payment, "amount": amount, "at": "2026-11-22T09:00:00Z"
        }))
    };
    let receipt = refunds.refund_order(&mut l, &order("90", "2", "250.00")?)?;
    assert_eq!((receipt.amount, receipt.refunded), (25_000, 25_000));
    assert_eq!(balance(&l, WALLET), 500_000 - 125_050 + 25_000);
    // Finer than halalas: refused, nothing moves.
    assert_eq!(
        refunds.refund_order(&mut l, &order("91", "2", "1.005")?),
        Err(RefundError::InvalidAmount {
            field: "amount",
            reason: "1.005 has more decimal places than SAR's 2".into()
        })
    );
    // An unknown payment is that, whatever the amount.
    assert_eq!(
        refunds
            .refund_order(&mut l, &order("92", "77", "1.005")?)
            .map_err(|e| e.code()),
        Err("PAYMENT_NOT_FOUND")
    );
    assert_eq!(l.entries().len(), 3);
    Ok(())
}
