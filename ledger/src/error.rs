//! Why a transfer or an account was not created: TigerBeetle's result codes, in its order
//! of precedence, with the values that decided them.

use crate::{Id, Unit};
use serde::Serialize;

/// Why a transfer was not created. When several apply, the first in this order is
/// returned (the precedence of TigerBeetle's `create_transfers` results): the batch's
/// shape, the transfer's own fields, the accounts, the pending transfer, an existing
/// transfer with the same id, an id that already failed, then the balances.
///
/// Failures that depend on the ledger's state (marked *sticky*) are remembered: the same id
/// fails with `ID_ALREADY_FAILED` from then on, even once the state would allow it, so a
/// retried request never succeeds later by surprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransferError {
    /// Another transfer of its linked chain failed, so the whole chain failed.
    #[error("another transfer of the linked chain failed")]
    LinkedEventFailed,
    /// `linked` is set on the last transfer of the batch.
    #[error("the last transfer of the batch is linked to nothing")]
    LinkedEventChainOpen,
    /// The id is 0.
    #[error("id must not be 0")]
    IdMustNotBeZero,
    /// The id is 2¹²⁸ − 1.
    #[error("id must not be 2^128 - 1")]
    IdMustNotBeIntMax,
    /// Flags that cannot go together (pending with post or void, post with void, a
    /// balancing flag on a post or void).
    #[error("flags are mutually exclusive")]
    FlagsAreMutuallyExclusive,
    /// A single-phase or pending transfer without its debit account.
    #[error("debit_account_id must not be 0 or 2^128 - 1")]
    DebitAccountIdMustNotBeZero,
    /// A single-phase or pending transfer without its credit account.
    #[error("credit_account_id must not be 0 or 2^128 - 1")]
    CreditAccountIdMustNotBeZero,
    /// Debit and credit are the same account.
    #[error("debit and credit accounts must be different")]
    AccountsMustBeDifferent,
    /// A `pending_id` on a transfer that is not a post or void.
    #[error("pending_id must be 0 unless the transfer posts or voids")]
    PendingIdMustBeZero,
    /// A post or void without `pending_id`.
    #[error("pending_id must not be 0 on a post or void")]
    PendingIdMustNotBeZero,
    /// A post or void naming itself.
    #[error("pending_id must be different from id")]
    PendingIdMustBeDifferent,
    /// A single-phase or pending transfer of 0.
    #[error("amount must be more than 0")]
    AmountMustNotBeZero,
    /// More than the largest amount.
    #[error("amount {amount} is more than the largest amount")]
    AmountTooLarge {
        /// The amount, minor units.
        amount: String,
    },
    /// A single-phase or pending transfer without a unit or a code.
    #[error("{field} is required")]
    FieldRequired {
        /// `unit` or `code`.
        field: &'static str,
    },
    /// A reference of more than 128 characters.
    #[error("reference is {length} characters, more than 128")]
    ReferenceTooLong {
        /// Its length.
        length: usize,
    },
    /// No account has the debit id (sticky).
    #[error("debit account {account_id} not found")]
    DebitAccountNotFound {
        /// The id.
        account_id: Id,
    },
    /// No account has the credit id (sticky).
    #[error("credit account {account_id} not found")]
    CreditAccountNotFound {
        /// The id.
        account_id: Id,
    },
    /// The two accounts count different units.
    #[error("accounts count {debit} and {credit}")]
    AccountsMustHaveTheSameUnit {
        /// The debit account's unit.
        debit: Unit,
        /// The credit account's unit.
        credit: Unit,
    },
    /// The transfer's unit is not its accounts'.
    #[error("transfer unit {transfer} is not the accounts' {accounts}")]
    TransferMustHaveTheSameUnitAsAccounts {
        /// The transfer's unit.
        transfer: Unit,
        /// The accounts' unit.
        accounts: Unit,
    },
    /// No transfer has `pending_id` (sticky).
    #[error("pending transfer {pending_id} not found")]
    PendingTransferNotFound {
        /// The id.
        pending_id: Id,
    },
    /// `pending_id` names a transfer that is not pending.
    #[error("transfer {pending_id} is not pending")]
    PendingTransferNotPending {
        /// The id.
        pending_id: Id,
    },
    /// A post or void names other accounts, another unit or code than its pending transfer.
    #[error("pending transfer {pending_id} has a different {field}")]
    PendingTransferHasDifferentField {
        /// The pending transfer.
        pending_id: Id,
        /// `debit_account_id`, `credit_account_id`, `unit` or `code`.
        field: &'static str,
    },
    /// A post of more than the pending amount.
    #[error("post of {amount} exceeds the pending amount {pending_amount}")]
    ExceedsPendingTransferAmount {
        /// The amount asked, minor units.
        amount: String,
        /// The pending amount, minor units.
        pending_amount: String,
    },
    /// A void with an amount other than the pending amount.
    #[error("void of {amount} differs from the pending amount {pending_amount}")]
    PendingTransferHasDifferentAmount {
        /// The amount given, minor units.
        amount: String,
        /// The pending amount, minor units.
        pending_amount: String,
    },
    /// A transfer with this id exists with another body: `field` is the first that differs
    /// (checked in the order flags, pending_id, debit_account_id, credit_account_id,
    /// amount, unit, code, reference); the code names it, `EXISTS_WITH_DIFFERENT_AMOUNT`.
    #[error("transfer {id} exists with a different {field}")]
    ExistsWithDifferentField {
        /// The id.
        id: Id,
        /// The first differing field.
        field: &'static str,
    },
    /// This id failed earlier for a reason that depended on the ledger's state; it stays
    /// failed.
    #[error("transfer {id} already failed with {first}")]
    IdAlreadyFailed {
        /// The id.
        id: Id,
        /// The first failure's code.
        first: &'static str,
    },
    /// The pending transfer was already posted (a pending transfer resolves at most once).
    #[error("pending transfer {pending_id} was already posted")]
    PendingTransferAlreadyPosted {
        /// The id.
        pending_id: Id,
    },
    /// The pending transfer was already voided.
    #[error("pending transfer {pending_id} was already voided")]
    PendingTransferAlreadyVoided {
        /// The id.
        pending_id: Id,
    },
    /// The debit account is closed (sticky).
    #[error("debit account {account_id} is closed")]
    DebitAccountClosed {
        /// The id.
        account_id: Id,
    },
    /// The credit account is closed (sticky).
    #[error("credit account {account_id} is closed")]
    CreditAccountClosed {
        /// The id.
        account_id: Id,
    },
    /// An account's totals would pass 2¹⁶ times the largest amount, or its posted or
    /// available balance 2⁹⁶ − 1 minor units either way, the most a decimal holds (sticky).
    #[error("account {account_id}'s totals would overflow")]
    Overflows {
        /// The id.
        account_id: Id,
    },
    /// The debit account must not go negative and does not hold the amount (sticky).
    #[error("account {account_id} has {available} available, less than {amount}")]
    ExceedsCredits {
        /// The debit account.
        account_id: Id,
        /// What it could give (available balance + overdraft limit), minor units.
        available: String,
        /// The amount asked, minor units.
        amount: String,
    },
    /// The credit account (debit-normal, must not go negative) cannot take the amount
    /// (sticky).
    #[error("account {account_id} has {available} available, less than {amount}")]
    ExceedsDebits {
        /// The credit account.
        account_id: Id,
        /// What it could take, minor units.
        available: String,
        /// The amount asked, minor units.
        amount: String,
    },
    /// The host's expected version of an account is not the ledger's (the planner: the
    /// host read a stale balance). Not sticky: re-read and plan again.
    #[error("account {account_id} is at version {actual}, not the expected {expected}")]
    VersionConflict {
        /// The account.
        account_id: Id,
        /// The version the host read.
        expected: u64,
        /// The version now.
        actual: u64,
    },
}

