"""Conformance vectors (docs/conformance.md), run against the Python module.

Suites: every ``*.json`` under ``vectors/`` at the repository root, plus every ``*.json``
under each directory named in ``RIHLA_VECTORS`` (``:``-separated). Each case is one test,
reported as ``suite/id``.

A suite is ``{"suite", "version", "cases": [{"id", "description", "op", "input",
"expect"}]}``. ``expect.ok`` is matched as a subset of the result (every key given must
be present and equal; arrays have equal length and match element-wise; a
``decimal.Decimal`` is compared by its exact text with the expected string).
``expect.error`` matches the raised ``RihlaError.code`` and, as a subset, its
``.details``.

Ops:
- ``quote``: ``{"rulebook": {...} | "default", "request": {...}}``. The files are read
  with plain ``json.load`` (amounts stay strings). Each case also prices the request's
  JSON text, through ``quote_json`` (JSON bytes out) and through ``quote_many`` (a batch
  of one), and requires the same outcome, so every path agrees.
- ``allocate``: ``{"amount", "currency", "weights"}`` → ``rihla.allocate(Decimal, str,
  [Decimal])``, result compared as ``{"parts": [...]}``.
- ``check_voucher``: ``{"rulebook", "request", "code"}`` → ``Rulebook.check_voucher``.
- ``check_entitlement``, ``upgrade_price``, ``referral_rewards``: ``{"rulebook",
  "request"}`` → the ``Rulebook`` method of that name, with the request as a ``dict`` and
  again as its JSON text (both must give the same outcome).
- ``tier_for_points``: ``{"rulebook", "lifetime_points": int}`` →
  ``{"tier": Rulebook.tier_for_points(int)}``.
- ``charter_availability``: ``{"rulebook", "itinerary": {...}}`` →
  ``Rulebook.charter_availability``, with the itinerary as a ``dict`` and again as its
  JSON text.
- ``ledger_apply``: ``{"accounts": [...], "batches": [[transfer, ...], ...]}`` → a new
  ``rihla.Ledger``: ``create_accounts``, then ``apply`` of each batch; the result is
  ``{"accounts_created": ["CREATED" | "EXISTS" | error code], "results": [[report, ...]],
  "accounts": Ledger.accounts(), "entries": len(ledger), "last_hash"}``, the shape of the
  Rust runner's op. Run once with the records as loaded (amounts and ids as strings) and
  again as a Python host has them (amounts in the strict wire format as ``Decimal``, ids of
  digits as ``int``, ``at`` as an aware ``datetime``): both must give the same outcome.

A case whose ``op`` this runner does not know FAILS (as in the Rust and Node runners): a
mistyped op never passes silently. A case may list ``"features"`` it needs
(``["airports"]``: the embedded airport table); a case needing a feature this build lacks
(see :func:`build_features`) is skipped, as the Rust runner skips it in a build without
the table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, NamedTuple, Optional, Tuple

import pytest

import rihla

REPO = Path(__file__).resolve().parents[2]
PROJECT_VECTORS = REPO / "vectors"

# The strict wire format of amounts (rihla_core::decimal_string): only such text is turned
# into a Decimal by this runner; anything else is passed through for rihla to refuse.
STRICT_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")


class Case(NamedTuple):
    test_id: str
    source: Path
    case: Optional[Dict[str, Any]]
    load_error: Optional[str]


def vector_dirs() -> List[Path]:
    dirs = [PROJECT_VECTORS]
    for entry in os.environ.get("RIHLA_VECTORS", "").split(":"):
        if entry.strip():
            dirs.append(Path(entry.strip()))
    return dirs


def collect_cases(dirs: Optional[List[Path]] = None) -> List[Case]:
    """The cases of every suite under ``dirs`` (default: :func:`vector_dirs`)."""
    cases: List[Case] = []
    for directory in vector_dirs() if dirs is None else dirs:
        if not directory.is_dir():
            if directory != PROJECT_VECTORS:
                cases.append(
                    Case(f"{directory}/LOAD", directory, None, "RIHLA_VECTORS names no directory")
                )
            continue
        for path in sorted(directory.rglob("*.json")):
            try:
                with path.open(encoding="utf-8") as f:
                    suite = json.load(f)
                name = suite["suite"]
                entries = suite["cases"]
                if not isinstance(name, str) or not isinstance(entries, list):
                    raise ValueError("'suite' must be a string and 'cases' a list")
            except (OSError, ValueError, KeyError, TypeError) as exc:
                cases.append(Case(f"{path.name}/LOAD", path, None, f"{type(exc).__name__}: {exc}"))
                continue
            for index, case in enumerate(entries):
                case_id = case.get("id") if isinstance(case, dict) else None
                if not isinstance(case_id, str):
                    cases.append(
                        Case(f"{name}/#{index}", path, None, "case without a string 'id'")
                    )
                    continue
                cases.append(Case(f"{name}/{case_id}", path, case, None))
    return cases


CASES = collect_cases()


# ---------------------------------------------------------------------------------------
# Subset matching


def decimal_text(value: Decimal) -> str:
    # format(d, "f") gives back exactly the text rihla produced ("0.0000001", "1234.50");
    # str() would switch to exponent notation for small values ("1E-7").
    return format(value, "f")


def assert_subset(expected: Any, actual: Any, path: str = "$") -> None:
    """Every key of ``expected`` is in ``actual`` with a matching value (recursively)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: missing (keys: {sorted(actual)})"
            assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{path}: expected {len(expected)} elements, got {len(actual)}: {actual!r}"
        )
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_subset(e, a, f"{path}[{i}]")
    elif isinstance(actual, Decimal):
        assert isinstance(expected, str), (
            f"{path}: got Decimal {decimal_text(actual)}, vector expects {expected!r} "
            "(decimals are written as strings)"
        )
        assert decimal_text(actual) == expected, (
            f"{path}: expected {expected}, got {decimal_text(actual)}"
        )
    else:
        assert type(actual) is type(expected) or (
            isinstance(expected, (int, float))
            and isinstance(actual, (int, float))
            and not isinstance(expected, bool)
            and not isinstance(actual, bool)
        ), f"{path}: expected {expected!r}, got {actual!r} ({type(actual).__name__})"
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


