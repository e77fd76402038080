"""Every argument of every public callable is hostile: whatever a host passes, the answer
is a result or a ``rihla.RihlaError`` with a code and its deciding values — never a pyo3
``OverflowError``/``TypeError``, an ``AttributeError`` of the package, a
``PanicException``, or memory spent on an oversized value before it is refused."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import json
import os
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, NamedTuple, Tuple

import pytest

import rihla
from rihla import _rihla

REPO = Path(__file__).resolve().parents[2]
DEFAULT_RULEBOOK = REPO / "pricing" / "data" / "default_rulebook.json"

UTC = dt.timezone.utc
AT = dt.datetime(2026, 11, 22, 9, tzinfo=UTC)
BANK, WALLET, MERCHANT, REVENUE, CASHBACK_SOURCE, DEBT, CLEARING = 1, 1001, 2001, 4001, 5, 1101, 9
ISSUER, MEMBER, REDEEMED, POINTS_DEBT = 11, 501, 12, 601

ACCOUNTS: List[Dict[str, Any]] = [
    {"id": BANK, "unit": "SAR", "normal": "DEBIT"},
    {"id": WALLET, "unit": "SAR", "must_not_go_negative": True},
    {"id": MERCHANT, "unit": "SAR"},
    {"id": REVENUE, "unit": "SAR"},
    {"id": CASHBACK_SOURCE, "unit": "SAR", "normal": "DEBIT"},
    {"id": DEBT, "unit": "SAR", "normal": "DEBIT"},
    {"id": CLEARING, "unit": "SAR", "normal": "DEBIT"},
    {"id": ISSUER, "unit": "POINTS", "normal": "DEBIT"},
    {"id": MEMBER, "unit": "POINTS", "must_not_go_negative": True},
    {"id": REDEEMED, "unit": "POINTS"},
    {"id": POINTS_DEBT, "unit": "POINTS", "normal": "DEBIT"},
]


def transfer(tid: int, debit: int, credit: int, amount: str, code: str) -> Dict[str, Any]:
    return {"id": tid, "debit_account_id": debit, "credit_account_id": credit,
            "amount": Decimal(amount), "unit": "SAR", "code": code, "at": AT}


HOTEL_REQUEST: Dict[str, Any] = {
    "currency": "SAR", "now": "2026-11-22T09:00:00Z",
    "items": [{"id": "HTL-1", "category": "HOTEL", "quantity": 2, "unit_price": "650.00"}],
}
ENTITLEMENT = {"tier": "GOLD", "code": "lounge_pass", "used": 1, "now": AT}
UPGRADE = {"from": "GOLD", "to": "PLATINUM", "subscription_start": dt.date(2028, 1, 1),
           "subscription_end": dt.date(2029, 1, 1), "now": dt.datetime(2028, 7, 2, tzinfo=UTC),
           "instalments": 3}
REFERRAL = {"booking_amount": {"amount": Decimal("500.00"), "currency": "SAR"}}
ITINERARY = {
    "aircraft": {"id": "HZ-MID1", "category": "MIDSIZE", "home_base": "RUH",
                 "hourly_rate": {"amount": Decimal("24000.00"), "currency": "SAR"}},
    "legs": [{"from": "RUH", "to": "JED", "passengers": 6,
              "departure": dt.datetime(2026, 12, 8, 10, tzinfo=dt.timezone(dt.timedelta(hours=3)))}],
    "return_ferry": "WAIVED",
}
EARN = {"id": 7002, "from": ISSUER, "to": MEMBER, "amount": "400", "unit": "POINTS", "at": AT}
REDEEM = {"id": 8001, "account": MEMBER, "to": REDEEMED, "amount": "100", "unit": "POINTS",
          "at": AT}
POINTS_CLAWBACK = {"id": 9101, "lot": 7001, "refunded": "250.00", "paid": "1000.00", "at": AT,
                   "debt_account": POINTS_DEBT}
BOOK_CASHBACK = {"id": 3099, "reference": "BKG-2", "wallet": WALLET, "source": CASHBACK_SOURCE,
                 "amount": Decimal("10.00"), "unit": "SAR", "at": AT, "hold_days": 7}
CASHBACK_CLAWBACK = {"at": AT, "amount": "1.00", "unit": "SAR", "debt_account": DEBT}
REFUND = {"id": 90, "payment_id": 2, "amount": Decimal("10.00"), "at": AT}
REGISTRATION = {"provider": "moyasar", "payment_ref": "pay_1", "unit": "SAR",
                "amount": Decimal("100.00"), "clearing_account_id": CLEARING,
                "credit_account_id": WALLET}
EVENT = {"provider": "moyasar", "event_id": "evt_1", "payment_ref": "pay_1", "unit": "SAR",
         "kind": "AUTHORIZED", "amount": "100.00", "at": AT}


class World(NamedTuple):
    rulebook: rihla.Rulebook
    ledger: rihla.Ledger
    book: rihla.PointsBook
    booked: rihla.CashbackRecord  # PENDING, not completed
    completed: rihla.CashbackRecord  # PENDING, completed
    approved: rihla.CashbackRecord
    credited: rihla.CashbackRecord
    refunds: rihla.Refunds
    inbox: rihla.WebhookInbox


def cashback(ledger: rihla.Ledger, cid: int, steps: int) -> rihla.CashbackRecord:
    record, _ = rihla.CashbackRecord.book(ledger, {**BOOK_CASHBACK, "id": cid})
    if steps >= 1:
        record.complete(AT)
    if steps >= 2:
        record.approve(AT, "ops", True)
    if steps >= 3:
        record.credit(ledger, AT)
    return record


def make_world() -> World:
    """A ledger with a deposit (1) and a payment (2), a points book with lot 7001, cashback
    records in each state before a clawback and empty refunds and webhook registries."""
    ledger = rihla.Ledger()
    assert ledger.create_accounts(ACCOUNTS) == ["CREATED"] * len(ACCOUNTS)
    reports = ledger.apply([transfer(1, BANK, WALLET, "5000.00", "DEPOSIT"),
                            transfer(2, WALLET, MERCHANT, "1250.50", "PAYMENT")])
    assert [r["status"] for r in reports] == ["CREATED", "CREATED"]
    book = rihla.PointsBook("POINTS")
    book.earn(ledger, {**EARN, "id": 7001, "amount": "1500"})
    return World(rihla.Rulebook.default(), ledger, book, cashback(ledger, 3001, 0),
                 cashback(ledger, 3011, 1), cashback(ledger, 3021, 2),
                 cashback(ledger, 3031, 3), rihla.Refunds(), rihla.WebhookInbox())


# --- what each kind of argument must refuse ----------------------------------------------

# A 16 MiB + 1 character str: past every text and document limit (a rulebook's included).
HUGE_TEXT = "x" * (rihla.MAX_RULEBOOK_BYTES + 1)
LONG_TEXT = "x" * (rihla.MAX_TEXT_CHARS + 1)
NAIVE = dt.datetime(2026, 11, 22, 9)

NOT_INTS: List[Any] = [True, False, -1, 2**64, 2**200, 1.5, float("nan"), "1", b"1",
                       Decimal(1), {}, [], object()]
NOT_TEXT: List[Any] = [True, 7, 2**200, 1.5, b"x", bytearray(b"x"), {}, [], object(), "\ud800",
                       LONG_TEXT]
NOT_DOCS: List[Any] = [True, 7, -1, 2**200, 1.5, float("nan"), [], (), object(), {},
                       {"a": object()}, {1: "x"}, {"a": 1.5}, {"a": HUGE_TEXT}, b"\xff",
                       bytearray(b"{"), "\ud800", "{", HUGE_TEXT]

HOSTILE: Dict[str, List[Any]] = {
    # a dict or JSON text (str, bytes, bytearray)
    "request": [None, *NOT_DOCS],
    "rulebook": [None, *NOT_DOCS],
    # a dict only (a ledger document)
    "document": [None, "x", b"x", *NOT_DOCS],
    # a list of dicts
    "records": [None, True, 7, 2**200, 1.5, "x", b"x", {}, object(), [None], [7], [1.5],
                ["x"], [{"id": HUGE_TEXT}], [{"id": object()}]],
    "batch_records": [None, True, 7, 2**200, 1.5, "x", b"x", b"\xff", "{}", {}, object(),
                      [None], [7], [1.5], ["x"], [{"id": HUGE_TEXT}], [{"id": object()}],
                      HUGE_TEXT],
    "id": [None, True, -1, 2**128, 2**200, 1.5, float("nan"), b"1", bytearray(b"1"),
           Decimal(1), {}, [], object(), "", "x", "-1", "\ud800", LONG_TEXT, HUGE_TEXT],
    "ids": [None, True, 7, 1.5, "1", b"1", {}, object(), [None], [-1], [1.5], ["x"]],
    "instant": [None, True, 7, 1.5, b"x", {}, [], object(), "x", "2026-11-22", NAIVE,
                dt.date(2026, 11, 22), "\ud800", LONG_TEXT, HUGE_TEXT],
    "int": [None, *NOT_INTS],
    "opt_int": NOT_INTS,
    "text": [None, *NOT_TEXT, HUGE_TEXT],
    "opt_text": [*NOT_TEXT, HUGE_TEXT],
    "flag": [7, 1, "yes", 1.5, b"x", {}, []],
    "ledger": [None, True, 7, "x", {}, [], object(), rihla.Refunds(), _rihla.Refunds()],
    "journal": [None, True, 7, 1.5, {}, [], object(), b"\xff", bytearray(b"\xff"), "\ud800"],
    "amount": [None, True, 1.5, float("nan"), "10", b"x", {}, [], object(), 2**200,
               Decimal("NaN"), Decimal("-Infinity"), Decimal("1e30"), Decimal("1e-40"),
               Decimal("1." + "0" * 100_000)],
    "currency": [None, True, 7, 1.5, b"SAR", {}, [], object(), "XYZ", "\ud800", HUGE_TEXT],
    "weights": [None, True, 7, 1.5, "11", b"x", {}, {"a": 1}, object(), [None], [1.5], ["1"],
                [2**200], [1] * 100_001],
    "path": [None, True, 7, 1.5, b"x", {}, [], object()],
    # JSON text only (quote_json)
    "json_request": [None, True, 7, 1.5, {}, {"currency": "SAR"}, [], object(), b"\xff",
                     bytearray(b"{"), "\ud800", "{", HUGE_TEXT],
    # a list of requests (quote_many, quote_many_json): the list itself; its items are
    # answered in place (test_a_hostile_request_in_a_batch_is_answered_in_its_place)
    "batch": [None, True, 7, 1.5, "x", b"x", bytearray(b"[]"), {}, {"a": 1}, object(),
              iter([HOTEL_REQUEST])],
}

# The codes each kind may answer with (never INTERNAL).
CODES: Dict[str, FrozenSet[str]] = {
    "request": frozenset({"INVALID_REQUEST", "INVALID_JSON", "INVALID_AMOUNT",
                          "LIMIT_EXCEEDED"}),
    "rulebook": frozenset({"INVALID_RULEBOOK", "INVALID_JSON", "INVALID_AMOUNT",
                           "LIMIT_EXCEEDED"}),
    "document": frozenset({"INVALID_REQUEST", "INVALID_AMOUNT", "LIMIT_EXCEEDED"}),
    "records": frozenset({"INVALID_REQUEST", "LIMIT_EXCEEDED"}),
    # Ledger.apply also takes the batch as JSON text.
    "batch_records": frozenset({"INVALID_REQUEST", "INVALID_JSON", "LIMIT_EXCEEDED"}),
    "ledger": frozenset({"INVALID_REQUEST"}),
    "journal": frozenset({"INVALID_REQUEST", "INVALID_JSON"}),
    "amount": frozenset({"INVALID_AMOUNT"}),
    "currency": frozenset({"INVALID_REQUEST", "UNKNOWN_CURRENCY", "LIMIT_EXCEEDED"}),
    "weights": frozenset({"INVALID_WEIGHTS", "INVALID_AMOUNT", "LIMIT_EXCEEDED"}),
    "json_request": frozenset({"INVALID_REQUEST", "INVALID_JSON", "LIMIT_EXCEEDED"}),
}
DEFAULT_CODES = frozenset({"INVALID_REQUEST", "LIMIT_EXCEEDED"})

Arg = Tuple[str, Any]


class Callable_(NamedTuple):
    name: str
    call: Callable[[World, List[Any]], Any]
    args: List[Arg]


def c(name: str, call: Callable[[World, List[Any]], Any], *args: Arg) -> Callable_:
    return Callable_(name, call, list(args))


RULEBOOK_TEXT = DEFAULT_RULEBOOK.read_text(encoding="utf-8")

CALLABLES: List[Callable_] = [
    c("Rulebook.from_json", lambda w, a: rihla.Rulebook.from_json(*a), ("rulebook", RULEBOOK_TEXT)),
    c("Rulebook.from_dict", lambda w, a: rihla.Rulebook.from_dict(*a),
      ("rulebook", json.loads(RULEBOOK_TEXT))),
    c("Rulebook.from_file", lambda w, a: rihla.Rulebook.from_file(*a), ("path", DEFAULT_RULEBOOK)),
    c("Rulebook.quote", lambda w, a: w.rulebook.quote(*a), ("request", HOTEL_REQUEST)),
    c("Rulebook.quote_json", lambda w, a: w.rulebook.quote_json(*a),
      ("json_request", json.dumps(HOTEL_REQUEST).encode())),
    c("Rulebook.quote_many", lambda w, a: w.rulebook.quote_many(*a),
      ("batch", [HOTEL_REQUEST])),
    c("Rulebook.quote_many_json", lambda w, a: w.rulebook.quote_many_json(*a),
      ("batch", [json.dumps(HOTEL_REQUEST)])),
    c("Rulebook.check_voucher", lambda w, a: w.rulebook.check_voucher(*a),
      ("request", HOTEL_REQUEST), ("text", "umrah150")),
    c("Rulebook.check_entitlement", lambda w, a: w.rulebook.check_entitlement(*a),
      ("request", ENTITLEMENT)),
    c("Rulebook.upgrade_price", lambda w, a: w.rulebook.upgrade_price(*a), ("request", UPGRADE)),
    c("Rulebook.referral_rewards", lambda w, a: w.rulebook.referral_rewards(*a),
      ("request", REFERRAL)),
    c("Rulebook.charter_availability", lambda w, a: w.rulebook.charter_availability(*a),
      ("request", ITINERARY)),
    c("Rulebook.tier_for_points", lambda w, a: w.rulebook.tier_for_points(*a), ("int", 1000)),
    c("allocate", lambda w, a: rihla.allocate(*a), ("amount", Decimal("10.00")),
      ("currency", "SAR"), ("weights", [Decimal(1)] * 3)),
    c("audit_journal", lambda w, a: rihla.audit_journal(*a), ("records", ACCOUNTS),
      ("journal", "")),
    c("plan_transfers", lambda w, a: rihla.plan_transfers(*a),
      ("document", {"accounts": [], "last_seq": 0, "last_hash": "0" * 64, "batch": []})),
    c("reversal_id", lambda w, a: rihla.reversal_id(*a), ("id", 2), ("opt_int", 1)),
    c("webhook_transfer_id", lambda w, a: rihla.webhook_transfer_id(*a), ("text", "moyasar"),
      ("text", "evt_1"), ("opt_int", 1), ("opt_int", 2)),
    c("Ledger.create_accounts", lambda w, a: w.ledger.create_accounts(*a),
      ("records", [{"id": 77, "unit": "SAR"}])),
    c("Ledger.apply", lambda w, a: w.ledger.apply(*a),
      ("batch_records", [transfer(3, WALLET, MERCHANT, "1.00", "PAYMENT")])),
    c("Ledger.account", lambda w, a: w.ledger.account(*a), ("id", WALLET)),
    c("Ledger.transfer", lambda w, a: w.ledger.transfer(*a), ("id", 1)),
    c("Ledger.entries", lambda w, a: w.ledger.entries(*a), ("opt_int", 1), ("opt_int", 10)),
    c("Ledger.entries_of", lambda w, a: w.ledger.entries_of(*a), ("id", WALLET),
      ("opt_int", 1), ("opt_int", 10)),
    c("Ledger.reserve", lambda w, a: w.ledger.reserve(*a), ("int", 10)),
    c("Ledger.close_account", lambda w, a: w.ledger.close_account(*a), ("id", REVENUE)),
    c("Ledger.statement", lambda w, a: w.ledger.statement(*a), ("id", WALLET), ("opt_int", 0),
      ("opt_int", 100)),
    c("Ledger.reverse", lambda w, a: w.ledger.reverse(*a), ("ids", [2]), ("instant", AT),
      ("opt_text", "cancelled")),
    c("Ledger.reversal_of", lambda w, a: w.ledger.reversal_of(*a), ("id", 2)),
    c("Ledger.from_snapshot", lambda w, a: rihla.Ledger.from_snapshot(*a),
      ("journal", rihla.Ledger().snapshot())),
    c("WebhookInbox.from_snapshot", lambda w, a: rihla.WebhookInbox.from_snapshot(*a),
      ("journal", rihla.WebhookInbox().snapshot())),
    c("Ledger.plan_input", lambda w, a: w.ledger.plan_input(*a),
      ("records", [transfer(3, WALLET, MERCHANT, "1.00", "PAYMENT")])),
    c("PointsBook", lambda w, a: rihla.PointsBook(*a), ("text", "POINTS")),
    c("PointsBook.from_dict", lambda w, a: rihla.PointsBook.from_dict(*a),
      ("document", {"unit": "POINTS", "lots": [], "redemptions": [], "clawbacks": []})),
    c("PointsBook.earn", lambda w, a: w.book.earn(*a), ("ledger", None), ("document", EARN)),
    c("PointsBook.redeem", lambda w, a: w.book.redeem(*a), ("ledger", None),
      ("document", REDEEM)),
    c("PointsBook.expire", lambda w, a: w.book.expire(*a), ("ledger", None), ("instant", AT)),
    c("PointsBook.clawback", lambda w, a: w.book.clawback(*a), ("ledger", None),
      ("document", POINTS_CLAWBACK)),
    c("PointsBook.lot", lambda w, a: w.book.lot(*a), ("id", 7001)),
    c("PointsBook.lots_of", lambda w, a: w.book.lots_of(*a), ("id", MEMBER)),
    c("PointsBook.available", lambda w, a: w.book.available(*a), ("id", MEMBER),
      ("instant", AT)),
    c("PointsBook.balance", lambda w, a: w.book.balance(*a), ("id", MEMBER)),
    c("PointsBook.debt_of", lambda w, a: w.book.debt_of(*a), ("id", MEMBER)),
    c("PointsBook.redemption", lambda w, a: w.book.redemption(*a), ("id", 8001)),
    c("PointsBook.clawback_record", lambda w, a: w.book.clawback_record(*a), ("id", 9101)),
    c("CashbackRecord.book", lambda w, a: rihla.CashbackRecord.book(*a), ("ledger", None),
      ("document", BOOK_CASHBACK)),
    c("CashbackRecord.from_dict", lambda w, a: rihla.CashbackRecord.from_dict(*a),
      ("document", None)),
    c("CashbackRecord.complete", lambda w, a: w.booked.complete(*a), ("instant", AT)),
    c("CashbackRecord.approve", lambda w, a: w.completed.approve(*a), ("instant", AT),
      ("opt_text", "ops"), ("flag", True)),
    c("CashbackRecord.credit", lambda w, a: w.approved.credit(*a), ("ledger", None),
      ("instant", AT)),
    c("CashbackRecord.cancel", lambda w, a: w.booked.cancel(*a), ("ledger", None),
      ("instant", AT), ("opt_text", "ops"), ("opt_text", "changed plans")),
    c("CashbackRecord.clawback", lambda w, a: w.credited.clawback(*a), ("ledger", None),
      ("document", CASHBACK_CLAWBACK)),
    c("Refunds.from_receipts", lambda w, a: rihla.Refunds.from_receipts(*a), ("records", [])),
    c("Refunds.refund", lambda w, a: w.refunds.refund(*a), ("ledger", None),
      ("document", REFUND)),
    c("Refunds.get", lambda w, a: w.refunds.get(*a), ("id", 90)),
    c("Refunds.refunds_of", lambda w, a: w.refunds.refunds_of(*a), ("id", 2)),
    c("WebhookInbox.register_payment", lambda w, a: w.inbox.register_payment(*a),
      ("ledger", None), ("document", REGISTRATION)),
    c("WebhookInbox.receive", lambda w, a: w.inbox.receive(*a), ("ledger", None),
      ("document", EVENT)),
    c("WebhookInbox.retry_deferred", lambda w, a: w.inbox.retry_deferred(*a), ("ledger", None)),
    c("WebhookInbox.payment", lambda w, a: w.inbox.payment(*a), ("text", "moyasar"),
      ("text", "pay_1")),
    c("WebhookInbox.outcome", lambda w, a: w.inbox.outcome(*a), ("text", "moyasar"),
      ("text", "evt_1")),
]

# Callables whose valid arguments depend on the world (filled in by `valid_args`).
STORED_DICT = {"CashbackRecord.from_dict"}


def valid_args(world: World, callable_: Callable_) -> List[Any]:
    args = [value for _, value in callable_.args]
    for i, (kind, _) in enumerate(callable_.args):
        if kind == "ledger":
            args[i] = world.ledger
    if callable_.name in STORED_DICT:
        args[0] = world.credited.to_dict()
    return args


def hostile_cases() -> List[Any]:
    cases = []
    for callable_ in CALLABLES:
        for position, (kind, _) in enumerate(callable_.args):
            for index, value in enumerate(HOSTILE[kind]):
                test_id = f"{callable_.name}-{position}-{kind}-{index}"
                cases.append(pytest.param(callable_, position, value, id=test_id))
    return cases


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.mark.parametrize("callable_", CALLABLES, ids=[x.name for x in CALLABLES])
def test_valid_arguments_are_answered(world: World, callable_: Callable_) -> None:
    """The table's valid arguments give an answer: each hostile case below changes one."""
    callable_.call(world, valid_args(world, callable_))


