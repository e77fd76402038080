//! The invariants every target asserts (a violation panics, which libFuzzer reports as a
//! crash and the corpus replay as a failure):
//!
//! - a successful [`rihla_pricing::Quote`] ([`check_quote`]): every amount at the
//!   currency's scale and never `-0`; `final = base − discount − voucher + fee + tax`, the
//!   item lines summing to each total and each line's `net`/`total` from its parts — all in
//!   exact integer minor units, so a sum that `rust_decimal` rounded silently shows; each
//!   adjustment's allocations summing to its amount and, per item line, to that line's
//!   discount, voucher discount, tax and surcharge; a charter's split summing to its total;
//!   the quote's JSON readable back;
//! - a voucher check ([`check_voucher_check`]) and the other pricing answers serialise;
//! - an error ([`check_code`], [`check_pricing_error`]) carries a stable, non-empty code
//!   (`A-Z`, `0-9`, `_`) and, where it has a JSON form, the same code in it;
//! - every JSON answer ([`check_json_instants`]) writes dates and instants with four-digit
//!   years, as RFC 3339 wants;
//! - a ledger ([`check_ledger`]): per unit, debits equal credits (posted and pending), and
//!   the journal it wrote audits clean against the accounts it created.

mod error;
mod json;
mod ledger;
mod money;
mod quote;

pub use error::{check_code, check_pricing_error, check_value_code};
pub use json::check_json_instants;
pub use ledger::check_ledger;
pub use money::{minor_units, Scale};
pub use quote::{check_quote, check_voucher_check};
