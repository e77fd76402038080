//! Points lots (issue 6): earn with expiry, redeem soonest-expiring first, expiry sweeps
//! that are idempotent and path-independent (never the peers' double deduction), the leap
//! day, clawback on refunds with debt for spent points, and a property test of the sweep.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rihla_ledger::points::{CLAWBACK_DOMAIN, DEBT_DOMAIN};
use rihla_ledger::{
    derived_id, expire_transfer_id, Account, ClawbackRequest, Consumption, EarnRequest, Id, Ledger,
    Outcome, PointsBook, PointsError, RedeemRequest, TransferError, Unit,
};

type R = Result<(), Box<dyn std::error::Error>>;

const ISSUER: u128 = 1;
const REDEMPTIONS: u128 = 2;
const CUSTOMER: u128 = 501;
const OTHER_CUSTOMER: u128 = 502;
const DEBT: u128 = 601;

fn pts() -> Unit {
    Unit::Points { scale: 0 }
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s)
        .single()
        .unwrap_or_default()
}

/// The issuer (debit-normal), the redemption account, two customers that must not go
/// negative, and a debt account (debit-normal).
fn accounts() -> Vec<Account> {
    let u = pts();
    vec![
        Account::new(ISSUER, u).debit_normal(),
        Account::new(REDEMPTIONS, u),
        Account::new(CUSTOMER, u).must_not_go_negative(),
        Account::new(OTHER_CUSTOMER, u).must_not_go_negative(),
        Account::new(DEBT, u).debit_normal(),
    ]
}

fn setup() -> (Ledger, PointsBook) {
    let u = pts();
    let mut l = Ledger::new();
    let created = l.create_accounts(&accounts());
    assert!(created.iter().all(Result::is_ok));
    (l, PointsBook::new(u))
}

fn posted(l: &Ledger, id: u128) -> i128 {
    l.account(Id(id))
        .map_or(0, |a| a.balances.posted(a.account.normal))
}

fn earn(id: u128, amount: u128, at: DateTime<Utc>) -> EarnRequest {
    EarnRequest::new(id, ISSUER, CUSTOMER, amount, pts(), at)
}

fn redeem(id: u128, amount: u128, at: DateTime<Utc>) -> RedeemRequest {
    RedeemRequest::new(id, CUSTOMER, REDEMPTIONS, amount, pts(), at)
}

fn remaining(b: &PointsBook, lot: u128) -> Option<u128> {
    b.lot(Id(lot)).map(|l| l.remaining)
}

fn c(lot: u128, amount: u128) -> Consumption {
    Consumption {
        lot: Id(lot),
        amount,
    }
}

