"""The result classes: what :meth:`rihla.Rulebook.quote` and the other rulebook methods
return.

Each class is a subclass of the native :class:`rihla.Result`: it holds the result in Rust
and builds a field's Python value only when the field is read (then keeps it). Fields are
declared here with their types — a misspelt field is a type error under ``mypy --strict``
and an ``AttributeError`` at run time — and are:

- amounts: ``decimal.Decimal`` (exact, at the currency's scale), never ``float``;
- instants: aware ``datetime.datetime`` (with the UTC offset rihla computed them in);
  dates: ``datetime.date``;
- codes from a fixed set: a ``str``-valued :class:`enum.Enum` member (``Category.HOTEL``,
  equal to ``"HOTEL"``);
- lists: ``tuple``; an optional field the result leaves out: ``None``.

Every result is immutable, compared by value (``==``, ``hash``), pickles, and has
``to_dict()`` (plain Python data, amounts as ``Decimal``) and ``to_json()`` (``bytes``,
amounts as strings, written in Rust).

Fields named after a Python keyword (``from``) are read with ``getattr(leg, "from")`` or
the ``from_`` property.

Private module: import the classes from :mod:`rihla`.
"""

from __future__ import annotations

from enum import Enum
from typing import Union

from . import _rihla

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    from decimal import Decimal
    from typing import Optional, Tuple

Result = _rihla.Result


class _StrEnum(str, Enum):
    """A code from a fixed set: a ``str`` (``== "HOTEL"``, JSON-serializable as text)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


# --- enums ------------------------------------------------------------------------------


class Category(_StrEnum):
    """A product category."""

    FLIGHT = "FLIGHT"
    HOTEL = "HOTEL"
    PACKAGE = "PACKAGE"
    TOUR = "TOUR"
    ACTIVITY = "ACTIVITY"
    TRANSPORTATION = "TRANSPORTATION"
    CAR_RENTAL = "CAR_RENTAL"
    PRIVATE_JET = "PRIVATE_JET"
    SERVICE = "SERVICE"
    MEMBERSHIP = "MEMBERSHIP"


class PassengerType(_StrEnum):
    """An IATA passenger type code."""

    ADT = "ADT"
    CHD = "CHD"
    INF = "INF"
    YTH = "YTH"
    STU = "STU"
    SRC = "SRC"


class Tier(_StrEnum):
    """A membership tier, lowest first."""

    GUEST = "GUEST"
    BRONZE = "BRONZE"
    SILVER = "SILVER"
    GOLD = "GOLD"
    PLATINUM = "PLATINUM"
    DIAMOND = "DIAMOND"


class MembershipStatus(_StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    NONE = "NONE"
    NO_PLAN = "NO_PLAN"


class CashbackStatus(_StrEnum):
    PENDING = "PENDING"


class CashbackReason(_StrEnum):
    CAPPED = "CAPPED"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"


class RuleKind(_StrEnum):
    OFFER = "OFFER"
    VOUCHER = "VOUCHER"


class DiscountType(_StrEnum):
    PERCENTAGE = "PERCENTAGE"
    FIXED = "FIXED"
    BOGO = "BOGO"


class TaxMode(_StrEnum):
    NET = "NET"
    GROSS = "GROSS"


class AdjustmentReason(_StrEnum):
    CAPPED_MAX_DISCOUNT = "CAPPED_MAX_DISCOUNT"
    CLAMPED_TO_ELIGIBLE_BASE = "CLAMPED_TO_ELIGIBLE_BASE"
    CLAMPED_TO_BUDGET = "CLAMPED_TO_BUDGET"
    BUDGET_OVERSHOOT = "BUDGET_OVERSHOOT"


class TaxBasis(_StrEnum):
    PERCENT_OF_NET = "PERCENT_OF_NET"
    PERCENT_OF_SUBTOTAL = "PERCENT_OF_SUBTOTAL"
    PER_PASSENGER = "PER_PASSENGER"
    PER_PASSENGER_SEGMENT = "PER_PASSENGER_SEGMENT"
    PER_ONE_WAY = "PER_ONE_WAY"
    PER_ENPLANEMENT = "PER_ENPLANEMENT"
    PER_DEPARTURE = "PER_DEPARTURE"
    PER_ARRIVAL = "PER_ARRIVAL"
    PER_NIGHT = "PER_NIGHT"
    PER_ITEM = "PER_ITEM"
    PER_BOOKING = "PER_BOOKING"


class TaxKind(_StrEnum):
    TAX = "TAX"
    CARRIER_SURCHARGE = "CARRIER_SURCHARGE"


class BenefitKind(_StrEnum):
    FREE_UPGRADE = "FREE_UPGRADE"
    FREE_SERVICE = "FREE_SERVICE"
    BONUS_POINTS = "BONUS_POINTS"
    CASHBACK = "CASHBACK"


class FeeKind(_StrEnum):
    """A charter operator's fee."""

    LANDING = "LANDING"
    HANDLING = "HANDLING"
    CREW_OVERNIGHT = "CREW_OVERNIGHT"
    FUEL = "FUEL"
    DE_ICING = "DE_ICING"
    PERMIT = "PERMIT"
    CATERING = "CATERING"
    GROUND_TRANSPORT = "GROUND_TRANSPORT"
    OTHER = "OTHER"


