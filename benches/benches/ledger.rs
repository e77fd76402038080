//! `ledger`: the transfer engine of `rihla-ledger` at volume (issue 6).
//!
//! * `ledger_apply` — 1,000,000 single-phase SAR transfers between pseudo-random pairs of
//!   10,000 accounts (a debit-normal bank and 9,999 credit-normal wallets, every other one
//!   `must_not_go_negative`, all funded first), applied in batches of [`BATCH_MAX`] (8,190)
//!   to a fresh clone of the funded ledger with room reserved for them
//!   ([`Ledger::reserve`]). Throughput in transfers/s (aim ≥ 5M/s on one core). The clone,
//!   the reservation and the drop of the grown ledger are not timed.
//! * `ledger_apply_unreserved` — the same without the reservation: the journal and the id
//!   table grow (and the operating system hands out fresh pages) while transfers apply.
//! * `ledger_audit` — [`audit::verify`] of the first 1,000,000 entries of that journal
//!   (9,999 funding entries then 990,001 transfers): sequence, SHA-256 chain, balance
//!   chains, and a replay of every transfer from the accounts as created (aim ≤ 0.5 s;
//!   the replay's memory is reserved inside the timed part).
//! * `ledger_audit_jsonl` — [`audit::verify_jsonl`] on the JSON Lines text of the same
//!   1,000,000 entries (about 630 MB): parsing each line, then the same audit. 7 to 9 s an
//!   iteration on the 2-core VM, under the 10 s past which it would drop to 100k entries:
//!   kept at 1M so it compares with `ledger_audit` (the difference is parsing).
//!
//! Every transfer is checked to be created, and every audit report to verify all
//! 1,000,000 entries, outside the timed part: the benchmarks measure successful work only.
//!
//! Run: `cargo bench -p rihla-benches --bench ledger` (about 4 minutes on 2 cores, most of
//! it `ledger_audit_jsonl`, plus some 10 s of set-up).

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use rihla_ledger::{
    audit, Account, Code, Ledger, Outcome, Transfer, TransferResult, Unit, BATCH_MAX,
};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Accounts of the ledger: the bank and 9,999 wallets.
const ACCOUNTS: u64 = 10_000;
/// Transfers applied by `ledger_apply`, entries audited by `ledger_audit`.
const TRANSFERS: usize = 1_000_000;
/// The bank (debit-normal, may go negative on its normal side: it is the money's source).
const BANK: u128 = 1;
/// The first wallet's id; wallets are `FIRST_WALLET ..= FIRST_WALLET + 9_998`.
const FIRST_WALLET: u128 = 1_001;
/// What each wallet is funded with: SAR 10,000,000.00 (the transfers move at most
/// SAR 1,000.00 each, about 100 times per wallet: no wallet can run dry).
const FUNDING: u128 = 1_000_000_000;
/// First id of the benchmarked transfers (the funding transfers are 1 ..= 9,999).
const FIRST_TRANSFER: u128 = 100_000_000;

/// A 64-bit linear congruential generator (Knuth's MMIX constants): deterministic,
/// no dependency.
struct Lcg(u64);

impl Lcg {
    /// A number in `0..n`, from the generator's high 32 bits.
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 32) * n) >> 32
    }
}

/// The account with index `k` (0 the bank, then the wallets).
fn account_id(k: u64) -> u128 {
    if k == 0 {
        BANK
    } else {
        FIRST_WALLET + u128::from(k) - 1
    }
}

fn sar() -> Unit {
    Unit::parse("SAR").expect("SAR is a unit")
}

/// The accounts as created: the bank, then the wallets (odd ones `must_not_go_negative`).
fn accounts() -> Vec<Account> {
    let sar = sar();
    (0..ACCOUNTS)
        .map(|k| match k {
            0 => Account::new(BANK, sar).debit_normal(),
            k if k % 2 == 1 => Account::new(account_id(k), sar).must_not_go_negative(),
            k => Account::new(account_id(k), sar),
        })
        .collect()
}

/// Applies `transfers` in batches of [`BATCH_MAX`]; the results of every batch.
fn apply_all(ledger: &mut Ledger, transfers: &[Transfer]) -> Vec<Vec<TransferResult>> {
    transfers
        .chunks(BATCH_MAX)
        .map(|batch| ledger.apply(batch).expect("a batch of at most BATCH_MAX"))
        .collect()
}

fn assert_all_created(results: &[Vec<TransferResult>], expected: usize) {
    let mut n = 0;
    for r in results.iter().flatten() {
        assert!(
            matches!(r, Ok(Outcome::Created { .. })),
            "transfer {n} not created: {r:?}"
        );
        n += 1;
    }
    assert_eq!(n, expected, "results");
}

