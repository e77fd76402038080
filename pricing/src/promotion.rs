//! Steps 2 and 3 of the pipeline: automatic offers, then vouchers.
//!
//! Both follow the conventions of DESIGN.md §3: each rule is checked (status, validity
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
            Decimal::ONE + rate / Decimal::ONE_HUNDRED
        })
        .collect()
}

/// A tax-inclusive (GROSS) fixed discount: `requested` is capped and clamped against the
/// eligible amount with tax, split over the lines by their amount with tax (largest
/// remainder), and each part divided by its line's `1 + rate`, rounded to the minor unit.
/// Returns the net parts, their sum, and the reason the gross amount was cut.
fn gross_split(
    ctx: &Ctx<'_>,
    lines: &[ItemLine],
    el: &Eligible,
    requested: Decimal,
    cap: Option<Decimal>,
) -> Result<(Vec<Decimal>, Decimal, Option<AdjustmentReason>), Error> {
    let factors = gross_factors(ctx, lines, el);
    let weights: Vec<Decimal> = el
        .idx
        .iter()
        .zip(&factors)
        .filter_map(|(i, f)| lines.get(*i).and_then(|l| l.net.checked_mul(*f)))
        .map(|w| ctx.mode.round_to_minor(w, ctx.currency))
        .collect();
    let gross_base = weights
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))
        .ok_or_else(overflow)?;
    let (gross, reason) = cap_and_clamp(requested, cap, gross_base);
    let gross_parts = rihla_core::allocate(Money::new(gross, ctx.currency), &weights)?;
    let mut parts = Vec::with_capacity(gross_parts.len());
    let mut sum = Decimal::ZERO;
    for ((i, f), g) in el.idx.iter().zip(&factors).zip(gross_parts) {
        let net = lines.get(*i).map_or(Decimal::ZERO, |l| l.net);
        let part = ctx
            .mode
            .round_to_minor(g.amount.checked_div(*f).ok_or_else(overflow)?, ctx.currency)
            .min(net);
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

/// Holds `amount` to what is left of `budget`.
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
    let remaining = budget
        .amount
        .checked_sub(used)
        .ok_or_else(overflow)?
        .max(Decimal::ZERO);
    if amount <= remaining {
        return Ok(Ok((amount, None)));
    }
    Ok(match policy {
        BudgetPolicy::Refuse => Err(RejectionReason::BudgetExceeded {
            remaining,
            requested: amount,
        }),
        BudgetPolicy::Clamp => Ok((remaining, Some(AdjustmentReason::ClampedToBudget))),
        BudgetPolicy::Overshoot => Ok((amount, Some(AdjustmentReason::BudgetOvershoot))),
    })
}

/// BOGO: the discount per eligible line when `buy` + `get` units make an occurrence and
/// the `get` cheapest units of each occurrence are `percent` off (cheapest across the
/// eligible lines; ties by line id).
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
    let units: u64 = el
        .idx
        .iter()
        .filter_map(|i| lines.get(*i))
        .map(|l| u64::from(l.quantity))
        .sum();
    let per = u64::from(buy) + u64::from(get);
    let mut occurrences = units.checked_div(per).unwrap_or(0);
    if let Some(m) = max_occurrences {
        occurrences = occurrences.min(u64::from(m));
    }
    let mut free = occurrences.saturating_mul(u64::from(get));
    // Cheapest unit first: compare net/quantity exactly by cross-multiplication.
    let mut order: Vec<usize> = (0..el.idx.len()).collect();
    let line_at = |k: &usize| el.idx.get(*k).and_then(|i| lines.get(*i));
    order.sort_by(|a, b| match (line_at(a), line_at(b)) {
        (Some(x), Some(y)) => {
            let lhs = x.net.checked_mul(Decimal::from(y.quantity));
            let rhs = y.net.checked_mul(Decimal::from(x.quantity));
            lhs.cmp(&rhs).then_with(|| x.id.cmp(&y.id))
        }
        _ => std::cmp::Ordering::Equal,
    });
    let mut parts = vec![Money::zero(currency).amount; el.idx.len()];
    for k in order {
        if free == 0 {
            break;
        }
        let Some(line) = line_at(&k) else { continue };
        let take = free.min(u64::from(line.quantity));
        free -= take;
        let exact = line
            .net
            .checked_mul(Decimal::from(take))
            .and_then(|x| x.checked_div(Decimal::from(line.quantity)))
            .and_then(|x| x.checked_mul(percent))
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(overflow)?;
        if let Some(p) = parts.get_mut(k) {
            *p = mode.round_to_minor(exact, currency).min(line.net);
        }
    }
    Ok(parts)
}

