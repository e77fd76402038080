//! Taxes and carrier surcharges: what each rule charges, on what basis, to whom.
//!
//! A [`TaxRule`] has a basis (a percentage of the line's net or of a subtotal that
//! compounds named earlier taxes, or a fixed amount per passenger, per passenger-segment,
//! per one-way with a round-trip cap, per enplanement with caps, per departure, per
//! arrival, per night, per item or per booking), filters (categories or items, exempt
//! passenger types, countries, airports, domestic/international journeys, effective
//! dates), and flags (tax-inclusive prices, refundability on a non-refundable fare).
//! Carrier surcharges (YQ/YR) use the same machinery with `kind: CARRIER_SURCHARGE`; they
//! are shown beside taxes but never counted as tax (they go to `fee_amount`).
//!
//! The engine (module `apply`) documents the order and rounding conventions: inclusive
//! rules first, compounding in rulebook order, per-passenger or per-document rounding.

pub(crate) mod apply;
mod journey;
pub(crate) mod validate;

use crate::{PassengerType, Scope, Window};
use chrono::{DateTime, Utc};
use rihla_core::{Decimal, Money};
use serde::{Deserialize, Serialize};

/// Whether a rule is a tax or a carrier-imposed surcharge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaxKind {
    /// A tax, duty or government fee (counted in `tax_amount`).
    #[default]
    Tax,
    /// A carrier surcharge such as YQ/YR (counted in `fee_amount`, never called a tax).
    CarrierSurcharge,
}

/// What a rule's amount is computed on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaxBasis {
    /// `rate` % of each passenger's (or line's) net after discounts.
    #[default]
    PercentOfNet,
    /// `rate` % of the net plus the named earlier taxes (`includes`): compounding, as
    /// Egypt's hotel service charge 12 % → city tax 1 % → VAT 14 %.
    PercentOfSubtotal,
    /// `amount` per passenger of a fare.
    PerPassenger,
    /// `amount` per passenger per qualifying segment (US domestic segment tax).
    PerPassengerSegment,
    /// `amount` per passenger per qualifying one-way, at most `round_trip_cap` per round
    /// trip (US September 11 security fee).
    PerOneWay,
    /// `amount` per passenger per qualifying enplanement, at most `max_per_one_way` per
    /// one-way and `max_per_round_trip` per round trip (US passenger facility charge).
    PerEnplanement,
    /// `amount` per passenger per qualifying departure.
    PerDeparture,
    /// `amount` per passenger per qualifying arrival.
    PerArrival,
    /// `amount` per unit of a non-flight line's quantity (room-nights).
    PerNight,
    /// `amount` once per item.
    PerItem,
    /// `amount` once per booking (on the first line it covers).
    PerBooking,
}

impl TaxBasis {
    /// Whether the basis is a percentage (`rate`), not a fixed `amount`.
    pub fn is_percentage(self) -> bool {
        matches!(self, TaxBasis::PercentOfNet | TaxBasis::PercentOfSubtotal)
    }

    /// Whether the basis counts passengers or segments of a fare (flight lines only).
    pub fn is_per_passenger(self) -> bool {
        matches!(
            self,
            TaxBasis::PerPassenger
                | TaxBasis::PerPassengerSegment
                | TaxBasis::PerOneWay
                | TaxBasis::PerEnplanement
                | TaxBasis::PerDeparture
                | TaxBasis::PerArrival
        )
    }
}

/// Which journeys of a flight item a rule applies to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JourneyFilter {
    /// Any journey (and every non-flight item).
    #[default]
    Any,
    /// Only journeys (or, for segment bases, segments) that stay within one country.
    Domestic,
    /// Only journeys (or segments) that cross a border.
    International,
}

/// How tax amounts are rounded to the minor unit (a rulebook setting, `tax_rounding`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaxRounding {
    /// Each tax on each passenger (or non-flight line) is rounded on its own (the default,
    /// as airline tickets show them).
    #[default]
    PerPassenger,
    /// Each tax is summed unrounded over the document and rounded once, then split back
    /// over the passengers and lines by largest remainder.
    PerDocument,
}