@pytest.mark.parametrize("callable_, position, value", hostile_cases())
def test_a_hostile_argument_is_a_rihla_error(
    world: World, callable_: Callable_, position: int, value: Any
) -> None:
    kind = callable_.args[position][0]
    args = valid_args(world, callable_)
    args[position] = value
    before = (world.ledger.journal_jsonl(), world.ledger.accounts())
    with pytest.raises(rihla.RihlaError) as info:
        callable_.call(world, args)
    err = info.value
    assert err.code in CODES.get(kind, DEFAULT_CODES), (err.code, err.details)
    assert not isinstance(err, rihla.InternalError)
    assert err.details["code"] == err.code and err.details["message"]
    assert str(err).startswith(f"{err.code}: ")
    if err.code == "INVALID_REQUEST" and kind in ("int", "opt_int"):
        assert isinstance(err.details["min"], int) and isinstance(err.details["max"], int)
    if err.code == "LIMIT_EXCEEDED":
        assert err.details["actual"] > err.details["limit"]
    assert (world.ledger.journal_jsonl(), world.ledger.accounts()) == before  # nothing changed


def test_every_public_callable_is_in_the_table() -> None:
    names = {x.name for x in CALLABLES}
    # Callables without an argument cannot be given a hostile one.
    no_arguments = {"Rulebook.default", "Rulebook.to_json", "Ledger", "Ledger.accounts",
                    "Ledger.snapshot", "WebhookInbox.snapshot",
                    "Ledger.journal_jsonl",
                    "Ledger.last_hash", "PointsBook.to_dict", "PointsBook.lots",
                    "CashbackRecord.to_dict", "CashbackRecord.eligible_at",
                    "CashbackRecord.transfer_ids", "Refunds", "Refunds.receipts",
                    "WebhookInbox", "WebhookInbox.deferred", "WebhookInbox.refunds"}
    public = set()
    for name in rihla.__all__:
        obj = getattr(rihla, name)
        # Result classes are made by rihla alone (see the test below); enums are data.
        if isinstance(obj, type) and issubclass(obj, (rihla.Result, enum.Enum)):
            continue
        if isinstance(obj, type) and not issubclass(obj, BaseException):
            public.add(name)
            public.update(f"{name}.{m}" for m, v in vars(obj).items()
                          if not m.startswith("_") and callable(getattr(obj, m)))
        elif inspect.isroutine(obj):
            public.add(name)
    # Classes that cannot be constructed directly (their factories are in the table).
    public -= {"Rulebook", "CashbackRecord", "PointsBook.unit", "CashbackRecord.status"}
    # json_default is a json.dumps hook: TypeError for what it does not write is its
    # contract (test_api covers it).
    public -= {"json_default"}
    assert public - no_arguments - names == set()


