//! Steps 2 and 3 of the pipeline: automatic offers, then vouchers.
//!
//! Both follow the conventions of docs/pricing.md: each rule is checked (status, validity
//! window, conditions, currency, scope, minimum purchase), computed on the eligible amount
//! left by the earlier rules (never on the undiscounted price), capped by `max_discount`,
//! clamped to the eligible amount (no line goes below zero), held to its budget, then
//! split over the eligible lines by largest remainder. A rule considered and not applied
//! is listed in `rejected` with its reason; an applied one emits a redemption intent.
//!
//! Offers stack by the rulebook's `offer_stacking`: PRIORITY (priority order; an
//! `exclusive` offer applies only alone and stops the rest; `combines_with` restricts the
//! classes an offer sits with) or BEST_DEAL (within a `group`, only the offer giving the
//! largest discount on the cart as it stands applies; ties by priority, then id).

use crate::condition::{check as check_conditions, CartFacts, UsageCounts};
use crate::discount::{allocate_discount, cap_and_clamp, eligible, percent_of, Eligible, Slot};
use crate::offer::{BudgetPolicy, Offer, OfferKind};
use crate::quote::{
    AdjustmentReason, Allocation, BenefitKind, BenefitLine, DiscountLine, DiscountType, ItemLine,
    Line, Redemption, Rejection, RejectionReason, RuleKind, TaxMode,
};
use crate::request::QuoteRequest;
use crate::tax::apply::net_rate_for;
use crate::voucher::{normalize_code, Voucher, VoucherKind};
use crate::{Error, Rulebook, Status};
use rihla_core::exact::round_ratio_to_minor;
use rihla_core::{CoreError, Currency, Decimal, Money, RoundingMode};
use serde::{Deserialize, Serialize};

/// How automatic offers stack (a rulebook setting, `offer_stacking`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Stacking {
    /// Priority order, with `exclusive` and `combines_with` (the default).
    #[default]
    Priority,
    /// Within each `group`, only the largest discount applies.
    BestDeal,
}

/// The outcome of one rule.
pub(crate) enum Outcome {
    Applied(Box<Line>, Redemption),
    Rejected(Rejection),
}

/// What the promotion steps read.
pub(crate) struct Ctx<'a> {
    pub rb: &'a Rulebook,
    pub req: &'a QuoteRequest,
    pub facts: &'a CartFacts,
    pub currency: Currency,
    pub mode: RoundingMode,
}

fn overflow() -> CoreError {
    CoreError::Overflow {
        operation: "discount",
    }
}

/// A discount computed and ready to commit.
struct Planned {
    el: Eligible,
    discount_type: DiscountType,
    value: Decimal,
    requested: Decimal,
    amount: Decimal,
    reason: Option<AdjustmentReason>,
    /// BOGO and GROSS: the amount per eligible line (in `el.idx` order).
    parts: Option<Vec<Decimal>>,
    tax_mode: TaxMode,
}

/// `1 + rate / 100` of each eligible line's percentage taxes (for GROSS discounts).
fn gross_factors(ctx: &Ctx<'_>, lines: &[ItemLine], el: &Eligible) -> Vec<Decimal> {
    el.idx
        .iter()
        .filter_map(|i| lines.get(*i))
        .map(|l| {
            let rate = ctx
                .req
                .items
                .get(l.item_index)
                .map_or(Decimal::ZERO, |item| {
                    net_rate_for(&ctx.rb.doc().taxes, l, item, ctx.req.now)
                });
            rate.checked_div(Decimal::ONE_HUNDRED)
                .and_then(|r| r.checked_add(Decimal::ONE))
                .unwrap_or(Decimal::ONE)
        })
        .collect()
}

