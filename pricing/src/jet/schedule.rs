//! The flown schedule of a charter: the customer's legs with the engine-added
//! repositioning legs, each with its distance, block time, billable hours and times.

use super::aircraft::Aircraft;
use super::block_time::{block_hours, BlockTime};
use super::geo::{great_circle_km, validate_position};
use super::itinerary::{Billing, Itinerary};
use super::rules::is_country;
use super::JetError;
use crate::error::Doc;
use crate::rulebook::check_len;
use crate::{limits, Error};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use rihla_core::Decimal;
use serde::Serialize;

/// What a flown leg is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LegKind {
    /// A customer leg at the hourly rate.
    Occupied,
    /// A customer leg sold as an empty leg.
    Empty,
    /// An engine-added ferry leg at the repositioning rate, no passengers.
    Repositioning,
}

/// An airport as the schedule uses it: code as the request gave it (upper case; the IATA
/// code when the table has one), position and country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub code: String,
    pub lat: Decimal,
    pub lon: Decimal,
    pub country: String,
}

impl Place {
    fn same_airport(&self, other: &Place) -> bool {
        self.lat == other.lat && self.lon == other.lon
    }
}

/// One leg the aircraft flies for the charter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlownLeg {
    /// OCCUPIED, EMPTY or REPOSITIONING.
    pub kind: LegKind,
    /// Index of the customer leg in the request (absent for repositioning legs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leg: Option<usize>,
    /// Departure airport code.
    pub from: String,
    /// Arrival airport code.
    pub to: String,
    /// ISO 3166-1 alpha-2 country of `from`.
    pub from_country: String,
    /// ISO 3166-1 alpha-2 country of `to`.
    pub to_country: String,
    /// Departure, local time. An engine-added leg takes the UTC offset of the customer
    /// leg it serves (the one it positions for, or the one it returns from).
    #[serde(serialize_with = "rihla_core::time::fixed::serialize")]
    pub departure: DateTime<FixedOffset>,
    /// Arrival: the schedule's `arrival`, or departure + exact block time (whole seconds,
    /// rounded up).
    #[serde(serialize_with = "rihla_core::time::fixed::serialize")]
    pub arrival: DateTime<FixedOffset>,
    /// The local calendar day of the departure (daily minimums, weekend and holiday
    /// surcharges).
    #[serde(serialize_with = "rihla_core::time::date::serialize")]
    pub local_date: NaiveDate,
    /// Passengers on board.
    pub passengers: u32,
    /// Great-circle distance, km (0.1 km).
    #[serde(with = "rihla_core::decimal_string")]
    pub distance_km: Decimal,
    /// The computed block time (absent when the operator gave `block_hours`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_time: Option<BlockTime>,
    /// Block time billed, hours in tenths (computed and rounded up, or the operator's).
    #[serde(with = "rihla_core::decimal_string")]
    pub billed_hours: Decimal,
    /// `billed_hours` raised to the aircraft's per-leg minimum.
    #[serde(with = "rihla_core::decimal_string")]
    pub billable_hours: Decimal,
}

impl FlownLeg {
    /// Whether the leg crosses a border.
    pub fn is_international(&self) -> bool {
        self.from_country != self.to_country
    }
}

fn invalid(field: String, reason: impl Into<String>) -> Error {
    Error::InvalidRequest {
        field,
        reason: reason.into(),
    }
}

fn tenths(field: &str, v: Decimal, min: Decimal, max: Decimal) -> Result<(), Error> {
    if v < min || v > max || v.round_dp(1) != v {
        return Err(invalid(
            field.into(),
            format!("{v} hours: expected {min}..={max} in tenths of an hour"),
        ));
    }
    Ok(())
}

