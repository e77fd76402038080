//! The priced result: lines, adjustments, totals, rewards, redemptions and rejections.

use crate::membership::Tier;
use crate::{Category, PassengerType};
use rihla_core::{Currency, Decimal};
use serde::Serialize;

/// A priced quote. All amounts are in `currency`, at its minor unit, and serialized as
/// decimal strings.
///
/// Invariant (pinned by property tests):
/// `final_amount = base_amount − discount_amount − voucher_discount + fee_amount + tax_amount`,
/// and `final_amount` is the sum of the item lines' `total`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// Version of the rulebook that priced it.
    pub rulebook_version: String,
    /// ISO 4217 currency of every amount.
    pub currency: Currency,
    /// The customer id of the request, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Item lines first (in request order), then every adjustment line in the order the
    /// pipeline made it: offers, vouchers, fees, taxes.
    pub lines: Vec<Line>,
    /// Σ gross of the item lines.
    #[serde(with = "rihla_core::decimal_string")]
    pub base_amount: Decimal,
    /// Σ automatic-offer discounts.
    #[serde(with = "rihla_core::decimal_string")]
    pub discount_amount: Decimal,
    /// Σ voucher discounts.
    #[serde(with = "rihla_core::decimal_string")]
    pub voucher_discount: Decimal,
    /// Σ service and booking fees.
    #[serde(with = "rihla_core::decimal_string")]
    pub fee_amount: Decimal,
    /// Σ taxes.
    #[serde(with = "rihla_core::decimal_string")]
    pub tax_amount: Decimal,
    /// What the customer pays.
    #[serde(with = "rihla_core::decimal_string")]
    pub final_amount: Decimal,
    /// The totals in the request's display currency, if it asked for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<crate::display::DisplayTotals>,
    /// `final_amount` re-rounded to the payment provider's settlement exponent, when the
    /// rulebook names one for this currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settlement: Option<rihla_core::Settlement>,
    /// Points and cashback the booking would earn.
    pub rewards: Rewards,
    /// What the host must persist if the booking is made (offer and voucher usage).
    pub redemptions: Vec<Redemption>,
    /// Each offer or voucher considered and not applied, with its reason.
    pub rejected: Vec<Rejection>,
    /// The breakdown of each PRIVATE_JET item: flown legs, billable hours, surcharges,
    /// empty-leg discounts, fees, and the commission split.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub charters: Vec<crate::jet::Charter>,
    /// When the request asked for it (`"fingerprint": true`): lowercase hex SHA-256 over
    /// the rulebook's content fingerprint, the canonical request and the result — equal
    /// fingerprints, equal quotes (a server checks a browser preview with it). Opt-in
    /// because hashing the canonical request costs about as much as pricing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// A line of the quote, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Line {
    /// A priced item (or one passenger type of a fare).
    Item(ItemLine),
    /// An automatic offer's discount.
    Offer(DiscountLine),
    /// A voucher's discount.
    Voucher(DiscountLine),
    /// A tax.
    Tax(TaxLine),
    /// A carrier surcharge (YQ/YR): shown beside taxes, counted in `fee_amount`.
    Surcharge(TaxLine),
    /// A non-monetary benefit (free upgrade, free service, bonus points, cashback to come).
    Benefit(BenefitLine),
}

/// What a benefit line gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BenefitKind {
    /// A free upgrade (room, cabin, car class).
    FreeUpgrade,
    /// A named service at no charge.
    FreeService,
    /// Bonus loyalty points.
    BonusPoints,
    /// Cashback credited as PENDING once the booking completes (no price change).
    Cashback,
}

/// A benefit granted by an offer or a voucher; it changes no amount of the quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenefitLine {
    /// OFFER or VOUCHER.
    pub source: RuleKind,
    /// The rule's id.
    pub rule_id: String,
    /// The voucher code, for vouchers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What it gives.
    pub benefit: BenefitKind,
    /// The benefit as the platform names it (`"Room upgrade to a Haram-view suite"`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Bonus points granted (the fixed bonus plus what the multiplier adds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<u64>,
    /// The multiplier of a BONUS_POINTS offer on the points earned.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub points_multiplier: Option<Decimal>,
    /// Pending cashback granted.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<Decimal>,
}