/// A tax-inclusive (GROSS) fixed discount: `requested` is capped and clamped against the
/// eligible amount with tax, split over the lines by their amount with tax (largest
/// remainder), and each part divided by its line's `1 + rate`, rounded to the minor unit.
/// Returns the net parts, their sum, and the reason the gross amount was cut. Every
/// product and quotient is formed exactly and rounded once.
fn gross_split(
    ctx: &Ctx<'_>,
    lines: &[ItemLine],
    el: &Eligible,
    requested: Decimal,
    cap: Option<Decimal>,
) -> Result<(Vec<Decimal>, Decimal, Option<AdjustmentReason>), Error> {
    let factors = gross_factors(ctx, lines, el);
    let nets: Vec<Decimal> = el
        .idx
        .iter()
        .map(|i| lines.get(*i).map_or(Decimal::ZERO, |l| l.net))
        .collect();
    let mut weights = Vec::with_capacity(nets.len());
    for (net, f) in nets.iter().zip(&factors) {
        weights.push(round_ratio_to_minor(
            &[*net, *f],
            &[],
            ctx.currency,
            ctx.mode,
            "discount",
        )?);
    }
    let gross_base = weights
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))
        .ok_or_else(overflow)?;
    let (gross, reason) = cap_and_clamp(requested, cap, gross_base);
    let gross_parts = rihla_core::allocate(Money::new(gross, ctx.currency), &weights)?;
    let mut parts = Vec::with_capacity(gross_parts.len());
    let mut sum = Decimal::ZERO;
    for ((net, f), g) in nets.iter().zip(&factors).zip(gross_parts) {
        let part =
            round_ratio_to_minor(&[g.amount], &[*f], ctx.currency, ctx.mode, "discount")?.min(*net);
        sum = sum.checked_add(part).ok_or_else(overflow)?;
        parts.push(part);
    }
    Ok((parts, sum, reason))
}

/// The first currency of `moneys` that is not the quote's.
fn foreign(currency: Currency, moneys: &[Option<Money>]) -> Option<Currency> {
    moneys
        .iter()
        .flatten()
        .map(|m| m.currency)
        .find(|c| *c != currency)
}

/// Holds `amount` to what is left of `budget` (`remaining` at the budget currency's
/// scale). Past it: REFUSE rejects, CLAMP cuts to what is left (and rejects when nothing
/// is left: a clamp to zero applies nothing), OVERSHOOT lets it through.
fn budget(
    amount: Decimal,
    budget: Option<Money>,
    policy: BudgetPolicy,
    counts: Option<&UsageCounts>,
) -> Result<Result<(Decimal, Option<AdjustmentReason>), RejectionReason>, Error> {
    let Some(budget) = budget else {
        return Ok(Ok((amount, None)));
    };
    let used = counts
        .and_then(|c| c.budget_used)
        .map_or(Decimal::ZERO, |m| m.amount);
    let zero = Money::zero(budget.currency).amount;
    let mut remaining = budget.amount.checked_sub(used).ok_or_else(overflow)?;
    if remaining <= zero {
        remaining = zero;
    }
    if amount <= remaining {
        return Ok(Ok((amount, None)));
    }
    let exceeded = RejectionReason::BudgetExceeded {
        remaining,
        requested: amount,
    };
    Ok(match policy {
        BudgetPolicy::Refuse => Err(exceeded),
        BudgetPolicy::Clamp if remaining.is_zero() => Err(exceeded),
        BudgetPolicy::Clamp => Ok((remaining, Some(AdjustmentReason::ClampedToBudget))),
        BudgetPolicy::Overshoot => Ok((amount, Some(AdjustmentReason::BudgetOvershoot))),
    })
}

