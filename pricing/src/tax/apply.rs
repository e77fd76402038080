//! Step 5 of the pipeline: taxes and carrier surcharges on the discounted lines.
//!
//! Conventions (pinned by the conformance vectors):
//!
//! * The unit of taxation is the passenger for a fare line (the line's net is first split
//!   over its passengers by largest remainder) and the line itself for any other item.
//! * Rules in force at `now` apply in rulebook order, tax-inclusive ones first: an
//!   inclusive rule extracts `net × rate / (100 + rate)` from each unit, which lowers the
//!   line's gross and net (the extracted amount is shown as `tax_included`); the others
//!   are then computed on the nets without tax.
//! * A PERCENT_OF_SUBTOTAL rule adds, per unit, the amounts of the earlier rules it
//!   `includes` to the net (compounding).
//! * Rounding: each rule on each unit to the minor unit (`tax_rounding: PER_PASSENGER`,
//!   the default), or the rule's exact total once, split back by largest remainder
//!   weighted by the units' bases, remainder units by line id (`PER_DOCUMENT`). A
//!   percentage is formed exactly and rounded once.
//! * Several inclusive rules on one unit divide by their combined rate: each extracts
//!   `net × rate / (100 + Σ inclusive rates)` (15 % and 2.5 % inclusive in 1,175.00 are
//!   150.00 and 25.00 of a 1,000.00 net), so together they never exceed the price.
//! * A fixed amount in another currency than the quote's is converted once per rule with
//!   the request's `rates` and rounded to the minor unit, then multiplied.

use super::journey::{charges_per_passenger, charter_charges, charter_matches, item_matches};
use super::{TaxBasis, TaxKind, TaxRounding, TaxRule};
use crate::quote::{Allocation, ItemLine, Line, PassengerAmount, TaxAmount, TaxLine};
use crate::request::Item;
use crate::Error;
use chrono::{DateTime, Utc};
use rihla_core::exact::{round_ratio_to_minor, round_sum_of_ratios};
use rihla_core::money::within_max;
use rihla_core::{allocate, CoreError, Currency, Decimal, Money, RoundingMode};

/// What the engine needs besides the rules and lines.
pub(crate) struct TaxContext<'a> {
    pub rules: &'a [TaxRule],
    pub rounding: TaxRounding,
    pub mode: RoundingMode,
    pub currency: Currency,
    pub now: DateTime<Utc>,
    pub items: &'a [Item],
    /// Converts a fixed amount of another currency into the quote's.
    pub convert: &'a dyn Fn(Money) -> Result<Decimal, Error>,
}

/// A unit of taxation: one passenger of a fare line, or a whole other line.
struct Unit {
    line: usize,
    net: Decimal,
}

fn overflow() -> CoreError {
    CoreError::Overflow { operation: "tax" }
}

