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

fn main() -> std::process::ExitCode {
    rihla_examples::cli("quote", rihla_examples::report::run)
}
