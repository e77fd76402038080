//! The charter request: the `jet` of a PRIVATE_JET item.

use super::aircraft::Aircraft;
use super::fee::Fee;
use chrono::{DateTime, FixedOffset};
use rihla_core::Decimal;
use serde::{Deserialize, Serialize};

/// A charter itinerary: the aircraft, the customer's legs in travel order, how
/// repositioning is billed, the operator's fees and the host's inputs.
///
/// ```json
/// {"aircraft": {"id": "HZ-SKY1", "category": "MIDSIZE", "home_base": "RUH",
///               "hourly_rate": {"amount": "3400.00", "currency": "USD"}},
///  "legs": [{"from": "RUH", "to": "JED", "departure": "2026-12-04T09:00:00+03:00", "passengers": 6}],
///  "return_ferry": "BILLED",
///  "fees": [{"kind": "LANDING", "basis": "PER_LANDING", "airport": "JED",
///            "amount": {"amount": "750.00", "currency": "USD"}}]}
/// ```
///
/// Engine-added repositioning (ferry) legs: from the aircraft's `position` to the first
/// departure (when `positioning` is BILLED), between two legs that do not meet, and from
/// the last arrival back to `home_base` (when `return_ferry` is BILLED). A leg flagged
/// `empty` carries no repositioning: none is added to reach it or after it. A ferry's
/// wind and the operator's block time come from the leg it serves (`ferry`) or from
/// `return_ferry_leg`, as for a customer leg.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Itinerary {
    /// The aircraft and its operator's prices.
    pub aircraft: Aircraft,
    /// The customer's legs, in travel order (1 to [`crate::limits::MAX_CHARTER_LEGS`]).
    pub legs: Vec<Leg>,
    /// Whether the ferry from the aircraft's position to the first departure is billed
    /// (default BILLED).
    #[serde(default)]
    pub positioning: Billing,
    /// Whether the ferry from the last arrival back to the home base is billed (default
    /// BILLED; a one-way with the return ferry waived sets WAIVED).
    #[serde(default)]
    pub return_ferry: Billing,
    /// Airports given by the host (code, coordinates, country): they win over the
    /// embedded table, and are the only source in a build without it (WASM). At most
    /// [`crate::limits::MAX_CHARTER_AIRPORTS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub airports: Vec<HostAirport>,
    /// The operator's fees (at most [`crate::limits::MAX_CHARTER_FEES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<Fee>,
    /// The host's demand multiplier on every flight charge (0.50–3.00; default 1).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub demand_multiplier: Option<Decimal>,
    /// The aircraft's availability windows and existing bookings: when given, the
    /// charter's breakdown lists every conflict of the flown legs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<super::availability::Calendar>,
    /// The wind and/or the operator's block time of the return ferry to `home_base`, when
    /// the engine adds one (ignored otherwise; validated always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_ferry_leg: Option<FerryLeg>,
}

/// What the host knows of an engine-added repositioning (ferry) leg: the operator quotes
/// ferries at their real block time, or the host has the day's winds.
///
/// ```json
/// {"wind_component_kt": "-30", "block_hours": "1.4"}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FerryLeg {
    /// Average wind component, knots (+ tailwind, − headwind; default 0), as on a leg.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub wind_component_kt: Option<Decimal>,
    /// The operator's block time for the ferry, hours in tenths (0.1–24.0): used instead
    /// of the computed one.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub block_hours: Option<Decimal>,
}

/// Whether an engine-added repositioning leg is billed to the customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Billing {
    /// Billed at the aircraft's repositioning rate (the default).
    #[default]
    Billed,
    /// Not billed (and not flown as part of this charter).
    Waived,
}

/// One customer leg.
///
/// ```json
/// {"from": "RUH", "to": "OEJN", "departure": "2026-12-04T09:00:00+03:00", "passengers": 6,
///  "wind_component_kt": "-25"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// Departure airport, IATA or ICAO code (or a code of `airports`).
    pub from: String,
    /// Arrival airport.
    pub to: String,
    /// Departure, local time of `from` with its UTC offset: its date is the local
    /// calendar day of daily minimums and weekend, peak and holiday surcharges.
    #[serde(with = "rihla_core::time::fixed")]
    pub departure: DateTime<FixedOffset>,
    /// Arrival, when the operator's schedule gives it (must be after `departure`);
    /// otherwise departure + block time.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::fixed::option"
    )]
    pub arrival: Option<DateTime<FixedOffset>>,
    /// Passengers on board (1 to the aircraft's seats).
    pub passengers: u32,
    /// An empty-leg sale: priced at the empty-leg discount, never below the floor, and
    /// with no repositioning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub empty: bool,
    /// Average wind component, knots (+ tailwind, − headwind; default 0).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub wind_component_kt: Option<Decimal>,
    /// The operator's block time for the leg, hours in tenths (0.1–24.0): used instead of
    /// the computed one.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub block_hours: Option<Decimal>,
    /// The wind and/or the operator's block time of the repositioning (ferry) leg the
    /// engine adds to bring the aircraft to this leg's departure, when it adds one
    /// (ignored otherwise; validated always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ferry: Option<FerryLeg>,
}

/// An airport given by the host.
///
/// ```json
/// {"code": "RUH", "lat": "24.9576", "lon": "46.6988", "country": "SA"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostAirport {
    /// The code legs use for it (IATA, ICAO or the host's own, 3–8 characters).
    pub code: String,
    /// Latitude, decimal degrees north (−90..=90).
    #[serde(with = "rihla_core::decimal_string")]
    pub lat: Decimal,
    /// Longitude, decimal degrees east (−180..=180).
    #[serde(with = "rihla_core::decimal_string")]
    pub lon: Decimal,
    /// ISO 3166-1 alpha-2 country (decides domestic/international taxes and permits).
    pub country: String,
}