/// BOGO: the discount per eligible line when `buy` + `get` units make an occurrence and
/// the `get` cheapest units of each occurrence are `percent` off (cheapest across the
/// eligible lines by exact unit price, ties by line id).
fn bogo_parts(
    lines: &[ItemLine],
    el: &Eligible,
    offer: &Offer,
    currency: Currency,
    mode: RoundingMode,
) -> Result<Vec<Decimal>, Error> {
    let (buy, get) = (offer.buy.unwrap_or(1), offer.get.unwrap_or(1));
    let percent = offer.value.unwrap_or(Decimal::ONE_HUNDRED);
    let max_occurrences = offer.max_occurrences;
    let eligible: Vec<&ItemLine> = el.idx.iter().filter_map(|i| lines.get(*i)).collect();
    let units: u64 = eligible.iter().map(|l| u64::from(l.quantity)).sum();
    let per = u64::from(buy).saturating_add(u64::from(get));
    let mut occurrences = units.checked_div(per).unwrap_or(0);
    if let Some(m) = max_occurrences {
        occurrences = occurrences.min(u64::from(m));
    }
    let mut free = occurrences.saturating_mul(u64::from(get));
    let order = cheapest_first(&eligible)?;
    let mut parts = vec![Money::zero(currency).amount; eligible.len()];
    for k in order {
        if free == 0 {
            break;
        }
        let Some(line) = eligible.get(k) else {
            continue;
        };
        let take = free.min(u64::from(line.quantity));
        free = free.saturating_sub(take);
        let exact = round_ratio_to_minor(
            &[line.net, Decimal::from(take), percent],
            &[Decimal::from(line.quantity), Decimal::ONE_HUNDRED],
            currency,
            mode,
            "discount",
        )?;
        if let Some(p) = parts.get_mut(k) {
            *p = exact.min(line.net);
        }
    }
    Ok(parts)
}

/// Positions of `lines` from the cheapest unit (`net / quantity`) to the dearest, ties by
/// line id. Unit prices are compared exactly, by cross-multiplying the nets' integer
/// mantissas at one scale with the quantities in `i128` — a total order. Every product is
/// checked to fit before sorting (amounts within `MAX_AMOUNT` always do); `OVERFLOW` if
/// one would not.
fn cheapest_first(lines: &[&ItemLine]) -> Result<Vec<usize>, Error> {
    let scale = lines.iter().map(|l| l.net.scale()).max().unwrap_or(0);
    let mut keys: Vec<(i128, i128)> = Vec::with_capacity(lines.len());
    let mut largest: (u128, u128) = (0, 0);
    for l in lines {
        let m = 10i128
            .checked_pow(scale.saturating_sub(l.net.scale()))
            .and_then(|f| l.net.mantissa().checked_mul(f))
            .ok_or_else(overflow)?;
        let q = i128::from(l.quantity.max(1));
        largest = (
            largest.0.max(m.unsigned_abs()),
            largest.1.max(q.unsigned_abs()),
        );
        keys.push((m, q));
    }
    if largest
        .0
        .checked_mul(largest.1)
        .is_none_or(|p| p > i128::MAX as u128)
    {
        return Err(overflow().into());
    }
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|a, b| {
        let (Some((ma, qa)), Some((mb, qb))) = (keys.get(*a), keys.get(*b)) else {
            return a.cmp(b);
        };
        // ma / qa vs mb / qb with positive quantities: ma × qb vs mb × qa (both fit).
        (ma.saturating_mul(*qb))
            .cmp(&mb.saturating_mul(*qa))
            .then_with(|| {
                let id = |k: &usize| lines.get(*k).map(|l| l.id.as_str());
                id(a).cmp(&id(b))
            })
            .then_with(|| a.cmp(b))
    });
    Ok(order)
}