# --- defect 4: integer arguments are range-checked into a RihlaError ---------------------


@pytest.mark.parametrize(
    "call, field, low, high",
    [
        (lambda v: rihla.Ledger().reserve(v), "transfers", 0, 2**64 - 1),
        (lambda v: rihla.reversal_id(1, v), "attempt", 0, 2**32 - 1),
        (lambda v: rihla.webhook_transfer_id("p", "e", v), "leg", 0, 255),
        (lambda v: rihla.webhook_transfer_id("p", "e", 0, v), "attempt", 0, 2**32 - 1),
        (lambda v: rihla.Ledger().entries(v), "start_seq", 1, 2**64 - 1),
        (lambda v: rihla.Ledger().entries(1, v), "limit", 0, 2**64 - 1),
        (lambda v: rihla.Rulebook.default().tier_for_points(v), "lifetime_points", 0, 2**64 - 1),
    ],
)
def test_integer_arguments_name_their_bounds(
    call: Callable[[Any], Any], field: str, low: int, high: int
) -> None:
    for value in (low - 1, high + 1, 2**200, -(2**200), True, 1.0, "1"):
        with pytest.raises(rihla.InvalidInputError) as info:
            call(value)
        err = info.value
        assert err.code == "INVALID_REQUEST", value
        assert err.details["field"] == field
        assert (err.details["min"], err.details["max"]) == (low, high)
        assert f"{field} must be an int from {low} to {high}" in err.details["reason"]
    call(low)


