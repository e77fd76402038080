//! Step 1 of the pipeline: items → gross item lines.

use crate::error::Doc;
use crate::fare::{unit_fare, PtcPrices};
use crate::limits;
use crate::passenger::type_from_birth;
use crate::quote::ItemLine;
use crate::request::{Fare, Item, Passengers};
use crate::rulebook::{check_id, check_money, check_text};
use crate::{Error, PassengerType};
use rihla_core::{CoreError, Currency, Decimal, Money, RoundingMode};

/// What item pricing needs from the rulebook and the request.
#[derive(Clone, Copy)]
pub struct ItemContext<'a> {
    /// The request's currency.
    pub currency: Currency,
    /// The rulebook's rounding mode (CHD/INF fares given as a percentage).
    pub mode: RoundingMode,
    /// The pricing instant (fare rules).
    pub now: chrono::DateTime<chrono::Utc>,
    /// Most seated passengers on one fare item (the rulebook's `max_seated_passengers`).
    pub max_seated_passengers: u32,
    /// The rulebook's charter rules (PRIVATE_JET items).
    pub charter: &'a crate::jet::CharterRules,
    /// Converts an amount of another currency into the request's, rounded to its minor
    /// unit (charter rates and fees).
    pub convert: &'a dyn Fn(Money) -> Result<Decimal, Error>,
}

/// The priced items: their lines, and the breakdown of each charter.
#[derive(Debug, Clone)]
pub struct PricedItems {
    /// Item lines in request order.
    pub lines: Vec<ItemLine>,
    /// One breakdown per PRIVATE_JET item, in request order.
    pub charters: Vec<crate::jet::Charter>,
}

/// Prices every item of the request into item lines, in request order: a unit-price
/// item gives one line (`unit_price × quantity`); a fare gives one line per passenger
/// type present (`FLT-1/ADT`, `FLT-1/CHD`, `FLT-1/INF`); a charter (`jet`) gives its
/// flight-charge line (`JET-1`) and one line per fee (`JET-1/LANDING-2`), see
/// [`crate::jet::charter`].
///
/// # Errors
/// `INVALID_REQUEST` (missing/duplicate price, empty id …), `DUPLICATE_ID`,
/// `INVALID_AMOUNT` (negative price, digits below the minor unit),
/// `INVALID_PASSENGERS`, `LIMIT_EXCEEDED`, `OVERFLOW`, and the charter errors
/// ([`crate::jet::JetError`]).
pub fn price_items(items: &[Item], ctx: &ItemContext<'_>) -> Result<PricedItems, Error> {
    let currency = ctx.currency;
    let mut lines = Vec::with_capacity(items.len().saturating_add(2));
    let mut charters = Vec::new();
    for (i, item) in items.iter().enumerate() {
        check_id(|| format!("items[{i}].id"), &item.id, Doc::Request)?;
        check_text(
            || format!("items[{i}].description"),
            &item.description,
            Doc::Request,
        )?;
        check_places(item, i)?;
        if item.category == crate::Category::PrivateJet || item.jet.is_some() {
            let charter = price_charter(item, i, ctx)?;
            lines.extend(charter.lines);
            charters.push(charter.charter);
            continue;
        }
        match (&item.unit_price, &item.fare) {
            (Some(price), None) => {
                let quantity = item.quantity.unwrap_or(1);
                check_quantity(
                    || format!("items[{i}].quantity"),
                    quantity,
                    limits::MAX_QUANTITY,
                )?;
                check_money(
                    || format!("items[{i}].unit_price"),
                    &Money::new(*price, currency),
                )?;
                lines.push(line(
                    i,
                    item,
                    None,
                    item.id.clone(),
                    quantity,
                    *price,
                    currency,
                )?);
            }
            (None, Some(fare)) => {
                if item.quantity.is_some() {
                    return Err(Error::InvalidRequest {
                        field: format!("items[{i}].quantity"),
                        reason: "a fare item counts passengers, not a quantity".into(),
                    });
                }
                check_fare_rules(item, fare, i, ctx.now)?;
                price_fare(&mut lines, item, fare, ctx, i)?;
            }
            (Some(_), Some(_)) | (None, None) => {
                return Err(Error::InvalidRequest {
                    field: format!("items[{i}]"),
                    reason: "give exactly one of unit_price or fare".into(),
                })
            }
        }
    }
    check_unique_ids(items, &lines)?;
    Ok(PricedItems { lines, charters })
}

