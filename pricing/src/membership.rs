//! Membership plans and the rewards a quote earns (points and pending cashback).

use rihla_core::{Decimal, Money};
use serde::{Deserialize, Serialize};

/// Membership tiers of the platform, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Tier {
    /// No subscription (or an expired one).
    Guest,
    /// Bronze plan.
    Bronze,
    /// Silver plan.
    Silver,
    /// Gold plan.
    Gold,
    /// Platinum plan.
    Platinum,
    /// Diamond plan.
    Diamond,
}

/// One plan of the table: its price, cashback rate and points multiplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The tier the plan gives.
    pub tier: Tier,
    /// Subscription price.
    pub price: Money,
    /// Cashback on the final amount, percent (0–100).
    #[serde(with = "rihla_core::decimal_string")]
    pub cashback_percent: Decimal,
    /// Points multiplier (0–100), e.g. `"1.50"`.
    #[serde(with = "rihla_core::decimal_string")]
    pub points_multiplier: Decimal,
}

/// The amount points are earned on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PointsBasis {
    /// The quote's `final_amount`, tax included (the platform's default).
    #[default]
    FinalAmount,
    /// `final_amount − tax_amount`.
    NetOfTax,
}

/// The membership programme of a rulebook. The platform's seeded plan table
/// (DESIGN.md §3: GUEST 0 % × 1.00, BRONZE 2 % × 1.10, SILVER 3 % × 1.25, GOLD 5 % × 1.50,
/// PLATINUM 7 % × 1.75, DIAMOND 10 % × 2.00) ships in the default rulebook. A rulebook
/// without a programme earns no rewards.
///
/// Points: `base = floor(basis / points_unit)`, earned `= floor(base × multiplier)`.
/// Cashback: `round(final × cashback_percent / 100)` to the minor unit, PENDING for
/// `cashback_hold_days` days after the booking completes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// Currency amount per base point (default 10).
    #[serde(default = "ten", with = "rihla_core::decimal_string")]
    pub points_unit: Decimal,
    /// What points are earned on (default FINAL_AMOUNT).
    #[serde(default)]
    pub points_basis: PointsBasis,
    /// Days after completion before pending cashback may be credited (default 7).
    #[serde(default = "seven")]
    pub cashback_hold_days: u32,
    /// The plan table; must contain GUEST, each tier at most once.
    pub plans: Vec<Plan>,
}

fn ten() -> Decimal {
    Decimal::TEN
}
fn seven() -> u32 {
    7
}

/// Step 6 of the pipeline: the rewards of a quote whose totals are known.
///
/// An absent subscription, or one whose `valid_until` is before `now`, prices as GUEST.
///
/// # Errors
/// `OVERFLOW` when the points would pass 2^53 − 1 (the largest integer JavaScript holds
/// exactly).
pub(crate) fn rewards(
    programme: Option<&Membership>,
    subscription: Option<&crate::request::Subscription>,
    now: chrono::DateTime<chrono::Utc>,
    final_amount: Decimal,
    tax_amount: Decimal,
    currency: rihla_core::Currency,
    mode: rihla_core::RoundingMode,
) -> Result<crate::quote::Rewards, crate::Error> {
    use crate::quote::{CashbackStatus, MembershipStatus, Rewards};
    use rihla_core::CoreError;
    use rust_decimal::prelude::ToPrimitive;

    let (mut tier, mut status) = match subscription {
        None => (Tier::Guest, MembershipStatus::None),
        Some(s) if s.valid_until.is_some_and(|u| now > u) => {
            (Tier::Guest, MembershipStatus::Expired)
        }
        Some(s) => (s.tier, MembershipStatus::Active),
    };
    let zero = rihla_core::Money::zero(currency).amount;
    let plan = programme.and_then(|m| m.plans.iter().find(|p| p.tier == tier));
    let plan = match (plan, programme) {
        (Some(p), _) => Some(p),
        (None, Some(m)) => {
            tier = Tier::Guest;
            status = MembershipStatus::NoPlan;
            m.plans.iter().find(|p| p.tier == Tier::Guest)
        }
        (None, None) => {
            status = MembershipStatus::NoPlan;
            None
        }
    };
    let (Some(m), Some(plan)) = (programme, plan) else {
        return Ok(Rewards {
            tier: Tier::Guest,
            membership_status: status,
            points_basis_amount: zero,
            points_unit: Decimal::ZERO,
            base_points: 0,
            points_multiplier: Decimal::ZERO,
            points: 0,
            bonus_points: 0,
            total_points: 0,
            cashback_percent: Decimal::ZERO,
            cashback_amount: zero,
            cashback_status: CashbackStatus::Pending,
            cashback_hold_days: 0,
        });
    };
    let overflow = || CoreError::Overflow {
        operation: "rewards",
    };
    let basis = match m.points_basis {
        PointsBasis::FinalAmount => final_amount,
        PointsBasis::NetOfTax => final_amount.checked_sub(tax_amount).ok_or_else(overflow)?,
    };
    const MAX_POINTS: u64 = (1 << 53) - 1;
    let to_points = |d: Decimal| {
        d.floor()
            .to_u64()
            .filter(|p| *p <= MAX_POINTS)
            .ok_or_else(overflow)
    };
    let base_points = to_points(basis.checked_div(m.points_unit).ok_or_else(overflow)?)?;
    let points = to_points(
        Decimal::from(base_points)
            .checked_mul(plan.points_multiplier)
            .ok_or_else(overflow)?,
    )?;
    let cashback_amount =
        crate::discount::percent_of(final_amount, plan.cashback_percent, currency, mode)?;
    Ok(Rewards {
        tier,
        membership_status: status,
        points_basis_amount: basis,
        points_unit: m.points_unit,
        base_points,
        points_multiplier: plan.points_multiplier,
        points,
        bonus_points: 0,
        total_points: points,
        cashback_percent: plan.cashback_percent,
        cashback_amount,
        cashback_status: CashbackStatus::Pending,
        cashback_hold_days: m.cashback_hold_days,
    })
}
