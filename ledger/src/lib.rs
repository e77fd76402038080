//! # rihla-ledger
//!
//! The double-entry journal of rihla (docs/ledger.md), with TigerBeetle's transfer semantics:
//!
//! - [`Account`]s count one [`Unit`] (an ISO 4217 currency or points), keep posted and
//!   pending debits and credits ([`account::Balances`]), may refuse to go negative (with
//!   an overdraft limit), may be closed, and carry a version for optimistic concurrency.
//! - [`Transfer`]s move an amount from one account to another: single-phase, pending (a
//!   hold that lowers the available balance), post (≤ the held amount, the rest released)
//!   or void — a pending transfer resolves at most once; `linked` chains are atomic;
//!   `balancing_debit` moves what the wallet covers.
//! - The transfer id is the idempotency key: the same id and body again is `EXISTS` (no
//!   effect, the first result); another body fails with `EXISTS_WITH_DIFFERENT_<FIELD>`
//!   in a fixed order; an id that failed for a state-dependent reason stays failed
//!   (`ID_ALREADY_FAILED`).
//! - Every transfer created is a journal [`Entry`] with both accounts' balances before and
//!   after, chained by SHA-256; [`audit`] replays a stored journal and reports the first
//!   broken entry.
//!
//! The crate is pure (no I/O, no clock: `at` comes with every transfer) and never panics on
//! input. Amounts are whole numbers of the unit's minor unit (u128) inside, decimal strings
//! at the unit's scale in JSON.
//!
//! Every list a host sends has a count limit checked while the document is read, and every
//! collection the crate keeps for a host a documented bound ([`limits`]): past one, the
//! input is refused with `LIMIT_EXCEEDED` naming the field, the limit and the count.
//!
//! ## Layers
//!
//! A module uses only modules of its own layer or below (no two files import each other in
//! a circle; `shared/tools/import_cycle.py ledger/src 1` holds):
//!
//! 1. values: `id`, `unit`, `code`, `amount`, `instant`, `error`, `limits` (which names
//!    the higher modules whose limits it lists without linking them), `lists`;
//! 2. records: `account`, `transfer`, `journal`, `account_table`, `stored`;
//! 3. the state machine: `ledger`, `create`;
//! 4. reading it: `report`, `statement`, `audit`, `planner`, `snapshot`, `reversal`;
//! 5. built on transfers: `points`, `refund`, `cashback`, then `webhook` and
//!    `webhook_snapshot`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// No arithmetic that can overflow or panic on input-derived values: checked or saturating
// operations only (tests may use plain operators).
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod account;
mod account_table;
pub mod amount;
pub mod audit;
pub mod cashback;
mod code;
mod create;
pub mod error;
mod id;
pub mod instant;
pub mod journal;
mod ledger;
pub mod limits;
mod lists;
pub mod planner;
pub mod points;
pub mod refund;
pub mod report;
pub mod reversal;
pub mod snapshot;
pub mod statement;
mod stored;
mod transfer;
mod unit;
pub mod webhook;
pub mod webhook_snapshot;

pub use account::{Account, AccountState, Balances, Normal};
pub use cashback::{
    BookCashback, CashbackClawback, CashbackClawbackReport, CashbackError, CashbackEvent,
    CashbackRecord, CashbackStatus, Transition,
};
pub use code::Code;
pub use error::{AccountError, TransferError};
pub use id::Id;
pub use journal::{Entry, Side};
pub use ledger::{
    AccountOutcome, BatchError, Ledger, Outcome, PendingState, TransferResult, BATCH_MAX,
    MAX_ACCOUNTS, MAX_REFERENCE_CHARS, MAX_RESERVED,
};
pub use limits::LimitExceeded;
pub use lists::{AccountList, ReceiptList, TransferBatch};
pub use planner::{
    plan, AccountSnapshot, AccountUpdate, JournalHead, KnownTransfer, PendingUpdate, Plan,
    PlanError, PlanInput, StickyFailure, VersionCheck,
};
pub use points::{
    derived_id, expire_transfer_id, ClawbackReport, ClawbackRequest, Consumption, EarnReport,
    EarnRequest, ExpireReport, Expiry, ExpiryFailure, Lot, PointsBook, PointsClawback, PointsError,
    RedeemReport, RedeemRequest, Redemption, DEFAULT_EXPIRY_DAYS,
};
pub use refund::{RefundError, RefundOrder, RefundReceipt, RefundRequest, Refunds};
pub use reversal::{reversal_id, ReversalError, ReversalReceipt, ReversalRequest, ReversedLeg};
pub use rihla_core::Currency;
pub use snapshot::{Snapshot, SnapshotError, SNAPSHOT_FORMAT};
pub use statement::{
    StatementError, StatementLine, StatementPage, TransactionType, MAX_STATEMENT_LINES,
};
pub use transfer::{Transfer, TransferFlags};
pub use unit::{Unit, MAX_POINTS_SCALE};
pub use webhook::{
    webhook_transfer_id, Delivery, PaymentEvent, PaymentEventKind, PaymentRegistration,
    PaymentState, PaymentStatus, WebhookError, WebhookInbox, WebhookOutcome,
};
