//! Entitlement quotas: how many of a plan's non-monetary benefits (lounge passes, free
//! seat selections …) a member may still use in the current period, and when it resets.

use super::Tier;
use crate::error::Doc;
use crate::Error;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use rihla_core::CoreError;
use serde::{Deserialize, Serialize};

/// How often a quota resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntitlementPeriod {
    /// Every month: on the 1st at 00:00 UTC, or on the anchor's day of month (clamped to
    /// the month's last day) at the anchor's time.
    Monthly,
    /// Every year: on 1 January at 00:00 UTC, or on the anchor's anniversary (29 February
    /// → 28 February in common years) at the anchor's time.
    Yearly,
}

impl EntitlementPeriod {
    fn months(self) -> u32 {
        match self {
            EntitlementPeriod::Monthly => 1,
            EntitlementPeriod::Yearly => 12,
        }
    }
}

/// A quota of one benefit in a [`super::Plan`].
///
/// ```json
/// {"code": "LOUNGE_PASS", "quota": 2, "period": "MONTHLY"}
/// {"code": "LOUNGE_PASS", "unlimited": true, "period": "MONTHLY"}
/// ```
///
/// Either `quota` ≥ 1, or `unlimited: true` without a quota (the explicit flag rather
/// than a large number, so that hosts and screens can say "unlimited").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entitlement {
    /// The benefit's code (1–128 characters); matched on the trimmed, upper-cased text.
    pub code: String,
    /// Uses per period (absent or 0 only with `unlimited`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub quota: u32,
    /// No quota: every use is allowed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlimited: bool,
    /// When the count of uses starts again.
    pub period: EntitlementPeriod,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A question to [`crate::Rulebook::check_entitlement`]: may a member of `tier` use one
/// more `code` now?
///
/// ```json
/// {"tier": "GOLD", "code": "LOUNGE_PASS", "used": 1, "now": "2026-11-22T09:00:00Z",
///  "period_anchor": "2026-01-31T10:00:00Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitlementRequest {
    /// The member's tier in force (the host passes GUEST for an expired subscription, as
    /// quotes do).
    pub tier: Tier,
    /// The benefit's code (1–128 characters; trimmed and upper-cased before matching).
    pub code: String,
    /// Uses the host counted in the current period (from the `period_start` of an
    /// earlier answer, or of this one).
    pub used: u32,
    /// The instant of the check (UTC).
    #[serde(with = "rihla_core::time::utc")]
    pub now: DateTime<Utc>,
    /// The subscription's start: periods then run from the anchor's day of month (or
    /// anniversary) at its time. Absent: calendar months / years, UTC. Not after `now`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub period_anchor: Option<DateTime<Utc>>,
}

crate::parse::json_request!(EntitlementRequest);

/// Why an entitlement check is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntitlementReason {
    /// The tier's plan has no such entitlement (or the rulebook has no such plan).
    NotIncluded,
    /// `used ≥ quota` in the current period.
    QuotaExhausted,
}

/// The answer of [`crate::Rulebook::check_entitlement`].
///
/// ```json
/// {"code": "LOUNGE_PASS", "tier": "GOLD", "allowed": false, "unlimited": false,
///  "quota": 2, "used": 2, "remaining": 0, "period": "MONTHLY",
///  "period_start": "2026-11-01T00:00:00Z", "resets_at": "2026-12-01T00:00:00Z",
///  "reason": {"code": "QUOTA_EXHAUSTED"}}
/// ```
///
/// An unlimited entitlement has `quota` and `remaining` `null`. A code the tier's plan
/// does not include is not an error: `allowed: false`, `quota: 0`, `remaining: 0`,
/// `period`, `period_start` and `resets_at` `null`, reason `NOT_INCLUDED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitlementCheck {
    /// The code as normalised (trimmed, upper case).
    pub code: String,
    /// The tier asked about.
    pub tier: Tier,
    /// Whether one more use is allowed now: unlimited, or `used < quota`.
    pub allowed: bool,
    /// Whether the entitlement has no quota.
    pub unlimited: bool,
    /// Uses per period (`null` when unlimited, `0` when not included).
    pub quota: Option<u32>,
    /// The host's count, as given.
    pub used: u32,
    /// `max(quota − used, 0)` (`null` when unlimited).
    pub remaining: Option<u32>,
    /// The quota's period (`null` when not included).
    pub period: Option<EntitlementPeriod>,
    /// First instant of the current period (the host counts `used` from here).
    #[serde(serialize_with = "rihla_core::time::utc::option::serialize")]
    pub period_start: Option<DateTime<Utc>>,
    /// First instant of the next period, when the count starts again (always after
    /// `now`).
    #[serde(serialize_with = "rihla_core::time::utc::option::serialize")]
    pub resets_at: Option<DateTime<Utc>>,
    /// Why not allowed, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<EntitlementReason>,
}