#[test]
fn three_lots_are_redeemed_soonest_expiry_first_then_earliest_earned() -> R {
    let (mut l, mut b) = setup();
    // A: 1,000 on 10 Jan, default expiry (365 days). B: 500 on 9 Feb, expiring 30 June.
    // C: 300 on 1 Mar, also expiring 30 June (earned later than B).
    let a = b.earn(&mut l, &earn(7001, 1_000, utc(2028, 1, 10, 8, 0, 0)))?;
    assert_eq!(a.lot.expires_at, utc(2029, 1, 9, 8, 0, 0));
    assert!(matches!(a.outcome, Outcome::Created { .. }));
    let june = utc(2028, 6, 30, 0, 0, 0);
    b.earn(
        &mut l,
        &earn(7002, 500, utc(2028, 2, 9, 8, 0, 0)).expiring_at(june),
    )?;
    b.earn(
        &mut l,
        &earn(7003, 300, utc(2028, 3, 1, 8, 0, 0)).expiring_at(june),
    )?;
    assert_eq!(posted(&l, CUSTOMER), 1_800);
    let order: Vec<Id> = b.lots_of(Id(CUSTOMER)).iter().map(|l| l.id).collect();
    assert_eq!(order, vec![Id(7002), Id(7003), Id(7001)]);

    let r1 = b.redeem(&mut l, &redeem(8001, 700, utc(2028, 4, 1, 0, 0, 0)))?;
    assert_eq!(r1.redemption.consumed, vec![c(7002, 500), c(7003, 200)]);
    let r2 = b.redeem(&mut l, &redeem(8002, 300, utc(2028, 4, 2, 0, 0, 0)))?;
    assert_eq!(r2.redemption.consumed, vec![c(7003, 100), c(7001, 200)]);
    assert_eq!(
        (
            remaining(&b, 7001),
            remaining(&b, 7002),
            remaining(&b, 7003)
        ),
        (Some(800), Some(0), Some(0))
    );
    assert_eq!(posted(&l, CUSTOMER), 800);
    assert_eq!(posted(&l, REDEMPTIONS), 1_000);
    assert_eq!(b.balance(Id(CUSTOMER)), 800);

    // A retried redemption is the ledger's EXISTS and takes nothing more.
    let again = b.redeem(&mut l, &redeem(8002, 300, utc(2028, 4, 3, 0, 0, 0)))?;
    assert!(matches!(again.outcome, Outcome::Exists { .. }));
    assert_eq!(again.redemption, r2.redemption);
    assert_eq!(
        (posted(&l, CUSTOMER), remaining(&b, 7001)),
        (800, Some(800))
    );
    let other = b.redeem(&mut l, &redeem(8002, 301, utc(2028, 4, 3, 0, 0, 0)));
    assert_eq!(
        other.err(),
        Some(PointsError::RedemptionExistsWithDifferentField {
            id: Id(8002),
            field: "amount"
        })
    );
    Ok(())
}

#[test]
fn equal_expiry_and_earn_instants_are_ordered_by_lot_id() -> R {
    let (mut l, mut b) = setup();
    let t = utc(2028, 1, 1, 0, 0, 0);
    b.earn(&mut l, &earn(9, 10, t))?;
    b.earn(&mut l, &earn(8, 10, t))?;
    let r = b.redeem(&mut l, &redeem(100, 15, t))?;
    assert_eq!(r.redemption.consumed, vec![c(8, 10), c(9, 5)]);
    Ok(())
}

#[test]
fn a_lot_is_available_one_instant_before_expires_at_and_gone_at_it() -> R {
    let (mut l, mut b) = setup();
    let expires = utc(2028, 9, 1, 12, 0, 0);
    let before = expires - Duration::seconds(1);
    b.earn(
        &mut l,
        &earn(7001, 100, utc(2028, 1, 1, 0, 0, 0)).expiring_at(expires),
    )?;
    // One second before: available, and redeemable.
    assert_eq!(b.available(Id(CUSTOMER), before), 100);
    b.redeem(&mut l, &redeem(8001, 40, before))?;
    assert_eq!(b.available(Id(CUSTOMER), before), 60);
    // At expires_at: gone, even before any sweep.
    assert_eq!(b.available(Id(CUSTOMER), expires), 0);
    let late = b.redeem(&mut l, &redeem(8002, 1, expires));
    assert_eq!(
        late.err(),
        Some(PointsError::InsufficientPoints {
            account: Id(CUSTOMER),
            available: "0".into(),
            amount: "1".into()
        })
    );
    // The refused redemption touched neither the ledger nor the id (no sticky failure).
    assert_eq!(posted(&l, CUSTOMER), 60);
    assert!(l.transfer(Id(8002)).is_none());

    // A sweep one second before expires nothing; at expires_at it takes the 60 left.
    let early = b.expire(&mut l, before);
    assert!(early.expired.is_empty() && early.failed.is_empty());
    let entries = l.entries().len();
    let sweep = b.expire(&mut l, expires);
    assert_eq!(sweep.expired.len(), 1);
    let e = &sweep.expired[0];
    assert_eq!((e.lot, e.amount), (Id(7001), 60));
    assert_eq!(e.transfer_id, expire_transfer_id(Id(7001)));
    assert!(matches!(e.outcome, Outcome::Created { .. }));
    assert_eq!(l.entries().len(), entries + 1);
    let expiry = l
        .transfer(e.transfer_id)
        .map(|(t, _)| (t.amount, t.at, t.code));
    assert_eq!(
        expiry,
        Some((60, expires, Some(rihla_ledger::Code::Expire)))
    );
    let lot = b.lot(Id(7001)).cloned();
    assert_eq!(
        lot.as_ref()
            .map(|l| (l.remaining, l.redeemed, l.expired, l.expire_transfer)),
        Some((0, 40, 60, Some(e.transfer_id)))
    );
    assert_eq!((posted(&l, CUSTOMER), posted(&l, ISSUER)), (0, 40));
    Ok(())
}

