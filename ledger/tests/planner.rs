//! The stateless planner (issue 6): a host that keeps the ledger in its own database reads
//! the touched accounts with their versions, plans a batch, and writes the plan guarded by
//! the versions it read — so two writers that read the same balance cannot both spend it
//! (the peer failure: running-balance ledgers that lost an update under concurrent
//! writers).

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rihla_ledger::planner::{MAX_VERSION, STICKY_CODES};
use rihla_ledger::{
    audit, plan, Account, AccountSnapshot, AccountUpdate, Balances, Code, Entry, Id, JournalHead,
    KnownTransfer, Ledger, Outcome, PendingState, PendingUpdate, PlanError, PlanInput,
    StickyFailure, Transfer, TransferError, TransferFlags, Unit, VersionCheck, BATCH_MAX,
};

type R = Result<(), Box<dyn std::error::Error>>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

const BANK: u128 = 1;
const WALLET: u128 = 1001;
const MERCHANT: u128 = 2001;

fn sar() -> Result<Unit, String> {
    Unit::parse("SAR")
}

/// A bank (debit-normal), a wallet that must not go negative and a merchant account.
fn accounts(sar: Unit) -> Vec<Account> {
    vec![
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar).must_not_go_negative(),
        Account::new(MERCHANT, sar),
    ]
}

fn ledger(sar: Unit) -> Ledger {
    let mut l = Ledger::new();
    let created = l.create_accounts(&accounts(sar));
    assert!(created.iter().all(Result::is_ok));
    l
}

fn deposit(id: u128, amount: u128, sar: Unit) -> Transfer {
    Transfer::new(id, BANK, WALLET, amount, sar, Code::Deposit, at(0))
}

fn payment(id: u128, amount: u128, sar: Unit) -> Transfer {
    Transfer::new(id, WALLET, MERCHANT, amount, sar, Code::Payment, at(1))
}

fn flags(f: impl FnOnce(&mut TransferFlags)) -> TransferFlags {
    let mut flags = TransferFlags::default();
    f(&mut flags);
    flags
}

/// Everything a ledger holds that a test can see: accounts (id, balances, version) in id
/// order, the journal, its head, and the transfers under `ids` with their pending state.
type State = (
    Vec<(Id, Balances, u64)>,
    Vec<Entry>,
    [u8; 32],
    Vec<Option<(Transfer, PendingState)>>,
);

fn state(l: &Ledger, ids: impl IntoIterator<Item = u128>) -> State {
    let mut a: Vec<(Id, Balances, u64)> = l
        .accounts()
        .map(|s| (s.account.id, s.balances, s.version))
        .collect();
    a.sort_by_key(|x| x.0);
    let transfers = ids
        .into_iter()
        .map(|id| l.transfer(Id(id)).map(|(t, s)| (t.clone(), s)))
        .collect();
    (a, l.entries().to_vec(), l.last_hash(), transfers)
}

/// Plans `batch` on a snapshot of `l` and commits it.
fn plan_and_commit(
    l: &mut Ledger,
    batch: &[Transfer],
) -> Result<Vec<rihla_ledger::TransferResult>, Box<dyn std::error::Error>> {
    let p = plan(&l.plan_input(batch))?;
    l.commit_plan(&p)?;
    Ok(p.results().to_vec())
}