def test_the_issue_s_overflow_calls() -> None:
    for call in (lambda: rihla.Ledger().reserve(-1), lambda: rihla.Ledger().reserve(2**64),
                 lambda: rihla.reversal_id(1, -1), lambda: rihla.reversal_id(1, 2**32),
                 lambda: rihla.webhook_transfer_id("p", "e", -1)):
        with pytest.raises(rihla.RihlaError) as info:
            call()
        assert info.value.code == "INVALID_REQUEST"
    # The bounds are inclusive, and the defaults unchanged.
    assert rihla.reversal_id(1, 2**32 - 1) != rihla.reversal_id(1) == rihla.reversal_id(1, 0)
    assert rihla.webhook_transfer_id("p", "e", 255, 2**32 - 1).isdigit()
    assert rihla.webhook_transfer_id("p", "e") == rihla.webhook_transfer_id("p", "e", 0, 0)


# --- defect 6: reserve past its bound is refused, not clamped ----------------------------


def test_reserve_past_its_bound_is_refused() -> None:
    ledger = rihla.Ledger()
    ledger.create_accounts(ACCOUNTS)
    limit = rihla.LEDGER_MAX_RESERVED
    for asked in (limit + 1, 2**40, 2**64 - 1):
        with pytest.raises(rihla.InvalidInputError) as info:
            ledger.reserve(asked)
        err = info.value
        assert err.code == "LIMIT_EXCEEDED"
        assert (err.details["field"], err.details["limit"], err.details["actual"]) == (
            "transfers", limit, asked)
    ledger.reserve(0)
    ledger.reserve(1_000)
    assert ledger.apply([transfer(1, BANK, WALLET, "1.00", "DEPOSIT")])[0]["status"] == "CREATED"