class FeeBasis(_StrEnum):
    PER_TRIP = "PER_TRIP"
    PER_LEG = "PER_LEG"
    PER_PASSENGER_LEG = "PER_PASSENGER_LEG"
    PER_LANDING = "PER_LANDING"
    PER_DEPARTURE = "PER_DEPARTURE"
    PER_INTERNATIONAL_LEG = "PER_INTERNATIONAL_LEG"
    PER_CREW_NIGHT = "PER_CREW_NIGHT"
    PER_BILLABLE_HOUR = "PER_BILLABLE_HOUR"
    PER_FLOWN_HOUR = "PER_FLOWN_HOUR"


class SurchargeKind(_StrEnum):
    WEEKEND = "WEEKEND"
    PEAK_SEASON = "PEAK_SEASON"
    HOLIDAY = "HOLIDAY"
    LAST_MINUTE = "LAST_MINUTE"


class AircraftCategory(_StrEnum):
    TURBOPROP = "TURBOPROP"
    VERY_LIGHT = "VERY_LIGHT"
    LIGHT = "LIGHT"
    MIDSIZE = "MIDSIZE"
    SUPER_MIDSIZE = "SUPER_MIDSIZE"
    HEAVY = "HEAVY"
    ULTRA_LONG_RANGE = "ULTRA_LONG_RANGE"
    VIP_AIRLINER = "VIP_AIRLINER"


class LegKind(_StrEnum):
    """A flown charter leg: with the customer, empty (the return of a one-way), or a
    repositioning leg the engine added."""

    OCCUPIED = "OCCUPIED"
    EMPTY = "EMPTY"
    REPOSITIONING = "REPOSITIONING"


class EntitlementPeriod(_StrEnum):
    MONTHLY = "MONTHLY"
    YEARLY = "YEARLY"


class Weekday(_StrEnum):
    MON = "MON"
    TUE = "TUE"
    WED = "WED"
    THU = "THU"
    FRI = "FRI"
    SAT = "SAT"
    SUN = "SUN"


# --- the quote --------------------------------------------------------------------------


class Allocation(Result):
    """A share of an adjustment or a tax on one line (shares sum to its amount)."""

    __slots__ = ()
    line_id: str
    amount: Decimal


class TaxAmount(Result):
    __slots__ = ()
    code: str
    kind: TaxKind
    amount: Decimal


class PassengerAmount(Result):
    """One passenger's share of a fare line."""

    __slots__ = ()
    passenger_id: Optional[str]
    net: Decimal
    taxes: Tuple[TaxAmount, ...]
    total: Decimal


class ComponentAmount(Result):
    """A fare component's share of a fare line."""

    __slots__ = ()
    fare_basis: str
    segments: Tuple[int, ...]
    amount: Decimal


