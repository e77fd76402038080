//! Limits (issue 11): every list a host sends is refused past its count limit while it is
//! read — the elements past the limit are counted, never built —, `Ledger::reserve` refuses
//! more than `MAX_RESERVED`, and a journal line past its byte limit is refused unparsed.

use chrono::{DateTime, Utc};
use rihla_ledger::limits::{
    LimitExceeded, LIMIT_ERROR_PREFIX, MAX_ACCOUNT_LIST, MAX_BOOK_CLAWBACKS, MAX_BOOK_LOTS,
    MAX_BOOK_REDEMPTIONS, MAX_CASHBACK_HISTORY, MAX_PLAN_ACCOUNTS, MAX_PLAN_FAILURES,
    MAX_PLAN_TRANSFERS, MAX_REFUND_RECEIPTS,
};
use rihla_ledger::{
    audit, plan, Account, AccountList, BookCashback, CashbackRecord, Code, Ledger, PlanError,
    PlanInput, PointsBook, ReceiptList, Refunds, Transfer, TransferBatch, Unit, BATCH_MAX,
    MAX_RESERVED,
};
use serde::de::DeserializeOwned;

type R = Result<(), Box<dyn std::error::Error>>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

fn sar() -> Unit {
    Unit::parse("SAR").unwrap_or(Unit::Points { scale: 2 })
}

/// The limit named by the error of reading `text` as `T`, if it is one.
fn limit_of<T: DeserializeOwned>(text: &str) -> Option<LimitExceeded> {
    let message = serde_json::from_str::<T>(text).err()?.to_string();
    assert!(message.starts_with(LIMIT_ERROR_PREFIX), "{message}");
    LimitExceeded::from_message(&message)
}

/// The message of the error of reading `text` as `T`.
fn error_of<T: DeserializeOwned>(text: &str) -> String {
    serde_json::from_str::<T>(text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// `n` copies of `item`, then `junk` (elements that are not even of the list's type), as
/// a JSON list.
fn list(item: &str, n: usize, junk: usize) -> String {
    let mut parts: Vec<&str> = vec![item; n];
    parts.extend(std::iter::repeat_n("0", junk));
    format!("[{}]", parts.join(","))
}

const TRANSFER: &str = r#"{"id":"9","debit_account_id":"1","credit_account_id":"2","amount":"1.00","unit":"SAR","code":"DEPOSIT","at":"2026-11-22T09:00:00Z"}"#;

#[test]
fn reserve_refuses_more_than_max_reserved_and_reserves_nothing() {
    assert_eq!(MAX_RESERVED, 1_048_576);
    let mut l = Ledger::new();
    assert_eq!(
        l.reserve(MAX_RESERVED + 1),
        Err(LimitExceeded::new(
            "transfers",
            MAX_RESERVED,
            MAX_RESERVED + 1
        ))
    );
    let e = l.reserve(usize::MAX).err();
    assert_eq!(e.as_ref().map(|e| e.actual), Some(usize::MAX));
    assert_eq!(e.as_ref().map(LimitExceeded::code), Some("LIMIT_EXCEEDED"));
    assert_eq!(
        e.map(|e| e.to_value()),
        Some(serde_json::json!({
            "code": "LIMIT_EXCEEDED",
            "message": format!("LIMIT_EXCEEDED: transfers has {} entries, more than the limit of 1048576", usize::MAX),
            "field": "transfers", "limit": 1_048_576, "actual": usize::MAX
        }))
    );
    assert_eq!(l.reserve(0), Ok(()));
    assert_eq!(l.reserve(100), Ok(()));
    assert_eq!(l.entries().len(), 0);
}

#[test]
fn a_batch_is_refused_past_batch_max_while_it_is_read() -> R {
    let full: TransferBatch = serde_json::from_str(&list(TRANSFER, BATCH_MAX, 0))?;
    assert_eq!(full.0.len(), BATCH_MAX);
    assert_eq!(
        limit_of::<TransferBatch>(&list(TRANSFER, BATCH_MAX + 1, 0)),
        Some(LimitExceeded::new("transfers", BATCH_MAX, BATCH_MAX + 1))
    );
    // Past the limit the elements are only counted: junk there is not even read as a
    // transfer.
    assert_eq!(
        limit_of::<TransferBatch>(&list(TRANSFER, BATCH_MAX, 5)),
        Some(LimitExceeded::new("transfers", BATCH_MAX, BATCH_MAX + 5))
    );
    // Junk within the limit is the transfer's own error.
    assert!(error_of::<TransferBatch>(&list(TRANSFER, 3, 1)).contains("invalid type"));
    // The list reads back as it was written.
    let text = serde_json::to_string(&full)?;
    assert_eq!(serde_json::from_str::<TransferBatch>(&text)?, full);
    Ok(())
}

/// A planner input with `accounts`, `transfers`, `failed` and `batch` lists of the given
/// JSON.
fn plan_input(accounts: &str, transfers: &str, failed: &str, batch: &str) -> String {
    format!(
        r#"{{"accounts": {accounts}, "transfers": {transfers}, "failed": {failed},
            "last_seq": 3, "last_hash": "{}", "batch": {batch}}}"#,
        "ab".repeat(32)
    )
}

