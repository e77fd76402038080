//! State-machine property tests of the transfer engine against a simple reference model
//! (a map of balances and a list of transfers, written independently of `Ledger`):
//! random batches of single-phase, pending, post, void, balancing and linked transfers over
//! a few accounts, with colliding ids and stale retries.
//!
//! After every batch: the results (OK or the error code) equal the model's; balances equal
//! the model's; conservation per unit (Σ debits = Σ credits, posted and pending); no
//! `must_not_go_negative` account below zero, holds included; the journal verifies (hash
//! chain, balance chains, replay); a batch that fails entirely leaves the ledger
//! byte-identical; replaying the whole history changes nothing (exactly once per id).

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rihla_ledger::{
    audit, Account, Balances, Code, Id, Ledger, Outcome, Transfer, TransferFlags, Unit,
};
use std::collections::{BTreeMap, BTreeSet};

const ACCOUNTS: u128 = 5;

fn unit() -> Unit {
    Unit::Points { scale: 0 }
}

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default()
}

/// Accounts 1..=5: 1 a debit-normal source, 2 and 3 credit-normal wallets that must not go
/// negative, 4 and 5 free credit-normal accounts.
fn accounts() -> Vec<Account> {
    (1..=ACCOUNTS)
        .map(|id| {
            let a = Account::new(id, unit());
            match id {
                1 => a.debit_normal(),
                2 | 3 => a.must_not_go_negative(),
                _ => a,
            }
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Op {
    id: u128,
    debit: u128,
    credit: u128,
    amount: u128,
    kind: u8, // 0 single, 1 pending, 2 post, 3 void
    pending_id: u128,
    balancing: bool,
    linked: bool,
}

fn op() -> impl Strategy<Value = Op> {
    (
        1u128..40,
        1u128..=ACCOUNTS,
        1u128..=ACCOUNTS,
        prop_oneof![1u128..50, 1u128..2000],
        prop_oneof![4 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)],
        1u128..40,
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(id, debit, credit, amount, kind, pending_id, balancing, linked)| Op {
                id,
                debit,
                credit,
                amount: if kind == 3 { 0 } else { amount },
                kind,
                pending_id,
                balancing,
                linked,
            },
        )
}

fn transfer(o: &Op) -> Transfer {
    let flags = TransferFlags {
        linked: o.linked,
        pending: o.kind == 1,
        post_pending: o.kind == 2,
        void_pending: o.kind == 3,
        balancing_debit: o.balancing && o.kind < 2,
        balancing_credit: false,
    };
    if o.kind >= 2 {
        let mut t = Transfer::resolve(o.id, o.pending_id, o.kind == 2, o.amount, at());
        t.flags = flags;
        t
    } else {
        Transfer::new(
            o.id,
            o.debit,
            o.credit,
            o.amount,
            unit(),
            Code::Adjustment,
            at(),
        )
        .with_flags(flags)
    }
}

// ---------------------------------------------------------------- the reference model

#[derive(Debug, Clone, PartialEq)]
enum St {
    Plain,
    Pending,
    Posted,
    Voided,
}

#[derive(Debug, Clone)]
struct MT {
    given: Op,
    debit: u128,
    credit: u128,
    amount: u128,
    st: St,
}

#[derive(Debug, Clone, Default)]
struct Model {
    bal: BTreeMap<u128, Balances>,
    transfers: BTreeMap<u128, MT>,
    failed: BTreeSet<u128>,
}

impl Model {
    fn new() -> Model {
        let mut m = Model::default();
        for id in 1..=ACCOUNTS {
            m.bal.insert(id, Balances::default());
        }
        m
    }

    fn limited(id: u128) -> bool {
        id == 2 || id == 3
    }

    fn room(&self, id: u128) -> Option<u128> {
        let b = self.bal.get(&id)?;
        Model::limited(id).then(|| {
            b.credits_posted
                .saturating_sub(b.debits_posted + b.debits_pending)
        })
    }

    /// One transfer: the result code ("OK", "EXISTS" or the error code).
    fn one(&mut self, o: &Op) -> &'static str {
        let resolves = o.kind >= 2;
        if resolves {
            if o.pending_id == o.id {
                return "PENDING_ID_MUST_BE_DIFFERENT";
            }
        } else {
            if o.debit == o.credit {
                return "ACCOUNTS_MUST_BE_DIFFERENT";
            }
        }
        if resolves {
            let Some(p) = self.transfers.get(&o.pending_id).cloned() else {
                self.failed.insert(o.id);
                return "PENDING_TRANSFER_NOT_FOUND";
            };
            if p.st == St::Plain {
                return "PENDING_TRANSFER_NOT_PENDING";
            }
            if o.kind == 2 && o.amount > p.amount {
                return "EXCEEDS_PENDING_TRANSFER_AMOUNT";
            }
            if let Some(code) = self.exists(o) {
                return code;
            }
            if self.failed.contains(&o.id) {
                return "ID_ALREADY_FAILED";
            }
            match p.st {
                St::Posted => return "PENDING_TRANSFER_ALREADY_POSTED",
                St::Voided => return "PENDING_TRANSFER_ALREADY_VOIDED",
                _ => {}
            }
            let moved = if o.kind == 2 {
                if o.amount == 0 {
                    p.amount
                } else {
                    o.amount
                }
            } else {
                0
            };
            if let Some(b) = self.bal.get_mut(&p.debit) {
                b.debits_pending -= p.amount;
                b.debits_posted += moved;
            }
            if let Some(b) = self.bal.get_mut(&p.credit) {
                b.credits_pending -= p.amount;
                b.credits_posted += moved;
            }
            if let Some(pt) = self.transfers.get_mut(&o.pending_id) {
                pt.st = if o.kind == 2 { St::Posted } else { St::Voided };
            }
            self.transfers.insert(
                o.id,
                MT {
                    given: o.clone(),
                    debit: p.debit,
                    credit: p.credit,
                    amount: moved,
                    st: St::Plain,
                },
            );
            return "OK";
        }
        if let Some(code) = self.exists(o) {
            return code;
        }
        if self.failed.contains(&o.id) {
            return "ID_ALREADY_FAILED";
        }
        let mut amount = o.amount;
        if o.balancing {
            amount = amount.min(self.room(o.debit).unwrap_or(u128::MAX));
        }
        if let Some(room) = self.room(o.debit) {
            if amount > room || amount == 0 {
                self.failed.insert(o.id);
                return "EXCEEDS_CREDITS";
            }
        }
        let pending = o.kind == 1;
        if let Some(b) = self.bal.get_mut(&o.debit) {
            if pending {
                b.debits_pending += amount;
            } else {
                b.debits_posted += amount;
            }
        }
        if let Some(b) = self.bal.get_mut(&o.credit) {
            if pending {
                b.credits_pending += amount;
            } else {
                b.credits_posted += amount;
            }
        }
        self.transfers.insert(
            o.id,
            MT {
                given: o.clone(),
                debit: o.debit,
                credit: o.credit,
                amount,
                st: if pending { St::Pending } else { St::Plain },
            },
        );
        "OK"
    }

    fn exists(&self, o: &Op) -> Option<&'static str> {
        let e = &self.transfers.get(&o.id)?.given;
        let flags = |x: &Op| (x.kind, x.balancing && x.kind < 2, x.linked);
        Some(if flags(e) != flags(o) {
            "EXISTS_WITH_DIFFERENT_FLAGS"
        } else if e.kind >= 2 && e.pending_id != o.pending_id {
            "EXISTS_WITH_DIFFERENT_PENDING_ID"
        } else if e.kind < 2 && e.debit != o.debit {
            "EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID"
        } else if e.kind < 2 && e.credit != o.credit {
            "EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID"
        } else if e.amount != o.amount {
            "EXISTS_WITH_DIFFERENT_AMOUNT"
        } else {
            "EXISTS"
        })
    }

    /// A batch: chains all or nothing.
    fn batch(&mut self, ops: &[Op]) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ops.len() {
            let mut end = i;
            while ops[end].linked && end + 1 < ops.len() {
                end += 1;
            }
            let chain = &ops[i..=end];
            let open = chain.last().is_some_and(|o| o.linked);
            let saved = self.clone();
            let mut codes = Vec::new();
            let mut failed = None;
            for (k, o) in chain.iter().enumerate() {
                let c = if open && k + 1 == chain.len() {
                    "LINKED_EVENT_CHAIN_OPEN"
                } else {
                    self.one(o)
                };
                let ok = c == "OK" || c == "EXISTS";
                codes.push(c);
                if !ok {
                    failed = Some(k);
                    break;
                }
            }
            match failed {
                Some(k) if chain.len() > 1 || open => {
                    let sticky =
                        self.failed.contains(&chain[k].id) && !saved.failed.contains(&chain[k].id);
                    *self = saved;
                    if sticky {
                        self.failed.insert(chain[k].id);
                    }
                    for j in 0..chain.len() {
                        out.push(if j == k {
                            codes[k]
                        } else {
                            "LINKED_EVENT_FAILED"
                        });
                    }
                }
                _ => out.extend(codes),
            }
            i = end + 1;
        }
        out
    }
}

