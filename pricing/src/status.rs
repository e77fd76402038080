//! Rule status.

use serde::{Deserialize, Serialize};

/// Whether a rule (offer, voucher) may apply at all. Only `ACTIVE` rules are evaluated;
/// an `INACTIVE` one is reported as rejected with reason `INACTIVE`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// In force (subject to its validity window).
    #[default]
    Active,
    /// Switched off by the platform.
    Inactive,
}