impl TransferError {
    /// The stable code, e.g. `EXCEEDS_CREDITS`.
    pub fn code(&self) -> &'static str {
        use TransferError as E;
        match self {
            E::LinkedEventFailed => "LINKED_EVENT_FAILED",
            E::LinkedEventChainOpen => "LINKED_EVENT_CHAIN_OPEN",
            E::IdMustNotBeZero => "ID_MUST_NOT_BE_ZERO",
            E::IdMustNotBeIntMax => "ID_MUST_NOT_BE_INT_MAX",
            E::FlagsAreMutuallyExclusive => "FLAGS_ARE_MUTUALLY_EXCLUSIVE",
            E::DebitAccountIdMustNotBeZero => "DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO",
            E::CreditAccountIdMustNotBeZero => "CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO",
            E::AccountsMustBeDifferent => "ACCOUNTS_MUST_BE_DIFFERENT",
            E::PendingIdMustBeZero => "PENDING_ID_MUST_BE_ZERO",
            E::PendingIdMustNotBeZero => "PENDING_ID_MUST_NOT_BE_ZERO",
            E::PendingIdMustBeDifferent => "PENDING_ID_MUST_BE_DIFFERENT",
            E::AmountMustNotBeZero => "AMOUNT_MUST_NOT_BE_ZERO",
            E::AmountTooLarge { .. } => "AMOUNT_TOO_LARGE",
            E::FieldRequired { .. } => "FIELD_REQUIRED",
            E::ReferenceTooLong { .. } => "REFERENCE_TOO_LONG",
            E::DebitAccountNotFound { .. } => "DEBIT_ACCOUNT_NOT_FOUND",
            E::CreditAccountNotFound { .. } => "CREDIT_ACCOUNT_NOT_FOUND",
            E::AccountsMustHaveTheSameUnit { .. } => "ACCOUNTS_MUST_HAVE_THE_SAME_UNIT",
            E::TransferMustHaveTheSameUnitAsAccounts { .. } => {
                "TRANSFER_MUST_HAVE_THE_SAME_UNIT_AS_ACCOUNTS"
            }
            E::PendingTransferNotFound { .. } => "PENDING_TRANSFER_NOT_FOUND",
            E::PendingTransferNotPending { .. } => "PENDING_TRANSFER_NOT_PENDING",
            E::PendingTransferHasDifferentField { .. } => "PENDING_TRANSFER_HAS_DIFFERENT_FIELD",
            E::ExceedsPendingTransferAmount { .. } => "EXCEEDS_PENDING_TRANSFER_AMOUNT",
            E::PendingTransferHasDifferentAmount { .. } => "PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT",
            E::ExistsWithDifferentField { field, .. } => exists_code(field),
            E::IdAlreadyFailed { .. } => "ID_ALREADY_FAILED",
            E::PendingTransferAlreadyPosted { .. } => "PENDING_TRANSFER_ALREADY_POSTED",
            E::PendingTransferAlreadyVoided { .. } => "PENDING_TRANSFER_ALREADY_VOIDED",
            E::DebitAccountClosed { .. } => "DEBIT_ACCOUNT_CLOSED",
            E::CreditAccountClosed { .. } => "CREDIT_ACCOUNT_CLOSED",
            E::Overflows { .. } => "OVERFLOWS",
            E::ExceedsCredits { .. } => "EXCEEDS_CREDITS",
            E::ExceedsDebits { .. } => "EXCEEDS_DEBITS",
            E::VersionConflict { .. } => "VERSION_CONFLICT",
        }
    }

    /// Whether the failure depended on the ledger's state, so that the id stays failed.
    pub fn is_sticky(&self) -> bool {
        use TransferError as E;
        matches!(
            self,
            E::DebitAccountNotFound { .. }
                | E::CreditAccountNotFound { .. }
                | E::PendingTransferNotFound { .. }
                | E::DebitAccountClosed { .. }
                | E::CreditAccountClosed { .. }
                | E::Overflows { .. }
                | E::ExceedsCredits { .. }
                | E::ExceedsDebits { .. }
        )
    }

    /// The error as JSON: `{"code", "message", …values}`.
    pub fn to_value(&self) -> serde_json::Value {
        crate::error::json_of(self, self.code())
    }
}

