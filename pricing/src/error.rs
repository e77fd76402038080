//! The typed errors of rulebook loading and quoting. Each has a stable [`Error::code`].

use rihla_core::{CoreError, Decimal};
use serde_json::{json, Value};

/// An error of rihla's pricing, with the values that decided it.
///
/// Bad input never panics and never changes anything: a rulebook that fails to load is
/// not created, a request that fails is not priced. [`Error::code`] is stable across
/// releases and languages (Python `RihlaError.code`, JavaScript `error.code`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A money-layer error (currency mismatch, overflow, unknown currency …).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A charter error (unknown airport, coordinates, speeds …).
    #[error(transparent)]
    Jet(#[from] crate::jet::JetError),
    /// The text is not JSON.
    #[error("malformed JSON at line {line} column {column}: {reason}")]
    InvalidJson {
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
        /// What the parser expected.
        reason: String,
    },
    /// A request that is well-formed JSON but not a valid quote request.
    #[error("invalid request at {field}: {reason}")]
    InvalidRequest {
        /// Path of the offending field, e.g. `items[2].quantity`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A rulebook that is well-formed JSON but not a valid rulebook.
    #[error("invalid rulebook at {field}: {reason}")]
    InvalidRulebook {
        /// Path of the offending field, e.g. `offers[0].valid_until`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An amount that cannot be used: a JSON number instead of a decimal string, text
    /// that is no decimal, a value past the decimal range, a negative price, or digits
    /// below the currency's minor unit.
    #[error("invalid amount at {field}: {reason}")]
    InvalidAmount {
        /// Path of the offending field.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A percentage or multiplier outside its allowed range (e.g. a rate over 100 %).
    #[error("{field} is {value}, outside {min}..={max}")]
    RateOutOfRange {
        /// Path of the offending field.
        field: String,
        /// The value given.
        value: Decimal,
        /// Smallest allowed value.
        min: Decimal,
        /// Largest allowed value.
        max: Decimal,
    },
    /// A size limit of [`crate::limits`] was passed.
    #[error("{field} has {actual}, more than the limit of {limit}")]
    LimitExceeded {
        /// What was counted.
        field: String,
        /// The limit.
        limit: usize,
        /// What was given.
        actual: usize,
    },
    /// Two entries share an id or a code that must be unique.
    #[error("{field}: duplicate id {id:?}")]
    DuplicateId {
        /// Path of the second entry.
        field: String,
        /// The repeated id.
        id: String,
    },
    /// A fare whose rules the itinerary or the purchase date does not meet: the fare is
    /// not priced. `failure` names the rule and the values that decided it.
    #[error("fare of item {item_id} fails its {} rule", failure.code())]
    FareRuleFailed {
        /// The item whose fare failed.
        item_id: String,
        /// The first rule that failed, with its values.
        failure: crate::fare_rule::FareRuleFailure,
    },
    /// A passenger mix that cannot fly (e.g. more lap infants than adults).
    #[error("invalid passengers at {field}: {reason}")]
    InvalidPassengers {
        /// Path of the offending field.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An upgrade request whose target tier is not above the current one (a downgrade or
    /// the same tier), or whose target plan costs less: it has no upgrade price.
    #[error("{from} to {to} is not an upgrade: {reason}")]
    NotAnUpgrade {
        /// The current tier.
        from: crate::membership::Tier,
        /// The tier asked for.
        to: crate::membership::Tier,
        /// Why.
        reason: String,
    },
}

impl Error {
    /// The stable, machine-readable code: `INVALID_JSON`, `INVALID_REQUEST`,
    /// `INVALID_RULEBOOK`, `INVALID_AMOUNT`, `RATE_OUT_OF_RANGE`, `LIMIT_EXCEEDED`,
    /// `DUPLICATE_ID`, `INVALID_PASSENGERS`, `FARE_RULE_FAILED`, `NOT_AN_UPGRADE`, or a
    /// [`CoreError::code`].
    pub fn code(&self) -> &'static str {
        match self {
            Error::Core(e) => e.code(),
            Error::Jet(e) => e.code(),
            Error::InvalidJson { .. } => "INVALID_JSON",
            Error::InvalidRequest { .. } => "INVALID_REQUEST",
            Error::InvalidRulebook { .. } => "INVALID_RULEBOOK",
            Error::InvalidAmount { .. } => "INVALID_AMOUNT",
            Error::RateOutOfRange { .. } => "RATE_OUT_OF_RANGE",
            Error::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            Error::DuplicateId { .. } => "DUPLICATE_ID",
            Error::InvalidPassengers { .. } => "INVALID_PASSENGERS",
            Error::FareRuleFailed { .. } => "FARE_RULE_FAILED",
            Error::NotAnUpgrade { .. } => "NOT_AN_UPGRADE",
        }
    }

    /// The error as a JSON object: `{"code", "message", …the deciding values}`, the
    /// shape the bindings attach to their exceptions and that conformance vectors match.
    pub fn to_value(&self) -> Value {
        let mut v = match self {
            Error::Jet(e) => return e.to_value(),
            Error::Core(e) => core_fields(e),
            Error::InvalidJson {
                line,
                column,
                reason,
            } => json!({"line": line, "column": column, "reason": reason}),
            Error::InvalidRequest { field, reason }
            | Error::InvalidRulebook { field, reason }
            | Error::InvalidAmount { field, reason }
            | Error::InvalidPassengers { field, reason } => {
                json!({"field": field, "reason": reason})
            }
            Error::RateOutOfRange {
                field,
                value,
                min,
                max,
            } => json!({"field": field, "value": value.to_string(),
                        "min": min.to_string(), "max": max.to_string()}),
            Error::LimitExceeded {
                field,
                limit,
                actual,
            } => json!({"field": field, "limit": limit, "actual": actual}),
            Error::DuplicateId { field, id } => json!({"field": field, "id": id}),
            Error::NotAnUpgrade { from, to, reason } => {
                json!({"from": from.code(), "to": to.code(), "reason": reason})
            }
            Error::FareRuleFailed { item_id, failure } => {
                let mut v = serde_json::to_value(failure).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut v {
                    map.insert("item_id".into(), Value::from(item_id.as_str()));
                }
                v
            }
        };
        if let Value::Object(map) = &mut v {
            map.insert("code".into(), Value::from(self.code()));
            map.insert("message".into(), Value::from(self.to_string()));
        }
        v
    }

    /// Classifies a serde error met while reading `what` ("request" or "rulebook") at
    /// `path`: a strict-decimal failure is [`Error::InvalidAmount`], the rest is
    /// [`Error::InvalidRequest`] / [`Error::InvalidRulebook`].
    pub(crate) fn from_serde(what: Doc, path: String, message: String) -> Error {
        let field = if path.is_empty() || path == "." {
            "$".to_owned()
        } else {
            path
        };
        let reason = strip_position(&message);
        if reason.starts_with(rihla_core::decimal_string::ERROR_PREFIX) {
            return Error::InvalidAmount { field, reason };
        }
        if let Some(code) = reason.strip_prefix(rihla_core::currency::UNKNOWN_CODE_PREFIX) {
            return Error::Core(CoreError::UnknownCurrency {
                code: code.to_owned(),
            });
        }
        match what {
            Doc::Request => Error::InvalidRequest { field, reason },
            Doc::Rulebook => Error::InvalidRulebook { field, reason },
        }
    }
}

/// Which document a serde error came from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Doc {
    Request,
    Rulebook,
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_owned(),
        _ => message.to_owned(),
    }
}

fn core_fields(e: &CoreError) -> Value {
    match e {
        CoreError::CurrencyMismatch { left, right } => json!({"left": left, "right": right}),
        CoreError::UnknownCurrency { code } => json!({"currency": code}),
        CoreError::Overflow { operation } => json!({"operation": operation}),
        CoreError::AmountTooLarge { field, amount, max } => {
            json!({"field": field, "amount": amount.to_string(), "max": max.to_string()})
        }
        CoreError::InvalidAmount { value, reason } => json!({"value": value, "reason": reason}),
        CoreError::NotMinorUnits {
            amount,
            currency,
            exponent,
        } => json!({"amount": amount.to_string(), "currency": currency, "exponent": exponent}),
        CoreError::InvalidWeights { reason } => json!({"reason": reason}),
        CoreError::RateNotFound { from, to } => json!({"from": from, "to": to}),
        CoreError::InvalidRate { from, to, reason } => {
            json!({"from": from, "to": to, "reason": reason})
        }
        CoreError::InvalidSettlementExponent {
            currency,
            exponent,
            iso_exponent,
        } => json!({"currency": currency, "exponent": exponent, "iso_exponent": iso_exponent}),
    }
}
