//! # rihla-pricing
//!
//! Rulebooks and the quote pipeline of rihla (docs/pricing.md): items and fares per IATA
//! passenger type, automatic offers, vouchers, taxes per line, membership rewards — one
//! implementation that Django/FastAPI hosts (through the Python module), browsers (through
//! WASM) and Rust services share, to the last minor unit.
//!
//! ```
//! use rihla_pricing::{QuoteRequest, Rulebook};
//! let rulebook = Rulebook::default_rulebook()?; // parse once …
//! let request = QuoteRequest::from_json(r#"{
//!     "currency": "SAR", "now": "2026-11-22T09:00:00Z",
//!     "items": [{"id": "HTL-1", "category": "HOTEL", "quantity": 2, "unit_price": "650.00"}]
//! }"#)?;
//! let quote = rulebook.quote(&request)?; // … quote many
//! assert_eq!(quote.base_amount.to_string(), "1300.00");
//! assert_eq!(
//!     quote.final_amount,
//!     quote.base_amount - quote.discount_amount - quote.voucher_discount
//!         + quote.fee_amount + quote.tax_amount
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate is pure (no I/O, clock or randomness: `now` is part of the request) and never
//! panics on input: every failure is an [`Error`] with a stable [`Error::code`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// No arithmetic that can overflow or panic on input-derived values: checked or saturating
// operations only (tests may use plain operators).
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

mod category;
pub mod condition;
mod discount;
mod display;
pub mod error;
pub mod fare;
pub mod fare_rule;
mod fingerprint;
pub mod instant;
pub mod item;
pub mod jet;
pub mod limits;
pub mod membership;
pub mod offer;
mod parse;
pub mod passenger;
mod pipeline;
mod promotion;
pub mod quote;
pub mod referral;
pub mod request;
pub mod rulebook;
mod scope;
mod status;
pub mod tax;
pub mod voucher;
mod window;

pub use category::Category;
pub use error::Error;
pub use membership::{
    CashbackReason, Entitlement, EntitlementCheck, EntitlementPeriod, EntitlementRequest,
    Membership, Plan, PointsBasis, Tier, UpgradeQuote, UpgradeRequest,
};
pub use offer::{BudgetPolicy, Offer, OfferClass, OfferKind};
pub use passenger::{Passenger, PassengerType};
pub use promotion::Stacking;
pub use quote::{Line, Quote};
pub use referral::{ReferralOutcome, ReferralProgramme, ReferralRequest};
pub use request::{Customer, Fare, Item, Passengers, PaxFare, QuoteRequest, Subscription};
pub use rulebook::{Rulebook, RulebookDoc, DEFAULT_RULEBOOK_JSON};
pub use scope::Scope;
pub use status::Status;
pub use tax::TaxRule;
pub use voucher::{Voucher, VoucherCheck, VoucherKind};
pub use window::{Window, WindowCheck};

impl Quote {
    /// The quote as a JSON value (amounts as decimal strings).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The quote as compact JSON text.
    pub fn to_json(&self) -> String {
        // A family quote is ~5 KB: room up front instead of a dozen reallocations.
        let mut out = Vec::with_capacity(8 * 1024);
        if serde_json::to_writer(&mut out, self).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }
}
