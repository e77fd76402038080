//! # rihla-core
//!
//! The money layer shared by every rihla crate: ISO 4217 [`Currency`] with its minor
//! units, [`Money`] (a `rust_decimal::Decimal` amount tagged with a currency, never a
//! float), [`RoundingMode`] and rounding to minor units, largest-remainder
//! [`allocation`], explicit currency conversion through a host-supplied rate table
//! ([`fx`]), settlement re-rounding at a payment provider's exponent ([`settlement`]), the
//! strict decimal wire format ([`decimal_string`]), the strict RFC 3339 wire format of instants
//! and dates, years 0000–9999 ([`time`]), exact products and ratios rounded once
//! ([`exact`]) and the typed [`CoreError`].
//!
//! Every amount rihla prices is at most [`MAX_AMOUNT`] (10^15 major units) in magnitude:
//! checked where amounts enter and after every multiplication, so that sums and
//! intermediates always fit `Decimal` exactly at the currency's minor unit, with room to
//! spare.
//!
//! The crate is pure: no I/O, no clock, no randomness, no global state, and it never
//! panics on input — every failure is a [`CoreError`] carrying the values that decided it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// No arithmetic that can overflow or panic on input-derived values: checked or saturating
// operations only; big-integer arithmetic is allowed where it is marked.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod allocation;
pub mod currency;
pub mod decimal_string;
pub mod error;
pub mod exact;
pub mod fx;
pub mod money;
pub mod rounding;
pub mod settlement;
pub mod time;

pub use allocation::{allocate, allocate_minor};
pub use currency::Currency;
pub use error::CoreError;
pub use fx::{convert, Converted, Rate, RateTable};
pub use money::{Money, MAX_AMOUNT};
pub use rounding::RoundingMode;
pub use settlement::{settle, Settlement};

/// Re-export of the decimal type every amount in rihla uses.
pub use rust_decimal::Decimal;
