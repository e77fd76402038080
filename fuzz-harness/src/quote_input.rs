//! A quote request built from fuzzer bytes ([`QuoteInput`]): priced items, flights with
//! passengers, fares and segments, and PRIVATE_JET charters, whose amounts, counts, dates
//! and ids come from [`crate::values`]. It always serialises to JSON of the request's shape
//! (`QuoteRequest::from_json` reads it), so the fuzzer reaches items, offers, vouchers,
//! taxes and totals.

use crate::values::{
    list, Amount, Count, CurrencyCode, Date, Few, Instant, Pax, Percent, Quantity, Text,
    VoucherCode,
};
use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{json, Map, Value};

/// The categories of the request schema.
pub const CATEGORIES: &[&str] = &[
    "HOTEL",
    "FLIGHT",
    "PACKAGE",
    "TOUR",
    "ACTIVITY",
    "TRANSPORTATION",
    "CAR_RENTAL",
    "PRIVATE_JET",
    "SERVICE",
    "MEMBERSHIP",
];

/// The tiers of the membership schema.
pub const TIERS: &[&str] = &["GUEST", "BRONZE", "SILVER", "GOLD", "PLATINUM", "DIAMOND"];

/// Airports with coordinates in the embedded table (and one that is not a code).
const AIRPORTS: &[(&str, &str)] = &[
    ("RUH", "SA"),
    ("JED", "SA"),
    ("MED", "SA"),
    ("DMM", "SA"),
    ("DXB", "AE"),
    ("DAC", "BD"),
    ("CAI", "EG"),
    ("JFK", "US"),
    ("ORD", "US"),
    ("LAX", "US"),
    ("SYD", "AU"),
    ("ZZZ", "ZZ"),
];

/// A whole quote request.
#[derive(Debug, Clone)]
pub struct QuoteInput {
    /// The request's currency.
    pub currency: CurrencyCode,
    /// `now`.
    pub now: Instant,
    /// The customer.
    pub customer: Option<CustomerInput>,
    /// The items (before `repeat`).
    pub items: Vec<ItemInput>,
    /// How many times the item list is repeated (ids made unique): up to and past the
    /// 200-item limit.
    pub repeat: u8,
    /// Voucher codes.
    pub voucher_codes: Vec<VoucherCode>,
    /// Exchange rates `(from, to, rate)` (`from` absent: the request's currency).
    pub rates: Vec<(Option<CurrencyCode>, CurrencyCode, Amount)>,
    /// The display currency.
    pub display_currency: Option<CurrencyCode>,
    /// Ask for the fingerprint.
    pub fingerprint: bool,
    /// Add a USD → currency rate (the default rulebook's US air taxes are in USD).
    pub usd_rate: bool,
    /// Usage counts per offer/voucher id: `(is_voucher, id, total, by_customer, budget_used)`.
    pub usage: Vec<(bool, Text, Count, Count, Option<Amount>)>,
}

impl<'a> Arbitrary<'a> for QuoteInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(QuoteInput {
            currency: u.arbitrary()?,
            now: u.arbitrary()?,
            customer: u.arbitrary()?,
            items: {
                let mut items = vec![ItemInput::arbitrary(u)?];
                items.extend(list(u, 7)?);
                items
            },
            repeat: match u.int_in_range(0u8..=31)? {
                0 => u.arbitrary()?,
                1..=3 => u.int_in_range(2..=30)?,
                _ => 1,
            },
            voucher_codes: list(u, 3)?,
            rates: if u.ratio(1u8, 8)? {
                list(u, 2)?
            } else {
                Vec::new()
            },
            display_currency: if u.ratio(1u8, 8)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            fingerprint: u.ratio(1u8, 16)?,
            usd_rate: !u.ratio(1u8, 8)?,
            usage: if u.ratio(1u8, 4)? {
                list(u, 2)?
            } else {
                Vec::new()
            },
        })
    }
}

/// The buyer.
#[derive(Debug, Clone, Arbitrary)]
pub struct CustomerInput {
    /// The id.
    pub id: Option<Text>,
    /// `(tier index, valid_until)`.
    pub membership: Option<(u8, Option<Instant>)>,
}

/// One item of the cart.
#[derive(Debug, Clone)]
pub enum ItemInput {
    /// `unit_price × quantity` (hotels, tours, services …).
    Priced {
        /// Category index.
        category: u8,
        /// Quantity (absent = 1).
        quantity: Option<Quantity>,
        /// Unit price.
        unit_price: Amount,
        /// Supply country.
        country: Option<u8>,
        /// First day of service.
        start_date: Option<Date>,
        /// Party size.
        travellers: Option<Few>,
        /// An id other than the generated one.
        id: Option<Text>,
    },
    /// A flight with a per-passenger-type fare.
    Flight(Box<FlightInput>),
    /// A private-jet charter.
    Charter(Box<CharterInput>),
}