class ItemLine(Result):
    """A priced item, or one passenger type of a fare (``type == "ITEM"``)."""

    __slots__ = ()
    type: str
    id: str
    item_id: str
    category: Category
    passenger_type: Optional[PassengerType]
    description: str
    quantity: int
    unit_price: Decimal
    gross: Decimal
    discount: Decimal
    voucher_discount: Decimal
    net: Decimal
    tax: Decimal
    surcharge: Decimal
    tax_included: Decimal
    total: Decimal
    passengers: Tuple[PassengerAmount, ...]
    fare_components: Tuple[ComponentAmount, ...]
    passenger_ids: Tuple[str, ...]
    charter_fee: Optional[FeeKind]
    percent_tax_exempt: Optional[bool]


class DiscountLine(Result):
    """An offer's (``type == "OFFER"``) or a voucher's (``"VOUCHER"``) discount."""

    __slots__ = ()
    type: str
    rule_id: str
    code: Optional[str]
    name: str
    discount_type: DiscountType
    value: Decimal
    base: Decimal
    requested: Decimal
    amount: Decimal
    reason: Optional[AdjustmentReason]
    tax_mode: TaxMode
    allocations: Tuple[Allocation, ...]


class TaxLine(Result):
    """A tax (``type == "TAX"``) or a carrier surcharge (``"SURCHARGE"``)."""

    __slots__ = ()
    type: str
    rule_id: str
    code: str
    name: str
    basis: TaxBasis
    rate: Optional[Decimal]
    unit_amount: Optional[Decimal]
    base: Optional[Decimal]
    amount: Decimal
    inclusive: bool
    refundable_on_non_refundable_fare: bool
    allocations: Tuple[Allocation, ...]


class BenefitLine(Result):
    """A benefit without a price change (``type == "BENEFIT"``)."""

    __slots__ = ()
    type: str
    source: RuleKind
    rule_id: str
    code: Optional[str]
    benefit: BenefitKind
    description: str
    points: Optional[int]
    points_multiplier: Optional[Decimal]
    amount: Optional[Decimal]


#: A line of a quote.
Line = Union[ItemLine, DiscountLine, TaxLine, BenefitLine]


class Money(Result):
    __slots__ = ()
    amount: Decimal
    currency: str


class Rewards(Result):
    """Loyalty points and cashback the quote earns."""

    __slots__ = ()
    tier: Tier
    membership_status: MembershipStatus
    points_basis_amount: Decimal
    points_unit: Decimal
    base_points: int
    points_multiplier: Decimal
    points: int
    bonus_points: int
    total_points: int
    cashback_percent: Decimal
    cashback_requested: Decimal
    cashback_cap: Optional[Money]
    cashback_amount: Decimal
    cashback_reason: Optional[CashbackReason]
    cashback_status: CashbackStatus
    cashback_hold_days: int


class Redemption(Result):
    """A use of a limited offer or voucher, for the host to record."""

    __slots__ = ()
    kind: RuleKind
    rule_id: str
    code: Optional[str]
    customer_id: Optional[str]
    amount: Decimal


class RejectionReason(Result):
    """Why an offer or voucher did not apply: ``code`` and the values of that code."""

    __slots__ = ()
    code: str
    valid_from: Optional[datetime.datetime]
    valid_until: Optional[datetime.datetime]
    expected: Optional[str]
    actual: Union[Decimal, int, str, None]
    required: Union[Decimal, int, Tuple[PassengerType, ...], None]
    limit: Optional[int]
    used: Optional[int]
    tier: Optional[Tier]
    allowed: Optional[Tuple[str, ...]]
    days_before_travel: Optional[int]
    min_days: Optional[int]
    max_days: Optional[int]
    remaining: Optional[Decimal]
    requested: Optional[Decimal]
    offer_id: Optional[str]
    chosen: Optional[str]


class Rejection(Result):
    __slots__ = ()
    kind: RuleKind
    rule_id: Optional[str]
    code: Optional[str]
    reason: RejectionReason


class DisplayTotals(Result):
    """The totals in the customer's display currency (informative)."""

    __slots__ = ()
    currency: str
    rate: Decimal
    rate_source: str
    base_amount: Decimal
    discount_amount: Decimal
    voucher_discount: Decimal
    fee_amount: Decimal
    tax_amount: Decimal
    final_amount: Decimal