/// Checks the aircraft's figures.
fn check_aircraft(a: &Aircraft, f: &str) -> Result<(), Error> {
    use crate::rulebook::{check_id, check_money, check_percent};
    check_id(|| super::at(f, "aircraft.id"), &a.id, Doc::Request)?;
    check_money(|| super::at(f, "aircraft.hourly_rate"), &a.hourly_rate)?;
    if let Some(r) = &a.repositioning_rate {
        check_money(|| super::at(f, "aircraft.repositioning_rate"), r)?;
        if r.currency == a.hourly_rate.currency && r.amount > a.hourly_rate.amount {
            return Err(invalid(
                super::at(f, "aircraft.repositioning_rate"),
                format!(
                    "{} is above the hourly rate {}",
                    r.amount, a.hourly_rate.amount
                ),
            ));
        }
        if r.currency != a.hourly_rate.currency {
            return Err(invalid(
                super::at(f, "aircraft.repositioning_rate"),
                format!(
                    "currency {} differs from the hourly rate's {}",
                    r.currency, a.hourly_rate.currency
                ),
            ));
        }
    }
    if let Some(c) = &a.incremental_cost_per_hour {
        check_money(|| super::at(f, "aircraft.incremental_cost_per_hour"), c)?;
    }
    let day = Decimal::from(24);
    if let Some(m) = a.min_hours_per_leg {
        tenths(
            &super::at(f, "aircraft.min_hours_per_leg"),
            m,
            Decimal::ZERO,
            day,
        )?;
    }
    tenths(
        &super::at(f, "aircraft.daily_min_hours"),
        a.daily_min_hours(),
        Decimal::ZERO,
        day,
    )?;
    if a.seats() == 0 || a.seats() > 500 {
        return Err(invalid(
            super::at(f, "aircraft.seats"),
            format!("{} seats: expected 1..=500", a.seats()),
        ));
    }
    if a.crew() > 50 {
        return Err(invalid(
            super::at(f, "aircraft.crew"),
            format!("{} crew: expected 0..=50", a.crew()),
        ));
    }
    if let Some(r) = a.range_km {
        if r <= Decimal::ZERO || r > super::geo::MAX_DISTANCE_KM {
            return Err(invalid(
                super::at(f, "aircraft.range_km"),
                format!("{r} km: expected more than 0 and at most half the Earth's circumference"),
            ));
        }
    }
    if let Some(p) = a.commission_percent {
        check_percent(|| super::at(f, "aircraft.commission_percent"), p)?;
    }
    Ok(())
}

/// Resolves airport codes: the host's `airports` first, then the embedded table.
pub(crate) struct Places<'a> {
    it: &'a Itinerary,
}

impl<'a> Places<'a> {
    pub(crate) fn new(it: &'a Itinerary, f: &str) -> Result<Self, Error> {
        check_len(
            &super::at(f, "airports"),
            it.airports.len(),
            limits::MAX_CHARTER_AIRPORTS,
        )?;
        for (i, a) in it.airports.iter().enumerate() {
            let n = a.code.chars().count();
            if !(3..=8).contains(&n) || !a.code.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(invalid(
                    super::at(f, &format!("airports[{i}].code")),
                    "expected 3 to 8 letters or digits",
                ));
            }
            if !is_country(&a.country) {
                return Err(invalid(
                    super::at(f, &format!("airports[{i}].country")),
                    "expected an ISO 3166-1 alpha-2 country in upper case",
                ));
            }
            validate_position((a.lat, a.lon))?;
        }
        Ok(Places { it })
    }

    pub(crate) fn get(&self, code: &str) -> Result<Place, Error> {
        if let Some(a) = self
            .it
            .airports
            .iter()
            .find(|a| a.code.eq_ignore_ascii_case(code))
        {
            return Ok(Place {
                code: a.code.to_ascii_uppercase(),
                lat: a.lat,
                lon: a.lon,
                country: a.country.clone(),
            });
        }
        let a = super::lookup(code)?;
        Ok(Place {
            code: a.iata.clone().unwrap_or_else(|| a.icao.clone()),
            lat: a.lat,
            lon: a.lon,
            country: a.country.clone(),
        })
    }
}

fn hours_duration(hours: Decimal) -> Result<Duration, Error> {
    use rust_decimal::prelude::ToPrimitive;
    let secs = hours
        .checked_mul(Decimal::from(3600))
        .map(|s| s.ceil())
        .and_then(|s| s.to_i64())
        .ok_or(JetError::Overflow {
            operation: "block time",
        })?;
    Ok(Duration::seconds(secs))
}

/// `t + d`, within year 9999 (see [`crate::instant`]).
fn shift(t: DateTime<FixedOffset>, d: Duration) -> Result<DateTime<FixedOffset>, Error> {
    let shifted = t.checked_add_signed(d).ok_or(JetError::Overflow {
        operation: "leg times",
    })?;
    crate::instant::within_rfc3339(|| "jet.legs".into(), shifted)
}