/// Why an account was not created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountError {
    /// The id is 0 or 2¹²⁸ − 1.
    #[error("account id must not be 0 or 2^128 - 1")]
    IdMustNotBeReserved,
    /// `code` over 64 or `owner` over 128 characters.
    #[error("{field} is too long")]
    TooLong {
        /// `code` or `owner`.
        field: &'static str,
    },
    /// An overdraft limit on an account that may go negative anyway.
    #[error("overdraft_limit needs must_not_go_negative")]
    OverdraftWithoutLimit,
    /// An account with this id exists with another body (`field` the first difference).
    #[error("account {id} exists with a different {field}")]
    ExistsWithDifferentField {
        /// The id.
        id: Id,
        /// The first differing field.
        field: &'static str,
    },
    /// More than [`crate::MAX_ACCOUNTS`] accounts.
    #[error("the ledger holds its limit of accounts")]
    TooManyAccounts,
}

impl AccountError {
    /// The error as JSON: `{"code", "message", …values}`.
    pub fn to_value(&self) -> serde_json::Value {
        crate::error::json_of(self, self.code())
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::IdMustNotBeReserved => "ID_MUST_NOT_BE_RESERVED",
            AccountError::TooLong { .. } => "TOO_LONG",
            AccountError::OverdraftWithoutLimit => "OVERDRAFT_WITHOUT_LIMIT",
            AccountError::ExistsWithDifferentField { field, .. } => match *field {
                "unit" => "EXISTS_WITH_DIFFERENT_UNIT",
                "normal" => "EXISTS_WITH_DIFFERENT_NORMAL",
                "must_not_go_negative" => "EXISTS_WITH_DIFFERENT_MUST_NOT_GO_NEGATIVE",
                "overdraft_limit" => "EXISTS_WITH_DIFFERENT_OVERDRAFT_LIMIT",
                "closed" => "EXISTS_WITH_DIFFERENT_CLOSED",
                "code" => "EXISTS_WITH_DIFFERENT_CODE",
                _ => "EXISTS_WITH_DIFFERENT_OWNER",
            },
            AccountError::TooManyAccounts => "TOO_MANY_ACCOUNTS",
        }
    }
}