# ---------------------------------------------------------------------------------------
# Ops


def to_decimal(value: Any) -> Any:
    """A vector's amount string as Decimal when it is in the strict wire format; anything
    else is passed to rihla as it is (and refused there, as the Rust runner refuses it)."""
    if isinstance(value, str) and STRICT_DECIMAL.match(value):
        return Decimal(value)
    return value


def rulebook_of(spec: Any) -> rihla.Rulebook:
    if spec is None or spec == "default":
        return rihla.Rulebook.default()
    return rihla.Rulebook.from_dict(spec)


def run_quote(inp: Dict[str, Any]) -> Any:
    rulebook = rulebook_of(inp.get("rulebook"))
    return rulebook.quote(inp["request"])


def run_quote_text(inp: Dict[str, Any]) -> Any:
    rulebook = rulebook_of(inp.get("rulebook"))
    return rulebook.quote(json.dumps(inp["request"]))


def run_quote_json(inp: Dict[str, Any]) -> Any:
    """``quote_json``: JSON bytes in and out (amounts stay strings, which the subset match
    compares with the expected text)."""
    rulebook = rulebook_of(inp.get("rulebook"))
    return json.loads(rulebook.quote_json(json.dumps(inp["request"]).encode()))


def run_quote_many(inp: Dict[str, Any]) -> Any:
    """``quote_many`` of a batch of one: the request's error comes back in its place."""
    rulebook = rulebook_of(inp.get("rulebook"))
    [result] = rulebook.quote_many([inp["request"]])
    if isinstance(result, rihla.RihlaError):
        raise result
    return result


def run_check_voucher(inp: Dict[str, Any]) -> Any:
    rulebook = rulebook_of(inp.get("rulebook"))
    return rulebook.check_voucher(inp["request"], inp["code"])


def run_check_entitlement(inp: Dict[str, Any]) -> Any:
    return rulebook_of(inp.get("rulebook")).check_entitlement(inp["request"])


def run_upgrade_price(inp: Dict[str, Any]) -> Any:
    return rulebook_of(inp.get("rulebook")).upgrade_price(inp["request"])


def run_referral_rewards(inp: Dict[str, Any]) -> Any:
    return rulebook_of(inp.get("rulebook")).referral_rewards(inp["request"])