/// Commits a planned discount to the lines and returns its allocations.
fn commit(
    lines: &mut [ItemLine],
    plan: &Planned,
    currency: Currency,
    slot: Slot,
) -> Result<Vec<Allocation>, Error> {
    match &plan.parts {
        Some(parts)
            if parts
                .iter()
                .try_fold(Decimal::ZERO, |a, p| a.checked_add(*p))
                == Some(plan.amount) =>
        {
            let mut out = Vec::with_capacity(parts.len());
            for (i, part) in plan.el.idx.iter().zip(parts) {
                let Some(line) = lines.get_mut(*i) else {
                    continue;
                };
                line.net = line.net.checked_sub(*part).ok_or_else(overflow)?;
                let running = match slot {
                    Slot::Offer => &mut line.discount,
                    Slot::Voucher => &mut line.voucher_discount,
                };
                *running = running.checked_add(*part).ok_or_else(overflow)?;
                out.push(Allocation {
                    line_id: line.id.clone(),
                    amount: *part,
                });
            }
            Ok(out)
        }
        Some(parts) if parts.iter().any(|p| !p.is_zero()) => {
            // Capped BOGO: split the applied amount in proportion to the parts.
            let el = Eligible {
                idx: plan.el.idx.clone(),
                base: plan.el.base,
            };
            crate::discount::allocate_weighted(lines, &el, parts, plan.amount, currency, slot)
        }
        _ => allocate_discount(lines, &plan.el, plan.amount, currency, slot),
    }
}

/// The discount line of a committed plan.
fn discount_line(
    rule_id: &str,
    code: Option<String>,
    name: &str,
    plan: &Planned,
    allocations: Vec<Allocation>,
) -> DiscountLine {
    DiscountLine {
        rule_id: rule_id.to_owned(),
        code,
        name: name.to_owned(),
        discount_type: plan.discount_type,
        value: plan.value,
        base: plan.el.base,
        requested: plan.requested,
        amount: plan.amount,
        reason: plan.reason,
        tax_mode: plan.tax_mode,
        allocations,
    }
}

/// Plans an offer's discount on the lines as they stand (nothing is changed).
fn plan_offer(
    ctx: &Ctx<'_>,
    offer: &Offer,
    lines: &[ItemLine],
) -> Result<Result<Planned, RejectionReason>, Error> {
    let currency = ctx.currency;
    let el = eligible(lines, &offer.applies_to)?;
    if el.idx.is_empty() {
        return Ok(Err(RejectionReason::NotApplicable));
    }
    if let Some(min) = offer.min_purchase_amount {
        if el.base < min.amount {
            return Ok(Err(RejectionReason::MinPurchaseNotMet {
                required: min.amount,
                actual: el.base,
            }));
        }
    }
    let value = match (offer.kind, offer.value) {
        (OfferKind::DiscountFixed, Some(v)) => Money::new(v, currency).at_currency_scale().amount,
        (_, v) => v.unwrap_or(Decimal::ONE_HUNDRED),
    };
    let (discount_type, requested, parts) = match offer.kind {
        OfferKind::DiscountFixed => (DiscountType::Fixed, value, None),
        OfferKind::Bogo => {
            let parts = bogo_parts(lines, &el, offer, currency, ctx.mode)?;
            let sum = parts
                .iter()
                .try_fold(Decimal::ZERO, |a, p| a.checked_add(*p))
                .ok_or_else(overflow)?;
            if sum.is_zero() {
                return Ok(Err(RejectionReason::NotApplicable));
            }
            (DiscountType::Bogo, sum, Some(parts))
        }
        _ => (
            DiscountType::Percentage,
            percent_of(el.base, value, currency, ctx.mode)?,
            None,
        ),
    };
    let cap = offer.max_discount.map(|m| m.amount);
    let gross = offer.kind == OfferKind::DiscountFixed && offer.tax_mode == TaxMode::Gross;
    let (parts, (amount, reason)) = if gross {
        let (parts, sum, reason) = gross_split(ctx, lines, &el, requested, cap)?;
        (Some(parts), (sum, reason))
    } else {
        (parts, cap_and_clamp(requested, cap, el.base))
    };
    let policy = offer.budget_policy.unwrap_or(ctx.rb.doc().budget_policy);
    let (amount, reason) = match budget(
        amount,
        offer.budget,
        policy,
        ctx.req.usage.offers.get(&offer.id),
    )? {
        Ok((a, r)) => (a, r.or(reason)),
        Err(rejection) => return Ok(Err(rejection)),
    };
    if amount.is_zero() {
        return Ok(Err(RejectionReason::ZeroDiscount));
    }
    Ok(Ok(Planned {
        el,
        discount_type,
        value,
        requested,
        amount,
        reason,
        parts,
        tax_mode: if gross { TaxMode::Gross } else { TaxMode::Net },
    }))
}

