"""rihla — an embeddable pricing engine for travel platforms.

Amounts are ``decimal.Decimal`` on the way in and on the way out, never ``float``::

    import rihla

    rulebook = rihla.Rulebook.from_json(rulebook_json)   # validate once (e.g. at start-up)
    quote = rulebook.quote(request_dict)                 # then quote many
    quote["final_amount"]                                # Decimal('1150.00')

Every error is a :class:`RihlaError` with a stable ``.code`` (``"INVALID_AMOUNT"``,
``"UNKNOWN_CURRENCY"`` …) and ``.details`` (a dict: ``code``, ``message`` and the values
that decided it, such as ``field``). Invalid input raises :class:`InvalidInputError`,
which is also a ``ValueError``. Every argument is checked — an ``int`` where an integer is
expected (never a ``bool`` or a ``float``) within its bounds (``.details["min"]``,
``.details["max"]``), a ``str`` of at most :data:`MAX_TEXT_CHARS` characters, JSON text
within :data:`MAX_REQUEST_BYTES` / :data:`MAX_RULEBOOK_BYTES` — so that no argument raises
anything but a :class:`RihlaError`. A defect in rihla itself (a Rust panic) raises
:class:`InternalError` (code ``INTERNAL``), never pyo3's ``PanicException``.

The double-entry ledger (wallets, holds, an audited journal) is :class:`Ledger`;
:func:`audit_journal` verifies a stored journal and :func:`plan_transfers` plans a batch
against a host's own database rows. Loyalty points are a :class:`PointsBook`, membership
cashback a :class:`CashbackRecord`, refunds a :class:`Refunds` registry and payment
webhooks a :class:`WebhookInbox` — each drives a :class:`Ledger`.

Many requests at once: :meth:`Rulebook.quote_many` (the GIL released for the whole
batch, failed requests' errors in their places); JSON straight through:
:meth:`Rulebook.quote_json` (``bytes`` in, ``bytes`` out, amounts as strings). A
:class:`Rulebook` pickles (by its canonical JSON, :meth:`Rulebook.to_json`, checked
against its :attr:`Rulebook.fingerprint`), and so does every :class:`RihlaError`.
``json.dumps(quote, default=rihla.json_default)`` writes amounts as strings.

The work is done by the native module ``rihla._rihla`` (Rust); this package adds the
Python-facing conveniences and owns the public names (``__all__``; nothing else is
exported).
"""

from ._facade import (
    CashbackRecord,
    Ledger,
    PointsBook,
    Refunds,
    Rulebook,
    WebhookInbox,
    audit_journal,
    plan_transfers,
)
from ._json import json_default

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from ._results import (
        AdjustmentReason,
        AircraftCategory,
        Allocation,
        AvailabilityReport,
        BenefitKind,
        BenefitLine,
        BlockTime,
        CashbackReason,
        CashbackStatus,
        Category,
        Charter,
        ComponentAmount,
        Conflict,
        DailyMinimum,
        DiscountLine,
        DiscountType,
        DisplayTotals,
        EntitlementCheck,
        EntitlementPeriod,
        EntitlementReason,
        FeeBasis,
        FeeCharge,
        FeeKind,
        FlownLeg,
        ItemLine,
        LegCharge,
        LegKind,
        Line,
        MembershipStatus,
        Money,
        PassengerAmount,
        PassengerType,
        Quote,
        Redemption,
        ReferralOutcome,
        ReferralReason,
        Rejection,
        RejectionReason,
        Result,
        Rewards,
        RuleKind,
        Settlement,
        SurchargeCharge,
        SurchargeKind,
        TaxAmount,
        TaxBasis,
        TaxKind,
        TaxLine,
        TaxMode,
        Tier,
        UpgradeQuote,
        VoucherCheck,
        Weekday,
    )
    from ._types import Instant, JSONText, LedgerId
from ._rihla import (
    AIRPORT_TABLE,
    LEDGER_BATCH_MAX,
    LEDGER_MAX_RESERVED,
    MAX_BATCH_REQUESTS,
    MAX_REQUEST_BYTES,
    MAX_RULEBOOK_BYTES,
    MAX_TEXT_CHARS,
    ArithmeticOverflowError,
    CurrencyMismatchError,
    InternalError,
    InvalidInputError,
    RihlaError,
    __version__,
    allocate,
    reversal_id,
    webhook_transfer_id,
)

__all__ = [
    "AdjustmentReason",
    "AircraftCategory",
    "AIRPORT_TABLE",
    "allocate",
    "Allocation",
    "ArithmeticOverflowError",
    "audit_journal",
    "AvailabilityReport",
    "BenefitKind",
    "BenefitLine",
    "BlockTime",
    "CashbackReason",
    "CashbackRecord",
    "CashbackStatus",
    "Category",
    "Charter",
    "ComponentAmount",
    "Conflict",
    "CurrencyMismatchError",
    "DailyMinimum",
    "DiscountLine",
    "DiscountType",
    "DisplayTotals",
    "EntitlementCheck",
    "EntitlementPeriod",
    "EntitlementReason",
    "FeeBasis",
    "FeeCharge",
    "FeeKind",
    "FlownLeg",
    "Instant",
    "InternalError",
    "InvalidInputError",
    "ItemLine",
    "json_default",
    "JSONText",
    "Ledger",
    "LEDGER_BATCH_MAX",
    "LEDGER_MAX_RESERVED",
    "LedgerId",
    "LegCharge",
    "LegKind",
    "Line",
    "MAX_BATCH_REQUESTS",
    "MAX_REQUEST_BYTES",
    "MAX_RULEBOOK_BYTES",
    "MAX_TEXT_CHARS",
    "MembershipStatus",
    "Money",
    "PassengerAmount",
    "PassengerType",
    "plan_transfers",
    "PointsBook",
    "Quote",
    "Redemption",
    "ReferralOutcome",
    "ReferralReason",
    "Refunds",
    "Rejection",
    "RejectionReason",
    "Result",
    "reversal_id",
    "Rewards",
    "RihlaError",
    "Rulebook",
    "RuleKind",
    "Settlement",
    "SurchargeCharge",
    "SurchargeKind",
    "TaxAmount",
    "TaxBasis",
    "TaxKind",
    "TaxLine",
    "TaxMode",
    "Tier",
    "UpgradeQuote",
    "VoucherCheck",
    "webhook_transfer_id",
    "WebhookInbox",
    "Weekday",
    "__version__",
]

_TYPES = ("Instant", "JSONText", "LedgerId")
_RESULTS = frozenset(__all__) - frozenset(globals()) - frozenset(_TYPES)


def __getattr__(name: str) -> object:
    """The type aliases and the result classes, imported on first use (PEP 562):
    ``typing``, ``enum`` and ``uuid`` cost most of an import's time, and a host that only
    prices needs none of them before its first result."""
    if name in _TYPES:
        from . import _types

        return getattr(_types, name)
    if name in _RESULTS:
        from . import _results

        return getattr(_results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


# The public classes say they are rihla's (reprs, help(), pickle's lookups).
for _cls in (CashbackRecord, Ledger, PointsBook, Refunds, Rulebook, WebhookInbox):
    _cls.__module__ = __name__
del _cls