/// A PRIVATE_JET item: a `jet` itinerary and nothing else that prices.
fn price_charter(
    item: &Item,
    i: usize,
    ctx: &ItemContext<'_>,
) -> Result<crate::jet::charter::Priced, Error> {
    let bad = |field: &str, reason: &str| Error::InvalidRequest {
        field: format!("items[{i}].{field}"),
        reason: reason.into(),
    };
    let Some(jet) = &item.jet else {
        return Err(bad(
            "jet",
            "a PRIVATE_JET item is priced from its jet itinerary",
        ));
    };
    if item.category != crate::Category::PrivateJet {
        return Err(bad(
            "category",
            "a jet itinerary belongs to a PRIVATE_JET item",
        ));
    }
    if item.unit_price.is_some() || item.fare.is_some() || item.quantity.is_some() {
        return Err(bad(
            "jet",
            "a charter is priced from its itinerary: give no unit_price, fare or quantity",
        ));
    }
    if item.country.is_some() || item.start_date.is_some() {
        return Err(bad(
            "jet",
            "a charter's countries and dates come from its legs: give no country or start_date",
        ));
    }
    crate::jet::charter::price(
        item,
        jet,
        i,
        &crate::jet::charter::CharterContext {
            currency: ctx.currency,
            mode: ctx.mode,
            now: ctx.now,
            rules: ctx.charter,
            convert: ctx.convert,
        },
    )
}

fn price_fare(
    lines: &mut Vec<ItemLine>,
    item: &Item,
    fare: &Fare,
    ctx: &ItemContext,
    i: usize,
) -> Result<(), Error> {
    let (currency, mode) = (ctx.currency, ctx.mode);
    let f = || format!("items[{i}].fare");
    let (p, ids) = resolve_passengers(item, fare, i, ctx.now)?;
    for ptc in PassengerType::ALL {
        let count = p.count(ptc);
        if count > 0 {
            check_quantity(
                || format!("{}.passengers.{}", f(), ptc.code()),
                count,
                limits::MAX_PASSENGERS_PER_TYPE,
            )?;
        }
    }
    let seated: u32 = PassengerType::ALL
        .iter()
        .filter(|t| t.is_seated())
        .map(|t| p.count(*t))
        .sum();
    let holders: u32 = PassengerType::ALL
        .iter()
        .filter(|t| t.can_hold_infant())
        .map(|t| p.count(*t))
        .sum();
    if seated == 0 {
        return Err(Error::InvalidPassengers {
            field: format!("{}.passengers", f()),
            reason: "a fare needs at least one seated passenger".into(),
        });
    }
    if seated > ctx.max_seated_passengers {
        return Err(Error::InvalidPassengers {
            field: format!("{}.passengers", f()),
            reason: format!(
                "{seated} seated passengers, more than the {} one booking may hold (a group booking needs the rulebook's max_seated_passengers)",
                ctx.max_seated_passengers
            ),
        });
    }
    if p.inf > holders {
        return Err(Error::InvalidPassengers {
            field: format!("{}.passengers.INF", f()),
            reason: format!(
                "{} lap infants need as many adults (ADT, STU, SRC); there are {holders}",
                p.inf
            ),
        });
    }
    let fare_level = check_components(item, fare, currency, i)?;
    for ptc in PassengerType::ALL {
        let count = p.count(ptc);
        if count == 0 {
            continue;
        }
        let mut components = Vec::with_capacity(fare.components.len());
        let unit = match &fare_level {
            Some(prices) => {
                let unit = unit_fare(prices, ptc, currency, mode, &f)?;
                let field = || format!("{}.{}.amount", f(), ptc.code().to_lowercase());
                check_money(field, &Money::new(unit, currency))?;
                unit
            }
            None => {
                let mut sum = Decimal::ZERO;
                for (k, c) in fare.components.iter().enumerate() {
                    let cf = || format!("{}.components[{k}]", f());
                    let amount = unit_fare(&PtcPrices::of_component(c), ptc, currency, mode, &cf)?;
                    let field = || format!("{}.{}.amount", cf(), ptc.code().to_lowercase());
                    check_money(field, &Money::new(amount, currency))?;
                    sum = sum.checked_add(amount).ok_or(CoreError::Overflow {
                        operation: "fare components",
                    })?;
                    components.push(crate::quote::ComponentAmount {
                        fare_basis: c.fare_basis.clone(),
                        segments: c.segments.clone(),
                        amount: Money::new(amount, currency).at_currency_scale().amount,
                    });
                }
                sum
            }
        };
        let id = format!("{}/{}", item.id, ptc.code());
        let mut l = line(i, item, Some(ptc), id, count, unit, currency)?;
        l.fare_components = components;
        l.passenger_ids = ids
            .iter()
            .filter(|(t, _)| *t == ptc)
            .map(|(_, id)| id.clone())
            .collect();
        lines.push(l);
    }
    Ok(())
}