#[test]
fn a_planner_snapshot_is_refused_past_each_list_limit_while_it_is_read() -> R {
    assert_eq!(
        (MAX_PLAN_ACCOUNTS, MAX_PLAN_TRANSFERS, MAX_PLAN_FAILURES),
        (32_760, 16_380, 8_190)
    );
    let account = r#"{"account": {"id": "1", "unit": "SAR"}, "balances": {"debits_pending": "0", "debits_posted": "0", "credits_pending": "0", "credits_posted": "0"}, "version": 0}"#;
    let known =
        format!(r#"{{"given": {TRANSFER}, "resolved": {TRANSFER}, "state": "NONE", "seq": 1}}"#);
    let failure = r#"{"id": "9", "code": "EXCEEDS_CREDITS"}"#;
    let ok: PlanInput = serde_json::from_str(&plan_input(
        &list(account, 2, 0),
        &list(&known, 1, 0),
        &list(failure, 1, 0),
        &list(TRANSFER, 1, 0),
    ))?;
    assert_eq!(
        (
            ok.accounts.len(),
            ok.transfers.len(),
            ok.failed.len(),
            ok.batch.len()
        ),
        (2, 1, 1, 1)
    );
    let cases = [
        (
            plan_input(&list(account, MAX_PLAN_ACCOUNTS, 2), "[]", "[]", "[]"),
            LimitExceeded::new("accounts", MAX_PLAN_ACCOUNTS, MAX_PLAN_ACCOUNTS + 2),
        ),
        (
            plan_input("[]", &list(&known, MAX_PLAN_TRANSFERS, 1), "[]", "[]"),
            LimitExceeded::new("transfers", MAX_PLAN_TRANSFERS, MAX_PLAN_TRANSFERS + 1),
        ),
        (
            plan_input("[]", "[]", &list(failure, MAX_PLAN_FAILURES + 1, 0), "[]"),
            LimitExceeded::new("failed", MAX_PLAN_FAILURES, MAX_PLAN_FAILURES + 1),
        ),
        (
            plan_input("[]", "[]", "[]", &list(TRANSFER, BATCH_MAX, 3)),
            LimitExceeded::new("batch", BATCH_MAX, BATCH_MAX + 3),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(limit_of::<PlanInput>(&text), Some(expected));
    }
    Ok(())
}

#[test]
fn a_planner_snapshot_built_in_rust_is_refused_past_its_limits() -> R {
    let mut ledger = Ledger::new();
    ledger.create_accounts(&[Account::new(1u128, sar()), Account::new(2u128, sar())]);
    let batch = [Transfer::new(
        9u128,
        1u128,
        2u128,
        100,
        sar(),
        Code::Deposit,
        at(0),
    )];
    let input = ledger.plan_input(&batch);
    assert!(plan(&input).is_ok());
    let mut many = input.clone();
    let first = many.accounts.first().cloned().ok_or("account")?;
    many.accounts = vec![first; MAX_PLAN_ACCOUNTS + 1];
    assert_eq!(
        plan(&many).err(),
        Some(PlanError::LimitExceeded {
            field: "accounts",
            limit: MAX_PLAN_ACCOUNTS,
            actual: MAX_PLAN_ACCOUNTS + 1
        })
    );
    assert_eq!(
        plan(&many).err().map(|e| e.to_value()),
        Some(serde_json::json!({
            "code": "LIMIT_EXCEEDED",
            "message": "accounts has 32761 entries, more than the limit of 32760",
            "field": "accounts", "limit": 32_760, "actual": 32_761
        }))
    );
    Ok(())
}

#[test]
fn every_stored_document_reads_its_lists_with_their_limits() {
    assert_eq!(
        (
            MAX_ACCOUNT_LIST,
            MAX_BOOK_LOTS,
            MAX_BOOK_REDEMPTIONS,
            MAX_BOOK_CLAWBACKS,
            MAX_REFUND_RECEIPTS
        ),
        (1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20)
    );
    // A list too long to build here shows its limit in what the reader expects.
    let expects = |message: String, what: &str| {
        assert!(
            message.contains(&format!("expected a list of at most {what}")),
            "{message}"
        );
    };
    expects(error_of::<AccountList>("{}"), "1048576 accounts");
    expects(error_of::<ReceiptList>("7"), "1048576 receipts");
    expects(error_of::<Refunds>("\"x\""), "1048576 receipts");
    expects(error_of::<TransferBatch>("{}"), "8190 transfers");
    let book = |field: &str| format!(r#"{{"unit": "POINTS", "{field}": 5}}"#);
    expects(error_of::<PointsBook>(&book("lots")), "1048576 lots");
    expects(
        error_of::<PointsBook>(&book("redemptions")),
        "1048576 redemptions",
    );
    expects(
        error_of::<PointsBook>(&book("clawbacks")),
        "1048576 clawbacks",
    );
    let redemption = r#"{"unit": "POINTS", "redemptions": [{"id": "8001", "account": "501",
        "to": "2", "unit": "POINTS", "amount": "700", "at": "2028-06-01T00:00:00Z",
        "consumed": 5}]}"#;
    expects(error_of::<PointsBook>(redemption), "1048576 consumed");
    let clawback = r#"{"unit": "POINTS", "clawbacks": [{"request": {"id": "9101",
        "lot": "7001", "refunded": "1", "paid": "2", "at": "2028-05-01T00:00:00Z",
        "debt_account": "601"}, "account": "501", "issuer": "1", "unit": "POINTS",
        "target": "0", "from_lot": "0", "from_other_lots": 5, "covered_by_expiry": "0",
        "debt": "0"}]}"#;
    expects(error_of::<PointsBook>(clawback), "1048576 from_other_lots");
    // Short lists read as ever.
    let accounts: Result<AccountList, _> =
        serde_json::from_str(r#"[{"id": "1", "unit": "SAR"}, {"id": "2", "unit": "POINTS"}]"#);
    assert_eq!(accounts.map(|a| a.0.len()).ok(), Some(2));
    let refunds: Result<Refunds, _> = serde_json::from_str("[]");
    assert_eq!(refunds.ok(), Some(Refunds::new()));
}