/// Applies every rule in force; returns the TAX and SURCHARGE lines and fills each item
/// line's `tax`, `surcharge`, `tax_included` and per-passenger breakdown.
pub(crate) fn apply_taxes(
    ctx: &TaxContext<'_>,
    lines: &mut [ItemLine],
) -> Result<Vec<Line>, Error> {
    let mut units = Vec::with_capacity(lines.len().saturating_add(4));
    for (li, line) in lines.iter().enumerate() {
        if line.passenger_type.is_some() && line.quantity > 1 {
            let equal = vec![Decimal::ONE; line.quantity as usize];
            for part in allocate(Money::new(line.net, ctx.currency), &equal)? {
                units.push(Unit {
                    line: li,
                    net: part.amount,
                });
            }
        } else {
            units.push(Unit {
                line: li,
                net: line.net,
            });
        }
    }
    let in_force: Vec<usize> = (0..ctx.rules.len())
        .filter(|i| {
            ctx.rules
                .get(*i)
                .is_some_and(|r| r.window().rejection(ctx.now).is_none())
        })
        .collect();
    let order = in_force
        .iter()
        .filter(|i| ctx.rules.get(**i).is_some_and(|r| r.inclusive))
        .chain(
            in_force
                .iter()
                .filter(|i| ctx.rules.get(**i).is_some_and(|r| !r.inclusive)),
        );

    // amounts[rule index] = per-unit amounts once computed.
    let mut amounts: Vec<Option<Vec<Decimal>>> = vec![None; ctx.rules.len()];
    let inclusive_rates = inclusive_rates(ctx, &in_force, &units, &amounts, lines)?;
    let mut out = Vec::new();
    let mut inclusive_done = false;
    for &ri in order {
        let Some(rule) = ctx.rules.get(ri) else {
            continue;
        };
        if !rule.inclusive && !inclusive_done {
            inclusive_done = true;
            extract_inclusive(ctx, &amounts, &mut units, lines)?;
        }
        if !may_apply(ctx, rule, lines) {
            continue;
        }
        let computed = compute(ctx, rule, &units, &amounts, &inclusive_rates, lines)?;
        if computed.covered.iter().any(|c| *c) {
            out.push(tax_line(ctx, rule, &computed, &units, lines)?);
        }
        if let Some(slot) = amounts.get_mut(ri) {
            *slot = Some(computed.per_unit);
        }
    }
    if !inclusive_done {
        extract_inclusive(ctx, &amounts, &mut units, lines)?;
    }
    breakdown(ctx, &amounts, &units, lines)?;
    Ok(out)
}

/// The combined rate (percent) of the tax-exclusive PERCENT_OF_NET taxes in force that
/// cover `line`: what a GROSS discount on the line is divided by (`1 + rate / 100`).
/// Compounded, fixed and inclusive rules are left out (documented approximation).
pub(crate) fn net_rate_for(
    rules: &[TaxRule],
    line: &ItemLine,
    item: &Item,
    now: DateTime<Utc>,
) -> Decimal {
    rules
        .iter()
        .filter(|r| r.basis == TaxBasis::PercentOfNet && !r.inclusive && r.kind == TaxKind::Tax)
        .filter(|r| r.window().rejection(now).is_none())
        .filter(|r| r.applies_to.covers(line.category, &line.item_id))
        .filter(|r| {
            !line
                .passenger_type
                .is_some_and(|p| r.exempt_passenger_types.contains(&p))
        })
        .filter(|r| !percent_exempt(r, line) && line_matches(r, line, item))
        .filter_map(|r| r.rate)
        .fold(Decimal::ZERO, |a, r| a.checked_add(r).unwrap_or(a))
}

/// Whether a percentage rule leaves the line out: a charter fee not taxable at all, or of
/// a kind the rule exempts.
fn percent_exempt(rule: &TaxRule, line: &ItemLine) -> bool {
    line.percent_tax_exempt
        || line
            .charter_fee
            .is_some_and(|k| rule.exempt_charter_fees.contains(&k))
}

/// Whether a line's item passes the rule's journey and country filters (a charter line
/// by its customer legs).
fn line_matches(rule: &TaxRule, line: &ItemLine, item: &Item) -> bool {
    match &line.journey {
        Some(j) => charter_matches(rule, j),
        None => item_matches(rule, item),
    }
}

/// A cheap first look: whether any line is in the rule's scope and, when the rule names
/// countries, touches one of them. Rules that cannot apply (another market's taxes) are
/// skipped without allocating anything; their amounts count as zero.
fn may_apply(ctx: &TaxContext<'_>, rule: &TaxRule, lines: &[ItemLine]) -> bool {
    lines.iter().any(|l| {
        if !rule.applies_to.covers(l.category, &l.item_id) {
            return false;
        }
        if rule.countries.is_empty() {
            return true;
        }
        let Some(item) = ctx.items.get(l.item_index) else {
            return false;
        };
        let listed = |c: &String| rule.countries.contains(c);
        if let Some(j) = &l.journey {
            return j
                .legs
                .iter()
                .any(|leg| listed(&leg.origin_country) || listed(&leg.destination_country));
        }
        item.country.as_ref().is_some_and(listed)
            || item
                .segments
                .iter()
                .any(|s| listed(&s.origin_country) || listed(&s.destination_country))
    })
}

