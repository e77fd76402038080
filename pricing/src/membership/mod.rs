//! Membership: the plan table, the rewards a quote earns (points and pending cashback,
//! with an optional cap per booking), the tier that lifetime points reach, entitlement
//! quotas ([`entitlement`]) and the price of an upgrade mid-term ([`upgrade`]).

pub mod entitlement;
pub mod upgrade;

use crate::Error;
use rihla_core::{Decimal, Money};
use serde::{Deserialize, Serialize};

pub use entitlement::{
    Entitlement, EntitlementCheck, EntitlementPeriod, EntitlementReason, EntitlementRequest,
};
pub use upgrade::{UpgradeQuote, UpgradeRequest, MAX_INSTALMENTS};

/// Largest points figure rihla produces or accepts as a threshold: 2^53 − 1, the largest
/// integer a JavaScript number holds exactly.
pub const MAX_POINTS: u64 = (1 << 53) - 1;

/// Membership tiers of the platform, lowest first (the order upgrades follow).
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

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 6] = [
        Tier::Guest,
        Tier::Bronze,
        Tier::Silver,
        Tier::Gold,
        Tier::Platinum,
        Tier::Diamond,
    ];

    /// The tier's JSON name: `"GUEST"`, `"BRONZE"`, `"SILVER"`, `"GOLD"`, `"PLATINUM"`,
    /// `"DIAMOND"`.
    pub fn code(self) -> &'static str {
        match self {
            Tier::Guest => "GUEST",
            Tier::Bronze => "BRONZE",
            Tier::Silver => "SILVER",
            Tier::Gold => "GOLD",
            Tier::Platinum => "PLATINUM",
            Tier::Diamond => "DIAMOND",
        }
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One plan of the table: its price, cashback rate (and cap), points multiplier, the
/// lifetime points that reach it, and its entitlements.
///
/// ```json
/// {"tier": "GOLD", "price": {"amount": "1999.00", "currency": "SAR"},
///  "cashback_percent": "5", "points_multiplier": "1.50",
///  "cashback_cap": {"amount": "500.00", "currency": "SAR"},
///  "min_lifetime_points": 15000,
///  "entitlements": [{"code": "LOUNGE_PASS", "quota": 2, "period": "MONTHLY"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The tier the plan gives.
    pub tier: Tier,
    /// Price of one subscription term (the platform sells yearly terms); the basis of
    /// [`crate::Rulebook::upgrade_price`]. Non-negative, whole minor units.
    pub price: Money,
    /// Cashback on the final amount, percent (0–100).
    #[serde(with = "rihla_core::decimal_string")]
    pub cashback_percent: Decimal,
    /// Points multiplier (0–100), e.g. `"1.50"`.
    #[serde(with = "rihla_core::decimal_string")]
    pub points_multiplier: Decimal,
    /// Most cashback one booking earns (absent = no cap). Non-negative, whole minor units.
    /// A cap in another currency than the quote's cannot be compared (rihla never converts
    /// silently): the quote's cashback is then withheld, `0`, with reason
    /// `CURRENCY_MISMATCH`, so that a misconfigured cap never over-credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cashback_cap: Option<Money>,
    /// Lifetime points from which a member qualifies for this tier (absent = not reached
    /// by points; at most [`MAX_POINTS`]). Thresholds must rise strictly with the tier.
    /// See [`crate::Rulebook::tier_for_points`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_lifetime_points: Option<u64>,
    /// Quotas of non-monetary benefits (lounge passes, free seat selections …), at most
    /// [`crate::limits::MAX_RULE_LIST`], codes unique after normalisation (trimmed, upper
    /// case). See [`crate::Rulebook::check_entitlement`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<Entitlement>,
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
/// (the platform's plan table, docs/pricing.md: GUEST 0 % × 1.00, BRONZE 2 % × 1.10, SILVER 3 % × 1.25, GOLD 5 % × 1.50,
/// PLATINUM 7 % × 1.75, DIAMOND 10 % × 2.00) ships in the default rulebook. A rulebook
/// without a programme earns no rewards.
///
/// Points: `base = floor(basis / points_unit)`, earned `= floor(base × multiplier)`.
/// Cashback: `round(final × cashback_percent / 100)` to the minor unit (the quote's
/// `cashback_requested`), cut to the plan's `cashback_cap` when one is set (reason
/// `CAPPED`), PENDING for `cashback_hold_days` days after the booking completes.
///
/// The default rulebook's lifetime-points thresholds (BRONZE 1 000, SILVER 5 000, GOLD
/// 15 000, PLATINUM 40 000, DIAMOND 100 000) and entitlements (lounge passes: GOLD 2 and
/// PLATINUM 4 a month, DIAMOND unlimited) are rihla's defaults for a platform to
/// configure, not figures any platform has published.
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