impl<'a> Arbitrary<'a> for ItemInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=7)? {
            0..=3 => ItemInput::Priced {
                category: u.arbitrary()?,
                quantity: if u.ratio(2u8, 3)? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
                unit_price: u.arbitrary()?,
                country: if u.ratio(1u8, 2)? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
                start_date: if u.ratio(1u8, 3)? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
                travellers: if u.ratio(1u8, 4)? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
                id: if u.ratio(1u8, 16)? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
            },
            4..=6 => ItemInput::Flight(u.arbitrary()?),
            _ => ItemInput::Charter(u.arbitrary()?),
        })
    }
}

/// A flight item.
#[derive(Debug, Clone)]
pub struct FlightInput {
    /// Adults (at least one, mostly).
    pub adults: Few,
    /// Passenger counts CHD, INF, YTH, STU, SRC.
    pub others: [Pax; 5],
    /// The adult fare.
    pub adt: Amount,
    /// The CHD, INF, YTH, STU, SRC fares: an amount or a percentage of ADT (mostly given
    /// when the type has passengers; a missing one is refused).
    pub fares: [Option<PaxFareInput>; 5],
    /// Segments, outbound ones first.
    pub segments: Vec<SegmentInput>,
    /// Fare components, each over the next `n` segments, instead of the fare-level
    /// amounts.
    pub components: Option<Vec<(u8, Amount)>>,
}

impl<'a> Arbitrary<'a> for FlightInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let others: [Pax; 5] = u.arbitrary()?;
        let mut fares: [Option<PaxFareInput>; 5] = Default::default();
        for (fare, n) in fares.iter_mut().zip(&others) {
            if (n.0 > 0 && !u.ratio(1u8, 32)?) || u.ratio(1u8, 8)? {
                *fare = Some(u.arbitrary()?);
            }
        }
        let mut segments: Vec<SegmentInput> = list(u, 4)?;
        segments.sort_by_key(|s| s.inbound);
        Ok(FlightInput {
            adults: u.arbitrary()?,
            others,
            adt: u.arbitrary()?,
            fares,
            segments,
            components: if u.ratio(1u8, 6)? {
                Some(list(u, 3)?)
            } else {
                None
            },
        })
    }
}

/// A CHD/INF/YTH/STU/SRC fare.
#[derive(Debug, Clone, Arbitrary)]
pub enum PaxFareInput {
    /// A fixed amount.
    Amount(Amount),
    /// A percentage of the adult fare.
    Percent(Percent),
}

/// One flight segment.
#[derive(Debug, Clone, Arbitrary)]
pub struct SegmentInput {
    /// Origin airport index.
    pub origin: u8,
    /// Destination airport index.
    pub destination: u8,
    /// Departure.
    pub departure: Instant,
    /// INBOUND rather than OUTBOUND.
    pub inbound: bool,
}

/// A charter itinerary (the `jet` of a PRIVATE_JET item).
#[derive(Debug, Clone)]
pub struct CharterInput {
    /// Aircraft category index.
    pub category: u8,
    /// The hourly rate.
    pub hourly_rate: Amount,
    /// The repositioning rate: the hourly rate itself (`None` inside), or its own amount.
    pub repositioning_rate: Option<Option<Amount>>,
    /// Home base airport index.
    pub home_base: u8,
    /// Seats.
    pub seats: Option<Count>,
    /// The customer legs.
    pub legs: Vec<LegInput>,
    /// Fees `(kind, basis, amount)`.
    pub fees: Vec<(u8, u8, Amount)>,
    /// A demand multiplier.
    pub demand_multiplier: Option<Percent>,
    /// Positioning and return ferry waived.
    pub waived: (bool, bool),
}

/// One customer leg of a charter.
#[derive(Debug, Clone)]
pub struct LegInput {
    /// Departure airport index.
    pub from: u8,
    /// Arrival airport index.
    pub to: u8,
    /// Departure.
    pub departure: Instant,
    /// Passengers.
    pub passengers: Few,
    /// An empty-leg sale.
    pub empty: bool,
    /// `wind_component_kt`.
    pub wind: Option<Percent>,
    /// `block_hours`: tenths of an hour (1 = 0.1 h), or any percentage-like text.
    pub block_hours: Option<Result<u16, Percent>>,
}