/// Lowers each unit's and line's net (and the line's gross) by the inclusive taxes it holds.
fn extract_inclusive(
    ctx: &TaxContext<'_>,
    amounts: &[Option<Vec<Decimal>>],
    units: &mut [Unit],
    lines: &mut [ItemLine],
) -> Result<(), Error> {
    for (ri, rule) in ctx.rules.iter().enumerate() {
        let (true, Some(Some(per_unit))) = (rule.inclusive, amounts.get(ri)) else {
            continue;
        };
        for (u, amount) in units.iter_mut().zip(per_unit) {
            u.net = u.net.checked_sub(*amount).ok_or_else(overflow)?;
            if let Some(line) = lines.get_mut(u.line) {
                line.net = line.net.checked_sub(*amount).ok_or_else(overflow)?;
                line.gross = line.gross.checked_sub(*amount).ok_or_else(overflow)?;
                line.tax_included = line
                    .tax_included
                    .checked_add(*amount)
                    .ok_or_else(overflow)?;
            }
        }
    }
    Ok(())
}

/// How one unit is charged by one rule.
enum Charge {
    Off,
    /// A percentage of this base.
    Percent(Decimal),
    /// The fixed amount this many times (PER_ONE_WAY: capped at the round-trip cap).
    Fixed(u64),
}

/// What one rule computed: per-unit amounts, which units it covers, its percentage base
/// and its fixed amount in the quote's currency.
struct Computed {
    per_unit: Vec<Decimal>,
    covered: Vec<bool>,
    base: Decimal,
    unit_amount: Option<Decimal>,
}

/// How each unit is charged (filters and counts only; no amount yet).
fn charges(
    ctx: &TaxContext<'_>,
    rule: &TaxRule,
    units: &[Unit],
    amounts: &[Option<Vec<Decimal>>],
    lines: &[ItemLine],
) -> Result<Vec<Charge>, Error> {
    let includes: Vec<&Vec<Decimal>> = rule
        .includes
        .iter()
        .filter_map(|id| ctx.rules.iter().position(|r| &r.id == id))
        .filter_map(|i| amounts.get(i).and_then(|a| a.as_ref()))
        .collect();
    let mut booking_charged = false;
    let mut items_charged: Vec<&str> = Vec::new();
    let mut out = Vec::with_capacity(units.len());
    for (ui, unit) in units.iter().enumerate() {
        let line = lines.get(unit.line);
        let item = line.and_then(|l| ctx.items.get(l.item_index));
        let (Some(line), Some(item)) = (line, item) else {
            out.push(Charge::Off);
            continue;
        };
        let exempt = line
            .passenger_type
            .is_some_and(|p| rule.exempt_passenger_types.contains(&p));
        if exempt || !rule.applies_to.covers(line.category, &line.item_id) {
            out.push(Charge::Off);
            continue;
        }
        let is_fare = line.passenger_type.is_some();
        let matches = line_matches(rule, line, item);
        let charge = match rule.basis {
            TaxBasis::PercentOfNet | TaxBasis::PercentOfSubtotal if percent_exempt(rule, line) => {
                Charge::Off
            }
            TaxBasis::PercentOfNet | TaxBasis::PercentOfSubtotal if matches => {
                let mut b = unit.net;
                for inc in &includes {
                    b = b
                        .checked_add(inc.get(ui).copied().unwrap_or_default())
                        .ok_or_else(overflow)?;
                }
                Charge::Percent(b)
            }
            basis if basis.is_per_passenger() && is_fare => {
                charges_per_passenger(rule, item).map_or(Charge::Off, Charge::Fixed)
            }
            basis if basis.is_per_passenger() => match &line.journey {
                Some(j) => charter_charges(rule, j).map_or(Charge::Off, Charge::Fixed),
                None => Charge::Off,
            },
            TaxBasis::PerNight if !is_fare && line.journey.is_none() && matches => {
                Charge::Fixed(u64::from(line.quantity))
            }
            TaxBasis::PerItem if matches && !items_charged.contains(&line.item_id.as_str()) => {
                items_charged.push(&line.item_id);
                Charge::Fixed(1)
            }
            TaxBasis::PerBooking if matches && !booking_charged => {
                booking_charged = true;
                Charge::Fixed(1)
            }
            _ => Charge::Off,
        };
        out.push(charge);
    }
    Ok(out)
}

