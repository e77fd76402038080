//! A rulebook built from fuzzer bytes ([`RulebookInput`]): offers (percentage, fixed,
//! BOGO, benefits, bonus points) with caps, minimums, budgets, stacking and exclusivity;
//! vouchers; tax rules of every basis; the rounding settings — values from
//! [`crate::values`]. The default rulebook's membership plans, referral programme and
//! charter rules can be kept, so rewards and charters are priced too.

use crate::quote_input::TIERS;
use crate::values::{list, Amount, Count, CurrencyCode, Few, Instant, Percent, Text, VoucherCode};
use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{json, Map, Value};

/// A whole rulebook.
#[derive(Debug, Clone)]
pub struct RulebookInput {
    /// `rounding`: HALF_AWAY_FROM_ZERO or HALF_EVEN.
    pub half_even: bool,
    /// `offer_stacking`: BEST_DEAL rather than PRIORITY.
    pub best_deal: bool,
    /// `tax_rounding`: PER_DOCUMENT rather than PER_PASSENGER.
    pub per_document: bool,
    /// `budget_policy` index.
    pub budget_policy: Option<u8>,
    /// `max_vouchers_per_quote`.
    pub max_vouchers: Option<Count>,
    /// `max_seated_passengers`.
    pub max_seated: Option<Few>,
    /// The offers.
    pub offers: Vec<OfferInput>,
    /// The vouchers.
    pub vouchers: Vec<VoucherInput>,
    /// The tax rules.
    pub taxes: Vec<TaxInput>,
    /// Keep the default rulebook's membership, referral and charter sections.
    pub keep_default_sections: bool,
    /// A settlement exponent for the rulebook's first currency.
    pub settlement_exponent: Option<u8>,
}

impl<'a> Arbitrary<'a> for RulebookInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(RulebookInput {
            half_even: u.arbitrary()?,
            best_deal: u.arbitrary()?,
            per_document: u.arbitrary()?,
            budget_policy: u.arbitrary()?,
            max_vouchers: match u.int_in_range(0u8..=7)? {
                0 => Some(u.arbitrary()?),
                1..=2 => Some(Count(u.int_in_range(0..=10)?)),
                _ => None,
            },
            max_seated: if u.ratio(1u8, 8)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            offers: list(u, 6)?,
            vouchers: list(u, 3)?,
            taxes: list(u, 4)?,
            keep_default_sections: u.ratio(3u8, 4)?,
            settlement_exponent: if u.ratio(1u8, 16)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
        })
    }
}

const BUDGET_POLICIES: &[&str] = &["REFUSE", "CLAMP", "OVERSHOOT"];
const OFFER_CLASSES: &[&str] = &["PRODUCT", "ORDER", "SHIPPING"];

/// The rule fields offers and vouchers share.
#[derive(Debug, Clone)]
pub struct RuleCommon {
    /// The percentage of percentage rules.
    pub percent: Percent,
    /// The value of fixed rules.
    pub value: Amount,
    /// The currency of fixed amounts.
    pub currency: CurrencyCode,
    /// `max_discount`.
    pub max_discount: Option<Amount>,
    /// `min_purchase_amount`.
    pub min_purchase: Option<Amount>,
    /// `budget`.
    pub budget: Option<Amount>,
    /// `budget_policy` index.
    pub budget_policy: Option<u8>,
    /// Scope: all, some categories, or some item ids (`IT-n`).
    pub scope: Option<ScopeInput>,
    /// `valid_from`, `valid_until`.
    pub window: (Option<Instant>, Option<Instant>),
    /// Conditions: tiers, usage limits, travellers, days before travel.
    pub conditions: Option<ConditionsInput>,
    /// GROSS tax mode rather than NET.
    pub gross: bool,
}

