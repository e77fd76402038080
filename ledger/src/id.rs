//! Ids of accounts and transfers: 128-bit, as TigerBeetle's.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An account or transfer id: a 128-bit unsigned integer. 0 and 2¹²⁸ − 1 are reserved
/// (refused as ids; 0 means "none" in `pending_id`).
///
/// JSON: a string, either decimal digits (`"42"`, what an integer primary key gives) or a
/// UUID (`"0190c6a2-…"`, what a `UUIDField` gives; its 128 bits are the id). Ids are always
/// written back as decimal digits; `uuid::Uuid::from_u128(id.0)` gives the UUID again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Id(pub u128);

impl Id {
    /// "No id" (a transfer without `pending_id`).
    pub const NONE: Id = Id(0);

    /// Whether it is 0 or 2¹²⁸ − 1, the reserved values.
    pub fn is_reserved(self) -> bool {
        self.0 == 0 || self.0 == u128::MAX
    }

    /// Parses decimal digits or a UUID.
    ///
    /// # Errors
    /// A message when the text is neither.
    pub fn parse(text: &str) -> Result<Id, String> {
        let t = text.trim();
        if !t.is_empty() && t.len() <= 39 && t.bytes().all(|b| b.is_ascii_digit()) {
            return t
                .parse::<u128>()
                .map(Id)
                .map_err(|_| format!("id {t:?} is beyond 2^128 - 1"));
        }
        uuid::Uuid::try_parse(t)
            .map(|u| Id(u.as_u128()))
            .map_err(|_| format!("id {:?} is neither decimal digits nor a UUID", shown(t)))
    }
}

fn shown(t: &str) -> String {
    t.chars().take(48).collect()
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<u128> for Id {
    fn from(v: u128) -> Self {
        Id(v)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Id::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_uuids() {
        assert_eq!(Id::parse("42"), Ok(Id(42)));
        let u = "0190c6a2-7c1e-7d3a-9b1e-4f2a6c8d0e11";
        assert_eq!(
            Id::parse(u).map(|i| uuid::Uuid::from_u128(i.0).to_string()),
            Ok(u.into())
        );
        assert!(Id::parse("-1").is_err());
        assert!(Id::parse("340282366920938463463374607431768211456").is_err());
        assert!(Id(0).is_reserved() && Id(u128::MAX).is_reserved() && !Id(1).is_reserved());
    }
}