/// Commits a planned discount to the lines and returns its allocations.
fn commit(
    lines: &mut [ItemLine],
    plan: &Planned,
    currency: Currency,
    slot: Slot,
) -> Result<Vec<Allocation>, Error> {
    match &plan.parts {
        Some(parts) if parts.iter().copied().sum::<Decimal>() == plan.amount => {
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
    let value = offer.value.unwrap_or(Decimal::ONE_HUNDRED);
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

/// Step 2: the automatic offers, by the rulebook's stacking policy.
pub(crate) fn offers(ctx: &Ctx<'_>, lines: &mut [ItemLine]) -> Result<Vec<Outcome>, Error> {
    let doc = ctx.rb.doc();
    let ordered: Vec<&Offer> = ctx
        .rb
        .offer_order
        .iter()
        .filter_map(|i| doc.offers.get(*i))
        .collect();
    let mut out = Vec::with_capacity(ordered.len());
    let mut applied: Vec<&Offer> = Vec::new();
    let mut groups_done: Vec<&str> = Vec::new();
    let reject = |offer: &Offer, reason| {
        Outcome::Rejected(Rejection {
            kind: RuleKind::Offer,
            rule_id: Some(offer.id.clone()),
            code: None,
            reason,
        })
    };
    for offer in &ordered {
        let stacking = doc.offer_stacking;
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
            let mut best: Option<(usize, Planned)> = None;
            let mut rejections: Vec<(usize, RejectionReason)> = Vec::new();
            for (k, m) in members.iter().enumerate() {
                if let Some(r) = precheck_offer(ctx, m) {
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
                    (RejectionReason::NotApplicable, Some(c))
                        if plan_offer(ctx, m, lines)?.is_ok() =>
                    {
                        RejectionReason::NotBestDeal { chosen: c.clone() }
                    }
                    _ => r,
                };
                out.push(reject(m, r));
            }
            if let Some((k, plan)) = best {
                let Some(m) = members.get(k) else { continue };
                let allocations = commit(lines, &plan, ctx.currency, Slot::Offer)?;
                out.push(applied_offer(ctx, m, &plan, allocations));
                applied.push(m);
            }
            continue;
        }
        if let Some(r) = precheck_offer(ctx, offer) {
            out.push(reject(offer, r));
            continue;
        }
        if stacking == Stacking::Priority {
            if let Some(ex) = applied.iter().find(|a| a.exclusive) {
                out.push(reject(
                    offer,
                    RejectionReason::ExcludedBy {
                        offer_id: ex.id.clone(),
                    },
                ));
                continue;
            }
            if let Some(other) = applied.iter().find(|a| !offer.combines(a)) {
                out.push(reject(
                    offer,
                    RejectionReason::NotCombinable {
                        offer_id: other.id.clone(),
                    },
                ));
                continue;
            }
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
            Err(r) => out.push(reject(offer, r)),
            Ok(plan) => {
                let allocations = commit(lines, &plan, ctx.currency, Slot::Offer)?;
                out.push(applied_offer(ctx, offer, &plan, allocations));
                applied.push(offer);
            }
        }
    }
    Ok(out)
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
                applied += 1;
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
            (VoucherKind::DiscountFixed, _) | (VoucherKind::Cashback, Some(_)) => {
                (DiscountType::Fixed, v.value)
            }
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
        applied += 1;
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
