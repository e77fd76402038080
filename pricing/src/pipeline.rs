//! The quote pipeline, in its fixed order (docs/pricing.md):
//!
//! 1. price items → gross item lines ([`crate::item::price_items`]);
//! 2. automatic offers, by priority (higher first, ties by id), each on the eligible
//!    amount left by the earlier ones;
//! 3. vouchers, in the order the codes were given (at most `max_vouchers_per_quote`);
//! 4. fees (none in the walking skeleton: `fee_amount` is 0);
//! 5. taxes, per line on the line's net after its allocated discounts, rounded per line;
//! 6. totals and the rewards preview.

use crate::condition::CartFacts;
use crate::error::Doc;
use crate::limits;
use crate::promotion::{Ctx, Outcome};
use crate::quote::{Line, Quote};
use crate::rulebook::{check_id, check_len, check_money};
use crate::voucher::VoucherCheck;
use crate::{Error, QuoteRequest, Rulebook};
use rihla_core::{CoreError, Money};

/// Validates the request's envelope (limits, codes, customer id).
fn check_request(req: &QuoteRequest) -> Result<(), Error> {
    check_len("items", req.items.len(), limits::MAX_ITEMS)?;
    if req.items.is_empty() {
        return Err(Error::InvalidRequest {
            field: "items".into(),
            reason: "a quote needs at least one item".into(),
        });
    }
    check_len(
        "voucher_codes",
        req.voucher_codes.len(),
        limits::MAX_VOUCHER_CODES,
    )?;
    for (i, c) in req.voucher_codes.iter().enumerate() {
        check_id(|| format!("voucher_codes[{i}]"), c, Doc::Request)?;
    }
    if let Some(id) = &req.customer.id {
        check_id(|| "customer.id".into(), id, Doc::Request)?;
    }
    for (name, counts) in [
        ("offers", &req.usage.offers),
        ("vouchers", &req.usage.vouchers),
    ] {
        check_len(
            &format!("usage.{name}"),
            counts.len(),
            limits::MAX_USAGE_ENTRIES,
        )?;
        for (id, c) in counts {
            check_id(|| format!("usage.{name}"), id, Doc::Request)?;
            if let Some(m) = &c.budget_used {
                check_money(|| format!("usage.{name}.{id}.budget_used"), m)?;
            }
        }
    }
    Ok(())
}

/// `m` in `to` with the request's rates, rounded once to `to`'s minor unit, at most
/// [`rihla_core::MAX_AMOUNT`] (`OVERFLOW` naming the rate's pair past it).
fn convert_to(
    m: Money,
    to: rihla_core::Currency,
    rates: &rihla_core::RateTable,
    mode: rihla_core::RoundingMode,
) -> Result<rihla_core::Decimal, Error> {
    let converted = rihla_core::convert(m, to, rates, mode)?.amount.amount;
    let field = || format!("rates[{}→{}] applied to {}", m.currency, to, m.amount);
    Ok(rihla_core::money::within_max(field, converted)?)
}

/// Step 1: the request's items as gross item lines (and the charters' breakdowns).
fn item_lines(
    rb: &Rulebook,
    req: &QuoteRequest,
    rates: &rihla_core::RateTable,
) -> Result<crate::item::PricedItems, Error> {
    let doc = rb.doc();
    let convert = |m: Money| convert_to(m, req.currency, rates, doc.rounding);
    crate::item::price_items(
        &req.items,
        &crate::item::ItemContext {
            currency: req.currency,
            mode: doc.rounding,
            now: req.now,
            max_seated_passengers: doc.max_seated_passengers,
            charter: doc
                .charter
                .as_ref()
                .unwrap_or(&crate::jet::rules::NO_CHARTER_RULES),
            convert: &convert,
        },
    )
}

fn promotion_context<'a>(rb: &'a Rulebook, req: &'a QuoteRequest, facts: &'a CartFacts) -> Ctx<'a> {
    Ctx {
        rb,
        req,
        facts,
        currency: req.currency,
        mode: rb.doc().rounding,
    }
}