/// The checks every offer passes before its amount: status, window, conditions, currency.
fn precheck_offer(ctx: &Ctx<'_>, offer: &Offer) -> Option<RejectionReason> {
    if offer.status == Status::Inactive {
        return Some(RejectionReason::Inactive);
    }
    if let Some(r) = offer.window().rejection(ctx.req.now) {
        return Some(r);
    }
    if let Some(r) = check_conditions(
        &offer.conditions,
        ctx.facts,
        ctx.req.usage.offers.get(&offer.id),
    ) {
        return Some(r);
    }
    let fixed = match (offer.kind, offer.currency, offer.value) {
        (OfferKind::DiscountFixed, Some(c), Some(v)) => Some(Money::new(v, c)),
        _ => None,
    };
    foreign(
        ctx.currency,
        &[
            fixed,
            offer.max_discount,
            offer.min_purchase_amount,
            offer.budget,
        ],
    )
    .map(|actual| RejectionReason::CurrencyMismatch {
        expected: ctx.currency,
        actual,
    })
}

fn benefit_outcome(ctx: &Ctx<'_>, offer: &Offer, lines: &[ItemLine]) -> Result<Outcome, Error> {
    let el = eligible(lines, &offer.applies_to)?;
    let reject = |reason| {
        Outcome::Rejected(Rejection {
            kind: RuleKind::Offer,
            rule_id: Some(offer.id.clone()),
            code: None,
            reason,
        })
    };
    if el.idx.is_empty() {
        return Ok(reject(RejectionReason::NotApplicable));
    }
    if let Some(min) = offer.min_purchase_amount {
        if el.base < min.amount {
            return Ok(reject(RejectionReason::MinPurchaseNotMet {
                required: min.amount,
                actual: el.base,
            }));
        }
    }
    let (benefit, points, multiplier) = match offer.kind {
        OfferKind::BonusPoints => (
            BenefitKind::BonusPoints,
            offer.bonus_points.or(Some(0)),
            offer.points_multiplier,
        ),
        _ => (BenefitKind::FreeUpgrade, None, None),
    };
    Ok(Outcome::Applied(
        Box::new(Line::Benefit(BenefitLine {
            source: RuleKind::Offer,
            rule_id: offer.id.clone(),
            code: None,
            benefit,
            description: if offer.benefit.is_empty() {
                offer.name.clone()
            } else {
                offer.benefit.clone()
            },
            points,
            points_multiplier: multiplier,
            amount: None,
        })),
        Redemption {
            kind: RuleKind::Offer,
            rule_id: offer.id.clone(),
            code: None,
            customer_id: ctx.req.customer.id.clone(),
            amount: Money::zero(ctx.currency).amount,
        },
    ))
}

/// Why `offer` may not apply next to the offers already `applied`, if it may not: an
/// exclusive offer applies alone under either stacking policy, and `combines_with`
/// restricts the classes an offer sits with. Under PRIORITY an offer after an applied
/// exclusive one is EXCLUDED_BY it; otherwise the reason is NOT_COMBINABLE.
fn stacking_conflict(
    stacking: Stacking,
    offer: &Offer,
    applied: &[&Offer],
) -> Option<RejectionReason> {
    if let Some(ex) = applied.iter().find(|a| a.exclusive) {
        let offer_id = ex.id.clone();
        return Some(match stacking {
            Stacking::Priority => RejectionReason::ExcludedBy { offer_id },
            Stacking::BestDeal => RejectionReason::NotCombinable { offer_id },
        });
    }
    applied
        .iter()
        .find(|a| !offer.combines(a))
        .map(|other| RejectionReason::NotCombinable {
            offer_id: other.id.clone(),
        })
}

