//! # rihla-fuzz-harness
//!
//! The logic of rihla's fuzz targets, one `pub fn <target>(data: &[u8])` per entry point
//! that takes outside data, so that it builds and is tested on the stable toolchain: the
//! cargo-fuzz crate in `fuzz/` (libFuzzer) calls these functions from one-line targets, and
//! `tests/replay.rs` runs each on every file of `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/` in `cargo test`.
//!
//! A target never fails on a refusal: every input is either priced (applied, loaded …)
//! and then checked against [`invariants`], or refused with a typed error whose code is
//! checked. It panics — a finding — when the engine panics, or when an answer breaks an
//! invariant.
//!
//! Targets ([`TARGETS`]):
//!
//! | target | input | entry points |
//! |---|---|---|
//! | `rulebook_load` | rulebook JSON text | `Rulebook::from_json`, then a probe quote and voucher checks |
//! | `quote_json` | request JSON text | `QuoteRequest::from_json`, `Rulebook::quote` on the default rulebook |
//! | `quote_envelope` | `{"rulebook", "request"}` | the same on a host's rulebook |
//! | `quote_structured` | bytes → [`quote_input::QuoteInput`] | quote and voucher checks on the default rulebook |
//! | `quote_rulebook_structured` | bytes → [`rulebook_input::RulebookInput`] + request | rulebook load, quote, voucher checks |
//! | `check_voucher` | `{"rulebook"?, "request", "code"}` | `Rulebook::check_voucher` |
//! | `charter_availability` | `{"rulebook"?, "itinerary"}` | `Itinerary::from_json`, `Rulebook::charter_availability` |
//! | `membership` | `{"op", "rulebook"?, "request"}` | entitlement, upgrade, referral, tier for points |
//! | `ledger_json` | `{"accounts", "batches"}` | `Ledger::create_accounts`, `apply` (and the planner), statements |
//! | `ledger_structured` | bytes → [`ledger_input::LedgerInput`] | the same, with reversals and closures |
//! | `planner_json` | `PlanInput` JSON | `rihla_ledger::plan` |
//! | `audit_jsonl` | accounts line + JSON Lines | `audit::verify_jsonl` |
//! | `snapshot_json` | `{"ledger": Snapshot}` / `{"inbox": InboxSnapshot}` | `Ledger::restore`, `WebhookInbox::restore` |
//! | `points_json` | points scenario | `PointsBook` (stored), earn, redeem, expire, clawback |
//! | `refunds_json` | refunds scenario | `Refunds::from_receipts`, `refund_order` |
//! | `webhook_json` | webhook scenario | `WebhookInbox::register_payment`, `receive`, `retry_deferred` |
//! | `cashback_json` | cashback scenario | `CashbackRecord` (stored), book, complete, approve, credit, cancel, clawback |
//! | `allocate` | `{"amount", "currency", "weights"}` | `rihla_core::allocate` (the bindings' `allocate`) |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod core_targets;
pub mod document_targets;
pub mod envelope;
pub mod invariants;
pub mod ledger_input;
pub mod ledger_targets;
pub mod pricing_targets;
pub mod quote_input;
pub mod rulebook_input;
pub mod session;
pub mod values;

pub use core_targets::allocate;
pub use document_targets::{cashback_json, points_json, refunds_json, webhook_json};
pub use ledger_targets::{
    audit_jsonl, ledger_json, ledger_structured, planner_json, snapshot_json,
};
pub use pricing_targets::{
    charter_availability, check_voucher, membership, quote_envelope, quote_json,
    quote_rulebook_structured, quote_structured, rulebook_load,
};

/// A fuzz target: its name (`fuzz/fuzz_targets/<name>.rs`, `fuzz/corpus/<name>/`) and its
/// function.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, in the order `scripts/fuzz` runs them.
pub const TARGETS: &[Target] = &[
    ("rulebook_load", rulebook_load),
    ("quote_json", quote_json),
    ("quote_envelope", quote_envelope),
    ("quote_structured", quote_structured),
    ("quote_rulebook_structured", quote_rulebook_structured),
    ("check_voucher", check_voucher),
    ("charter_availability", charter_availability),
    ("membership", membership),
    ("ledger_json", ledger_json),
    ("ledger_structured", ledger_structured),
    ("planner_json", planner_json),
    ("audit_jsonl", audit_jsonl),
    ("snapshot_json", snapshot_json),
    ("points_json", points_json),
    ("refunds_json", refunds_json),
    ("webhook_json", webhook_json),
    ("cashback_json", cashback_json),
    ("allocate", allocate),
];