#[test]
fn a_plan_gives_the_same_results_entries_and_balances_as_the_in_memory_ledger() -> R {
    let sar = sar()?;
    let mut l = ledger(sar);
    // History: SAR 5,000.00 in (seq 1), a hold of 1,000.00 (seq 2), and id 60 failed on the
    // balance (sticky).
    l.apply(&[
        deposit(1, 500_000, sar),
        payment(10, 100_000, sar).with_flags(flags(|f| f.pending = true)),
        payment(60, 900_000, sar),
    ])?;
    let balancing = flags(|f| f.balancing_debit = true);
    let linked = flags(|f| f.linked = true);
    let batch = vec![
        deposit(1, 500_000, sar), // retry: EXISTS seq 1
        Transfer::resolve(11u128, 10u128, true, 60_000, at(2)), // post 600.00 of the hold
        payment(20, 20_000, sar).with_flags(flags(|f| f.pending = true)), // hold 200.00
        Transfer::resolve(21u128, 20u128, false, 0, at(3)), // void it
        payment(70, 10_000, sar).with_flags(linked), // chain: 70 fits …
        payment(71, 1_000_000, sar), // … 71 does not
        payment(60, 900_000, sar), // ID_ALREADY_FAILED
        payment(80, 5_000, sar),  // 50.00 paid
        deposit(1, 500_001, sar), // EXISTS_WITH_DIFFERENT_AMOUNT
        payment(90, 1_000_000, sar), // EXCEEDS_CREDITS
        payment(91, 1_000_000, sar).with_flags(balancing), // pays what is left
    ];
    let ids = [1, 10, 11, 20, 21, 60, 70, 71, 80, 90, 91];
    let mut applied = l.clone();
    let want = applied.apply(&batch)?;

    let p = plan(&l.plan_input(&batch))?;
    assert_eq!(p.results(), want.as_slice());
    let codes: Vec<&str> = p
        .results()
        .iter()
        .map(|r| match r {
            Ok(Outcome::Created { .. }) => "CREATED",
            Ok(Outcome::Exists { .. }) => "EXISTS",
            Err(e) => e.code(),
        })
        .collect();
    assert_eq!(
        codes,
        [
            "EXISTS",
            "CREATED",
            "CREATED",
            "CREATED",
            "LINKED_EVENT_FAILED",
            "EXCEEDS_CREDITS",
            "ID_ALREADY_FAILED",
            "CREATED",
            "EXISTS_WITH_DIFFERENT_AMOUNT",
            "EXCEEDS_CREDITS",
            "CREATED"
        ]
    );
    assert_eq!(p.results()[0], Ok(Outcome::Exists { seq: 1 }));
    assert_eq!(p.results()[1], Ok(Outcome::Created { seq: 3 }));
    assert_eq!(
        p.base(),
        JournalHead {
            seq: 2,
            hash: l.last_hash()
        }
    );
    assert_eq!(p.head().seq, 7);
    assert_eq!(p.entries(), &applied.entries()[2..]);
    assert_eq!(p.head().hash, applied.last_hash());
    // The wallet: 5,000.00 − 600.00 posted − 50.00 − the rest (4,350.00) by balancing;
    // 5 transfers (11, 20, 21, 80, 91) touched it after version 2.
    let wallet = AccountUpdate {
        account_id: Id(WALLET),
        expected_version: 2,
        new_version: 7,
        balances: Balances {
            debits_pending: 0,
            debits_posted: 500_000,
            credits_pending: 0,
            credits_posted: 500_000,
        },
    };
    assert_eq!(p.account_updates().len(), 2);
    assert_eq!(p.account_updates()[0], wallet);
    assert_eq!(p.account_updates()[1].account_id, Id(MERCHANT));
    assert_eq!(p.account_updates()[1].balances.credits_posted, 500_000);
    // The deposit retries read the bank without changing it.
    assert_eq!(
        p.account_checks(),
        [VersionCheck {
            account_id: Id(BANK),
            version: 1
        }]
    );
    assert_eq!(
        p.pending_updates(),
        [PendingUpdate {
            pending_id: Id(10),
            from: PendingState::Pending,
            to: PendingState::Posted
        }]
    );
    let created: Vec<(Id, PendingState, u64)> = p
        .new_transfers()
        .iter()
        .map(|k| (k.given.id, k.state, k.seq))
        .collect();
    assert_eq!(
        created,
        [
            (Id(11), PendingState::None, 3),
            (Id(20), PendingState::Voided, 4),
            (Id(21), PendingState::None, 5),
            (Id(80), PendingState::None, 6),
            (Id(91), PendingState::None, 7)
        ]
    );
    assert_eq!(
        p.new_failures(),
        [
            StickyFailure {
                id: Id(71),
                code: "EXCEEDS_CREDITS"
            },
            StickyFailure {
                id: Id(90),
                code: "EXCEEDS_CREDITS"
            }
        ]
    );

    l.commit_plan(&p)?;
    assert_eq!(state(&l, ids), state(&applied, ids));
    // Sticky failures were stored alike: the same batch again gives the same results.
    assert_eq!(l.clone().apply(&batch)?, applied.clone().apply(&batch)?);
    let report = audit::verify(&accounts(sar), l.entries());
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 7);
    Ok(())
}

