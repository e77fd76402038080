//! The quote request: what a customer wants priced, and when.

use crate::membership::Tier;
use crate::{Category, PassengerType};
use chrono::{DateTime, Utc};
use rihla_core::{Currency, Decimal};
use serde::{Deserialize, Serialize};

/// A request to price a cart (JSON; amounts are decimal strings, instants RFC 3339).
///
/// ```json
/// {"currency": "SAR", "now": "2026-11-22T09:00:00Z",
///  "customer": {"id": "C-1", "membership": {"tier": "GOLD", "valid_until": "2027-06-30T23:59:59Z"}},
///  "items": [{"id": "HTL-1", "category": "HOTEL", "quantity": 14, "unit_price": "650.00"}],
///  "voucher_codes": ["umrah100"]}
/// ```
///
/// Every item is priced in `currency`. `now` is the instant against which every validity
/// window is checked (rihla has no clock). Limits: [`crate::limits`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// ISO 4217 currency of every price in the request and of the quote.
    pub currency: Currency,
    /// The pricing instant: RFC 3339 with any offset (read as UTC), years 0000–9999
    /// ([`rihla_core::time`]).
    #[serde(with = "rihla_core::time::utc")]
    pub now: DateTime<Utc>,
    /// Who is buying.
    #[serde(default)]
    pub customer: Customer,
    /// The cart, in order (at most [`crate::limits::MAX_ITEMS`]).
    pub items: Vec<Item>,
    /// Voucher codes typed by the customer; matched case-insensitively after trimming.
    #[serde(default)]
    pub voucher_codes: Vec<String>,
    /// The host's current usage counts of offers and vouchers (for usage limits and
    /// budgets); evaluation never changes them.
    #[serde(default)]
    pub usage: crate::condition::Usage,
    /// The host's exchange rates for this request (direct pairs, e.g. `USD → SAR` at the
    /// bank selling rate): they convert fixed taxes published in another currency and the
    /// display totals. At most 200; no inverse or cross rate is ever derived.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates: Vec<rihla_core::fx::Rate>,
    /// Ask for the quote's `fingerprint` (see [`crate::Quote::fingerprint`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fingerprint: bool,
    /// A currency to show the totals in as well (needs the `currency → display_currency`
    /// rate in `rates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_currency: Option<Currency>,
}

/// The buyer: an id (for per-user limits and redemption intents) and a membership.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The host's customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The customer's subscription; absent or expired prices as GUEST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<Subscription>,
}

/// A membership subscription as the host holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// The plan's tier.
    pub tier: Tier,
    /// Last instant the subscription is active (inclusive); absent = no end.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub valid_until: Option<DateTime<Utc>>,
}

/// One item of the cart: `unit_price` × `quantity`, a flight `fare`, or a charter `jet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The host's id for the item, unique in the request.
    pub id: String,
    /// What the item sells.
    pub category: Category,
    /// Free text shown on the quote.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Units (nights, seats, tickets); default 1. Not allowed with `fare`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// Price of one unit, in the request's currency, in whole minor units, ≥ 0.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_price: Option<Decimal>,
    /// A per-passenger-type fare (flights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fare: Option<Fare>,
    /// The flight segments a fare covers, in travel order (at most
    /// [`crate::limits::MAX_SEGMENTS`]). They decide domestic/international taxes,
    /// per-segment, per-departure and per-arrival charges, and the fare rules' dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Segment>,
    /// The travellers of a fare item, each with a declared type or a date of birth (an
    /// alternative to the fare's `passengers` counts; at most 99).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passengers: Vec<crate::passenger::Passenger>,
    /// First day of service of a non-flight item (hotel check-in, tour date), local; with
    /// the segments' dates it gives the first day of travel for booking-window conditions.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::date::option"
    )]
    pub start_date: Option<chrono::NaiveDate>,
    /// Travellers a non-flight item serves (a package's party), for group conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travellers: Option<u32>,
    /// ISO 3166-1 alpha-2 country where a non-flight item is supplied (a hotel's country),
    /// for country-filtered taxes (`"SA"`, `"EG"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The charter itinerary of a PRIVATE_JET item (aircraft, legs, fees), priced by
    /// [`crate::jet::charter`] instead of a unit price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jet: Option<crate::jet::Itinerary>,
}

/// The direction of a segment in its journey.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Direction {
    /// Outbound (the default): a journey with only outbound segments is a one-way.
    #[default]
    Outbound,
    /// Inbound: the return half of a round trip.
    Inbound,
}

/// One flight segment (one take-off and one landing).
///
/// ```json
/// {"origin": "JFK", "destination": "ORD", "origin_country": "US", "destination_country": "US",
///  "departure": "2026-12-20T08:00:00-05:00", "carrier": "AA", "flight_number": "AA100",
///  "cabin": "Y", "direction": "OUTBOUND"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// IATA code of the departure airport (3 upper-case letters).
    pub origin: String,
    /// IATA code of the arrival airport.
    pub destination: String,
    /// ISO 3166-1 alpha-2 country of the departure airport.
    pub origin_country: String,
    /// ISO 3166-1 alpha-2 country of the arrival airport.
    pub destination_country: String,
    /// Scheduled departure, local time with its UTC offset (RFC 3339, years 0000–9999 in
    /// local time and in UTC).
    #[serde(with = "rihla_core::time::fixed")]
    pub departure: DateTime<chrono::FixedOffset>,
    /// IATA code of the marketing carrier.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub carrier: String,
    /// Flight number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub flight_number: String,
    /// Booking cabin (`F`, `C`, `W`, `Y`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cabin: String,
    /// OUTBOUND (default) or INBOUND.
    #[serde(default)]
    pub direction: Direction,
}