/// The fare-level amounts, or `None` when the fare is priced by components, which are
/// then checked: each covers existing segments, every segment is in exactly one, and the
/// ADT amounts are non-negative whole minor units.
fn check_components<'a>(
    item: &Item,
    fare: &'a Fare,
    currency: Currency,
    i: usize,
) -> Result<Option<PtcPrices<'a>>, Error> {
    let bad = |field: String, reason: &str| Error::InvalidRequest {
        field,
        reason: reason.to_owned(),
    };
    if fare.components.is_empty() {
        let prices = PtcPrices::of_fare(fare).ok_or_else(|| {
            bad(
                format!("items[{i}].fare.adt"),
                "a fare needs its adt amount or components",
            )
        })?;
        check_money(
            || format!("items[{i}].fare.adt"),
            &Money::new(prices.adt, currency),
        )?;
        return Ok(Some(prices));
    }
    let fare_level = [&fare.chd, &fare.inf, &fare.yth, &fare.stu, &fare.src];
    if fare.adt.is_some() || fare_level.iter().any(|x| x.is_some()) {
        return Err(bad(
            format!("items[{i}].fare.components"),
            "give the fare-level amounts or components, not both",
        ));
    }
    if fare.components.len() > limits::MAX_SEGMENTS {
        return Err(Error::LimitExceeded {
            field: format!("items[{i}].fare.components"),
            limit: limits::MAX_SEGMENTS,
            actual: fare.components.len(),
        });
    }
    let mut covered = vec![0u32; item.segments.len()];
    for (k, c) in fare.components.iter().enumerate() {
        let cf = |name: &str| format!("items[{i}].fare.components[{k}].{name}");
        if c.fare_basis.chars().count() > 16 {
            return Err(bad(
                cf("fare_basis"),
                "a fare basis has at most 16 characters",
            ));
        }
        check_money(|| cf("adt"), &Money::new(c.adt, currency))?;
        if c.segments.is_empty() {
            return Err(bad(
                cf("segments"),
                "a component covers at least one segment",
            ));
        }
        for s in &c.segments {
            match covered.get_mut(*s) {
                Some(n) => *n = n.saturating_add(1),
                None => {
                    return Err(bad(
                        cf("segments"),
                        &format!(
                            "segment {s} does not exist ({} segments)",
                            item.segments.len()
                        ),
                    ))
                }
            }
        }
    }
    if let Some(s) = covered.iter().position(|n| *n != 1) {
        return Err(bad(
            format!("items[{i}].fare.components"),
            &format!("segment {s} must be in exactly one component"),
        ));
    }
    Ok(None)
}

