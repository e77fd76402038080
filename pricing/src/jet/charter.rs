//! Charter pricing (docs/pricing.md): the platform's formula
//! `total = base_rate × hours × multipliers + surcharges − discounts`, then
//! `commission = total × commission_rate` and
//! `owner_earnings = total − commission − platform_fee`.
//!
//! Order and rounding (pinned by the conformance vectors):
//!
//! 1. The flown schedule ([`super::schedule()`]): billable hours per leg (block time in
//!    tenths rounded up, raised to the per-leg minimum).
//! 2. Daily minimums: the billable hours of the occupied and repositioning legs of each
//!    local calendar day (of the departure airport) are raised to the aircraft's daily
//!    minimum; the top-up is billed at the hourly rate.
//! 3. Flight charge: `rate × billable hours × demand multiplier` per leg and per top-up,
//!    summed exactly, rounded once to the minor unit and split back over the legs and
//!    top-ups by largest remainder (so adding hours never lowers the charge).
//! 4. Surcharges: each percentage surcharge on the exact flight charge of the legs it
//!    touches and of the daily top-ups of the days it touches (as the day's first leg),
//!    rounded once and split back; an amount surcharge per leg touched. Empty legs are
//!    never surcharged.
//! 5. Empty legs: each at its retail flight charge less the empty-leg discount (rounded
//!    per leg), never below its floor `incremental_cost_per_hour × billable hours`.
//! 6. Fees, each `amount × count` of its basis (per billable hour: rounded).
//!
//! Taxes, offers and vouchers then apply to the charter's quote lines in the quote
//! pipeline; the commission split is computed last, on the total before tax
//! (`Charter::commission`, `platform_fee`, `owner_earnings`).

use super::aircraft::AircraftCategory;
use super::availability::{conflicts, Conflict};
use super::fee::{FeeBasis, FeeKind};
use super::itinerary::Itinerary;
use super::rules::{CharterRules, SurchargeKind};
use super::schedule::{schedule, FlownLeg, LegKind, Places};
use crate::quote::ItemLine;
use crate::request::Item;
use crate::rulebook::{check_len, check_money, check_range};
use crate::{limits, Error};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rihla_core::{allocate, CoreError, Currency, Decimal, Money, RoundingMode};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What charter pricing needs from the quote.
pub(crate) struct CharterContext<'a> {
    pub currency: Currency,
    pub mode: RoundingMode,
    pub now: DateTime<Utc>,
    pub rules: &'a CharterRules,
    /// Converts an amount of another currency into the quote's (rounded to its minor unit).
    pub convert: &'a dyn Fn(Money) -> Result<Decimal, Error>,
}

/// One flown leg with its charges, in the quote's currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegCharge {
    /// The leg as flown.
    #[serde(flatten)]
    pub flown: FlownLeg,
    /// The hourly rate applied (repositioning rate for ferry legs).
    #[serde(with = "rihla_core::decimal_string")]
    pub rate: Decimal,
    /// `rate × billable_hours × demand multiplier`, to the minor unit.
    #[serde(with = "rihla_core::decimal_string")]
    pub flight_charge: Decimal,
    /// Surcharges on the leg.
    #[serde(with = "rihla_core::decimal_string")]
    pub surcharge: Decimal,
    /// Empty-leg discount on the leg.
    #[serde(with = "rihla_core::decimal_string")]
    pub empty_leg_discount: Decimal,
    /// `flight_charge + surcharge − empty_leg_discount`.
    #[serde(with = "rihla_core::decimal_string")]
    pub charge: Decimal,
}

/// The daily minimum of one local calendar day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyMinimum {
    /// The local date.
    #[serde(serialize_with = "rihla_core::time::date::serialize")]
    pub date: NaiveDate,
    /// Billable hours of the day's occupied and repositioning legs.
    #[serde(with = "rihla_core::decimal_string")]
    pub hours: Decimal,
    /// The aircraft's daily minimum.
    #[serde(with = "rihla_core::decimal_string")]
    pub minimum_hours: Decimal,
    /// Hours added to reach it (0 when the day flew enough).
    #[serde(with = "rihla_core::decimal_string")]
    pub top_up_hours: Decimal,
    /// The top-up's charge at the hourly rate.
    #[serde(with = "rihla_core::decimal_string")]
    pub charge: Decimal,
    /// Percentage surcharges of the day on the top-up (weekend, peak, holiday, last
    /// minute: as the day's first leg is touched).
    #[serde(with = "rihla_core::decimal_string")]
    pub surcharge: Decimal,
}

