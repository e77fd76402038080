//! IATA passenger type codes, and the type of a passenger from their date of birth.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// IATA passenger type code (Resolution 792 / ATPCO PTC).
///
/// ADT, CHD and INF follow from age; YTH, STU and SRC are declared by the passenger (a
/// youth, student or senior fare needs a document the host checks) and priced from the
/// fare's own `yth` / `stu` / `src` amounts.
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
    /// Youth (typically 12–24).
    #[serde(rename = "YTH")]
    Youth,
    /// Student.
    #[serde(rename = "STU")]
    Student,
    /// Senior citizen.
    #[serde(rename = "SRC")]
    Senior,
}

impl PassengerType {
    /// Every type, in the order fare lines are priced.
    pub const ALL: [PassengerType; 6] = [
        PassengerType::Adult,
        PassengerType::Child,
        PassengerType::Infant,
        PassengerType::Youth,
        PassengerType::Student,
        PassengerType::Senior,
    ];

    /// The IATA code, e.g. `"ADT"`.
    pub fn code(self) -> &'static str {
        match self {
            PassengerType::Adult => "ADT",
            PassengerType::Child => "CHD",
            PassengerType::Infant => "INF",
            PassengerType::Youth => "YTH",
            PassengerType::Student => "STU",
            PassengerType::Senior => "SRC",
        }
    }

    /// Whether the passenger occupies a seat (every type but the lap infant).
    pub fn is_seated(self) -> bool {
        self != PassengerType::Infant
    }

    /// Whether the passenger may hold a lap infant (ADT, STU, SRC: adults by definition;
    /// a YTH may be 12 and is not counted).
    pub fn can_hold_infant(self) -> bool {
        matches!(
            self,
            PassengerType::Adult | PassengerType::Student | PassengerType::Senior
        )
    }
}

/// A traveller of a flight item: an id and either a declared type or a date of birth.
///
/// ```json
/// {"id": "P3", "birth_date": "2019-04-01"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passenger {
    /// The host's passenger id (shown on the per-passenger breakdown).
    pub id: String,
    /// A declared type (wins over the date of birth).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ptc: Option<PassengerType>,
    /// Date of birth (`YYYY-MM-DD`, years 0000–9999), from which ADT / CHD / INF follow.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::date::option"
    )]
    pub birth_date: Option<NaiveDate>,
}

/// Completed years of age on `on` (a 29 February birthday falls on 1 March in other
/// years); `None` when `on` is before the birth.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut years = on.year().saturating_sub(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years = years.saturating_sub(1);
    }
    u32::try_from(years).ok()
}

/// The type that follows from a date of birth: the age on the first day of travel gives
/// INF (under 2), CHD (2–11) or ADT (12 and over), except that an infant who turns 2 by
/// the last flight's date travels as a child (it needs a seat on that flight, as airlines
/// price it). `None` when the passenger is born after the first day of travel.
pub fn type_from_birth(
    birth: NaiveDate,
    first_travel: NaiveDate,
    last_travel: NaiveDate,
) -> Option<PassengerType> {
    let first = age_on(birth, first_travel)?;
    let last = age_on(birth, last_travel).unwrap_or(first);
    Some(match first {
        0 | 1 if last >= 2 => PassengerType::Child,
        0 | 1 => PassengerType::Infant,
        2..=11 => PassengerType::Child,
        _ => PassengerType::Adult,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ages_and_types() {
        assert_eq!(age_on(d("2014-12-20"), d("2026-12-19")), Some(11));
        assert_eq!(age_on(d("2014-12-20"), d("2026-12-20")), Some(12));
        assert_eq!(age_on(d("2024-02-29"), d("2026-02-28")), Some(1));
        assert_eq!(age_on(d("2024-02-29"), d("2026-03-01")), Some(2));
        assert_eq!(age_on(d("2027-01-01"), d("2026-12-20")), None);
        let t = |b, f, l| type_from_birth(d(b), d(f), d(l));
        assert_eq!(
            t("2000-01-01", "2026-12-20", "2026-12-27"),
            Some(PassengerType::Adult)
        );
        assert_eq!(
            t("2014-12-21", "2026-12-20", "2026-12-27"),
            Some(PassengerType::Child)
        );
        assert_eq!(
            t("2025-06-01", "2026-12-20", "2026-12-27"),
            Some(PassengerType::Infant)
        );
        // Turns 2 on 24 December, between the outbound and the return flight.
        assert_eq!(
            t("2024-12-24", "2026-12-20", "2026-12-27"),
            Some(PassengerType::Child)
        );
        assert_eq!(t("2027-01-01", "2026-12-20", "2026-12-27"), None);
    }
}
