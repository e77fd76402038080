//! Transfer checks and balances found by `cargo mutants` (scripts/mutants): the credit
//! room of a limited debit-normal account, the largest balance, and the JSON of amounts
//! and overdraft limits.

use chrono::{DateTime, Utc};
use rihla_ledger::{Account, Code, Id, Ledger, Outcome, Transfer, TransferError, Unit};
use serde_json::json;

type R = Result<(), Box<dyn std::error::Error>>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

fn sar() -> Result<Unit, String> {
    Unit::parse("SAR")
}

const CLEARING: u128 = 1;
const EQUITY: u128 = 2;

/// The posted and available balances of `id`, and its debit and credit room.
fn state(l: &Ledger, id: u128) -> (i128, i128, Option<u128>, Option<u128>) {
    l.account(Id(id)).map_or((0, 0, None, None), |a| {
        (
            a.balances.posted(a.account.normal),
            a.balances.available(a.account.normal),
            a.debit_room(),
            a.credit_room(),
        )
    })
}

#[test]
fn a_limited_debit_normal_account_takes_credits_up_to_its_debits() -> R {
    let sar = sar()?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(CLEARING, sar)
            .debit_normal()
            .must_not_go_negative(),
        Account::new(EQUITY, sar),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let t = |id: u128, debit: u128, credit: u128, amount: u128| {
        Transfer::new(id, debit, credit, amount, sar, Code::Adjustment, at(0))
    };
    // SAR 100.00 into the clearing account (a debit raises it).
    assert_eq!(
        l.apply(&[t(10, CLEARING, EQUITY, 10_000)])?,
        vec![Ok(Outcome::Created { seq: 1 })]
    );
    assert_eq!(state(&l, CLEARING), (10_000, 10_000, None, Some(10_000)));
    // A credit of 100.01 does not fit; 40.00 then exactly the 60.00 left do.
    assert_eq!(
        l.apply(&[t(11, EQUITY, CLEARING, 10_001)])?,
        vec![Err(TransferError::ExceedsDebits {
            account_id: Id(CLEARING),
            available: "10000".into(),
            amount: "10001".into()
        })]
    );
    assert_eq!(
        l.apply(&[t(12, EQUITY, CLEARING, 4_000)])?,
        vec![Ok(Outcome::Created { seq: 2 })]
    );
    assert_eq!(state(&l, CLEARING), (6_000, 6_000, None, Some(6_000)));
    assert_eq!(
        l.apply(&[t(13, EQUITY, CLEARING, 6_000)])?,
        vec![Ok(Outcome::Created { seq: 3 })]
    );
    assert_eq!(state(&l, CLEARING), (0, 0, None, Some(0)));
    assert_eq!(
        l.apply(&[t(14, EQUITY, CLEARING, 1)])?,
        vec![Err(TransferError::ExceedsDebits {
            account_id: Id(CLEARING),
            available: "0".into(),
            amount: "1".into()
        })]
    );
    // The unlimited credit-normal side has no room to speak of.
    assert_eq!(state(&l, EQUITY), (0, 0, None, None));
    Ok(())
}

#[test]
fn a_balance_reaches_two_to_the_96_minus_one_and_no_further() -> R {
    const BANK: u128 = 1;
    const WALLET: u128 = 1001;
    let sar = sar()?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let most = (1u128 << 96) - 1;
    let max = rihla_ledger::amount::MAX_AMOUNT;
    let mut batch: Vec<Transfer> = (0..7)
        .map(|i| Transfer::new(100 + i, BANK, WALLET, max, sar, Code::Deposit, at(0)))
        .collect();
    batch.push(Transfer::new(
        200u128,
        BANK,
        WALLET,
        most - 7 * max,
        sar,
        Code::Deposit,
        at(0),
    ));
    let r = l.apply(&batch)?;
    assert!(r.iter().all(Result::is_ok), "{r:?}");
    let top = i128::try_from(most)?;
    assert_eq!(state(&l, WALLET), (top, top, None, None));
    assert_eq!(state(&l, BANK), (top, top, None, None));
    let shown = serde_json::to_value(l.account(Id(WALLET)))?;
    assert_eq!(shown["balance"], "792281625142643375935439503.35");
    // One more minor unit would put a balance past what a decimal holds.
    assert_eq!(
        l.apply(&[Transfer::new(
            300u128,
            BANK,
            WALLET,
            1,
            sar,
            Code::Deposit,
            at(1)
        )])?,
        vec![Err(TransferError::Overflows {
            account_id: Id(BANK)
        })]
    );
    assert_eq!(state(&l, WALLET), (top, top, None, None));
    Ok(())
}

#[test]
fn an_overdraft_limit_is_written_only_when_there_is_one() -> R {
    let sar = sar()?;
    let mut limited = Account::new(7u128, sar).must_not_go_negative();
    limited.overdraft_limit = 5_000;
    let v = serde_json::to_value(&limited)?;
    assert_eq!(v["overdraft_limit"], "50.00");
    let back: Account = serde_json::from_value(v)?;
    assert_eq!(back.overdraft_limit, 5_000);
    let plain = serde_json::to_value(Account::new(8u128, sar))?;
    assert_eq!(plain.get("overdraft_limit"), None, "{plain}");
    let back: Account = serde_json::from_value(plain)?;
    assert_eq!(back.overdraft_limit, 0);
    Ok(())
}

