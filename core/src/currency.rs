//! ISO 4217 currencies with their minor units, from the maintained `iso_currency` table.

use crate::CoreError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Prefix of the deserialization error for an unknown code, followed by the code, so that
/// callers can report it as [`CoreError::UnknownCurrency`].
pub const UNKNOWN_CODE_PREFIX: &str = "unknown currency code: ";

/// An ISO 4217 currency that has a defined minor unit (exponent).
///
/// The table is the `iso_currency` crate's (generated from the ISO 4217 list): SAR, EGP,
/// BDT, USD, EUR, AED have exponent 2; KWD, BHD, OMR, JOD, TND 3; JPY, KRW 0. Codes
/// without a minor unit (XAU, XDR, …) are refused: they cannot price anything.
///
/// Serialized as its three-letter code (`"SAR"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    iso: iso_currency::Currency,
    exponent: u8,
}

impl Currency {
    /// Looks up an ISO 4217 alphabetic code. Exact, upper-case match (`"SAR"`).
    ///
    /// # Errors
    /// [`CoreError::UnknownCurrency`] when the code is not in the table or has no minor unit.
    pub fn from_code(code: &str) -> Result<Self, CoreError> {
        let unknown = || CoreError::UnknownCurrency {
            code: code.chars().take(16).collect(),
        };
        let iso = iso_currency::Currency::from_code(code).ok_or_else(unknown)?;
        let exponent = iso.exponent().ok_or_else(unknown)?;
        let exponent = u8::try_from(exponent).map_err(|_| unknown())?;
        Ok(Currency { iso, exponent })
    }

    /// The ISO 4217 alphabetic code, e.g. `"KWD"`.
    pub fn code(&self) -> &'static str {
        self.iso.code()
    }

    /// The ISO 4217 exponent: the number of decimal places of the minor unit
    /// (2 for SAR, 3 for KWD, 0 for JPY).
    pub fn exponent(&self) -> u32 {
        u32::from(self.exponent)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Currency {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Currency::from_code(&code).map_err(|_| {
            let shown: String = code.chars().take(16).collect();
            serde::de::Error::custom(format!("{UNKNOWN_CODE_PREFIX}{shown}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_of_the_platform_currencies() {
        for (code, exp) in [
            ("SAR", 2),
            ("EGP", 2),
            ("BDT", 2),
            ("USD", 2),
            ("EUR", 2),
            ("AED", 2),
            ("KWD", 3),
            ("BHD", 3),
            ("OMR", 3),
            ("JOD", 3),
            ("TND", 3),
            ("JPY", 0),
            ("KRW", 0),
        ] {
            let c = Currency::from_code(code).unwrap();
            assert_eq!(c.exponent(), exp, "{code}");
            assert_eq!(c.code(), code);
        }
    }

    #[test]
    fn unknown_and_unitless_codes_are_refused() {
        for code in ["XXX1", "sar", "", "XAU", "ZZZ"] {
            let err = Currency::from_code(code).unwrap_err();
            assert_eq!(err.code(), "UNKNOWN_CURRENCY", "{code}");
        }
    }

    #[test]
    fn serde_uses_the_code() {
        let c: Currency = serde_json::from_str("\"KWD\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"KWD\"");
        assert!(serde_json::from_str::<Currency>("\"ABC\"").is_err());
    }
}
