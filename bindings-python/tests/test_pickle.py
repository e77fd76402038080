"""Pickling and the rulebook's canonical JSON: ``Rulebook.to_json``, ``fingerprint``,
``pickle`` round trips (also into a ``spawn``ed worker process), and every ``RihlaError``.
"""

from __future__ import annotations

import json
import multiprocessing
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest

import rihla

REPO = Path(__file__).resolve().parents[2]
UMRAH_FAMILY = REPO / "examples" / "data" / "umrah_family.json"
DEFAULT_RULEBOOK = REPO / "pricing" / "data" / "default_rulebook.json"


@pytest.fixture(scope="module")
def family() -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(UMRAH_FAMILY.read_text())
    return data


def test_the_fingerprint_is_the_sha256_of_the_canonical_json() -> None:
    import hashlib

    rulebook = rihla.Rulebook.default()
    text = rulebook.to_json()
    assert re.fullmatch(r"[0-9a-f]{64}", rulebook.fingerprint)
    assert hashlib.sha256(text.encode()).hexdigest() == rulebook.fingerprint
    again = rihla.Rulebook.from_json(text)
    assert again.to_json() == text
    assert again == rulebook and hash(again) == hash(rulebook)


def test_whitespace_and_key_order_do_not_change_the_fingerprint() -> None:
    doc = json.loads(DEFAULT_RULEBOOK.read_text())
    shuffled = json.dumps(dict(reversed(list(doc.items()))), indent=4)
    assert rihla.Rulebook.from_json(shuffled).fingerprint == rihla.Rulebook.default().fingerprint


def test_a_changed_rule_changes_the_fingerprint_under_the_same_version() -> None:
    doc = json.loads(DEFAULT_RULEBOOK.read_text())
    changed = json.loads(DEFAULT_RULEBOOK.read_text())
    changed["taxes"] = changed["taxes"][1:]
    a, b = rihla.Rulebook.from_dict(doc), rihla.Rulebook.from_dict(changed)
    assert a.version == b.version
    assert a.fingerprint != b.fingerprint
    assert a != b
    assert a != "not a rulebook"


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_a_rulebook_pickles(protocol: int, family: Dict[str, Any]) -> None:
    rulebook = rihla.Rulebook.default()
    back = pickle.loads(pickle.dumps(rulebook, protocol=protocol))
    assert isinstance(back, rihla.Rulebook)
    assert back == rulebook
    assert back.version == rulebook.version
    assert back.quote(family) == rulebook.quote(family)


def test_a_pickle_whose_json_does_not_give_its_fingerprint_is_refused() -> None:
    rulebook = rihla.Rulebook.default()
    _, (text, fingerprint) = rulebook.__reduce__()
    data = pickle.dumps(rulebook).replace(fingerprint.encode(), b"0" * 64)
    with pytest.raises(rihla.InvalidInputError) as info:
        pickle.loads(data)
    err = info.value
    assert err.code == "INVALID_RULEBOOK"
    assert err.details["field"] == "fingerprint"
    assert fingerprint in err.details["reason"]
    assert text == rulebook.to_json()


def quote_in_worker(rulebook: rihla.Rulebook, request: Dict[str, Any]) -> Any:
    """Runs in a spawned process: the rulebook arrived by pickle."""
    return rulebook.fingerprint, rulebook.quote(request)


def test_a_rulebook_crosses_to_a_spawned_process(family: Dict[str, Any]) -> None:
    rulebook = rihla.Rulebook.default()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        fingerprint, quote = pool.submit(quote_in_worker, rulebook, family).result(timeout=120)
    assert fingerprint == rulebook.fingerprint
    assert quote == rulebook.quote(family)
    assert isinstance(quote, rihla.Quote) and isinstance(quote.final_amount, Decimal)


def raised(fn: Any, *args: Any) -> rihla.RihlaError:
    try:
        fn(*args)
    except rihla.RihlaError as err:
        return err
    raise AssertionError("no error raised")


def test_every_rihla_error_pickles() -> None:
    rulebook = rihla.Rulebook.default()
    def hotel(unit_price: str = "1", quantity: int = 1) -> Dict[str, Any]:
        return {"currency": "SAR", "now": "2026-11-22T09:00:00Z",
                "items": [{"id": "H", "category": "HOTEL", "quantity": quantity,
                           "unit_price": unit_price}]}

    huge = hotel(unit_price="1000000000000000", quantity=2)
    errors = [
        raised(rulebook.quote, dict(hotel(), currency="XXX")),
        raised(rulebook.quote, huge),
        raised(rihla.allocate, Decimal("10"), "SAR", [Decimal("-1")]),
        raised(rulebook.upgrade_price, {"from": "GOLD", "to": "SILVER",
                                        "subscription_start": "2026-01-01",
                                        "subscription_end": "2027-01-01",
                                        "now": "2026-06-01T00:00:00Z"}),
    ]
    internal = rihla.InternalError("INTERNAL: rihla defect")
    internal.code = "INTERNAL"
    internal.details = {"code": "INTERNAL", "message": "rihla defect", "reason": "x"}
    errors.append(internal)
    mismatch = rihla.CurrencyMismatchError("CURRENCY_MISMATCH: SAR and EGP")
    mismatch.code = "CURRENCY_MISMATCH"
    mismatch.details = {"code": "CURRENCY_MISMATCH", "message": "SAR and EGP",
                        "left": "SAR", "right": "EGP"}
    errors.append(mismatch)
    kinds = {type(e).__name__ for e in errors}
    assert kinds == {"InvalidInputError", "ArithmeticOverflowError", "InternalError",
                     "CurrencyMismatchError"}
    for err in errors:
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err)
        assert (back.code, back.details, str(back)) == (err.code, err.details, str(err))
        assert isinstance(back, rihla.RihlaError)