#[test]
fn a_negative_overdraft_limit_is_refused_as_negative() {
    // Negative is the reason, before its extra decimal place.
    let e = serde_json::from_value::<Account>(json!(
        {"id": "7", "unit": "SAR", "overdraft_limit": "-1.005"}
    ))
    .map(|a| a.overdraft_limit)
    .map_err(|e| e.to_string());
    let message = e.err().unwrap_or_default();
    assert!(
        message.contains("overdraft_limit: -1.005 is negative"),
        "{message}"
    );
    // A negative zero is zero.
    let a = serde_json::from_value::<Account>(json!(
        {"id": "7", "unit": "SAR", "overdraft_limit": "-0.00"}
    ))
    .map(|a| a.overdraft_limit)
    .map_err(|e| e.to_string());
    assert_eq!(a, Ok(0));
}

#[test]
fn a_post_may_give_its_amount_in_minor_units() -> R {
    let t: Transfer = serde_json::from_value(json!({
        "id": "5", "pending_id": "4", "amount_units": "2500",
        "at": "2026-11-22T09:00:00Z", "flags": {"post_pending": true}
    }))?;
    assert_eq!(t.amount, 2_500);
    assert_eq!(t.unit, None);
    assert_eq!(t.pending_id, Id(4));
    let back = serde_json::to_value(&t)?;
    assert_eq!(back["amount_units"], "2500");
    let err = serde_json::from_value::<Transfer>(json!({
        "id": "5", "pending_id": "4", "amount_units": "25.00",
        "at": "2026-11-22T09:00:00Z", "flags": {"post_pending": true}
    }))
    .map_err(|e| e.to_string());
    assert!(
        err.as_ref()
            .err()
            .is_some_and(|m| m.contains("\"25.00\" is not a whole number")),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn pending_debits_hold_the_available_balance_within_two_to_the_96() -> R {
    // The posted balance stays 0 while the holds take the available balance down to
    // −(2^96 − 1): one more minor unit held would put it past what a decimal holds.
    const BANK: u128 = 1;
    const WALLET: u128 = 1001;
    let sar = sar()?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let hold = |id: u128, amount: u128| {
        Transfer::new(id, WALLET, BANK, amount, sar, Code::Payment, at(0)).with_flags(
            rihla_ledger::TransferFlags {
                pending: true,
                ..rihla_ledger::TransferFlags::default()
            },
        )
    };
    let most = (1u128 << 96) - 1;
    let max = rihla_ledger::amount::MAX_AMOUNT;
    let mut batch: Vec<Transfer> = (0..7).map(|i| hold(100 + i, max)).collect();
    batch.push(hold(200, most - 7 * max));
    let r = l.apply(&batch)?;
    assert!(r.iter().all(Result::is_ok), "{r:?}");
    let top = i128::try_from(most)?;
    assert_eq!(state(&l, WALLET), (0, -top, None, None));
    assert_eq!(
        l.apply(&[hold(300, 1)])?,
        vec![Err(TransferError::Overflows {
            account_id: Id(WALLET)
        })]
    );
    assert_eq!(state(&l, WALLET), (0, -top, None, None));
    Ok(())
}

#[test]
fn flags_that_cannot_go_together_are_refused_before_anything_else() -> R {
    use rihla_ledger::TransferFlags as F;
    let sar = sar()?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(CLEARING, sar).debit_normal(),
        Account::new(EQUITY, sar),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let none = F::default();
    let resolving = |flags: F| {
        let mut t = Transfer::resolve(50u128, 40u128, flags.post_pending, 0, at(0));
        t.flags = flags;
        t
    };
    for flags in [
        F {
            pending: true,
            post_pending: true,
            ..none
        },
        F {
            pending: true,
            void_pending: true,
            ..none
        },
        F {
            post_pending: true,
            void_pending: true,
            ..none
        },
        F {
            post_pending: true,
            balancing_debit: true,
            ..none
        },
        F {
            post_pending: true,
            balancing_credit: true,
            ..none
        },
        F {
            void_pending: true,
            balancing_credit: true,
            ..none
        },
    ] {
        assert_eq!(
            l.apply(&[resolving(flags)])?,
            vec![Err(TransferError::FlagsAreMutuallyExclusive)],
            "{flags:?}"
        );
    }
    // Each alone is checked further: no pending transfer 40 to post.
    assert_eq!(
        l.apply(&[resolving(F {
            post_pending: true,
            ..none
        })])?,
        vec![Err(TransferError::PendingTransferNotFound {
            pending_id: Id(40)
        })]
    );
    Ok(())
}

#[test]
fn an_audit_names_a_transfer_id_that_appears_twice() -> R {
    let sar = sar()?;
    let accounts = vec![
        Account::new(CLEARING, sar).debit_normal(),
        Account::new(EQUITY, sar),
    ];
    let mut l = Ledger::new();
    assert!(l.create_accounts(&accounts).iter().all(Result::is_ok));
    let r = l.apply(&[
        Transfer::new(1u128, CLEARING, EQUITY, 5_000, sar, Code::Deposit, at(0)),
        Transfer::new(2u128, CLEARING, EQUITY, 1_000, sar, Code::Deposit, at(1)),
        Transfer::new(3u128, CLEARING, EQUITY, 2_000, sar, Code::Deposit, at(2)),
    ])?;
    assert!(r.iter().all(Result::is_ok), "{r:?}");
    let mut entries = l.entries().to_vec();
    // The third entry re-uses the first one's id (another amount), re-hashed. The
    // replay keeps no journal (it is the journal): it knows the id, not its fields.
    let mut scratch = Vec::new();
    if let Some(e) = entries.get_mut(2) {
        e.transfer.id = Id(1);
        e.hash = e.compute_hash(&mut scratch);
    }
    let report = rihla_ledger::audit::verify(&accounts, &entries);
    let broken = report.first_broken.ok_or("a broken entry")?;
    assert_eq!(
        (
            report.entries,
            broken.seq,
            broken.reason,
            broken.detail.as_str()
        ),
        (2, 3, "REPLAY_FAILED", "transfer 1 appears twice")
    );
    Ok(())
}