impl EntitlementCheck {
    /// The answer as a JSON value (instants RFC 3339, UTC).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl crate::Rulebook {
    /// May a member of `request.tier` use one more `request.code` now, how many remain in
    /// the current period, and when does the count start again?
    ///
    /// Periods: without `period_anchor`, calendar months (from the 1st, 00:00 UTC) or
    /// calendar years (from 1 January); with it, months or years counted from the anchor,
    /// each on the anchor's day of month clamped to the month's end (anchor 31 January →
    /// 28/29 February → 31 March …, always counted from the anchor, never drifting) at the
    /// anchor's time of day. `now` exactly at a period start belongs to the new period.
    ///
    /// # Errors
    /// `INVALID_REQUEST` for an empty or over-long code, or a `period_anchor` after `now`;
    /// `OVERFLOW` when a period bound leaves the calendar's range.
    pub fn check_entitlement(
        &self,
        request: &EntitlementRequest,
    ) -> Result<EntitlementCheck, Error> {
        crate::rulebook::check_id(|| "code".into(), request.code.trim(), Doc::Request)?;
        if let Some(anchor) = request.period_anchor {
            if anchor > request.now {
                return Err(Error::InvalidRequest {
                    field: "period_anchor".into(),
                    reason: format!(
                        "the period anchor {} is after now ({})",
                        anchor.to_rfc3339(),
                        request.now.to_rfc3339()
                    ),
                });
            }
        }
        let code = crate::voucher::normalize_code(&request.code);
        let entitlement = self
            .doc()
            .membership
            .as_ref()
            .and_then(|m| m.plan(request.tier))
            .and_then(|p| {
                p.entitlements
                    .iter()
                    .find(|e| crate::voucher::normalize_code(&e.code) == code)
            });
        let Some(e) = entitlement else {
            return Ok(EntitlementCheck {
                code,
                tier: request.tier,
                allowed: false,
                unlimited: false,
                quota: Some(0),
                used: request.used,
                remaining: Some(0),
                period: None,
                period_start: None,
                resets_at: None,
                reason: Some(EntitlementReason::NotIncluded),
            });
        };
        let (period_start, resets_at) =
            current_period(e.period, request.now, request.period_anchor)?;
        let resets_at = crate::instant::within_rfc3339(|| "now".into(), resets_at)?;
        let (quota, remaining, allowed) = if e.unlimited {
            (None, None, true)
        } else {
            let remaining = e.quota.saturating_sub(request.used);
            (Some(e.quota), Some(remaining), remaining > 0)
        };
        Ok(EntitlementCheck {
            code,
            tier: request.tier,
            allowed,
            unlimited: e.unlimited,
            quota,
            used: request.used,
            remaining,
            period: Some(e.period),
            period_start: Some(period_start),
            resets_at: Some(resets_at),
            reason: (!allowed).then_some(EntitlementReason::QuotaExhausted),
        })
    }
}

fn overflow() -> Error {
    Error::Core(CoreError::Overflow {
        operation: "entitlement period",
    })
}

