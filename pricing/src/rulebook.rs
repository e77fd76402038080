//! The rulebook: every pricing rule of a platform, validated once, used for many quotes.

use crate::error::Doc;
use crate::limits;
use crate::membership::{Membership, Tier};
use crate::voucher::normalize_code;
use crate::{Error, Offer, Quote, QuoteRequest, Scope, TaxRule, Voucher, VoucherKind};
use rihla_core::{Decimal, Money, RoundingMode};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The rulebook as written in JSON (the interchange format hosts store).
///
/// ```json
/// {"version": "platform-2026-11", "rounding": "HALF_AWAY_FROM_ZERO",
///  "max_vouchers_per_quote": 1, "taxes": [...], "offers": [...], "vouchers": [...],
///  "membership": {"points_unit": "10", "plans": [...]}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulebookDoc {
    /// The host's version label; part of every quote (1–128 characters).
    pub version: String,
    /// Rounding of every amount brought to a minor unit (default half away from zero).
    #[serde(default)]
    pub rounding: RoundingMode,
    /// Most seated passengers on one fare item (default 9, as airlines book individual
    /// passengers; raise it, up to 99, to allow group bookings).
    #[serde(default = "nine")]
    pub max_seated_passengers: u32,
    /// How automatic offers stack: PRIORITY (default) or BEST_DEAL.
    #[serde(default)]
    pub offer_stacking: crate::promotion::Stacking,
    /// What a rule past its budget does by default: REFUSE (default), CLAMP, OVERSHOOT.
    #[serde(default)]
    pub budget_policy: crate::offer::BudgetPolicy,
    /// Most vouchers one quote may carry (default 1).
    #[serde(default = "one")]
    pub max_vouchers_per_quote: u32,
    /// How tax amounts are rounded (default per passenger; PER_DOCUMENT available).
    #[serde(default)]
    pub tax_rounding: crate::tax::TaxRounding,
    /// Taxes and carrier surcharges, applied in this order (tax-inclusive ones first).
    #[serde(default)]
    pub taxes: Vec<TaxRule>,
    /// Automatic offers (applied by priority, not by position).
    #[serde(default)]
    pub offers: Vec<Offer>,
    /// Vouchers.
    #[serde(default)]
    pub vouchers: Vec<Voucher>,
    /// Settlement exponents of the platform's payment provider where they differ from the
    /// ISO 4217 exponent (`{"KWD": 2, "BHD": 2, "OMR": 2}`): the quote then carries a
    /// `settlement` record of the final amount re-rounded, with the difference.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub settlement_exponents: std::collections::BTreeMap<rihla_core::Currency, u32>,
    /// The membership programme; absent = no rewards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<Membership>,
    /// The referral and affiliate programme; absent = no referral rewards and no
    /// affiliate commission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<crate::referral::ReferralProgramme>,
    /// The charter rules (surcharges, empty-leg discount, commission); absent = none of
    /// them (no surcharge, no discount, no commission, 60-minute turnaround).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charter: Option<crate::jet::CharterRules>,
}

fn one() -> u32 {
    1
}

fn nine() -> u32 {
    9
}

/// A validated rulebook, ready to price any number of requests ("parse once, quote many").
///
/// Create it with [`Rulebook::from_json`], [`Rulebook::from_value`] or
/// [`Rulebook::default_rulebook`]; it cannot exist unvalidated.
#[derive(Debug, Clone)]
pub struct Rulebook {
    doc: RulebookDoc,
    /// Indices of `doc.offers` by priority (higher first), ties by id.
    pub(crate) offer_order: Vec<usize>,
    /// Normalised voucher code → index in `doc.vouchers`.
    pub(crate) voucher_by_code: HashMap<String, usize>,
    /// SHA-256 of the validated document's canonical JSON, computed on first use.
    fingerprint: std::sync::OnceLock<String>,
}

/// The default rulebook shipped with rihla (`pricing/data/default_rulebook.json`): the
/// platform's membership plan table, KSA VAT 15 %, one offer and one voucher.
pub const DEFAULT_RULEBOOK_JSON: &str = include_str!("../data/default_rulebook.json");