#[test]
fn a_cashback_history_past_its_limit_is_refused() -> R {
    assert_eq!(MAX_CASHBACK_HISTORY, 16);
    let mut ledger = Ledger::new();
    ledger.create_accounts(&[
        Account::new(5u128, sar()).debit_normal(),
        Account::new(1001u128, sar()),
    ]);
    let (record, _) = CashbackRecord::book(
        &mut ledger,
        &BookCashback {
            id: 3001u128.into(),
            reference: "BKG-1".into(),
            wallet: 1001u128.into(),
            source: 5u128.into(),
            amount: 1_000,
            unit: sar(),
            at: at(0),
            hold_days: 7,
        },
    )?;
    let mut value = serde_json::to_value(&record)?;
    let step = value
        .get("history")
        .and_then(|h| h.get(0))
        .cloned()
        .ok_or("history")?;
    let with = |n: usize, value: &mut serde_json::Value| {
        if let Some(h) = value.get_mut("history") {
            *h = serde_json::Value::Array(vec![step.clone(); n]);
        }
        serde_json::to_string(value).unwrap_or_default()
    };
    let text = with(MAX_CASHBACK_HISTORY, &mut value);
    assert_eq!(
        serde_json::from_str::<CashbackRecord>(&text).map(|r| r.history.len())?,
        16
    );
    let text = with(MAX_CASHBACK_HISTORY + 1, &mut value);
    assert_eq!(
        limit_of::<CashbackRecord>(&text),
        Some(LimitExceeded::new("history", 16, 17))
    );
    Ok(())
}

#[test]
fn a_journal_line_past_its_byte_limit_is_refused_unparsed() -> R {
    use rihla_ledger::audit::MAX_JOURNAL_LINE_BYTES;
    assert_eq!(MAX_JOURNAL_LINE_BYTES, 8_192);
    // The longest entries: 39-digit ids, the largest amount, a reference of 128 characters
    // each escaped in JSON.
    let big = u128::MAX - 1;
    let accounts = [
        Account::new(big, sar()).debit_normal(),
        Account::new(big - 1, sar()),
    ];
    let mut l = Ledger::new();
    l.create_accounts(&accounts);
    let amount = rihla_ledger::amount::MAX_AMOUNT;
    let t = Transfer::new(big - 2, big, big - 1, amount, sar(), Code::Deposit, at(0))
        .with_reference("\u{1}".repeat(128));
    assert!(l.apply(&[t])?.iter().all(Result::is_ok));
    let line = l
        .entries()
        .first()
        .map(|e| e.to_json_line())
        .ok_or("entry")?;
    assert!(line.len() < 2_048, "{}", line.len());
    assert!(audit::verify_jsonl(&accounts, &line).ok);
    // A line past the limit is reported at its line number without being read.
    let long = format!("{line}\n{}\n", " ".repeat(MAX_JOURNAL_LINE_BYTES + 1));
    let report = audit::verify_jsonl(&accounts, &long);
    let broken = report.first_broken.ok_or("broken")?;
    assert_eq!((broken.line, broken.reason), (2, "LIMIT_EXCEEDED"));
    assert_eq!(
        broken.detail,
        "the line is 8193 bytes, more than the limit of 8192"
    );
    assert_eq!(report.entries, 1);
    // At the limit a line is read (here: blank).
    let blank = format!("{line}\n{}\n", " ".repeat(MAX_JOURNAL_LINE_BYTES));
    assert!(audit::verify_jsonl(&accounts, &blank).ok);
    Ok(())
}