/// A priced item line with its running amounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemLine {
    /// Line id: the item id, or `ITEM/PTC` for one passenger type of a fare (`FLT-1/ADT`).
    pub id: String,
    /// The request's item id.
    pub item_id: String,
    /// The item's category.
    pub category: Category,
    /// The IATA passenger type of a fare line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passenger_type: Option<PassengerType>,
    /// The item's description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Units (or passengers of the type).
    pub quantity: u32,
    /// Price of one unit.
    #[serde(with = "rihla_core::decimal_string")]
    pub unit_price: Decimal,
    /// `unit_price × quantity`.
    #[serde(with = "rihla_core::decimal_string")]
    pub gross: Decimal,
    /// Offer discounts allocated to this line.
    #[serde(with = "rihla_core::decimal_string")]
    pub discount: Decimal,
    /// Voucher discounts allocated to this line.
    #[serde(with = "rihla_core::decimal_string")]
    pub voucher_discount: Decimal,
    /// `gross − discount − voucher_discount` (never below zero).
    #[serde(with = "rihla_core::decimal_string")]
    pub net: Decimal,
    /// Taxes on this line (added, or extracted from a tax-inclusive price).
    #[serde(with = "rihla_core::decimal_string")]
    pub tax: Decimal,
    /// Carrier surcharges (YQ/YR) on this line.
    #[serde(with = "rihla_core::decimal_string")]
    pub surcharge: Decimal,
    /// Tax extracted from a tax-inclusive price (already part of `tax`):
    /// `gross = unit_price × quantity − tax_included`.
    #[serde(with = "rihla_core::decimal_string")]
    pub tax_included: Decimal,
    /// `net + tax + surcharge`.
    #[serde(with = "rihla_core::decimal_string")]
    pub total: Decimal,
    /// For a fare line: each passenger's net, taxes and total, as a GDS prices them
    /// (the line's net is split over its passengers by largest remainder).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passengers: Vec<PassengerAmount>,
    /// For a fare priced by components: each component's amount per passenger.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fare_components: Vec<ComponentAmount>,
    /// The ids of the line's passengers, when the request listed them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passenger_ids: Vec<String>,
    /// For a charter fee line (`JET-1/LANDING-2`): the fee's kind. The charter's flight
    /// charge line (`JET-1`) has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charter_fee: Option<crate::jet::FeeKind>,
    /// Whether percentage taxes skip the line (a charter fee outside the taxable
    /// air-transportation charge, such as catering).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub percent_tax_exempt: bool,
    /// A charter line's customer legs, for the tax engine.
    #[serde(skip)]
    pub(crate) journey: Option<std::sync::Arc<crate::jet::charter::TaxJourney>>,
    /// Index of the request item the line comes from.
    #[serde(skip)]
    pub(crate) item_index: usize,
}

/// One fare component's amount for one passenger of a fare line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentAmount {
    /// The fare basis code.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fare_basis: String,
    /// The segments it covers.
    pub segments: Vec<usize>,
    /// The amount per passenger.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
}

/// One passenger of a fare line: net fare, each tax and surcharge, and total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassengerAmount {
    /// The passenger's id, when the request listed the passengers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passenger_id: Option<String>,
    /// The passenger's net fare after discounts.
    #[serde(with = "rihla_core::decimal_string")]
    pub net: Decimal,
    /// Each tax and surcharge the passenger pays, in rulebook order.
    pub taxes: Vec<TaxAmount>,
    /// `net + Σ taxes`.
    #[serde(with = "rihla_core::decimal_string")]
    pub total: Decimal,
}

/// A tax or surcharge amount of one passenger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaxAmount {
    /// The rule's code (`VAT`, `ZP`, `YQ` …).
    pub code: String,
    /// TAX or CARRIER_SURCHARGE.
    pub kind: crate::tax::TaxKind,
    /// The amount.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
}

/// How a discount was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DiscountType {
    /// A percentage of the eligible amount.
    Percentage,
    /// A fixed amount.
    Fixed,
    /// Buy X get Y at a percentage off, cheapest units first.
    Bogo,
}

/// Whether a fixed discount is taken from the net price (NET) or declared tax-inclusive
/// (GROSS): a GROSS amount lowers what the customer pays, tax included, by that amount
/// (give or take the rounding of each line), so its net part is smaller on taxed lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaxMode {
    /// Taken from the net price, before tax (the default).
    #[default]
    Net,
    /// Tax-inclusive: split over the lines by their price with tax, each part divided by
    /// `1 + rate` of its line's percentage taxes.
    Gross,
}

/// Why an applied discount differs from the requested one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AdjustmentReason {
    /// Cut to the rule's `max_discount`.
    CappedMaxDiscount,
    /// Cut to the eligible amount (a discount never takes a line below zero); the unused
    /// remainder is forfeited.
    ClampedToEligibleBase,
    /// Cut to what is left of the rule's budget (policy CLAMP).
    ClampedToBudget,
    /// Applied in full past the rule's budget (policy OVERSHOOT): the host is told.
    BudgetOvershoot,
}

