//! Availability: the conflicts of a charter's flown legs with the aircraft's
//! availability windows and existing bookings.

use super::schedule::{FlownLeg, LegKind};
use super::JetError;
use crate::rulebook::check_len;
use crate::{limits, Error};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The aircraft's calendar as the host holds it.
///
/// ```json
/// {"windows": [{"start": "2026-12-01T00:00:00Z", "end": "2026-12-31T23:59:59Z"}],
///  "bookings": [{"id": "BK-77", "start": "2026-12-05T06:00:00Z", "end": "2026-12-05T14:00:00Z"}]}
/// ```
///
/// Each flown leg occupies `departure .. arrival + turnaround`; each booking
/// `start .. end + turnaround`. A leg conflicts with a booking when the two overlap, and
/// with the windows (when any are given) when no single window holds the whole leg.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// When the aircraft may fly (empty = always). At most
    /// [`crate::limits::MAX_CALENDAR_ENTRIES`].
    #[serde(default)]
    pub windows: Vec<Interval>,
    /// The aircraft's existing bookings. At most [`crate::limits::MAX_CALENDAR_ENTRIES`].
    #[serde(default)]
    pub bookings: Vec<Booking>,
}

/// A span of time, `start < end`, RFC 3339 instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// First instant.
    #[serde(with = "rihla_core::time::utc")]
    pub start: DateTime<Utc>,
    /// Last instant (exclusive).
    #[serde(with = "rihla_core::time::utc")]
    pub end: DateTime<Utc>,
}

/// An existing booking of the aircraft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    /// The host's booking id.
    pub id: String,
    /// When the aircraft is taken (first leg's departure).
    #[serde(with = "rihla_core::time::utc")]
    pub start: DateTime<Utc>,
    /// When it is free again, before the turnaround (last leg's arrival).
    #[serde(with = "rihla_core::time::utc")]
    pub end: DateTime<Utc>,
}

/// Why a flown leg cannot be flown as requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConflictReason {
    /// No availability window holds the whole leg.
    OutsideAvailability,
    /// The leg overlaps an existing booking.
    Booked {
        /// The booking's id.
        booking_id: String,
        /// The booking's start.
        #[serde(serialize_with = "rihla_core::time::utc::serialize")]
        booking_start: DateTime<Utc>,
        /// The booking's end.
        #[serde(serialize_with = "rihla_core::time::utc::serialize")]
        booking_end: DateTime<Utc>,
    },
}

/// One conflict of one flown leg.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Index of the flown leg in the charter's `legs` breakdown.
    pub flown_leg: usize,
    /// The customer leg it is; for a repositioning leg, the customer leg it follows
    /// (absent for the positioning leg before the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leg: Option<usize>,
    /// OCCUPIED, EMPTY or REPOSITIONING.
    pub kind: LegKind,
    /// The leg's occupied span (departure .. arrival + turnaround).
    #[serde(serialize_with = "rihla_core::time::utc::serialize")]
    pub start: DateTime<Utc>,
    /// End of the span.
    #[serde(serialize_with = "rihla_core::time::utc::serialize")]
    pub end: DateTime<Utc>,
    /// Why.
    #[serde(flatten)]
    pub reason: ConflictReason,
}

/// Validates the calendar: sizes, ids, every interval `start < end`.
///
/// # Errors
/// `LIMIT_EXCEEDED`, `INVALID_REQUEST` (an empty or long booking id), `INVALID_INTERVAL`.
pub(crate) fn validate(c: &Calendar, f: &str) -> Result<(), Error> {
    check_len(
        &super::at(f, "windows"),
        c.windows.len(),
        limits::MAX_CALENDAR_ENTRIES,
    )?;
    check_len(
        &super::at(f, "bookings"),
        c.bookings.len(),
        limits::MAX_CALENDAR_ENTRIES,
    )?;
    let bad = |field: String, start, end| -> Error {
        JetError::InvalidInterval { field, start, end }.into()
    };
    for (i, w) in c.windows.iter().enumerate() {
        if w.end <= w.start {
            return Err(bad(super::at(f, &format!("windows[{i}]")), w.start, w.end));
        }
    }
    for (i, b) in c.bookings.iter().enumerate() {
        crate::rulebook::check_id(
            || super::at(f, &format!("bookings[{i}].id")),
            &b.id,
            crate::error::Doc::Request,
        )?;
        if b.end <= b.start {
            return Err(bad(super::at(f, &format!("bookings[{i}]")), b.start, b.end));
        }
    }
    Ok(())
}