# --- defect 7: sizes are checked before anything is copied -------------------------------


def refusal(fn: Callable[..., Any], *args: Any) -> rihla.RihlaError:
    """The RihlaError that `fn(*args)` raises."""
    with pytest.raises(rihla.RihlaError) as info:
        fn(*args)
    return info.value


def peak_bytes(call: Callable[[], Any], code: str) -> int:
    """The most memory Python allocated while `call` raised `code` (the native module's
    copies of a str go through a Python bytes object, which tracemalloc sees)."""
    tracemalloc.start()
    try:
        with pytest.raises(rihla.RihlaError) as info:
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.code == code, info.value.details
    return peak


BIG = "x" * 50_000_000  # 50 MB: a copy would show


def test_a_huge_str_in_a_document_is_refused_before_it_is_copied() -> None:
    rulebook = rihla.Rulebook.default()
    request = {**HOTEL_REQUEST, "customer": {"id": BIG}}
    assert peak_bytes(lambda: rulebook.quote(request), "LIMIT_EXCEEDED") < 1_000_000
    assert peak_bytes(lambda: rulebook.quote({BIG: 1}), "LIMIT_EXCEEDED") < 1_000_000
    ledger = rihla.Ledger()
    big_transfer = {**transfer(1, BANK, WALLET, "1.00", "DEPOSIT"), "reference": BIG}
    assert peak_bytes(lambda: ledger.apply([big_transfer]), "LIMIT_EXCEEDED") < 1_000_000
    err = refusal(ledger.apply, [big_transfer])
    assert err.details["field"] == "[0].reference"