/// One surcharge as applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurchargeCharge {
    /// The rule's id.
    pub id: String,
    /// Its kind.
    pub kind: SurchargeKind,
    /// Its name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The percentage, for a percentage surcharge.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub percent: Option<Decimal>,
    /// The amount per leg in the quote's currency, for an amount surcharge.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_amount: Option<Decimal>,
    /// Indexes (in `legs`) of the flown legs it touched.
    pub legs: Vec<usize>,
    /// The days whose daily-minimum top-up it touched.
    #[serde(serialize_with = "rihla_core::time::date::vec::serialize")]
    pub days: Vec<NaiveDate>,
    /// What it added.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
}

/// One fee as applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeeCharge {
    /// The fee's id; its quote line is `ITEM/ID`.
    pub id: String,
    /// What it is for.
    pub kind: FeeKind,
    /// Its basis.
    pub basis: FeeBasis,
    /// How many units of the basis (hours for PER_BILLABLE_HOUR and PER_FLOWN_HOUR).
    #[serde(with = "rihla_core::decimal_string")]
    pub count: Decimal,
    /// The amount per unit, in the quote's currency.
    #[serde(with = "rihla_core::decimal_string")]
    pub unit_amount: Decimal,
    /// `unit_amount × count`, to the minor unit.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
    /// Whether percentage taxes apply to it.
    pub taxable: bool,
}

/// A priced charter: the per-leg breakdown, the commission split, the conflicts.
/// Every amount is in the quote's currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Charter {
    /// The PRIVATE_JET item.
    pub item_id: String,
    /// The aircraft's id.
    pub aircraft_id: String,
    /// The aircraft's category.
    pub category: AircraftCategory,
    /// Every flown leg, in order.
    pub legs: Vec<LegCharge>,
    /// The daily minimum of each local day with occupied or repositioning legs.
    pub daily_minimums: Vec<DailyMinimum>,
    /// Σ block hours billed of the flown legs.
    #[serde(with = "rihla_core::decimal_string")]
    pub flown_hours: Decimal,
    /// Σ billable hours (per-leg minimums and daily top-ups included); never below
    /// `flown_hours`.
    #[serde(with = "rihla_core::decimal_string")]
    pub billable_hours: Decimal,
    /// The demand multiplier applied.
    #[serde(with = "rihla_core::decimal_string")]
    pub demand_multiplier: Decimal,
    /// Σ flight charges of the legs and daily top-ups.
    #[serde(with = "rihla_core::decimal_string")]
    pub flight_charge: Decimal,
    /// The surcharges that touched a leg.
    pub surcharges: Vec<SurchargeCharge>,
    /// Σ surcharges.
    #[serde(with = "rihla_core::decimal_string")]
    pub surcharge_amount: Decimal,
    /// Σ empty-leg discounts.
    #[serde(with = "rihla_core::decimal_string")]
    pub empty_leg_discount: Decimal,
    /// The fees, in request order.
    pub fees: Vec<FeeCharge>,
    /// Σ the operator's fees. They are item lines of the quote (in its `base_amount`),
    /// not the quote's service `fee_amount`.
    #[serde(with = "rihla_core::decimal_string")]
    pub operator_fees: Decimal,
    /// Crew nights away from base (per crew member).
    pub crew_nights: u32,
    /// `flight_charge + surcharge_amount − empty_leg_discount + operator_fees`.
    #[serde(with = "rihla_core::decimal_string")]
    pub subtotal: Decimal,
    /// Offer and voucher discounts allocated to the charter's lines.
    #[serde(with = "rihla_core::decimal_string")]
    pub discount: Decimal,
    /// `subtotal − discount`: the total before tax, the commission's base.
    #[serde(with = "rihla_core::decimal_string")]
    pub total: Decimal,
    /// Taxes on the charter's lines.
    #[serde(with = "rihla_core::decimal_string")]
    pub tax: Decimal,
    /// `total + tax`: what the customer pays for the charter.
    #[serde(with = "rihla_core::decimal_string")]
    pub total_with_tax: Decimal,
    /// The commission percentage (the aircraft's, else the rulebook's).
    #[serde(with = "rihla_core::decimal_string")]
    pub commission_percent: Decimal,
    /// The platform's commission.
    #[serde(with = "rihla_core::decimal_string")]
    pub commission: Decimal,
    /// The platform fee percentage.
    #[serde(with = "rihla_core::decimal_string")]
    pub platform_fee_percent: Decimal,
    /// The platform fee.
    #[serde(with = "rihla_core::decimal_string")]
    pub platform_fee: Decimal,
    /// `total − commission − platform_fee`, exactly.
    #[serde(with = "rihla_core::decimal_string")]
    pub owner_earnings: Decimal,
    /// Conflicts with the aircraft's calendar, when the itinerary gave one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

