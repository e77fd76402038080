//! Runnable examples of rihla: `cargo run --example quote`.