#[test]
fn sweeping_twice_changes_nothing_and_a_stale_copy_of_the_book_gets_exists() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    b.earn(
        &mut l,
        &earn(7001, 100, t0).expiring_at(t0 + Duration::days(10)),
    )?;
    b.earn(
        &mut l,
        &earn(7002, 50, t0).expiring_at(t0 + Duration::days(20)),
    )?;
    let stale = b.clone();
    let now = t0 + Duration::days(30);
    let first = b.expire(&mut l, now);
    assert_eq!(
        first
            .expired
            .iter()
            .map(|e| (e.lot, e.amount))
            .collect::<Vec<_>>(),
        vec![(Id(7001), 100), (Id(7002), 50)]
    );
    let after_first = (b.clone(), l.entries().len(), posted(&l, CUSTOMER));
    let second = b.expire(&mut l, now);
    assert!(second.expired.is_empty() && second.failed.is_empty());
    let third = b.expire(&mut l, now + Duration::days(400));
    assert!(third.expired.is_empty());
    assert_eq!(
        (b.clone(), l.entries().len(), posted(&l, CUSTOMER)),
        after_first
    );

    // A copy of the book saved before the sweep sweeps again: the same ids and amounts,
    // so the ledger answers EXISTS and nothing moves twice.
    let mut stale = stale;
    let replay = stale.expire(&mut l, now);
    assert_eq!(replay.expired.len(), 2);
    assert!(replay
        .expired
        .iter()
        .all(|e| matches!(e.outcome, Outcome::Exists { .. })));
    assert_eq!(stale, b);
    assert_eq!(
        (l.entries().len(), posted(&l, CUSTOMER)),
        (after_first.1, 0)
    );
    Ok(())
}

#[test]
fn expiry_never_takes_points_already_redeemed() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    let e1 = t0 + Duration::days(30);
    let e2 = t0 + Duration::days(60);
    b.earn(&mut l, &earn(7001, 100, t0).expiring_at(e1))?;
    b.earn(&mut l, &earn(7002, 100, t0).expiring_at(e2))?;
    // 150 redeemed before the first expiry: all of lot 1, half of lot 2.
    let r = b.redeem(&mut l, &redeem(8001, 150, t0 + Duration::days(1)))?;
    assert_eq!(r.redemption.consumed, vec![c(7001, 100), c(7002, 50)]);
    // Lot 1 expires with nothing left: no EXPIRE (the peers deducted its 100 again).
    let s1 = b.expire(&mut l, e1);
    assert!(s1.expired.is_empty());
    assert_eq!(posted(&l, CUSTOMER), 50);
    // Lot 2 expires with its 50.
    let s2 = b.expire(&mut l, e2);
    assert_eq!(
        s2.expired.iter().map(|e| e.amount).collect::<Vec<_>>(),
        vec![50]
    );
    assert_eq!(posted(&l, CUSTOMER), 0);
    Ok(())
}

