//! Instants the ledger reads are RFC 3339, years 0000–9999 (`rihla_core::time`): a signed
//! or five-digit year, which chrono alone would read and echo as `+10000-…`, is refused
//! where the document is read — before anything is applied — with a message that starts
//! with `invalid instant` (the bindings report it as `INVALID_REQUEST` with the field's
//! path).

use chrono::{DateTime, TimeZone, Utc};
use rihla_core::time::INSTANT_ERROR_PREFIX;
use rihla_ledger::{
    Account, BookCashback, CashbackRecord, EarnRequest, Id, Ledger, PaymentEvent, PointsBook,
    RefundOrder, Transfer, TransferBatch, Unit,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

type R = Result<(), Box<dyn std::error::Error>>;

const WHY: &str = "a signed year; an RFC 3339 year is 4 digits, 0000–9999";

fn transfer(at: &str) -> Value {
    json!({"id": "1", "debit_account_id": "1", "credit_account_id": "1001",
           "amount": "5000.00", "unit": "SAR", "code": "DEPOSIT", "at": at})
}

/// The message serde gives reading `doc` as `T` (it must be refused).
fn refusal<T: DeserializeOwned + std::fmt::Debug>(doc: Value) -> String {
    match serde_json::from_value::<T>(doc) {
        Ok(v) => panic!("read: {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_transfer_at_past_9999_is_refused_at_parse() -> R {
    assert_eq!(
        refusal::<Transfer>(transfer("+10000-01-01T00:00:00Z")),
        format!("{INSTANT_ERROR_PREFIX} \"+10000-01-01T00:00:00Z\": {WHY}")
    );
    assert_eq!(
        refusal::<Transfer>(transfer("-0001-12-31T00:00:00Z")),
        format!("{INSTANT_ERROR_PREFIX} \"-0001-12-31T00:00:00Z\": {WHY}")
    );
    assert!(refusal::<Transfer>(transfer("10000-01-01T00:00:00Z"))
        .ends_with("a year of 5 digits; an RFC 3339 year is 4 digits, 0000–9999"));
    assert!(refusal::<Transfer>(transfer("9999-12-31T23:00:00-01:00"))
        .ends_with("in UTC it falls in year 10000; an instant must fall in years 0000–9999"));
    // In a batch, as the bindings read one: the second transfer's `at`, at its line.
    let text = json!([
        transfer("2026-11-22T09:00:00Z"),
        transfer("+10000-01-01T00:00:00Z")
    ])
    .to_string();
    let err = serde_json::from_str::<TransferBatch>(&text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with(&format!(
            "{INSTANT_ERROR_PREFIX} \"+10000-01-01T00:00:00Z\": {WHY} at line 1"
        )),
        "{err}"
    );
    Ok(())
}

#[test]
fn the_first_and_last_years_read_apply_and_write_back_unchanged() -> R {
    let mut ledger = Ledger::new();
    let unit = Unit::parse("SAR")?;
    let created = ledger.create_accounts(&[
        Account::new(1, unit).debit_normal(),
        Account::new(1001, unit),
    ]);
    assert!(created.iter().all(Result::is_ok));
    for (id, at) in [
        ("1", "0000-01-01T00:00:00Z"),
        ("2", "9999-12-31T23:59:59.999999999Z"),
    ] {
        let mut doc = transfer(at);
        doc["id"] = json!(id);
        let t: Transfer = serde_json::from_value(doc.clone())?;
        assert_eq!(serde_json::to_value(&t)?["at"], json!(at));
        let results = ledger.apply(std::slice::from_ref(&t))?;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
    }
    let lines: Vec<String> = ledger.entries().iter().map(|e| e.to_json_line()).collect();
    assert!(
        lines[0].contains("\"0000-01-01T00:00:00Z\""),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("\"9999-12-31T23:59:59.999999999Z\""),
        "{}",
        lines[1]
    );
    Ok(())
}

#[test]
fn points_cashback_webhook_and_refund_documents_read_strictly() -> R {
    let past = "+10000-01-01T00:00:00Z";
    let expected = format!("{INSTANT_ERROR_PREFIX} \"{past}\": {WHY}");
    let earn = json!({"id": "7001", "from": "1", "to": "501", "amount": "1500",
                      "unit": "POINTS", "at": "2028-02-29T10:00:00Z", "expires_at": past});
    assert_eq!(refusal::<EarnRequest>(earn), expected);
    let book = json!({"id": "3001", "reference": "BKG-1042", "wallet": "1001", "source": "5",
                      "amount": "899.87", "unit": "SAR", "at": past, "hold_days": 7});
    assert_eq!(refusal::<BookCashback>(book), expected);
    let event = json!({"provider": "moyasar", "event_id": "evt_01", "payment_ref": "pay_77",
                       "kind": "CAPTURED", "amount": "1000.00", "unit": "SAR", "at": past});
    assert_eq!(refusal::<PaymentEvent>(event), expected);
    let refund = json!({"id": "90", "payment_id": "2", "amount": "250.00", "at": past});
    assert_eq!(refusal::<RefundOrder>(refund), expected);
    Ok(())
}

fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

#[test]
fn stored_books_and_records_read_strictly() -> R {
    let pts = Unit::Points { scale: 0 };
    let mut ledger = Ledger::new();
    let created = ledger.create_accounts(&[
        Account::new(1, pts).debit_normal(),
        Account::new(501, pts).must_not_go_negative(),
        Account::new(5, pts).debit_normal(),
        Account::new(1001, pts).must_not_go_negative(),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let mut book = PointsBook::new(pts);
    book.earn(
        &mut ledger,
        &EarnRequest::new(7001, 1, 501, 100, pts, utc(2026, 1, 1)).expiring_at(utc(9999, 12, 31)),
    )?;
    let stored = serde_json::to_value(&book)?;
    assert!(
        stored.to_string().contains("\"9999-12-31T00:00:00Z\""),
        "{stored}"
    );
    assert_eq!(serde_json::from_value::<PointsBook>(stored.clone())?, book);
    let edited = stored
        .to_string()
        .replace("9999-12-31T00:00:00Z", "+10000-12-31T00:00:00Z");
    assert_eq!(
        refusal::<PointsBook>(serde_json::from_str(&edited)?),
        format!("{INSTANT_ERROR_PREFIX} \"+10000-12-31T00:00:00Z\": {WHY}")
    );

    let (cashback, _) = CashbackRecord::book(
        &mut ledger,
        &BookCashback {
            id: Id(3001),
            reference: "BKG-1042".into(),
            wallet: Id(1001),
            source: Id(5),
            amount: 100,
            unit: pts,
            at: utc(2026, 1, 1),
            hold_days: 7,
        },
    )?;
    let mut record = serde_json::to_value(&cashback)?;
    assert_eq!(
        serde_json::from_value::<CashbackRecord>(record.clone())?,
        cashback
    );
    record["completed_at"] = json!("-0001-01-01T00:00:00Z");
    assert_eq!(
        refusal::<CashbackRecord>(record.clone()),
        format!("{INSTANT_ERROR_PREFIX} \"-0001-01-01T00:00:00Z\": {WHY}")
    );
    record["completed_at"] = Value::Null;
    record["history"][0]["at"] = json!("+2026-01-01T00:00:00Z");
    assert_eq!(
        refusal::<CashbackRecord>(record),
        format!("{INSTANT_ERROR_PREFIX} \"+2026-01-01T00:00:00Z\": {WHY}")
    );
    Ok(())
}
