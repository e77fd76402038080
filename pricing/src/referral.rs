//! Referral and affiliate figures: what a referrer and the friend they referred earn on
//! the friend's booking, and the commission of an affiliate who brought a booking.

use crate::error::Doc;
use crate::Error;
use rihla_core::{Currency, Decimal, Money};
use serde::{Deserialize, Serialize};

/// The referral and affiliate programme of a rulebook (its `"referral"` section; absent =
/// no programme).
///
/// ```json
/// {"referrer_reward": {"amount": "50.00", "currency": "SAR"},
///  "referee_reward": {"amount": "50.00", "currency": "SAR"},
///  "min_booking_amount": {"amount": "500.00", "currency": "SAR"},
///  "affiliate_commission_percent": "3"}
/// ```
///
/// The default rulebook's figures (50.00 SAR to each side on a booking of at least
/// 500.00 SAR, 3 % affiliate commission) are rihla's defaults for a platform to configure,
/// not figures any platform has published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralProgramme {
    /// Credited to the member who referred, once the referred booking qualifies.
    pub referrer_reward: Money,
    /// Credited to the referred customer (the referee) on that booking.
    pub referee_reward: Money,
    /// Smallest booking that qualifies, compared with ≥ (equal qualifies).
    pub min_booking_amount: Money,
    /// An affiliate's commission on the booking amount, percent (0–100).
    #[serde(with = "rihla_core::decimal_string")]
    pub affiliate_commission_percent: Decimal,
}

impl ReferralProgramme {
    /// The programme's currency (all three amounts share it).
    pub fn currency(&self) -> Currency {
        self.min_booking_amount.currency
    }
}

/// A question to [`crate::Rulebook::referral_rewards`]: what does this referred booking
/// earn?
///
/// ```json
/// {"booking_amount": {"amount": "500.00", "currency": "SAR"},
///  "referrer_id": "C-1", "referee_id": "C-2"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    /// The referee's booking amount (the quote's `final_amount`, or whatever basis the
    /// platform pays referrals on). Non-negative, whole minor units.
    pub booking_amount: Money,
    /// The referring customer's id (1–128 characters), if the host has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer_id: Option<String>,
    /// The referred customer's id (1–128 characters), if the host has it. When both ids
    /// are given and equal, the referral is a self-referral and earns nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referee_id: Option<String>,
}

crate::parse::json_request!(ReferralRequest);

/// Why a booking earns no referral rewards; serialized as `{"code": "…", …values}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReferralReason {
    /// The rulebook has no `referral` section.
    NoProgramme,
    /// `referrer_id` and `referee_id` are the same customer.
    SelfReferral,
    /// The booking is in another currency than the programme (rihla never converts
    /// silently).
    CurrencyMismatch {
        /// The programme's currency.
        expected: Currency,
        /// The booking's currency.
        actual: Currency,
    },
    /// The booking is below the programme's minimum.
    MinBookingNotMet {
        /// `min_booking_amount`.
        #[serde(with = "rihla_core::decimal_string")]
        required: Decimal,
        /// The booking amount.
        #[serde(with = "rihla_core::decimal_string")]
        actual: Decimal,
    },
}

/// The answer of [`crate::Rulebook::referral_rewards`]; every amount in the booking's
/// `currency`, as decimal strings.
///
/// ```json
/// {"eligible": false, "currency": "SAR", "booking_amount": "499.99",
///  "referrer_reward": "0.00", "referee_reward": "0.00",
///  "affiliate_commission_percent": "3", "affiliate_commission": "15.00",
///  "reason": {"code": "MIN_BOOKING_NOT_MET", "required": "500.00", "actual": "499.99"}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralOutcome {
    /// Whether the referral rewards are earned.
    pub eligible: bool,
    /// The booking's currency.
    pub currency: Currency,
    /// The booking amount, as given.
    #[serde(with = "rihla_core::decimal_string")]
    pub booking_amount: Decimal,
    /// The referrer's reward (0 when not eligible).
    #[serde(with = "rihla_core::decimal_string")]
    pub referrer_reward: Decimal,
    /// The referee's reward (0 when not eligible).
    #[serde(with = "rihla_core::decimal_string")]
    pub referee_reward: Decimal,
    /// The programme's affiliate commission rate (0 without a programme).
    #[serde(with = "rihla_core::decimal_string")]
    pub affiliate_commission_percent: Decimal,
    /// What an affiliate who brought this booking earns:
    /// [`crate::Rulebook::affiliate_commission`] of the booking amount. Independent of
    /// the referral conditions (no minimum; a percentage applies in any currency).
    #[serde(with = "rihla_core::decimal_string")]
    pub affiliate_commission: Decimal,
    /// Why not eligible, with the values that decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ReferralReason>,
}

