"""Batch and JSON fast paths: ``quote_json``, ``quote_many``, ``quote_many_json``.

Each must give exactly what ``quote`` gives for the same request (amounts as JSON strings
on the JSON paths), with a failed request's ``RihlaError`` in its place.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Sequence

import pytest

import rihla

REPO = Path(__file__).resolve().parents[2]
UMRAH_FAMILY = REPO / "examples" / "data" / "umrah_family.json"


def hotel(unit_price: Any = "650.00", quantity: Any = 2) -> Dict[str, Any]:
    return {
        "currency": "SAR",
        "now": "2026-11-22T09:00:00Z",
        "items": [{"id": "HTL-1", "category": "HOTEL", "quantity": quantity,
                   "unit_price": unit_price}],
    }


@pytest.fixture(scope="module")
def rulebook() -> rihla.Rulebook:
    return rihla.Rulebook.default()


@pytest.fixture(scope="module")
def family() -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(UMRAH_FAMILY.read_text())
    return data


def default_rulebook_requests() -> List[Any]:
    """Every quote request of the conformance vectors priced on the default rulebook,
    valid and invalid alike."""
    out: List[Any] = []
    for path in sorted((REPO / "vectors").glob("*.json")):
        for case in json.loads(path.read_text()).get("cases", []):
            inp = case.get("input")
            if case.get("op") == "quote" and isinstance(inp, dict) \
                    and inp.get("rulebook", "default") == "default" and "request" in inp:
                out.append(inp["request"])
    return out


def as_text(value: Any) -> Any:
    """A quote dict as its JSON shape: every Decimal as its exact text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value


def single(rulebook: rihla.Rulebook, request: Any) -> Any:
    """What ``quote`` gives: the quote, or the error it raises."""
    try:
        return rulebook.quote(request)
    except rihla.RihlaError as err:
        return err


def same(a: Any, b: Any) -> None:
    if isinstance(a, rihla.RihlaError):
        assert isinstance(b, rihla.RihlaError), f"{a.code} vs a result"
        assert (type(a), a.code, a.details) == (type(b), b.code, b.details)
    else:
        assert not isinstance(b, rihla.RihlaError), f"a result vs {b.code}: {b.details}"
        assert a == b


def test_quote_json_is_the_quote_as_json(rulebook: rihla.Rulebook,
                                         family: Dict[str, Any]) -> None:
    quote = rulebook.quote(family)
    body = rulebook.quote_json(json.dumps(family).encode())
    assert isinstance(body, bytes)
    assert body == quote.to_json()
    assert json.loads(body) == as_text(quote.to_dict())
    assert json.loads(body)["final_amount"] == str(quote.final_amount)
    # str and bytearray are JSON text too.
    assert rulebook.quote_json(json.dumps(family)) == body
    assert rulebook.quote_json(bytearray(json.dumps(family).encode())) == body


@pytest.mark.parametrize("request_", [{"currency": "SAR"}, None, 7, ["x"]])
def test_quote_json_takes_json_text_only(rulebook: rihla.Rulebook, request_: Any) -> None:
    with pytest.raises(rihla.InvalidInputError) as info:
        rulebook.quote_json(request_)
    assert info.value.code == "INVALID_REQUEST"
    assert info.value.details["field"] == "request"


def test_quote_json_raises_what_quote_raises(rulebook: rihla.Rulebook) -> None:
    with pytest.raises(rihla.InvalidInputError) as info:
        rulebook.quote_json(json.dumps(hotel(unit_price="-1")))
    assert info.value.code == "INVALID_AMOUNT"
    with pytest.raises(rihla.InvalidInputError) as info:
        rulebook.quote_json(b"{")
    assert info.value.code == "INVALID_JSON"
    too_big = b" " * (rihla.MAX_REQUEST_BYTES + 1)
    with pytest.raises(rihla.InvalidInputError) as info:
        rulebook.quote_json(too_big)
    assert info.value.code == "LIMIT_EXCEEDED"
    assert info.value.details["actual"] == rihla.MAX_REQUEST_BYTES + 1


def test_quote_many_equals_quote_request_by_request(rulebook: rihla.Rulebook) -> None:
    requests = default_rulebook_requests()
    assert len(requests) >= 20
    results = rulebook.quote_many(requests)
    assert len(results) == len(requests)
    errors = 0
    for request, result in zip(requests, results):
        same(single(rulebook, request), result)
        errors += isinstance(result, rihla.RihlaError)
    # The vectors hold both kinds: the batch keeps going past a failed request.
    assert 0 < errors < len(requests)