impl Membership {
    /// The plan of `tier`, if the table has one.
    pub fn plan(&self, tier: Tier) -> Option<&Plan> {
        self.plans.iter().find(|p| p.tier == tier)
    }
}

impl crate::Rulebook {
    /// The tier that `lifetime_points` reach: the highest tier whose plan's
    /// `min_lifetime_points` is ≤ `lifetime_points` (a threshold is reached *at* its
    /// value), GUEST when none is (or the rulebook has no programme). Plans without a
    /// threshold are never reached by points. Monotone: more points never give a lower
    /// tier.
    ///
    /// With the default rulebook: 999 → GUEST, 1 000 → BRONZE, 14 999 → SILVER,
    /// 15 000 → GOLD, 100 000 → DIAMOND.
    pub fn tier_for_points(&self, lifetime_points: u64) -> Tier {
        self.doc()
            .membership
            .iter()
            .flat_map(|m| m.plans.iter())
            .filter(|p| p.min_lifetime_points.is_some_and(|t| t <= lifetime_points))
            .map(|p| p.tier)
            .max()
            .unwrap_or(Tier::Guest)
    }
}

/// Why a quote's cashback differs from `round(final × rate / 100)` (the `cashback_reason`
/// of [`crate::quote::Rewards`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CashbackReason {
    /// Cut to the plan's `cashback_cap`.
    Capped,
    /// The plan's `cashback_cap` is in another currency than the quote: cashback withheld.
    CurrencyMismatch,
}

