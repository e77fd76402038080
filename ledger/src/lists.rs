//! The lists a host sends as a whole document — accounts, a batch of transfers, stored refund
//! receipts — read with their count limit checked while they are read (see
//! [`crate::limits`]): a binding reads one of these instead of a bare `Vec`, so that a list
//! past its limit is refused before it is built.
//!
//! JSON: the bare list, `[{…}, {…}]`, both ways.

use crate::limits::{bounded_vec, MAX_ACCOUNT_LIST, MAX_REFUND_RECEIPTS};
use crate::{Account, RefundReceipt, Transfer, BATCH_MAX};
use serde::{Deserialize, Deserializer, Serialize};

/// Accounts as a host sends them (`create_accounts`, the accounts of an audit): at most
/// [`MAX_ACCOUNT_LIST`].
///
/// # Errors (reading)
/// A serde error starting with [`crate::limits::LIMIT_ERROR_PREFIX`] (field `accounts`)
/// past the limit; the accounts' own errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct AccountList(pub Vec<Account>);

impl<'de> Deserialize<'de> for AccountList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        bounded_vec(d, "accounts", MAX_ACCOUNT_LIST).map(AccountList)
    }
}

/// A batch of transfers as a host sends it: at most [`BATCH_MAX`] (8,190) — the limit
/// [`crate::Ledger::apply`] keeps, here checked while the batch is read.
///
/// # Errors (reading)
/// A serde error starting with [`crate::limits::LIMIT_ERROR_PREFIX`] (field `transfers`,
/// limit [`BATCH_MAX`]) past the limit; the transfers' own errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TransferBatch(pub Vec<Transfer>);

impl<'de> Deserialize<'de> for TransferBatch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        bounded_vec(d, "transfers", BATCH_MAX).map(TransferBatch)
    }
}

/// Stored refund receipts (what [`crate::Refunds::receipts`] gave): at most
/// [`MAX_REFUND_RECEIPTS`]. [`crate::Refunds`] reads the same list directly.
///
/// # Errors (reading)
/// A serde error starting with [`crate::limits::LIMIT_ERROR_PREFIX`] (field `receipts`)
/// past the limit; the receipts' own errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ReceiptList(pub Vec<RefundReceipt>);

impl<'de> Deserialize<'de> for ReceiptList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        bounded_vec(d, "receipts", MAX_REFUND_RECEIPTS).map(ReceiptList)
    }
}