/// Every conflict of `legs` with the calendar, by flown leg then booking order.
pub fn conflicts(legs: &[FlownLeg], calendar: &Calendar, turnaround_minutes: u32) -> Vec<Conflict> {
    let turnaround = Duration::minutes(i64::from(turnaround_minutes));
    let plus = |t: DateTime<Utc>| t.checked_add_signed(turnaround).unwrap_or(t);
    let mut out = Vec::new();
    let mut last_customer = None;
    for (i, l) in legs.iter().enumerate() {
        last_customer = l.leg.or(last_customer);
        let start = l.departure.with_timezone(&Utc);
        let end = plus(l.arrival.with_timezone(&Utc));
        let conflict = |reason| Conflict {
            flown_leg: i,
            leg: l.leg.or(last_customer),
            kind: l.kind,
            start,
            end,
            reason,
        };
        if !calendar.windows.is_empty()
            && !calendar
                .windows
                .iter()
                .any(|w| w.start <= start && end <= w.end)
        {
            out.push(conflict(ConflictReason::OutsideAvailability));
        }
        for b in &calendar.bookings {
            if start < plus(b.end) && b.start < end {
                out.push(conflict(ConflictReason::Booked {
                    booking_id: b.id.clone(),
                    booking_start: b.start,
                    booking_end: b.end,
                }));
            }
        }
    }
    out
}

/// The answer of [`crate::Rulebook::charter_availability`]: the flown schedule and every
/// conflict with the itinerary's calendar.
///
/// ```json
/// {"available": false, "legs": [{"kind": "REPOSITIONING", "from": "DXB", "to": "RUH", …}],
///  "conflicts": [{"flown_leg": 1, "leg": 0, "kind": "OCCUPIED", "start": "…", "end": "…",
///                 "reason": "BOOKED", "booking_id": "BK-77", "booking_start": "…", "booking_end": "…"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AvailabilityReport {
    /// Whether the aircraft can fly every leg (no conflict).
    pub available: bool,
    /// The flown legs (customer and repositioning) with their times.
    pub legs: Vec<FlownLeg>,
    /// Every conflict, by flown leg.
    pub conflicts: Vec<Conflict>,
}

impl AvailabilityReport {
    /// The report as a JSON value (decimals as strings, instants RFC 3339).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

crate::parse::json_request!(super::Itinerary);

impl crate::Rulebook {
    /// The flown schedule of a charter itinerary (customer legs and repositioning legs,
    /// each block time and turnaround from the rulebook's charter rules) and its conflicts
    /// with the itinerary's `availability` calendar (none when it has no calendar). No
    /// price is computed: amounts and fees are not read.
    ///
    /// # Errors
    /// The schedule's errors ([`super::schedule()`]): `TOO_MANY_PASSENGERS`,
    /// `BEYOND_RANGE`, `OVERLAPPING_LEGS`, `INVALID_INTERVAL`, `UNKNOWN_AIRPORT` …; the
    /// calendar's `INVALID_INTERVAL` and `LIMIT_EXCEEDED`.
    pub fn charter_availability(
        &self,
        itinerary: &super::Itinerary,
    ) -> Result<AvailabilityReport, Error> {
        let rules = self
            .doc()
            .charter
            .as_ref()
            .unwrap_or(&super::rules::NO_CHARTER_RULES);
        let legs = super::schedule(itinerary, rules.turnaround_minutes, "")?;
        let conflicts = match &itinerary.availability {
            Some(cal) => {
                validate(cal, "availability")?;
                conflicts(&legs, cal, rules.turnaround_minutes)
            }
            None => Vec::new(),
        };
        Ok(AvailabilityReport {
            available: conflicts.is_empty(),
            legs,
            conflicts,
        })
    }
}