class Settlement(Result):
    """The amount a payment provider settles (its exponent may differ from ISO 4217)."""

    __slots__ = ()
    currency: str
    iso_exponent: int
    exponent: int
    amount: Decimal
    settlement_amount: Decimal
    difference: Decimal


# --- charters ---------------------------------------------------------------------------


class BlockTime(Result):
    __slots__ = ()
    distance_km: Decimal
    flight_hours: Decimal
    block_hours_exact: Decimal
    billed_hours: Decimal


class FlownLeg(Result):
    """A leg as flown: customer legs and the repositioning legs the engine adds."""

    __slots__ = ()
    kind: LegKind
    leg: Optional[int]
    to: str
    from_country: str
    to_country: str
    departure: datetime.datetime
    arrival: datetime.datetime
    local_date: datetime.date
    passengers: int
    distance_km: Decimal
    block_time: Optional[BlockTime]
    billed_hours: Decimal
    billable_hours: Decimal

    @property
    def from_(self) -> str:
        """The departure airport (the field ``from``)."""
        value: str = getattr(self, "from")
        return value


class LegCharge(FlownLeg):
    """A charter leg's price: the flown leg's fields and its charges."""

    __slots__ = ()
    rate: Decimal
    flight_charge: Decimal
    surcharge: Decimal
    empty_leg_discount: Decimal
    charge: Decimal


class DailyMinimum(Result):
    __slots__ = ()
    date: datetime.date
    hours: Decimal
    minimum_hours: Decimal
    top_up_hours: Decimal
    charge: Decimal
    surcharge: Decimal


class SurchargeCharge(Result):
    __slots__ = ()
    id: str
    kind: SurchargeKind
    name: str
    percent: Optional[Decimal]
    unit_amount: Optional[Decimal]
    legs: Tuple[int, ...]
    days: Tuple[datetime.date, ...]
    amount: Decimal


class FeeCharge(Result):
    __slots__ = ()
    id: str
    kind: FeeKind
    basis: FeeBasis
    count: Decimal
    unit_amount: Decimal
    amount: Decimal
    taxable: bool


class Charter(Result):
    """A private-jet charter's price breakdown."""

    __slots__ = ()
    item_id: str
    aircraft_id: str
    category: AircraftCategory
    legs: Tuple[LegCharge, ...]
    daily_minimums: Tuple[DailyMinimum, ...]
    flown_hours: Decimal
    billable_hours: Decimal
    demand_multiplier: Decimal
    flight_charge: Decimal
    surcharges: Tuple[SurchargeCharge, ...]
    surcharge_amount: Decimal
    empty_leg_discount: Decimal
    fees: Tuple[FeeCharge, ...]
    operator_fees: Decimal
    crew_nights: int
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    tax: Decimal
    total_with_tax: Decimal
    commission_percent: Decimal
    commission: Decimal
    platform_fee_percent: Decimal
    platform_fee: Decimal
    owner_earnings: Decimal


class Conflict(Result):
    """A flown leg that the aircraft's calendar does not allow (``reason``
    ``"OUTSIDE_AVAILABILITY"``, or ``"BOOKED"`` with the booking)."""

    __slots__ = ()
    flown_leg: int
    leg: Optional[int]
    kind: LegKind
    start: datetime.datetime
    end: datetime.datetime
    reason: str
    booking_id: Optional[str]
    booking_start: Optional[datetime.datetime]
    booking_end: Optional[datetime.datetime]


class AvailabilityReport(Result):
    """:meth:`rihla.Rulebook.charter_availability`'s answer."""

    __slots__ = ()
    available: bool
    legs: Tuple[FlownLeg, ...]
    conflicts: Tuple[Conflict, ...]