/// `[start, next)` of the period that holds `now` (`anchor ≤ now` is checked by the
/// caller).
pub(crate) fn current_period(
    period: EntitlementPeriod,
    now: DateTime<Utc>,
    anchor: Option<DateTime<Utc>>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Error> {
    let step = period.months();
    let Some(anchor) = anchor else {
        let month = match period {
            EntitlementPeriod::Monthly => now.month(),
            EntitlementPeriod::Yearly => 1,
        };
        let start = NaiveDate::from_ymd_opt(now.year(), month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .ok_or_else(overflow)?;
        let next = start
            .checked_add_months(Months::new(step))
            .ok_or_else(overflow)?;
        return Ok((start, next));
    };
    // Calendar months from the anchor's month to now's month (≥ 0 since anchor ≤ now).
    let months = i64::from(now.year())
        .checked_sub(i64::from(anchor.year()))
        .and_then(|y| y.checked_mul(12))
        .and_then(|m| m.checked_add(i64::from(now.month())))
        .and_then(|m| m.checked_sub(i64::from(anchor.month())))
        .and_then(|m| u32::try_from(m).ok())
        .ok_or_else(overflow)?;
    let nth = |k: u32| -> Result<DateTime<Utc>, Error> {
        let total = k.checked_mul(step).ok_or_else(overflow)?;
        anchor
            .checked_add_months(Months::new(total))
            .ok_or_else(overflow)
    };
    let mut k = months.checked_div(step).ok_or_else(overflow)?;
    let mut start = nth(k)?;
    if start > now {
        k = k.checked_sub(1).ok_or_else(overflow)?;
        start = nth(k)?;
    }
    let next = nth(k.checked_add(1).ok_or_else(overflow)?)?;
    Ok((start, next))
}

/// Validates the entitlements of the plan at `field`.
pub(crate) fn validate(field: &str, entitlements: &[Entitlement]) -> Result<(), Error> {
    use crate::rulebook::{check_id, check_len};
    check_len(
        &format!("{field}.entitlements"),
        entitlements.len(),
        crate::limits::MAX_RULE_LIST,
    )?;
    let mut codes = std::collections::HashSet::new();
    for (i, e) in entitlements.iter().enumerate() {
        let f = format!("{field}.entitlements[{i}]");
        let code = crate::voucher::normalize_code(&e.code);
        check_id(|| format!("{f}.code"), &code, Doc::Rulebook)?;
        let problem = match (e.unlimited, e.quota) {
            (true, q) if q > 0 => Some("an unlimited entitlement has no quota"),
            (false, 0) => Some("quota must be at least 1 (or set unlimited: true)"),
            _ => None,
        };
        if let Some(reason) = problem {
            return Err(Error::InvalidRulebook {
                field: format!("{f}.quota"),
                reason: reason.into(),
            });
        }
        if !codes.insert(code.clone()) {
            return Err(Error::DuplicateId {
                field: format!("{f}.code"),
                id: code,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn calendar_periods() {
        let (s, n) =
            current_period(EntitlementPeriod::Monthly, t("2026-12-31T23:59:59Z"), None).unwrap();
        assert_eq!(
            (s, n),
            (t("2026-12-01T00:00:00Z"), t("2027-01-01T00:00:00Z"))
        );
        let (s, n) =
            current_period(EntitlementPeriod::Yearly, t("2028-02-29T12:00:00Z"), None).unwrap();
        assert_eq!(
            (s, n),
            (t("2028-01-01T00:00:00Z"), t("2029-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn anchored_periods_clamp_and_never_drift() {
        let a = Some(t("2026-01-31T10:00:00Z"));
        let m = EntitlementPeriod::Monthly;
        assert_eq!(
            current_period(m, t("2026-02-15T00:00:00Z"), a).unwrap(),
            (t("2026-01-31T10:00:00Z"), t("2026-02-28T10:00:00Z"))
        );
        assert_eq!(
            current_period(m, t("2026-02-28T10:00:00Z"), a).unwrap(),
            (t("2026-02-28T10:00:00Z"), t("2026-03-31T10:00:00Z"))
        );
        assert_eq!(
            current_period(m, t("2026-03-30T00:00:00Z"), a).unwrap(),
            (t("2026-02-28T10:00:00Z"), t("2026-03-31T10:00:00Z"))
        );
        let leap = Some(t("2028-02-29T00:00:00Z"));
        assert_eq!(
            current_period(EntitlementPeriod::Yearly, t("2029-03-01T00:00:00Z"), leap).unwrap(),
            (t("2029-02-28T00:00:00Z"), t("2030-02-28T00:00:00Z"))
        );
        assert_eq!(
            current_period(EntitlementPeriod::Yearly, t("2028-02-29T00:00:00Z"), leap).unwrap(),
            (t("2028-02-29T00:00:00Z"), t("2029-02-28T00:00:00Z"))
        );
    }
}
