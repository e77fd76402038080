//! Property: cashback reaches the wallet at most once. Random sequences of completion,
//! approval (with or without an actor's override), credit, cancel and clawback — driven
//! from the live record and from stale copies of it, as concurrent workers would — never
//! credit the wallet more than the cashback, never both credit and cancel, and leave a
//! journal that audits.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rihla_ledger::{
    audit, Account, BookCashback, CashbackClawback, CashbackRecord, CashbackStatus, Code, Id,
    Ledger, Unit,
};

const SOURCE: u128 = 5;
const WALLET: u128 = 1001;
const DEBT: u128 = 1101;
const AMOUNT: u128 = 89_987;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
enum Step {
    Complete(i64),
    Approve(i64, bool),
    Credit(i64),
    Cancel(i64),
    Clawback(i64, u128),
    /// Run the next step on a copy of the record taken now (a stale worker).
    Snapshot,
    /// Run the next step on the oldest stale copy.
    Stale,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0i64..20).prop_map(Step::Complete),
        ((0i64..20), any::<bool>()).prop_map(|(d, o)| Step::Approve(d, o)),
        (0i64..20).prop_map(Step::Credit),
        (0i64..20).prop_map(Step::Cancel),
        ((0i64..20), 1u128..100_000).prop_map(|(d, a)| Step::Clawback(d, a)),
        Just(Step::Snapshot),
        Just(Step::Stale),
    ]
}

fn run(record: &mut CashbackRecord, l: &mut Ledger, s: &Step, sar: Unit) {
    let at = |d: i64| t0() + Duration::days(d);
    let _ = match s {
        Step::Complete(d) => record.complete(at(*d)).map(|_| ()),
        Step::Approve(d, o) => record.approve(at(*d), "ops@platform", *o).map(|_| ()),
        Step::Credit(d) => record.credit(l, at(*d)).map(|_| ()),
        Step::Cancel(d) => record
            .cancel(l, at(*d), "ops@platform", "customer request")
            .map(|_| ()),
        Step::Clawback(d, a) => record
            .clawback(
                l,
                &CashbackClawback {
                    at: at(*d),
                    amount: *a,
                    unit: sar,
                    debt_account: Id(DEBT),
                    actor: Some("ops@platform".into()),
                    reason: "refund".into(),
                },
            )
            .map(|_| ()),
        Step::Snapshot | Step::Stale => Ok(()),
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn cashback_reaches_the_wallet_at_most_once(steps in prop::collection::vec(step(), 1..14)) {
        let sar = Unit::parse("SAR").map_err(TestCaseError::fail)?;
        let accounts = [
            Account::new(SOURCE, sar).debit_normal(),
            Account::new(WALLET, sar).must_not_go_negative(),
            Account::new(DEBT, sar).debit_normal(),
        ];
        let mut l = Ledger::new();
        l.create_accounts(&accounts);
        let booked = CashbackRecord::book(&mut l, &BookCashback {
            id: Id(3001), reference: "BKG-1042".into(), wallet: Id(WALLET), source: Id(SOURCE),
            amount: AMOUNT, unit: sar, at: t0(), hold_days: 7,
        });
        let Ok((mut live, _)) = booked else { return Err(TestCaseError::fail("book")) };
        let mut stale: Vec<CashbackRecord> = Vec::new();
        let mut on_stale = false;
        for s in &steps {
            match s {
                Step::Snapshot => stale.push(live.clone()),
                Step::Stale => on_stale = !stale.is_empty(),
                _ if on_stale => {
                    if let Some(copy) = stale.first_mut() {
                        run(copy, &mut l, s, sar);
                    }
                    on_stale = false;
                }
                _ => run(&mut live, &mut l, s, sar),
            }
            // What the source ever posted to the wallet: at most the cashback.
            let credited: u128 = l.entries().iter()
                .filter(|e| e.transfer.code == Some(Code::Cashback)
                    && e.debit.account_id == Id(SOURCE) && e.credit.account_id == Id(WALLET)
                    && !e.transfer.flags.pending && !e.transfer.flags.void_pending)
                .map(|e| e.transfer.amount)
                .sum();
            prop_assert!(credited <= AMOUNT, "credited {credited}");
            let voided = l.entries().iter().any(|e| e.transfer.flags.void_pending);
            prop_assert!(!(credited > 0 && voided), "both credited and voided");
        }
        if live.status == CashbackStatus::Credited {
            prop_assert_eq!(live.credited, AMOUNT);
        }
        let report = audit::verify(&accounts, l.entries());
        prop_assert!(report.ok, "{:?}", report.first_broken);
    }
}