def run_tier_for_points(inp: Dict[str, Any]) -> Any:
    return {"tier": rulebook_of(inp.get("rulebook")).tier_for_points(inp["lifetime_points"])}


def run_charter_availability(inp: Dict[str, Any]) -> Any:
    return rulebook_of(inp.get("rulebook")).charter_availability(inp["itinerary"])


def run_charter_availability_text(inp: Dict[str, Any]) -> Any:
    itinerary = inp["itinerary"]
    return rulebook_of(inp.get("rulebook")).charter_availability(json.dumps(itinerary))


def text_path(run: Callable[[Dict[str, Any]], Any]) -> Callable[[Dict[str, Any]], Any]:
    """The same op with the request given as its JSON text."""

    def run_text(inp: Dict[str, Any]) -> Any:
        return run({**inp, "request": json.dumps(inp["request"])})

    return run_text


def run_allocate(inp: Dict[str, Any]) -> Any:
    weights = inp["weights"]
    if isinstance(weights, list):
        weights = [to_decimal(w) for w in weights]
    parts = rihla.allocate(to_decimal(inp["amount"]), inp["currency"], weights)
    return {"parts": parts}


def run_ledger_apply(inp: Dict[str, Any]) -> Any:
    ledger = rihla.Ledger()
    created = [
        answer if isinstance(answer, str) else answer["code"]
        for answer in ledger.create_accounts(inp["accounts"])
    ]
    results = [ledger.apply(batch) for batch in inp.get("batches", [])]
    return {
        "accounts_created": created,
        "results": results,
        "accounts": ledger.accounts(),
        "entries": len(ledger),
        "last_hash": ledger.last_hash(),
    }


def run_ledger_apply_restored(inp: Dict[str, Any]) -> Any:
    """``ledger_apply``, answered by the ledger rebuilt from its own snapshot (pickled)."""
    import pickle

    ledger = rihla.Ledger()
    created = [
        answer if isinstance(answer, str) else answer["code"]
        for answer in ledger.create_accounts(inp["accounts"])
    ]
    results = [ledger.apply(batch) for batch in inp.get("batches", [])]
    restored = pickle.loads(pickle.dumps(ledger))
    return {
        "accounts_created": created,
        "results": results,
        "accounts": restored.accounts(),
        "entries": len(restored),
        "last_hash": restored.last_hash(),
    }


def run_ledger_apply_json(inp: Dict[str, Any]) -> Any:
    """``ledger_apply`` with each batch given as its JSON text (``Ledger.apply(bytes)``)."""
    batches = inp.get("batches", [])
    as_text = [json.dumps(b).encode() if isinstance(b, list) else b for b in batches]
    return run_ledger_apply({**inp, "batches": as_text})


LEDGER_IDS = frozenset({"id", "debit_account_id", "credit_account_id", "pending_id"})
LEDGER_AMOUNTS = frozenset({"amount", "overdraft_limit"})
DIGITS = re.compile(r"[0-9]{1,39}\Z")


def native_record(record: Any) -> Any:
    """An account or transfer as a Python host has it: Decimal amounts, int ids, datetimes.
    Values that are not in those forms are left for rihla to refuse."""
    if not isinstance(record, dict):
        return record
    out: Dict[str, Any] = {}
    for key, value in record.items():
        if key in LEDGER_IDS and isinstance(value, str) and DIGITS.match(value):
            out[key] = int(value)
        elif key in LEDGER_AMOUNTS:
            out[key] = to_decimal(value)
        elif key == "at" and isinstance(value, str):
            out[key] = aware_datetime(value)
        else:
            out[key] = value
    return out


def aware_datetime(text: str) -> Any:
    """An RFC 3339 instant as an aware datetime; any other text stays as it is."""
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return parsed if parsed.tzinfo is not None else text


def run_ledger_apply_native(inp: Dict[str, Any]) -> Any:
    def records(items: Any) -> Any:
        return [native_record(r) for r in items] if isinstance(items, list) else items

    batches = inp.get("batches", [])
    return run_ledger_apply(
        {
            **inp,
            "accounts": records(inp["accounts"]),
            "batches": [records(b) for b in batches] if isinstance(batches, list) else batches,
        }
    )