impl Segment {
    /// A segment that takes off and lands in the same country.
    pub fn is_domestic(&self) -> bool {
        self.origin_country == self.destination_country
    }
}

/// A fare priced per IATA passenger type: the ADT amount, and the CHD / INF amounts
/// either given or as a percentage of the ADT amount (e.g. CHD 75 %, INF 10 %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fare {
    /// How many passengers of each type (or give the item's `passengers` list instead).
    #[serde(default)]
    pub passengers: Passengers,
    /// The adult fare per passenger, in whole minor units, ≥ 0 (absent when the fare is
    /// given by `components`).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub adt: Option<Decimal>,
    /// The child fare (required when `passengers.CHD > 0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chd: Option<PaxFare>,
    /// The infant fare (required when `passengers.INF > 0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inf: Option<PaxFare>,
    /// The youth fare (required for YTH passengers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yth: Option<PaxFare>,
    /// The student fare (required for STU passengers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stu: Option<PaxFare>,
    /// The senior fare (required for SRC passengers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<PaxFare>,
    /// Fare components: each prices some of the item's segments per passenger type (e.g.
    /// an outbound and an inbound one-way fare); a passenger's fare is their sum, each
    /// component rounded on its own. Give either `components` or the fare-level amounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<FareComponent>,
    /// The fare's rules (ATPCO categories 2, 3, 5, 6, 7, 11, 15), checked against the
    /// item's segments and `now`; a fare that fails is not priced (`FARE_RULE_FAILED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<crate::fare_rule::FareRules>,
}

/// One fare component: a fare basis over some segments, priced per passenger type.
///
/// ```json
/// {"fare_basis": "YLOWUS", "segments": [0, 1], "adt": "180.00", "chd": {"percent_of_adt": "75"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FareComponent {
    /// The fare basis code.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fare_basis: String,
    /// Indexes of the item's segments this component covers (each segment in exactly one
    /// component).
    pub segments: Vec<usize>,
    /// The adult amount.
    #[serde(with = "rihla_core::decimal_string")]
    pub adt: Decimal,
    /// The child amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chd: Option<PaxFare>,
    /// The infant amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inf: Option<PaxFare>,
    /// The youth amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yth: Option<PaxFare>,
    /// The student amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stu: Option<PaxFare>,
    /// The senior amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<PaxFare>,
}

/// Passenger counts by IATA type: `{"ADT": 2, "CHD": 1, "INF": 1}` (YTH, STU, SRC too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passengers {
    /// Adults.
    #[serde(rename = "ADT", default)]
    pub adt: u32,
    /// Children.
    #[serde(rename = "CHD", default)]
    pub chd: u32,
    /// Lap infants (at most one per ADT, STU or SRC).
    #[serde(rename = "INF", default)]
    pub inf: u32,
    /// Youths.
    #[serde(rename = "YTH", default)]
    pub yth: u32,
    /// Students.
    #[serde(rename = "STU", default)]
    pub stu: u32,
    /// Seniors.
    #[serde(rename = "SRC", default)]
    pub src: u32,
}

impl Passengers {
    /// The count of a type.
    pub fn count(&self, t: PassengerType) -> u32 {
        match t {
            PassengerType::Adult => self.adt,
            PassengerType::Child => self.chd,
            PassengerType::Infant => self.inf,
            PassengerType::Youth => self.yth,
            PassengerType::Student => self.stu,
            PassengerType::Senior => self.src,
        }
    }

    /// Adds one passenger of type `t` (saturating: limits are checked afterwards).
    pub fn add(&mut self, t: PassengerType) {
        let slot = match t {
            PassengerType::Adult => &mut self.adt,
            PassengerType::Child => &mut self.chd,
            PassengerType::Infant => &mut self.inf,
            PassengerType::Youth => &mut self.yth,
            PassengerType::Student => &mut self.stu,
            PassengerType::Senior => &mut self.src,
        };
        *slot = slot.saturating_add(1);
    }

    /// Whether no passenger is counted.
    pub fn is_empty(&self) -> bool {
        PassengerType::ALL.iter().all(|t| self.count(*t) == 0)
    }
}

/// A CHD or INF fare: exactly one of `amount` or `percent_of_adt` (0–100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaxFare {
    /// The fare per passenger, in whole minor units.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<Decimal>,
    /// The fare as a percentage of the ADT fare, rounded to the minor unit with the
    /// rulebook's rounding mode.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub percent_of_adt: Option<Decimal>,
}

crate::parse::json_request!(QuoteRequest);
