//! The transfer engine's behaviours, each from a failure seen at peers (issue 6): holds
//! that did not lower the available balance, duplicate webhooks that credited twice,
//! pending transfers resolved twice, partial chains, tampered journals.

use chrono::{DateTime, Utc};
use rihla_ledger::{
    audit, Account, Code, Id, Ledger, Outcome, PendingState, Transfer, TransferError,
    TransferFlags, Unit,
};

type R = Result<(), Box<dyn std::error::Error>>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

fn sar() -> Result<Unit, String> {
    Unit::parse("SAR")
}

const BANK: u128 = 1;
const WALLET: u128 = 1001;
const MERCHANT: u128 = 2001;

/// A bank (debit-normal), a wallet that must not go negative holding SAR 5,000.00, and a
/// merchant account.
fn funded() -> Result<(Ledger, Unit), Box<dyn std::error::Error>> {
    let sar = sar()?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar).must_not_go_negative(),
        Account::new(MERCHANT, sar),
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
    assert_eq!(r, vec![Ok(Outcome::Created { seq: 1 })]);
    Ok((l, sar))
}

fn pending(id: u128, amount: u128, sar: Unit) -> Transfer {
    Transfer::new(id, WALLET, MERCHANT, amount, sar, Code::Payment, at(1)).with_flags(
        TransferFlags {
            pending: true,
            ..TransferFlags::default()
        },
    )
}

fn balance(l: &Ledger, id: u128) -> (i128, i128) {
    l.account(Id(id)).map_or((0, 0), |a| {
        (
            a.balances.posted(a.account.normal),
            a.balances.available(a.account.normal),
        )
    })
}

#[test]
fn holds_lower_the_available_balance_so_six_holds_of_1000_do_not_fit_in_5000() -> R {
    let (mut l, sar) = funded()?;
    let batch: Vec<Transfer> = (0..6).map(|i| pending(100 + i, 100_000, sar)).collect();
    let r = l.apply(&batch)?;
    assert!(r[..5].iter().all(Result::is_ok));
    assert_eq!(
        r[5],
        Err(TransferError::ExceedsCredits {
            account_id: Id(WALLET),
            available: "0".into(),
            amount: "100000".into()
        })
    );
    assert_eq!(balance(&l, WALLET), (500_000, 0));
    Ok(())
}

#[test]
fn a_pending_transfer_posts_partially_once_and_never_again() -> R {
    let (mut l, sar) = funded()?;
    l.apply(&[pending(10, 100_000, sar)])?;
    // Post 600.00 of the 1,000.00 held: 400.00 is released.
    let r = l.apply(&[Transfer::resolve(11u128, 10u128, true, 60_000, at(2))])?;
    assert!(matches!(r[0], Ok(Outcome::Created { .. })));
    assert_eq!(balance(&l, WALLET), (440_000, 440_000));
    assert_eq!(balance(&l, MERCHANT), (60_000, 60_000));
    assert_eq!(l.transfer(Id(10)).map(|t| t.1), Some(PendingState::Posted));
    // The same post again is a retry; a second resolution fails.
    let again = l.apply(&[Transfer::resolve(11u128, 10u128, true, 60_000, at(3))])?;
    assert!(matches!(again[0], Ok(Outcome::Exists { .. })));
    let void = l.apply(&[Transfer::resolve(12u128, 10u128, false, 0, at(3))])?;
    assert_eq!(
        void[0],
        Err(TransferError::PendingTransferAlreadyPosted { pending_id: Id(10) })
    );
    let over = l.apply(&[
        pending(13, 1_000, sar),
        Transfer::resolve(14u128, 13u128, true, 1_001, at(4)),
    ])?;
    assert_eq!(
        over[1],
        Err(TransferError::ExceedsPendingTransferAmount {
            amount: "1001".into(),
            pending_amount: "1000".into()
        })
    );
    Ok(())
}

#[test]
fn a_void_releases_the_hold() -> R {
    let (mut l, sar) = funded()?;
    l.apply(&[pending(10, 200_000, sar)])?;
    assert_eq!(balance(&l, WALLET), (500_000, 300_000));
    let r = l.apply(&[Transfer::resolve(11u128, 10u128, false, 0, at(2))])?;
    assert!(r[0].is_ok());
    assert_eq!(balance(&l, WALLET), (500_000, 500_000));
    let post = l.apply(&[Transfer::resolve(12u128, 10u128, true, 0, at(3))])?;
    assert_eq!(
        post[0],
        Err(TransferError::PendingTransferAlreadyVoided { pending_id: Id(10) })
    );
    Ok(())
}

