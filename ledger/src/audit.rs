//! Audit: replay a stored journal and verify it — the sequence, the SHA-256 hash chain,
//! each account's balance chain, and that replaying every transfer from empty accounts
//! gives the same entries. Reports the first broken entry with the reason.

use crate::journal::{Entry, GENESIS};
use crate::{Account, Ledger};
use serde::Serialize;

/// Most bytes of a journal read by [`verify_jsonl`]: 1 GiB, some 1.7 million entries of
/// 630 bytes. Checked on the text's length before anything is read.
pub const MAX_JOURNAL_BYTES: usize = 1 << 30;

/// Most bytes of one line of a journal read by [`verify_jsonl`]: 8 KiB. An entry's line is
/// about 630 bytes, at most some 1,700 (every id 39 digits, amounts and balances of 28 to
/// 34 digits, a reference of 128 characters each escaped as `\u0001`); a longer line is
/// refused before it is parsed. The journal is read line by line (nothing but the replay's
/// accounts and transfer ids grows with it), so its entry count is bounded by its bytes.
pub const MAX_JOURNAL_LINE_BYTES: usize = 8 << 10;

/// The first problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// 1-based line of the journal text (0 when auditing parsed entries).
    pub line: usize,
    /// The entry's `seq` as written (0 when the line is not an entry).
    pub seq: u64,
    /// `MALFORMED`, `LIMIT_EXCEEDED` (the text past [`MAX_JOURNAL_BYTES`], line 0, or a
    /// line past [`MAX_JOURNAL_LINE_BYTES`]), `SEQ_GAP`, `PREV_HASH_MISMATCH`,
    /// `HASH_MISMATCH`, `BALANCE_CHAIN_BROKEN`, `REPLAY_FAILED` or `REPLAY_DIFFERS`.
    pub reason: &'static str,
    /// What exactly (the account, the values).
    pub detail: String,
}

/// The audit's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Whether every entry verified.
    pub ok: bool,
    /// Entries verified before the first problem (all of them when `ok`).
    pub entries: u64,
    /// The hash of the last verified entry (lowercase hex).
    pub last_hash: String,
    /// The first problem, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_broken: Option<Broken>,
}

/// Verifies a journal stored as JSON Lines (one [`Entry`] per line, blank lines ignored)
/// against the accounts it was written for (as created, before any transfer). A text past
/// [`MAX_JOURNAL_BYTES`], or a line past [`MAX_JOURNAL_LINE_BYTES`], is reported broken
/// (`LIMIT_EXCEEDED`) without being parsed.
pub fn verify_jsonl(accounts: &[Account], text: &str) -> AuditReport {
    if text.len() > MAX_JOURNAL_BYTES {
        return report(
            0,
            GENESIS,
            Some(broken(
                0,
                0,
                "LIMIT_EXCEEDED",
                format!(
                    "the journal is {} bytes, more than the limit of {MAX_JOURNAL_BYTES}",
                    text.len()
                ),
            )),
        );
    }
    // An entry's line is some 400 bytes or more: room for no more entries than that.
    let lines = text
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        .saturating_add(1);
    let mut auditor = Auditor::new(accounts, lines.min(text.len() / 256));
    for (i, line) in text.lines().enumerate() {
        if line.len() > MAX_JOURNAL_LINE_BYTES {
            return auditor.fail(broken(
                i.saturating_add(1),
                0,
                "LIMIT_EXCEEDED",
                format!(
                    "the line is {} bytes, more than the limit of {MAX_JOURNAL_LINE_BYTES}",
                    line.len()
                ),
            ));
        }
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = match serde_json::from_str(line) {
            Ok(e) => e,
            Err(e) => {
                return auditor.fail(broken(i.saturating_add(1), 0, "MALFORMED", e.to_string()))
            }
        };
        if let Some(b) = auditor.check(&entry, i.saturating_add(1)) {
            return auditor.fail(b);
        }
    }
    auditor.finish()
}

/// Verifies parsed entries (see [`verify_jsonl`]).
pub fn verify(accounts: &[Account], entries: &[Entry]) -> AuditReport {
    let mut auditor = Auditor::new(accounts, entries.len());
    for e in entries {
        if let Some(b) = auditor.check(e, 0) {
            return auditor.fail(b);
        }
    }
    auditor.finish()
}

fn broken(line: usize, seq: u64, reason: &'static str, detail: String) -> Broken {
    Broken {
        line,
        seq,
        reason,
        detail,
    }
}