#[test]
fn a_redemption_after_a_partial_expiry_takes_only_live_lots() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    let e1 = t0 + Duration::days(30);
    b.earn(&mut l, &earn(7001, 100, t0).expiring_at(e1))?;
    b.earn(
        &mut l,
        &earn(7002, 100, t0).expiring_at(e1 + Duration::days(30)),
    )?;
    b.redeem(&mut l, &redeem(8001, 30, t0 + Duration::days(1)))?;
    // Past e1, unswept: lot 1's 70 are not available, lot 2's 100 are.
    let after = e1 + Duration::days(1);
    assert_eq!(b.available(Id(CUSTOMER), after), 100);
    let too_much = b.redeem(&mut l, &redeem(8002, 101, after));
    assert_eq!(
        too_much.err().map(|e| e.code()),
        Some("INSUFFICIENT_POINTS")
    );
    let r = b.redeem(&mut l, &redeem(8003, 100, after))?;
    assert_eq!(r.redemption.consumed, vec![c(7002, 100)]);
    // The sweep takes lot 1's 70, exactly what was left; the balance ends at 0, not below.
    let s = b.expire(&mut l, after);
    assert_eq!(
        s.expired
            .iter()
            .map(|e| (e.lot, e.amount))
            .collect::<Vec<_>>(),
        vec![(Id(7001), 70)]
    );
    assert_eq!(posted(&l, CUSTOMER), 0);
    assert_eq!(b.balance(Id(CUSTOMER)), 0);
    Ok(())
}

#[test]
fn points_earned_on_29_february_expire_365_days_later_on_28_february() -> R {
    let (mut l, mut b) = setup();
    let leap = utc(2028, 2, 29, 10, 0, 0);
    let r = b.earn(&mut l, &earn(7001, 250, leap))?;
    assert_eq!(r.lot.expires_at, utc(2029, 2, 28, 10, 0, 0));
    assert_eq!(b.available(Id(CUSTOMER), utc(2029, 2, 28, 9, 59, 59)), 250);
    assert_eq!(b.available(Id(CUSTOMER), utc(2029, 2, 28, 10, 0, 0)), 0);
    // 365 days after 1 March 2027 is the leap day.
    let r = b.earn(&mut l, &earn(7002, 1, utc(2027, 3, 1, 10, 0, 0)))?;
    assert_eq!(r.lot.expires_at, leap);
    let s = b.expire(&mut l, utc(2029, 2, 28, 10, 0, 0));
    assert_eq!(
        s.expired
            .iter()
            .map(|e| (e.lot, e.amount))
            .collect::<Vec<_>>(),
        vec![(Id(7001), 250), (Id(7002), 1)]
    );
    Ok(())
}

#[test]
fn earn_retries_are_exists_and_bad_earns_change_nothing() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    let req = earn(7001, 100, t0).with_reference("BKG-1");
    let first = b.earn(&mut l, &req)?;
    // A retry later (at is not part of the body) is EXISTS with the original lot.
    let mut later = req.clone();
    later.at = t0 + Duration::hours(1);
    let again = b.earn(&mut l, &later)?;
    assert!(matches!(again.outcome, Outcome::Exists { .. }));
    assert_eq!(again.lot, first.lot);
    assert_eq!(posted(&l, CUSTOMER), 100);
    let mut other = req.clone();
    other.amount = 101;
    assert_eq!(
        b.earn(&mut l, &other).err(),
        Some(PointsError::LotExistsWithDifferentField {
            id: Id(7001),
            field: "amount"
        })
    );

    let (book, entries) = (b.clone(), l.entries().len());
    let no_expiry = b.earn(&mut l, &earn(7002, 5, t0).expiring_at(t0));
    assert_eq!(
        no_expiry.err().map(|e| e.code()),
        Some("EXPIRY_NOT_AFTER_EARN")
    );
    let unknown = b.earn(
        &mut l,
        &EarnRequest::new(7003u128, ISSUER, 999u128, 5, pts(), t0),
    );
    assert_eq!(
        unknown.err(),
        Some(PointsError::Ledger {
            error: TransferError::CreditAccountNotFound {
                account_id: Id(999)
            }
        })
    );
    let wrong_unit = b.earn(
        &mut l,
        &EarnRequest::new(7004u128, ISSUER, CUSTOMER, 5, Unit::Points { scale: 2 }, t0),
    );
    assert_eq!(wrong_unit.err().map(|e| e.code()), Some("UNIT_MISMATCH"));
    // A redemption the ledger refuses (unknown redemption account) changes no lot.
    let refused = b.redeem(
        &mut l,
        &RedeemRequest::new(8001u128, CUSTOMER, 998u128, 10, pts(), t0),
    );
    assert_eq!(
        refused.err().map(|e| e.code()),
        Some("CREDIT_ACCOUNT_NOT_FOUND")
    );
    assert_eq!((b, l.entries().len()), (book, entries));
    Ok(())
}

