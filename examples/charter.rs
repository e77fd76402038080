//! Private-jet charter: price a charter itinerary on rihla's embedded default rulebook and
//! print the broker's breakdown (flown legs, daily minimums, surcharges, fees, taxes, the
//! final amount and the commission / platform fee / owner earnings split).
//!
//! ```text
//! cargo run --example charter                     # the shipped Umrah family charter
//! cargo run --example charter -- FILE.json        # another request
//! cargo run --example charter -- --json [FILE]    # the Quote as JSON
//! ```
//!
//! A request that cannot be read or priced prints the error (its code and the field) and
//! exits with status 1.

fn main() -> std::process::ExitCode {
    rihla_examples::cli("charter", rihla_examples::charter_report::run)
}
