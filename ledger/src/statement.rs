//! Customer views (issue 6): an account's statement — the platform's `WalletTransaction`
//! shape (transaction type, amount, balance before and after, reference, time, code) — read
//! from the journal, page by page.
//!
//! Each line is one journal entry that touched the account, from the account's side:
//! `CREDIT` when the account was the credit side, `DEBIT` when it was the debit side
//! (for a credit-normal wallet a `CREDIT` raises the balance; for a debit-normal account
//! it lowers it). Balances are the posted balance on the account's normal side, so each
//! line's `balance_before` is the previous line's `balance_after`. Amounts are decimals at
//! the account's unit scale (JSON: decimal strings, `"150.50"`).

use crate::amount::{signed_to_decimal, to_decimal};
use crate::{Code, Id, Ledger, Unit};
use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use serde::Serialize;

/// Most lines of one statement page.
pub const MAX_STATEMENT_LINES: usize = 1000;

/// Which side of an entry the account was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransactionType {
    /// The account was credited.
    Credit,
    /// The account was debited.
    Debit,
}

/// One line of a statement (the platform's `WalletTransaction`).
///
/// ```json
/// {"seq": 3, "transfer_id": "9001", "transaction_type": "CREDIT", "code": "DEPOSIT",
///  "amount": "500.00", "balance_before": "0.00", "balance_after": "500.00",
///  "available_after": "500.00", "pending": false, "reference": "TOPUP-77",
///  "at": "2026-11-22T09:00:00Z", "counterparty_account_id": "1"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    /// The journal entry's sequence number (ascending through the statement).
    pub seq: u64,
    /// The transfer (for a post or void, the post or void; its `pending_id` is the hold).
    pub transfer_id: Id,
    /// `CREDIT` or `DEBIT`, from the account's side.
    pub transaction_type: TransactionType,
    /// Why (`DEPOSIT`, `PAYMENT`, `REFUND`, `REVERSAL` …); for a post or void, the hold's.
    pub code: Option<Code>,
    /// The amount of the entry, at the unit's scale: what moved, or for a hold and a void
    /// what was held and released.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
    /// The posted balance before the entry, at the unit's scale.
    #[serde(with = "rihla_core::decimal_string")]
    pub balance_before: Decimal,
    /// The posted balance after it.
    #[serde(with = "rihla_core::decimal_string")]
    pub balance_after: Decimal,
    /// The posted balance less pending outflows, after it.
    #[serde(with = "rihla_core::decimal_string")]
    pub available_after: Decimal,
    /// Whether the entry is a hold (a pending transfer) or the void that released one: it
    /// changed no posted balance (`balance_before` = `balance_after`). A post is not
    /// pending: it moved money.
    pub pending: bool,
    /// The host's reference (the platform's description / reference).
    pub reference: String,
    /// When (the platform's `created_at`).
    pub at: DateTime<Utc>,
    /// The other account of the entry.
    pub counterparty_account_id: Id,
}

/// A page of an account's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementPage {
    /// The account.
    pub account_id: Id,
    /// Its unit (the scale of every amount).
    pub unit: Unit,
    /// The lines, ascending by `seq`.
    pub lines: Vec<StatementLine>,
    /// The `from_seq` of the next page, when there are more lines.
    pub next_from_seq: Option<u64>,
}

/// Why a statement was not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StatementError {
    /// No account has this id.
    #[error("account {account_id} not found")]
    AccountNotFound {
        /// The id.
        account_id: Id,
    },
    /// A page of 0 or more than [`MAX_STATEMENT_LINES`] lines.
    #[error("limit {limit} is not 1..={max}")]
    LimitOutOfRange {
        /// The limit asked.
        limit: usize,
        /// [`MAX_STATEMENT_LINES`].
        max: usize,
    },
}

impl StatementError {
    /// The stable code, e.g. `ACCOUNT_NOT_FOUND`.
    pub fn code(&self) -> &'static str {
        match self {
            StatementError::AccountNotFound { .. } => "ACCOUNT_NOT_FOUND",
            StatementError::LimitOutOfRange { .. } => "LIMIT_OUT_OF_RANGE",
        }
    }
}

impl Ledger {
    /// A page of `account`'s statement: at most `limit` (1 to [`MAX_STATEMENT_LINES`])
    /// lines whose journal `seq` ≥ `from_seq` (0 or 1 = from the first), ascending; the
    /// next page starts at `next_from_seq`.
    ///
    /// Walks the account's chain of entries back from its last one (time in the number of
    /// the account's entries, not the journal's); a host that pages through very long
    /// statements keeps them in its database (the planner's entries) instead.
    ///
    /// # Errors
    /// [`StatementError::AccountNotFound`]; [`StatementError::LimitOutOfRange`].
    pub fn statement(
        &self,
        account: Id,
        from_seq: u64,
        limit: usize,
    ) -> Result<StatementPage, StatementError> {
        let state = self
            .accounts
            .get(&account)
            .ok_or(StatementError::AccountNotFound {
                account_id: account,
            })?;
        if limit == 0 || limit > MAX_STATEMENT_LINES {
            return Err(StatementError::LimitOutOfRange {
                limit,
                max: MAX_STATEMENT_LINES,
            });
        }
        let unit = state.account.unit;
        let seqs = self.seqs_of(account);
        let seqs = seqs.as_slice();
        let start = seqs.partition_point(|s| *s < from_seq);
        let page = seqs.get(start..).unwrap_or(&[]);
        let lines = page
            .iter()
            .take(limit)
            .filter_map(|seq| {
                let entry = self
                    .entries
                    .get(usize::try_from(*seq).ok()?.checked_sub(1)?)?;
                let t = &entry.transfer;
                let credit = entry.credit.account_id == account;
                let (side, other) = if credit {
                    (&entry.credit, entry.debit.account_id)
                } else {
                    (&entry.debit, entry.credit.account_id)
                };
                Some(StatementLine {
                    seq: entry.seq,
                    transfer_id: t.id,
                    transaction_type: if credit {
                        TransactionType::Credit
                    } else {
                        TransactionType::Debit
                    },
                    code: t.code,
                    amount: to_decimal(unit, t.amount),
                    balance_before: signed_to_decimal(unit, side.balance_before),
                    balance_after: signed_to_decimal(unit, side.balance_after),
                    available_after: signed_to_decimal(unit, side.available_after),
                    pending: t.flags.pending || t.flags.void_pending,
                    reference: t.reference.clone(),
                    at: t.at,
                    counterparty_account_id: other,
                })
            })
            .collect();
        Ok(StatementPage {
            account_id: account,
            unit,
            lines,
            next_from_seq: page.get(limit).copied(),
        })
    }
}