impl<'a> Arbitrary<'a> for LegInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(LegInput {
            from: u.arbitrary()?,
            to: u.arbitrary()?,
            departure: u.arbitrary()?,
            passengers: u.arbitrary()?,
            empty: u.ratio(1u8, 8)?,
            wind: if u.ratio(1u8, 6)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            block_hours: match u.int_in_range(0u8..=15)? {
                0 => Some(Err(u.arbitrary()?)),
                1..=2 => Some(Ok(u.int_in_range(0..=250)?)),
                _ => None,
            },
        })
    }
}

impl<'a> Arbitrary<'a> for CharterInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut legs: Vec<LegInput> = Vec::new();
        for _ in 0..u.int_in_range(1..=4)? {
            legs.push(u.arbitrary()?);
        }
        // Legs in time order, each from where the last one landed (mostly).
        legs.sort_by(|a, b| a.departure.0.cmp(&b.departure.0));
        for i in 1..legs.len() {
            if !u.ratio(1u8, 8)? {
                let to = legs.get(i - 1).map_or(0, |l| l.to);
                if let Some(l) = legs.get_mut(i) {
                    l.from = to;
                }
            }
        }
        Ok(CharterInput {
            category: u.arbitrary()?,
            hourly_rate: u.arbitrary()?,
            repositioning_rate: match u.int_in_range(0u8..=15)? {
                0 => Some(Some(u.arbitrary()?)),
                1..=3 => Some(None),
                _ => None,
            },
            home_base: u.arbitrary()?,
            seats: if u.ratio(1u8, 8)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            legs,
            fees: list(u, 4)?,
            demand_multiplier: if u.ratio(1u8, 8)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            waived: u.arbitrary()?,
        })
    }
}

/// Airport `i`: the last entry (not an airport) only for `i == 255`.
fn airport(i: u8) -> (&'static str, &'static str) {
    let n = AIRPORTS.len() - 1;
    let k = if i == u8::MAX { n } else { usize::from(i) % n };
    AIRPORTS.get(k).copied().unwrap_or(("RUH", "SA"))
}