/// Per-unit amounts of one rule. A fixed amount is converted only when the rule charges
/// something, so a rulebook's foreign-currency taxes cost nothing where they do not apply.
fn compute(
    ctx: &TaxContext<'_>,
    rule: &TaxRule,
    units: &[Unit],
    amounts: &[Option<Vec<Decimal>>],
    inclusive_rates: &[Decimal],
    lines: &[ItemLine],
) -> Result<Computed, Error> {
    let charges = charges(ctx, rule, units, amounts, lines)?;
    let any_fixed = charges.iter().any(|c| matches!(c, Charge::Fixed(_)));
    let convert = |m: Option<Money>| match (any_fixed, m) {
        (true, Some(m)) => (ctx.convert)(m).map(Some),
        _ => Ok(None),
    };
    let unit_amount = convert(rule.amount)?;
    let cap = convert(rule.round_trip_cap)?;
    let rate = rule.rate.unwrap_or_default();
    // An inclusive rule extracts `net × rate / (100 + R)`, R the unit's combined inclusive
    // rate (so 15 % and 2.5 % inclusive in 1,175.00 are 150.00 and 25.00 of a 1,000.00 net).
    let divisors: Vec<Decimal> = inclusive_rates
        .iter()
        .map(|r| {
            if rule.inclusive {
                Decimal::ONE_HUNDRED.checked_add(*r).ok_or_else(overflow)
            } else {
                Ok(Decimal::ONE_HUNDRED)
            }
        })
        .collect::<Result<_, _>>()?;
    // Per unit: the exact amount's parts — a percentage base (the amount is
    // `base × rate / divisor`, formed exactly and rounded once) or a fixed amount (whole
    // minor units already).
    let mut weights = Vec::with_capacity(units.len());
    let mut fixed = Vec::with_capacity(units.len());
    let mut base = Decimal::ZERO;
    for charge in &charges {
        let (weight, amount) = match charge {
            Charge::Off => (Decimal::ZERO, None),
            Charge::Percent(b) => {
                base = base.checked_add(*b).ok_or_else(overflow)?;
                (*b, None)
            }
            Charge::Fixed(n) => {
                let a = unit_amount
                    .unwrap_or_default()
                    .checked_mul(Decimal::from(*n))
                    .ok_or_else(overflow)?;
                let a = match (rule.basis, cap) {
                    (TaxBasis::PerOneWay, Some(cap)) => a.min(cap),
                    _ => a,
                };
                (a, Some(a))
            }
        };
        weights.push(weight);
        fixed.push(amount);
    }
    let divisor = |u: usize| divisors.get(u).copied().unwrap_or(Decimal::ONE_HUNDRED);
    let per_unit = match ctx.rounding {
        TaxRounding::PerPassenger => {
            let mut out = Vec::with_capacity(units.len());
            for (u, (w, f)) in weights.iter().zip(&fixed).enumerate() {
                out.push(match f {
                    Some(a) => ctx.mode.round_to_minor(*a, ctx.currency),
                    None => round_ratio_to_minor(
                        &[*w, rate],
                        &[divisor(u)],
                        ctx.currency,
                        ctx.mode,
                        "tax",
                    )?,
                });
            }
            out
        }
        TaxRounding::PerDocument => {
            // A rule charges either percentages or fixed amounts (one basis): the total is
            // the percentage of the bases (each over its unit's divisor) rounded once, plus
            // the fixed amounts; it is split back weighted by each unit's exact share.
            let fixed_total = fixed
                .iter()
                .flatten()
                .try_fold(Decimal::ZERO, |acc, a| acc.checked_add(*a))
                .ok_or_else(overflow)?;
            let terms: Vec<(Decimal, Decimal)> = fixed
                .iter()
                .zip(&weights)
                .enumerate()
                .filter(|(_, (f, _))| f.is_none())
                .map(|(u, (_, w))| (*w, divisor(u)))
                .collect();
            let percent =
                round_sum_of_ratios(&terms, rate, ctx.currency.exponent(), ctx.mode, "tax")?;
            let total = percent
                .checked_add(ctx.mode.round_to_minor(fixed_total, ctx.currency))
                .ok_or_else(overflow)?;
            let shares: Vec<Decimal> = weights
                .iter()
                .zip(&fixed)
                .enumerate()
                .map(|(u, (w, f))| match f {
                    Some(_) => *w,
                    None if rule.inclusive => w
                        .checked_mul(Decimal::ONE_HUNDRED)
                        .and_then(|x| x.checked_div(divisor(u)))
                        .unwrap_or(*w),
                    None => *w,
                })
                .collect();
            split_by_line_id(ctx, total, &shares, units, lines)?
        }
    };
    let per_unit = per_unit
        .into_iter()
        .map(|a| within_max(|| format!("taxes[{}]", rule.id), a))
        .collect::<Result<Vec<_>, _>>()?;
    let covered = charges.iter().map(|c| !matches!(c, Charge::Off)).collect();
    Ok(Computed {
        per_unit,
        covered,
        base,
        unit_amount,
    })
}