/// A tax or carrier surcharge of the rulebook.
///
/// ```json
/// {"id": "US-ZP", "code": "ZP", "name": "US domestic flight segment tax",
///  "basis": "PER_PASSENGER_SEGMENT", "amount": {"amount": "5.30", "currency": "USD"},
///  "applies_to": {"scope": "CATEGORIES", "categories": ["FLIGHT"]},
///  "journey": "DOMESTIC", "countries": ["US"], "exempt_passenger_types": ["INF"],
///  "source": "26 U.S.C. 4261(b); USD 5.30 for calendar year 2025 (Rev. Proc. 2024-40)"}
/// ```
///
/// Filters: a line is covered when its category or item is in `applies_to`, its passenger
/// type is not exempt, and — for flights — its journey (or, for segment bases, each
/// segment) matches `journey`, `countries` (the domestic country, or a country the journey
/// touches; for segments the departure country, for PER_ARRIVAL the arrival country) and
/// `airports`. A non-flight line matches `countries` by its item's `country`. A flight
/// without segments, or a non-flight item without a country, is not covered by a rule that
/// filters on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxRule {
    /// Unique id in the rulebook (named by other rules' `includes`).
    pub id: String,
    /// The code printed on tickets and invoices (`VAT`, `US`, `ZP`, `AY`, `XF`, `YQ` …).
    pub code: String,
    /// Name shown on the quote.
    #[serde(default)]
    pub name: String,
    /// TAX (default) or CARRIER_SURCHARGE.
    #[serde(default)]
    pub kind: TaxKind,
    /// What the amount is computed on (default PERCENT_OF_NET).
    #[serde(default)]
    pub basis: TaxBasis,
    /// The percentage (0–100) of a percentage basis.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub rate: Option<Decimal>,
    /// The fixed amount of a fixed basis; in another currency than the quote's it is
    /// converted with the request's `rates` (else `RATE_NOT_FOUND`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// For PERCENT_OF_SUBTOTAL: ids of earlier rules whose amounts join the subtotal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    /// For PER_ONE_WAY: the most charged per passenger on a round trip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_trip_cap: Option<Money>,
    /// For PER_ENPLANEMENT: the most enplanements charged per one-way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_one_way: Option<u32>,
    /// For PER_ENPLANEMENT: the most enplanements charged per round trip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_round_trip: Option<u32>,
    /// Which lines (default all).
    #[serde(default)]
    pub applies_to: Scope,
    /// Passenger types that do not pay it (lap infants often).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_passenger_types: Vec<PassengerType>,
    /// Charter fee kinds a percentage rule leaves out of its base (the US FET: catering and
    /// ground transport).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_charter_fees: Vec<crate::jet::FeeKind>,
    /// ISO 3166-1 alpha-2 countries (empty = any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// IATA airports for segment bases (empty = any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub airports: Vec<String>,
    /// ANY (default), DOMESTIC or INTERNATIONAL.
    #[serde(default)]
    pub journey: JourneyFilter,
    /// Prices already include it: it is extracted (`net × rate / (100 + rate)`), not added.
    /// Percent-of-net rules only.
    #[serde(default)]
    pub inclusive: bool,
    /// Whether it is refunded when the fare itself is not refundable (default: taxes yes,
    /// carrier surcharges no).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refundable_on_non_refundable_fare: Option<bool>,
    /// First instant in force (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub valid_from: Option<DateTime<Utc>>,
    /// Last instant in force (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub valid_until: Option<DateTime<Utc>>,
    /// The legal source of the rule and its figure.
    #[serde(default)]
    pub source: String,
}

impl TaxRule {
    /// The window in which the rule is in force.
    pub fn window(&self) -> Window {
        Window {
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        }
    }

    /// Whether it is refunded on a non-refundable fare (the flag, or its default by kind).
    pub fn refundable(&self) -> bool {
        self.refundable_on_non_refundable_fare
            .unwrap_or(self.kind == TaxKind::Tax)
    }
}