fn pick(options: &[&'static str], i: u8) -> &'static str {
    options
        .get(usize::from(i) % options.len().max(1))
        .copied()
        .unwrap_or("")
}

impl QuoteInput {
    /// The request as JSON.
    pub fn to_json(&self) -> Value {
        let mut items = Vec::new();
        let copies = usize::from(self.repeat.max(1));
        for copy in 0..copies {
            for (i, item) in self.items.iter().enumerate() {
                let suffix = if copy == 0 {
                    String::new()
                } else {
                    format!("-{copy}")
                };
                items.push(item.to_json(&format!("IT-{i}{suffix}"), self.currency.0));
            }
        }
        let mut request = Map::new();
        request.insert("currency".into(), json!(self.currency.0));
        request.insert("now".into(), json!(self.now.0));
        request.insert("items".into(), Value::Array(items));
        if let Some(c) = &self.customer {
            let mut customer = Map::new();
            if let Some(id) = &c.id {
                customer.insert("id".into(), json!(id.0));
            }
            if let Some((tier, until)) = &c.membership {
                let mut m = Map::new();
                m.insert("tier".into(), json!(pick(TIERS, *tier)));
                if let Some(until) = until {
                    m.insert("valid_until".into(), json!(until.0));
                }
                customer.insert("membership".into(), Value::Object(m));
            }
            request.insert("customer".into(), Value::Object(customer));
        }
        if !self.voucher_codes.is_empty() {
            let codes: Vec<&str> = self.voucher_codes.iter().map(|c| c.0.as_str()).collect();
            request.insert("voucher_codes".into(), json!(codes));
        }
        let usd = (self.usd_rate && self.currency.0 != "USD").then(
            || json!({"from": "USD", "to": self.currency.0, "rate": "3.75", "source": "fuzz"}),
        );
        if !self.rates.is_empty() || usd.is_some() {
            let mut rates: Vec<Value> = self
                .rates
                .iter()
                .map(|(from, to, rate)| {
                    let from = from.as_ref().map_or(self.currency.0, |c| c.0);
                    // A rate from a currency to itself is refused: mostly give another.
                    let to = match (to.0 == from, from == "USD") {
                        (false, _) => to.0,
                        (true, false) => "USD",
                        (true, true) => "SAR",
                    };
                    json!({"from": from, "to": to, "rate": rate.0, "source": "fuzz"})
                })
                .collect();
            rates.extend(usd);
            request.insert("rates".into(), Value::Array(rates));
        }
        if let Some(d) = &self.display_currency {
            request.insert("display_currency".into(), json!(d.0));
        }
        if self.fingerprint {
            request.insert("fingerprint".into(), json!(true));
        }
        if !self.usage.is_empty() {
            let (mut offers, mut vouchers) = (Map::new(), Map::new());
            for (voucher, id, total, by_customer, budget) in &self.usage {
                let mut counts = json!({"total": total.0, "by_customer": by_customer.0});
                if let (Some(b), Value::Object(m)) = (budget, &mut counts) {
                    m.insert(
                        "budget_used".into(),
                        json!({"amount": b.0, "currency": self.currency.0}),
                    );
                }
                let map = if *voucher { &mut vouchers } else { &mut offers };
                map.insert(id.0.clone(), counts);
            }
            request.insert(
                "usage".into(),
                json!({"offers": offers, "vouchers": vouchers}),
            );
        }
        Value::Object(request)
    }
}

impl ItemInput {
    /// The item as JSON, with `default_id` unless it names its own.
    pub fn to_json(&self, default_id: &str, currency: &str) -> Value {
        match self {
            ItemInput::Priced {
                category,
                quantity,
                unit_price,
                country,
                start_date,
                travellers,
                id,
            } => {
                let mut m = Map::new();
                let id = id.as_ref().map_or(default_id, |t| t.0.as_str());
                m.insert("id".into(), json!(id));
                let category = pick(CATEGORIES, *category);
                let category = if matches!(category, "FLIGHT" | "PRIVATE_JET") {
                    "HOTEL"
                } else {
                    category
                };
                m.insert("category".into(), json!(category));
                if let Some(q) = quantity {
                    m.insert("quantity".into(), json!(q.0));
                }
                m.insert("unit_price".into(), json!(unit_price.0));
                if let Some(c) = country {
                    m.insert("country".into(), json!(airport(*c).1));
                }
                if let Some(d) = start_date {
                    m.insert("start_date".into(), json!(d.0));
                }
                if let Some(t) = travellers {
                    m.insert("travellers".into(), json!(t.0));
                }
                Value::Object(m)
            }
            ItemInput::Flight(f) => flight_json(default_id, f),
            ItemInput::Charter(c) => json!({
                "id": default_id,
                "category": "PRIVATE_JET",
                "jet": c.to_json(currency),
            }),
        }
    }
}

const PAX_TYPES: [&str; 6] = ["ADT", "CHD", "INF", "YTH", "STU", "SRC"];

fn flight_json(id: &str, f: &FlightInput) -> Value {
    let mut counts = Map::new();
    counts.insert("ADT".into(), json!(f.adults.0));
    for (t, n) in PAX_TYPES.iter().skip(1).zip(&f.others) {
        if n.0 > 0 {
            counts.insert((*t).into(), json!(n.0));
        }
    }
    let mut fare = Map::new();
    fare.insert("passengers".into(), Value::Object(counts));
    let pax_fares: Vec<(String, Value)> = PAX_TYPES
        .iter()
        .skip(1)
        .zip(&f.fares)
        .filter_map(|(t, fare)| {
            let v = match fare.as_ref()? {
                PaxFareInput::Amount(a) => json!({"amount": a.0}),
                PaxFareInput::Percent(p) => json!({"percent_of_adt": p.0}),
            };
            Some((t.to_lowercase(), v))
        })
        .collect();
    match &f.components {
        Some(list) if !list.is_empty() && !f.segments.is_empty() => {
            // Each component covers the next `n` segments (at least one); the last one
            // covers the rest.
            let mut next = 0usize;
            let total = f.segments.len();
            let mut comps = Vec::new();
            for (i, (n, amount)) in list.iter().enumerate() {
                if next >= total {
                    break;
                }
                let take = if i + 1 == list.len() {
                    total - next
                } else {
                    usize::from(*n % 3).max(1).min(total - next)
                };
                let segs: Vec<usize> = (next..next + take).collect();
                next += take;
                let mut c = Map::new();
                c.insert("fare_basis".into(), json!(format!("FB{i}")));
                c.insert("segments".into(), json!(segs));
                c.insert("adt".into(), json!(amount.0));
                for (k, v) in &pax_fares {
                    c.insert(k.clone(), v.clone());
                }
                comps.push(Value::Object(c));
            }
            fare.insert("components".into(), Value::Array(comps));
        }
        _ => {
            fare.insert("adt".into(), json!(f.adt.0));
            for (k, v) in pax_fares {
                fare.insert(k, v);
            }
        }
    }
    let segments: Vec<Value> = f
        .segments
        .iter()
        .map(|s| {
            let (o, oc) = airport(s.origin);
            let (d, dc) = airport(s.destination);
            json!({
                "origin": o, "destination": d, "origin_country": oc, "destination_country": dc,
                "departure": s.departure.0, "carrier": "SV", "flight_number": "SV803",
                "cabin": "Y", "direction": if s.inbound { "INBOUND" } else { "OUTBOUND" },
            })
        })
        .collect();
    let mut item = Map::new();
    item.insert("id".into(), json!(id));
    item.insert("category".into(), json!("FLIGHT"));
    item.insert("fare".into(), Value::Object(fare));
    if !segments.is_empty() {
        item.insert("segments".into(), Value::Array(segments));
    }
    Value::Object(item)
}

const AIRCRAFT: &[&str] = &[
    "TURBOPROP",
    "VERY_LIGHT",
    "LIGHT",
    "MIDSIZE",
    "SUPER_MIDSIZE",
    "HEAVY",
    "ULTRA_LONG_RANGE",
    "VIP_AIRLINER",
];
const FEE_KINDS: &[&str] = &[
    "LANDING",
    "HANDLING",
    "CREW_OVERNIGHT",
    "FUEL",
    "DE_ICING",
    "PERMIT",
    "CATERING",
    "GROUND_TRANSPORT",
    "OTHER",
];
const FEE_BASES: &[&str] = &[
    "PER_TRIP",
    "PER_LEG",
    "PER_PASSENGER_LEG",
    "PER_LANDING",
    "PER_DEPARTURE",
    "PER_INTERNATIONAL_LEG",
    "PER_CREW_NIGHT",
    "PER_BILLABLE_HOUR",
    "PER_FLOWN_HOUR",
];

impl CharterInput {
    /// The itinerary as JSON (amounts in `currency`).
    pub fn to_json(&self, currency: &str) -> Value {
        let (home, _) = airport(self.home_base);
        let mut aircraft = Map::new();
        aircraft.insert("id".into(), json!("HZ-FUZZ"));
        aircraft.insert("category".into(), json!(pick(AIRCRAFT, self.category)));
        aircraft.insert(
            "hourly_rate".into(),
            json!({"amount": self.hourly_rate.0, "currency": currency}),
        );
        if let Some(r) = &self.repositioning_rate {
            let amount = r.as_ref().unwrap_or(&self.hourly_rate);
            aircraft.insert(
                "repositioning_rate".into(),
                json!({"amount": amount.0, "currency": currency}),
            );
        }
        aircraft.insert("home_base".into(), json!(home));
        if let Some(s) = self.seats {
            aircraft.insert("seats".into(), json!(s.0));
        }
        let mut legs: Vec<Value> = self
            .legs
            .iter()
            .map(|l| {
                let mut leg = Map::new();
                leg.insert("from".into(), json!(airport(l.from).0));
                leg.insert("to".into(), json!(airport(l.to).0));
                leg.insert("departure".into(), json!(l.departure.0));
                leg.insert("passengers".into(), json!(l.passengers.0));
                if l.empty {
                    leg.insert("empty".into(), json!(true));
                }
                if let Some(w) = &l.wind {
                    leg.insert("wind_component_kt".into(), json!(w.0));
                }
                match &l.block_hours {
                    Some(Ok(tenths)) => {
                        let hours = format!("{}.{}", tenths / 10, tenths % 10);
                        leg.insert("block_hours".into(), json!(hours));
                    }
                    Some(Err(p)) => {
                        leg.insert("block_hours".into(), json!(p.0));
                    }
                    None => {}
                }
                Value::Object(leg)
            })
            .collect();
        if legs.is_empty() {
            legs.push(json!({"from": "RUH", "to": "JED",
                             "departure": "2026-12-04T09:00:00+03:00", "passengers": 2}));
        }
        let fees: Vec<Value> = self
            .fees
            .iter()
            .enumerate()
            .map(|(i, (kind, basis, amount))| {
                json!({"id": format!("FEE-{i}"), "kind": pick(FEE_KINDS, *kind),
                       "basis": pick(FEE_BASES, *basis),
                       "amount": {"amount": amount.0, "currency": currency}})
            })
            .collect();
        let mut it = Map::new();
        it.insert("aircraft".into(), Value::Object(aircraft));
        it.insert("legs".into(), Value::Array(legs));
        it.insert("fees".into(), Value::Array(fees));
        let billing = |w: bool| if w { "WAIVED" } else { "BILLED" };
        it.insert("positioning".into(), json!(billing(self.waived.0)));
        it.insert("return_ferry".into(), json!(billing(self.waived.1)));
        if let Some(d) = &self.demand_multiplier {
            it.insert("demand_multiplier".into(), json!(d.0));
        }
        Value::Object(it)
    }
}