impl Rulebook {
    /// Parses and validates a rulebook from JSON text (at most
    /// [`limits::MAX_RULEBOOK_BYTES`]).
    ///
    /// # Errors
    /// `INVALID_JSON`; `INVALID_RULEBOOK` (unknown field, wrong type, inverted window …,
    /// with the field path); `INVALID_AMOUNT`; `UNKNOWN_CURRENCY`; `RATE_OUT_OF_RANGE`
    /// (a negative rate or a percentage over 100); `DUPLICATE_ID`; `LIMIT_EXCEEDED`.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let doc =
            crate::parse::from_json(text, limits::MAX_RULEBOOK_BYTES, "rulebook", Doc::Rulebook)?;
        Rulebook::from_doc(doc)
    }

    /// Parses and validates a rulebook from a JSON value. Errors as [`Rulebook::from_json`].
    pub fn from_value(value: serde_json::Value) -> Result<Self, Error> {
        Rulebook::from_doc(crate::parse::from_value(value, Doc::Rulebook)?)
    }

    /// The rulebook shipped with rihla ([`DEFAULT_RULEBOOK_JSON`]).
    ///
    /// # Errors
    /// None in a released build (a test loads it); typed as the others for uniformity.
    pub fn default_rulebook() -> Result<Self, Error> {
        Rulebook::from_json(DEFAULT_RULEBOOK_JSON)
    }

    /// Validates a document and builds the indices.
    ///
    /// # Errors
    /// As [`Rulebook::from_json`], without `INVALID_JSON`.
    pub fn from_doc(doc: RulebookDoc) -> Result<Self, Error> {
        validate(&doc)?;
        let mut offer_order: Vec<usize> = (0..doc.offers.len()).collect();
        offer_order.sort_by(|a, b| {
            let (oa, ob) = (doc.offers.get(*a), doc.offers.get(*b));
            let key = |o: Option<&Offer>| o.map(|o| (std::cmp::Reverse(o.priority), o.id.clone()));
            key(oa).cmp(&key(ob))
        });
        let mut voucher_by_code = HashMap::with_capacity(doc.vouchers.len());
        for (i, v) in doc.vouchers.iter().enumerate() {
            voucher_by_code.insert(normalize_code(&v.code), i);
        }
        Ok(Rulebook {
            doc,
            offer_order,
            voucher_by_code,
            fingerprint: std::sync::OnceLock::new(),
        })
    }

    /// The rulebook's version label.
    pub fn version(&self) -> &str {
        &self.doc.version
    }

    /// The rulebook's content fingerprint: lowercase hex SHA-256 of its canonical JSON
    /// (two rulebooks with the same rules have the same fingerprint whatever their
    /// whitespace or key order; a changed rule changes it, even under the same `version`).
    pub fn fingerprint(&self) -> &str {
        self.fingerprint
            .get_or_init(|| crate::fingerprint::of_json(&self.doc).unwrap_or_default())
    }

    /// The validated document.
    pub fn doc(&self) -> &RulebookDoc {
        &self.doc
    }

    /// The rulebook as JSON text (what [`Rulebook::from_json`] reads back).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.doc).unwrap_or_default()
    }

    /// Prices `request` (the pipeline of docs/pricing.md, in its fixed order).
    ///
    /// # Errors
    /// `INVALID_REQUEST`, `INVALID_AMOUNT`, `INVALID_PASSENGERS`, `DUPLICATE_ID`,
    /// `LIMIT_EXCEEDED`, `RATE_OUT_OF_RANGE`, `OVERFLOW` — each with the field and values.
    pub fn quote(&self, request: &QuoteRequest) -> Result<Quote, Error> {
        crate::pipeline::quote(self, request)
    }

    /// Would `code` apply to the cart of `request` (its items, after the automatic
    /// offers; the request's own `voucher_codes` are ignored), for how much, and if not,
    /// why — without fees, taxes or rewards. What a checkout page calls as the customer
    /// types a code.
    ///
    /// # Errors
    /// The request's errors as for [`Rulebook::quote`]; an empty or over-long code is
    /// `INVALID_REQUEST`.
    pub fn check_voucher(
        &self,
        request: &QuoteRequest,
        code: &str,
    ) -> Result<crate::voucher::VoucherCheck, Error> {
        crate::pipeline::check_voucher(self, request, code)
    }
}

fn invalid(field: String, reason: impl Into<String>) -> Error {
    Error::InvalidRulebook {
        field,
        reason: reason.into(),
    }
}

pub(crate) fn check_len(field: &str, actual: usize, limit: usize) -> Result<(), Error> {
    if actual > limit {
        return Err(Error::LimitExceeded {
            field: field.to_owned(),
            limit,
            actual,
        });
    }
    Ok(())
}