/// Validates what [`Plan`] adds to the plan table beyond price, rate and multiplier:
/// cashback caps, lifetime-points thresholds and entitlements. Called by the rulebook's
/// validation after the plan table itself.
///
/// # Errors
/// `INVALID_AMOUNT` (a negative cap, or digits below its minor unit); `RATE_OUT_OF_RANGE`
/// (a threshold over [`MAX_POINTS`]); `INVALID_RULEBOOK` (thresholds that do not rise
/// strictly with the tier, an entitlement with no quota or with both a quota and
/// `unlimited`); `DUPLICATE_ID` (an entitlement code twice in a plan); `LIMIT_EXCEEDED`.
pub(crate) fn validate(m: &Membership) -> Result<(), Error> {
    use crate::rulebook::{check_money, check_range};
    let mut by_tier: Vec<(Tier, u64, usize)> = Vec::new();
    for (i, p) in m.plans.iter().enumerate() {
        let f = format!("membership.plans[{i}]");
        if let Some(cap) = &p.cashback_cap {
            check_money(|| format!("{f}.cashback_cap"), cap)?;
        }
        if let Some(t) = p.min_lifetime_points {
            check_range(
                || format!("{f}.min_lifetime_points"),
                Decimal::from(t),
                Decimal::ZERO,
                Decimal::from(MAX_POINTS),
            )?;
            by_tier.push((p.tier, t, i));
        }
        entitlement::validate(&f, &p.entitlements)?;
    }
    by_tier.sort_by_key(|(tier, _, _)| *tier);
    for pair in by_tier.windows(2) {
        if let [(lower, lt, _), (higher, ht, i)] = pair {
            if ht <= lt {
                return Err(Error::InvalidRulebook {
                    field: format!("membership.plans[{i}].min_lifetime_points"),
                    reason: format!(
                        "{higher} needs {ht} lifetime points, not more than {lower}'s {lt}: \
                         thresholds must rise strictly with the tier"
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The tier a customer prices with at `now`, and the membership status that says why —
/// one answer for the offers' and vouchers' tier conditions and for the rewards:
///
/// * no subscription: GUEST, `NONE`; one whose `valid_until` is before `now`: GUEST,
///   `EXPIRED`;
/// * an active subscription whose tier has a plan in the programme: that tier, `ACTIVE`;
/// * an active subscription whose tier has no plan: GUEST, `NO_PLAN` (a tier the
///   platform does not sell earns and unlocks nothing);
/// * a rulebook without a programme: GUEST, `NO_PLAN`.
pub(crate) fn effective_tier(
    programme: Option<&Membership>,
    subscription: Option<&crate::request::Subscription>,
    now: chrono::DateTime<chrono::Utc>,
) -> (Tier, crate::quote::MembershipStatus) {
    use crate::quote::MembershipStatus;
    let Some(programme) = programme else {
        return (Tier::Guest, MembershipStatus::NoPlan);
    };
    match subscription {
        None => (Tier::Guest, MembershipStatus::None),
        Some(s) if s.valid_until.is_some_and(|u| now > u) => {
            (Tier::Guest, MembershipStatus::Expired)
        }
        Some(s) if programme.plan(s.tier).is_some() => (s.tier, MembershipStatus::Active),
        Some(_) => (Tier::Guest, MembershipStatus::NoPlan),
    }
}

/// Step 6 of the pipeline: the rewards of a quote whose totals are known.
///
/// An absent subscription, or one whose `valid_until` is before `now`, prices as GUEST.
/// Cashback is cut to the plan's `cashback_cap` (reason `CAPPED`); a cap in another
/// currency withholds it (reason `CURRENCY_MISMATCH`).
///
/// # Errors
/// `OVERFLOW` when the points would pass [`MAX_POINTS`] (the largest integer JavaScript
/// holds exactly).
pub(crate) fn rewards(
    programme: Option<&Membership>,
    subscription: Option<&crate::request::Subscription>,
    now: chrono::DateTime<chrono::Utc>,
    final_amount: Decimal,
    tax_amount: Decimal,
    currency: rihla_core::Currency,
    mode: rihla_core::RoundingMode,
) -> Result<crate::quote::Rewards, crate::Error> {
    use crate::quote::{CashbackStatus, Rewards};
    use rihla_core::CoreError;
    use rust_decimal::prelude::ToPrimitive;

    let (tier, status) = effective_tier(programme, subscription, now);
    let zero = rihla_core::Money::zero(currency).amount;
    let plan = programme.and_then(|m| m.plan(tier));
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
            cashback_requested: zero,
            cashback_cap: None,
            cashback_amount: zero,
            cashback_reason: None,
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
    // floor(basis / unit) and floor(base × multiplier), each formed exactly.
    let to_points = |num: &[Decimal], den: &[Decimal]| {
        rihla_core::exact::trunc_ratio(num, den, 0, "rewards")?
            .to_u64()
            .filter(|p| *p <= MAX_POINTS)
            .ok_or_else(overflow)
    };
    let base_points = to_points(&[basis], &[m.points_unit])?;
    let points = to_points(&[Decimal::from(base_points), plan.points_multiplier], &[])?;
    let requested =
        crate::discount::percent_of(final_amount, plan.cashback_percent, currency, mode)?;
    let (cashback_amount, cashback_reason) = match plan.cashback_cap {
        None => (requested, None),
        Some(cap) if cap.currency != currency => (zero, Some(CashbackReason::CurrencyMismatch)),
        Some(cap) if requested > cap.amount => (
            mode.round_to_minor(cap.amount, currency),
            Some(CashbackReason::Capped),
        ),
        Some(_) => (requested, None),
    };
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
        cashback_requested: requested,
        cashback_cap: plan.cashback_cap,
        cashback_amount,
        cashback_reason,
        cashback_status: CashbackStatus::Pending,
        cashback_hold_days: m.cashback_hold_days,
    })
}
