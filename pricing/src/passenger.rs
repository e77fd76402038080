//! IATA passenger type codes.

use serde::{Deserialize, Serialize};

/// IATA passenger type code (Resolution 792 / ATPCO PTC): adult, child, lap infant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PassengerType {
    /// Adult (12 years and over).
    #[serde(rename = "ADT")]
    Adult,
    /// Child (2–11 years), occupies a seat.
    #[serde(rename = "CHD")]
    Child,
    /// Infant under 2 on an adult's lap, no seat.
    #[serde(rename = "INF")]
    Infant,
}

impl PassengerType {
    /// The IATA code, `"ADT"`, `"CHD"` or `"INF"`.
    pub fn code(self) -> &'static str {
        match self {
            PassengerType::Adult => "ADT",
            PassengerType::Child => "CHD",
            PassengerType::Infant => "INF",
        }
    }
}