# --- the ledger and its companions ------------------------------------------------------

UTC_AT = "2026-11-22T09:00:00Z"


def busy_ledger() -> rihla.Ledger:
    """Accounts, a deposit, a hold posted without its amount, a hold voided, a linked
    chain, a failure and a closed account."""
    ledger = rihla.Ledger()
    ledger.create_accounts([
        {"id": 1, "unit": "SAR", "normal": "DEBIT", "code": "BANK"},
        {"id": 1001, "unit": "SAR", "must_not_go_negative": True, "code": "WALLET"},
        {"id": 2001, "unit": "SAR", "code": "MERCHANT"},
        {"id": 3001, "unit": "SAR", "code": "OLD"},
    ])

    def t(id_: int, debit: int, credit: int, amount: str, **extra: Any) -> Dict[str, Any]:
        return {"id": id_, "debit_account_id": debit, "credit_account_id": credit,
                "amount": Decimal(amount), "unit": "SAR", "code": "PAYMENT", "at": UTC_AT,
                **extra}

    ledger.apply([
        t(1, 1, 1001, "5000.00"),
        t(2, 1001, 2001, "1000.00", flags={"pending": True}),
        t(3, 1001, 2001, "500.00", flags={"pending": True}),
        {"id": 4, "pending_id": 2, "flags": {"post_pending": True}, "at": UTC_AT},
        {"id": 5, "pending_id": 3, "flags": {"void_pending": True}, "at": UTC_AT},
        t(6, 1001, 2001, "10.00", flags={"linked": True}),
        t(7, 2001, 3001, "10.00"),
        t(8, 1001, 2001, "99999.00"),
    ])
    assert ledger.close_account(3001)
    return ledger


def same_ledger(a: rihla.Ledger, b: rihla.Ledger) -> None:
    assert (a.last_hash(), a.accounts(), a.journal_jsonl(), len(a)) == (
        b.last_hash(), b.accounts(), b.journal_jsonl(), len(b))


def test_a_ledger_pickles_and_is_checked_by_its_journal_hash() -> None:
    ledger = busy_ledger()
    assert len(ledger) == 7
    back = pickle.loads(pickle.dumps(ledger))
    assert isinstance(back, rihla.Ledger)
    same_ledger(back, ledger)
    # Retries answer as in the original: the post as given, the sticky failure.
    retry = [{"id": 4, "pending_id": 2, "flags": {"post_pending": True}, "at": UTC_AT},
             {"id": 8, "debit_account_id": 1001, "credit_account_id": 2001,
              "amount": Decimal("99999.00"), "unit": "SAR", "code": "PAYMENT", "at": UTC_AT}]
    assert back.apply(retry) == ledger.apply(retry)
    assert rihla.Ledger.from_snapshot(ledger.snapshot()).last_hash() == ledger.last_hash()


def test_an_edited_snapshot_is_refused() -> None:
    snapshot = json.loads(busy_ledger().snapshot())
    snapshot["transfers"][0]["amount"] = "400000"
    with pytest.raises(rihla.InvalidInputError) as info:
        rihla.Ledger.from_snapshot(json.dumps(snapshot))
    assert info.value.code == "HASH_MISMATCH"
    assert info.value.details["replayed"] != info.value.details["expected"]
    snapshot["transfers"][0]["amount"] = "1"
    with pytest.raises(rihla.InvalidInputError) as info:
        rihla.Ledger.from_snapshot(json.dumps(snapshot))
    # The deposit is now 0.01: the first hold (1000.00) cannot be created again.
    assert info.value.code == "REPLAY_FAILED" and info.value.details["index"] == 1
    for broken, code in ((b"{", "INVALID_JSON"), (b'{"format": 1}', "INVALID_REQUEST"),
                         (b'{"format": 9, "accounts": [], "transfers": [], "failed": [],'
                          b' "last_hash": ""}', "UNKNOWN_FORMAT")):
        with pytest.raises(rihla.InvalidInputError) as info:
            rihla.Ledger.from_snapshot(broken)
        assert info.value.code == code


def ledger_in_worker(ledger: rihla.Ledger) -> Tuple[str, int]:
    return ledger.last_hash(), len(ledger)


def test_a_ledger_crosses_to_a_spawned_process() -> None:
    ledger = busy_ledger()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        assert pool.submit(ledger_in_worker, ledger).result(timeout=120) == (
            ledger.last_hash(), len(ledger))


def test_points_books_cashback_records_and_refunds_pickle() -> None:
    ledger = busy_ledger()
    book = rihla.PointsBook("POINTS")
    back = pickle.loads(pickle.dumps(book))
    assert isinstance(back, rihla.PointsBook) and back.to_dict() == book.to_dict()
    refunds = rihla.Refunds()
    request = {"id": 90, "payment_id": 6, "amount": Decimal("5.00"), "at": UTC_AT}
    assert refunds.refund(ledger, request)["outcome"]["status"] == "CREATED"
    back_ledger, back_refunds = pickle.loads(pickle.dumps((ledger, refunds)))
    assert isinstance(back_refunds, rihla.Refunds)
    assert back_refunds.receipts() == refunds.receipts() and len(refunds.receipts()) == 1
    assert back_refunds.refund(back_ledger, request)["outcome"]["status"] == "EXISTS"