/// Adds the bonus points of BONUS_POINTS offers to the rewards: the fixed bonus plus, for
/// a multiplier m, `floor(points × (m − 1))`; each benefit line records what it granted.
fn grant_bonus_points(
    lines: &mut [Line],
    rewards: &mut crate::quote::Rewards,
) -> Result<(), Error> {
    use rust_decimal::prelude::ToPrimitive;
    const MAX_POINTS: u64 = (1 << 53) - 1;
    let overflow = || CoreError::Overflow {
        operation: "bonus points",
    };
    let earned = rihla_core::Decimal::from(rewards.points);
    for line in lines.iter_mut() {
        let Line::Benefit(b) = line else { continue };
        if b.benefit != crate::quote::BenefitKind::BonusPoints {
            continue;
        }
        let extra = match b.points_multiplier {
            Some(m) => m
                .checked_sub(rihla_core::Decimal::ONE)
                .and_then(|x| x.checked_mul(earned))
                .and_then(|x| x.floor().to_u64())
                .ok_or_else(overflow)?,
            None => 0,
        };
        let granted = b
            .points
            .unwrap_or(0)
            .checked_add(extra)
            .ok_or_else(overflow)?;
        b.points = Some(granted);
        rewards.bonus_points = rewards
            .bonus_points
            .checked_add(granted)
            .ok_or_else(overflow)?;
    }
    rewards.total_points = rewards
        .points
        .checked_add(rewards.bonus_points)
        .filter(|p| *p <= MAX_POINTS)
        .ok_or_else(overflow)?;
    Ok(())
}

/// Steps 1–2 and the voucher step for one code, without fees, taxes or rewards: what a
/// checkout page asks as the customer types a code.
pub(crate) fn check_voucher(
    rb: &Rulebook,
    req: &QuoteRequest,
    code: &str,
) -> Result<VoucherCheck, Error> {
    check_request(req)?;
    check_id(
        || "code".into(),
        crate::voucher::normalize_code(code).as_str(),
        Doc::Request,
    )?;
    let rates = rihla_core::RateTable::new(req.rates.clone())?;
    let mut items = item_lines(rb, req, &rates)?.lines;
    let (tier, _) = crate::membership::effective_tier(
        rb.doc().membership.as_ref(),
        req.customer.membership.as_ref(),
        req.now,
    );
    let facts = CartFacts::gather(&req.items, tier, req.now);
    let ctx = promotion_context(rb, req, &facts);
    crate::promotion::offers(&ctx, &mut items)?;
    let outcome = crate::promotion::vouchers(&ctx, &[code.to_owned()], &mut items)?
        .into_iter()
        .next();
    let normalized = crate::voucher::normalize_code(code);
    Ok(match outcome {
        Some(Outcome::Applied(line, redemption)) => match *line {
            Line::Benefit(b) => VoucherCheck {
                code: normalized,
                applies: true,
                rule_id: Some(b.rule_id),
                eligible_amount: None,
                discount: Some(redemption.amount),
                reason: None,
            },
            Line::Voucher(d) => VoucherCheck {
                code: normalized,
                applies: true,
                rule_id: Some(d.rule_id),
                eligible_amount: Some(d.base),
                discount: Some(d.amount),
                reason: None,
            },
            _ => VoucherCheck::rejected(normalized, None, None),
        },
        Some(Outcome::Rejected(r)) => VoucherCheck::rejected(normalized, r.rule_id, Some(r.reason)),
        None => VoucherCheck::rejected(normalized, None, None),
    })
}