#[test]
fn a_duplicate_webhook_credits_once_and_a_different_body_names_the_field() -> R {
    let (mut l, sar) = funded()?;
    let credit = Transfer::new(50u128, BANK, WALLET, 25_000, sar, Code::Refund, at(5))
        .with_reference("PAY-77");
    let first = l.apply(std::slice::from_ref(&credit))?;
    let second = l.apply(std::slice::from_ref(&credit))?;
    assert_eq!(
        first[0].as_ref().map(|o| o.seq()),
        second[0].as_ref().map(|o| o.seq())
    );
    assert!(matches!(second[0], Ok(Outcome::Exists { .. })));
    assert_eq!(balance(&l, WALLET), (525_000, 525_000));
    let mut other = credit.clone();
    other.amount = 25_001;
    let r = l.apply(&[other])?;
    let e = r[0].clone().err();
    assert_eq!(
        e.as_ref().map(TransferError::code),
        Some("EXISTS_WITH_DIFFERENT_AMOUNT")
    );
    let mut other = credit;
    other.reference = "PAY-78".into();
    let r = l.apply(&[other])?;
    assert_eq!(
        r[0].clone().err().map(|e| e.code()),
        Some("EXISTS_WITH_DIFFERENT_REFERENCE")
    );
    Ok(())
}

#[test]
fn an_id_that_failed_on_the_balance_stays_failed() -> R {
    let (mut l, sar) = funded()?;
    let big = Transfer::new(60u128, WALLET, MERCHANT, 600_000, sar, Code::Payment, at(6));
    let r = l.apply(std::slice::from_ref(&big))?;
    assert_eq!(
        r[0].clone().err().map(|e| e.code()),
        Some("EXCEEDS_CREDITS")
    );
    l.apply(&[Transfer::new(
        61u128,
        BANK,
        WALLET,
        200_000,
        sar,
        Code::Deposit,
        at(7),
    )])?;
    let r = l.apply(&[big])?;
    assert_eq!(
        r[0],
        Err(TransferError::IdAlreadyFailed {
            id: Id(60),
            first: "EXCEEDS_CREDITS"
        })
    );
    Ok(())
}

#[test]
fn a_linked_chain_is_all_or_nothing() -> R {
    let (mut l, sar) = funded()?;
    let linked = TransferFlags {
        linked: true,
        ..TransferFlags::default()
    };
    let chain = [
        Transfer::new(70u128, WALLET, MERCHANT, 300_000, sar, Code::Payment, at(8))
            .with_flags(linked),
        Transfer::new(71u128, WALLET, MERCHANT, 300_000, sar, Code::Payment, at(8)),
    ];
    let r = l.apply(&chain)?;
    assert_eq!(r[0], Err(TransferError::LinkedEventFailed));
    assert_eq!(
        r[1].clone().err().map(|e| e.code()),
        Some("EXCEEDS_CREDITS")
    );
    assert_eq!(balance(&l, WALLET), (500_000, 500_000));
    assert_eq!(l.entries().len(), 1);
    assert!(l.transfer(Id(70)).is_none());
    // An open chain at the end of the batch fails.
    let open = l.apply(&[
        Transfer::new(72u128, WALLET, MERCHANT, 1, sar, Code::Payment, at(9)).with_flags(linked),
    ])?;
    assert_eq!(open[0], Err(TransferError::LinkedEventChainOpen));
    Ok(())
}

#[test]
fn balancing_pays_what_the_wallet_covers() -> R {
    let (mut l, sar) = funded()?;
    let t = Transfer::new(
        80u128,
        WALLET,
        MERCHANT,
        800_000,
        sar,
        Code::Payment,
        at(10),
    )
    .with_flags(TransferFlags {
        balancing_debit: true,
        ..TransferFlags::default()
    });
    l.apply(&[t])?;
    assert_eq!(balance(&l, WALLET), (0, 0));
    assert_eq!(l.transfer(Id(80)).map(|t| t.0.amount), Some(500_000));
    Ok(())
}

#[test]
fn the_journal_chains_and_a_tampered_entry_is_found() -> R {
    let (mut l, sar) = funded()?;
    l.apply(&[
        pending(90, 100_000, sar),
        Transfer::resolve(91u128, 90u128, true, 0, at(11)),
        Transfer::new(92u128, WALLET, MERCHANT, 5_000, sar, Code::Payment, at(12)),
    ])?;
    let accounts: Vec<Account> = [BANK, WALLET, MERCHANT]
        .iter()
        .filter_map(|id| l.account(Id(*id)).map(|a| a.account.clone()))
        .collect();
    let text: String = l
        .entries()
        .iter()
        .map(|e| e.to_json_line() + "\n")
        .collect();
    let ok = audit::verify_jsonl(&accounts, &text);
    assert!(ok.ok, "{ok:?}");
    assert_eq!(ok.entries, 4);
    // Statement chain: each entry's balance_before is the previous balance_after.
    let wallet: Vec<(i128, i128)> = l
        .entries_of(Id(WALLET))
        .map(|e| {
            let s = if e.debit.account_id == Id(WALLET) {
                e.debit
            } else {
                e.credit
            };
            (s.balance_before, s.balance_after)
        })
        .collect();
    assert_eq!(
        wallet,
        vec![
            (0, 500_000),
            (500_000, 500_000),
            (500_000, 400_000),
            (400_000, 395_000)
        ]
    );
    // Change one amount in the stored journal: the entry's hash no longer matches.
    let tampered = text.replacen("\"amount\":\"50.00\"", "\"amount\":\"5.00\"", 1);
    assert_ne!(tampered, text);
    let bad = audit::verify_jsonl(&accounts, &tampered);
    assert!(!bad.ok);
    assert_eq!(
        bad.first_broken.as_ref().map(|b| (b.line, b.reason)),
        Some((4, "HASH_MISMATCH"))
    );
    Ok(())
}