/// What the tax engine needs of a charter line: the customer legs (they decide
/// domestic/international and carry the passengers of per-passenger taxes) and whether
/// the line is the flight charge (per-passenger taxes charge it only).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TaxJourney {
    pub legs: Vec<TaxLeg>,
    pub flight: bool,
}

/// A customer leg as the tax engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TaxLeg {
    pub origin: String,
    pub destination: String,
    pub origin_country: String,
    pub destination_country: String,
    pub passengers: u32,
}

fn overflow() -> CoreError {
    CoreError::Overflow {
        operation: "charter",
    }
}

/// `a × b`, exact or refused (`OVERFLOW`): the charter's amounts are rounded once, at the
/// end, never silently on the way.
fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    Ok(rihla_core::exact::mul_exact(a, b, "charter")?)
}

/// `Π num ÷ Π den` formed exactly and rounded once to the minor unit.
fn round(num: &[Decimal], den: &[Decimal], ctx: &CharterContext<'_>) -> Result<Decimal, Error> {
    Ok(rihla_core::exact::round_ratio_to_minor(
        num,
        den,
        ctx.currency,
        ctx.mode,
        "charter",
    )?)
}

/// `percent %` of `a`, exact or refused.
fn percent(a: Decimal, percent: Decimal) -> Result<Decimal, Error> {
    mul(mul(a, percent)?, Decimal::new(1, 2))
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    Ok(a.checked_add(b).ok_or_else(overflow)?)
}

fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    Ok(a.checked_sub(b).ok_or_else(overflow)?)
}

fn sum(values: impl IntoIterator<Item = Decimal>) -> Result<Decimal, Error> {
    values.into_iter().try_fold(Decimal::ZERO, add)
}

/// Rounds `total` and splits it over `weights` by largest remainder (zeros when the
/// weights are all zero).
fn round_and_split(
    total: Decimal,
    weights: &[Decimal],
    ctx: &CharterContext<'_>,
) -> Result<(Decimal, Vec<Decimal>), Error> {
    let rounded = ctx.mode.round_to_minor(total, ctx.currency);
    let zero = Money::zero(ctx.currency).amount;
    if weights.is_empty() || rounded.is_zero() {
        return Ok((zero, vec![zero; weights.len()]));
    }
    let parts = allocate(Money::new(rounded, ctx.currency), weights)?;
    Ok((rounded, parts.into_iter().map(|m| m.amount).collect()))
}

/// A priced charter before promotions and taxes: its quote lines and breakdown.
pub(crate) struct Priced {
    pub lines: Vec<ItemLine>,
    pub charter: Charter,
}