fn refund(id: u128, lot: u128, refunded: &str, paid: &str, at: DateTime<Utc>) -> ClawbackRequest {
    ClawbackRequest {
        id: Id(id),
        lot: Id(lot),
        refunded: refunded.parse().unwrap_or_default(),
        paid: paid.parse().unwrap_or_default(),
        at,
        debt_account: Id(DEBT),
        reference: format!("RF-{id}"),
        from_other_lots: false,
    }
}

#[test]
fn a_clawback_is_proportional_rounded_down_and_spent_points_become_debt() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    b.earn(&mut l, &earn(7001, 1_000, t0).with_reference("BKG-1"))?;
    // The customer spends 800 of the 1,000.
    b.redeem(&mut l, &redeem(8001, 800, t0 + Duration::days(1)))?;
    // Half the booking (SAR 500.00 of 1,000.00) is refunded: 500 points are due back, the
    // lot holds 200, the 300 spent become debt.
    let r = b.clawback(
        &mut l,
        &refund(9001, 7001, "500.00", "1000.00", t0 + Duration::days(2)),
    )?;
    let cb = &r.clawback;
    assert_eq!(
        (cb.target, cb.from_lot, cb.covered_by_expiry, cb.debt),
        (500, 200, 0, 300)
    );
    assert_eq!(
        cb.reversal_transfer,
        Some(derived_id(CLAWBACK_DOMAIN, Id(9001)))
    );
    assert_eq!(cb.debt_transfer, Some(derived_id(DEBT_DOMAIN, Id(9001))));
    assert_eq!(r.outcomes.len(), 2);
    assert_eq!(posted(&l, CUSTOMER), 0);
    assert_eq!(posted(&l, DEBT), 300);
    // Issuer: −1,000 earned, +200 reversed, +300 owed back.
    assert_eq!(posted(&l, ISSUER), 1_000 - 200 - 300);
    assert_eq!(b.debt_of(Id(CUSTOMER)), 300);
    let lot = b.lot(Id(7001)).cloned();
    assert_eq!(
        lot.map(|l| (l.remaining, l.redeemed, l.clawed_back, l.clawback_target)),
        Some((0, 800, 200, 500))
    );
    // A retry is EXISTS; another body for the same id is refused.
    let again = b.clawback(
        &mut l,
        &refund(9001, 7001, "500.00", "1000.00", t0 + Duration::days(3)),
    )?;
    assert!(again
        .outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Exists { .. })));
    assert_eq!(posted(&l, DEBT), 300);
    let other = b.clawback(
        &mut l,
        &refund(9001, 7001, "400.00", "1000.00", t0 + Duration::days(3)),
    );
    assert_eq!(
        other.err(),
        Some(PointsError::ClawbackExistsWithDifferentField {
            id: Id(9001),
            field: "refunded"
        })
    );
    // A second refund of 60 % is capped at the 500 not yet clawed back: all debt.
    let r2 = b.clawback(
        &mut l,
        &refund(9002, 7001, "600.00", "1000.00", t0 + Duration::days(4)),
    )?;
    assert_eq!((r2.clawback.target, r2.clawback.debt), (500, 500));
    assert_eq!(r2.outcomes.len(), 1);
    // Nothing is left to claw back.
    let r3 = b.clawback(
        &mut l,
        &refund(9003, 7001, "1.00", "1000.00", t0 + Duration::days(5)),
    )?;
    assert_eq!((r3.clawback.target, r3.outcomes.len()), (0, 0));
    assert_eq!(posted(&l, DEBT), 800);
    Ok(())
}

