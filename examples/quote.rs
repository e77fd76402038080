//! The main job: price a request on rihla's embedded default rulebook and print the
//! breakdown.
//!
//! ```text
//! cargo run --example quote                     # the shipped family Umrah request
//! cargo run --example quote -- FILE.json        # another request
//! cargo run --example quote -- --json [FILE]    # the Quote as JSON
//! ```
//!
//! A request that cannot be read or priced prints the error (its code and the field) and
//! exits with status 1.

use rihla_examples::report::run;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut json = false;
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                println!("usage: cargo run --example quote -- [--json] [REQUEST.json]");
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