def test_quote_many_json_equals_quote_json(rulebook: rihla.Rulebook) -> None:
    requests = [json.dumps(r).encode() for r in default_rulebook_requests()]
    results = rulebook.quote_many_json(requests)
    assert len(results) == len(requests)
    for request, result in zip(requests, results):
        try:
            expected: Any = rulebook.quote_json(request)
        except rihla.RihlaError as err:
            expected = err
        if isinstance(expected, bytes):
            assert result == expected
        else:
            same(expected, result)


def test_failed_requests_stay_in_their_place(rulebook: rihla.Rulebook,
                                             family: Dict[str, Any]) -> None:
    batch: List[Any] = [
        family,
        hotel(unit_price=1.5),            # a float amount
        json.dumps(hotel()),              # JSON text is a request too
        hotel(unit_price="10", quantity=0),
        "{",
    ]
    results = rulebook.quote_many(batch)
    assert [type(r).__name__ for r in results] == [
        "Quote", "InvalidInputError", "Quote", "InvalidInputError", "InvalidInputError"]
    first, float_amount, text, zero, broken = results
    assert isinstance(first, rihla.Quote) and first == rulebook.quote(family)
    assert isinstance(float_amount, rihla.RihlaError)
    assert float_amount.code == "INVALID_AMOUNT"
    assert isinstance(text, rihla.Quote) and text.base_amount == Decimal("1300.00")
    assert isinstance(zero, rihla.RihlaError) and zero.code == "INVALID_REQUEST"
    assert isinstance(broken, rihla.RihlaError) and broken.code == "INVALID_JSON"


def test_quote_many_json_names_a_request_that_is_not_text(rulebook: rihla.Rulebook) -> None:
    batch: List[Any] = [json.dumps(hotel()), hotel(), b"{"]
    results = rulebook.quote_many_json(batch)
    ok, not_text, broken = results
    assert isinstance(ok, bytes)
    assert json.loads(ok)["base_amount"] == "1300.00"
    assert isinstance(not_text, rihla.RihlaError)
    assert (not_text.code, not_text.details["field"]) == ("INVALID_REQUEST", "requests[1]")
    assert isinstance(broken, rihla.RihlaError) and broken.code == "INVALID_JSON"


def test_an_empty_batch_is_an_empty_list(rulebook: rihla.Rulebook) -> None:
    assert rulebook.quote_many([]) == []
    assert rulebook.quote_many_json(()) == []


@pytest.mark.parametrize("requests", ["[]", b"[]", {"items": []}, 7, None, iter([])])
def test_a_batch_must_be_a_list(rulebook: rihla.Rulebook, requests: Any) -> None:
    for call in (rulebook.quote_many, rulebook.quote_many_json):
        with pytest.raises(rihla.InvalidInputError) as info:
            call(requests)
        assert (info.value.code, info.value.details["field"]) == ("INVALID_REQUEST", "requests")


class Huge(Sequence[Any]):
    """A sequence that claims more items than the limit and refuses to be read."""

    def __len__(self) -> int:
        return rihla.MAX_BATCH_REQUESTS + 1

    def __getitem__(self, index: Any) -> Any:
        raise AssertionError("read before its length was checked")


def test_a_batch_over_the_limit_is_refused_before_it_is_read(
        rulebook: rihla.Rulebook) -> None:
    assert rihla.MAX_BATCH_REQUESTS == 10_000
    for call in (rulebook.quote_many, rulebook.quote_many_json):
        with pytest.raises(rihla.InvalidInputError) as info:
            call(Huge())
        err = info.value
        assert err.code == "LIMIT_EXCEEDED"
        assert (err.details["field"], err.details["limit"], err.details["actual"]) == (
            "requests", rihla.MAX_BATCH_REQUESTS, rihla.MAX_BATCH_REQUESTS + 1)


def test_a_full_batch_is_priced(rulebook: rihla.Rulebook) -> None:
    batch = [json.dumps(hotel(unit_price=f"{i}.00")).encode()
             for i in range(1, rihla.MAX_BATCH_REQUESTS + 1)]
    results = rulebook.quote_many_json(batch)
    assert len(results) == rihla.MAX_BATCH_REQUESTS
    last = results[-1]
    assert isinstance(last, bytes)
    assert json.loads(last)["base_amount"] == "20000.00"