pub(crate) fn check_id(field: impl FnOnce() -> String, id: &str, doc: Doc) -> Result<(), Error> {
    let n = id.chars().count();
    let reason = if n == 0 {
        "must not be empty".to_owned()
    } else if n > limits::MAX_ID_CHARS {
        format!("{n} characters, more than {}", limits::MAX_ID_CHARS)
    } else {
        return Ok(());
    };
    let field = field();
    Err(match doc {
        Doc::Rulebook => Error::InvalidRulebook { field, reason },
        Doc::Request => Error::InvalidRequest { field, reason },
    })
}

pub(crate) fn check_text(
    field: impl FnOnce() -> String,
    text: &str,
    doc: Doc,
) -> Result<(), Error> {
    let n = text.chars().count();
    if n <= limits::MAX_TEXT_CHARS {
        return Ok(());
    }
    let reason = format!("{n} characters, more than {}", limits::MAX_TEXT_CHARS);
    let field = field();
    Err(match doc {
        Doc::Rulebook => Error::InvalidRulebook { field, reason },
        Doc::Request => Error::InvalidRequest { field, reason },
    })
}

/// A percentage in `0..=100`.
pub(crate) fn check_percent(field: impl FnOnce() -> String, value: Decimal) -> Result<(), Error> {
    check_range(field, value, Decimal::ZERO, Decimal::ONE_HUNDRED)
}

pub(crate) fn check_range(
    field: impl FnOnce() -> String,
    value: Decimal,
    min: Decimal,
    max: Decimal,
) -> Result<(), Error> {
    if value < min || value > max {
        return Err(Error::RateOutOfRange {
            field: field(),
            value,
            min,
            max,
        });
    }
    Ok(())
}

/// A non-negative amount in whole minor units of its currency, at most
/// [`rihla_core::MAX_AMOUNT`] (`OVERFLOW` past it).
pub(crate) fn check_money(field: impl FnOnce() -> String, m: &Money) -> Result<(), Error> {
    if m.amount.abs() > rihla_core::MAX_AMOUNT {
        return Err(Error::Core(rihla_core::CoreError::AmountTooLarge {
            field: field(),
            amount: m.amount,
            max: rihla_core::MAX_AMOUNT,
        }));
    }
    if m.amount.is_sign_negative() && !m.amount.is_zero() {
        return Err(Error::InvalidAmount {
            field: field(),
            reason: format!("{} is negative", m.amount),
        });
    }
    if !m.is_minor_units() {
        return Err(Error::InvalidAmount {
            field: field(),
            reason: format!(
                "{} has more decimal places than {}'s {}",
                m.amount,
                m.currency,
                m.currency.exponent()
            ),
        });
    }
    Ok(())
}

fn check_scope(field: String, scope: &Scope) -> Result<(), Error> {
    check_len(&field, scope.len(), limits::MAX_RULE_LIST)?;
    if let Scope::Items { item_ids } = scope {
        for (i, id) in item_ids.iter().enumerate() {
            check_id(|| format!("{field}.item_ids[{i}]"), id, Doc::Rulebook)?;
        }
    }
    Ok(())
}

fn check_window(field: &str, w: crate::Window) -> Result<(), Error> {
    if !w.is_ordered() {
        return Err(invalid(
            format!("{field}.valid_until"),
            "valid_until is before valid_from",
        ));
    }
    Ok(())
}

/// Each offer kind with the fields it uses.
fn check_offer_kind(f: &str, o: &Offer) -> Result<(), Error> {
    use crate::offer::OfferKind;
    let need = |name: &str, ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(invalid(format!("{f}.{name}"), what.to_owned()))
        }
    };
    match o.kind {
        OfferKind::DiscountPercentage => {
            need(
                "value",
                o.value.is_some(),
                "DISCOUNT_PERCENTAGE needs its percentage",
            )?;
            need(
                "currency",
                o.currency.is_none(),
                "a percentage has no currency; cap it with max_discount",
            )?;
        }
        OfferKind::DiscountFixed => {
            need(
                "currency",
                o.currency.is_some(),
                "DISCOUNT_FIXED needs its currency",
            )?;
            let (Some(v), Some(c)) = (o.value, o.currency) else {
                return need("value", false, "DISCOUNT_FIXED needs its amount");
            };
            check_money(|| format!("{f}.value"), &Money::new(v, c))?;
        }
        OfferKind::Bogo => {
            need("buy", o.buy.is_some_and(|b| b >= 1), "BOGO needs buy ≥ 1")?;
            need("get", o.get.is_some_and(|g| g >= 1), "BOGO needs get ≥ 1")?;
        }
        OfferKind::FreeUpgrade => need(
            "benefit",
            !o.benefit.is_empty(),
            "FREE_UPGRADE names its benefit",
        )?,
        OfferKind::BonusPoints => {
            need(
                "bonus_points",
                o.bonus_points.is_some() || o.points_multiplier.is_some(),
                "BONUS_POINTS gives bonus_points and/or a points_multiplier",
            )?;
            if let Some(m) = o.points_multiplier {
                check_range(
                    || format!("{f}.points_multiplier"),
                    m,
                    Decimal::ONE,
                    Decimal::ONE_HUNDRED,
                )?;
            }
        }
    }
    if o.kind != OfferKind::DiscountFixed {
        if let Some(v) = o.value {
            check_percent(|| format!("{f}.value"), v)?;
        }
    }
    check_text(|| format!("{f}.benefit"), &o.benefit, Doc::Rulebook)?;
    if o.tax_mode == crate::quote::TaxMode::Gross && o.kind != OfferKind::DiscountFixed {
        return Err(invalid(
            format!("{f}.tax_mode"),
            "only a fixed amount can be tax-inclusive (GROSS)",
        ));
    }
    check_id(
        || format!("{f}.group"),
        if o.group.is_empty() { "-" } else { &o.group },
        Doc::Rulebook,
    )?;
    Ok(())
}