/// The ledger with its accounts, every wallet funded from the bank (9,999 entries).
fn funded_ledger(accounts: &[Account]) -> Ledger {
    let (sar, at) = (sar(), template().at);
    let mut ledger = Ledger::new();
    let created = ledger.create_accounts(accounts);
    assert!(created.iter().all(Result::is_ok), "accounts created");
    let funding: Vec<Transfer> = (1..ACCOUNTS)
        .map(|k| {
            let id = u128::from(k);
            Transfer::new(id, BANK, account_id(k), FUNDING, sar, Code::Deposit, at)
        })
        .collect();
    let results = apply_all(&mut ledger, &funding);
    assert_all_created(&results, funding.len());
    ledger
}

/// The benchmarked transfers: pseudo-random distinct pairs of the 10,000 accounts,
/// SAR 0.01 to SAR 1,000.00 each.
fn transfers(n: usize) -> Vec<Transfer> {
    let (sar, at) = (sar(), template().at);
    let mut rng = Lcg(0x5249_484c_4121);
    (0..n)
        .map(|i| {
            let debit = rng.below(ACCOUNTS);
            let mut credit = rng.below(ACCOUNTS - 1);
            if credit >= debit {
                credit += 1;
            }
            let amount = 1 + u128::from(rng.below(100_000));
            Transfer::new(
                FIRST_TRANSFER + i as u128,
                account_id(debit),
                account_id(credit),
                amount,
                sar,
                Code::Payment,
                at,
            )
        })
        .collect()
}

/// One instant for every transfer (`at` is hashed at a fixed width: its value does not
/// change the cost), taken from a transfer parsed from JSON so the benches need no chrono
/// dependency.
fn template() -> Transfer {
    serde_json::from_str(
        r#"{"id": "1", "debit_account_id": "1", "credit_account_id": "1001", "amount": "1.00",
            "unit": "SAR", "code": "PAYMENT", "at": "2026-11-22T09:00:00Z"}"#,
    )
    .expect("the template transfer parses")
}

fn bench(c: &mut Criterion) {
    let accounts = accounts();
    let funded = funded_ledger(&accounts);
    let transfers = transfers(TRANSFERS);

    // Once outside the timed part: every transfer is created; the grown ledger's journal
    // is what the audits verify.
    let mut applied = funded.clone();
    assert_all_created(&apply_all(&mut applied, &transfers), TRANSFERS);

    let mut g = c.benchmark_group("ledger");
    // Each iteration takes seconds on a 2-core VM: 10 samples of one iteration each, with
    // measurement times that fit them (about 4 minutes for the four benchmarks).
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));

    g.throughput(Throughput::Elements(TRANSFERS as u64));
    g.measurement_time(Duration::from_secs(30));
    for (name, reserve) in [("ledger_apply", true), ("ledger_apply_unreserved", false)] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    let mut ledger = funded.clone();
                    if reserve {
                        // Memory reserved at start-up, as a host (and TigerBeetle) would.
                        ledger
                            .reserve(TRANSFERS)
                            .expect("1,000,000 transfers are within MAX_RESERVED");
                    }
                    let start = Instant::now();
                    let results = apply_all(&mut ledger, black_box(&transfers));
                    timed += start.elapsed();
                    assert_all_created(&results, TRANSFERS);
                    drop(black_box((ledger, results)));
                }
                timed
            })
        });
    }

    let entries = applied
        .entries()
        .get(..TRANSFERS)
        .expect("at least 1,000,000 entries");
    g.throughput(Throughput::Elements(entries.len() as u64));
    g.measurement_time(Duration::from_secs(30));
    g.bench_function("ledger_audit", |b| {
        b.iter_custom(|iters| {
            time_audits(iters, || {
                audit::verify(black_box(&accounts), black_box(entries))
            })
        })
    });

    let mut jsonl = String::new();
    for e in entries {
        jsonl.push_str(&e.to_json_line());
        jsonl.push('\n');
    }
    g.measurement_time(Duration::from_secs(70));
    g.bench_function("ledger_audit_jsonl", |b| {
        b.iter_custom(|iters| {
            time_audits(iters, || {
                audit::verify_jsonl(black_box(&accounts), black_box(&jsonl))
            })
        })
    });
    g.finish();
}

/// Runs an audit `iters` times; the time spent in it. Each report is checked (all
/// 1,000,000 entries verified) outside the timed part.
fn time_audits(iters: u64, run: impl Fn() -> audit::AuditReport) -> Duration {
    let mut timed = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        let report = run();
        timed += start.elapsed();
        assert!(report.ok, "the journal verifies: {report:?}");
        assert_eq!(report.entries, TRANSFERS as u64, "entries verified");
    }
    timed
}

criterion_group!(benches, bench);
criterion_main!(benches);