def test_huge_json_text_is_refused_before_it_is_copied() -> None:
    rulebook = rihla.Rulebook.default()
    for text in (BIG, BIG.encode(), bytearray(b"x" * 3_000_000)):
        err = refusal(rulebook.quote, text)
        assert err.code == "LIMIT_EXCEEDED"
        assert (err.details["field"], err.details["limit"], err.details["actual"]) == (
            "request bytes", rihla.MAX_REQUEST_BYTES, len(text))
    assert peak_bytes(lambda: rulebook.quote(BIG), "LIMIT_EXCEEDED") < 1_000_000
    assert peak_bytes(lambda: rihla.Rulebook.from_json(BIG), "LIMIT_EXCEEDED") < 1_000_000
    err = refusal(rihla.Rulebook.from_json, BIG)
    assert (err.details["field"], err.details["limit"]) == (
        "rulebook bytes", rihla.MAX_RULEBOOK_BYTES)


def test_huge_text_arguments_are_refused_before_they_are_copied() -> None:
    rulebook, inbox = rihla.Rulebook.default(), rihla.WebhookInbox()
    for call, field in [
        (lambda: rulebook.check_voucher(HOTEL_REQUEST, BIG), "code"),
        (lambda: rihla.webhook_transfer_id(BIG, "e"), "provider"),
        (lambda: inbox.outcome("moyasar", BIG), "event_id"),
        (lambda: rihla.Ledger().account(BIG), "account_id"),
        (lambda: rihla.PointsBook(BIG), "unit"),
    ]:
        assert peak_bytes(call, "LIMIT_EXCEEDED") < 1_000_000, field
        err = refusal(call)
        assert (err.details["field"], err.details["limit"], err.details["actual"]) == (
            field, rihla.MAX_TEXT_CHARS, len(BIG))
    # At the limit, the crate decides.
    at_limit = "x" * rihla.MAX_TEXT_CHARS
    assert rihla.webhook_transfer_id(at_limit, "e").isdigit()


