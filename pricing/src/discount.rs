//! What offers and vouchers share: the eligible base, the cap and clamp, and the
//! largest-remainder allocation of a discount over the eligible lines.

use crate::quote::{AdjustmentReason, Allocation, ItemLine};
use crate::{Error, Scope};
use rihla_core::exact::round_ratio_to_minor;
use rihla_core::{allocate, CoreError, Currency, Decimal, Money, RoundingMode};

/// The lines a rule may discount: in scope and with net above zero.
pub(crate) struct Eligible {
    /// Indices into the item lines, ordered by line id: the allocation's tie-break
    /// ("earlier line first") then follows the ids, not the request's order, so that
    /// permuting the request's items changes nothing in the quote but the lines' order.
    pub idx: Vec<usize>,
    /// Σ net of those lines, after earlier discounts.
    pub base: Decimal,
}

pub(crate) fn eligible(lines: &[ItemLine], scope: &Scope) -> Result<Eligible, Error> {
    let mut idx = Vec::new();
    let mut base = Decimal::ZERO;
    for (i, l) in lines.iter().enumerate() {
        if l.net > Decimal::ZERO && scope.covers(l.category, &l.item_id) {
            idx.push(i);
            base = base.checked_add(l.net).ok_or(CoreError::Overflow {
                operation: "eligible base",
            })?;
        }
    }
    idx.sort_by(|a, b| {
        let id = |i: &usize| lines.get(*i).map(|l| l.id.as_str());
        id(a).cmp(&id(b))
    });
    Ok(Eligible { idx, base })
}

/// `round(base × percent / 100)` to the minor unit, formed exactly and rounded once (so
/// every representable answer is returned, whatever the size of `base × percent`).
pub(crate) fn percent_of(
    base: Decimal,
    percent: Decimal,
    currency: Currency,
    mode: RoundingMode,
) -> Result<Decimal, Error> {
    Ok(round_ratio_to_minor(
        &[base, percent],
        &[Decimal::ONE_HUNDRED],
        currency,
        mode,
        "percentage",
    )?)
}

/// Applies the cap (`max_discount`) then the clamp to the eligible base: returns the
/// applied amount and the reason it differs from `requested`.
pub(crate) fn cap_and_clamp(
    requested: Decimal,
    cap: Option<Decimal>,
    base: Decimal,
) -> (Decimal, Option<AdjustmentReason>) {
    let mut applied = requested;
    let mut reason = None;
    if let Some(cap) = cap {
        if applied > cap {
            applied = cap;
            reason = Some(AdjustmentReason::CappedMaxDiscount);
        }
    }
    if applied > base {
        applied = base;
        reason = Some(AdjustmentReason::ClampedToEligibleBase);
    }
    (applied, reason)
}

/// Which running amount of a line a discount goes to.
#[derive(Clone, Copy)]
pub(crate) enum Slot {
    Offer,
    Voucher,
}

/// Allocates `amount` over the eligible lines weighted by `weights` (one per eligible
/// line; each part ≤ its line's net when `amount` ≤ Σ weights ≤ Σ nets).
pub(crate) fn allocate_weighted(
    lines: &mut [ItemLine],
    el: &Eligible,
    weights: &[Decimal],
    amount: Decimal,
    currency: Currency,
    slot: Slot,
) -> Result<Vec<Allocation>, Error> {
    let parts = allocate(Money::new(amount, currency), weights)?;
    apply_parts(lines, el, parts.iter().map(|m| m.amount), slot)
}

fn apply_parts(
    lines: &mut [ItemLine],
    el: &Eligible,
    parts: impl Iterator<Item = Decimal>,
    slot: Slot,
) -> Result<Vec<Allocation>, Error> {
    let mut out = Vec::with_capacity(el.idx.len());
    for (i, part) in el.idx.iter().zip(parts) {
        let Some(line) = lines.get_mut(*i) else {
            continue;
        };
        let overflow = CoreError::Overflow {
            operation: "discount",
        };
        line.net = line.net.checked_sub(part).ok_or(overflow.clone())?;
        let running = match slot {
            Slot::Offer => &mut line.discount,
            Slot::Voucher => &mut line.voucher_discount,
        };
        *running = running.checked_add(part).ok_or(overflow)?;
        out.push(Allocation {
            line_id: line.id.clone(),
            amount: part,
        });
    }
    Ok(out)
}

/// Allocates `amount` (≤ the eligible base) over the eligible lines, weighted by their
/// net, by largest remainder; lowers each line's net by its part. No line goes below
/// zero: each part is within one minor unit of its exact share, which is ≤ the line's net.
pub(crate) fn allocate_discount(
    lines: &mut [ItemLine],
    el: &Eligible,
    amount: Decimal,
    currency: Currency,
    slot: Slot,
) -> Result<Vec<Allocation>, Error> {
    let weights: Vec<Decimal> = el
        .idx
        .iter()
        .filter_map(|i| lines.get(*i).map(|l| l.net))
        .collect();
    allocate_weighted(lines, el, &weights, amount, currency, slot)
}
