//! The audit names the first broken entry and why, in its order of checks: SEQ_GAP,
//! PREV_HASH_MISMATCH, HASH_MISMATCH, BALANCE_CHAIN_BROKEN, REPLAY_FAILED, REPLAY_DIFFERS.
//! Each case tampers one field and re-hashes the chain from there (a forger who knows the
//! layout), so only the check aimed at can catch it.

use chrono::{DateTime, Utc};
use rihla_ledger::journal::GENESIS;
use rihla_ledger::{audit, Account, Code, Entry, Ledger, Transfer, TransferFlags, Unit};

type R = Result<(), Box<dyn std::error::Error>>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

/// A bank, a wallet that must not go negative and a merchant; a deposit, a hold, its post
/// and two payments: five entries.
fn journal() -> Result<(Vec<Account>, Vec<Entry>), Box<dyn std::error::Error>> {
    let sar = Unit::parse("SAR")?;
    let accounts = vec![
        Account::new(1u128, sar).debit_normal(),
        Account::new(1001u128, sar).must_not_go_negative(),
        Account::new(2001u128, sar),
    ];
    let mut l = Ledger::new();
    assert!(l.create_accounts(&accounts).iter().all(Result::is_ok));
    let pending = TransferFlags {
        pending: true,
        ..TransferFlags::default()
    };
    let r = l.apply(&[
        Transfer::new(1u128, 1u128, 1001u128, 50_000, sar, Code::Deposit, at(0)),
        Transfer::new(2u128, 1001u128, 2001u128, 20_000, sar, Code::Payment, at(1))
            .with_flags(pending),
        Transfer::resolve(3u128, 2u128, true, 15_000, at(2)),
        Transfer::new(4u128, 1001u128, 2001u128, 5_000, sar, Code::Payment, at(3)),
        Transfer::new(5u128, 1001u128, 2001u128, 1_000, sar, Code::Payment, at(4)),
    ])?;
    assert!(r.iter().all(Result::is_ok), "{r:?}");
    Ok((accounts, l.entries().to_vec()))
}

/// Re-chains the entries from index `from`: each `prev_hash` and `hash` recomputed.
fn rehash(entries: &mut [Entry], from: usize) {
    let mut scratch = Vec::new();
    let mut prev = match from {
        0 => GENESIS,
        k => entries.get(k - 1).map_or(GENESIS, |e| e.hash),
    };
    for e in entries.iter_mut().skip(from) {
        e.prev_hash = prev;
        e.hash = e.compute_hash(&mut scratch);
        prev = e.hash;
    }
}

/// Tampers entry `index` with `change`, re-hashes, audits: (entries verified, line/seq
/// of the first broken, reason).
fn audit_after(
    index: usize,
    change: impl Fn(&mut Entry),
    chain: bool,
) -> Result<(u64, u64, &'static str), Box<dyn std::error::Error>> {
    let (accounts, mut entries) = journal()?;
    let e = entries.get_mut(index).ok_or("no such entry")?;
    change(e);
    if chain {
        rehash(&mut entries, index);
    }
    let report = audit::verify(&accounts, &entries);
    assert!(!report.ok);
    let b = report.first_broken.ok_or("a broken entry")?;
    Ok((report.entries, b.seq, b.reason))
}

#[test]
fn the_untouched_journal_verifies() -> R {
    let (accounts, entries) = journal()?;
    let report = audit::verify(&accounts, &entries);
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 5);
    assert_eq!(report.last_hash, hex::encode(entries[4].hash));
    Ok(())
}

#[test]
fn each_tampering_is_named_at_its_entry() -> R {
    // A seq skipped.
    assert_eq!(audit_after(2, |e| e.seq = 9, true)?, (2, 9, "SEQ_GAP"));
    // An entry whose prev_hash does not chain (not re-hashed).
    assert_eq!(
        audit_after(3, |e| e.prev_hash = [7; 32], false)?,
        (3, 4, "PREV_HASH_MISMATCH")
    );
    // A changed amount, the hash left as it was.
    assert_eq!(
        audit_after(3, |e| e.transfer.amount = 4_000, false)?,
        (3, 4, "HASH_MISMATCH")
    );
    // A balance_before that is not the account's previous balance_after.
    assert_eq!(
        audit_after(3, |e| e.debit.balance_before += 100, true)?,
        (3, 4, "BALANCE_CHAIN_BROKEN")
    );
    // An amount the wallet never had: the replay refuses it.
    assert_eq!(
        audit_after(4, |e| e.transfer.amount = 9_000_000, true)?,
        (4, 5, "REPLAY_FAILED")
    );
    // The same transfer id twice.
    assert_eq!(
        audit_after(4, |e| e.transfer.id = 4u128.into(), true)?,
        (4, 5, "REPLAY_FAILED")
    );
    // An amount that replays, but to other balances than the entry states.
    assert_eq!(
        audit_after(4, |e| e.transfer.amount = 2_000, true)?,
        (4, 5, "REPLAY_DIFFERS")
    );
    // A side whose available balance was altered.
    assert_eq!(
        audit_after(2, |e| e.credit.available_after += 1, true)?,
        (2, 3, "REPLAY_DIFFERS")
    );
    Ok(())
}

#[test]
fn a_stored_journal_in_json_lines_verifies_and_names_the_line() -> R {
    let (accounts, mut entries) = journal()?;
    let text = |entries: &[Entry]| -> String {
        entries.iter().map(|e| e.to_json_line() + "\n\n").collect()
    };
    let report = audit::verify_jsonl(&accounts, &text(&entries));
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 5);
    if let Some(e) = entries.get_mut(1) {
        e.debit.balance_after -= 1;
    }
    rehash(&mut entries, 1);
    let report = audit::verify_jsonl(&accounts, &text(&entries));
    let b = report.first_broken.ok_or("a broken entry")?;
    // Blank lines count: entry 2 is on line 3.
    assert_eq!((b.line, b.seq, b.reason), (3, 2, "REPLAY_DIFFERS"));
    Ok(())
}
