//! Property tests of membership figures: upgrade proration, tier from lifetime points and
//! entitlement quotas (docs/pricing.md, "Membership").

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use rihla_core::Decimal;
use rihla_pricing::{EntitlementRequest, Rulebook, Tier, UpgradeRequest};
use serde_json::{json, Value};

const TIERS: [&str; 6] = ["GUEST", "BRONZE", "SILVER", "GOLD", "PLATINUM", "DIAMOND"];

fn money(minor: i64, exponent: u32, currency: &str) -> Value {
    json!({"amount": Decimal::new(minor, exponent).to_string(), "currency": currency})
}

/// A rulebook whose plan prices rise with the tier (in `currency`), with the given
/// lifetime-points thresholds and a LOUNGE_PASS quota on every plan.
fn rulebook(
    prices_minor: &[i64; 6],
    thresholds: &[Option<u64>; 6],
    currency: &str,
    exponent: u32,
    quota: u32,
    period: &str,
    rounding: &str,
) -> Rulebook {
    let plans: Vec<Value> = TIERS
        .iter()
        .zip(prices_minor)
        .zip(thresholds)
        .map(|((tier, price), threshold)| {
            let mut p = json!({
                "tier": tier, "price": money(*price, exponent, currency),
                "cashback_percent": "0", "points_multiplier": "1",
                "entitlements": [{"code": "LOUNGE_PASS", "quota": quota, "period": period}]
            });
            if let Some(t) = threshold {
                p["min_lifetime_points"] = json!(t);
            }
            p
        })
        .collect();
    Rulebook::from_value(json!({
        "version": "membership-properties", "rounding": rounding,
        "membership": {"plans": plans}
    }))
    .expect("valid rulebook")
}

/// Six non-decreasing prices in minor units.
fn prices() -> impl Strategy<Value = [i64; 6]> {
    prop::array::uniform6(0i64..2_000_000).prop_map(|mut a| {
        a.sort_unstable();
        a
    })
}

/// Strictly rising thresholds, some tiers without one.
fn thresholds() -> impl Strategy<Value = [Option<u64>; 6]> {
    (
        prop::array::uniform6(1u64..50_000),
        prop::array::uniform6(any::<bool>()),
    )
        .prop_map(|(steps, present)| {
            let mut out = [None; 6];
            let mut at = 0u64;
            for i in 0..6 {
                at += steps[i];
                if present[i] {
                    out[i] = Some(at);
                }
            }
            out
        })
}

fn currency() -> impl Strategy<Value = (&'static str, u32)> {
    prop_oneof![Just(("SAR", 2)), Just(("KWD", 3)), Just(("JPY", 0))]
}

fn rounding() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("HALF_AWAY_FROM_ZERO"), Just("HALF_EVEN")]
}

fn tier(i: usize) -> Tier {
    Tier::ALL[i]
}