/// Builds the flown schedule of `it` (customer legs and repositioning legs, in order).
///
/// # Errors
/// `INVALID_REQUEST` (no legs, a passenger count of 0, block hours not in tenths …),
/// `LIMIT_EXCEEDED`, `TOO_MANY_PASSENGERS`, `BEYOND_RANGE`, `OVERLAPPING_LEGS`,
/// `INVALID_INTERVAL` (an arrival not after its departure), `UNKNOWN_AIRPORT`,
/// `AIRPORT_TABLE_UNAVAILABLE`, `INVALID_COORDINATES`, `INVALID_SPEED`,
/// `PARAMETER_OUT_OF_RANGE`.
pub fn schedule(it: &Itinerary, turnaround_minutes: u32, f: &str) -> Result<Vec<FlownLeg>, Error> {
    check_len(
        &super::at(f, "legs"),
        it.legs.len(),
        limits::MAX_CHARTER_LEGS,
    )?;
    if it.legs.is_empty() {
        return Err(invalid(
            super::at(f, "legs"),
            "a charter needs at least one leg",
        ));
    }
    let a = &it.aircraft;
    check_aircraft(a, f)?;
    let places = Places::new(it, f)?;
    let turnaround = Duration::minutes(i64::from(turnaround_minutes));
    let base = places.get(&a.home_base)?;
    let mut at = places.get(a.position())?;
    let mut out: Vec<FlownLeg> = Vec::with_capacity(it.legs.len().saturating_add(2));

    for (i, leg) in it.legs.iter().enumerate() {
        let lf = super::at(f, &format!("legs[{i}]"));
        if leg.passengers == 0 {
            return Err(invalid(
                format!("{lf}.passengers"),
                "a customer leg carries at least one passenger",
            ));
        }
        if leg.passengers > a.seats() {
            return Err(JetError::TooManyPassengers {
                field: format!("{lf}.passengers"),
                leg: i,
                passengers: leg.passengers,
                seats: a.seats(),
            }
            .into());
        }
        check_block_hours(&lf, leg.block_hours)?;
        if let Some(ferry) = &leg.ferry {
            check_block_hours(&format!("{lf}.ferry"), ferry.block_hours)?;
        }
        if let Some(arr) = leg.arrival {
            if arr <= leg.departure {
                return Err(JetError::InvalidInterval {
                    field: format!("{lf}.arrival"),
                    start: leg.departure.with_timezone(&Utc),
                    end: arr.with_timezone(&Utc),
                }
                .into());
            }
        }
        let from = places.get(&leg.from)?;
        let to = places.get(&leg.to)?;
        let offset = *leg.departure.offset();
        let ready_at = out
            .last()
            .map(|p| shift(p.arrival, turnaround))
            .transpose()?;
        let reposition =
            !from.same_airport(&at) && !leg.empty && (i > 0 || it.positioning == Billing::Billed);
        if reposition {
            let ferry = leg.ferry.clone().unwrap_or_default();
            let mut r = flown(
                a,
                LegKind::Repositioning,
                None,
                &at,
                &from,
                ferry.wind_component_kt.unwrap_or_default(),
                ferry.block_hours,
                0,
            )?;
            let dur = hours_duration(r.block_exact())?;
            let (dep, arr) = match ready_at {
                // Between two legs: leave as soon as the aircraft is ready.
                Some(ready) => {
                    let dep = ready.with_timezone(&offset);
                    (dep, shift(dep, dur)?)
                }
                // Before the first leg: arrive one turnaround before its departure.
                None => {
                    let arr = shift(
                        leg.departure,
                        Duration::zero()
                            .checked_sub(&turnaround)
                            .unwrap_or_default(),
                    )?;
                    (
                        shift(arr, Duration::zero().checked_sub(&dur).unwrap_or_default())?,
                        arr,
                    )
                }
            };
            r.set_times(dep, arr);
            check_range(a, &r, i, &lf)?;
            out.push(r);
        }
        let earliest = out
            .last()
            .map(|p| shift(p.arrival, turnaround))
            .transpose()?;
        if let Some(earliest) = earliest {
            if leg.departure < earliest {
                return Err(JetError::OverlappingLegs {
                    field: format!("{lf}.departure"),
                    leg: i,
                    departure: leg.departure.with_timezone(&Utc),
                    earliest: earliest.with_timezone(&Utc),
                }
                .into());
            }
        }
        let kind = if leg.empty {
            LegKind::Empty
        } else {
            LegKind::Occupied
        };
        let mut l = flown(
            a,
            kind,
            Some(i),
            &from,
            &to,
            leg.wind_component_kt.unwrap_or_default(),
            leg.block_hours,
            leg.passengers,
        )?;
        let arr = match leg.arrival {
            Some(arr) => arr,
            None => shift(leg.departure, hours_duration(l.block_exact())?)?,
        };
        l.set_times(leg.departure, arr);
        check_range(a, &l, i, &lf)?;
        out.push(l);
        at = to;
    }
    let ferry = it.return_ferry_leg.clone().unwrap_or_default();
    check_block_hours(&super::at(f, "return_ferry_leg"), ferry.block_hours)?;
    let last_empty = it.legs.last().is_some_and(|l| l.empty);
    if !at.same_airport(&base) && it.return_ferry == Billing::Billed && !last_empty {
        if let Some(last) = out.last() {
            let (prev_arrival, offset) = (last.arrival, *last.departure.offset());
            let mut r = flown(
                a,
                LegKind::Repositioning,
                None,
                &at,
                &base,
                ferry.wind_component_kt.unwrap_or_default(),
                ferry.block_hours,
                0,
            )?;
            let dep = shift(prev_arrival, turnaround)?.with_timezone(&offset);
            r.set_times(dep, shift(dep, hours_duration(r.block_exact())?)?);
            let last = it.legs.len().saturating_sub(1);
            check_range(a, &r, last, &super::at(f, &format!("legs[{last}]")))?;
            out.push(r);
        }
    }
    Ok(out)
}