/// Step 2: the automatic offers, by the rulebook's stacking policy.
pub(crate) fn offers(ctx: &Ctx<'_>, lines: &mut [ItemLine]) -> Result<Vec<Outcome>, Error> {
    let doc = ctx.rb.doc();
    let ordered: Vec<&Offer> = ctx
        .rb
        .offer_order
        .iter()
        .filter_map(|i| doc.offers.get(*i))
        .collect();
    let stacking = doc.offer_stacking;
    let mut out = Vec::with_capacity(ordered.len());
    let mut applied: Vec<&Offer> = Vec::new();
    let mut groups_done: Vec<&str> = Vec::new();
    for offer in &ordered {
        if stacking == Stacking::BestDeal && !offer.group.is_empty() {
            if groups_done.contains(&offer.group.as_str()) {
                continue;
            }
            groups_done.push(&offer.group);
            let members: Vec<&Offer> = ordered
                .iter()
                .copied()
                .filter(|o| o.group == offer.group)
                .collect();
            if let Some(m) = best_deal_group(ctx, &members, &applied, lines, &mut out)? {
                applied.push(m);
            }
            continue;
        }
        if let Some(r) = precheck_offer(ctx, offer) {
            out.push(rejected_offer(offer, r));
            continue;
        }
        if let Some(r) = stacking_conflict(stacking, offer, &applied) {
            out.push(rejected_offer(offer, r));
            continue;
        }
        if matches!(offer.kind, OfferKind::FreeUpgrade | OfferKind::BonusPoints) {
            let o = benefit_outcome(ctx, offer, lines)?;
            if matches!(o, Outcome::Applied(..)) {
                applied.push(offer);
            }
            out.push(o);
            continue;
        }
        match plan_offer(ctx, offer, lines)? {
            Err(r) => out.push(rejected_offer(offer, r)),
            Ok(plan) => {
                let allocations = commit(lines, &plan, ctx.currency, Slot::Offer)?;
                out.push(applied_offer(ctx, offer, &plan, allocations));
                applied.push(offer);
            }
        }
    }
    Ok(out)
}

fn rejected_offer(offer: &Offer, reason: RejectionReason) -> Outcome {
    Outcome::Rejected(Rejection {
        kind: RuleKind::Offer,
        rule_id: Some(offer.id.clone()),
        code: None,
        reason,
    })
}

/// One BEST_DEAL group: of the members that pass their checks and may sit with the offers
/// already applied, the one giving the largest discount on the cart as it stands applies
/// (ties by priority, then id: the members come in that order); the others are rejected
/// (NOT_BEST_DEAL when they would have applied). Returns the member that applied.
fn best_deal_group<'o>(
    ctx: &Ctx<'_>,
    members: &[&'o Offer],
    applied: &[&Offer],
    lines: &mut [ItemLine],
    out: &mut Vec<Outcome>,
) -> Result<Option<&'o Offer>, Error> {
    let mut best: Option<(usize, Planned)> = None;
    let mut rejections: Vec<(usize, RejectionReason)> = Vec::new();
    for (k, m) in members.iter().enumerate() {
        let conflict =
            precheck_offer(ctx, m).or_else(|| stacking_conflict(Stacking::BestDeal, m, applied));
        if let Some(r) = conflict {
            rejections.push((k, r));
            continue;
        }
        match plan_offer(ctx, m, lines)? {
            Ok(p) => {
                if best.as_ref().is_none_or(|(_, b)| p.amount > b.amount) {
                    if let Some((bk, _)) = best.take() {
                        rejections.push((bk, RejectionReason::NotApplicable));
                    }
                    best = Some((k, p));
                } else {
                    rejections.push((k, RejectionReason::NotApplicable));
                }
            }
            Err(r) => rejections.push((k, r)),
        }
    }
    let chosen = best
        .as_ref()
        .and_then(|(k, _)| members.get(*k))
        .map(|o| o.id.clone());
    for (k, r) in rejections {
        let Some(m) = members.get(k) else { continue };
        let r = match (&r, &chosen) {
            (RejectionReason::NotApplicable, Some(c)) if plan_offer(ctx, m, lines)?.is_ok() => {
                RejectionReason::NotBestDeal { chosen: c.clone() }
            }
            _ => r,
        };
        out.push(rejected_offer(m, r));
    }
    let Some((k, plan)) = best else {
        return Ok(None);
    };
    let Some(m) = members.get(k) else {
        return Ok(None);
    };
    let allocations = commit(lines, &plan, ctx.currency, Slot::Offer)?;
    out.push(applied_offer(ctx, m, &plan, allocations));
    Ok(Some(*m))
}

