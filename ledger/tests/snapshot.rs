//! Snapshots: a ledger's state as one document, restored by replaying the transfers as
//! given and checked against the journal's last hash.

use chrono::{DateTime, Utc};
use rihla_ledger::{
    Account, Code, Id, Ledger, Outcome, Snapshot, SnapshotError, Transfer, TransferFlags, Unit,
};

type R = Result<(), Box<dyn std::error::Error>>;

const BANK: u128 = 1;
const WALLET: u128 = 1001;
const MERCHANT: u128 = 2001;
const OLD: u128 = 3001;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

/// A ledger with a deposit, a hold posted without its amount (the given post differs from
/// the resolved one), a hold voided, a linked chain, a failure and a closed account.
fn busy() -> Result<Ledger, Box<dyn std::error::Error>> {
    let sar = Unit::parse("SAR")?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar).must_not_go_negative(),
        Account::new(MERCHANT, sar),
        Account::new(OLD, sar),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let t = |id: u128, debit: u128, credit: u128, amount: u128, minute: i64| {
        Transfer::new(id, debit, credit, amount, sar, Code::Payment, at(minute))
    };
    let hold = |id: u128, amount: u128| {
        t(id, WALLET, MERCHANT, amount, 2).with_flags(TransferFlags {
            pending: true,
            ..TransferFlags::default()
        })
    };
    let linked = TransferFlags {
        linked: true,
        ..TransferFlags::default()
    };
    let results = l.apply(&[
        t(1, BANK, WALLET, 500_000, 1),
        hold(2, 100_000),
        hold(3, 50_000),
        Transfer::resolve(4u128, 2u128, true, 0, at(3)), // post all of hold 2
        Transfer::resolve(5u128, 3u128, false, 0, at(3)), // void hold 3
        t(6, WALLET, MERCHANT, 1_000, 4).with_flags(linked),
        t(7, MERCHANT, OLD, 1_000, 4),
        t(8, WALLET, MERCHANT, 9_999_999, 5), // fails: EXCEEDS_CREDITS
    ])?;
    assert!(results.iter().take(7).all(Result::is_ok), "{results:?}");
    assert!(results.get(7).is_some_and(Result::is_err));
    assert!(l.close_account(Id(OLD)));
    Ok(l)
}

#[test]
fn a_snapshot_restores_the_same_ledger() -> R {
    let mut l = busy()?;
    let snap = l.snapshot()?;
    assert_eq!(snap.format, rihla_ledger::SNAPSHOT_FORMAT);
    assert_eq!(snap.transfers.len(), 7);
    assert_eq!(snap.failed.len(), 1);
    // The post was given without an amount: the snapshot keeps it as given.
    assert_eq!(snap.transfers.get(3).map(|t| t.amount), Some(0));
    let text = serde_json::to_string(&snap)?;
    let mut r = Ledger::restore(&serde_json::from_str::<Snapshot>(&text)?)?;
    assert_eq!(r.entries(), l.entries());
    assert_eq!(r.last_hash(), l.last_hash());
    let state = |l: &Ledger| -> Vec<_> { l.accounts().cloned().collect() };
    assert_eq!(state(&r), state(&l));
    assert_eq!(r.snapshot()?, snap);
    // Retries answer as the original: the post as given is EXISTS, the failure sticks,
    // the closed account refuses.
    let sar = Unit::parse("SAR")?;
    let again = [
        Transfer::resolve(4u128, 2u128, true, 0, at(3)),
        Transfer::new(
            8u128,
            WALLET,
            MERCHANT,
            9_999_999,
            sar,
            Code::Payment,
            at(5),
        ),
        Transfer::new(9u128, MERCHANT, OLD, 1, sar, Code::Payment, at(6)),
    ];
    let answers = r.apply(&again)?;
    assert_eq!(answers, l.apply(&again)?);
    assert!(matches!(answers.first(), Some(Ok(Outcome::Exists { .. }))));
    assert!(answers.get(1).is_some_and(Result::is_err));
    assert!(answers.get(2).is_some_and(Result::is_err));
    Ok(())
}

#[test]
fn an_empty_ledger_snapshots_to_the_genesis_hash() -> R {
    let snap = Ledger::new().snapshot()?;
    assert_eq!(snap.last_hash, "0".repeat(64));
    let r = Ledger::restore(&snap)?;
    assert_eq!(r.entries().len(), 0);
    Ok(())
}

#[test]
fn an_edited_snapshot_is_refused() -> R {
    let snap = busy()?.snapshot()?;
    // Another amount: the replay ends on another hash.
    let mut edited = snap.clone();
    if let Some(t) = edited.transfers.first_mut() {
        t.amount = 400_000;
    }
    assert!(matches!(
        Ledger::restore(&edited),
        Err(SnapshotError::HashMismatch { .. })
    ));
    // A transfer that cannot be created again.
    let mut edited = snap.clone();
    if let Some(t) = edited.transfers.get_mut(1) {
        t.amount = 900_000_000;
    }
    let err = Ledger::restore(&edited).err();
    assert_eq!(err.as_ref().map(SnapshotError::code), Some("REPLAY_FAILED"));
    assert!(matches!(
        err,
        Some(SnapshotError::ReplayFailed { index: 1, .. })
    ));
    // Another format, an unknown failure code, a hash that is not the journal's.
    let mut edited = snap.clone();
    edited.format = 2;
    assert_eq!(
        Ledger::restore(&edited).err(),
        Some(SnapshotError::UnknownFormat {
            found: 2,
            expected: 1
        })
    );
    let mut edited = snap.clone();
    if let Some(f) = edited.failed.first_mut() {
        f.code = "NOT_A_CODE".into();
    }
    assert_eq!(
        Ledger::restore(&edited).err().map(|e| e.code()),
        Some("UNKNOWN_FAILURE_CODE")
    );
    let mut edited = snap;
    edited.last_hash = "ab".repeat(32);
    assert_eq!(
        Ledger::restore(&edited).err().map(|e| e.code()),
        Some("HASH_MISMATCH")
    );
    Ok(())
}
