//! Validity windows: `valid_from ≤ now ≤ valid_until`, both ends inclusive.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where `now` stands relative to a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowCheck {
    /// `now < valid_from` (the instant given).
    NotYetValid(DateTime<Utc>),
    /// Inside the window (both ends inclusive).
    Valid,
    /// `now > valid_until` (the instant given).
    Expired(DateTime<Utc>),
}

/// A validity window of UTC instants (RFC 3339 in JSON, e.g. `"2026-12-31T23:59:59Z"`).
/// An absent end is open. The convention of every rule in rihla:
/// `valid_from ≤ now ≤ valid_until`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First instant of validity (inclusive); absent = always valid before.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub valid_from: Option<DateTime<Utc>>,
    /// Last instant of validity (inclusive); absent = never expires.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub valid_until: Option<DateTime<Utc>>,
}

impl Window {
    /// Where `now` stands.
    pub fn check(&self, now: DateTime<Utc>) -> WindowCheck {
        match (self.valid_from, self.valid_until) {
            (Some(from), _) if now < from => WindowCheck::NotYetValid(from),
            (_, Some(until)) if now > until => WindowCheck::Expired(until),
            _ => WindowCheck::Valid,
        }
    }

    /// The rejection reason of a rule whose window does not hold `now`, if any.
    pub fn rejection(&self, now: DateTime<Utc>) -> Option<crate::quote::RejectionReason> {
        match self.check(now) {
            WindowCheck::NotYetValid(valid_from) => {
                Some(crate::quote::RejectionReason::NotYetValid { valid_from })
            }
            WindowCheck::Expired(valid_until) => {
                Some(crate::quote::RejectionReason::Expired { valid_until })
            }
            WindowCheck::Valid => None,
        }
    }

    /// Whether the window is well-formed (`valid_from ≤ valid_until` when both are given).
    pub fn is_ordered(&self) -> bool {
        match (self.valid_from, self.valid_until) {
            (Some(f), Some(u)) => f <= u,
            _ => true,
        }
    }
}
