//! Runnable examples of rihla. The main job: `cargo run --example quote`.
//!
//! `examples/data/` holds the shipped requests: [`UMRAH_FAMILY_JSON`] is the family
//! Umrah package the main job prices on the embedded default rulebook.

/// A Dhaka → Jeddah Umrah package for a family (2 ADT, 1 CHD, 1 INF): flights, a hotel in
/// Makkah, ground transport, a GOLD member and the voucher code `umrah150`.
pub const UMRAH_FAMILY_JSON: &str = include_str!("data/umrah_family.json");