OPS: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "quote": run_quote,
    "check_voucher": run_check_voucher,
    "allocate": run_allocate,
    "check_entitlement": run_check_entitlement,
    "upgrade_price": run_upgrade_price,
    "referral_rewards": run_referral_rewards,
    "tier_for_points": run_tier_for_points,
    "charter_availability": run_charter_availability,
    "ledger_apply": run_ledger_apply,
}

# Each of these must give the same outcome as the op itself.
OTHER_PATHS: Dict[str, List[Tuple[str, Callable[[Dict[str, Any]], Any]]]] = {
    "quote": [
        ("JSON text", run_quote_text),
        ("quote_json", run_quote_json),
        ("quote_many", run_quote_many),
    ],
    "check_entitlement": [("JSON text", text_path(run_check_entitlement))],
    "upgrade_price": [("JSON text", text_path(run_upgrade_price))],
    "referral_rewards": [("JSON text", text_path(run_referral_rewards))],
    "charter_availability": [("JSON text", run_charter_availability_text)],
    "ledger_apply": [("Python values", run_ledger_apply_native),
                     ("JSON text", run_ledger_apply_json),
                     ("restored from its snapshot", run_ledger_apply_restored)],
}


def build_features() -> FrozenSet[str]:
    """The optional features of this build that vectors may ask for."""
    return frozenset({"airports"} if rihla.AIRPORT_TABLE else set())


def missing_features(case: Dict[str, Any]) -> List[str]:
    """The features ``case`` lists that this build lacks (an unknown name is lacking)."""
    wanted = case.get("features", [])
    assert isinstance(wanted, list) and all(isinstance(f, str) for f in wanted), (
        "case 'features' must be a list of strings"
    )
    have = build_features()
    return [f for f in wanted if f not in have]


class Outcome(NamedTuple):
    result: Any
    error: Optional[rihla.RihlaError]


def outcome(run: Callable[[Dict[str, Any]], Any], inp: Dict[str, Any]) -> Outcome:
    """The result (a result object as its own JSON: what the Rust and JS runners compare)
    or the error."""
    try:
        result = run(inp)
        if isinstance(result, rihla.Result):
            result = json.loads(result.to_json())
        return Outcome(result, None)
    except rihla.RihlaError as exc:
        assert isinstance(exc.code, str) and exc.code, "RihlaError without a code"
        assert isinstance(exc.details, dict), "RihlaError without details"
        assert exc.details.get("code") == exc.code
        return Outcome(None, exc)


def check_expect(expect: Dict[str, Any], got: Outcome, how: str) -> None:
    if "error" in expect:
        want = expect["error"]
        assert got.error is not None, f"{how}: expected error {want}, got result {got.result!r}"
        assert got.error.code == want.get("code"), (
            f"{how}: expected code {want.get('code')}, got {got.error.code}: {got.error.details}"
        )
        assert_subset({k: v for k, v in want.items() if k != "code"}, got.error.details)
    elif "ok" in expect:
        assert got.error is None, (
            f"{how}: expected a result, got {got.error.code}: {got.error.details}"
        )
        assert_subset(expect["ok"], got.result)
    else:
        pytest.fail("case 'expect' has neither 'ok' nor 'error'")


def run_case(case: Case) -> None:
    """Runs one case: fails it on a load error, an unknown op or a mismatch; skips it when
    this build lacks a feature it lists."""
    if case.load_error is not None:
        pytest.fail(f"{case.source}: {case.load_error}")
    assert case.case is not None
    op = case.case.get("op")
    inp = case.case.get("input")
    expect = case.case.get("expect")
    # Before any skip: a mistyped op must never hide behind a missing feature.
    run = OPS.get(op) if isinstance(op, str) else None
    if run is None:
        pytest.fail(f"unknown op {op!r} (this runner knows: {', '.join(sorted(OPS))})")
    assert isinstance(inp, dict), "case 'input' must be an object"
    assert isinstance(expect, dict), "case 'expect' must be an object"
    lacking = missing_features(case.case)
    if lacking:
        pytest.skip(f"this build lacks feature(s) {', '.join(lacking)}")
    check_expect(expect, outcome(run, inp), str(op))
    for how, other in OTHER_PATHS.get(str(op), []):
        check_expect(expect, outcome(other, inp), f"{op} ({how})")