/// Each unit's combined inclusive rate: the sum of the rates of the tax-inclusive rules in
/// force that charge it (inclusive rules are PERCENT_OF_NET and never compounded).
fn inclusive_rates(
    ctx: &TaxContext<'_>,
    in_force: &[usize],
    units: &[Unit],
    amounts: &[Option<Vec<Decimal>>],
    lines: &[ItemLine],
) -> Result<Vec<Decimal>, Error> {
    let mut rates = vec![Decimal::ZERO; units.len()];
    for rule in in_force.iter().filter_map(|i| ctx.rules.get(*i)) {
        if !rule.inclusive || !may_apply(ctx, rule, lines) {
            continue;
        }
        let rate = rule.rate.unwrap_or_default();
        for (r, charge) in rates
            .iter_mut()
            .zip(charges(ctx, rule, units, amounts, lines)?)
        {
            if matches!(charge, Charge::Percent(_)) {
                *r = r.checked_add(rate).ok_or_else(overflow)?;
            }
        }
    }
    Ok(rates)
}

/// Splits a rule's rounded document total back over the units by largest remainder,
/// weighted by each unit's exact base (or fixed amount), the remainder units going by
/// line id (then passenger order) as discounts do — not by the request's order.
fn split_by_line_id(
    ctx: &TaxContext<'_>,
    total: Decimal,
    weights: &[Decimal],
    units: &[Unit],
    lines: &[ItemLine],
) -> Result<Vec<Decimal>, Error> {
    if total.is_zero() || weights.iter().all(|w| w.is_zero()) {
        return Ok(vec![Money::zero(ctx.currency).amount; weights.len()]);
    }
    let mut order: Vec<usize> = (0..weights.len()).collect();
    let line_id = |k: &usize| {
        units
            .get(*k)
            .and_then(|u| lines.get(u.line))
            .map(|l| l.id.as_str())
    };
    order.sort_by(|a, b| line_id(a).cmp(&line_id(b)).then_with(|| a.cmp(b)));
    let sorted: Vec<Decimal> = order
        .iter()
        .map(|k| weights.get(*k).copied().unwrap_or_default())
        .collect();
    let parts = allocate(Money::new(total, ctx.currency), &sorted)?;
    let mut out = vec![Money::zero(ctx.currency).amount; weights.len()];
    for (k, part) in order.iter().zip(parts) {
        if let Some(slot) = out.get_mut(*k) {
            *slot = part.amount;
        }
    }
    Ok(out)
}

