"""Result objects: typed fields, built on read, equal by value, to_dict / to_json, pickling;
and a host's code type-checked against them with ``mypy --strict``."""

from __future__ import annotations

import datetime as dt
import enum
import json
import pickle
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import rihla

REPO = Path(__file__).resolve().parents[2]
UMRAH_FAMILY = REPO / "examples" / "data" / "umrah_family.json"


@pytest.fixture(scope="module")
def rulebook() -> rihla.Rulebook:
    return rihla.Rulebook.default()


@pytest.fixture(scope="module")
def quote(rulebook: rihla.Rulebook) -> rihla.Quote:
    return rulebook.quote(json.loads(UMRAH_FAMILY.read_text()))


def vector_results() -> Iterator[Tuple[str, rihla.Result]]:
    """Every result the conformance vectors' rulebook ops give (errors left out)."""
    ops: Dict[str, Any] = {
        "quote": lambda r, i: r.quote(i["request"]),
        "check_voucher": lambda r, i: r.check_voucher(i["request"], i["code"]),
        "check_entitlement": lambda r, i: r.check_entitlement(i["request"]),
        "upgrade_price": lambda r, i: r.upgrade_price(i["request"]),
        "referral_rewards": lambda r, i: r.referral_rewards(i["request"]),
        "charter_availability": lambda r, i: r.charter_availability(i["itinerary"]),
    }
    for path in sorted((REPO / "vectors").glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            run = ops.get(case.get("op"))
            if run is None or case.get("features"):
                continue
            spec = case["input"].get("rulebook")
            try:
                rulebook = (rihla.Rulebook.default() if spec in (None, "default")
                            else rihla.Rulebook.from_dict(spec))
                yield f"{path.stem}/{case['id']}", run(rulebook, case["input"])
            except rihla.RihlaError:
                continue


def declared(cls: type) -> Dict[str, Any]:
    """The fields a result class declares (its own annotations and its bases')."""
    out: Dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        out.update(base.__dict__.get("__annotations__", {}))
    return out


def records(value: Any) -> Iterator[rihla.Result]:
    if isinstance(value, rihla.Result):
        yield value
        for name in value._fields():
            yield from records(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from records(item)


RESULTS = list(vector_results())


def test_the_vectors_give_results() -> None:
    assert len(RESULTS) > 120
    kinds = {type(r).__name__ for _, r in RESULTS}
    assert {"Quote", "VoucherCheck", "EntitlementCheck", "UpgradeQuote", "ReferralOutcome",
            "AvailabilityReport"} <= kinds


@pytest.mark.parametrize("case, result", RESULTS, ids=[c for c, _ in RESULTS])
def test_every_field_is_declared_and_typed(case: str, result: rihla.Result) -> None:
    """Each record has its own class, declares every field it holds, and each enum field
    holds a member of its enum (a code the class does not know would fail here)."""
    enums = {name: cls for name, cls in vars(rihla._results).items()
             if isinstance(cls, type) and issubclass(cls, enum.Enum)}
    for record in records(result):
        cls = type(record)
        assert cls is not rihla.Result, f"{record._type_name()} has no class"
        fields = declared(cls)
        for name in record._fields():
            value = getattr(record, name)
            if name == "from":
                continue  # a Python keyword: read as `from_`
            assert name in fields, f"{cls.__name__}.{name} is not declared"
            kind = str(fields[name])
            for enum_name, enum_cls in enums.items():
                if kind in (enum_name, f"Optional[{enum_name}]") and value is not None:
                    assert isinstance(value, enum_cls), (cls.__name__, name, value)
            if "Decimal" == kind:
                assert type(value) is Decimal, (cls.__name__, name, value)
            if "datetime.datetime" in kind and value is not None:
                assert isinstance(value, dt.datetime) and value.tzinfo is not None
            assert not isinstance(value, (float, list, dict)), (cls.__name__, name)


def test_fields_are_typed_python_values(quote: rihla.Quote) -> None:
    assert isinstance(quote, rihla.Quote) and isinstance(quote, rihla.Result)
    assert quote.final_amount == Decimal("17997.41")
    assert quote.final_amount == (quote.base_amount - quote.discount_amount
                                  - quote.voucher_discount + quote.fee_amount
                                  + quote.tax_amount)
    assert isinstance(quote.lines, tuple)
    item = quote.lines[0]
    assert isinstance(item, rihla.ItemLine)
    assert item.category is rihla.Category.FLIGHT and item.category == "FLIGHT"
    assert f"{item.category}" == "FLIGHT" and str(item.passenger_type) == "ADT"
    assert quote.rewards.tier is rihla.Tier.GOLD
    assert sum((line.total for line in quote.lines if isinstance(line, rihla.ItemLine)),
               Decimal(0)) + quote.tax_amount - sum(
        (line.amount for line in quote.lines if isinstance(line, rihla.TaxLine)), Decimal(0)
    ) == quote.final_amount
    # An optional field the result leaves out reads as None; an unknown one raises.
    assert quote.display is None and quote.fingerprint is None
    with pytest.raises(AttributeError, match="final_amout"):
        getattr(quote, "final_amout")


def test_a_field_is_built_once(quote: rihla.Quote) -> None:
    assert quote.final_amount is quote.final_amount
    assert quote.lines is quote.lines
    first = quote.lines[0]
    assert isinstance(first, rihla.ItemLine) and first.net is first.net


def test_results_are_immutable(quote: rihla.Quote) -> None:
    with pytest.raises(AttributeError):
        quote.final_amount = Decimal(0)
    with pytest.raises((AttributeError, TypeError)):
        quote.extra = 1  # type: ignore[attr-defined]


def test_instants_and_dates_are_datetime_objects(rulebook: rihla.Rulebook) -> None:
    check = rulebook.check_entitlement({
        "tier": "GOLD", "code": "LOUNGE_PASS", "used": 0,
        "now": dt.datetime(2026, 2, 14, 10, tzinfo=dt.timezone.utc),
        "period_anchor": dt.datetime(2025, 6, 28, 10, tzinfo=dt.timezone.utc),
    })
    assert isinstance(check, rihla.EntitlementCheck)
    assert check.resets_at == dt.datetime(2026, 2, 28, 10, tzinfo=dt.timezone.utc)
    assert check.resets_at is not None and check.resets_at.utcoffset() == dt.timedelta(0)
    assert check.period is rihla.EntitlementPeriod.MONTHLY
    upgrade = rulebook.upgrade_price({
        "from": "GOLD", "to": "PLATINUM", "subscription_start": dt.date(2026, 1, 1),
        "subscription_end": dt.date(2027, 1, 1),
        "now": dt.datetime(2026, 7, 2, tzinfo=dt.timezone.utc)})
    assert upgrade.from_ is rihla.Tier.GOLD and upgrade.to is rihla.Tier.PLATINUM
    assert upgrade.instalments == ()  # left out of the JSON when empty: () here


def test_to_dict_is_plain_data_and_to_json_is_rusts(rulebook: rihla.Rulebook,
                                                    quote: rihla.Quote) -> None:
    data = quote.to_dict()
    assert isinstance(data, dict) and isinstance(data["lines"], list)
    assert data["final_amount"] == quote.final_amount
    assert type(data["lines"][0]["category"]) is str
    assert quote.to_json() == rulebook.quote_json(UMRAH_FAMILY.read_bytes())
    assert quote.lines[0].to_json() == json.dumps(
        json.loads(quote.to_json())["lines"][0], separators=(",", ":"),
        ensure_ascii=False).encode()


def test_equality_hash_and_repr(rulebook: rihla.Rulebook, quote: rihla.Quote) -> None:
    again = rulebook.quote(json.loads(UMRAH_FAMILY.read_text()))
    assert again == quote and hash(again) == hash(quote) and again is not quote
    assert len({quote, again}) == 1
    others: List[object] = [quote.lines[0], quote.to_dict(), None]
    assert all(quote != other for other in others)
    assert repr(quote).startswith("Quote(rulebook_version='rihla-default-2026-11.3', ")
    assert "final_amount=Decimal('17997.41')" in repr(quote)


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_every_result_pickles(protocol: int) -> None:
    for _, result in RESULTS[::7]:
        back = pickle.loads(pickle.dumps(result, protocol=protocol))
        assert type(back) is type(result) and back == result
        assert back.to_json() == result.to_json()
    quote = next(r for _, r in RESULTS if isinstance(r, rihla.Quote) and r.lines)
    line = pickle.loads(pickle.dumps(quote.lines[-1], protocol=protocol))
    assert line == quote.lines[-1] and type(line) is type(quote.lines[-1])


@pytest.mark.parametrize("state", [b"", b"{", b"[]", b'[{"Record":{"name":"Quote","fields":[]}},[3]]',
                                   "x", 7, None])
def test_a_broken_pickle_is_refused(state: Any) -> None:
    with pytest.raises(rihla.InvalidInputError) as info:
        rihla._results._restore(state)
    assert info.value.code == "INVALID_REQUEST"


HOST_SNIPPET = '''
from decimal import Decimal
import rihla

def total_due(rulebook: rihla.Rulebook, request: dict[str, object]) -> Decimal:
    quote = rulebook.quote(request)
    taxes: Decimal = sum((l.amount for l in quote.lines if isinstance(l, rihla.TaxLine)),
                         Decimal(0))
    tier: rihla.Tier = quote.rewards.tier
    print(tier, taxes)
    return quote.final_amout
'''


def test_mypy_strict_catches_a_misspelt_field(tmp_path: Path) -> None:
    """A host's code, type-checked with ``mypy --strict``: every field it reads is typed,
    and a misspelt one is an error."""
    pytest.importorskip("mypy")
    host = tmp_path / "host.py"
    host.write_text(textwrap.dedent(HOST_SNIPPET))
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(host)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    errors: List[str] = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert any('"Quote" has no attribute "final_amout"' in e for e in errors), run.stdout
    assert all("host.py:11:" in e for e in errors), run.stdout
    host.write_text(textwrap.dedent(HOST_SNIPPET).replace("final_amout", "final_amount"))
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(host)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stdout