/// The passenger counts of a fare item, from the fare's counts or from the item's
/// passenger list (declared types, or types from dates of birth at the segments' dates),
/// with the list's ids by type.
fn resolve_passengers(
    item: &Item,
    fare: &Fare,
    i: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Passengers, Vec<(PassengerType, String)>), Error> {
    if item.passengers.is_empty() {
        return Ok((fare.passengers, Vec::new()));
    }
    let bad = |field: String, reason: String| Error::InvalidRequest { field, reason };
    if !fare.passengers.is_empty() {
        return Err(bad(
            format!("items[{i}].fare.passengers"),
            "give the passengers' counts or the item's passenger list, not both".into(),
        ));
    }
    if item.passengers.len() > limits::MAX_PASSENGERS_PER_TYPE as usize {
        return Err(Error::LimitExceeded {
            field: format!("items[{i}].passengers"),
            limit: limits::MAX_PASSENGERS_PER_TYPE as usize,
            actual: item.passengers.len(),
        });
    }
    let departures: Vec<_> = item.segments.iter().map(|s| s.departure).collect();
    let dates = crate::fare_rule::TravelDates::from_segments(now, &departures, None).ok();
    let mut counts = Passengers::default();
    let mut ids = Vec::with_capacity(item.passengers.len());
    for (k, px) in item.passengers.iter().enumerate() {
        check_id(
            || format!("items[{i}].passengers[{k}].id"),
            &px.id,
            Doc::Request,
        )?;
        if ids.iter().any(|(_, id)| id == &px.id) {
            return Err(Error::DuplicateId {
                field: format!("items[{i}].passengers[{k}].id"),
                id: px.id.clone(),
            });
        }
        let ptc = match (px.ptc, px.birth_date, &dates) {
            (Some(t), _, _) => t,
            (None, Some(birth), Some(d)) => {
                let last = d.departures.iter().max().copied().unwrap_or(d.outbound);
                type_from_birth(birth, d.outbound, last).ok_or_else(|| {
                    Error::InvalidPassengers {
                        field: format!("items[{i}].passengers[{k}].birth_date"),
                        reason: format!("born {birth}, after the first day of travel {}", d.outbound),
                    }
                })?
            }
            (None, Some(_), None) => {
                return Err(bad(
                    format!("items[{i}].segments"),
                    "a passenger's type follows from the date of birth at the segments' dates; give the segments or the type".into(),
                ))
            }
            (None, None, _) => {
                return Err(bad(
                    format!("items[{i}].passengers[{k}]"),
                    "give the passenger's type or date of birth".into(),
                ))
            }
        };
        counts.add(ptc);
        ids.push((ptc, px.id.clone()));
    }
    Ok((counts, ids))
}

/// Validates a fare's rules and checks them against the item's segments and `now`.
fn check_fare_rules(
    item: &Item,
    fare: &Fare,
    i: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    use crate::fare_rule::{check, validate, TravelDates};
    let Some(rules) = &fare.rules else {
        return Ok(());
    };
    let field = |inner: &str| format!("items[{i}].fare.rules.{inner}");
    validate(rules).map_err(|e| Error::InvalidRequest {
        field: field(e.field()),
        reason: e.reason().to_owned(),
    })?;
    let departures: Vec<_> = item.segments.iter().map(|s| s.departure).collect();
    let inbound = item
        .segments
        .iter()
        .position(|s| s.direction == crate::request::Direction::Inbound);
    let dates = TravelDates::from_segments(now, &departures, inbound).map_err(|e| {
        Error::InvalidRequest {
            field: format!("items[{i}].segments"),
            reason: format!("fare rules need the segments' dates: {}", e.reason()),
        }
    })?;
    check(rules, &dates, now).map_err(|failure| Error::FareRuleFailed {
        item_id: item.id.clone(),
        failure,
    })
}