class Quote(Result):
    """A priced request: :meth:`rihla.Rulebook.quote`'s answer.

    ``final_amount == base_amount - discount_amount - voucher_discount + fee_amount +
    tax_amount``; the lines sum exactly to every total.
    """

    __slots__ = ()
    rulebook_version: str
    currency: str
    customer_id: Optional[str]
    lines: Tuple[Line, ...]
    base_amount: Decimal
    discount_amount: Decimal
    voucher_discount: Decimal
    fee_amount: Decimal
    tax_amount: Decimal
    final_amount: Decimal
    display: Optional[DisplayTotals]
    settlement: Optional[Settlement]
    rewards: Rewards
    redemptions: Tuple[Redemption, ...]
    rejected: Tuple[Rejection, ...]
    charters: Tuple[Charter, ...]
    fingerprint: Optional[str]


# --- the other rulebook answers ---------------------------------------------------------


class VoucherCheck(Result):
    """:meth:`rihla.Rulebook.check_voucher`'s answer."""

    __slots__ = ()
    code: str
    applies: bool
    rule_id: Optional[str]
    eligible_amount: Optional[Decimal]
    discount: Optional[Decimal]
    reason: Optional[RejectionReason]


class EntitlementReason(Result):
    __slots__ = ()
    code: str


class EntitlementCheck(Result):
    """:meth:`rihla.Rulebook.check_entitlement`'s answer."""

    __slots__ = ()
    code: str
    tier: Tier
    allowed: bool
    unlimited: bool
    quota: Optional[int]
    used: int
    remaining: Optional[int]
    period: Optional[EntitlementPeriod]
    period_start: Optional[datetime.datetime]
    resets_at: Optional[datetime.datetime]
    reason: Optional[EntitlementReason]


class UpgradeQuote(Result):
    """:meth:`rihla.Rulebook.upgrade_price`'s answer (``from`` is read as ``from_``)."""

    __slots__ = ()
    to: Tier
    currency: str
    from_price: Decimal
    to_price: Decimal
    price_difference: Decimal
    total_days: int
    remaining_days: int
    prorated_amount: Decimal
    instalments: Tuple[Decimal, ...]

    @property
    def from_(self) -> Tier:
        """The current tier (the field ``from``)."""
        value: Tier = getattr(self, "from")
        return value


class ReferralReason(Result):
    __slots__ = ()
    code: str
    expected: Optional[str]
    actual: Union[Decimal, str, None]
    required: Optional[Decimal]


class ReferralOutcome(Result):
    """:meth:`rihla.Rulebook.referral_rewards`'s answer."""

    __slots__ = ()
    eligible: bool
    currency: str
    booking_amount: Decimal
    referrer_reward: Decimal
    referee_reward: Decimal
    affiliate_commission_percent: Decimal
    affiliate_commission: Decimal
    reason: Optional[ReferralReason]


# --- the registry the native module reads -----------------------------------------------

_CLASSES = (
    Allocation, TaxAmount, PassengerAmount, ComponentAmount, ItemLine, DiscountLine,
    TaxLine, BenefitLine, Money, Rewards, Redemption, RejectionReason, Rejection,
    DisplayTotals, Settlement, BlockTime, FlownLeg, LegCharge, DailyMinimum,
    SurchargeCharge, FeeCharge, Charter, Conflict, AvailabilityReport, Quote, VoucherCheck,
    EntitlementReason, EntitlementCheck, UpgradeQuote, ReferralReason, ReferralOutcome,
)
_ENUMS = (
    Category, PassengerType, Tier, MembershipStatus, CashbackStatus, CashbackReason,
    RuleKind, DiscountType, TaxMode, AdjustmentReason, TaxBasis, TaxKind, BenefitKind,
    FeeKind, FeeBasis, SurchargeKind, AircraftCategory, LegKind, EntitlementPeriod, Weekday,
)

#: Result classes by the name of the Rust type they are written from.
RECORDS: dict[str, type] = {cls.__name__: cls for cls in _CLASSES}
#: Enums by the name of the Rust enum.
ENUMS: dict[str, type] = {cls.__name__: cls for cls in _ENUMS}

#: The public names (re-exported by :mod:`rihla`).
__all__ = ["Result", "Line", *RECORDS, *ENUMS]


def _restore(state: bytes) -> object:
    """Unpickles a result (see ``Result.__reduce__``)."""
    return _rihla._record_from_pickle(state)