#[test]
fn two_writers_that_read_the_same_balance_cannot_both_spend_it() -> R {
    let sar = sar()?;
    let mut l = ledger(sar);
    // The wallet holds SAR 100.00 after three deposits: version 3.
    l.apply(&[
        deposit(1, 5_000, sar),
        deposit(2, 3_000, sar),
        deposit(3, 2_000, sar),
    ])?;
    let w = l.account(Id(WALLET)).ok_or("wallet")?;
    assert_eq!(
        (w.balances.posted(w.account.normal), w.version),
        (10_000, 3)
    );

    // Two requests read the same snapshot, each plans a SAR 80.00 payment.
    let a = plan(&l.plan_input(&[payment(501, 8_000, sar)]))?;
    let b = plan(&l.plan_input(&[payment(502, 8_000, sar)]))?;
    for p in [&a, &b] {
        assert_eq!(p.results(), [Ok(Outcome::Created { seq: 4 })]);
        assert_eq!(p.account_updates()[0].account_id, Id(WALLET));
        assert_eq!(p.account_updates()[0].expected_version, 3);
        assert_eq!(p.account_updates()[0].new_version, 4);
        assert_eq!(p.account_updates()[0].balances.debits_posted, 8_000);
    }

    // The first commits; the second read a stale balance and conflicts, changing nothing.
    l.commit_plan(&a)?;
    let after_a = state(&l, [501, 502]);
    assert_eq!(
        l.commit_plan(&b),
        Err(TransferError::VersionConflict {
            account_id: Id(WALLET),
            expected: 3,
            actual: 4
        })
    );
    assert_eq!(
        l.commit_plan(&b).map_err(|e| e.code()),
        Err("VERSION_CONFLICT")
    );
    assert_eq!(state(&l, [501, 502]), after_a);
    let w = l.account(Id(WALLET)).ok_or("wallet")?;
    assert_eq!((w.balances.posted(w.account.normal), w.version), (2_000, 4));

    // Planning again from a fresh snapshot: the wallet holds 20.00, not 80.00.
    let again = plan(&l.plan_input(&[payment(502, 8_000, sar)]))?;
    assert_eq!(
        again.results(),
        [Err(TransferError::ExceedsCredits {
            account_id: Id(WALLET),
            available: "2000".into(),
            amount: "8000".into()
        })]
    );
    assert!(again.entries().is_empty() && again.account_updates().is_empty());
    assert_eq!(
        again.account_checks(),
        [
            VersionCheck {
                account_id: Id(WALLET),
                version: 4
            },
            VersionCheck {
                account_id: Id(MERCHANT),
                version: 1
            }
        ]
    );
    l.commit_plan(&again)?;
    let w = l.account(Id(WALLET)).ok_or("wallet")?;
    assert_eq!((w.balances.posted(w.account.normal), w.version), (2_000, 4));
    let m = l.account(Id(MERCHANT)).ok_or("merchant")?;
    assert_eq!(m.balances.posted(m.account.normal), 8_000);
    // The failure is sticky.
    assert_eq!(
        l.apply(&[payment(502, 8_000, sar)])?,
        [Err(TransferError::IdAlreadyFailed {
            id: Id(502),
            first: "EXCEEDS_CREDITS"
        })]
    );
    assert_eq!(l.entries().len(), 4);
    Ok(())
}

#[test]
fn writers_on_different_accounts_conflict_on_the_journal_head() -> R {
    let sar = sar()?;
    let mut l = ledger(sar);
    l.create_accounts(&[Account::new(1002u128, sar)]);
    l.apply(&[deposit(1, 10_000, sar)])?;
    let a = plan(&l.plan_input(&[payment(501, 1_000, sar)]))?;
    let b = plan(&l.plan_input(&[Transfer::new(
        502u128,
        BANK,
        1002u128,
        1_000,
        sar,
        Code::Deposit,
        at(2),
    )]))?;
    l.commit_plan(&a)?;
    // The accounts differ, but b's entry would chain from entry 1, no longer the head.
    assert_eq!(
        l.commit_plan(&b),
        Err(TransferError::VersionConflict {
            account_id: Id::NONE,
            expected: 1,
            actual: 2
        })
    );
    assert_eq!(l.entries().len(), 2);
    // Planned again, it chains from entry 2.
    let b = plan(&l.plan_input(&[Transfer::new(
        502u128,
        BANK,
        1002u128,
        1_000,
        sar,
        Code::Deposit,
        at(2),
    )]))?;
    assert_eq!(b.entries()[0].prev_hash, l.last_hash());
    l.commit_plan(&b)?;
    assert!(
        audit::verify(
            &l.accounts().map(|a| a.account.clone()).collect::<Vec<_>>(),
            l.entries()
        )
        .ok
    );
    Ok(())
}

