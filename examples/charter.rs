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

mod charter_report;

use charter_report::run;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut json = false;
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                println!("usage: cargo run --example charter -- [--json] [REQUEST.json]");
                return ExitCode::SUCCESS;
            }
            _ if file.is_none() => file = Some(arg),
            _ => {
                eprintln!("error: unexpected argument {arg:?}");
                return ExitCode::FAILURE;
            }
        }
    }
    match run(file.as_deref(), json) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