/// Prices the charter of `item` (its `jet`), `i` being the item's index.
///
/// # Errors
/// Those of [`schedule`]; `INVALID_REQUEST`, `INVALID_AMOUNT`, `RATE_OUT_OF_RANGE`,
/// `DUPLICATE_ID`, `LIMIT_EXCEEDED`, `RATE_NOT_FOUND` (an amount in another currency
/// without its rate), `OVERFLOW`.
pub(crate) fn price(
    item: &Item,
    it: &Itinerary,
    i: usize,
    ctx: &CharterContext<'_>,
) -> Result<Priced, Error> {
    let f = format!("items[{i}].jet");
    let rules = ctx.rules;
    let legs = schedule(it, rules.turnaround_minutes, &f)?;
    let a = &it.aircraft;
    let multiplier = it.demand_multiplier.unwrap_or(Decimal::ONE);
    check_range(
        || super::at(&f, "demand_multiplier"),
        multiplier,
        Decimal::new(50, 2),
        Decimal::from(3),
    )?;
    let commission_percent = a.commission_percent.unwrap_or(rules.commission_percent);
    check_range(
        || super::at(&f, "aircraft.commission_percent + platform_fee_percent"),
        add(commission_percent, rules.platform_fee_percent)?,
        Decimal::ZERO,
        Decimal::ONE_HUNDRED,
    )?;
    let zero = Money::zero(ctx.currency).amount;
    let rate_h = (ctx.convert)(a.hourly_rate)?;
    let rate_r = match a.repositioning_rate {
        Some(r) => (ctx.convert)(r)?,
        None => rate_h,
    };

    // 2–3. Daily minimums and the flight charge of occupied and repositioning legs.
    let rate_of = |l: &FlownLeg| match l.kind {
        LegKind::Repositioning => rate_r,
        _ => rate_h,
    };
    let mut days: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
    for l in legs.iter().filter(|l| l.kind != LegKind::Empty) {
        let h = days.entry(l.local_date).or_default();
        *h = add(*h, l.billable_hours)?;
    }
    let minimum = a.daily_min_hours();
    let mut daily = Vec::with_capacity(days.len());
    for (date, hours) in days {
        let top_up = if hours < minimum {
            sub(minimum, hours)?
        } else {
            Decimal::ZERO
        };
        daily.push(DailyMinimum {
            date,
            hours,
            minimum_hours: minimum,
            top_up_hours: {
                let mut t = top_up;
                t.rescale(1);
                t
            },
            charge: zero,
            surcharge: zero,
        });
    }
    let mut exact = Vec::with_capacity(legs.len().saturating_add(daily.len()));
    for l in &legs {
        exact.push(match l.kind {
            LegKind::Empty => Decimal::ZERO,
            _ => mul(mul(rate_of(l), l.billable_hours)?, multiplier)?,
        });
    }
    for d in &daily {
        exact.push(mul(mul(rate_h, d.top_up_hours)?, multiplier)?);
    }
    let (_, split) = round_and_split(sum(exact.iter().copied())?, &exact, ctx)?;
    let mut charges: Vec<LegCharge> = legs
        .iter()
        .zip(&split)
        .map(|(l, c)| LegCharge {
            flown: l.clone(),
            rate: rate_of(l),
            flight_charge: *c,
            surcharge: zero,
            empty_leg_discount: zero,
            charge: zero,
        })
        .collect();
    for (d, c) in daily.iter_mut().zip(split.iter().skip(legs.len())) {
        d.charge = *c;
    }

    // 5. Empty legs at retail less the discount, never below the floor.
    let floor_rate = a
        .incremental_cost_per_hour
        .map(|m| (ctx.convert)(m))
        .transpose()?;
    for c in charges
        .iter_mut()
        .filter(|c| c.flown.kind == LegKind::Empty)
    {
        let retail = round(&[rate_h, c.flown.billable_hours, multiplier], &[], ctx)?;
        let mut discount = round(
            &[retail, rules.empty_leg_discount_percent],
            &[Decimal::ONE_HUNDRED],
            ctx,
        )?;
        if let Some(fr) = floor_rate {
            let floor = round(&[fr, c.flown.billable_hours], &[], ctx)?;
            if sub(retail, discount)? < floor {
                discount = sub(retail, floor)?.max(zero);
            }
        }
        c.flight_charge = retail;
        c.empty_leg_discount = discount;
    }

    // 4. Surcharges: on the touched legs and, for a percentage, on the daily top-ups of
    // the touched days (a day is touched as its first leg is).
    let day_first: Vec<Option<&FlownLeg>> = daily
        .iter()
        .map(|d| {
            legs.iter()
                .find(|l| l.kind != LegKind::Empty && l.local_date == d.date)
        })
        .collect();
    let mut surcharges = Vec::new();
    for s in &rules.surcharges {
        let touched: Vec<usize> = charges
            .iter()
            .enumerate()
            .filter(|(_, c)| c.flown.kind != LegKind::Empty && touches(s, &c.flown, rules, ctx.now))
            .map(|(k, _)| k)
            .collect();
        let touched_days: Vec<usize> = match s.percent {
            Some(_) => day_first
                .iter()
                .enumerate()
                .filter(|(k, first)| {
                    daily.get(*k).is_some_and(|d| !d.charge.is_zero())
                        && first.is_some_and(|l| touches(s, l, rules, ctx.now))
                })
                .map(|(k, _)| k)
                .collect(),
            None => Vec::new(),
        };
        if touched.is_empty() && touched_days.is_empty() {
            continue;
        }
        let (amount, parts, unit_amount) = match (s.percent, s.amount) {
            (Some(p), _) => {
                let weights: Vec<Decimal> = touched
                    .iter()
                    .copied()
                    .chain(touched_days.iter().map(|k| legs.len().saturating_add(*k)))
                    .map(|k| exact.get(k).copied().unwrap_or_default())
                    .collect();
                let raw = percent(sum(weights.iter().copied())?, p)?;
                let (amount, parts) = round_and_split(raw, &weights, ctx)?;
                (amount, parts, None)
            }
            (None, Some(m)) => {
                let unit = (ctx.convert)(m)?;
                let n = Decimal::from(touched.len() as u64);
                (mul(unit, n)?, vec![unit; touched.len()], Some(unit))
            }
            (None, None) => continue,
        };
        let (leg_parts, day_parts) = parts.split_at(touched.len().min(parts.len()));
        for (k, part) in touched.iter().zip(leg_parts) {
            if let Some(c) = charges.get_mut(*k) {
                c.surcharge = add(c.surcharge, *part)?;
            }
        }
        for (k, part) in touched_days.iter().zip(day_parts) {
            if let Some(d) = daily.get_mut(*k) {
                d.surcharge = add(d.surcharge, *part)?;
            }
        }
        surcharges.push(SurchargeCharge {
            id: s.id.clone(),
            kind: s.kind,
            name: s.name.clone(),
            percent: s.percent,
            unit_amount,
            legs: touched,
            days: touched_days
                .iter()
                .filter_map(|k| daily.get(*k).map(|d| d.date))
                .collect(),
            amount,
        });
    }
    for c in charges.iter_mut() {
        c.charge = sub(add(c.flight_charge, c.surcharge)?, c.empty_leg_discount)?;
    }

    // 6. Fees.
    let places = Places::new(it, &f)?;
    let base_code = places.get(&a.home_base)?.code;
    let crew_nights = nights_away(&legs, &base_code)?;
    let flown_hours = sum(legs.iter().map(|l| l.billed_hours))?;
    let billable_hours = add(
        sum(legs.iter().map(|l| l.billable_hours))?,
        sum(daily.iter().map(|d| d.top_up_hours))?,
    )?;
    check_len(
        &super::at(&f, "fees"),
        it.fees.len(),
        limits::MAX_CHARTER_FEES,
    )?;
    let mut fees = Vec::with_capacity(it.fees.len());
    for (k, fee) in it.fees.iter().enumerate() {
        let ff = super::at(&f, &format!("fees[{k}]"));
        check_money(|| format!("{ff}.amount"), &fee.amount)?;
        let id = fee.id_at(k);
        crate::rulebook::check_id(|| format!("{ff}.id"), &id, crate::error::Doc::Request)?;
        if fees.iter().any(|x: &FeeCharge| x.id == id) {
            return Err(Error::DuplicateId {
                field: format!("{ff}.id"),
                id,
            });
        }
        let airport = match (&fee.airport, fee.basis) {
            (Some(code), FeeBasis::PerLanding | FeeBasis::PerDeparture) => {
                Some(places.get(code)?.code)
            }
            (Some(_), _) => {
                return Err(Error::InvalidRequest {
                    field: format!("{ff}.airport"),
                    reason: "only PER_LANDING and PER_DEPARTURE fees name an airport".into(),
                })
            }
            (None, _) => None,
        };
        let at = |code: &String| airport.as_ref().is_none_or(|a| a == code);
        let count = match fee.basis {
            FeeBasis::PerTrip => Decimal::ONE,
            FeeBasis::PerLeg => Decimal::from(it.legs.len() as u64),
            FeeBasis::PerPassengerLeg => {
                Decimal::from(it.legs.iter().map(|l| u64::from(l.passengers)).sum::<u64>())
            }
            FeeBasis::PerLanding => Decimal::from(legs.iter().filter(|l| at(&l.to)).count() as u64),
            FeeBasis::PerDeparture => {
                Decimal::from(legs.iter().filter(|l| at(&l.from)).count() as u64)
            }
            FeeBasis::PerInternationalLeg => {
                Decimal::from(legs.iter().filter(|l| l.is_international()).count() as u64)
            }
            FeeBasis::PerCrewNight => {
                Decimal::from(u64::from(a.crew()).saturating_mul(u64::from(crew_nights)))
            }
            FeeBasis::PerBillableHour => billable_hours,
            FeeBasis::PerFlownHour => flown_hours,
        };
        let unit_amount = (ctx.convert)(fee.amount)?;
        let amount = round(&[unit_amount, count], &[], ctx)?;
        fees.push(FeeCharge {
            id,
            kind: fee.kind,
            basis: fee.basis,
            count,
            unit_amount,
            amount,
            taxable: fee.is_taxable(),
        });
    }

    // Lines: the flight charge, then one line per fee that charges something.
    let money = |values: Vec<Decimal>| sum(std::iter::once(zero).chain(values));
    let flight_charge = money(charges.iter().map(|c| c.flight_charge).collect())?;
    let flight_charge = add(
        flight_charge,
        money(daily.iter().map(|d| d.charge).collect())?,
    )?;
    let surcharge_amount = money(surcharges.iter().map(|s| s.amount).collect())?;
    let empty_leg_discount = money(charges.iter().map(|c| c.empty_leg_discount).collect())?;
    let fee_amount = money(fees.iter().map(|x| x.amount).collect())?;
    let flight_total = sub(add(flight_charge, surcharge_amount)?, empty_leg_discount)?;
    let subtotal = add(flight_total, fee_amount)?;
    rihla_core::money::within_max(|| f.clone(), subtotal)?;

    let journey = |flight| {
        Arc::new(TaxJourney {
            legs: legs
                .iter()
                .filter(|l| l.kind != LegKind::Repositioning)
                .map(|l| TaxLeg {
                    origin: l.from.clone(),
                    destination: l.to.clone(),
                    origin_country: l.from_country.clone(),
                    destination_country: l.to_country.clone(),
                    passengers: l.passengers,
                })
                .collect(),
            flight,
        })
    };
    let mut lines = Vec::with_capacity(fees.len().saturating_add(1));
    let mut flight = crate::item::line(
        i,
        item,
        None,
        item.id.clone(),
        1,
        flight_total,
        ctx.currency,
    )?;
    if flight.description.is_empty() {
        flight.description = describe(a.id.as_str(), a.category, &legs);
    }
    flight.journey = Some(journey(true));
    lines.push(flight);
    let fee_journey = journey(false);
    for (fc, fee) in fees.iter().zip(&it.fees) {
        if fc.amount.is_zero() {
            continue;
        }
        let mut l = crate::item::line(
            i,
            item,
            None,
            format!("{}/{}", item.id, fc.id),
            1,
            fc.amount,
            ctx.currency,
        )?;
        l.description = if fee.description.is_empty() {
            fc.kind.code().to_owned()
        } else {
            fee.description.clone()
        };
        l.charter_fee = Some(fc.kind);
        l.percent_tax_exempt = !fc.taxable;
        l.journey = Some(Arc::clone(&fee_journey));
        lines.push(l);
    }

    let charter_conflicts = match &it.availability {
        Some(cal) => {
            super::availability::validate(cal, &super::at(&f, "availability"))?;
            conflicts(&legs, cal, rules.turnaround_minutes)
        }
        None => Vec::new(),
    };
    let charter = Charter {
        item_id: item.id.clone(),
        aircraft_id: a.id.clone(),
        category: a.category,
        legs: charges,
        daily_minimums: daily,
        flown_hours,
        billable_hours,
        demand_multiplier: multiplier,
        flight_charge,
        surcharges,
        surcharge_amount,
        empty_leg_discount,
        fees,
        operator_fees: fee_amount,
        crew_nights,
        subtotal,
        discount: zero,
        total: subtotal,
        tax: zero,
        total_with_tax: subtotal,
        commission_percent,
        commission: zero,
        platform_fee_percent: rules.platform_fee_percent,
        platform_fee: zero,
        owner_earnings: subtotal,
        conflicts: charter_conflicts,
    };
    Ok(Priced { lines, charter })
}