/// The TAX or SURCHARGE line of a rule, and its amounts added to the item lines.
fn tax_line(
    ctx: &TaxContext<'_>,
    rule: &TaxRule,
    computed: &Computed,
    units: &[Unit],
    lines: &mut [ItemLine],
) -> Result<Line, Error> {
    let (per_unit, covered) = (&computed.per_unit, &computed.covered);
    let mut allocations: Vec<Allocation> = Vec::new();
    let mut total = Money::zero(ctx.currency).amount;
    for ((unit, amount), on) in units.iter().zip(per_unit).zip(covered) {
        if !on {
            continue;
        }
        total = total.checked_add(*amount).ok_or_else(overflow)?;
        let Some(line) = lines.get_mut(unit.line) else {
            continue;
        };
        // An inclusive amount was extracted from the line's net (its `tax_included`); it
        // counts, as any other, as tax or as a carrier surcharge by the rule's kind.
        let slot = match rule.kind {
            TaxKind::Tax => &mut line.tax,
            TaxKind::CarrierSurcharge => &mut line.surcharge,
        };
        *slot = slot.checked_add(*amount).ok_or_else(overflow)?;
        match allocations.last_mut() {
            Some(last) if last.line_id == line.id => {
                last.amount = last.amount.checked_add(*amount).ok_or_else(overflow)?;
            }
            _ => allocations.push(Allocation {
                line_id: line.id.clone(),
                amount: *amount,
            }),
        }
    }
    let tax = TaxLine {
        rule_id: rule.id.clone(),
        code: rule.code.clone(),
        name: rule.name.clone(),
        basis: rule.basis,
        rate: rule.rate,
        unit_amount: computed.unit_amount,
        base: rule.basis.is_percentage().then_some(computed.base),
        amount: total,
        inclusive: rule.inclusive,
        refundable_on_non_refundable_fare: rule.refundable(),
        allocations,
    };
    Ok(match rule.kind {
        TaxKind::Tax => Line::Tax(tax),
        TaxKind::CarrierSurcharge => Line::Surcharge(tax),
    })
}

/// The per-passenger breakdown of each fare line: net, each tax and surcharge, total.
fn breakdown(
    ctx: &TaxContext<'_>,
    amounts: &[Option<Vec<Decimal>>],
    units: &[Unit],
    lines: &mut [ItemLine],
) -> Result<(), Error> {
    for (ui, unit) in units.iter().enumerate() {
        let Some(line) = lines.get_mut(unit.line) else {
            continue;
        };
        if line.passenger_type.is_none() {
            continue;
        }
        let mut total = unit.net;
        let mut taxes = Vec::new();
        for (ri, rule) in ctx.rules.iter().enumerate() {
            let Some(Some(per_unit)) = amounts.get(ri) else {
                continue;
            };
            let amount = per_unit.get(ui).copied().unwrap_or_default();
            if amount.is_zero() {
                continue;
            }
            total = total.checked_add(amount).ok_or_else(overflow)?;
            taxes.push(TaxAmount {
                code: rule.code.clone(),
                kind: rule.kind,
                amount,
            });
        }
        let passenger_id = line.passenger_ids.get(line.passengers.len()).cloned();
        line.passengers.push(PassengerAmount {
            passenger_id,
            net: unit.net,
            taxes,
            total,
        });
    }
    Ok(())
}
