//! Criterion benchmarks of rihla live in `benches/benches/`:
//!
//! * `quote_family` — the README's family Umrah request priced on the default rulebook
//!   (rulebook loaded once), plus loading the rulebook and parsing the request separately.
//! * `quote_itinerary`, `quote_promotions` — a 4-segment US itinerary; 20 offers and a
//!   voucher (and `check_voucher`).
//! * `jet_quote` — `jet_quote_5_legs` (a 5-leg charter) and `charter_availability`.
//! * `ledger` — `ledger_apply` (1M transfers over 10k accounts in batches of 8,190),
//!   `ledger_audit` and `ledger_audit_jsonl` (replay and verify 1M journal entries).
//!
//! Run: `cargo bench -p rihla-benches --bench <name>`.