def test_counts_are_checked_before_a_list_is_read() -> None:
    too_many = [None] * (rihla.LEDGER_BATCH_MAX + 1)  # never read: the count decides
    err = refusal(rihla.Ledger().apply, too_many)
    assert (err.code, err.details["max"], err.details["actual"]) == (
        "BATCH_TOO_LARGE", rihla.LEDGER_BATCH_MAX, rihla.LEDGER_BATCH_MAX + 1)
    err = refusal(rihla.allocate, Decimal(1), "SAR", [None] * 100_001)
    assert (err.code, err.details["field"], err.details["limit"], err.details["actual"]) == (
        "LIMIT_EXCEEDED", "weights", 100_000, 100_001)
    # The ledger crate's list limits, by their values: counted before the list is read …
    for call, field in [(rihla.Ledger().create_accounts, "accounts"),
                        (rihla.Refunds.from_receipts, "receipts")]:
        err = refusal(call, [None] * (2**20 + 1))
        assert (err.code, err.details["field"], err.details["limit"], err.details["actual"]) == (
            "LIMIT_EXCEEDED", field, 2**20, 2**20 + 1)
    # … or, inside a stored document, as the crate reads it.
    record = make_world().credited.to_dict()
    err = refusal(rihla.CashbackRecord.from_dict, {**record, "history": record["history"] * 17})
    assert (err.code, err.details["field"], err.details["limit"], err.details["actual"]) == (
        "LIMIT_EXCEEDED", "history", 16, 17 * len(record["history"]))
    # A request's list counts against the document's byte limit before it is walked.
    err = refusal(_rihla._to_json, [object()] * (2**20 + 1))
    assert err.code == "LIMIT_EXCEEDED" and err.details["field"] == "$"
    err = refusal(_rihla._to_json, {f"k{i}": object() for i in range(2**18 + 1)})
    assert err.code == "LIMIT_EXCEEDED" and err.details["field"] == "$"