#[test]
fn a_clawback_of_a_third_rounds_down() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    b.earn(&mut l, &earn(7001, 1_000, t0))?;
    let r = b.clawback(&mut l, &refund(9001, 7001, "1", "3.000", t0))?;
    assert_eq!(
        (r.clawback.target, r.clawback.from_lot, r.clawback.debt),
        (333, 333, 0)
    );
    assert_eq!(posted(&l, CUSTOMER), 667);
    let bad = b.clawback(&mut l, &refund(9002, 7001, "4", "3", t0));
    assert_eq!(bad.err().map(|e| e.code()), Some("INVALID_REFUND_SHARE"));
    let missing = b.clawback(&mut l, &refund(9003, 1, "1", "3", t0));
    assert_eq!(missing.err(), Some(PointsError::LotNotFound { lot: Id(1) }));
    Ok(())
}

#[test]
fn expired_points_are_not_charged_again_and_other_lots_can_pay_before_debt() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    let e1 = t0 + Duration::days(30);
    b.earn(&mut l, &earn(7001, 1_000, t0).expiring_at(e1))?;
    b.earn(
        &mut l,
        &earn(7002, 500, t0).expiring_at(e1 + Duration::days(300)),
    )?;
    // 600 of lot 1 spent, the 400 left expire.
    let r = b.redeem(&mut l, &redeem(8001, 600, t0 + Duration::days(1)))?;
    assert_eq!(r.redemption.consumed, vec![c(7001, 600)]);
    let after = e1 + Duration::days(1);
    // Full refund after expiry: 400 already went back by expiry, 600 were spent. With
    // from_other_lots the 600 come from lot 2's 500, the last 100 is debt. Same answer
    // whether the sweep ran before or not.
    let mut req = refund(9001, 7001, "100.00", "100.00", after);
    req.from_other_lots = true;
    let mut unswept = (l.clone(), b.clone());
    b.expire(&mut l, after);
    let swept = b.clawback(&mut l, &req)?;
    let cb = &swept.clawback;
    assert_eq!(
        (cb.target, cb.from_lot, cb.covered_by_expiry, cb.debt),
        (1_000, 0, 400, 100)
    );
    assert_eq!(cb.from_other_lots, vec![c(7002, 500)]);
    let late = unswept.1.clawback(&mut unswept.0, &req)?;
    assert_eq!(late.clawback, swept.clawback);
    unswept.1.expire(&mut unswept.0, after);
    assert_eq!(unswept.1, b);
    assert_eq!(posted(&unswept.0, CUSTOMER), posted(&l, CUSTOMER));
    assert_eq!((posted(&l, CUSTOMER), posted(&l, DEBT)), (0, 100));
    Ok(())
}

#[test]
fn a_lot_on_a_closed_account_fails_its_sweep_without_failing_its_id() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    b.earn(
        &mut l,
        &earn(7001, 100, t0).expiring_at(t0 + Duration::days(1)),
    )?;
    let other = EarnRequest::new(7002u128, ISSUER, OTHER_CUSTOMER, 40, pts(), t0)
        .expiring_at(t0 + Duration::days(1));
    b.earn(&mut l, &other)?;
    assert!(l.close_account(Id(CUSTOMER)));
    let s = b.expire(&mut l, t0 + Duration::days(2));
    // The other customer's lot expires; the closed account's lot is reported, unchanged.
    assert_eq!(
        s.expired.iter().map(|e| e.lot).collect::<Vec<_>>(),
        vec![Id(7002)]
    );
    assert_eq!(s.failed.len(), 1);
    assert_eq!(
        s.failed.first().map(|f| (f.lot, f.error.code())),
        Some((Id(7001), "DEBIT_ACCOUNT_CLOSED"))
    );
    assert_eq!(remaining(&b, 7001), Some(100));
    assert!(l.transfer(expire_transfer_id(Id(7001))).is_none());
    let json = serde_json::to_value(&s)?;
    assert_eq!(json["failed"][0]["error"]["code"], "DEBIT_ACCOUNT_CLOSED");
    Ok(())
}