/// An offer's or a voucher's discount, with the rule that made it and its allocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscountLine {
    /// The offer's or voucher's id.
    pub rule_id: String,
    /// The voucher code (normalised), for vouchers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The rule's name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Percentage or fixed.
    pub discount_type: DiscountType,
    /// The percentage or the fixed amount of the rule.
    #[serde(with = "rihla_core::decimal_string")]
    pub value: Decimal,
    /// The eligible amount it was computed on (after earlier discounts).
    #[serde(with = "rihla_core::decimal_string")]
    pub base: Decimal,
    /// The discount before caps and clamping.
    #[serde(with = "rihla_core::decimal_string")]
    pub requested: Decimal,
    /// The discount applied.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
    /// Why `amount` < `requested`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<AdjustmentReason>,
    /// NET (before tax).
    pub tax_mode: TaxMode,
    /// The amount per item line (largest remainder, weighted by the lines' net).
    pub allocations: Vec<Allocation>,
}

/// A tax or surcharge, summed over the lines it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaxLine {
    /// The rule's id.
    pub rule_id: String,
    /// The code (`VAT`, `ZP`, `YQ`).
    pub code: String,
    /// The rule's name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What the amount was computed on.
    pub basis: crate::tax::TaxBasis,
    /// The percentage of a percentage basis.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub rate: Option<Decimal>,
    /// The fixed amount per charge, in the quote's currency (converted if need be).
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_amount: Option<Decimal>,
    /// For a percentage: Σ of the bases (net, plus included taxes) it was computed on.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub base: Option<Decimal>,
    /// Σ of the per-passenger (or per-line) amounts.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
    /// Extracted from tax-inclusive prices rather than added.
    pub inclusive: bool,
    /// Refunded even when the fare is not refundable.
    pub refundable_on_non_refundable_fare: bool,
    /// The amount per covered item line.
    pub allocations: Vec<Allocation>,
}

/// A part of an adjustment on one item line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    /// The item line's id.
    pub line_id: String,
    /// The amount on that line.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
}

/// The subscription state a quote was priced with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MembershipStatus {
    /// An active subscription.
    Active,
    /// The subscription ended before `now`: priced as GUEST.
    Expired,
    /// No subscription: GUEST.
    None,
    /// The rulebook has no plan for the tier (or no programme): GUEST terms, no rewards
    /// beyond the GUEST plan.
    NoPlan,
}

/// Rewards the booking would earn, computed on the quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rewards {
    /// The tier the quote was priced with.
    pub tier: Tier,
    /// Why that tier.
    pub membership_status: MembershipStatus,
    /// The amount points are earned on.
    #[serde(with = "rihla_core::decimal_string")]
    pub points_basis_amount: Decimal,
    /// Currency amount per base point.
    #[serde(with = "rihla_core::decimal_string")]
    pub points_unit: Decimal,
    /// `floor(points_basis_amount / points_unit)`.
    pub base_points: u64,
    /// The plan's points multiplier.
    #[serde(with = "rihla_core::decimal_string")]
    pub points_multiplier: Decimal,
    /// `floor(base_points × points_multiplier)`.
    pub points: u64,
    /// Bonus points from offers.
    pub bonus_points: u64,
    /// `points + bonus_points`.
    pub total_points: u64,
    /// The plan's cashback percentage.
    #[serde(with = "rihla_core::decimal_string")]
    pub cashback_percent: Decimal,
    /// `round(final_amount × cashback_percent / 100)`, before the plan's cap.
    #[serde(with = "rihla_core::decimal_string")]
    pub cashback_requested: Decimal,
    /// The plan's cap on cashback per booking, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cashback_cap: Option<rihla_core::Money>,
    /// The cashback credited as PENDING: `cashback_requested`, or the cap when lower
    /// (reason `CAPPED`), or 0 when the cap is in another currency (reason
    /// `CURRENCY_MISMATCH`).
    #[serde(with = "rihla_core::decimal_string")]
    pub cashback_amount: Decimal,
    /// Why `cashback_amount` differs from `cashback_requested`, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cashback_reason: Option<crate::membership::CashbackReason>,
    /// Always `PENDING` on a quote.
    pub cashback_status: CashbackStatus,
    /// Days after completion before the cashback may be credited.
    pub cashback_hold_days: u32,
}

/// Status of cashback on a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CashbackStatus {
    /// Held until the booking completes plus the hold period.
    Pending,
}

/// Whether a redemption or rejection concerns an offer or a voucher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleKind {
    /// An automatic offer.
    Offer,
    /// A voucher.
    Voucher,
}

/// A usage the host commits atomically when the booking is made
/// (e.g. `UPDATE voucher SET used = used + 1 WHERE id = … AND used < limit`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redemption {
    /// Offer or voucher.
    pub kind: RuleKind,
    /// Its id.
    pub rule_id: String,
    /// The voucher code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The customer, if the request named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The discount given.
    #[serde(with = "rihla_core::decimal_string")]
    pub amount: Decimal,
}

