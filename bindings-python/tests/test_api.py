"""The Python API of rihla: Decimal in and out, strict input, the exception tree."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil
import subprocess
import threading
import types
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional

import pytest

import rihla
from rihla import _rihla

REPO = Path(__file__).resolve().parents[2]
UMRAH_FAMILY = REPO / "examples" / "data" / "umrah_family.json"
DEFAULT_RULEBOOK = REPO / "pricing" / "data" / "default_rulebook.json"

UTC = dt.timezone.utc


def hotel_request(**item: Any) -> Dict[str, Any]:
    line: Dict[str, Any] = {
        "id": "HTL-1",
        "category": "HOTEL",
        "quantity": 2,
        "unit_price": "650.00",
    }
    line.update(item)
    return {"currency": "SAR", "now": "2026-11-22T09:00:00Z", "items": [line]}


@pytest.fixture(scope="module")
def rulebook() -> rihla.Rulebook:
    return rihla.Rulebook.default()


def raises_code(code: str, fn: Any, *args: Any) -> rihla.RihlaError:
    with pytest.raises(rihla.RihlaError) as info:
        fn(*args)
    err = info.value
    assert err.code == code, f"expected {code}, got {err.code}: {err.details}"
    assert isinstance(err.details, dict)
    assert err.details["code"] == code
    assert isinstance(err.details["message"], str) and err.details["message"]
    assert str(err).startswith(f"{code}: ")
    return err


def walk_values(obj: Any) -> Iterator[Any]:
    yield obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            assert isinstance(k, str)
            yield from walk_values(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk_values(v)


# --- output: a typed Quote, amounts as Decimal; to_dict() plain data -------------------


def test_quote_amounts_are_decimal(rulebook: rihla.Rulebook) -> None:
    quote = rulebook.quote(hotel_request())
    assert type(quote) is rihla.Quote
    for amount in (quote.base_amount, quote.final_amount):
        assert type(amount) is Decimal
    assert quote.base_amount == Decimal("1300.00")
    assert format(quote.base_amount, "f") == "1300.00"
    allowed = (dict, list, str, int, bool, type(None), Decimal)
    for value in walk_values(quote.to_dict()):
        assert isinstance(value, allowed), f"unexpected {type(value).__name__}: {value!r}"
        assert not isinstance(value, float)


def test_quote_invariant_holds_in_decimal(rulebook: rihla.Rulebook) -> None:
    q = rulebook.quote(hotel_request())
    expected = (
        q.base_amount - q.discount_amount - q.voucher_discount + q.fee_amount + q.tax_amount
    )
    assert q.final_amount == expected


def test_dict_and_json_text_and_bytes_agree(rulebook: rihla.Rulebook) -> None:
    req = hotel_request()
    from_dict = rulebook.quote(req)
    assert rulebook.quote(json.dumps(req)) == from_dict
    assert rulebook.quote(json.dumps(req).encode()) == from_dict
    assert rulebook.quote(bytearray(json.dumps(req).encode())) == from_dict
    assert rulebook.quote(types.MappingProxyType(req)) == from_dict


def test_decimal_and_datetime_inputs_equal_their_text(rulebook: rihla.Rulebook) -> None:
    text_quote = rulebook.quote(hotel_request())
    req = hotel_request(unit_price=Decimal("650.00"))
    req["now"] = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert rulebook.quote(req) == text_quote
    req["items"] = tuple(req["items"])
    assert rulebook.quote(req) == text_quote


def test_request_is_not_mutated(rulebook: rihla.Rulebook) -> None:
    req = hotel_request(unit_price=Decimal("650.00"))
    before = copy.deepcopy(req)
    rulebook.quote(req)
    assert req == before


def test_quote_from_many_threads(rulebook: rihla.Rulebook) -> None:
    expected = rulebook.quote(hotel_request())
    results: List[Any] = []

    def work() -> None:
        for _ in range(50):
            results.append(rulebook.quote(hotel_request()))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200
    assert all(r == expected for r in results)


# --- the strict input walker -----------------------------------------------------------


def walked(obj: Any) -> Any:
    return json.loads(_rihla._to_json(obj))


def test_walker_maps_json_types() -> None:
    doc = {"s": "x", "i": -3, "u": 2**64 - 1, "b": True, "n": None, "l": [1, (2, 3)], "f": 1.5}
    assert walked(doc) == {
        "s": "x", "i": -3, "u": 2**64 - 1, "b": True, "n": None, "l": [1, [2, 3]], "f": 1.5,
    }


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("1234.50"), "1234.50"),
        (Decimal("-0"), "0"),
        (Decimal("-0.00"), "0.00"),
        (Decimal("1E+2"), "100"),
        (Decimal("1.5E-7"), "0.00000015"),
        (Decimal("0.0000000000000000000000000001"), "0.0000000000000000000000000001"),
        (Decimal("79228162514264337593543950335"), "79228162514264337593543950335"),
    ],
)
def test_walker_writes_decimals_exactly(value: Decimal, text: str) -> None:
    assert walked({"a": value}) == {"a": text}


@pytest.mark.parametrize(
    "value",
    [
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        Decimal("1e30"),
        Decimal("1e999999999"),
        Decimal("1e-999999999"),
        Decimal("79228162514264337593543950336"),
        Decimal("0.00000000000000000000000000001"),
        float("nan"),
        float("inf"),
    ],
)
def test_walker_refuses_bad_amounts(value: Any) -> None:
    err = raises_code("INVALID_AMOUNT", _rihla._to_json, {"items": [{"unit_price": value}]})
    assert err.details["field"] == "items[0].unit_price"
    assert isinstance(err, rihla.InvalidInputError) and isinstance(err, ValueError)


def test_walker_datetimes() -> None:
    # The datetime's own offset is kept (same instant; local-time fields such as a charter
    # leg's departure keep their local date); UTC is written with Z.
    riyadh = dt.timezone(dt.timedelta(hours=3))
    assert walked([dt.datetime(2026, 11, 22, 12, 0, tzinfo=riyadh)]) == [
        "2026-11-22T12:00:00+03:00"
    ]
    assert walked([dt.datetime(2026, 11, 22, 1, 0, tzinfo=riyadh)]) == [
        "2026-11-22T01:00:00+03:00"
    ]
    new_york = dt.timezone(dt.timedelta(hours=-5))
    assert walked([dt.datetime(2026, 12, 9, 23, 30, tzinfo=new_york)]) == [
        "2026-12-09T23:30:00-05:00"
    ]
    kathmandu = dt.timezone(dt.timedelta(hours=5, minutes=45))
    assert walked([dt.datetime(2026, 1, 1, 0, 0, tzinfo=kathmandu)]) == [
        "2026-01-01T00:00:00+05:45"
    ]
    assert walked([dt.datetime(2026, 1, 1, 0, 0, 0, 250000, tzinfo=UTC)]) == [
        "2026-01-01T00:00:00.250Z"
    ]
    assert walked([dt.datetime(2026, 1, 1, 0, 0, 0, 250000, tzinfo=riyadh)]) == [
        "2026-01-01T00:00:00.250+03:00"
    ]
    assert walked([dt.date(2026, 3, 1)]) == ["2026-03-01"]
    # RFC 3339 offsets are whole minutes: any other offset is written in UTC (same instant).
    odd = dt.timezone(dt.timedelta(minutes=2, seconds=5))
    assert walked([dt.datetime(2026, 1, 1, 0, 0, tzinfo=odd)]) == ["2025-12-31T23:57:55Z"]
    try:
        from zoneinfo import ZoneInfo
    except ImportError:  # Python 3.8 has no zoneinfo; rihla needs 3.9 anyway
        return
    cairo = dt.datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Africa/Cairo"))
    # The offset is whatever the installed tz database gives for that date.
    assert walked([cairo]) == [cairo.isoformat()]
    assert walked([dt.datetime(2026, 7, 1, tzinfo=ZoneInfo("UTC"))]) == ["2026-07-01T00:00:00Z"]
    # Any spelling of an instant in an instant (UTC) field gives the same quote.
    rb = rihla.Rulebook.default()
    at_utc = dict(hotel_request(), now=dt.datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    at_riyadh = dict(hotel_request(), now=dt.datetime(2026, 11, 22, 12, 0, tzinfo=riyadh))
    assert rb.quote(at_utc) == rb.quote(at_riyadh) == rb.quote(hotel_request())


def test_walker_refuses_naive_datetime() -> None:
    err = raises_code("INVALID_REQUEST", _rihla._to_json, {"now": dt.datetime(2026, 1, 1)})
    assert err.details["field"] == "now"


@pytest.mark.parametrize(
    "doc, field",
    [
        ({"a": {1: "x"}}, "a"),
        ({"a": [object()]}, "a[0]"),
        ({"a": {"b": {1, 2}}}, "a.b"),
        ({"a": b"bytes"}, "a"),
        ({"a": 2**2000}, "a"),
        ({"a": "\ud800"}, "a"),
    ],
)
def test_walker_refuses_other_types(doc: Any, field: str) -> None:
    err = raises_code("INVALID_REQUEST", _rihla._to_json, doc)
    assert err.details["field"] == field


def test_walker_limits() -> None:
    deep: Dict[str, Any] = {}
    cur = deep
    for _ in range(100):
        cur["a"] = {}
        cur = cur["a"]
    raises_code("LIMIT_EXCEEDED", _rihla._to_json, deep)
    cyclic: List[Any] = []
    cyclic.append(cyclic)
    raises_code("LIMIT_EXCEEDED", _rihla._to_json, cyclic)
    # The walk stops where the document's JSON text would pass rihla's byte limit (1 MiB
    # for a request): a lower bound of one byte a value plus the bytes of the strings.
    raises_code("LIMIT_EXCEEDED", _rihla._to_json, [0] * (2**20 + 1))
    raises_code("LIMIT_EXCEEDED", _rihla._to_json, {"a": "x" * 2**20})
    raises_code("LIMIT_EXCEEDED", _rihla._to_json, {"x" * 2**20: 1})
    assert len(_rihla._to_json([0] * 2**18)) == 2**19 + 1


def test_limits_agree_with_the_json_path(rulebook: rihla.Rulebook) -> None:
    big = hotel_request(description="x" * 2**20)
    raises_code("LIMIT_EXCEEDED", rulebook.quote, big)
    raises_code("LIMIT_EXCEEDED", rulebook.quote, json.dumps(big))


def test_walker_survives_a_dict_mutated_during_the_walk() -> None:
    doc: Dict[str, Any] = {}

    class Meddling(dt.tzinfo):
        def utcoffset(self, _: Optional[dt.datetime]) -> dt.timedelta:
            doc.update({f"k{i}": i for i in range(100)})
            return dt.timedelta(0)

        def dst(self, _: Optional[dt.datetime]) -> dt.timedelta:
            return dt.timedelta(0)

        def tzname(self, _: Optional[dt.datetime]) -> str:
            return "MEDDLING"

    doc["now"] = dt.datetime(2026, 1, 1, tzinfo=Meddling())
    doc["x"] = 1
    assert walked(doc) == {"now": "2026-01-01T00:00:00Z", "x": 1}


def test_walker_accepts_custom_mappings() -> None:
    class Frozen(Mapping[str, Any]):
        def __init__(self, data: Dict[str, Any]) -> None:
            self._data = data

        def __getitem__(self, key: str) -> Any:
            return self._data[key]

        def __iter__(self) -> Iterator[str]:
            return iter(self._data)

        def __len__(self) -> int:
            return len(self._data)

    assert walked(Frozen({"a": Frozen({"b": Decimal("1.0")})})) == {"a": {"b": "1.0"}}


# --- bad input never crashes: the right class and code ---------------------------------


def test_malformed_json(rulebook: rihla.Rulebook) -> None:
    err = raises_code("INVALID_JSON", rulebook.quote, '{"currency": ')
    assert isinstance(err, rihla.InvalidInputError)
    raises_code("INVALID_JSON", rulebook.quote, b"\xff\xfe")
    raises_code("INVALID_JSON", rihla.Rulebook.from_json, "not json")
    raises_code("INVALID_JSON", rihla.Rulebook.from_json, {"version": "dict, not text"})


def test_float_amount(rulebook: rihla.Rulebook) -> None:
    err = raises_code("INVALID_AMOUNT", rulebook.quote, hotel_request(unit_price=650.0))
    assert isinstance(err, rihla.InvalidInputError)
    assert isinstance(err, ValueError)
    assert err.details["field"] == "items[0].unit_price"
    # An int is refused in an amount field too, exactly as a JSON number is.
    raises_code("INVALID_AMOUNT", rulebook.quote, hotel_request(unit_price=650))


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("1e30")])
def test_bad_decimal_amount(rulebook: rihla.Rulebook, value: Decimal) -> None:
    err = raises_code("INVALID_AMOUNT", rulebook.quote, hotel_request(unit_price=value))
    assert err.details["field"] == "items[0].unit_price"


@pytest.mark.parametrize("quantity", [2**63, 2**64, 2**70, -1, 1.5])
def test_huge_or_odd_quantity(rulebook: rihla.Rulebook, quantity: Any) -> None:
    with pytest.raises(rihla.InvalidInputError) as info:
        rulebook.quote(hotel_request(quantity=quantity))
    assert info.value.code in {"INVALID_REQUEST", "LIMIT_EXCEEDED"}
    assert "items[0].quantity" in str(info.value.details)


def test_unknown_currency(rulebook: rihla.Rulebook) -> None:
    req = hotel_request()
    req["currency"] = "XYZ"
    raises_code("UNKNOWN_CURRENCY", rulebook.quote, req)


def test_overflow_is_an_arithmetic_error(rulebook: rihla.Rulebook) -> None:
    req = hotel_request(unit_price="79228162514264337593543950335", quantity=2)
    err = raises_code("OVERFLOW", rulebook.quote, req)
    assert isinstance(err, rihla.ArithmeticOverflowError)
    assert isinstance(err, ArithmeticError) and not isinstance(err, ValueError)


def test_naive_now(rulebook: rihla.Rulebook) -> None:
    req = hotel_request()
    req["now"] = dt.datetime(2026, 11, 22, 9, 0)
    err = raises_code("INVALID_REQUEST", rulebook.quote, req)
    assert err.details["field"] == "now"


def test_invalid_rulebooks() -> None:
    with pytest.raises(rihla.InvalidInputError) as info:
        rihla.Rulebook.from_dict({"version": 1.5})
    assert info.value.code in {"INVALID_RULEBOOK", "INVALID_AMOUNT"}
    err = raises_code("INVALID_RULEBOOK", rihla.Rulebook.from_dict, {"version": object()})
    assert err.details["field"] == "version"
    raises_code("INVALID_RULEBOOK", rihla.Rulebook.from_dict, {"v": dt.datetime(2026, 1, 1)})


# --- rulebooks ---------------------------------------------------------------------------


def test_rulebook_loading_paths_agree() -> None:
    default = rihla.Rulebook.default()
    assert isinstance(default.version, str) and default.version
    if not DEFAULT_RULEBOOK.is_file():
        pytest.skip("pricing/data/default_rulebook.json not written yet")
    text = DEFAULT_RULEBOOK.read_text(encoding="utf-8")
    from_text = rihla.Rulebook.from_json(text)
    from_dict = rihla.Rulebook.from_dict(json.loads(text))
    from_file = rihla.Rulebook.from_file(DEFAULT_RULEBOOK)
    req = hotel_request()
    quotes = [rb.quote(req) for rb in (default, from_text, from_dict, from_file)]
    assert all(q == quotes[0] for q in quotes)
    assert from_dict.version == default.version
    assert repr(default) == f"<rihla.Rulebook version={default.version!r}>"


def test_rulebook_is_immutable_and_not_constructible() -> None:
    rb = rihla.Rulebook.default()
    with pytest.raises(TypeError):
        rihla.Rulebook()
    with pytest.raises(AttributeError):
        rb.version = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        rb._core = None  # type: ignore[assignment]


# --- allocate ----------------------------------------------------------------------------


def test_allocate_largest_remainder() -> None:
    parts = rihla.allocate(Decimal("10.00"), "SAR", [Decimal(1)] * 3)
    assert parts == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]
    assert all(type(p) is Decimal for p in parts)
    assert [format(p, "f") for p in parts] == ["3.34", "3.33", "3.33"]


def test_allocate_refund_mirrors_charge() -> None:
    weights = [Decimal("2"), Decimal("1"), Decimal("0")]
    charge = rihla.allocate(Decimal("100.000"), "KWD", weights)
    refund = rihla.allocate(Decimal("-100.000"), "KWD", weights)
    assert refund == [-p for p in charge]
    assert sum(charge) == Decimal("100.000")
    assert charge[2] == 0 and format(charge[2], "f") == "0.000"


def test_allocate_accepts_ints_and_iterables() -> None:
    assert rihla.allocate(10, "JPY", iter([1, 1, 1])) == [Decimal(4), Decimal(3), Decimal(3)]
    assert rihla.allocate(Decimal("10.00"), "SAR", (1, 1)) == [Decimal("5.00"), Decimal("5.00")]


@pytest.mark.parametrize(
    "args, code, field",
    [
        ((10.0, "SAR", [Decimal(1)]), "INVALID_AMOUNT", "amount"),
        (("10.00", "SAR", [Decimal(1)]), "INVALID_AMOUNT", "amount"),
        ((Decimal("NaN"), "SAR", [Decimal(1)]), "INVALID_AMOUNT", "amount"),
        ((Decimal("1e30"), "SAR", [Decimal(1)]), "INVALID_AMOUNT", "amount"),
        ((Decimal("10.00"), "SAR", [Decimal(1), 0.5]), "INVALID_AMOUNT", "weights[1]"),
        ((Decimal("10.00"), "SAR", "11"), "INVALID_WEIGHTS", "weights"),
        ((Decimal("10.00"), "SAR", 5), "INVALID_WEIGHTS", "weights"),
        ((Decimal("10.00"), 840, [1]), "INVALID_REQUEST", "currency"),
    ],
)
def test_allocate_refuses_bad_input(args: Any, code: str, field: str) -> None:
    err = raises_code(code, rihla.allocate, *args)
    assert err.details["field"] == field
    assert isinstance(err, ValueError)


def test_allocate_core_errors() -> None:
    raises_code("UNKNOWN_CURRENCY", rihla.allocate, Decimal("1"), "XYZ", [1])
    with pytest.raises(rihla.InvalidInputError):
        rihla.allocate(Decimal("10.00"), "SAR", [])
    with pytest.raises(rihla.InvalidInputError):
        rihla.allocate(Decimal("10.00"), "SAR", [Decimal(-1), Decimal(2)])
    with pytest.raises(rihla.InvalidInputError):
        rihla.allocate(Decimal("10.001"), "SAR", [1])


# --- exceptions --------------------------------------------------------------------------


def test_exception_tree() -> None:
    for name in ("RihlaError", "InvalidInputError", "CurrencyMismatchError",
                 "ArithmeticOverflowError"):
        cls = getattr(rihla, name)
        assert cls is getattr(_rihla, name)
        assert cls.__module__ == "rihla"
        assert cls.__name__ == name
        assert issubclass(cls, rihla.RihlaError)
    assert issubclass(rihla.RihlaError, Exception)
    assert not issubclass(rihla.RihlaError, ValueError)
    assert issubclass(rihla.InvalidInputError, ValueError)
    assert issubclass(rihla.CurrencyMismatchError, ValueError)
    assert issubclass(rihla.ArithmeticOverflowError, ArithmeticError)


def test_public_names() -> None:
    assert set(rihla.__all__) >= {"Rulebook", "allocate", "RihlaError", "InvalidInputError"}
    assert isinstance(rihla.__version__, str)
    for name in rihla.__all__:
        getattr(rihla, name)


# --- the README's main job, against the Rust example ------------------------------------


def test_umrah_family_matches_rust_example() -> None:
    if not UMRAH_FAMILY.is_file():
        pytest.skip("examples/data/umrah_family.json not written yet")
    request = json.loads(UMRAH_FAMILY.read_text(encoding="utf-8"))
    quote = rihla.Rulebook.default().quote(request)
    assert type(quote.final_amount) is Decimal
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo is not on PATH")
    run = subprocess.run(
        [cargo, "run", "--quiet", "--example", "quote", "--", "--json", str(UMRAH_FAMILY)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rust = json.loads(run.stdout)
    assert format(quote.final_amount, "f") == rust["final_amount"]
    # The whole quote agrees, with every Decimal written as rihla writes it.
    assert to_json_shape(quote.to_dict()) == rust
    assert json.loads(quote.to_json()) == rust


def to_json_shape(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, dict):
        return {k: to_json_shape(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_json_shape(v) for v in obj]
    return obj


def test_json_default_writes_amounts_and_instants_as_strings(rulebook: rihla.Rulebook) -> None:
    quote = rulebook.quote(json.loads(UMRAH_FAMILY.read_text()))
    text = json.dumps(quote, default=rihla.json_default)
    back = json.loads(text)
    assert back["final_amount"] == str(quote.final_amount)
    assert json.loads(rulebook.quote_json(UMRAH_FAMILY.read_bytes())) == back
    # A result inside a host's own document is written through its to_dict().
    wrapped = json.loads(json.dumps({"quote": quote, "lines": quote.lines},
                                    default=rihla.json_default))
    assert wrapped["quote"] == back and wrapped["lines"] == back["lines"]
    when = dt.datetime(2026, 11, 22, 9, tzinfo=UTC)
    assert json.loads(json.dumps({"at": when, "on": when.date(), "x": Decimal("1E+2")},
                                 default=rihla.json_default)) == {
        "at": "2026-11-22T09:00:00+00:00", "on": "2026-11-22", "x": "100"}
    for bad in (1.5j, object(), Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(TypeError):
            json.dumps({"v": bad}, default=rihla.json_default)


def test_the_namespace_is_the_public_api() -> None:
    """Nothing but ``__all__`` (and the private modules) is exported: no ``rihla.os``,
    ``rihla.Any`` or ``rihla.Decimal``."""
    for leaked in ("os", "uuid", "Any", "Union", "Decimal", "Mapping", "annotations"):
        assert not hasattr(rihla, leaked), leaked
    assert set(dir(rihla)) == set(rihla.__all__)
    assert all(hasattr(rihla, name) for name in rihla.__all__)
    assert rihla.Rulebook.__module__ == "rihla" and rihla.Ledger.__module__ == "rihla"


def test_import_rihla_loads_neither_typing_nor_uuid() -> None:
    """``import rihla`` stays small: typing, uuid and decimal load on first use."""
    import sys

    code = ("import sys; import rihla; "
            "print(sorted(m for m in ('typing', 'uuid', 'decimal') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.stdout.strip() == "[]", out.stdout