def test_a_long_decimal_is_refused_before_its_text_is_read() -> None:
    err = refusal(rihla.allocate, Decimal("1." + "0" * 10_000_000), "SAR", [1])
    assert (err.code, err.details["field"]) == ("INVALID_AMOUNT", "amount")
    assert "10000002 characters" in err.details["reason"]
    # The longest decimals rihla reads still are.
    assert _rihla._to_json({"a": Decimal("-0." + "0" * 27 + "1")}) == (
        '{"a":"-0.0000000000000000000000000001"}')
    assert _rihla._to_json({"a": Decimal("-7922816251426433759354395033.5")}) == (
        '{"a":"-7922816251426433759354395033.5"}')


def test_from_file_takes_a_path_only_and_reads_at_most_the_limit(tmp_path: Path) -> None:
    fd = os.open(os.devnull, os.O_RDONLY)
    try:
        err = refusal(rihla.Rulebook.from_file, fd)
        assert (err.code, err.details["field"]) == ("INVALID_REQUEST", "path")
        os.fstat(fd)  # still open: an int is never taken for a file descriptor
    finally:
        os.close(fd)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (rihla.MAX_RULEBOOK_BYTES + 10))
    err = refusal(rihla.Rulebook.from_file, big)
    assert (err.code, err.details["limit"], err.details["actual"]) == (
        "LIMIT_EXCEEDED", rihla.MAX_RULEBOOK_BYTES, rihla.MAX_RULEBOOK_BYTES + 1)
    assert rihla.Rulebook.from_file(str(DEFAULT_RULEBOOK)).version


# --- panics: INTERNAL, a RihlaError ------------------------------------------------------


def test_internal_error_is_in_the_tree() -> None:
    assert rihla.InternalError is _rihla.InternalError
    assert rihla.InternalError.__module__ == "rihla"
    assert issubclass(rihla.InternalError, rihla.RihlaError)
    assert issubclass(rihla.InternalError, RuntimeError)
    assert not issubclass(rihla.InternalError, ValueError)
    # A host's `except Exception` catches it (pyo3's PanicException is a BaseException).
    assert issubclass(rihla.InternalError, Exception)


@pytest.mark.parametrize("index", range(len(HOSTILE["request"])))
def test_a_hostile_request_in_a_batch_is_answered_in_its_place(world: World, index: int) -> None:
    """A batch item is a request like any other: the error `quote` raises for it comes back
    in its place (never raised, never INTERNAL), and the valid neighbours are priced."""
    value = HOSTILE["request"][index]
    results = world.rulebook.quote_many([HOTEL_REQUEST, value, HOTEL_REQUEST])
    assert len(results) == 3
    first, err, last = results
    assert isinstance(first, rihla.Quote) and first == last == world.rulebook.quote(HOTEL_REQUEST)
    assert isinstance(err, rihla.RihlaError) and not isinstance(err, rihla.InternalError)
    assert err.code in CODES["request"], (err.code, err.details)
    with pytest.raises(rihla.RihlaError) as info:
        world.rulebook.quote(value)
    assert (type(info.value), info.value.code, info.value.details) == (
        type(err), err.code, err.details)


@pytest.mark.parametrize("value", [None, 7, "x", b"x", {}, [], object(), rihla.Result])
def test_a_result_class_is_made_by_rihla_alone(value: Any) -> None:
    for cls in (rihla.Quote, rihla.ItemLine, rihla.Result):
        with pytest.raises(rihla.InvalidInputError) as info:
            cls(value)
        assert info.value.code == "INVALID_REQUEST"