pub(crate) fn quote(rb: &Rulebook, req: &QuoteRequest) -> Result<Quote, Error> {
    let doc = rb.doc();
    let currency = req.currency;
    check_request(req)?;

    // 1. Items.
    let rates = rihla_core::RateTable::new(req.rates.clone())?;
    let crate::item::PricedItems {
        lines: mut items,
        mut charters,
    } = item_lines(rb, req, &rates)?;
    let customer_id = &req.customer.id;
    let mut adjustments = Vec::new();
    let mut redemptions = Vec::new();
    let mut rejected = Vec::new();

    // 2–3. Offers, then vouchers.
    let (tier, _) = crate::membership::effective_tier(
        rb.doc().membership.as_ref(),
        req.customer.membership.as_ref(),
        req.now,
    );
    let facts = CartFacts::gather(&req.items, tier, req.now);
    let ctx = promotion_context(rb, req, &facts);
    let offers = crate::promotion::offers(&ctx, &mut items)?;
    let vouchers = crate::promotion::vouchers(&ctx, &req.voucher_codes, &mut items)?;
    for outcome in offers.into_iter().chain(vouchers) {
        match outcome {
            Outcome::Applied(line, redemption) => {
                adjustments.push(*line);
                redemptions.push(redemption);
            }
            Outcome::Rejected(r) => rejected.push(r),
        }
    }

    // 4. Fees: none yet. 5. Taxes and carrier surcharges.
    let convert = |m: Money| convert_to(m, currency, &rates, doc.rounding);
    let ctx = crate::tax::apply::TaxContext {
        rules: &doc.taxes,
        rounding: doc.tax_rounding,
        mode: doc.rounding,
        currency,
        now: req.now,
        items: &req.items,
        convert: &convert,
    };
    let taxes = crate::tax::apply::apply_taxes(&ctx, &mut items)?;
    for c in charters.iter_mut() {
        crate::jet::charter::settle(c, &items, currency)?;
    }

    // 6. Totals.
    let overflow = |operation| CoreError::Overflow { operation };
    let zero = Money::zero(currency).amount;
    let (mut base, mut discount, mut voucher, mut tax, mut fee, mut final_amount) =
        (zero, zero, zero, zero, zero, zero);
    for l in items.iter_mut() {
        l.total = l
            .net
            .checked_add(l.tax)
            .and_then(|t| t.checked_add(l.surcharge))
            .ok_or(overflow("line total"))?;
        fee = fee.checked_add(l.surcharge).ok_or(overflow("fee_amount"))?;
        base = base.checked_add(l.gross).ok_or(overflow("base_amount"))?;
        discount = discount
            .checked_add(l.discount)
            .ok_or(overflow("discount_amount"))?;
        voucher = voucher
            .checked_add(l.voucher_discount)
            .ok_or(overflow("voucher_discount"))?;
        tax = tax.checked_add(l.tax).ok_or(overflow("tax_amount"))?;
        final_amount = final_amount
            .checked_add(l.total)
            .ok_or(overflow("final_amount"))?;
    }
    for (field, amount) in [
        ("base_amount", base),
        ("discount_amount", discount),
        ("voucher_discount", voucher),
        ("fee_amount", fee),
        ("tax_amount", tax),
        ("final_amount", final_amount),
    ] {
        rihla_core::money::within_max(|| field.to_owned(), amount)?;
    }
    let mut rewards = crate::membership::rewards(
        doc.membership.as_ref(),
        req.customer.membership.as_ref(),
        req.now,
        final_amount,
        tax,
        currency,
        doc.rounding,
    )?;

    let totals = crate::display::QuoteTotals {
        base_amount: base,
        discount_amount: discount,
        voucher_discount: voucher,
        fee_amount: fee,
        tax_amount: tax,
        final_amount,
    };
    let display = match req.display_currency {
        Some(to) => Some(crate::display::display_totals(
            totals,
            currency,
            to,
            &rates,
            doc.rounding,
        )?),
        None => None,
    };
    let settlement = crate::display::settlement_for(
        Money::new(final_amount, currency),
        &doc.settlement_exponents,
        doc.rounding,
    )?;

    let mut lines: Vec<Line> = Vec::with_capacity(
        items
            .len()
            .saturating_add(adjustments.len())
            .saturating_add(taxes.len()),
    );
    lines.extend(items.into_iter().map(Line::Item));
    lines.extend(adjustments);
    lines.extend(taxes);
    grant_bonus_points(&mut lines, &mut rewards)?;
    let fingerprint = req.fingerprint.then(|| {
        crate::fingerprint::of_quote(rb.fingerprint(), req, currency.code(), final_amount)
    });
    Ok(Quote {
        rulebook_version: doc.version.clone(),
        currency,
        customer_id: customer_id.clone(),
        lines,
        base_amount: base,
        discount_amount: discount,
        voucher_discount: voucher,
        fee_amount: fee,
        tax_amount: tax,
        final_amount,
        display,
        settlement,
        rewards,
        redemptions,
        rejected,
        charters,
        fingerprint,
    })
}