/// `"HZ-SKY1 (MIDSIZE) RUH-JED-RUH"`: the aircraft and the customer's route.
fn describe(id: &str, category: AircraftCategory, legs: &[FlownLeg]) -> String {
    let mut route = String::new();
    for l in legs.iter().filter(|l| l.kind != LegKind::Repositioning) {
        if route.is_empty() {
            route.push_str(&l.from);
        } else if !route.ends_with(&l.from) {
            route.push('/');
            route.push_str(&l.from);
        }
        route.push('-');
        route.push_str(&l.to);
    }
    let cat = serde_json::to_value(category)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    format!("{id} ({cat}) {route}")
}

/// Nights the crew spends away from base: for each leg that ends away from the home
/// base, the local days until the next leg's departure.
fn nights_away(legs: &[FlownLeg], base: &str) -> Result<u32, Error> {
    let mut nights: i64 = 0;
    for w in legs.windows(2) {
        let (Some(a), Some(b)) = (w.first(), w.get(1)) else {
            continue;
        };
        if a.to != base {
            let days = b.local_date.signed_duration_since(a.local_date).num_days();
            nights = nights.saturating_add(days.max(0));
        }
    }
    Ok(u32::try_from(nights).map_err(|_| overflow())?)
}

/// Whether surcharge `s` touches flown leg `l`.
fn touches(
    s: &super::rules::Surcharge,
    l: &FlownLeg,
    rules: &CharterRules,
    now: DateTime<Utc>,
) -> bool {
    if !s.countries.is_empty() && !s.countries.contains(&l.from_country) {
        return false;
    }
    let date = l.local_date;
    match s.kind {
        SurchargeKind::Weekend => rules
            .weekend_of(&l.from_country)
            .contains(&date.weekday().into()),
        SurchargeKind::PeakSeason => {
            s.from.is_some_and(|a| a <= date) && s.until.is_some_and(|b| date <= b)
        }
        SurchargeKind::Holiday => s.dates.contains(&date),
        SurchargeKind::LastMinute => s.within_hours.is_some_and(|h| {
            let departure = l.departure.with_timezone(&Utc);
            now.checked_add_signed(chrono::Duration::hours(i64::from(h)))
                .is_some_and(|limit| departure < limit)
        }),
    }
}