fn applied_offer(
    ctx: &Ctx<'_>,
    offer: &Offer,
    plan: &Planned,
    allocations: Vec<Allocation>,
) -> Outcome {
    Outcome::Applied(
        Box::new(Line::Offer(discount_line(
            &offer.id,
            None,
            &offer.name,
            plan,
            allocations,
        ))),
        Redemption {
            kind: RuleKind::Offer,
            rule_id: offer.id.clone(),
            code: None,
            customer_id: ctx.req.customer.id.clone(),
            amount: plan.amount,
        },
    )
}

/// The checks of a voucher before its amount.
fn precheck_voucher(ctx: &Ctx<'_>, v: &Voucher) -> Option<RejectionReason> {
    if v.status == Status::Inactive {
        return Some(RejectionReason::Inactive);
    }
    if let Some(r) = v.window().rejection(ctx.req.now) {
        return Some(r);
    }
    if !v.is_public {
        let assigned = ctx
            .req
            .customer
            .id
            .as_ref()
            .is_some_and(|c| v.assigned_customers.contains(c));
        if !assigned {
            return Some(RejectionReason::NotAssigned);
        }
    }
    check_conditions(&v.conditions, ctx.facts, ctx.req.usage.vouchers.get(&v.id))
}

/// Step 3: the request's voucher codes, in the order given (at most
/// `max_vouchers_per_quote` apply).
pub(crate) fn vouchers(
    ctx: &Ctx<'_>,
    codes: &[String],
    lines: &mut [ItemLine],
) -> Result<Vec<Outcome>, Error> {
    let doc = ctx.rb.doc();
    let currency = ctx.currency;
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut applied = 0u32;
    for raw in codes {
        let code = normalize_code(raw);
        let voucher = ctx
            .rb
            .voucher_by_code
            .get(&code)
            .and_then(|i| doc.vouchers.get(*i));
        let reject = |reason| {
            Outcome::Rejected(Rejection {
                kind: RuleKind::Voucher,
                rule_id: voucher.map(|v| v.id.clone()),
                code: Some(code.clone()),
                reason,
            })
        };
        if seen.contains(&code) {
            out.push(reject(RejectionReason::DuplicateCode));
            continue;
        }
        seen.push(code.clone());
        let Some(v) = voucher else {
            out.push(reject(RejectionReason::NotFound));
            continue;
        };
        if let Some(r) = precheck_voucher(ctx, v) {
            out.push(reject(r));
            continue;
        }
        if applied >= doc.max_vouchers_per_quote {
            out.push(reject(RejectionReason::MaxVouchersReached {
                limit: doc.max_vouchers_per_quote,
            }));
            continue;
        }
        let fixed = v.currency.map(|c| Money::new(v.value, c));
        if let Some(actual) = foreign(
            currency,
            &[fixed, v.max_discount, v.min_purchase_amount, v.budget],
        ) {
            out.push(reject(RejectionReason::CurrencyMismatch {
                expected: currency,
                actual,
            }));
            continue;
        }
        let el = eligible(lines, &v.applies_to)?;
        if el.idx.is_empty() {
            if v.kind == VoucherKind::FreeService {
                applied = applied.saturating_add(1);
                out.push(voucher_benefit(
                    ctx,
                    v,
                    &code,
                    BenefitKind::FreeService,
                    None,
                ));
            } else {
                out.push(reject(RejectionReason::NotApplicable));
            }
            continue;
        }
        if let Some(min) = v.min_purchase_amount {
            if el.base < min.amount {
                out.push(reject(RejectionReason::MinPurchaseNotMet {
                    required: min.amount,
                    actual: el.base,
                }));
                continue;
            }
        }
        let (discount_type, requested) = match (v.kind, v.currency) {
            (VoucherKind::DiscountFixed, _) | (VoucherKind::Cashback, Some(_)) => (
                DiscountType::Fixed,
                Money::new(v.value, currency).at_currency_scale().amount,
            ),
            (VoucherKind::FreeService, _) => (DiscountType::Percentage, el.base),
            _ => (
                DiscountType::Percentage,
                percent_of(el.base, v.value, currency, ctx.mode)?,
            ),
        };
        let cap = v.max_discount.map(|m| m.amount);
        let gross = v.kind == VoucherKind::DiscountFixed && v.tax_mode == TaxMode::Gross;
        let (parts, (amount, reason)) = if gross {
            let (parts, sum, reason) = gross_split(ctx, lines, &el, requested, cap)?;
            (Some(parts), (sum, reason))
        } else {
            (None, cap_and_clamp(requested, cap, el.base))
        };
        let policy = v.budget_policy.unwrap_or(doc.budget_policy);
        let (amount, reason) =
            match budget(amount, v.budget, policy, ctx.req.usage.vouchers.get(&v.id))? {
                Ok((a, r)) => (a, r.or(reason)),
                Err(r) => {
                    out.push(reject(r));
                    continue;
                }
            };
        if amount.is_zero() {
            out.push(reject(RejectionReason::ZeroDiscount));
            continue;
        }
        applied = applied.saturating_add(1);
        if v.kind == VoucherKind::Cashback {
            out.push(voucher_benefit(
                ctx,
                v,
                &code,
                BenefitKind::Cashback,
                Some(amount),
            ));
            continue;
        }
        let plan = Planned {
            el,
            discount_type,
            value: v.value,
            requested,
            amount,
            reason,
            parts,
            tax_mode: if gross { TaxMode::Gross } else { TaxMode::Net },
        };
        let allocations = commit(lines, &plan, currency, Slot::Voucher)?;
        out.push(Outcome::Applied(
            Box::new(Line::Voucher(discount_line(
                &v.id,
                Some(code.clone()),
                &v.name,
                &plan,
                allocations,
            ))),
            Redemption {
                kind: RuleKind::Voucher,
                rule_id: v.id.clone(),
                code: Some(code),
                customer_id: ctx.req.customer.id.clone(),
                amount,
            },
        ));
    }
    Ok(out)
}

fn voucher_benefit(
    ctx: &Ctx<'_>,
    v: &Voucher,
    code: &str,
    benefit: BenefitKind,
    amount: Option<Decimal>,
) -> Outcome {
    Outcome::Applied(
        Box::new(Line::Benefit(BenefitLine {
            source: RuleKind::Voucher,
            rule_id: v.id.clone(),
            code: Some(code.to_owned()),
            benefit,
            description: if v.benefit.is_empty() {
                v.name.clone()
            } else {
                v.benefit.clone()
            },
            points: None,
            points_multiplier: None,
            amount,
        })),
        Redemption {
            kind: RuleKind::Voucher,
            rule_id: v.id.clone(),
            code: Some(code.to_owned()),
            customer_id: ctx.req.customer.id.clone(),
            amount: amount.unwrap_or(Money::zero(ctx.currency).amount),
        },
    )
}