#[test]
fn a_clawback_naming_an_unknown_debt_account_can_be_corrected() -> R {
    let (mut l, mut b) = setup();
    let t0 = utc(2028, 1, 1, 0, 0, 0);
    b.earn(&mut l, &earn(7001, 100, t0))?;
    b.redeem(&mut l, &redeem(8001, 100, t0))?;
    let mut req = refund(9001, 7001, "1", "1", t0);
    req.debt_account = Id(999);
    let (book, entries) = (b.clone(), l.entries().len());
    assert_eq!(
        b.clawback(&mut l, &req).err().map(|e| e.code()),
        Some("DEBIT_ACCOUNT_NOT_FOUND")
    );
    assert_eq!((&b, l.entries().len()), (&book, entries));
    req.debt_account = Id(DEBT);
    let r = b.clawback(&mut l, &req)?;
    assert_eq!((r.clawback.debt, posted(&l, DEBT)), (100, 100));
    Ok(())
}

#[test]
fn the_book_round_trips_through_json_with_decimal_amounts() -> R {
    let u = Unit::Points { scale: 2 };
    let mut l = Ledger::new();
    l.create_accounts(&[
        Account::new(ISSUER, u).debit_normal(),
        Account::new(REDEMPTIONS, u),
        Account::new(CUSTOMER, u).must_not_go_negative(),
        Account::new(DEBT, u).debit_normal(),
    ]);
    let mut b = PointsBook::new(u);
    let t0 = utc(2028, 2, 29, 10, 0, 0);
    let req: EarnRequest = serde_json::from_str(
        r#"{"id": "7001", "from": "1", "to": "501", "amount": "12.50", "unit": "POINTS:2",
            "at": "2028-02-29T10:00:00Z", "reference": "BKG-1"}"#,
    )?;
    assert_eq!(req.amount, 1_250);
    b.earn(&mut l, &req)?;
    b.redeem(
        &mut l,
        &RedeemRequest::new(8001u128, CUSTOMER, REDEMPTIONS, 250, u, t0),
    )?;
    let json = serde_json::to_value(&b)?;
    assert_eq!(json["lots"][0]["amount"], "12.50");
    assert_eq!(json["lots"][0]["remaining"], "10.00");
    assert_eq!(json["lots"][0]["expires_at"], "2029-02-28T10:00:00Z");
    assert_eq!(json["redemptions"][0]["consumed"][0]["amount"], "2.50");
    let back: PointsBook = serde_json::from_value(json.clone())?;
    assert_eq!(back, b);
    let mut broken = json;
    broken["lots"][0]["remaining"] = "11.00".into();
    assert!(serde_json::from_value::<PointsBook>(broken).is_err());
    let err = PointsError::InsufficientPoints {
        account: Id(CUSTOMER),
        available: "0".into(),
        amount: "1".into(),
    };
    assert_eq!(err.to_value()["code"], "INSUFFICIENT_POINTS");
    Ok(())
}

/// One step of a customer's history: an earn, a redemption, a clawback or a sweep, each a
/// number of hours after the previous step.
#[derive(Debug, Clone)]
enum Step {
    Earn {
        amount: u128,
        days: Option<i64>,
    },
    Redeem {
        amount: u128,
    },
    Clawback {
        lot: usize,
        percent: u32,
        others: bool,
    },
    Expire,
}