fn code_ok(code: &str, len: usize) -> bool {
    code.len() == len && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Segments (fare items only, at most [`limits::MAX_SEGMENTS`], outbound before inbound,
/// IATA airport and ISO country codes) and a non-flight item's country.
fn check_places(item: &Item, i: usize) -> Result<(), Error> {
    let bad = |field: String, reason: String| Err(Error::InvalidRequest { field, reason });
    if let Some(c) = &item.country {
        if !code_ok(c, 2) {
            return bad(
                format!("items[{i}].country"),
                format!("{c:?} is not an ISO 3166-1 alpha-2 code"),
            );
        }
    }
    if item.segments.is_empty() {
        return Ok(());
    }
    if item.fare.is_none() {
        return bad(
            format!("items[{i}].segments"),
            "segments belong to a fare item".into(),
        );
    }
    if item.segments.len() > limits::MAX_SEGMENTS {
        return Err(Error::LimitExceeded {
            field: format!("items[{i}].segments"),
            limit: limits::MAX_SEGMENTS,
            actual: item.segments.len(),
        });
    }
    let mut inbound_seen = false;
    for (k, s) in item.segments.iter().enumerate() {
        let f = |name: &str| format!("items[{i}].segments[{k}].{name}");
        for (name, code, len) in [
            ("origin", &s.origin, 3),
            ("destination", &s.destination, 3),
            ("origin_country", &s.origin_country, 2),
            ("destination_country", &s.destination_country, 2),
        ] {
            if !code_ok(code, len) {
                return bad(
                    f(name),
                    format!("{code:?} is not a {len}-letter upper-case code"),
                );
            }
        }
        for (name, text) in [
            ("carrier", &s.carrier),
            ("flight_number", &s.flight_number),
            ("cabin", &s.cabin),
        ] {
            if text.chars().count() > 8 {
                return bad(
                    f(name),
                    format!("{} characters, more than 8", text.chars().count()),
                );
            }
        }
        match s.direction {
            crate::request::Direction::Inbound => inbound_seen = true,
            crate::request::Direction::Outbound if inbound_seen => {
                return bad(
                    f("direction"),
                    "outbound segments come before inbound ones".into(),
                )
            }
            crate::request::Direction::Outbound => {}
        }
    }
    Ok(())
}

/// Item ids are unique, and so are line ids (an item `F/ADT` would collide with the ADT
/// line of a fare item `F`). Sorting beats hashing for the ≤ 200 items a request holds.
fn check_unique_ids(items: &[Item], lines: &[ItemLine]) -> Result<(), Error> {
    let mut ids: Vec<(&str, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), i))
        .collect();
    ids.sort_unstable();
    if let Some(w) = ids
        .windows(2)
        .find(|w| w.first().map(|a| a.0) == w.get(1).map(|b| b.0))
    {
        let second = w.iter().map(|x| x.1).max().unwrap_or(0);
        return Err(Error::DuplicateId {
            field: format!("items[{second}].id"),
            id: w.first().map(|x| x.0.to_owned()).unwrap_or_default(),
        });
    }
    let mut line_ids: Vec<&str> = lines.iter().map(|l| l.id.as_str()).collect();
    line_ids.sort_unstable();
    if let Some(w) = line_ids.windows(2).find(|w| w.first() == w.get(1)) {
        return Err(Error::DuplicateId {
            field: "items".into(),
            id: w.first().map(|x| (*x).to_owned()).unwrap_or_default(),
        });
    }
    Ok(())
}

fn check_quantity(field: impl FnOnce() -> String, quantity: u32, max: u32) -> Result<(), Error> {
    if quantity == 0 || quantity > max {
        return Err(Error::InvalidRequest {
            field: field(),
            reason: format!("{quantity} is outside 1..={max}"),
        });
    }
    Ok(())
}

pub(crate) fn line(
    item_index: usize,
    item: &Item,
    passenger_type: Option<PassengerType>,
    id: String,
    quantity: u32,
    unit_price: Decimal,
    currency: Currency,
) -> Result<ItemLine, Error> {
    let mut unit_price = unit_price;
    unit_price.rescale(currency.exponent());
    let gross = unit_price
        .checked_mul(Decimal::from(quantity))
        .ok_or(CoreError::Overflow {
            operation: "unit_price × quantity",
        })?;
    // A price within the maximum times a count may leave it: name the count.
    let field = || match passenger_type {
        Some(ptc) => format!("items[{item_index}].fare.passengers.{}", ptc.code()),
        None => format!("items[{item_index}].quantity"),
    };
    let mut gross = rihla_core::money::within_max(field, gross)?;
    gross.rescale(currency.exponent());
    let zero = Money::zero(currency).amount;
    Ok(ItemLine {
        id,
        item_id: item.id.clone(),
        category: item.category,
        passenger_type,
        description: item.description.clone(),
        quantity,
        unit_price,
        gross,
        discount: zero,
        voucher_discount: zero,
        net: gross,
        tax: zero,
        surcharge: zero,
        tax_included: zero,
        total: gross,
        passengers: Vec::new(),
        passenger_ids: Vec::new(),
        fare_components: Vec::new(),
        charter_fee: None,
        percent_tax_exempt: false,
        journey: None,
        item_index,
    })
}