#[test]
fn an_account_created_again_with_the_same_body_is_exists_and_another_body_fails() -> R {
    use rihla_ledger::{AccountError, AccountOutcome};
    let sar = sar()?;
    let egp = Unit::parse("EGP")?;
    let mut l = Ledger::new();
    let wallet = Account::new(WALLET, sar).must_not_go_negative();
    let r = l.create_accounts(&[wallet.clone(), wallet.clone(), Account::new(WALLET, egp)]);
    assert_eq!(
        r,
        vec![
            Ok(AccountOutcome::Created),
            Ok(AccountOutcome::Exists),
            Err(AccountError::ExistsWithDifferentField {
                id: Id(WALLET),
                field: "unit"
            })
        ]
    );
    assert_eq!(l.accounts().count(), 1);
    Ok(())
}

#[test]
fn reserved_room_and_a_rolled_back_chain_leave_the_journal_and_the_statements_exact() -> R {
    let (mut l, sar) = funded()?;
    l.reserve(1_000)?;
    let linked = TransferFlags {
        linked: true,
        ..TransferFlags::default()
    };
    // A chain whose second leg overdraws the wallet: nothing of it stays.
    let r = l.apply(&[
        Transfer::new(10u128, WALLET, MERCHANT, 1_000, sar, Code::Payment, at(2))
            .with_flags(linked),
        Transfer::new(11u128, WALLET, MERCHANT, 900_000, sar, Code::Payment, at(2)),
        Transfer::new(12u128, BANK, WALLET, 2_000, sar, Code::Deposit, at(3)),
    ])?;
    assert_eq!(r.get(2), Some(&Ok(Outcome::Created { seq: 2 })));
    assert!(r.iter().take(2).all(Result::is_err));
    let seqs = |id: u128| l.entries_of(Id(id)).map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(WALLET), vec![1, 2]);
    assert_eq!(seqs(BANK), vec![1, 2]);
    assert_eq!(seqs(MERCHANT), Vec::<u64>::new());
    assert_eq!(l.entries().len(), 2);
    assert_eq!(l.transfer(Id(10)), None);
    assert_eq!(balance(&l, WALLET), (502_000, 502_000));
    Ok(())
}

#[test]
fn a_balance_past_what_a_decimal_holds_is_refused_not_misread() -> R {
    use rihla_ledger::amount::MAX_AMOUNT;
    let sar = sar()?;
    let mut l = Ledger::new();
    l.create_accounts(&[
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar),
    ]);
    // Seven transfers of the largest amount: 6.99 × 10²⁸ minor units, within 2⁹⁶ − 1.
    let big = |id: u128, debit: u128, credit: u128| {
        Transfer::new(id, debit, credit, MAX_AMOUNT, sar, Code::Deposit, at(0))
    };
    let seven: Vec<Transfer> = (1..=7).map(|id| big(id, BANK, WALLET)).collect();
    assert!(l.apply(&seven)?.iter().all(Result::is_ok));
    let state = l.account(Id(WALLET)).ok_or("wallet")?;
    let json = serde_json::to_value(state)?;
    assert_eq!(
        json.get("balance"),
        Some(&serde_json::json!("699999999999999999999999999.93"))
    );
    // An eighth would put both balances past what a decimal holds: refused (sticky), not
    // shown as the largest decimal.
    assert_eq!(
        l.apply(&[big(8, BANK, WALLET)])?,
        vec![Err(TransferError::Overflows {
            account_id: Id(BANK)
        })]
    );
    assert_eq!(l.entries().len(), 7);
    // Nor may a wallet that may go negative go that far below zero: 14 transfers back
    // take it to −6.99 × 10²⁸, the 15th is refused.
    let back: Vec<Transfer> = (9..=23).map(|id| big(id, WALLET, BANK)).collect();
    let r = l.apply(&back)?;
    assert!(r.iter().take(14).all(Result::is_ok));
    assert_eq!(
        r.get(14),
        Some(&Err(TransferError::Overflows {
            account_id: Id(WALLET)
        }))
    );
    let wallet = l.account(Id(WALLET)).ok_or("wallet")?;
    let shown = serde_json::to_value(wallet)?;
    assert_eq!(
        shown.get("balance"),
        Some(&serde_json::json!("-699999999999999999999999999.93"))
    );
    Ok(())
}