fn step() -> impl Strategy<Value = (u32, Step)> {
    let s = prop_oneof![
        3 => (1u128..500, prop::option::of(1i64..40))
            .prop_map(|(amount, days)| Step::Earn { amount, days }),
        3 => (1u128..600).prop_map(|amount| Step::Redeem { amount }),
        1 => (0usize..8, 1u32..=100, any::<bool>())
            .prop_map(|(lot, percent, others)| Step::Clawback { lot, percent, others }),
        2 => Just(Step::Expire),
    ];
    (0u32..24 * 15, s)
}

/// Runs the steps; sweeps only where the history says so when `sweeps`, then once at
/// `end`. Returns the book and ledger.
fn run(steps: &[(u32, Step)], sweeps: bool, end: DateTime<Utc>) -> (PointsBook, Ledger) {
    let (mut l, mut b) = setup();
    let mut t = utc(2028, 1, 1, 0, 0, 0);
    let mut lots = Vec::new();
    for (i, (hours, s)) in steps.iter().enumerate() {
        t += Duration::hours(i64::from(*hours));
        let id = 10_000 + i as u128;
        match s {
            Step::Earn { amount, days } => {
                let mut req = earn(id, *amount, t);
                if let Some(d) = days {
                    req = req.expiring_at(t + Duration::days(*d));
                }
                if b.earn(&mut l, &req).is_ok() {
                    lots.push(id);
                }
            }
            Step::Redeem { amount } => {
                let _ = b.redeem(&mut l, &redeem(id, *amount, t));
            }
            Step::Clawback {
                lot,
                percent,
                others,
            } => {
                if let Some(lot) = lots.get(*lot) {
                    let mut req = refund(id, *lot, &percent.to_string(), "100", t);
                    req.from_other_lots = *others;
                    let _ = b.clawback(&mut l, &req);
                }
            }
            Step::Expire => {
                if sweeps {
                    let r = b.expire(&mut l, t);
                    assert!(r.failed.is_empty());
                }
            }
        }
    }
    let r = b.expire(&mut l, end);
    assert!(r.failed.is_empty());
    (b, l)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Sweeping at random instants in between gives the same lots (remainders, expired,
    /// redeemed, clawed back), the same redemptions and clawbacks, and the same balances
    /// as one sweep at the end; a second sweep at the end changes nothing; the customer's
    /// ledger balance is the book's and never negative.
    #[test]
    fn expiry_is_idempotent_and_path_independent(
        steps in prop::collection::vec(step(), 1..40),
        tail_days in 0i64..60,
    ) {
        let total_hours: i64 = steps.iter().map(|(h, _)| i64::from(*h)).sum();
        let end = utc(2028, 1, 1, 0, 0, 0) + Duration::hours(total_hours) + Duration::days(tail_days);
        let (mut swept, mut ls) = run(&steps, true, end);
        let (once, lo) = run(&steps, false, end);
        prop_assert_eq!(&swept, &once);
        for acct in [CUSTOMER, ISSUER, REDEMPTIONS, DEBT] {
            prop_assert_eq!(posted(&ls, acct), posted(&lo, acct));
        }
        let bal = posted(&ls, CUSTOMER);
        prop_assert!(bal >= 0);
        prop_assert_eq!(u128::try_from(bal).ok(), Some(swept.balance(Id(CUSTOMER))));
        for lot in swept.lots() {
            prop_assert_eq!(
                Some(lot.amount),
                [lot.redeemed, lot.expired, lot.clawed_back]
                    .iter()
                    .try_fold(lot.remaining, |s, v| s.checked_add(*v))
            );
            if lot.expires_at <= end {
                prop_assert_eq!(lot.remaining, 0);
            }
        }
        let entries = ls.entries().len();
        let again = swept.expire(&mut ls, end);
        prop_assert!(again.expired.is_empty() && again.failed.is_empty());
        prop_assert_eq!(ls.entries().len(), entries);
        prop_assert!(rihla_ledger::audit::verify(&accounts(), ls.entries()).ok);
    }
}