impl ReferralOutcome {
    /// The answer as a JSON value (amounts as decimal strings).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl crate::Rulebook {
    /// What a referred booking earns: the programme's referrer and referee rewards when
    /// the booking is at least `min_booking_amount` (equal qualifies; one minor unit less
    /// does not), in the programme's currency, and not a self-referral; plus the
    /// affiliate commission on it.
    ///
    /// Not qualifying is an answer, not an error: `eligible: false`, rewards 0 and a
    /// reason — NO_PROGRAMME, SELF_REFERRAL, CURRENCY_MISMATCH {expected, actual} (a
    /// booking in another currency than the programme's), MIN_BOOKING_NOT_MET
    /// {required, actual} — checked in that order.
    ///
    /// # Errors
    /// `INVALID_AMOUNT` (a negative booking amount or one with digits below its minor
    /// unit, field `booking_amount`), `INVALID_REQUEST` (an empty or over-long id),
    /// `OVERFLOW`.
    pub fn referral_rewards(&self, request: &ReferralRequest) -> Result<ReferralOutcome, Error> {
        for (field, id) in [
            ("referrer_id", &request.referrer_id),
            ("referee_id", &request.referee_id),
        ] {
            if let Some(id) = id {
                crate::rulebook::check_id(|| field.into(), id, Doc::Request)?;
            }
        }
        let affiliate_commission = self.affiliate_commission(&request.booking_amount)?;
        let currency = request.booking_amount.currency;
        let minor = |d: Decimal| self.doc().rounding.round_to_minor(d, currency);
        let booking = minor(request.booking_amount.amount);
        let zero = Money::zero(currency).amount;
        let programme = self.doc().referral.as_ref();
        let reason = match programme {
            None => Some(ReferralReason::NoProgramme),
            Some(_)
                if matches!((&request.referrer_id, &request.referee_id),
                            (Some(a), Some(b)) if a.trim() == b.trim()) =>
            {
                Some(ReferralReason::SelfReferral)
            }
            Some(p) if p.currency() != currency => Some(ReferralReason::CurrencyMismatch {
                expected: p.currency(),
                actual: currency,
            }),
            Some(p) if booking < p.min_booking_amount.amount => {
                Some(ReferralReason::MinBookingNotMet {
                    required: minor(p.min_booking_amount.amount),
                    actual: booking,
                })
            }
            Some(_) => None,
        };
        let (referrer_reward, referee_reward) = match (programme, &reason) {
            (Some(p), None) => (
                minor(p.referrer_reward.amount),
                minor(p.referee_reward.amount),
            ),
            _ => (zero, zero),
        };
        Ok(ReferralOutcome {
            eligible: reason.is_none(),
            currency,
            booking_amount: booking,
            referrer_reward,
            referee_reward,
            affiliate_commission_percent: programme
                .map_or(Decimal::ZERO, |p| p.affiliate_commission_percent),
            affiliate_commission: affiliate_commission.amount,
            reason,
        })
    }

    /// An affiliate's commission on `booking_amount`: `round(booking_amount ×
    /// affiliate_commission_percent / 100)`, rounded once to the booking currency's minor
    /// unit with the rulebook's rounding mode; 0 without a referral programme. A
    /// percentage needs no conversion, so any currency is accepted.
    ///
    /// # Errors
    /// `INVALID_AMOUNT` (negative, or digits below the minor unit; field
    /// `booking_amount`), `OVERFLOW`.
    pub fn affiliate_commission(&self, booking_amount: &Money) -> Result<Money, Error> {
        crate::rulebook::check_money(|| "booking_amount".into(), booking_amount)?;
        let currency = booking_amount.currency;
        let Some(p) = self.doc().referral.as_ref() else {
            return Ok(Money::zero(currency));
        };
        let amount = crate::discount::percent_of(
            booking_amount.amount,
            p.affiliate_commission_percent,
            currency,
            self.doc().rounding,
        )?;
        Ok(Money::new(amount, currency))
    }
}

/// Validates the rulebook's `referral` section.
///
/// # Errors
/// `INVALID_AMOUNT` (a negative amount, or digits below its minor unit),
/// `RATE_OUT_OF_RANGE` (a commission outside 0–100 %), `INVALID_RULEBOOK` (amounts in
/// different currencies).
pub(crate) fn validate(p: &ReferralProgramme) -> Result<(), Error> {
    use crate::rulebook::{check_money, check_percent};
    let currency = p.currency();
    for (name, m) in [
        ("min_booking_amount", &p.min_booking_amount),
        ("referrer_reward", &p.referrer_reward),
        ("referee_reward", &p.referee_reward),
    ] {
        check_money(|| format!("referral.{name}"), m)?;
        if m.currency != currency {
            return Err(Error::InvalidRulebook {
                field: format!("referral.{name}.currency"),
                reason: format!(
                    "{} differs from min_booking_amount's {currency}: the programme has one currency",
                    m.currency
                ),
            });
        }
    }
    check_percent(
        || "referral.affiliate_commission_percent".into(),
        p.affiliate_commission_percent,
    )
}
