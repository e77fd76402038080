//! STUB — being written. API contract only.
#![forbid(unsafe_code)]
use serde::{Deserialize, Serialize};

/// Error
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// core
    #[error(transparent)]
    Core(#[from] rihla_core::CoreError),
    /// json
    #[error("invalid json: {0}")]
    InvalidJson(String),
}
impl Error {
    /// code
    pub fn code(&self) -> &'static str { match self { Error::Core(e) => e.code(), Error::InvalidJson(_) => "INVALID_JSON" } }
    /// details
    pub fn to_value(&self) -> serde_json::Value { serde_json::json!({"code": self.code(), "message": self.to_string()}) }
}
/// Rulebook
#[derive(Debug, Clone, Deserialize)]
pub struct Rulebook { version: String }
impl Rulebook {
    /// from_json
    pub fn from_json(s: &str) -> Result<Self, Error> { serde_json::from_str(s).map_err(|e| Error::InvalidJson(e.to_string())) }
    /// from_value
    pub fn from_value(v: serde_json::Value) -> Result<Self, Error> { serde_json::from_value(v).map_err(|e| Error::InvalidJson(e.to_string())) }
    /// default
    pub fn default_rulebook() -> Result<Self, Error> { Ok(Rulebook { version: "stub".into() }) }
    /// version
    pub fn version(&self) -> &str { &self.version }
    /// quote
    pub fn quote(&self, _r: &QuoteRequest) -> Result<Quote, Error> { Ok(Quote { final_amount: rust_decimal::Decimal::new(100, 2) }) }
}
/// QuoteRequest
#[derive(Debug, Clone, Deserialize)]
pub struct QuoteRequest {}
impl QuoteRequest {
    /// from_json
    pub fn from_json(s: &str) -> Result<Self, Error> { serde_json::from_str(s).map_err(|e| Error::InvalidJson(e.to_string())) }
    /// from_value
    pub fn from_value(v: serde_json::Value) -> Result<Self, Error> { serde_json::from_value(v).map_err(|e| Error::InvalidJson(e.to_string())) }
}
/// Quote
#[derive(Debug, Clone, Serialize)]
pub struct Quote { #[serde(with = "rihla_core::decimal_string")] pub final_amount: rust_decimal::Decimal }
impl Quote {
    /// to_value
    pub fn to_value(&self) -> serde_json::Value { serde_json::to_value(self).unwrap_or_default() }
    /// to_json
    pub fn to_json(&self) -> String { serde_json::to_string(self).unwrap_or_default() }
}