/// Conditions: list sizes, the market offset within a day, early ≤ late window.
fn check_conditions(f: &str, c: &crate::condition::Conditions) -> Result<(), Error> {
    check_len(
        &format!("{f}.flash_sales"),
        c.flash_sales.len(),
        limits::MAX_RULE_LIST,
    )?;
    check_len(&format!("{f}.tiers"), c.tiers.len(), 6)?;
    check_len(&format!("{f}.days_of_week"), c.days_of_week.len(), 7)?;
    check_range(
        || format!("{f}.utc_offset_minutes"),
        Decimal::from(c.utc_offset_minutes),
        Decimal::from(-1439),
        Decimal::from(1439),
    )?;
    if let (Some(min), Some(max)) = (c.min_days_before_travel, c.max_days_before_travel) {
        if min > max {
            return Err(invalid(
                format!("{f}.max_days_before_travel"),
                format!("the window {min}..{max} days before travel is empty"),
            ));
        }
    }
    for (k, w) in c.flash_sales.iter().enumerate() {
        check_window(&format!("{f}.flash_sales[{k}]"), *w)?;
    }
    Ok(())
}

fn validate(doc: &RulebookDoc) -> Result<(), Error> {
    check_id(|| "version".into(), &doc.version, Doc::Rulebook)?;
    check_len("taxes", doc.taxes.len(), limits::MAX_TAXES)?;
    check_len("offers", doc.offers.len(), limits::MAX_OFFERS)?;
    check_len("vouchers", doc.vouchers.len(), limits::MAX_VOUCHERS)?;
    if doc.max_vouchers_per_quote as usize > limits::MAX_VOUCHER_CODES {
        return Err(invalid(
            "max_vouchers_per_quote".into(),
            format!(
                "at most {} vouchers fit in a request",
                limits::MAX_VOUCHER_CODES
            ),
        ));
    }

    check_range(
        || "max_seated_passengers".into(),
        Decimal::from(doc.max_seated_passengers),
        Decimal::ONE,
        Decimal::from(limits::MAX_PASSENGERS_PER_TYPE),
    )?;
    crate::tax::validate::validate_taxes(&doc.taxes)?;
    crate::display::check_settlement_exponents(&doc.settlement_exponents)?;

    let mut ids = HashSet::new();
    for (i, o) in doc.offers.iter().enumerate() {
        let f = format!("offers[{i}]");
        check_id(|| format!("{f}.id"), &o.id, Doc::Rulebook)?;
        check_text(|| format!("{f}.name"), &o.name, Doc::Rulebook)?;
        check_offer_kind(&f, o)?;
        for (name, m) in [
            ("max_discount", &o.max_discount),
            ("min_purchase_amount", &o.min_purchase_amount),
            ("budget", &o.budget),
        ] {
            if let Some(m) = m {
                check_money(|| format!("{f}.{name}"), m)?;
            }
        }
        check_conditions(&format!("{f}.conditions"), &o.conditions)?;
        check_scope(format!("{f}.applies_to"), &o.applies_to)?;
        check_window(&f, o.window())?;
        if !ids.insert(o.id.as_str()) {
            return Err(Error::DuplicateId {
                field: format!("{f}.id"),
                id: o.id.clone(),
            });
        }
    }

    let mut ids = HashSet::new();
    let mut codes = HashSet::new();
    for (i, v) in doc.vouchers.iter().enumerate() {
        let f = format!("vouchers[{i}]");
        check_id(|| format!("{f}.id"), &v.id, Doc::Rulebook)?;
        check_id(
            || format!("{f}.code"),
            normalize_code(&v.code).as_str(),
            Doc::Rulebook,
        )?;
        check_text(|| format!("{f}.name"), &v.name, Doc::Rulebook)?;
        match (v.kind, v.currency) {
            (
                VoucherKind::DiscountPercentage | VoucherKind::Cashback | VoucherKind::FreeService,
                None,
            ) => check_percent(|| format!("{f}.value"), v.value)?,
            (VoucherKind::DiscountPercentage | VoucherKind::FreeService, Some(_)) => {
                return Err(invalid(
                    format!("{f}.currency"),
                    "a percentage voucher has no currency; cap it with max_discount",
                ))
            }
            (VoucherKind::DiscountFixed | VoucherKind::Cashback, Some(c)) => {
                check_money(|| format!("{f}.value"), &Money::new(v.value, c))?;
                if v.value.is_zero() {
                    return Err(Error::InvalidAmount {
                        field: format!("{f}.value"),
                        reason: "a fixed voucher must be worth more than zero".into(),
                    });
                }
            }
            (VoucherKind::DiscountFixed, None) => {
                return Err(invalid(
                    format!("{f}.currency"),
                    "a fixed voucher needs its currency",
                ))
            }
        }
        if let Some(m) = &v.max_discount {
            check_money(|| format!("{f}.max_discount"), m)?;
        }
        if let Some(m) = &v.budget {
            check_money(|| format!("{f}.budget"), m)?;
        }
        check_len(
            &format!("{f}.assigned_customers"),
            v.assigned_customers.len(),
            limits::MAX_RULE_LIST,
        )?;
        check_conditions(&format!("{f}.conditions"), &v.conditions)?;
        check_text(|| format!("{f}.benefit"), &v.benefit, Doc::Rulebook)?;
        if v.tax_mode == crate::quote::TaxMode::Gross && v.kind != VoucherKind::DiscountFixed {
            return Err(invalid(
                format!("{f}.tax_mode"),
                "only a fixed amount can be tax-inclusive (GROSS)",
            ));
        }
        if let Some(m) = &v.min_purchase_amount {
            check_money(|| format!("{f}.min_purchase_amount"), m)?;
        }
        check_scope(format!("{f}.applies_to"), &v.applies_to)?;
        check_window(&f, v.window())?;
        if !ids.insert(v.id.as_str()) {
            return Err(Error::DuplicateId {
                field: format!("{f}.id"),
                id: v.id.clone(),
            });
        }
        if !codes.insert(normalize_code(&v.code)) {
            return Err(Error::DuplicateId {
                field: format!("{f}.code"),
                id: normalize_code(&v.code),
            });
        }
    }

    if let Some(m) = &doc.membership {
        if m.points_unit <= Decimal::ZERO {
            return Err(Error::RateOutOfRange {
                field: "membership.points_unit".into(),
                value: m.points_unit,
                min: Decimal::new(1, 28),
                max: Decimal::MAX,
            });
        }
        check_range(
            || "membership.cashback_hold_days".into(),
            Decimal::from(m.cashback_hold_days),
            Decimal::ZERO,
            Decimal::from(3650),
        )?;
        let mut tiers = HashSet::new();
        for (i, p) in m.plans.iter().enumerate() {
            let f = format!("membership.plans[{i}]");
            check_money(|| format!("{f}.price"), &p.price)?;
            check_percent(|| format!("{f}.cashback_percent"), p.cashback_percent)?;
            check_range(
                || format!("{f}.points_multiplier"),
                p.points_multiplier,
                Decimal::ZERO,
                Decimal::ONE_HUNDRED,
            )?;
            if !tiers.insert(p.tier) {
                return Err(Error::DuplicateId {
                    field: format!("{f}.tier"),
                    id: format!("{:?}", p.tier).to_uppercase(),
                });
            }
        }
        if !tiers.contains(&Tier::Guest) {
            return Err(invalid(
                "membership.plans".into(),
                "the plan table needs a GUEST plan",
            ));
        }
        crate::membership::validate(m)?;
    }
    if let Some(r) = &doc.referral {
        crate::referral::validate(r)?;
    }
    if let Some(c) = &doc.charter {
        crate::jet::rules::validate(c)?;
    }
    Ok(())
}