impl<'a> Arbitrary<'a> for RuleCommon {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let some = |u: &mut Unstructured<'a>, n: u8| u.ratio(1u8, n);
        let mut window = (
            if some(u, 3)? {
                Some(Instant::arbitrary(u)?)
            } else {
                None
            },
            if some(u, 3)? {
                Some(Instant::arbitrary(u)?)
            } else {
                None
            },
        );
        // Mostly a window that opens before it closes.
        if let (Some(from), Some(until)) = &mut window {
            if from.0 > until.0 && !some(u, 8)? {
                std::mem::swap(from, until);
            }
        }
        Ok(RuleCommon {
            percent: u.arbitrary()?,
            value: u.arbitrary()?,
            currency: u.arbitrary()?,
            max_discount: if some(u, 4)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            min_purchase: if some(u, 4)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            budget: if some(u, 6)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            budget_policy: if some(u, 4)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            scope: if some(u, 3)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            window,
            conditions: if some(u, 4)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
            gross: some(u, 8)?,
        })
    }
}

/// Which lines a rule covers.
#[derive(Debug, Clone, Arbitrary)]
pub enum ScopeInput {
    /// Some categories (indexes).
    Categories(Vec<u8>),
    /// Some item ids `IT-n`.
    Items(Vec<u8>),
}

/// A rule's conditions.
#[derive(Debug, Clone, Arbitrary)]
pub struct ConditionsInput {
    /// Tier indexes.
    pub tiers: Vec<u8>,
    /// `usage_limit`.
    pub usage_limit: Option<Count>,
    /// `usage_limit_per_customer`.
    pub usage_limit_per_customer: Option<Count>,
    /// `min_travellers`.
    pub min_travellers: Option<Count>,
    /// `min_days_before_travel`, `max_days_before_travel`.
    pub days: (Option<Count>, Option<Count>),
}

/// One automatic offer.
#[derive(Debug, Clone)]
pub struct OfferInput {
    /// `type` index.
    pub kind: u8,
    /// The shared fields.
    pub common: RuleCommon,
    /// BOGO `buy`, `get`, `max_occurrences`.
    pub bogo: (Option<Few>, Option<Few>, Option<Count>),
    /// `priority`.
    pub priority: i32,
    /// `exclusive`.
    pub exclusive: bool,
    /// `group` (BEST_DEAL).
    pub group: Option<u8>,
    /// `class` index and `combines_with` indexes.
    pub class: Option<(u8, Option<Vec<u8>>)>,
    /// BONUS_POINTS `bonus_points` and `points_multiplier`.
    pub bonus: (Option<Count>, Option<Percent>),
}

impl<'a> Arbitrary<'a> for OfferInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(OfferInput {
            kind: u.arbitrary()?,
            common: u.arbitrary()?,
            bogo: u.arbitrary()?,
            priority: match u.int_in_range(0u8..=3)? {
                0 => u.arbitrary()?,
                _ => u.int_in_range(-2..=10)?,
            },
            exclusive: u.ratio(1u8, 4)?,
            group: u.arbitrary()?,
            class: u.arbitrary()?,
            bonus: u.arbitrary()?,
        })
    }
}

/// One voucher.
#[derive(Debug, Clone, Arbitrary)]
pub struct VoucherInput {
    /// `type` index.
    pub kind: u8,
    /// The code.
    pub code: VoucherCode,
    /// The shared fields.
    pub common: RuleCommon,
    /// Private, assigned to these customers.
    pub assigned: Option<Vec<Text>>,
}

/// One tax rule.
#[derive(Debug, Clone, Arbitrary)]
pub struct TaxInput {
    /// `basis` index.
    pub basis: u8,
    /// A CARRIER_SURCHARGE rather than a TAX.
    pub surcharge: bool,
    /// `rate` (percentage bases).
    pub rate: Percent,
    /// `amount` (fixed bases): amount and currency.
    pub amount: (Amount, CurrencyCode),
    /// `includes` the earlier rules (indexes).
    pub includes: Vec<u8>,
    /// `inclusive`.
    pub inclusive: bool,
    /// Scope.
    pub scope: Option<ScopeInput>,
    /// `journey` index.
    pub journey: u8,
    /// `countries` (codes of the generated airports and item countries).
    pub countries: Vec<u8>,
    /// `exempt_passenger_types` indexes.
    pub exempt: Vec<u8>,
    /// `round_trip_cap`, `max_per_one_way`, `max_per_round_trip`.
    pub caps: (Option<Amount>, Option<Count>, Option<Count>),
}