/// Fills the charter's discount, tax and commission split from its priced lines (after
/// offers, vouchers and taxes): `commission` and `platform_fee` are the total's
/// percentages, split together with `owner_earnings` by largest remainder so that
/// `commission + platform_fee + owner_earnings = total` exactly.
///
/// # Errors
/// `OVERFLOW`; `INVALID_WEIGHTS` cannot happen (the percentages are validated).
pub(crate) fn settle(
    charter: &mut Charter,
    lines: &[ItemLine],
    currency: Currency,
) -> Result<(), Error> {
    let mine = lines.iter().filter(|l| l.item_id == charter.item_id);
    let (mut discount, mut total, mut tax) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for l in mine {
        discount = add(discount, add(l.discount, l.voucher_discount)?)?;
        total = add(total, l.net)?;
        tax = add(tax, add(l.tax, l.surcharge)?)?;
    }
    charter.discount = discount;
    charter.total = total;
    charter.tax = tax;
    charter.total_with_tax = add(total, tax)?;
    let owner_share = sub(
        sub(Decimal::ONE_HUNDRED, charter.commission_percent)?,
        charter.platform_fee_percent,
    )?
    .max(Decimal::ZERO);
    let weights = [
        charter.commission_percent,
        charter.platform_fee_percent,
        owner_share,
    ];
    let parts = if weights.iter().all(|w| w.is_zero()) {
        vec![Decimal::ZERO, Decimal::ZERO, total]
    } else {
        allocate(Money::new(total, currency), &weights)?
            .into_iter()
            .map(|m| m.amount)
            .collect()
    };
    if let [c, p, o] = parts.as_slice() {
        charter.commission = *c;
        charter.platform_fee = *p;
        charter.owner_earnings = *o;
    }
    Ok(())
}
