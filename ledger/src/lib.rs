//! # rihla-ledger
//!
//! The double-entry journal, wallet, points and cashback ledgers of DESIGN.md §6.
//! This crate is a placeholder in the walking skeleton: its contents arrive with issue 6.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use rihla_core::Currency;