@pytest.mark.parametrize("case", CASES, ids=[c.test_id for c in CASES])
def test_vector(case: Case) -> None:
    run_case(case)


def test_vector_files_are_collected() -> None:
    """Every suite file of the project with a case shows up here (guards the glob)."""
    if not PROJECT_VECTORS.is_dir():
        pytest.skip("no vectors/ directory yet")
    seen = {c.source for c in CASES}
    for path in sorted(PROJECT_VECTORS.rglob("*.json")):
        if path not in seen:
            assert json.loads(path.read_text(encoding="utf-8"))["cases"] == [], path


# ---------------------------------------------------------------------------------------
# The matcher itself


def test_features_decide_skips() -> None:
    assert rihla.AIRPORT_TABLE is True  # the Python build embeds the airport table
    assert build_features() == {"airports"}
    assert missing_features({"id": "x"}) == []
    assert missing_features({"id": "x", "features": ["airports"]}) == []
    assert missing_features({"id": "x", "features": ["airports", "teleport"]}) == ["teleport"]
    with pytest.raises(AssertionError):
        missing_features({"id": "x", "features": "airports"})


def test_assert_subset_semantics() -> None:
    assert_subset({"a": "1.50"}, {"a": Decimal("1.50"), "b": 1})
    assert_subset({"l": [{"x": 1}]}, {"l": [{"x": 1, "y": 2}]})
    assert_subset("0.0000001", Decimal("0.0000001"))
    for expected, actual in [
        ({"a": "1.5"}, {"a": Decimal("1.50")}),  # exact text, not numeric equality
        ({"a": 1}, {"a": True}),
        ({"a": True}, {"a": 1}),
        ({"a": 1.5}, {"a": Decimal("1.5")}),
        ({"l": [1]}, {"l": [1, 2]}),
        ({"a": None}, {}),
    ]:
        with pytest.raises(AssertionError):
            assert_subset(expected, actual)


# ---------------------------------------------------------------------------------------
# The runner itself


def write_suite(directory: Path, cases: List[Dict[str, Any]]) -> None:
    suite = {"suite": "runner", "version": 1, "cases": cases}
    (directory / "runner.json").write_text(json.dumps(suite), encoding="utf-8")


ALLOCATE_CASE: Dict[str, Any] = {
    "id": "split", "op": "allocate",
    "input": {"amount": "10.00", "currency": "SAR", "weights": ["1", "1", "1"]},
    "expect": {"ok": {"parts": ["3.34", "3.33", "3.33"]}},
}


def test_known_op_passes_and_a_mismatch_fails(tmp_path: Path) -> None:
    wrong = {**ALLOCATE_CASE, "id": "wrong", "expect": {"ok": {"parts": ["3.33", "3.33", "3.34"]}}}
    write_suite(tmp_path, [ALLOCATE_CASE, wrong])
    good, bad = collect_cases([tmp_path])
    assert (good.test_id, bad.test_id) == ("runner/split", "runner/wrong")
    run_case(good)
    with pytest.raises(AssertionError, match=r"\$\.parts\[0\]: expected 3\.33, got 3\.34"):
        run_case(bad)


@pytest.mark.parametrize("op", ["alocate", "QUOTE", "", None, 7, ["quote"]])
def test_unknown_op_fails_the_case(tmp_path: Path, op: Any) -> None:
    write_suite(tmp_path, [{**ALLOCATE_CASE, "op": op}])
    (case,) = collect_cases([tmp_path])
    with pytest.raises(pytest.fail.Exception, match=r"unknown op .*this runner knows: allocate, "):
        run_case(case)


def test_unknown_op_fails_even_when_a_feature_is_lacking(tmp_path: Path) -> None:
    write_suite(tmp_path, [{**ALLOCATE_CASE, "op": "qoute", "features": ["teleport"]}])
    (case,) = collect_cases([tmp_path])
    with pytest.raises(pytest.fail.Exception, match="unknown op 'qoute'"):
        run_case(case)
    write_suite(tmp_path, [{**ALLOCATE_CASE, "features": ["teleport"]}])
    (known,) = collect_cases([tmp_path])
    with pytest.raises(pytest.skip.Exception, match="lacks feature"):
        run_case(known)
