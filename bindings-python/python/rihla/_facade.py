"""The Python facade of rihla's native module: the public classes and functions that
:mod:`rihla` re-exports (see the package's docstring). Private: import from ``rihla``."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    # Types only: typing, decimal, datetime and uuid are not imported at run time (they
    # were most of `import rihla`'s time); annotations are strings (PEP 563).
    from decimal import Decimal
    from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple

    from ._results import (
        AvailabilityReport,
        EntitlementCheck,
        Quote,
        ReferralOutcome,
        UpgradeQuote,
        VoucherCheck,
    )
    from ._types import Instant, JSONText, LedgerId

from . import _rihla
from ._rihla import (
    AIRPORT_TABLE,
    ArithmeticOverflowError,
    CurrencyMismatchError,
    LEDGER_BATCH_MAX,
    LEDGER_MAX_RESERVED,
    MAX_BATCH_REQUESTS,
    MAX_REQUEST_BYTES,
    MAX_RULEBOOK_BYTES,
    MAX_TEXT_CHARS,
    InternalError,
    InvalidInputError,
    RihlaError,
    __version__,
    allocate,
    reversal_id,
    webhook_transfer_id,
)


def _invalid(code: str, field: str, reason: str) -> InvalidInputError:
    """An :class:`InvalidInputError` raised by the package itself, shaped as the native
    ones (``.details``: ``code``, ``message``, ``field``, ``reason``)."""
    what = code.lower().replace("_", " ")
    message = f"{what} at {field}: {reason}"
    err = InvalidInputError(f"{code}: {message}")
    err.code = code
    err.details = {"code": code, "message": message, "field": field, "reason": reason}
    return err


def _invalid_request(field: str, reason: str) -> InvalidInputError:
    """An ``INVALID_REQUEST`` raised by the package itself, shaped as the native ones."""
    return _invalid("INVALID_REQUEST", field, reason)


def _core_of(ledger: Ledger) -> Any:
    """The native ledger of a :class:`Ledger`; anything else is passed on as it is, for the
    native module to refuse with ``INVALID_REQUEST`` (field ``ledger``)."""
    return ledger._core if isinstance(ledger, Ledger) else ledger


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
        """Reads and validates a rulebook from a UTF-8 JSON file.

        ``path`` is a ``str`` or an ``os.PathLike`` (anything else: ``INVALID_REQUEST``;
        an ``int`` is never taken for a file descriptor). At most
        :data:`MAX_RULEBOOK_BYTES` bytes are read: a larger file is refused with
        ``LIMIT_EXCEEDED`` (``actual`` counts the bytes read, one past the limit). The
        file's own I/O errors raise ``OSError``.
        """
        if not isinstance(path, (str, os.PathLike)):
            raise _invalid_request("path", f"path must be a str or an os.PathLike, not "
                                           f"{type(path).__name__}")
        with open(path, "rb") as f:
            data = f.read(MAX_RULEBOOK_BYTES + 1)
        return cls._wrap(_rihla.Rulebook.from_json(data))

    @classmethod
    def default(cls) -> Rulebook:
        """The rulebook rihla ships with (the platform's membership plans and sample taxes)."""
        return cls._wrap(_rihla.Rulebook.default())

    @property
    def version(self) -> str:
        """The rulebook's ``version`` field, as given by the host."""
        return self._core.version

    @property
    def fingerprint(self) -> str:
        """The rulebook's content fingerprint: lowercase hex SHA-256 of :meth:`to_json`.

        The same rules give the same fingerprint whatever their whitespace or key order;
        a changed rule changes it, even under the same ``version``. Use it to cache
        per-rulebook data, or to check that two workers price with the same rules.
        """
        return self._core.fingerprint

    def to_json(self) -> str:
        """The rulebook as canonical JSON text (what :meth:`from_json` reads back into an
        equal rulebook; :attr:`fingerprint` is its SHA-256)."""
        return self._core.to_json()

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        """Pickles as the canonical JSON and its fingerprint (checked on load), so a
        rulebook crosses to a ``ProcessPoolExecutor``, Celery or Dask worker."""
        return (_rulebook_from_pickle, (self.to_json(), self.fingerprint))

    def __eq__(self, other: object) -> bool:
        """Two rulebooks are equal when their rules are (equal fingerprints)."""
        if not isinstance(other, Rulebook):
            return NotImplemented
        return self.fingerprint == other.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def quote(self, request: Mapping[str, Any] | JSONText) -> Quote:
        """Prices a quote request.

        ``request`` is a ``dict`` (or any ``Mapping``) — amounts as ``decimal.Decimal`` or
        decimal strings, ``now`` as an aware ``datetime`` or an ISO 8601 string — or the
        request's JSON text. Returns a :class:`rihla.Quote`: its fields are typed
        (amounts ``decimal.Decimal``, codes ``str``-valued enums, lists ``tuple``s of
        result objects, instants aware ``datetime``), built only when read;
        ``quote.to_dict()`` gives plain Python data and ``quote.to_json()`` JSON bytes.

        A ``PRIVATE_JET`` item is priced from its ``jet`` itinerary (aircraft, legs, fees;
        see :meth:`charter_availability`): the quote then has the item's line (``JET-1``)
        and one line per fee (``JET-1/FUEL-1`` …, with ``charter_fee``), and a
        ``charters`` tuple of :class:`rihla.Charter` with the per-leg breakdown and the commission split (hours and
        distances as ``Decimal`` too, instants ``datetime`` and dates ``date``). Charter
        errors carry their own codes (``TOO_MANY_PASSENGERS``, ``BEYOND_RANGE``,
        ``OVERLAPPING_LEGS``, ``INVALID_INTERVAL``, ``UNKNOWN_AIRPORT`` …) and raise
        :class:`InvalidInputError`.
        """
        return self._core.quote(request)

    def quote_json(self, request: JSONText) -> bytes:
        """Prices a request given as JSON text and returns the quote as JSON.

        ``request`` is ``bytes`` (e.g. a FastAPI ``await request.body()`` or a Django
        ``request.body``), ``bytearray`` or ``str``, at most :data:`MAX_REQUEST_BYTES`.
        Returns UTF-8 ``bytes`` with every amount a JSON string (``"1150.00"``): answer
        HTTP with them as they are. No Python object is built in between and the GIL is
        released while parsing, pricing and writing. A ``dict`` is refused with
        ``INVALID_REQUEST`` (use :meth:`quote`). Errors as :meth:`quote`.
        """
        return self._core.quote_json(request)

    def quote_many(
        self, requests: Sequence[Mapping[str, Any] | JSONText]
    ) -> list[Quote | RihlaError]:
        """Prices many requests in one call (a search-results page, a repricing job).

        ``requests``: a ``list`` (or other sized sequence) of at most
        :data:`MAX_BATCH_REQUESTS` requests, each as :meth:`quote` takes it. The GIL is
        released while the whole batch is priced. Returns one result per request, in
        order: the quote, or — for a request that failed — its :class:`RihlaError`
        instance in its place (returned, not raised). A ``requests`` that is not a list
        raises ``INVALID_REQUEST``; more than :data:`MAX_BATCH_REQUESTS` raises
        ``LIMIT_EXCEEDED`` before any request is read.
        """
        return self._core.quote_many(requests)

    def quote_many_json(self, requests: Sequence[JSONText]) -> list[bytes | RihlaError]:
        """:meth:`quote_many` from JSON to JSON: each request JSON text, each result the
        quote's JSON ``bytes`` (as :meth:`quote_json`) or the request's
        :class:`RihlaError`. Parsing, pricing and writing all run with the GIL released,
        on as many threads as the machine has cores (at most 8, each taking at least 32
        requests).
        """
        return self._core.quote_many_json(requests)

    def check_voucher(self, request: Mapping[str, Any] | JSONText, code: str) -> VoucherCheck:
        """Would ``code`` apply to the cart of ``request``, for how much, and if not, why.

        The cart is priced up to the automatic offers (no fees, taxes or rewards); the
        request's own ``voucher_codes`` are ignored. Returns a :class:`rihla.VoucherCheck`:
        ``code``, ``applies``, ``rule_id``, ``eligible_amount`` and ``discount`` when it
        applies; ``applies`` ``False`` with ``reason`` (a :class:`rihla.RejectionReason`:
        ``reason.code`` and its values) when not. Amounts are ``Decimal``.
        """
        return self._core.check_voucher(request, code)

    def check_entitlement(self, request: Mapping[str, Any] | JSONText) -> EntitlementCheck:
        """May a member use one more of a plan's benefits now, and when does the count reset.

        ``request``: ``{"tier": "GOLD", "code": "LOUNGE_PASS", "used": 1, "now": datetime,
        "period_anchor": datetime | None}`` (``used``: the host's count in the current
        period). Returns a :class:`rihla.EntitlementCheck`: ``code``, ``tier``, ``allowed``,
        ``unlimited``, ``quota``, ``used``, ``remaining``, ``period``, ``period_start``,
        ``resets_at`` (aware ``datetime`` in UTC) and, when refused, ``reason``;
        ``quota``/``remaining`` are ``None`` when unlimited. A code the tier's plan lacks
        gives ``allowed`` ``False`` with ``quota`` 0 (not an error).
        """
        return self._core.check_entitlement(request)

    def upgrade_price(self, request: Mapping[str, Any] | JSONText) -> UpgradeQuote:
        """The price of moving to a higher plan for the rest of the current term.

        ``request``: ``{"from": "GOLD", "to": "PLATINUM", "currency"?: "SAR",
        "subscription_start": date, "subscription_end": date (renewal date, excluded),
        "now": datetime, "instalments"?: int}``. Returns a :class:`rihla.UpgradeQuote`
        (``price_difference``, ``total_days``, ``remaining_days``, ``prorated_amount``,
        ``instalments`` …, amounts ``Decimal``; the current tier is ``from_``). A downgrade or the same tier raises ``NOT_AN_UPGRADE``; plans
        in two currencies raise :class:`CurrencyMismatchError`.
        """
        return self._core.upgrade_price(request)

    def referral_rewards(self, request: Mapping[str, Any] | JSONText) -> ReferralOutcome:
        """What a referred booking earns, and an affiliate's commission on it.

        ``request``: ``{"booking_amount": {"amount": Decimal, "currency": "SAR"},
        "referrer_id"?: str, "referee_id"?: str}``. Returns a :class:`rihla.ReferralOutcome`
        (``eligible``, ``currency``, ``booking_amount``, ``referrer_reward``,
        ``referee_reward``, ``affiliate_commission_percent``, ``affiliate_commission``,
        amounts ``Decimal``); not qualifying is ``eligible`` ``False`` with a ``reason``
        such as ``code == "MIN_BOOKING_NOT_MET"``, ``required``, ``actual``.
        """
        return self._core.referral_rewards(request)

    def charter_availability(
        self, itinerary: Mapping[str, Any] | JSONText
    ) -> AvailabilityReport:
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

        Returns a :class:`rihla.AvailabilityReport` (``available``, ``legs``,
        ``conflicts``):

        - each leg (customer and engine-added repositioning legs, in flying order):
          ``kind`` (``"OCCUPIED"``, ``"EMPTY"`` or ``"REPOSITIONING"``), ``leg`` (``int``,
          index of the customer leg; absent for repositioning), ``from``, ``to``,
          ``from_country``, ``to_country``, ``departure`` and ``arrival`` (aware
          ``datetime`` in the leg's local offset, e.g. ``2026-12-08 10:00+03:00``),
          ``local_date`` (``date``), ``passengers`` (``int``), ``distance_km``,
          ``billed_hours``, ``billable_hours`` (``Decimal``) and, when computed,
          ``block_time`` (a :class:`rihla.BlockTime`);
        - each conflict: ``flown_leg`` (index in ``legs``), ``leg``, ``kind``, ``start``
          and ``end`` (the span the leg occupies, turnaround included, aware
          ``datetime`` in UTC) and ``reason``: ``"OUTSIDE_AVAILABILITY"``, or ``"BOOKED"`` with
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


def _rulebook_from_pickle(text: str, fingerprint: str) -> Rulebook:
    """Unpickles a :class:`Rulebook`: its canonical JSON, validated again, must give the
    fingerprint it was pickled with; otherwise ``INVALID_RULEBOOK`` (field
    ``fingerprint``)."""
    rulebook = Rulebook.from_json(text)
    if rulebook.fingerprint != fingerprint:
        raise _invalid(
            "INVALID_RULEBOOK", "fingerprint",
            f"the pickled rulebook's fingerprint is {fingerprint!r}, its JSON gives "
            f"{rulebook.fingerprint!r}")
    return rulebook


def _ledger_from_snapshot(data: bytes) -> Ledger:
    """Unpickles a :class:`Ledger` (see ``Ledger.__reduce__``)."""
    return Ledger.from_snapshot(data)


def _points_book_from_dict(data: Mapping[str, Any]) -> PointsBook:
    """Unpickles a :class:`PointsBook` (its ``to_dict()``)."""
    return PointsBook.from_dict(data)


def _cashback_record_from_dict(data: Mapping[str, Any]) -> CashbackRecord:
    """Unpickles a :class:`CashbackRecord` (its ``to_dict()``)."""
    return CashbackRecord.from_dict(data)


def _webhook_inbox_from_snapshot(data: bytes) -> WebhookInbox:
    """Unpickles a :class:`WebhookInbox` (see ``WebhookInbox.__reduce__``)."""
    return WebhookInbox.from_snapshot(data)


def _refunds_from_receipts(receipts: Sequence[Mapping[str, Any]]) -> Refunds:
    """Unpickles a :class:`Refunds` registry (its ``receipts()``)."""
    return Refunds.from_receipts(receipts)


class Ledger:
    """An in-memory double-entry ledger with TigerBeetle's transfer semantics.

    Accounts count one unit (``"SAR"``, ``"POINTS"``, ``"POINTS:2"``) and keep posted and
    pending debits and credits; transfers move an amount from one account to another —
    single-phase, pending (a hold), post or void — in batches of up to
    :data:`LEDGER_BATCH_MAX`, with ``linked`` chains applied all or nothing. The transfer
    id is the idempotency key. Every transfer created is a journal entry chained by
    SHA-256 (:meth:`journal_jsonl`, :func:`audit_journal`).

    Amounts are ``decimal.Decimal`` (or decimal strings) at the unit's scale on the way in,
    ``Decimal`` on the way out; a ``float`` is refused. Ids are ``str`` (digits or a
    UUID), non-negative ``int`` or ``uuid.UUID`` on the way in, ``str`` of digits on the
    way out.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> import rihla
    >>> ledger = rihla.Ledger()
    >>> ledger.create_accounts([
    ...     {"id": 1, "unit": "SAR", "normal": "DEBIT", "code": "BANK"},
    ...     {"id": 1001, "unit": "SAR", "must_not_go_negative": True, "code": "WALLET"},
    ...     {"id": 2001, "unit": "SAR", "code": "MERCHANT"},
    ... ])
    ['CREATED', 'CREATED', 'CREATED']
    >>> at = dt.datetime(2026, 11, 22, 9, tzinfo=dt.timezone.utc)
    >>> ledger.apply([
    ...     {"id": 9001, "debit_account_id": 1, "credit_account_id": 1001,
    ...      "amount": Decimal("5000.00"), "unit": "SAR", "code": "DEPOSIT", "at": at},
    ...     {"id": 9002, "debit_account_id": 1001, "credit_account_id": 2001,
    ...      "amount": Decimal("1250.50"), "unit": "SAR", "code": "PAYMENT", "at": at,
    ...      "reference": "BK-1"},
    ... ])
    [{'id': '9001', 'status': 'CREATED', 'seq': 1}, {'id': '9002', 'status': 'CREATED', 'seq': 2}]
    >>> ledger.account(1001)["balance"]
    Decimal('3749.50')
    >>> len(ledger)
    2

    A ``Ledger`` may be shared between threads: calls are serialized, and the GIL is
    released while one runs.
    """

    __slots__ = ("_core",)

    _core: _rihla.Ledger

    def __init__(self) -> None:
        self._core = _rihla.Ledger()

    def snapshot(self) -> bytes:
        """The ledger's whole state as JSON bytes: the accounts (with ``closed``), the
        transfers as given in journal order, the sticky failures and the journal's last
        hash. :meth:`from_snapshot` rebuilds the same ledger; ``pickle`` uses it."""
        return self._core.snapshot()

    @classmethod
    def from_snapshot(cls, data: JSONText) -> Ledger:
        """The ledger a :meth:`snapshot` describes: the accounts created, the transfers
        replayed (each must be created again) and the rebuilt journal required to end on
        the snapshot's hash — so an edited snapshot is refused (``HASH_MISMATCH``,
        ``REPLAY_FAILED``), never restored to another state. At most 1 GiB of JSON."""
        self = object.__new__(cls)
        self._core = _rihla.Ledger.from_snapshot(data)
        return self

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        """Pickles as :meth:`snapshot` (checked by the journal hash on load)."""
        return (_ledger_from_snapshot, (self.snapshot(),))

    def create_accounts(self, accounts: Sequence[Mapping[str, Any]]) -> list[str | dict[str, Any]]:
        """Creates accounts; one answer per account, in order.

        Each account: ``{"id", "unit", "normal"?: "CREDIT" | "DEBIT",
        "must_not_go_negative"?: bool, "overdraft_limit"?: Decimal, "closed"?: bool,
        "code"?: str, "owner"?: str}``. The answer is ``"CREATED"`` (also for an account
        that exists with the same body: a retry) or the error ``{"code", "message", ...}``
        (``ID_MUST_NOT_BE_RESERVED``, ``TOO_LONG``, ``OVERDRAFT_WITHOUT_LIMIT``,
        ``EXISTS_WITH_DIFFERENT_FIELD`` with ``field`` …). A malformed account raises
        :class:`InvalidInputError` naming it (``[1].unit``) and creates nothing; more than
        1,048,576 accounts in one call raise ``LIMIT_EXCEEDED`` before any is read.

        >>> rihla.Ledger().create_accounts([{"id": "0", "unit": "SAR"}])
        [{'code': 'ID_MUST_NOT_BE_RESERVED', 'message': 'account id must not be 0 or 2^128 - 1'}]
        """
        return self._core.create_accounts(accounts)

    def apply(self, transfers: Sequence[Mapping[str, Any]] | JSONText) -> list[dict[str, Any]]:
        """Applies a batch of transfers in order; one report per transfer.

        Each transfer: ``{"id", "debit_account_id", "credit_account_id", "amount": Decimal,
        "unit", "code": "DEPOSIT" | "PAYMENT" | "REFUND" | …, "at": aware datetime,
        "reference"?: str, "pending_id"?, "flags"?: {"linked", "pending", "post_pending",
        "void_pending", "balancing_debit", "balancing_credit"}}``; a post or void gives
        ``pending_id`` and may leave out the accounts, unit and code (and the amount: all
        of it). The batch may also be its JSON text (``bytes`` or ``str``: an array of
        such transfers with ids and amounts as strings and ``at`` in RFC 3339), read in
        Rust without building a Python object — the fast path for a queue consumer; a
        malformed one raises ``INVALID_JSON``, other errors as for a list of dicts.

        A report is ``{"id", "status": "CREATED", "seq"}``, ``{"id", "status": "EXISTS",
        "seq"}`` (the same id and body again: nothing changed) or ``{"id", "status":
        "FAILED", "error": {"code", "message", ...}}`` — e.g. ``EXCEEDS_CREDITS`` with
        ``account_id``, ``available`` and ``amount`` (minor units as digit strings),
        ``LINKED_EVENT_FAILED``, ``EXISTS_WITH_DIFFERENT_AMOUNT``. A failed transfer
        changes nothing.

        Raises :class:`InvalidInputError`: ``BATCH_TOO_LARGE`` past
        :data:`LEDGER_BATCH_MAX` transfers, ``INVALID_AMOUNT`` (a float, a negative amount,
        digits below the unit's scale) or ``INVALID_REQUEST`` naming the field
        (``[2].at``); then nothing is applied.
        """
        return self._core.apply(transfers)

    def account(self, account_id: LedgerId) -> Optional[dict[str, Any]]:
        """An account with its balances, or ``None``.

        ``{"id", "unit", "normal", ..., "balances": {"debits_pending", "debits_posted",
        "credits_pending", "credits_posted"} (minor units as digit strings), "version":
        int, "balance": Decimal (posted, on the normal side), "available": Decimal (less
        pending outflows)}``.
        """
        return self._core.account(account_id)

    def accounts(self) -> list[dict[str, Any]]:
        """Every account (as :meth:`account` gives it), sorted by id."""
        return self._core.accounts()

    def transfer(self, transfer_id: LedgerId) -> Optional[dict[str, Any]]:
        """A transfer as created, or ``None``: its fields (a post or void with its
        accounts, unit and code resolved, ``amount`` what moved or was released) and
        ``state``: ``"PENDING"``, ``"POSTED"``, ``"VOIDED"`` or ``"NONE"`` (not a pending
        transfer)."""
        return self._core.transfer(transfer_id)

    def entries(self, start_seq: int = 1, limit: int = 1000) -> list[dict[str, Any]]:
        """Journal entries from ``start_seq`` (numbered from 1), at most ``limit``.

        An entry: ``{"seq", "transfer": {...}, "debit": side, "credit": side,
        "prev_hash", "hash"}``; a side: ``{"account_id", "normal", "balance_before",
        "balance_after", "available_after"`` (minor units as digit strings), ``"version"}``.
        """
        return self._core.entries(start_seq, limit)

    def entries_of(
        self, account_id: LedgerId, start_seq: int = 1, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """The entries that touch ``account_id``, from ``start_seq``, at most ``limit``."""
        return self._core.entries_of(account_id, start_seq, limit)

    def journal_jsonl(self) -> str:
        """The journal as text to store: one JSON object per entry, one per line.

        :func:`audit_journal` verifies it.
        """
        return self._core.journal_jsonl()

    def reserve(self, transfers: int) -> None:
        """Sets aside (and touches) the memory for ``transfers`` more transfers, as a
        service does at start-up: applying them then waits on no allocation. Best effort;
        about 0.53 KB a transfer.

        ``transfers`` is an ``int`` from 0 to :data:`LEDGER_MAX_RESERVED`: past it,
        ``LIMIT_EXCEEDED`` (``.details``: ``field`` ``"transfers"``, ``limit``,
        ``actual``) and nothing is reserved (never clamped); a negative count, a ``bool``
        or a ``float`` raises ``INVALID_REQUEST`` with ``min`` and ``max``.
        """
        self._core.reserve(transfers)

    def last_hash(self) -> str:
        """The last entry's SHA-256 (64 lowercase hex digits; zeros when empty)."""
        return self._core.last_hash()

    def close_account(self, account_id: LedgerId) -> bool:
        """Closes an account: it takes no new transfer (its pending transfers may still be
        posted or voided). Returns whether the account exists."""
        return self._core.close_account(account_id)

    def statement(self, account_id: LedgerId, from_seq: int = 0, limit: int = 100) -> dict[str, Any]:
        """A page of an account's statement: the wallet-transaction view of the journal.

        Returns ``{"account_id", "unit", "lines": [...], "next_from_seq": int | None}``;
        a line is ``{"seq", "transfer_id", "transaction_type": "CREDIT" | "DEBIT", "code",
        "amount", "balance_before", "balance_after", "available_after"`` (``Decimal``),
        ``"pending": bool, "reference", "at", "counterparty_account_id"}``. Lines have
        ``seq >= from_seq``; pass ``next_from_seq`` for the next page (``None``: no more).

        Raises :class:`InvalidInputError`: ``ACCOUNT_NOT_FOUND``, ``LIMIT_OUT_OF_RANGE``
        (``limit`` is 1 to 1,000).
        """
        return self._core.statement(account_id, from_seq, limit)

    def reverse(
        self, transfer_ids: Iterable[LedgerId], at: Instant, reason: str = ""
    ) -> dict[str, Any]:
        """Reverses the transfers of a booking at once: one atomic chain of ``REVERSAL``
        transfers (accounts swapped, the amount that moved), newest first, each original
        at most once.

        Returns ``{"legs": [{"transfer_id", "reversal_id", "debit_account_id",
        "credit_account_id", "amount" (minor units, digits), "seq"}]}``. Raises
        :class:`InvalidInputError` with the reversal's code: ``ALREADY_REVERSED`` (also
        for a retry), ``NOT_REVERSIBLE``, ``TRANSFER_NOT_FOUND``, ``LEDGER_REFUSED`` (with
        the ledger's ``error``, e.g. ``EXCEEDS_CREDITS`` when the wallet spent the money)
        …; nothing changes then.
        """
        return self._core.reverse(transfer_ids, at, reason)

    def reversal_of(self, transfer_id: LedgerId) -> Optional[str]:
        """The id of the ``REVERSAL`` transfer of ``transfer_id``, if it was reversed."""
        return self._core.reversal_of(transfer_id)

    def plan_input(self, transfers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """What a host's queries would read for ``transfers`` from this ledger: the
        snapshot :func:`plan_transfers` takes (accounts, stored transfers and failures,
        journal head, the batch)."""
        return self._core.plan_input(transfers)

    def __len__(self) -> int:
        """The number of journal entries."""
        return len(self._core)

    def __repr__(self) -> str:
        return repr(self._core).replace("rihla._rihla.", "rihla.", 1)


def audit_journal(accounts: Sequence[Mapping[str, Any]], journal: JSONText) -> dict[str, Any]:
    """Verifies a stored journal (:meth:`Ledger.journal_jsonl`'s text).

    ``accounts`` are the ledger's accounts as they were created (the dicts given to
    :meth:`Ledger.create_accounts`, before any transfer). Checks the sequence, the SHA-256
    chain, each account's balance chain, and that replaying every transfer gives the same
    entries. Returns ``{"ok": bool, "entries": int (verified), "last_hash": str,
    "first_broken"?: {"line" (1-based), "seq", "reason", "detail"}}``; ``reason`` is
    ``MALFORMED``, ``SEQ_GAP``, ``PREV_HASH_MISMATCH``, ``HASH_MISMATCH``,
    ``BALANCE_CHAIN_BROKEN``, ``REPLAY_FAILED`` or ``REPLAY_DIFFERS``. A journal text past
    1 GiB raises ``LIMIT_EXCEEDED`` (``field`` ``"journal bytes"``) before it is read.

    >>> rihla.audit_journal([], "")
    {'ok': True, 'entries': 0, 'last_hash': '0000000000000000000000000000000000000000000000000000000000000000'}
    """
    return _rihla.audit_journal(accounts, journal)


def plan_transfers(input: Mapping[str, Any]) -> dict[str, Any]:
    """Plans a batch against a host's own rows: the stateless planner (optimistic
    concurrency for a ledger kept in the host's database).

    ``input``: ``{"accounts": [{"account": {...}, "balances": {...}, "version"}],
    "transfers"?: [{"given", "resolved", "state", "seq"}], "failed"?: [{"id", "code"}],
    "last_seq", "last_hash", "batch": [transfer, ...]}`` as read inside the host's
    database transaction (:meth:`Ledger.plan_input` builds one from a :class:`Ledger`).

    Returns ``{"base", "head", "results", "entries", "account_updates",
    "account_checks", "new_transfers", "pending_updates", "new_failures"}``: the result of
    each transfer (``{"code": "CREATED", "seq"}`` or the error) and the rows to write in
    the same transaction, each update guarded by the version read. An inconsistent
    snapshot raises :class:`InvalidInputError` with the planner's code.
    """
    return _rihla.plan_transfers(input)


class PointsBook:
    """Loyalty points: lots earned with an expiry, redeemed soonest-expiring first, swept
    by an idempotent expiry, clawed back on refunds. Each operation is one transfer (or
    linked chain) of the :class:`Ledger` it is given; the book changes only when the
    ledger accepted it. Store it with :meth:`to_dict`, read it back with
    :meth:`from_dict`.

    >>> import rihla
    >>> ledger = rihla.Ledger()
    >>> ledger.create_accounts([{"id": 1, "unit": "POINTS", "normal": "DEBIT"},
    ...                         {"id": 501, "unit": "POINTS", "must_not_go_negative": True}])
    ['CREATED', 'CREATED']
    >>> book = rihla.PointsBook("POINTS")
    >>> report = book.earn(ledger, {"id": 7001, "from": 1, "to": 501, "amount": "1500",
    ...                             "unit": "POINTS", "at": "2028-02-29T10:00:00Z"})
    >>> report["lot"]["expires_at"], report["outcome"]
    ('2029-02-28T10:00:00Z', {'status': 'CREATED', 'seq': 1})
    >>> book.available(501, "2028-06-01T00:00:00Z")
    Decimal('1500')
    """

    __slots__ = ("_core",)

    _core: _rihla.PointsBook

    def __init__(self, unit: str) -> None:
        self._core = _rihla.PointsBook(unit)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PointsBook:
        """A book from its :meth:`to_dict` form (every lot's invariant is checked)."""
        self = object.__new__(cls)
        self._core = _rihla.PointsBook.from_dict(data)
        return self

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Pickles as :meth:`to_dict`."""
        return (_points_book_from_dict, (self.to_dict(),))

    def to_dict(self) -> dict[str, Any]:
        """``{"unit", "lots", "redemptions", "clawbacks"}``, amounts as ``Decimal``."""
        return self._core.to_dict()

    @property
    def unit(self) -> str:
        """The book's unit (``"POINTS"``, ``"POINTS:2"`` …)."""
        return self._core.unit

    def earn(self, ledger: Ledger, request: Mapping[str, Any]) -> dict[str, Any]:
        """Earns points: ``{"id" (the lot id), "from" (issuer), "to" (customer), "amount",
        "unit", "at", "expires_at"?: None (= at + 365 days), "reference"?}`` → ``{"lot",
        "outcome": {"status": "CREATED", "seq"}}`` (a retry: ``"EXISTS"``). Raises
        :class:`RihlaError` (``LOT_EXISTS_WITH_DIFFERENT_FIELD``, ``UNIT_MISMATCH``, the
        ledger's code …)."""
        return self._core.earn(_core_of(ledger), request)

    def redeem(self, ledger: Ledger, request: Mapping[str, Any]) -> dict[str, Any]:
        """Redeems points from the lots available at ``at``: ``{"id", "account", "to",
        "amount", "unit", "at", "reference"?}`` → ``{"redemption" (with ``consumed``
        lots), "outcome"}``. ``INSUFFICIENT_POINTS`` with ``available`` and ``amount``
        when the lots hold less."""
        return self._core.redeem(_core_of(ledger), request)

    def expire(self, ledger: Ledger, now: Instant) -> dict[str, Any]:
        """Expires what is left of every lot with ``expires_at <= now``: ``{"now",
        "expired": [{"lot", "account", "unit", "amount", "transfer_id", "outcome"}],
        "failed": [...]}``. Idempotent: a second sweep expires nothing."""
        return self._core.expire(_core_of(ledger), now)

    def clawback(self, ledger: Ledger, request: Mapping[str, Any]) -> dict[str, Any]:
        """Claws back a booking's points for a refund: ``{"id", "lot", "refunded", "paid",
        "at", "debt_account", "reference"?, "from_other_lots"?}`` → ``{"clawback",
        "outcomes"}`` (points the customer spent become a debt, never dropped)."""
        return self._core.clawback(_core_of(ledger), request)

    def lot(self, lot_id: LedgerId) -> Optional[dict[str, Any]]:
        """A lot by id, or ``None``."""
        return self._core.lot(lot_id)

    def lots(self) -> list[dict[str, Any]]:
        """Every lot, in id order."""
        return self._core.lots()

    def lots_of(self, account_id: LedgerId) -> list[dict[str, Any]]:
        """The lots of a customer points account, in redemption order."""
        return self._core.lots_of(account_id)

    def available(self, account_id: LedgerId, at: Instant) -> Decimal:
        """Points of an account available at ``at``."""
        return self._core.available(account_id, at)

    def balance(self, account_id: LedgerId) -> Decimal:
        """Points left in an account's lots (expired but not yet swept included)."""
        return self._core.balance(account_id)

    def debt_of(self, account_id: LedgerId) -> Decimal:
        """Points an account owes from clawbacks."""
        return self._core.debt_of(account_id)

    def redemption(self, redemption_id: LedgerId) -> Optional[dict[str, Any]]:
        """A redemption by its transfer id, or ``None``."""
        return self._core.redemption(redemption_id)

    def clawback_record(self, clawback_id: LedgerId) -> Optional[dict[str, Any]]:
        """A clawback by its request id, or ``None``."""
        return self._core.clawback_record(clawback_id)


class CashbackRecord:
    """A membership cashback: PENDING on booking (a hold on the wallet), APPROVED after the
    hold days, CREDITED exactly once, CANCELLED before credit or CLAWED_BACK after it. The
    host stores :meth:`to_dict` and reads it back with :meth:`from_dict`; an operation the
    ledger refuses leaves the record unchanged. Refusals raise :class:`RihlaError`
    (``INVALID_TRANSITION`` naming the event and both statuses, ``HOLD_NOT_OVER`` with the
    eligible instant, the ledger's code …).
    """

    __slots__ = ("_core",)

    _core: _rihla.CashbackRecord

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("create a CashbackRecord with CashbackRecord.book() or from_dict()")

    @classmethod
    def _wrap(cls, core: _rihla.CashbackRecord) -> CashbackRecord:
        self = object.__new__(cls)
        self._core = core
        return self

    @classmethod
    def book(cls, ledger: Ledger, request: Mapping[str, Any]) -> Tuple[CashbackRecord, dict[str, Any]]:
        """Books a cashback: ``{"id", "reference", "wallet", "source", "amount", "unit",
        "at", "hold_days"}`` → ``(record, outcome)``."""
        core, outcome = _rihla.CashbackRecord.book(_core_of(ledger), request)
        return cls._wrap(core), outcome

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CashbackRecord:
        """A record from its :meth:`to_dict` form."""
        return cls._wrap(_rihla.CashbackRecord.from_dict(data))

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Pickles as :meth:`to_dict`."""
        return (_cashback_record_from_dict, (self.to_dict(),))

    def to_dict(self) -> dict[str, Any]:
        """The record with its history (amounts ``Decimal``, instants RFC 3339 ``str``)."""
        return self._core.to_dict()

    @property
    def status(self) -> str:
        """``"PENDING"``, ``"APPROVED"``, ``"CREDITED"``, ``"CANCELLED"`` or ``"CLAWED_BACK"``."""
        return self._core.status

    def eligible_at(self) -> Optional[str]:
        """When approval without an override becomes possible, or ``None`` before the
        booking's completion."""
        return self._core.eligible_at()

    def transfer_ids(self) -> dict[str, str]:
        """The ids of its ledger transfers: ``{"hold", "credit", "cancel", "clawback", "debt"}``."""
        return self._core.transfer_ids()

    def complete(self, at: Instant) -> None:
        """Records the booking's completion (the hold runs from it)."""
        self._core.complete(at)

    def approve(self, now: Instant, actor: Optional[str] = None, override_hold: bool = False) -> None:
        """Approves after the hold, or at any time with ``override_hold`` and an ``actor``."""
        self._core.approve(now, actor, override_hold)

    def credit(self, ledger: Ledger, now: Instant) -> dict[str, Any]:
        """Credits the wallet (posts the hold), exactly once: the ledger's outcome."""
        return self._core.credit(_core_of(ledger), now)

    def cancel(
        self, ledger: Ledger, now: Instant, actor: Optional[str] = None, reason: Optional[str] = None
    ) -> dict[str, Any]:
        """Cancels before credit (voids the hold): the ledger's outcome."""
        return self._core.cancel(_core_of(ledger), now, actor, reason)

    def clawback(self, ledger: Ledger, request: Mapping[str, Any]) -> dict[str, Any]:
        """Claws back credited cashback: ``{"at", "amount", "unit", "debt_account",
        "actor"?, "reason"?}`` → ``{"unit", "requested", "applied", "from_wallet", "debt",
        "reversal_transfer", "debt_transfer", "outcomes"}``."""
        return self._core.clawback(_core_of(ledger), request)

    def __repr__(self) -> str:
        return f"<rihla.CashbackRecord status={self.status!r}>"


class Refunds:
    """Refunds of payments: a ``REFUND`` transfer back to the payer per refund, and never
    more than the payment in total (``EXCEEDS_PAYMENT`` with ``paid``, ``refunded`` and
    ``requested``). The refund id is the idempotency key. Keep one registry per ledger.
    """

    __slots__ = ("_core",)

    _core: _rihla.Refunds

    def __init__(self) -> None:
        self._core = _rihla.Refunds()

    @classmethod
    def from_receipts(cls, receipts: Sequence[Mapping[str, Any]]) -> Refunds:
        """A registry from stored receipts (what :meth:`receipts` gave), in that order: how
        a host that keeps receipts in its database rebuilds the bound Σ refunds ≤ payment.
        Raises ``INVALID_REQUEST`` naming the field of a malformed receipt."""
        self = object.__new__(cls)
        self._core = _rihla.Refunds.from_receipts(receipts)
        return self

    def __reduce__(self) -> tuple[Any, tuple[list[dict[str, Any]]]]:
        """Pickles as :meth:`receipts`."""
        return (_refunds_from_receipts, (self.receipts(),))

    def refund(self, ledger: Ledger, request: Mapping[str, Any]) -> dict[str, Any]:
        """Refunds ``{"id", "payment_id", "amount" (at the payment's unit), "at",
        "reference"?}``: the receipt ``{"refund_id", "payment_id", "unit", "amount",
        "paid", "refunded" (minor units, digits), "reference", "outcome"}``."""
        return self._core.refund(_core_of(ledger), request)

    def get(self, refund_id: LedgerId) -> Optional[dict[str, Any]]:
        """A refund's receipt, as first made, or ``None``."""
        return self._core.get(refund_id)

    def receipts(self) -> list[dict[str, Any]]:
        """Every receipt."""
        return self._core.receipts()

    def refunds_of(self, payment_id: LedgerId) -> list[str]:
        """The refund ids of a payment, in the order made."""
        return self._core.refunds_of(payment_id)


class WebhookInbox:
    """Payment-provider webhooks reduced to ledger transfers: duplicates and reordering
    give exactly one effect per event (``AUTHORIZED`` holds, ``CAPTURED`` posts,
    ``FAILED`` voids, ``REFUNDED`` refunds; events of a payment not registered yet are
    deferred, never dropped). Keep one inbox per ledger.
    """

    __slots__ = ("_core",)

    _core: _rihla.WebhookInbox

    def __init__(self) -> None:
        self._core = _rihla.WebhookInbox()

    def snapshot(self) -> bytes:
        """The inbox's state as JSON bytes: its payments, every event seen with its
        outcome, the deferred events and the refunds (its effects are in the ledger:
        snapshot both). :meth:`from_snapshot` rebuilds it; ``pickle`` uses it."""
        return self._core.snapshot()

    @classmethod
    def from_snapshot(cls, data: JSONText) -> WebhookInbox:
        """The inbox a :meth:`snapshot` describes; a state the inbox never holds (a
        payment refunded past its capture, an event deferred but not seen as deferred …)
        is refused with ``INCONSISTENT_SNAPSHOT``."""
        self = object.__new__(cls)
        self._core = _rihla.WebhookInbox.from_snapshot(data)
        return self

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        """Pickles as :meth:`snapshot`."""
        return (_webhook_inbox_from_snapshot, (self.snapshot(),))

    def register_payment(self, ledger: Ledger, registration: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Registers an expected payment ``{"provider", "payment_ref", "unit", "amount",
        "clearing_account_id", "credit_account_id", "reference"?}`` and re-drives its
        deferred events (returned)."""
        return self._core.register_payment(_core_of(ledger), registration)

    def receive(self, ledger: Ledger, event: Mapping[str, Any]) -> dict[str, Any]:
        """Receives an event ``{"provider", "event_id", "payment_ref", "kind", "amount"?,
        "unit", "at"}``: ``{"outcome": {"outcome": "APPLIED" | "DUPLICATE" | "DEFERRED" |
        "IGNORED", ...}, "redriven": [...]}``."""
        return self._core.receive(_core_of(ledger), event)

    def retry_deferred(self, ledger: Ledger) -> list[dict[str, Any]]:
        """Re-drives the deferred events of every registered payment."""
        return self._core.retry_deferred(_core_of(ledger))

    def payment(self, provider: str, payment_ref: str) -> Optional[dict[str, Any]]:
        """A registered payment (``status``, ``hold``, ``captured``, ``refunded`` …)."""
        return self._core.payment(provider, payment_ref)

    def outcome(self, provider: str, event_id: str) -> Optional[dict[str, Any]]:
        """An event's outcome as it stands, or ``None`` if it was not seen."""
        return self._core.outcome(provider, event_id)

    def deferred(self) -> list[dict[str, Any]]:
        """The deferred events."""
        return self._core.deferred()

    def refunds(self) -> list[dict[str, Any]]:
        """The receipts of the refunds made by ``REFUNDED`` events."""
        return self._core.refunds()

    def __len__(self) -> int:
        """How many event keys were seen."""
        return len(self._core)