fn report(entries: u64, last: [u8; 32], first_broken: Option<Broken>) -> AuditReport {
    AuditReport {
        ok: first_broken.is_none(),
        entries,
        last_hash: hex::encode(last),
        first_broken,
    }
}

struct Auditor {
    replay: Ledger,
    count: u64,
    last: [u8; 32],
    scratch: Vec<u8>,
}

impl Auditor {
    /// An auditor for a journal of about `entries` entries (the replay's memory is
    /// reserved for them).
    fn new(accounts: &[Account], entries: usize) -> Auditor {
        let mut replay = Ledger::new();
        replay.reserve_with(entries, false);
        // Each stored entry is hashed once below; the replayed one must equal it field by
        // field (so it has the same canonical bytes and hash).
        replay.hashing = false;
        // Nor does it keep its journal: the stored one is the journal.
        replay.keep_entries = false;
        replay.create_accounts(accounts);
        Auditor {
            replay,
            count: 0,
            last: GENESIS,
            scratch: Vec::with_capacity(512),
        }
    }

    fn fail(&self, b: Broken) -> AuditReport {
        report(self.count, self.last, Some(b))
    }

    fn finish(&self) -> AuditReport {
        report(self.count, self.last, None)
    }

    fn check(&mut self, e: &Entry, line: usize) -> Option<Broken> {
        let b = |reason, detail| Some(broken(line, e.seq, reason, detail));
        if e.seq != self.count.saturating_add(1) {
            return b(
                "SEQ_GAP",
                format!(
                    "expected seq {}, found {}",
                    self.count.saturating_add(1),
                    e.seq
                ),
            );
        }
        if e.prev_hash != self.last {
            return b(
                "PREV_HASH_MISMATCH",
                format!(
                    "prev_hash {} is not the previous entry's hash {}",
                    hex::encode(e.prev_hash),
                    hex::encode(self.last)
                ),
            );
        }
        let computed = e.compute_hash(&mut self.scratch);
        if computed != e.hash {
            return b(
                "HASH_MISMATCH",
                format!(
                    "hash {} is not SHA-256 of the entry ({})",
                    hex::encode(e.hash),
                    hex::encode(computed)
                ),
            );
        }
        // The replay first: on the success path its entry equals the stored one, so each
        // side's balance_before is the account's previous balance (the chain holds).
        self.replay.undo.clear();
        let replayed = self.replay.create(&e.transfer);
        let same =
            |r: &Entry| r.debit == e.debit && r.credit == e.credit && r.transfer == e.transfer;
        let last = self.replay.entries().last();
        if matches!(replayed, Ok(crate::Outcome::Created { .. })) && last.is_some_and(same) {
            self.count = self.count.saturating_add(1);
            self.last = e.hash;
            return None;
        }
        // Why not, in order: a broken balance chain, a refused replay, a different entry.
        let created = last.filter(|_| matches!(replayed, Ok(crate::Outcome::Created { .. })));
        for side in [&e.debit, &e.credit] {
            let before_replay = created.and_then(|r| {
                [&r.debit, &r.credit]
                    .into_iter()
                    .find(|s| s.account_id == side.account_id)
                    .map(|s| s.balance_before)
            });
            let prev = before_replay.or_else(|| {
                self.replay
                    .account(side.account_id)
                    .map(|a| a.balances.posted(a.account.normal))
            });
            if let Some(prev) = prev {
                if side.balance_before != prev {
                    return b(
                        "BALANCE_CHAIN_BROKEN",
                        format!(
                        "account {}: balance_before {} but the previous balance_after is {prev}",
                        side.account_id, side.balance_before),
                    );
                }
            }
        }
        match (replayed, created) {
            (Err(err), _) => b("REPLAY_FAILED", format!("{}: {err}", err.code())),
            (Ok(crate::Outcome::Exists { .. }), _) => b(
                "REPLAY_FAILED",
                format!("transfer {} appears twice", e.transfer.id),
            ),
            (Ok(crate::Outcome::Created { .. }), Some(r)) => b("REPLAY_DIFFERS", format!(
                "replayed transfer {:?} debit {:?} credit {:?} differ from the entry's transfer {:?} debit {:?} credit {:?}",
                r.transfer, r.debit, r.credit, e.transfer, e.debit, e.credit)),
            (Ok(crate::Outcome::Created { .. }), None) => b("REPLAY_FAILED", "no entry".into()),
        }
    }
}