fn instant(days_from_2020: i64, seconds: i64) -> DateTime<Utc> {
    let base: DateTime<Utc> = "2020-01-01T00:00:00Z".parse().expect("instant");
    base + Duration::days(days_from_2020) + Duration::seconds(seconds)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// 0 ≤ prorated ≤ difference; more remaining days never cost less; instalments sum
    /// exactly to the prorated amount.
    #[test]
    fn upgrade_proration_is_bounded_and_monotone(
        prices in prices(),
        (cur, exp) in currency(),
        mode in rounding(),
        (from, to) in (0usize..5).prop_flat_map(|f| (Just(f), (f + 1)..6)),
        start_day in 0i64..3000,
        total in 1i64..800,
        (a, b) in (-30i64..800, -30i64..800),
        seconds in 0i64..86_400,
        instalments in 1u32..=60,
    ) {
        let rb = rulebook(&prices, &[None; 6], cur, exp, 1, "MONTHLY", mode);
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(start_day);
        let end = start + Duration::days(total);
        let (early, late) = (a.min(b).min(total - 1), a.max(b).min(total - 1));
        let ask = |offset: i64| {
            rb.upgrade_price(&UpgradeRequest {
                from: tier(from),
                to: tier(to),
                currency: None,
                subscription_start: start,
                subscription_end: end,
                now: instant(start_day + offset, seconds),
                instalments: Some(instalments),
            })
            .expect("an upgrade within the term is priced")
        };
        let (q_early, q_late) = (ask(early), ask(late));
        let difference = Decimal::new(prices[to] - prices[from], exp);
        for q in [&q_early, &q_late] {
            prop_assert_eq!(q.price_difference, difference);
            prop_assert!(q.prorated_amount >= Decimal::ZERO);
            prop_assert!(q.prorated_amount <= q.price_difference);
            prop_assert!(q.remaining_days >= 1 && q.remaining_days <= q.total_days);
            prop_assert_eq!(i64::from(q.total_days), total);
            prop_assert_eq!(q.instalments.len(), instalments as usize);
            prop_assert_eq!(q.instalments.iter().copied().sum::<Decimal>(), q.prorated_amount);
        }
        prop_assert!(q_early.remaining_days >= q_late.remaining_days);
        prop_assert!(q_early.prorated_amount >= q_late.prorated_amount);
        if early <= 0 {
            prop_assert_eq!(q_early.prorated_amount, difference);
        }
    }

    /// A downgrade or the same tier is never priced.
    #[test]
    fn downgrades_are_refused(
        prices in prices(),
        (from, to) in (0usize..6).prop_flat_map(|f| (Just(f), 0..=f)),
    ) {
        let rb = rulebook(&prices, &[None; 6], "SAR", 2, 1, "MONTHLY", "HALF_EVEN");
        let err = rb.upgrade_price(&UpgradeRequest {
            from: tier(from),
            to: tier(to),
            currency: None,
            subscription_start: NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(),
            subscription_end: NaiveDate::from_ymd_opt(2029, 1, 1).unwrap(),
            now: instant(3000, 0),
            instalments: None,
        }).unwrap_err();
        prop_assert_eq!(err.code(), "NOT_AN_UPGRADE");
    }

    /// More points never give a lower tier; each threshold is reached at its value and
    /// not one point below (below GUEST's own threshold is still GUEST).
    #[test]
    fn tier_for_points_is_monotone(
        thresholds in thresholds(),
        (p, q) in (0u64..400_000, 0u64..400_000),
    ) {
        let rb = rulebook(&[0; 6], &thresholds, "SAR", 2, 1, "MONTHLY", "HALF_EVEN");
        let (lo, hi) = (p.min(q), p.max(q));
        prop_assert!(rb.tier_for_points(lo) <= rb.tier_for_points(hi));
        for (i, t) in thresholds.iter().enumerate() {
            if let Some(t) = *t {
                prop_assert_eq!(rb.tier_for_points(t), tier(i));
                let below = rb.tier_for_points(t - 1);
                prop_assert!(below < tier(i) || (i == 0 && below == Tier::Guest));
            }
        }
        let default = Rulebook::default_rulebook().unwrap();
        prop_assert!(default.tier_for_points(lo) <= default.tier_for_points(hi));
    }

    /// remaining = max(quota − used, 0); allowed ⇔ remaining > 0;
    /// period_start ≤ now < resets_at; consecutive periods tile (the next period starts at
    /// `resets_at`).
    #[test]
    fn entitlement_quota_and_periods(
        quota in 1u32..20,
        used in 0u32..40,
        yearly in any::<bool>(),
        now_day in 0i64..4000,
        now_seconds in 0i64..86_400,
        anchor in prop::option::of((0i64..4000, 0i64..86_400)),
        t in 0usize..6,
    ) {
        let period = if yearly { "YEARLY" } else { "MONTHLY" };
        let rb = rulebook(&[0; 6], &[None; 6], "SAR", 2, quota, period, "HALF_EVEN");
        let now = instant(now_day, now_seconds);
        let anchor = anchor
            .map(|(d, s)| instant(d, s))
            .filter(|a| *a <= now);
        let ask = |now: DateTime<Utc>, used: u32| {
            rb.check_entitlement(&EntitlementRequest {
                tier: tier(t),
                code: "lounge_pass".into(),
                used,
                now,
                period_anchor: anchor,
            })
            .expect("a valid check")
        };
        let check = ask(now, used);
        prop_assert_eq!(check.quota, Some(quota));
        prop_assert_eq!(check.remaining, Some(quota.saturating_sub(used)));
        prop_assert_eq!(check.allowed, used < quota);
        let (start, resets) = (check.period_start.unwrap(), check.resets_at.unwrap());
        prop_assert!(start <= now);
        prop_assert!(resets > now);
        let span = resets - start;
        if yearly {
            prop_assert!(span >= Duration::days(365) && span <= Duration::days(366));
        } else {
            prop_assert!(span >= Duration::days(28) && span <= Duration::days(31));
        }
        let next = ask(resets, 0);
        prop_assert_eq!(next.period_start, Some(resets));
        prop_assert!(next.resets_at.unwrap() > resets);
        let last = ask(resets - Duration::seconds(1), 0);
        prop_assert_eq!(last.period_start, Some(start));
    }
}