const OFFER_KINDS: &[&str] = &[
    "DISCOUNT_PERCENTAGE",
    "DISCOUNT_FIXED",
    "BOGO",
    "FREE_UPGRADE",
    "BONUS_POINTS",
];
const VOUCHER_KINDS: &[&str] = &[
    "DISCOUNT_PERCENTAGE",
    "DISCOUNT_FIXED",
    "CASHBACK",
    "FREE_SERVICE",
];
const TAX_BASES: &[&str] = &[
    "PERCENT_OF_NET",
    "PERCENT_OF_SUBTOTAL",
    "PER_PASSENGER",
    "PER_PASSENGER_SEGMENT",
    "PER_ONE_WAY",
    "PER_ENPLANEMENT",
    "PER_DEPARTURE",
    "PER_ARRIVAL",
    "PER_NIGHT",
    "PER_ITEM",
    "PER_BOOKING",
];
const JOURNEYS: &[&str] = &["ANY", "DOMESTIC", "INTERNATIONAL"];
const COUNTRIES: &[&str] = &["SA", "AE", "BD", "EG", "US", "AU", "ZZ"];
const PAX_TYPES: &[&str] = &["ADT", "CHD", "INF", "YTH", "STU", "SRC"];

fn pick(options: &[&'static str], i: u8) -> &'static str {
    options
        .get(usize::from(i) % options.len().max(1))
        .copied()
        .unwrap_or("")
}

fn money(amount: &Amount, currency: &CurrencyCode) -> Value {
    json!({"amount": amount.0, "currency": currency.0})
}

impl RulebookInput {
    /// The rulebook as JSON.
    pub fn to_json(&self) -> Value {
        let mut rb = Map::new();
        rb.insert("version".into(), json!("fuzz"));
        let rounding = if self.half_even {
            "HALF_EVEN"
        } else {
            "HALF_AWAY_FROM_ZERO"
        };
        rb.insert("rounding".into(), json!(rounding));
        let stacking = if self.best_deal {
            "BEST_DEAL"
        } else {
            "PRIORITY"
        };
        rb.insert("offer_stacking".into(), json!(stacking));
        let tax_rounding = if self.per_document {
            "PER_DOCUMENT"
        } else {
            "PER_PASSENGER"
        };
        rb.insert("tax_rounding".into(), json!(tax_rounding));
        if let Some(p) = self.budget_policy {
            rb.insert("budget_policy".into(), json!(pick(BUDGET_POLICIES, p)));
        }
        if let Some(n) = self.max_vouchers {
            rb.insert("max_vouchers_per_quote".into(), json!(n.0));
        }
        if let Some(n) = self.max_seated {
            rb.insert("max_seated_passengers".into(), json!(n.0));
        }
        let offers: Vec<Value> = self
            .offers
            .iter()
            .enumerate()
            .map(|(i, o)| o.to_json(i))
            .collect();
        rb.insert("offers".into(), Value::Array(offers));
        // One voucher per code (codes match case-insensitively after trimming), mostly.
        let mut seen = std::collections::HashSet::new();
        let vouchers: Vec<Value> = self
            .vouchers
            .iter()
            .enumerate()
            .filter(|(i, v)| seen.insert(v.code.0.trim().to_lowercase()) || i % 8 == 7)
            .map(|(i, v)| v.to_json(i))
            .collect();
        rb.insert("vouchers".into(), Value::Array(vouchers));
        let taxes: Vec<Value> = self
            .taxes
            .iter()
            .enumerate()
            .map(|(i, t)| t.to_json(i))
            .collect();
        rb.insert("taxes".into(), Value::Array(taxes));
        if let Some(e) = self.settlement_exponent {
            rb.insert("settlement_exponents".into(), json!({"SAR": e % 4}));
        }
        if self.keep_default_sections {
            if let Ok(Value::Object(default)) =
                serde_json::from_str::<Value>(rihla_pricing::DEFAULT_RULEBOOK_JSON)
            {
                for key in ["membership", "referral", "charter"] {
                    if let Some(v) = default.get(key) {
                        rb.insert(key.into(), v.clone());
                    }
                }
            }
        }
        Value::Object(rb)
    }
}

impl RuleCommon {
    fn fill(&self, m: &mut Map<String, Value>, fixed: bool) {
        let value = if fixed {
            &self.value.0
        } else {
            &self.percent.0
        };
        m.insert("value".into(), json!(value));
        if fixed {
            m.insert("currency".into(), json!(self.currency.0));
        }
        if let Some(a) = &self.max_discount {
            m.insert("max_discount".into(), money(a, &self.currency));
        }
        if let Some(a) = &self.min_purchase {
            m.insert("min_purchase_amount".into(), money(a, &self.currency));
        }
        if let Some(a) = &self.budget {
            m.insert("budget".into(), money(a, &self.currency));
        }
        if let Some(p) = self.budget_policy {
            m.insert("budget_policy".into(), json!(pick(BUDGET_POLICIES, p)));
        }
        if let Some(s) = &self.scope {
            m.insert("applies_to".into(), s.to_json());
        }
        if let Some(from) = &self.window.0 {
            m.insert("valid_from".into(), json!(from.0));
        }
        if let Some(until) = &self.window.1 {
            m.insert("valid_until".into(), json!(until.0));
        }
        if let Some(c) = &self.conditions {
            m.insert("conditions".into(), c.to_json());
        }
        if self.gross && fixed {
            m.insert("tax_mode".into(), json!("GROSS"));
        }
    }
}

impl ScopeInput {
    fn to_json(&self) -> Value {
        match self {
            ScopeInput::Categories(c) => {
                let names: Vec<&str> = c
                    .iter()
                    .map(|i| pick(crate::quote_input::CATEGORIES, *i))
                    .collect();
                json!({"scope": "CATEGORIES", "categories": names})
            }
            ScopeInput::Items(ids) => {
                let ids: Vec<String> = ids.iter().map(|i| format!("IT-{}", i % 10)).collect();
                json!({"scope": "ITEMS", "item_ids": ids})
            }
        }
    }
}

impl ConditionsInput {
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        if !self.tiers.is_empty() {
            let tiers: Vec<&str> = self.tiers.iter().map(|t| pick(TIERS, *t)).collect();
            m.insert("tiers".into(), json!(tiers));
        }
        let mut put = |k: &str, v: &Option<Count>| {
            if let Some(v) = v {
                m.insert(k.into(), json!(v.0));
            }
        };
        put("usage_limit", &self.usage_limit);
        put("usage_limit_per_customer", &self.usage_limit_per_customer);
        put("min_travellers", &self.min_travellers);
        put("min_days_before_travel", &self.days.0);
        put("max_days_before_travel", &self.days.1);
        Value::Object(m)
    }
}

impl OfferInput {
    fn to_json(&self, i: usize) -> Value {
        let kind = pick(OFFER_KINDS, self.kind);
        let mut m = Map::new();
        m.insert("id".into(), json!(format!("OFF-{i}")));
        m.insert("type".into(), json!(kind));
        match kind {
            "BOGO" => {
                let (buy, get, max) = &self.bogo;
                m.insert("buy".into(), json!(buy.map_or(1, |c| c.0)));
                m.insert("get".into(), json!(get.map_or(1, |c| c.0)));
                if let Some(max) = max {
                    m.insert("max_occurrences".into(), json!(max.0));
                }
                self.common.fill(&mut m, false);
            }
            "FREE_UPGRADE" => {
                m.insert("benefit".into(), json!("upgrade"));
            }
            "BONUS_POINTS" => {
                let (points, multiplier) = &self.bonus;
                m.insert("bonus_points".into(), json!(points.map_or(100, |c| c.0)));
                if let Some(x) = multiplier {
                    m.insert("points_multiplier".into(), json!(x.0));
                }
            }
            other => self.common.fill(&mut m, other == "DISCOUNT_FIXED"),
        }
        m.insert("priority".into(), json!(self.priority));
        if self.exclusive {
            m.insert("exclusive".into(), json!(true));
        }
        if let Some(g) = self.group {
            m.insert("group".into(), json!(format!("G{}", g % 3)));
        }
        if let Some((class, combines)) = &self.class {
            m.insert("class".into(), json!(pick(OFFER_CLASSES, *class)));
            if let Some(c) = combines {
                let names: Vec<&str> = c.iter().map(|i| pick(OFFER_CLASSES, *i)).collect();
                m.insert("combines_with".into(), json!(names));
            }
        }
        Value::Object(m)
    }
}

impl VoucherInput {
    fn to_json(&self, i: usize) -> Value {
        let kind = pick(VOUCHER_KINDS, self.kind);
        let mut m = Map::new();
        m.insert("id".into(), json!(format!("V-{i}")));
        m.insert("code".into(), json!(self.code.0));
        m.insert("type".into(), json!(kind));
        if kind == "FREE_SERVICE" {
            m.insert("benefit".into(), json!("service"));
        } else {
            self.common.fill(&mut m, kind == "DISCOUNT_FIXED");
        }
        if let Some(customers) = &self.assigned {
            m.insert("is_public".into(), json!(false));
            let ids: Vec<&str> = customers.iter().map(|c| c.0.as_str()).collect();
            m.insert("assigned_customers".into(), json!(ids));
        }
        Value::Object(m)
    }
}

impl TaxInput {
    fn to_json(&self, i: usize) -> Value {
        let basis = pick(TAX_BASES, self.basis);
        let mut m = Map::new();
        m.insert("id".into(), json!(format!("TAX-{i}")));
        m.insert("code".into(), json!(format!("T{i}")));
        if self.surcharge {
            m.insert("kind".into(), json!("CARRIER_SURCHARGE"));
        }
        // PERCENT_OF_SUBTOTAL compounds earlier rules: the first rule cannot be one.
        let basis = if basis == "PERCENT_OF_SUBTOTAL" && i == 0 {
            "PERCENT_OF_NET"
        } else {
            basis
        };
        m.insert("basis".into(), json!(basis));
        if basis.starts_with("PERCENT") {
            m.insert("rate".into(), json!(self.rate.0));
            if basis == "PERCENT_OF_SUBTOTAL" {
                let mut includes: Vec<String> = self
                    .includes
                    .iter()
                    .map(|j| format!("TAX-{}", usize::from(*j) % i.max(1)))
                    .collect();
                includes.sort();
                includes.dedup();
                if includes.is_empty() {
                    includes.push("TAX-0".into());
                }
                m.insert("includes".into(), json!(includes));
            }
            if self.inclusive && basis == "PERCENT_OF_NET" {
                m.insert("inclusive".into(), json!(true));
            }
        } else {
            m.insert("amount".into(), money(&self.amount.0, &self.amount.1));
        }
        if let Some(s) = &self.scope {
            m.insert("applies_to".into(), s.to_json());
        }
        m.insert("journey".into(), json!(pick(JOURNEYS, self.journey)));
        if !self.countries.is_empty() {
            let c: Vec<&str> = self.countries.iter().map(|c| pick(COUNTRIES, *c)).collect();
            m.insert("countries".into(), json!(c));
        }
        if !self.exempt.is_empty() {
            let p: Vec<&str> = self.exempt.iter().map(|p| pick(PAX_TYPES, *p)).collect();
            m.insert("exempt_passenger_types".into(), json!(p));
        }
        // The caps belong to one basis each.
        let (cap, one_way, round_trip) = &self.caps;
        if let (Some(cap), "PER_ONE_WAY") = (cap, basis) {
            m.insert("round_trip_cap".into(), money(cap, &self.amount.1));
        }
        if basis == "PER_ENPLANEMENT" {
            if let Some(n) = one_way {
                m.insert("max_per_one_way".into(), json!(n.0));
            }
            if let Some(n) = round_trip {
                m.insert("max_per_round_trip".into(), json!(n.0));
            }
        }
        Value::Object(m)
    }
}
