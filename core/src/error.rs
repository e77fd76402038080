//! Typed errors of the money layer. Each variant has a stable [`CoreError::code`].

use rust_decimal::Decimal;

/// An error of the money layer, with the values that decided it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// Two amounts of different currencies were added, subtracted or compared.
    /// rihla never converts silently; conversion needs an explicit rate table.
    #[error("currency mismatch: {left} and {right} cannot be combined")]
    CurrencyMismatch {
        /// ISO 4217 code of the left operand.
        left: String,
        /// ISO 4217 code of the right operand.
        right: String,
    },
    /// A code that is not an active ISO 4217 currency with a defined minor unit.
    #[error("unknown currency {code:?}: not an ISO 4217 code with minor units")]
    UnknownCurrency {
        /// The code as given.
        code: String,
    },
    /// Checked arithmetic went past the range of `Decimal` (±79 228 162 514 264 337 593 543 950 335).
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// The operation that overflowed, e.g. `"multiply"`.
        operation: &'static str,
    },
    /// An amount (given, or computed from given ones) whose magnitude is past
    /// [`crate::MAX_AMOUNT`]: refused rather than risk a silent rounding.
    #[error("{field}: {amount} is beyond the largest amount rihla prices (±{max})")]
    AmountTooLarge {
        /// Path of the field, given or computed (e.g. `items[2].quantity`, `base_amount`).
        field: String,
        /// The amount (for a computed one, as far as it could be formed).
        amount: Decimal,
        /// [`crate::MAX_AMOUNT`].
        max: Decimal,
    },
    /// An amount that is not acceptable where it was given.
    #[error("invalid amount {value}: {reason}")]
    InvalidAmount {
        /// The amount as text.
        value: String,
        /// Why it is not acceptable.
        reason: String,
    },
    /// An amount that has more decimal places than its currency's minor unit allows,
    /// where an amount in minor units is required.
    #[error(
        "amount {amount} {currency} is not a whole number of minor units (exponent {exponent})"
    )]
    NotMinorUnits {
        /// The amount.
        amount: Decimal,
        /// ISO 4217 code.
        currency: String,
        /// The currency's ISO 4217 exponent.
        exponent: u32,
    },
    /// Allocation weights that cannot split an amount (negative, or all zero with a
    /// non-zero amount, or none at all).
    #[error("invalid allocation weights: {reason}")]
    InvalidWeights {
        /// Why the weights are unusable.
        reason: String,
    },
    /// The host's rate table has no rate for the pair. Lookup is by the direct pair only:
    /// rihla never inverts a rate (`USD→SAR` is not `1 / SAR→USD`) nor chains two rates
    /// through a third currency.
    #[error("no exchange rate from {from} to {to} in the rate table")]
    RateNotFound {
        /// ISO 4217 code of the currency converted from.
        from: String,
        /// ISO 4217 code of the currency converted to.
        to: String,
    },
    /// A rate (or a rate table) that cannot be used: a rate that is not positive, a pair
    /// given twice, a pair from a currency to itself, a source id that is empty or longer
    /// than 128 characters, or more rates than [`crate::fx::MAX_RATES`].
    #[error("invalid exchange rate {from} to {to}: {reason}")]
    InvalidRate {
        /// ISO 4217 code of the currency converted from.
        from: String,
        /// ISO 4217 code of the currency converted to.
        to: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A payment provider's settlement exponent above the currency's ISO 4217 exponent
    /// (settlement may drop decimals, never add them).
    #[error(
        "settlement exponent {exponent} for {currency} is above its ISO 4217 exponent {iso_exponent}"
    )]
    InvalidSettlementExponent {
        /// ISO 4217 code.
        currency: String,
        /// The settlement exponent given.
        exponent: u32,
        /// The currency's ISO 4217 exponent (the largest settlement exponent allowed).
        iso_exponent: u32,
    },
}

impl CoreError {
    /// The stable, machine-readable code of the error (`"CURRENCY_MISMATCH"`, …), the same
    /// in Rust, Python (`RihlaError.code`) and JavaScript (`error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::CurrencyMismatch { .. } => "CURRENCY_MISMATCH",
            CoreError::UnknownCurrency { .. } => "UNKNOWN_CURRENCY",
            CoreError::Overflow { .. } | CoreError::AmountTooLarge { .. } => "OVERFLOW",
            CoreError::InvalidAmount { .. } => "INVALID_AMOUNT",
            CoreError::NotMinorUnits { .. } => "NOT_MINOR_UNITS",
            CoreError::InvalidWeights { .. } => "INVALID_WEIGHTS",
            CoreError::RateNotFound { .. } => "RATE_NOT_FOUND",
            CoreError::InvalidRate { .. } => "INVALID_RATE",
            CoreError::InvalidSettlementExponent { .. } => "INVALID_SETTLEMENT_EXPONENT",
        }
    }
}
