//! What every ledger must satisfy after any sequence of calls.

use rihla_ledger::{Account, Ledger, Unit};
use std::collections::HashMap;

/// Asserts double entry and the journal: per unit, Σ debits = Σ credits, posted and
/// pending; and the journal the ledger wrote, as JSON Lines, audits clean against
/// `created` (the accounts as they were created, in order).
///
/// # Panics
/// When a unit's books do not balance or the audit reports a broken entry.
pub fn check_ledger(ledger: &Ledger, created: &[Account]) {
    let mut books: HashMap<Unit, [u128; 4]> = HashMap::new();
    for a in ledger.accounts() {
        let b = &a.balances;
        let entry = books.entry(a.account.unit).or_default();
        let add = |x: &mut u128, v: u128| {
            *x = x
                .checked_add(v)
                .unwrap_or_else(|| panic!("the balances of {} leave u128", a.account.unit));
        };
        add(&mut entry[0], b.debits_posted);
        add(&mut entry[1], b.credits_posted);
        add(&mut entry[2], b.debits_pending);
        add(&mut entry[3], b.credits_pending);
    }
    for (unit, [dp, cp, dn, cn]) in &books {
        assert_eq!(dp, cp, "{unit}: Σ debits_posted ≠ Σ credits_posted");
        assert_eq!(dn, cn, "{unit}: Σ debits_pending ≠ Σ credits_pending");
    }
    let mut jsonl = String::new();
    for e in ledger.entries() {
        let line = serde_json::to_string(e)
            .unwrap_or_else(|err| panic!("entry {} does not serialise: {err}", e.seq));
        jsonl.push_str(&line);
        jsonl.push('\n');
    }
    let report = rihla_ledger::audit::verify_jsonl(created, &jsonl);
    assert!(
        report.ok,
        "the ledger's own journal does not audit: {:?}",
        report.first_broken
    );
    assert_eq!(
        report.entries,
        ledger.entries().len() as u64,
        "audit entry count"
    );
    check_snapshot(ledger);
}

/// The ledger restores from its own snapshot, through JSON: the same journal, hash and
/// accounts.
fn check_snapshot(ledger: &Ledger) {
    let snapshot = ledger
        .snapshot()
        .unwrap_or_else(|e| panic!("a ledger without a snapshot: {e}"));
    let text = serde_json::to_string(&snapshot)
        .unwrap_or_else(|e| panic!("a snapshot does not serialise: {e}"));
    let read: rihla_ledger::Snapshot = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("a snapshot does not read back: {e}"));
    let restored = Ledger::restore(&read)
        .unwrap_or_else(|e| panic!("the ledger's own snapshot does not restore: {e}"));
    assert_eq!(restored.entries(), ledger.entries(), "restored journal");
    assert_eq!(restored.last_hash(), ledger.last_hash(), "restored hash");
    assert!(
        restored.accounts().eq(ledger.accounts()),
        "restored accounts differ"
    );
}
