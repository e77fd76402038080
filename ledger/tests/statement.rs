//! Customer views (issue 6): the wallet statement with balance_before / balance_after per
//! entry (the platform's `WalletTransaction` shape), page by page.

use chrono::{DateTime, Utc};
use rihla_ledger::{
    Account, Code, Id, Ledger, StatementError, StatementLine, TransactionType, Transfer,
    TransferFlags, Unit, MAX_STATEMENT_LINES,
};

type R = Result<(), Box<dyn std::error::Error>>;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + minute * 60, 0).unwrap_or_default()
}

const BANK: u128 = 1;
const WALLET: u128 = 1001;
const MERCHANT: u128 = 2001;

fn hold(id: u128, amount: u128, sar: Unit, minute: i64) -> Transfer {
    Transfer::new(id, WALLET, MERCHANT, amount, sar, Code::Payment, at(minute))
        .with_reference(format!("BK-{id}"))
        .with_flags(TransferFlags {
            pending: true,
            ..TransferFlags::default()
        })
}

/// A wallet's month: a top-up of 5,000.00, a hold of 1,000.00 posted at 600.00, a payment
/// of 50.00, a refund of 20.00, a hold of 300.00 voided — with other accounts' entries in
/// between.
fn month() -> Result<(Ledger, Unit), Box<dyn std::error::Error>> {
    let sar = Unit::parse("SAR")?;
    let mut l = Ledger::new();
    let created = l.create_accounts(&[
        Account::new(BANK, sar).debit_normal(),
        Account::new(WALLET, sar).must_not_go_negative(),
        Account::new(MERCHANT, sar),
    ]);
    assert!(created.iter().all(Result::is_ok));
    let r = l.apply(&[
        Transfer::new(1u128, BANK, WALLET, 500_000, sar, Code::Deposit, at(0))
            .with_reference("TOPUP-1"),
        hold(2, 100_000, sar, 1),
        Transfer::new(3u128, BANK, MERCHANT, 7_000, sar, Code::Deposit, at(2)),
        Transfer::resolve(4u128, 2u128, true, 60_000, at(3)).with_reference("BK-2"),
        Transfer::new(5u128, WALLET, MERCHANT, 5_000, sar, Code::Payment, at(4))
            .with_reference("BK-5"),
        Transfer::new(6u128, MERCHANT, WALLET, 2_000, sar, Code::Refund, at(5))
            .with_reference("BK-5"),
        hold(7, 30_000, sar, 6),
        Transfer::resolve(8u128, 7u128, false, 0, at(7)),
    ])?;
    assert!(r.iter().all(Result::is_ok), "{r:?}");
    Ok((l, sar))
}

fn text(line: &StatementLine) -> (u64, TransactionType, String, String, String, String, bool) {
    (
        line.seq,
        line.transaction_type,
        line.amount.to_string(),
        line.balance_before.to_string(),
        line.balance_after.to_string(),
        line.available_after.to_string(),
        line.pending,
    )
}

#[test]
fn the_wallet_statement_chains_balances_with_credit_and_debit_lines() -> R {
    let (l, sar) = month()?;
    let page = l.statement(Id(WALLET), 0, MAX_STATEMENT_LINES)?;
    assert_eq!((page.account_id, page.unit), (Id(WALLET), sar));
    assert_eq!(page.next_from_seq, None);
    use TransactionType::{Credit, Debit};
    let s = |v: &str| v.to_string();
    assert_eq!(
        page.lines.iter().map(text).collect::<Vec<_>>(),
        vec![
            (
                1,
                Credit,
                s("5000.00"),
                s("0.00"),
                s("5000.00"),
                s("5000.00"),
                false
            ),
            (
                2,
                Debit,
                s("1000.00"),
                s("5000.00"),
                s("5000.00"),
                s("4000.00"),
                true
            ),
            (
                4,
                Debit,
                s("600.00"),
                s("5000.00"),
                s("4400.00"),
                s("4400.00"),
                false
            ),
            (
                5,
                Debit,
                s("50.00"),
                s("4400.00"),
                s("4350.00"),
                s("4350.00"),
                false
            ),
            (
                6,
                Credit,
                s("20.00"),
                s("4350.00"),
                s("4370.00"),
                s("4370.00"),
                false
            ),
            (
                7,
                Debit,
                s("300.00"),
                s("4370.00"),
                s("4370.00"),
                s("4070.00"),
                true
            ),
            (
                8,
                Debit,
                s("300.00"),
                s("4370.00"),
                s("4370.00"),
                s("4370.00"),
                true
            ),
        ]
    );
    // Each balance_before is the previous balance_after.
    for pair in page.lines.windows(2) {
        if let [a, b] = pair {
            assert_eq!(b.balance_before, a.balance_after);
        }
    }
    let post = page.lines.get(2).ok_or("post line")?;
    assert_eq!(
        (
            post.transfer_id,
            post.code,
            post.reference.as_str(),
            post.counterparty_account_id,
            post.at
        ),
        (Id(4), Some(Code::Payment), "BK-2", Id(MERCHANT), at(3))
    );
    let v = serde_json::to_value(page.lines.first().ok_or("line")?)?;
    assert_eq!(
        v,
        serde_json::json!({
            "seq": 1, "transfer_id": "1", "transaction_type": "CREDIT", "code": "DEPOSIT",
            "amount": "5000.00", "balance_before": "0.00", "balance_after": "5000.00",
            "available_after": "5000.00", "pending": false, "reference": "TOPUP-1",
            "at": "2026-11-18T11:06:40Z", "counterparty_account_id": "1"
        })
    );
    // The bank, debit-normal: its balance grows with its debits.
    let bank = l.statement(Id(BANK), 0, 10)?;
    assert_eq!(
        bank.lines
            .iter()
            .map(|x| (x.transaction_type, x.balance_after.to_string()))
            .collect::<Vec<_>>(),
        vec![(Debit, s("5000.00")), (Debit, s("5070.00"))]
    );
    Ok(())
}

#[test]
fn statements_page_from_a_seq() -> R {
    let (l, _) = month()?;
    let all = l.statement(Id(WALLET), 0, MAX_STATEMENT_LINES)?.lines;
    let mut paged = Vec::new();
    let mut from = 0;
    let mut pages = 0;
    loop {
        let page = l.statement(Id(WALLET), from, 3)?;
        assert!(page.lines.len() <= 3);
        paged.extend(page.lines);
        pages += 1;
        match page.next_from_seq {
            Some(next) => from = next,
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(paged, all);
    let page = l.statement(Id(WALLET), 3, 2)?;
    assert_eq!(
        page.lines.iter().map(|x| x.seq).collect::<Vec<_>>(),
        vec![4, 5]
    );
    assert_eq!(page.next_from_seq, Some(6));
    assert!(l.statement(Id(WALLET), 99, 10)?.lines.is_empty());
    assert_eq!(
        l.statement(Id(WALLET), 0, 0).err(),
        Some(StatementError::LimitOutOfRange {
            limit: 0,
            max: MAX_STATEMENT_LINES
        })
    );
    assert_eq!(
        l.statement(Id(WALLET), 0, MAX_STATEMENT_LINES + 1)
            .err()
            .map(|e| e.code()),
        Some("LIMIT_OUT_OF_RANGE")
    );
    assert_eq!(
        l.statement(Id(42), 0, 10).err(),
        Some(StatementError::AccountNotFound { account_id: Id(42) })
    );
    Ok(())
}