fn hex_of(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_retry_with_the_stored_transfer_is_exists_and_writes_nothing() -> R {
    let sar = sar()?;
    let mut l = ledger(sar);
    plan_and_commit(&mut l, &[deposit(1, 10_000, sar)])?;
    let pay = payment(501, 8_000, sar).with_reference("BOOKING-7731");
    assert_eq!(
        plan_and_commit(&mut l, std::slice::from_ref(&pay))?,
        [Ok(Outcome::Created { seq: 2 })]
    );
    // The duplicate webhook: the host finds transfer 501 and passes it.
    let input = l.plan_input(std::slice::from_ref(&pay));
    assert_eq!(input.transfers.len(), 1);
    assert_eq!(input.transfers[0].seq, 2);
    let p = plan(&input)?;
    assert_eq!(p.results(), [Ok(Outcome::Exists { seq: 2 })]);
    assert!(p.entries().is_empty());
    assert!(p.account_updates().is_empty() && p.new_transfers().is_empty());
    assert!(p.new_failures().is_empty() && p.pending_updates().is_empty());
    assert!(!p.writes());
    assert_eq!(p.head(), p.base());
    let before = state(&l, [501]);
    l.commit_plan(&p)?;
    assert_eq!(state(&l, [501]), before);
    // Another body under the same id names the field.
    let mut other = pay;
    other.amount = 8_001;
    let p = plan(&l.plan_input(&[other]))?;
    assert_eq!(
        p.results()[0].clone().map_err(|e| e.code()),
        Err("EXISTS_WITH_DIFFERENT_AMOUNT")
    );
    // Had the host not passed the stored transfer, the plan would create it again — and
    // the commit (the host's unique key) refuses it.
    let mut forgot = l.plan_input(&[payment(501, 1_000, sar).with_reference("BOOKING-7731")]);
    forgot.transfers.clear();
    let twice = plan(&forgot)?;
    assert_eq!(twice.results(), [Ok(Outcome::Created { seq: 3 })]);
    assert_eq!(
        l.commit_plan(&twice),
        Err(TransferError::VersionConflict {
            account_id: Id::NONE,
            expected: 2,
            actual: 2
        })
    );
    assert_eq!(l.entries().len(), 2);
    Ok(())
}

#[test]
fn a_pending_transfer_posts_from_a_snapshot() -> R {
    let sar = sar()?;
    let mut l = ledger(sar);
    l.apply(&[
        deposit(1, 500_000, sar),
        payment(10, 100_000, sar).with_flags(flags(|f| f.pending = true)),
    ])?;
    // A post of 600.00 of the 1,000.00 held (with its unit: the amount's scale).
    let mut post = Transfer::resolve(11u128, 10u128, true, 60_000, at(2));
    post.unit = Some(sar);
    let input = l.plan_input(std::slice::from_ref(&post));
    // The host read both accounts of the pending transfer, and the transfer itself.
    let ids: Vec<Id> = input.accounts.iter().map(|a| a.account.id).collect();
    assert_eq!(ids, [Id(WALLET), Id(MERCHANT)]);
    assert_eq!(input.transfers.len(), 1);
    assert_eq!(input.transfers[0].state, PendingState::Pending);
    // Through JSON, as a host sends it.
    let json = serde_json::to_string(&input)?;
    assert!(json.contains(r#""state":"PENDING""#), "{json}");
    assert!(json.contains(r#""debits_pending":"100000""#), "{json}");
    assert!(json.contains(r#""amount":"600.00""#), "{json}");
    let input: PlanInput = serde_json::from_str(&json)?;

    let p = plan(&input)?;
    assert_eq!(p.results(), [Ok(Outcome::Created { seq: 3 })]);
    assert_eq!(
        p.pending_updates(),
        [PendingUpdate {
            pending_id: Id(10),
            from: PendingState::Pending,
            to: PendingState::Posted
        }]
    );
    let w = p.account_updates()[0];
    assert_eq!(
        (w.account_id, w.expected_version, w.new_version),
        (Id(WALLET), 2, 3)
    );
    assert_eq!(
        w.balances,
        Balances {
            debits_pending: 0,
            debits_posted: 60_000,
            credits_pending: 0,
            credits_posted: 500_000
        }
    );
    let resolved = &p.new_transfers()[0].resolved;
    assert_eq!(
        (
            resolved.debit_account_id,
            resolved.credit_account_id,
            resolved.amount
        ),
        (Id(WALLET), Id(MERCHANT), 60_000)
    );
    let entry = &p.entries()[0];
    assert_eq!(
        (entry.debit.balance_before, entry.debit.balance_after),
        (500_000, 440_000)
    );
    assert_eq!(entry.debit.available_after, 440_000);
    assert_eq!(entry.prev_hash, l.last_hash());

    let value = serde_json::to_value(&p)?;
    assert_eq!(
        value["results"][0],
        serde_json::json!({"status": "CREATED", "seq": 3})
    );
    assert_eq!(value["base"]["seq"], 2);
    assert_eq!(value["head"]["seq"], 3);
    assert_eq!(value["head"]["hash"], hex_of(&entry.hash));
    assert_eq!(
        value["account_updates"][0],
        serde_json::json!({"account_id": "1001", "expected_version": 2, "new_version": 3,
            "balances": {"debits_pending": "0", "debits_posted": "60000",
                         "credits_pending": "0", "credits_posted": "500000"}})
    );
    assert_eq!(
        value["pending_updates"][0],
        serde_json::json!({"pending_id": "10", "from": "PENDING", "to": "POSTED"})
    );
    assert_eq!(value["entries"][0]["seq"], 3);

    let mut applied = l.clone();
    applied.apply(&[post])?;
    l.commit_plan(&p)?;
    assert_eq!(state(&l, [10, 11]), state(&applied, [10, 11]));
    // A second post from the now stale snapshot conflicts.
    let again = plan(&input)?;
    assert!(matches!(
        l.commit_plan(&again),
        Err(TransferError::VersionConflict { .. })
    ));
    Ok(())
}

#[test]
fn a_host_snapshot_in_json_plans() -> R {
    // What a host's queries return for a SAR 80.00 payment: the two accounts, no stored
    // transfer, a failure under another id, the head of a journal of 12 entries.
    let head = "9f".repeat(32);
    let json = format!(
        r#"{{
        "accounts": [
          {{"account": {{"id": "1001", "unit": "SAR", "must_not_go_negative": true,
                        "code": "WALLET", "owner": "CUST-10442"}},
           "balances": {{"debits_pending": "0", "debits_posted": "2500",
                        "credits_pending": "0", "credits_posted": "12500"}},
           "version": 3}},
          {{"account": {{"id": "2001", "unit": "SAR", "code": "MERCHANT"}},
           "balances": {{"debits_pending": "0", "debits_posted": "0",
                        "credits_pending": "0", "credits_posted": "2500"}},
           "version": 1}}
        ],
        "failed": [{{"id": "600", "code": "EXCEEDS_CREDITS"}}],
        "last_seq": 12,
        "last_hash": "{head}",
        "batch": [{{"id": "0190c6a2-7c1e-7d3a-9b1e-4f2a6c8d0e11", "debit_account_id": "1001",
                   "credit_account_id": "2001", "amount": "80.00", "unit": "SAR",
                   "code": "PAYMENT", "reference": "BOOKING-7731",
                   "at": "2026-11-22T09:00:00Z"}},
                  {{"id": "600", "debit_account_id": "1001", "credit_account_id": "2001",
                   "amount": "1.00", "unit": "SAR", "code": "PAYMENT",
                   "at": "2026-11-22T09:00:00Z"}}]
    }}"#
    );
    let input: PlanInput = serde_json::from_str(&json)?;
    let p = plan(&input)?;
    assert_eq!(
        p.results(),
        [
            Ok(Outcome::Created { seq: 13 }),
            Err(TransferError::IdAlreadyFailed {
                id: Id(600),
                first: "EXCEEDS_CREDITS"
            })
        ]
    );
    let e = &p.entries()[0];
    assert_eq!(e.seq, 13);
    assert_eq!(hex_of(&e.prev_hash), head);
    assert_eq!(
        (e.debit.balance_before, e.debit.balance_after),
        (10_000, 2_000)
    );
    assert_eq!((e.debit.version, e.credit.version), (4, 2));
    assert_eq!(p.head().hash, e.hash);
    assert_eq!(e.hash, e.compute_hash(&mut Vec::new()));
    let v = serde_json::to_value(&p)?;
    assert_eq!(v["results"][1]["code"], "ID_ALREADY_FAILED");
    assert_eq!(v["new_transfers"][0]["seq"], 13);
    assert_eq!(v["new_transfers"][0]["given"]["amount"], "80.00");
    assert_eq!(v["new_failures"], serde_json::json!([]));

    // A failure code that is not sticky is refused when read.
    let bad = json.replace(
        r#""code": "EXCEEDS_CREDITS""#,
        r#""code": "AMOUNT_MUST_NOT_BE_ZERO""#,
    );
    let err = serde_json::from_str::<PlanInput>(&bad)
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("not a sticky failure code")),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn an_inconsistent_snapshot_is_refused_with_its_values() -> R {
    let sar = sar()?;
    let mut l = ledger(sar);
    l.apply(&[
        deposit(1, 10_000, sar),
        payment(10, 1_000, sar).with_flags(flags(|f| f.pending = true)),
    ])?;
    let post = Transfer::resolve(11u128, 10u128, true, 0, at(2));
    let good = l.plan_input(std::slice::from_ref(&post));
    let err = |f: &dyn Fn(&mut PlanInput)| {
        let mut input = good.clone();
        f(&mut input);
        plan(&input).err()
    };

    let dup = err(&|i| {
        let first = i.accounts[0].clone();
        i.accounts.push(first);
    });
    assert_eq!(
        dup,
        Some(PlanError::DuplicateAccount {
            account_id: Id(WALLET)
        })
    );
    assert_eq!(dup.as_ref().map(PlanError::code), Some("DUPLICATE_ACCOUNT"));
    let v = dup.map(|e| e.to_value()).unwrap_or_default();
    assert_eq!(v["code"], "DUPLICATE_ACCOUNT");
    assert_eq!(v["account_id"], "1001");
    assert_eq!(v["message"], "account 1001 is given twice");

    assert_eq!(
        err(&|i| i.accounts.retain(|a| a.account.id != Id(MERCHANT))),
        Some(PlanError::PendingAccountMissing {
            pending_id: Id(10),
            account_id: Id(MERCHANT)
        })
    );
    assert_eq!(
        err(&|i| i.last_hash = "xyz".into()),
        Some(PlanError::InvalidLastHash {
            value: "xyz".into()
        })
    );
    assert_eq!(
        err(&|i| i.last_seq = 0).map(|e| e.code()),
        Some("INCONSISTENT_HEAD")
    );
    assert_eq!(
        err(&|i| i.last_hash = "0".repeat(64)).map(|e| e.code()),
        Some("INCONSISTENT_HEAD")
    );
    assert_eq!(
        err(&|i| i.batch = vec![post.clone(); BATCH_MAX + 1]),
        Some(PlanError::BatchTooLarge {
            max: BATCH_MAX,
            actual: BATCH_MAX + 1
        })
    );
    assert_eq!(
        err(&|i| {
            let t = i.transfers[0].clone();
            i.transfers.push(t);
        }),
        Some(PlanError::DuplicateTransfer { id: Id(10) })
    );
    assert_eq!(
        err(&|i| i.transfers[0].seq = 3),
        Some(PlanError::TransferSeqOutOfRange {
            id: Id(10),
            seq: 3,
            last_seq: 2
        })
    );
    assert_eq!(
        err(&|i| i.transfers[0].resolved.id = Id(12)),
        Some(PlanError::TransferIdsDiffer {
            given: Id(10),
            resolved: Id(12)
        })
    );
    assert_eq!(
        err(&|i| i.failed = vec![
            StickyFailure {
                id: Id(9),
                code: STICKY_CODES[0]
            };
            2
        ]),
        Some(PlanError::DuplicateFailure { id: Id(9) })
    );
    assert_eq!(
        err(&|i| i.failed.push(StickyFailure {
            id: Id(9),
            code: "VERSION_CONFLICT"
        })),
        Some(PlanError::UnknownFailureCode {
            id: Id(9),
            given: "VERSION_CONFLICT".into()
        })
    );
    assert_eq!(
        err(&|i| i.accounts[0].version = MAX_VERSION + 1),
        Some(PlanError::VersionOutOfRange {
            account_id: Id(WALLET),
            version: MAX_VERSION + 1,
            max: MAX_VERSION
        })
    );
    assert_eq!(
        err(&|i| i.accounts[0].balances.debits_posted = u128::MAX),
        Some(PlanError::BalanceOutOfRange {
            account_id: Id(WALLET),
            field: "debits_posted",
            value: u128::MAX.to_string()
        })
    );
    assert_eq!(
        err(&|i| i.last_seq = u64::MAX).map(|e| e.code()),
        Some("SEQ_OUT_OF_RANGE")
    );
    // The good snapshot plans.
    assert!(plan(&good).is_ok());
    Ok(())
}

#[test]
fn a_snapshot_account_built_by_hand_plans_like_the_ledger() -> R {
    let sar = sar()?;
    let mut l = ledger(sar);
    l.apply(&[deposit(1, 10_000, sar)])?;
    let input = PlanInput {
        accounts: [WALLET, MERCHANT]
            .iter()
            .filter_map(|id| l.account(Id(*id)))
            .map(|a| AccountSnapshot {
                account: a.account.clone(),
                balances: a.balances,
                version: a.version,
            })
            .collect(),
        transfers: Vec::<KnownTransfer>::new(),
        failed: Vec::new(),
        last_seq: 1,
        last_hash: hex_of(&l.last_hash()),
        batch: vec![payment(2, 4_000, sar)],
    };
    assert_eq!(input, l.plan_input(&[payment(2, 4_000, sar)]));
    let p = plan(&input)?;
    let mut applied = l.clone();
    applied.apply(&[payment(2, 4_000, sar)])?;
    l.commit_plan(&p)?;
    assert_eq!(state(&l, [2]), state(&applied, [2]));
    Ok(())
}

// ------------------------------------------------------------------ properties

const N: u128 = 5;

fn unit() -> Unit {
    Unit::Points { scale: 0 }
}

/// Accounts 1..=5: 1 a debit-normal source, 2 and 3 wallets that must not go negative (3
/// with an overdraft of 100), 4 a free account, 5 a debit-normal account that must not
/// go negative.
fn prop_accounts() -> Vec<Account> {
    (1..=N)
        .map(|id| {
            let a = Account::new(id, unit());
            match id {
                1 => a.debit_normal(),
                2 => a.must_not_go_negative(),
                3 => {
                    let mut a = a.must_not_go_negative();
                    a.overdraft_limit = 100;
                    a
                }
                5 => a.debit_normal().must_not_go_negative(),
                _ => a,
            }
        })
        .collect()
}

fn op() -> impl Strategy<Value = Transfer> {
    (
        1u128..30,
        1u128..=N + 1,
        1u128..=N,
        prop_oneof![1u128..60, 1u128..3000],
        prop_oneof![4 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)],
        1u128..30,
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(id, debit, credit, amount, kind, pending_id, balancing, linked)| {
                let f = TransferFlags {
                    linked,
                    pending: kind == 1,
                    post_pending: kind == 2,
                    void_pending: kind == 3,
                    balancing_debit: balancing && kind < 2,
                    balancing_credit: false,
                };
                if kind >= 2 {
                    let amount = if kind == 3 { 0 } else { amount };
                    let mut t = Transfer::resolve(id, pending_id, kind == 2, amount, at(0));
                    t.flags = f;
                    t
                } else {
                    Transfer::new(id, debit, credit, amount, unit(), Code::Adjustment, at(0))
                        .with_flags(f)
                }
            },
        )
}

fn prop_ledger() -> Ledger {
    let mut l = Ledger::new();
    l.create_accounts(&prop_accounts());
    let _ = l.apply(&[
        Transfer::new(1000u128, 1u128, 2u128, 1500, unit(), Code::Deposit, at(0)),
        Transfer::new(1001u128, 1u128, 3u128, 1500, unit(), Code::Deposit, at(0)),
        Transfer::new(1002u128, 5u128, 4u128, 1, unit(), Code::Deposit, at(0)),
    ]);
    l
}

const IDS: std::ops::Range<u128> = 1..30;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A plan committed on the ledger it was read from leaves it exactly as `apply` would:
    /// results, entries (hashes), balances, versions, transfers and sticky failures.
    #[test]
    fn plan_and_commit_equal_apply(
        batches in prop::collection::vec(prop::collection::vec(op(), 1..8), 1..10),
    ) {
        let mut planned = prop_ledger();
        let mut applied = planned.clone();
        for batch in &batches {
            let want = applied.apply(batch);
            let p = plan(&planned.plan_input(batch));
            let Ok(p) = p else {
                return Err(TestCaseError::fail(format!("plan refused: {p:?}")));
            };
            prop_assert_eq!(Ok(p.results().to_vec()), want);
            prop_assert_eq!(planned.commit_plan(&p), Ok(()));
            prop_assert_eq!(state(&planned, IDS), state(&applied, IDS));
            // Sticky failures alike: the batch again gives the same results on both.
            prop_assert_eq!(planned.clone().apply(batch), applied.clone().apply(batch));
        }
        let report = audit::verify(&prop_accounts(), planned.entries());
        prop_assert!(report.ok, "{:?}", report.first_broken);
    }

    /// A plan read before another batch committed either conflicts (changing nothing) or
    /// commits exactly what `apply` of its batch would do now.
    #[test]
    fn a_stale_plan_conflicts_or_equals_apply_now(
        first in prop::collection::vec(op(), 1..6),
        second in prop::collection::vec(op(), 1..6),
        history in prop::collection::vec(op(), 0..6),
    ) {
        let mut l = prop_ledger();
        let _ = l.apply(&history);
        let stale = plan(&l.plan_input(&second));
        let Ok(stale) = stale else {
            return Err(TestCaseError::fail(format!("plan refused: {stale:?}")));
        };
        let p = plan(&l.plan_input(&first));
        let Ok(p) = p else {
            return Err(TestCaseError::fail(format!("plan refused: {p:?}")));
        };
        prop_assert_eq!(l.commit_plan(&p), Ok(()));
        let before = state(&l, IDS);
        let mut now = l.clone();
        let _ = now.apply(&second);
        match l.commit_plan(&stale) {
            Ok(()) => {
                prop_assert_eq!(state(&l, IDS), state(&now, IDS));
                prop_assert_eq!(l.clone().apply(&second), now.clone().apply(&second));
            }
            Err(TransferError::VersionConflict { .. }) => {
                prop_assert_eq!(state(&l, IDS), before);
            }
            Err(e) => return Err(TestCaseError::fail(format!("unexpected {e:?}"))),
        }
        let report = audit::verify(&prop_accounts(), l.entries());
        prop_assert!(report.ok, "{:?}", report.first_broken);
    }
}

#[test]
fn a_sticky_failure_under_a_used_id_is_not_given_to_store() -> R {
    // Transfer 21 exists; a post under id 21 names an unknown pending transfer. The ledger
    // remembers the failure under 21 too, but a stored transfer answers first, so the plan
    // does not ask the host to store it (its unique key over ids would refuse it forever).
    let sar = sar()?;
    let mut l = ledger(sar);
    plan_and_commit(&mut l, &[deposit(21, 1_000, sar)])?;
    let post = Transfer::resolve(21u128, 1u128, true, 0, at(2));
    let mut applied = l.clone();
    let want = applied.apply(std::slice::from_ref(&post))?;
    let p = plan(&l.plan_input(std::slice::from_ref(&post)))?;
    assert_eq!(p.results(), want.as_slice());
    assert!(p.new_failures().is_empty() && !p.writes());
    l.commit_plan(&p)?;
    assert_eq!(state(&l, [1, 21]), state(&applied, [1, 21]));
    assert_eq!(
        l.apply(std::slice::from_ref(&post))?,
        applied.apply(std::slice::from_ref(&post))?
    );
    Ok(())
}