fn code_of(r: &Result<Outcome, rihla_ledger::TransferError>) -> &'static str {
    match r {
        Ok(Outcome::Created { .. }) => "OK",
        Ok(Outcome::Exists { .. }) => "EXISTS",
        Err(e) => e.code(),
    }
}

fn snapshot(l: &Ledger) -> (Vec<(Id, Balances, u64)>, usize, [u8; 32]) {
    let mut a: Vec<(Id, Balances, u64)> = l
        .accounts()
        .map(|s| (s.account.id, s.balances, s.version))
        .collect();
    a.sort_by_key(|x| x.0);
    (a, l.entries().len(), l.last_hash())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_ledger_matches_the_model_and_keeps_its_invariants(
        batches in prop::collection::vec(prop::collection::vec(op(), 1..6), 1..12),
    ) {
        let mut l = Ledger::new();
        l.create_accounts(&accounts());
        // Fund the wallets so payments can succeed.
        let mut m = Model::new();
        let fund: Vec<Op> = [2u128, 3].iter().enumerate().map(|(k, w)| Op {
            id: 1000 + k as u128, debit: 1, credit: *w, amount: 1500, kind: 0,
            pending_id: 0, balancing: false, linked: false,
        }).collect();
        let fund_t: Vec<Transfer> = fund.iter().map(transfer).collect();
        let _ = l.apply(&fund_t);
        m.batch(&fund);

        let mut history: Vec<Vec<Transfer>> = vec![fund_t];
        for ops in &batches {
            let ts: Vec<Transfer> = ops.iter().map(transfer).collect();
            let before = snapshot(&l);
            let Ok(results) = l.apply(&ts) else {
                return Err(TestCaseError::fail("batch refused"));
            };
            let got: Vec<&str> = results.iter().map(code_of).collect();
            let want = m.batch(ops);
            prop_assert_eq!(&got, &want, "batch {:?}", ops);
            if results.iter().all(|r| r.is_err() || matches!(r, Ok(Outcome::Exists { .. }))) {
                prop_assert_eq!(snapshot(&l), before, "a batch that created nothing changed the ledger");
            }
            history.push(ts);

            // Balances equal the model's; conservation; no overdraft.
            let (mut dp, mut cp, mut dq, mut cq) = (0u128, 0u128, 0u128, 0u128);
            for id in 1..=ACCOUNTS {
                let Some(a) = l.account(Id(id)) else { return Err(TestCaseError::fail("account")) };
                prop_assert_eq!(Some(&a.balances), m.bal.get(&id));
                let b = a.balances;
                dp += b.debits_posted; cp += b.credits_posted;
                dq += b.debits_pending; cq += b.credits_pending;
                if a.account.must_not_go_negative {
                    prop_assert!(b.debits_posted + b.debits_pending <= b.credits_posted);
                }
            }
            prop_assert_eq!(dp, cp);
            prop_assert_eq!(dq, cq);
        }
        // Each account's chain of entries is the journal filtered by the account (chains
        // rolled back leave no link behind).
        for id in 1..=ACCOUNTS {
            let chained: Vec<u64> = l.entries_of(Id(id)).map(|e| e.seq).collect();
            let filtered: Vec<u64> = l.entries().iter()
                .filter(|e| e.debit.account_id == Id(id) || e.credit.account_id == Id(id))
                .map(|e| e.seq)
                .collect();
            prop_assert_eq!(chained, filtered, "entries of account {}", id);
        }
        // The journal verifies from scratch.
        let report = audit::verify(&accounts(), l.entries());
        prop_assert!(report.ok, "{:?}", report.first_broken);
        // A snapshot, through JSON, restores the same state: accounts, journal, hash; and
        // the restored ledger answers every retry as the original does (the transfers as
        // given, the sticky failures).
        let snap = l.snapshot().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let text = serde_json::to_string(&snap).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let read: rihla_ledger::Snapshot =
            serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut restored = Ledger::restore(&read).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(snapshot(&restored), snapshot(&l));
        prop_assert_eq!(restored.entries(), l.entries());
        let mut twin = l.clone();
        for ts in &history {
            prop_assert_eq!(restored.apply(ts), twin.apply(ts));
        }
        // Replaying every batch again changes nothing: each id applies at most once.
        let before = snapshot(&l);
        for ts in &history {
            let created = l
                .apply(ts)
                .map(|r| r.iter().filter(|x| matches!(x, Ok(Outcome::Created { .. }))).count());
            prop_assert_eq!(created, Ok(0));
        }
        prop_assert_eq!(snapshot(&l), before);
    }

    #[test]
    fn allocation_is_symmetric(total in -1_000_000i64..1_000_000, weights in prop::collection::vec(1u32..1000, 1..8)) {
        use rihla_core::{allocate, Currency, Decimal, Money};
        let sar = Currency::from_code("SAR").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let w: Vec<Decimal> = weights.iter().map(|x| Decimal::from(*x)).collect();
        let a = allocate(Money::new(Decimal::new(total, 2), sar), &w).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let b = allocate(Money::new(Decimal::new(-total, 2), sar), &w).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.amount, -y.amount);
        }
        let sum: Decimal = a.iter().map(|x| x.amount).sum();
        prop_assert_eq!(sum, Decimal::new(total, 2));
    }
}
