"""The ledger crate's limits through the Python binding (issue 11): lists counted before
they are read (a batch: BATCH_TOO_LARGE; accounts, stored receipts, a stored points book's
lists, a planner snapshot's: LIMIT_EXCEEDED with field, limit and actual), instants the
ledger computes kept within year 9999, and a cashback's actor and reason bounded."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any, Callable, Dict, List

import pytest

import rihla

UTC = dt.timezone.utc
AT = "2026-11-22T09:00:00Z"
MAX_LIST = 2**20  # MAX_ACCOUNT_LIST, MAX_BOOK_LOTS, MAX_REFUND_RECEIPTS


def refusal(code: str, fn: Callable[..., Any], *args: Any) -> Dict[str, Any]:
    with pytest.raises(rihla.RihlaError) as info:
        fn(*args)
    assert info.value.code == code, info.value.details
    assert info.value.details["code"] == code and info.value.details["message"]
    details: Dict[str, Any] = info.value.details
    return details


def limit(details: Dict[str, Any]) -> tuple[Any, Any, Any]:
    return details["field"], details["limit"], details["actual"]


def quick(fn: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """`fn()`, which must answer in well under a second: the count decided, not a walk."""
    start = time.perf_counter()
    details = fn()
    assert time.perf_counter() - start < 1.0
    return details


def transfer(tid: int) -> Dict[str, Any]:
    return {"id": tid, "debit_account_id": 1, "credit_account_id": 2,
            "amount": Decimal("1.00"), "unit": "SAR", "code": "DEPOSIT", "at": AT}


def test_a_batch_of_8191_transfers_is_batch_too_large_and_applies_nothing() -> None:
    ledger = rihla.Ledger()
    ledger.create_accounts([{"id": 1, "unit": "SAR", "normal": "DEBIT"},
                            {"id": 2, "unit": "SAR"}])
    batch = [transfer(i) for i in range(1, rihla.LEDGER_BATCH_MAX + 2)]
    assert len(batch) == 8191
    for call in (ledger.apply, ledger.plan_input):
        details = refusal("BATCH_TOO_LARGE", call, batch)
        assert (details["max"], details["actual"]) == (8190, 8191)
    assert len(ledger) == 0
    # A full batch is applied.
    reports = ledger.apply(batch[:-1])
    assert len(reports) == 8190 and all(r["status"] == "CREATED" for r in reports)


def test_an_account_list_past_max_account_list_is_refused_before_it_is_read() -> None:
    # One account a million times (one dict, so that the test stays small), then one more:
    # never read, the count decides.
    accounts: List[Any] = [{"id": 1, "unit": "SAR"}] * MAX_LIST + [{"id": "not an id"}]
    ledger = rihla.Ledger()
    details = quick(lambda: refusal("LIMIT_EXCEEDED", ledger.create_accounts, accounts))
    assert limit(details) == ("accounts", MAX_LIST, MAX_LIST + 1)
    assert details["message"] == (
        "LIMIT_EXCEEDED: accounts has 1048577 entries, more than the limit of 1048576")
    details = quick(lambda: refusal("LIMIT_EXCEEDED", rihla.audit_journal, accounts, ""))
    assert limit(details) == ("accounts", MAX_LIST, MAX_LIST + 1)
    assert ledger.accounts() == []


def test_stored_receipts_past_their_limit_are_refused_with_field_limit_and_actual() -> None:
    receipts: List[Any] = [None] * (MAX_LIST + 5)
    details = quick(lambda: refusal("LIMIT_EXCEEDED", rihla.Refunds.from_receipts, receipts))
    assert limit(details) == ("receipts", MAX_LIST, MAX_LIST + 5)
    assert rihla.Refunds.from_receipts([]).receipts() == []


def test_a_stored_points_book_past_a_list_limit_is_refused_before_it_is_walked() -> None:
    # The lots are never walked (an `object()` would be refused as INVALID_REQUEST if it
    # were): the count decides, at once, whatever comes before them in the dict.
    lots: List[Any] = [object()] * (MAX_LIST + 1)
    for doc, field in [({"unit": "POINTS", "redemptions": [object()], "lots": lots}, "lots"),
                       ({"unit": "POINTS", "lots": [object()], "redemptions": lots},
                        "redemptions"),
                       ({"unit": "POINTS", "clawbacks": tuple(lots)}, "clawbacks")]:
        details = quick(lambda: refusal("LIMIT_EXCEEDED", rihla.PointsBook.from_dict, doc))
        assert limit(details) == (field, MAX_LIST, MAX_LIST + 1)
    # A redemption's list of lots, inside the book, as well.
    redemption = {"id": 1, "account": 501, "to": 12, "unit": "POINTS", "amount": "1",
                  "at": AT, "consumed": lots}
    details = quick(lambda: refusal("LIMIT_EXCEEDED", rihla.PointsBook.from_dict,
                                    {"unit": "POINTS", "redemptions": [redemption]}))
    assert limit(details) == ("consumed", MAX_LIST, MAX_LIST + 1)
    # Within the limits the crate reads the document (and refuses what is not a lot).
    details = refusal("INVALID_REQUEST", rihla.PointsBook.from_dict,
                      {"unit": "POINTS", "lots": [None]})
    assert details["field"] == "lots[0]"


def test_a_planner_snapshot_past_a_list_limit_is_refused_before_it_is_walked() -> None:
    for field, most in [("accounts", 4 * 8190), ("transfers", 2 * 8190), ("failed", 8190),
                        ("batch", 8190)]:
        snapshot = {"accounts": [], "last_seq": 0, "last_hash": "0" * 64, "batch": [],
                    field: [object()] * (most + 1)}
        details = quick(lambda: refusal("LIMIT_EXCEEDED", rihla.plan_transfers, snapshot))
        assert limit(details) == (field, most, most + 1)


def points_ledger() -> rihla.Ledger:
    ledger = rihla.Ledger()
    ledger.create_accounts([{"id": 11, "unit": "POINTS", "normal": "DEBIT"},
                            {"id": 501, "unit": "POINTS", "must_not_go_negative": True}])
    return ledger


def test_an_earn_whose_default_expiry_passes_year_9999_is_refused() -> None:
    ledger, book = points_ledger(), rihla.PointsBook("POINTS")
    earn = {"id": 7001, "from": 11, "to": 501, "amount": "100", "unit": "POINTS",
            "at": dt.datetime(9999, 6, 1, tzinfo=UTC)}
    details = refusal("TIME_OUT_OF_RANGE", book.earn, ledger, earn)
    assert (details["field"], details["at"], details["days"]) == (
        "at", "9999-06-01T00:00:00Z", 365)
    assert isinstance(details, dict) and len(ledger) == 0 and book.to_dict()["lots"] == []
    # With its expiry given, the earn is taken.
    earned = book.earn(ledger, {**earn, "expires_at": "9999-12-31T23:59:59Z"})
    assert earned["lot"]["expires_at"] == "9999-12-31T23:59:59Z"


def cashback(hold_days: int, at: str = AT) -> tuple[rihla.Ledger, rihla.CashbackRecord]:
    ledger = rihla.Ledger()
    ledger.create_accounts([{"id": 5, "unit": "SAR", "normal": "DEBIT"},
                            {"id": 1001, "unit": "SAR", "must_not_go_negative": True}])
    record, _ = rihla.CashbackRecord.book(ledger, {
        "id": 3001, "wallet": 1001, "source": 5, "amount": Decimal("10.00"), "unit": "SAR",
        "at": at, "hold_days": hold_days})
    return ledger, record


def test_a_cashback_hold_that_would_end_after_year_9999_is_refused() -> None:
    ledger = rihla.Ledger()
    details = refusal("TIME_OUT_OF_RANGE", rihla.CashbackRecord.book, ledger, {
        "id": 3001, "wallet": 1001, "source": 5, "amount": "10.00", "unit": "SAR",
        "at": "9999-12-30T00:00:00Z", "hold_days": 7})
    assert (details["field"], details["days"]) == ("at", 7)
    _, record = cashback(7, "9999-01-01T00:00:00Z")
    details = refusal("TIME_OUT_OF_RANGE", record.complete, "9999-12-28T00:00:00Z")
    assert (details["field"], details["at"]) == ("at", "9999-12-28T00:00:00Z")
    assert record.to_dict()["completed_at"] is None


def test_a_cashback_actor_or_reason_past_128_characters_is_too_long() -> None:
    ledger, record = cashback(7)
    details = refusal("TOO_LONG", record.approve, AT, "a" * 129, True)
    assert (details["field"], details["length"], details["limit"]) == ("actor", 129, 128)
    details = refusal("TOO_LONG", record.cancel, ledger, AT, "ops", "r" * 1000)
    assert (details["field"], details["length"], details["limit"]) == ("reason", 1000, 128)
    assert record.status == "PENDING"
    record.cancel(ledger, AT, "o" * 128, "r" * 128)
    assert record.status == "CANCELLED"
