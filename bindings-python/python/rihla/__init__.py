"""rihla — an embeddable pricing engine for travel platforms.

Amounts are ``decimal.Decimal`` on the way in and on the way out, never ``float``::

    import rihla

    rulebook = rihla.Rulebook.from_json(rulebook_json)   # validate once (e.g. at start-up)
    quote = rulebook.quote(request_dict)                 # then quote many
    quote["final_amount"]                                # Decimal('1150.00')

Every error is a :class:`RihlaError` with a stable ``.code`` (``"INVALID_AMOUNT"``,
``"UNKNOWN_CURRENCY"`` …) and ``.details`` (a dict: ``code``, ``message`` and the values
that decided it, such as ``field``). Invalid input raises :class:`InvalidInputError`,
which is also a ``ValueError``.

The work is done by the native module ``rihla._rihla`` (Rust); this package adds the
Python-facing conveniences and owns the public names.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Union

from . import _rihla
from ._rihla import (
    AIRPORT_TABLE,
    ArithmeticOverflowError,
    CurrencyMismatchError,
    InvalidInputError,
    RihlaError,
    __version__,
    allocate,
)

__all__ = [
    "AIRPORT_TABLE",
    "ArithmeticOverflowError",
    "CurrencyMismatchError",
    "InvalidInputError",
    "RihlaError",
    "Rulebook",
    "__version__",
    "allocate",
]

#: JSON text as a host has it: ``str``, or UTF-8 ``bytes`` (e.g. a Django ``request.body``).
JSONText = Union[str, bytes, bytearray]


class Rulebook:
    """A validated rulebook: parse once, quote many.

    Create one with :meth:`from_json`, :meth:`from_dict`, :meth:`from_file` or
    :meth:`default`. A rulebook is immutable: share one instance between threads and
    requests, and build a new one when the host's rules change.
    """

    __slots__ = ("_core",)

    _core: _rihla.Rulebook

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError(
            "create a Rulebook with Rulebook.from_json(), Rulebook.from_dict(), "
            "Rulebook.from_file() or Rulebook.default()"
        )

    @classmethod
    def _wrap(cls, core: _rihla.Rulebook) -> Rulebook:
        self = object.__new__(cls)
        object.__setattr__(self, "_core", core)
        return self

    @classmethod
    def from_json(cls, text: JSONText) -> Rulebook:
        """Reads and validates a rulebook from JSON text.

        Raises :class:`InvalidInputError` (``INVALID_JSON``, ``INVALID_RULEBOOK``,
        ``INVALID_AMOUNT``, ``LIMIT_EXCEEDED`` …) naming the offending field.
        """
        return cls._wrap(_rihla.Rulebook.from_json(text))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rulebook:
        """Reads and validates a rulebook from Python objects.

        Accepts what ``json.load`` returns (amounts as strings), and also
        ``decimal.Decimal`` amounts, aware ``datetime`` and ``date`` values. A ``float``
        anywhere is refused with ``INVALID_AMOUNT``.
        """
        return cls._wrap(_rihla.Rulebook.from_dict(data))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Rulebook:
        """Reads and validates a rulebook from a UTF-8 JSON file."""
        with open(path, "rb") as f:
            return cls._wrap(_rihla.Rulebook.from_json(f.read()))

    @classmethod
    def default(cls) -> Rulebook:
        """The rulebook rihla ships with (the platform's membership plans and sample taxes)."""
        return cls._wrap(_rihla.Rulebook.default())

    @property
    def version(self) -> str:
        """The rulebook's ``version`` field, as given by the host."""
        return self._core.version

    def quote(self, request: Mapping[str, Any] | JSONText) -> dict[str, Any]:
        """Prices a quote request.

        ``request`` is a ``dict`` (or any ``Mapping``) — amounts as ``decimal.Decimal`` or
        decimal strings, ``now`` as an aware ``datetime`` or an ISO 8601 string — or the
        request's JSON text. Returns the quote as a plain ``dict``: every amount is a
        ``decimal.Decimal``; everything else is ``str``, ``int``, ``bool``, ``None``,
        ``list`` or ``dict``.

        A ``PRIVATE_JET`` item is priced from its ``jet`` itinerary (aircraft, legs, fees;
        see :meth:`charter_availability`): the quote then has the item's line (``JET-1``)
        and one line per fee (``JET-1/FUEL-1`` …, with ``charter_fee``), and a
        ``charters`` list with the per-leg breakdown and the commission split (hours and
        distances as ``Decimal`` too, instants and dates as ISO 8601 ``str``). Charter
        errors carry their own codes (``TOO_MANY_PASSENGERS``, ``BEYOND_RANGE``,
        ``OVERLAPPING_LEGS``, ``INVALID_INTERVAL``, ``UNKNOWN_AIRPORT`` …) and raise
        :class:`InvalidInputError`.
        """
        return self._core.quote(request)

    def check_voucher(self, request: Mapping[str, Any] | JSONText, code: str) -> dict[str, Any]:
        """Would ``code`` apply to the cart of ``request``, for how much, and if not, why.

        The cart is priced up to the automatic offers (no fees, taxes or rewards); the
        request's own ``voucher_codes`` are ignored. Returns ``{"code", "applies",
        "rule_id", "eligible_amount", "discount"}`` when it applies, ``{"code", "applies":
        False, "rule_id", "reason": {"code": ..., ...}}`` when not (amounts as ``Decimal``).
        """
        return self._core.check_voucher(request, code)

    def check_entitlement(self, request: Mapping[str, Any] | JSONText) -> dict[str, Any]:
        """May a member use one more of a plan's benefits now, and when does the count reset.

        ``request``: ``{"tier": "GOLD", "code": "LOUNGE_PASS", "used": 1, "now": datetime,
        "period_anchor": datetime | None}`` (``used``: the host's count in the current
        period). Returns ``{"code", "tier", "allowed", "unlimited", "quota", "used",
        "remaining", "period", "period_start", "resets_at", "reason"?}``; instants are ISO
        8601 strings (UTC), ``quota``/``remaining`` are ``None`` when unlimited. A code the
        tier's plan lacks gives ``allowed: False`` with ``quota: 0`` (not an error).
        """
        return self._core.check_entitlement(request)

    def upgrade_price(self, request: Mapping[str, Any] | JSONText) -> dict[str, Any]:
        """The price of moving to a higher plan for the rest of the current term.

        ``request``: ``{"from": "GOLD", "to": "PLATINUM", "currency"?: "SAR",
        "subscription_start": date, "subscription_end": date (renewal date, excluded),
        "now": datetime, "instalments"?: int}``. Returns ``{"price_difference",
        "total_days", "remaining_days", "prorated_amount", "instalments", ...}`` with
        ``Decimal`` amounts. A downgrade or the same tier raises ``NOT_AN_UPGRADE``; plans
        in two currencies raise :class:`CurrencyMismatchError`.
        """
        return self._core.upgrade_price(request)

    def referral_rewards(self, request: Mapping[str, Any] | JSONText) -> dict[str, Any]:
        """What a referred booking earns, and an affiliate's commission on it.

        ``request``: ``{"booking_amount": {"amount": Decimal, "currency": "SAR"},
        "referrer_id"?: str, "referee_id"?: str}``. Returns ``{"eligible", "currency",
        "booking_amount", "referrer_reward", "referee_reward",
        "affiliate_commission_percent", "affiliate_commission", "reason"?}`` with
        ``Decimal`` amounts; not qualifying is ``eligible: False`` with a ``reason`` such
        as ``{"code": "MIN_BOOKING_NOT_MET", "required": ..., "actual": ...}``.
        """
        return self._core.referral_rewards(request)

    def charter_availability(self, itinerary: Mapping[str, Any] | JSONText) -> dict[str, Any]:
        """The flown schedule of a charter and its conflicts with the aircraft's calendar.

        ``itinerary`` is the ``jet`` of a ``PRIVATE_JET`` item (a ``dict`` or its JSON
        text): ``{"aircraft": {"id", "category", "home_base", "hourly_rate", ...},
        "legs": [{"from", "to", "departure": datetime, "passengers", ...}],
        "positioning"?, "return_ferry"?, "airports"?, "fees"?, "availability"?:
        {"windows": [{"start", "end"}], "bookings": [{"id", "start", "end"}]}}``.
        Departures are aware ``datetime`` values (their UTC offset is kept: a leg's local
        date decides daily minimums and surcharges) or ISO 8601 strings. Airports are
        looked up by IATA/ICAO code in the embedded table (see :data:`AIRPORT_TABLE`)
        unless ``airports`` gives their coordinates. No price is computed.

        Returns ``{"available": bool, "legs": [...], "conflicts": [...]}``:

        - each leg (customer and engine-added repositioning legs, in flying order):
          ``kind`` (``"OCCUPIED"``, ``"EMPTY"`` or ``"REPOSITIONING"``), ``leg`` (``int``,
          index of the customer leg; absent for repositioning), ``from``, ``to``,
          ``from_country``, ``to_country``, ``departure`` and ``arrival`` (ISO 8601
          ``str`` in the leg's local offset, e.g. ``"2026-12-08T10:00:00+03:00"``),
          ``local_date`` (``"2026-12-08"``), ``passengers`` (``int``), ``distance_km``,
          ``billed_hours``, ``billable_hours`` (``Decimal``) and, when computed,
          ``block_time`` (a ``dict`` of ``Decimal``);
        - each conflict: ``flown_leg`` (index in ``legs``), ``leg``, ``kind``, ``start``
          and ``end`` (the span the leg occupies, turnaround included, ISO 8601 UTC
          ``str``) and ``reason``: ``"OUTSIDE_AVAILABILITY"``, or ``"BOOKED"`` with
          ``booking_id``, ``booking_start`` and ``booking_end``.

        Raises :class:`InvalidInputError`: ``TOO_MANY_PASSENGERS``, ``BEYOND_RANGE``,
        ``OVERLAPPING_LEGS``, ``INVALID_INTERVAL``, ``UNKNOWN_AIRPORT``,
        ``INVALID_REQUEST``, ``INVALID_AMOUNT`` … with ``.details`` naming the values
        (e.g. ``{"leg": 0, "passengers": 9, "seats": 8}``).
        """
        return self._core.charter_availability(itinerary)

    def tier_for_points(self, lifetime_points: int) -> str:
        """The tier that ``lifetime_points`` reach (``"GUEST"`` … ``"DIAMOND"``)."""
        return self._core.tier_for_points(lifetime_points)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Rulebook is immutable")

    def __repr__(self) -> str:
        return f"<rihla.Rulebook version={self.version!r}>"