/// An offer or voucher that was considered and not applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// Offer or voucher.
    pub kind: RuleKind,
    /// Its id (absent for an unknown voucher code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// The voucher code as normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Why, with the values that decided it.
    pub reason: RejectionReason,
}

/// Why an offer or a voucher did not apply; serialized as `{"code": "…", …values}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RejectionReason {
    /// No voucher has this code.
    NotFound,
    /// The rule's status is INACTIVE.
    Inactive,
    /// `now < valid_from`.
    NotYetValid {
        /// First valid instant.
        #[serde(serialize_with = "rihla_core::time::utc::serialize")]
        valid_from: chrono::DateTime<chrono::Utc>,
    },
    /// `now > valid_until`.
    Expired {
        /// Last valid instant.
        #[serde(serialize_with = "rihla_core::time::utc::serialize")]
        valid_until: chrono::DateTime<chrono::Utc>,
    },
    /// No line of the cart is in the rule's scope (or all are already at zero).
    NotApplicable,
    /// The rule's amounts are in another currency than the quote.
    CurrencyMismatch {
        /// The quote's currency.
        expected: Currency,
        /// The rule's currency.
        actual: Currency,
    },
    /// The eligible amount (after earlier discounts) is below the minimum.
    MinPurchaseNotMet {
        /// The minimum.
        #[serde(with = "rihla_core::decimal_string")]
        required: Decimal,
        /// The eligible amount.
        #[serde(with = "rihla_core::decimal_string")]
        actual: Decimal,
    },
    /// The quote already carries the most vouchers the rulebook allows.
    MaxVouchersReached {
        /// The rulebook's `max_vouchers_per_quote`.
        limit: u32,
    },
    /// The same code was given twice.
    DuplicateCode,
    /// The rule's total usage limit is reached (the host's count).
    Exhausted {
        /// The limit.
        limit: u64,
        /// Redemptions so far.
        used: u64,
    },
    /// This customer's usage limit is reached.
    UserLimitReached {
        /// The limit per customer.
        limit: u64,
        /// This customer's redemptions so far.
        used: u64,
    },
    /// A private voucher not assigned to this customer.
    NotAssigned,
    /// The customer's membership tier does not qualify.
    TierNotEligible {
        /// The tier the quote is priced with.
        tier: crate::membership::Tier,
        /// The tiers that qualify.
        allowed: Vec<crate::membership::Tier>,
    },
    /// `now` is outside every flash-sale window of the rule.
    NotInFlashSale,
    /// Not on one of the rule's days of the week.
    DayOfWeek {
        /// The weekday of `now` in the rule's market.
        actual: Option<crate::fare_rule::Weekday>,
        /// The days that qualify.
        allowed: Vec<crate::fare_rule::Weekday>,
    },
    /// The first day of travel is outside the early-bird / last-minute window (or the
    /// cart has no travel date).
    BookingWindow {
        /// Days from `now` to the first day of travel.
        days_before_travel: Option<i64>,
        /// The early-bird minimum.
        #[serde(skip_serializing_if = "Option::is_none")]
        min_days: Option<u32>,
        /// The last-minute maximum.
        #[serde(skip_serializing_if = "Option::is_none")]
        max_days: Option<u32>,
    },
    /// The party is smaller than the rule's group size.
    TravellersNotMet {
        /// The smallest party.
        required: u32,
        /// The cart's party.
        actual: u32,
    },
    /// The cart carries no passenger of the types the rule needs.
    PassengerTypeMissing {
        /// The qualifying types.
        required: Vec<crate::PassengerType>,
    },
    /// The discount would exceed what is left of the rule's budget (policy REFUSE), or
    /// nothing is left of it (policy CLAMP: a clamp to zero applies nothing).
    BudgetExceeded {
        /// What is left of the budget.
        #[serde(with = "rihla_core::decimal_string")]
        remaining: Decimal,
        /// The discount the rule would give.
        #[serde(with = "rihla_core::decimal_string")]
        requested: Decimal,
    },
    /// An exclusive offer applied before it (PRIORITY stacking).
    ExcludedBy {
        /// The exclusive offer.
        offer_id: String,
    },
    /// It does not combine with an offer already applied (`exclusive`, `combines_with`).
    NotCombinable {
        /// The offer it does not combine with.
        offer_id: String,
    },
    /// Another offer of its BEST_DEAL group gives a larger discount.
    NotBestDeal {
        /// The offer that applied instead.
        chosen: String,
    },
    /// The rule would take 0 off the cart as it stands (a 0 % rate, or a percentage of an
    /// eligible amount too small to make one minor unit): it applies nothing and emits no
    /// redemption, so it consumes none of its uses.
    ZeroDiscount,
}
