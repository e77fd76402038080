//! Criterion benchmarks of rihla live in `benches/benches/`:
//!
//! * `quote_family` — the README's family Umrah request priced on the default rulebook
//!   (rulebook loaded once), plus loading the rulebook and parsing the request separately.
//!
//! Run: `cargo bench -p rihla-benches --bench quote_family`.
