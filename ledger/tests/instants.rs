//! Instants the ledger computes stay within year 9999 (issue 11): chrono writes a later
//! year as `+10000-…`, which is not RFC 3339; a request that would lead there is refused
//! with `TIME_OUT_OF_RANGE` naming the field, and nothing changes.

use chrono::{DateTime, TimeZone, Utc};
use rihla_ledger::instant::LAST_YEAR;
use rihla_ledger::{
    Account, BookCashback, CashbackError, CashbackRecord, CashbackStatus, EarnRequest, Id, Ledger,
    PointsBook, PointsError, Unit, DEFAULT_EXPIRY_DAYS,
};

type R = Result<(), Box<dyn std::error::Error>>;

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .unwrap_or_default()
}

const ISSUER: u128 = 1;
const CUSTOMER: u128 = 501;
const SOURCE: u128 = 5;
const WALLET: u128 = 1001;

fn ledger(unit: Unit) -> Ledger {
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(ISSUER, unit).debit_normal(),
        Account::new(CUSTOMER, unit).must_not_go_negative(),
        Account::new(SOURCE, unit).debit_normal(),
        Account::new(WALLET, unit).must_not_go_negative(),
    ]);
    assert!(created.iter().all(Result::is_ok));
    l
}

#[test]
fn an_earn_whose_default_expiry_leaves_year_9999_is_refused_and_changes_nothing() -> R {
    assert_eq!(LAST_YEAR, 9999);
    let pts = Unit::Points { scale: 0 };
    let mut l = ledger(pts);
    let mut book = PointsBook::new(pts);
    let late = utc(9999, 6, 1, 0);
    let err = book
        .earn(
            &mut l,
            &EarnRequest::new(7001, ISSUER, CUSTOMER, 100, pts, late),
        )
        .err();
    assert_eq!(
        err,
        Some(PointsError::TimeOutOfRange {
            field: "at",
            at: late,
            days: DEFAULT_EXPIRY_DAYS
        })
    );
    let value = err.map(|e| e.to_value()).unwrap_or_default();
    assert_eq!(value["code"], "TIME_OUT_OF_RANGE");
    assert_eq!(value["field"], "at");
    assert_eq!(value["at"], "9999-06-01T00:00:00Z");
    assert_eq!(value["days"], 365);
    assert_eq!(
        value["message"],
        "at 9999-06-01 00:00:00 UTC plus 365 days falls after year 9999, past what RFC 3339 can write"
    );
    assert_eq!(l.entries().len(), 0);
    assert_eq!(book.lots().count(), 0);
    // With its expiry given, the same earn is taken: the host decides.
    let report = book.earn(
        &mut l,
        &EarnRequest::new(7001, ISSUER, CUSTOMER, 100, pts, late)
            .expiring_at(utc(9999, 12, 31, 23)),
    )?;
    assert_eq!(report.lot.expires_at, utc(9999, 12, 31, 23));
    // The last earn whose default expiry stays in year 9999 is taken, and reads back.
    let last = utc(9998, 12, 31, 0);
    let report = book.earn(
        &mut l,
        &EarnRequest::new(7002, ISSUER, CUSTOMER, 100, pts, last),
    )?;
    assert_eq!(report.lot.expires_at, utc(9999, 12, 31, 0));
    let text = serde_json::to_string(&book)?;
    assert!(!text.contains("+10000"), "{text}");
    assert_eq!(serde_json::from_str::<PointsBook>(&text)?, book);
    Ok(())
}

fn booking(at: DateTime<Utc>, hold_days: u32) -> BookCashback {
    BookCashback {
        id: Id(3001),
        reference: "BKG-1042".into(),
        wallet: Id(WALLET),
        source: Id(SOURCE),
        amount: 89_987,
        unit: Unit::Points { scale: 2 },
        at,
        hold_days,
    }
}

#[test]
fn a_cashback_whose_hold_would_end_after_year_9999_is_refused_when_booked_or_completed() -> R {
    let unit = Unit::Points { scale: 2 };
    let mut l = ledger(unit);
    // Booked: the hold ends no earlier than booking + hold days.
    let late = utc(9999, 12, 30, 0);
    let err = CashbackRecord::book(&mut l, &booking(late, 7)).err();
    assert_eq!(
        err,
        Some(CashbackError::TimeOutOfRange {
            field: "at",
            at: late,
            days: 7
        })
    );
    assert_eq!(
        err.map(|e| e.to_value()["code"].clone()),
        Some("TIME_OUT_OF_RANGE".into())
    );
    let err = CashbackRecord::book(&mut l, &booking(utc(2026, 1, 1, 0), u32::MAX))
        .err()
        .map(|e| e.code());
    assert_eq!(err, Some("TIME_OUT_OF_RANGE"));
    assert_eq!(l.entries().len(), 0);

    // Completed late enough that the hold would end after 9999: refused, nothing changes.
    let (mut cb, _) = CashbackRecord::book(&mut l, &booking(utc(9999, 1, 1, 0), 7))?;
    let before = cb.clone();
    let completed = utc(9999, 12, 28, 0);
    assert_eq!(
        cb.complete(completed).err(),
        Some(CashbackError::TimeOutOfRange {
            field: "at",
            at: completed,
            days: 7
        })
    );
    assert_eq!(cb, before);
    // A completion whose hold ends within 9999 is taken; the end of the hold reads back.
    cb.complete(utc(9999, 12, 24, 0))?;
    assert_eq!(cb.eligible_at(), Some(utc(9999, 12, 31, 0)));
    cb.approve(utc(9999, 12, 31, 0), "", false)?;
    assert_eq!(cb.status, CashbackStatus::Approved);
    Ok(())
}

#[test]
fn a_stored_record_whose_hold_ends_after_year_9999_cannot_be_approved_without_override() -> R {
    let unit = Unit::Points { scale: 2 };
    let mut l = ledger(unit);
    let (cb, _) = CashbackRecord::book(&mut l, &booking(utc(9999, 1, 1, 0), 7))?;
    // A record written by hand (or by an older version): completed on 28 December.
    let mut value = serde_json::to_value(&cb)?;
    value["completed_at"] = "9999-12-28T00:00:00Z".into();
    let mut stored: CashbackRecord = serde_json::from_value(value)?;
    assert_eq!(stored.eligible_at(), None);
    assert_eq!(
        stored.approve(utc(9999, 12, 31, 0), "", false).err(),
        Some(CashbackError::TimeOutOfRange {
            field: "completed_at",
            at: utc(9999, 12, 28, 0),
            days: 7
        })
    );
    assert_eq!(stored.status, CashbackStatus::Pending);
    stored.approve(utc(9999, 12, 31, 0), "ops:amal", true)?;
    assert_eq!(stored.status, CashbackStatus::Approved);
    Ok(())
}