/// `EXISTS_WITH_DIFFERENT_<FIELD>` for a transfer field.
fn exists_code(field: &str) -> &'static str {
    match field {
        "flags" => "EXISTS_WITH_DIFFERENT_FLAGS",
        "pending_id" => "EXISTS_WITH_DIFFERENT_PENDING_ID",
        "debit_account_id" => "EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID",
        "credit_account_id" => "EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID",
        "amount" => "EXISTS_WITH_DIFFERENT_AMOUNT",
        "unit" => "EXISTS_WITH_DIFFERENT_UNIT",
        "code" => "EXISTS_WITH_DIFFERENT_CODE",
        _ => "EXISTS_WITH_DIFFERENT_REFERENCE",
    }
}

/// An error as JSON: its serde form (values that decided it) with `code` and `message`.
pub(crate) fn json_of<E: Serialize + std::fmt::Display>(e: &E, code: &str) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("code".into(), code.into());
        m.insert("message".into(), e.to_string().into());
    }
    v
}

/// A ledger refusal inside a points or cashback operation: the ledger's error object with
/// `"refused_by": "ledger"`.
pub(crate) fn refused_by_ledger(e: &TransferError) -> serde_json::Value {
    let mut v = e.to_value();
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("refused_by".into(), "ledger".into());
    }
    v
}