/// The operator's block time of a leg or a ferry at `field`: tenths of an hour, 0.1–24.0.
fn check_block_hours(field: &str, hours: Option<Decimal>) -> Result<(), Error> {
    match hours {
        Some(h) => tenths(
            &format!("{field}.block_hours"),
            h,
            Decimal::new(1, 1),
            Decimal::from(24),
        ),
        None => Ok(()),
    }
}

fn check_range(a: &Aircraft, l: &FlownLeg, leg: usize, field: &str) -> Result<(), Error> {
    match a.range_km {
        Some(range) if l.distance_km > range => Err(JetError::BeyondRange {
            field: field.to_owned(),
            leg,
            from: l.from.clone(),
            to: l.to.clone(),
            distance_km: l.distance_km,
            range_km: range,
        }
        .into()),
        _ => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn flown(
    a: &Aircraft,
    kind: LegKind,
    leg: Option<usize>,
    from: &Place,
    to: &Place,
    wind: Decimal,
    given_hours: Option<Decimal>,
    passengers: u32,
) -> Result<FlownLeg, Error> {
    let distance_km = great_circle_km((from.lat, from.lon), (to.lat, to.lon))?;
    let (block_time, billed_hours) = match given_hours {
        Some(h) => (None, h.round_dp(1)),
        None => {
            let b = block_hours(distance_km, &a.block_params(wind))?;
            (Some(b), b.billed_hours)
        }
    };
    let mut billable_hours = billed_hours.max(a.min_hours_per_leg.unwrap_or_default());
    billable_hours.rescale(1);
    let epoch = DateTime::<FixedOffset>::default();
    Ok(FlownLeg {
        kind,
        leg,
        from: from.code.clone(),
        to: to.code.clone(),
        from_country: from.country.clone(),
        to_country: to.country.clone(),
        departure: epoch,
        arrival: epoch,
        local_date: epoch.date_naive(),
        passengers,
        distance_km,
        block_time,
        billed_hours,
        billable_hours,
    })
}

impl FlownLeg {
    /// The exact block time (the operator's hours when given).
    fn block_exact(&self) -> Decimal {
        self.block_time
            .map_or(self.billed_hours, |b| b.block_hours_exact)
    }

    fn set_times(&mut self, departure: DateTime<FixedOffset>, arrival: DateTime<FixedOffset>) {
        self.departure = departure;
        self.arrival = arrival;
        self.local_date = departure.date_naive();
    }
}
