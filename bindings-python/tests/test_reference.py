"""The pure-Python reference of benches/python (the baseline rihla is timed against) gives
rihla's numbers: on the family request, on 300 random variants of it, and on every
conformance vector it can price. Otherwise the comparison would not be honest."""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pytest

import rihla

REPO = Path(__file__).resolve().parents[2]
UMRAH_FAMILY = REPO / "examples" / "data" / "umrah_family.json"
DEFAULT_RULEBOOK = REPO / "pricing" / "data" / "default_rulebook.json"

_spec = importlib.util.spec_from_file_location("rihla_reference",
                                               REPO / "benches" / "python" / "reference.py")
assert _spec is not None and _spec.loader is not None
reference: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference)

RULES: Dict[str, Any] = json.loads(DEFAULT_RULEBOOK.read_text())
FAMILY: Dict[str, Any] = json.loads(UMRAH_FAMILY.read_text())


def D(text: Any) -> Decimal:
    return Decimal(str(text))


def compare(request: Dict[str, Any]) -> None:
    """The reference's quote equals rihla's on every figure it produces."""
    mine = reference.quote(RULES, request)
    theirs = json.loads(rihla.Rulebook.default().quote_json(json.dumps(request)))
    for key in ("base_amount", "discount_amount", "voucher_discount", "fee_amount",
                "tax_amount", "final_amount"):
        assert mine[key] == D(theirs[key]), key
    items = {ln["id"]: ln for ln in theirs["lines"] if ln["type"] == "ITEM"}
    assert [ln["id"] for ln in mine["lines"]] == list(items)
    for ln in mine["lines"]:
        for key in ("unit_price", "gross", "discount", "voucher_discount", "net", "tax",
                    "total"):
            assert ln[key] == D(items[ln["id"]][key]), (ln["id"], key)
    adjustments = [ln for ln in theirs["lines"] if ln["type"] in ("OFFER", "VOUCHER")]
    assert len(mine["adjustments"]) == len(adjustments)
    for a, b in zip(mine["adjustments"], adjustments):
        assert (a["type"], a["rule_id"], a["base"], a["requested"], a["amount"],
                a["reason"]) == (b["type"], b["rule_id"], D(b["base"]), D(b["requested"]),
                                 D(b["amount"]), b.get("reason"))
        assert [(i, s) for i, s in a["allocations"]] == [
            (x["line_id"], D(x["amount"])) for x in b["allocations"]]
    taxes = [ln for ln in theirs["lines"] if ln["type"] == "TAX"]
    assert len(mine["taxes"]) == len(taxes)
    for a, b in zip(mine["taxes"], taxes):
        assert (a["rule_id"], a["base"], a["amount"]) == (b["rule_id"], D(b["base"]),
                                                          D(b["amount"]))
        assert [(i, s) for i, s in a["allocations"]] == [
            (x["line_id"], D(x["amount"])) for x in b["allocations"]]
    r, s = mine["rewards"], theirs["rewards"]
    for key in ("tier", "membership_status", "base_points", "points", "total_points",
                "cashback_hold_days"):
        assert r[key] == s[key], key
    for key in ("points_basis_amount", "points_multiplier", "cashback_percent",
                "cashback_amount"):
        assert r[key] == D(s[key]), key
    assert [(x["kind"], x["rule_id"], x["amount"]) for x in mine["redemptions"]] == [
        (x["kind"], x["rule_id"], D(x["amount"])) for x in theirs["redemptions"]]


def test_the_family_quote_is_rihlas() -> None:
    compare(FAMILY)
    assert reference.quote(RULES, FAMILY)["final_amount"] == Decimal("17997.41")


def variant(rng: random.Random) -> Dict[str, Any]:
    request = copy.deepcopy(FAMILY)

    def cents(low: int, high: int) -> str:
        return f"{rng.randint(low * 100, high * 100) / 100:.2f}"

    flight, hotel, transfer = request["items"]
    flight["fare"]["adt"] = cents(100, 5000)
    flight["fare"]["passengers"] = {"ADT": rng.randint(1, 4), "CHD": rng.randint(0, 2),
                                    "INF": rng.randint(0, 1)}
    flight["fare"]["passengers"] = {k: v for k, v in flight["fare"]["passengers"].items() if v}
    hotel["quantity"], hotel["unit_price"] = rng.randint(1, 30), cents(100, 2000)
    transfer["quantity"], transfer["unit_price"] = rng.randint(1, 4), cents(50, 800)
    tier = rng.choice(["GUEST", "BRONZE", "SILVER", "GOLD", "PLATINUM", "DIAMOND", None])
    if tier is None:
        del request["customer"]["membership"]
    else:
        request["customer"]["membership"]["tier"] = tier
    if rng.random() < 0.4:
        del request["voucher_codes"]
    return request


def test_random_variants_are_rihlas() -> None:
    rng = random.Random(20261205)
    checked = 0
    for _ in range(300):
        try:
            compare(variant(rng))
            checked += 1
        except reference.Unsupported:
            continue
    assert checked >= 290


def vector_requests() -> List[Dict[str, Any]]:
    out = []
    for path in sorted((REPO / "vectors").glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            inp = case.get("input", {})
            if case.get("op") == "quote" and inp.get("rulebook", "default") == "default" \
                    and "ok" in case.get("expect", {}):
                out.append(inp["request"])
    return out


def test_the_vectors_it_can_price_are_rihlas() -> None:
    priced = 0
    for request in vector_requests():
        try:
            reference.quote(RULES, request)
        except (reference.Unsupported, reference.InvalidRequest, KeyError, TypeError):
            continue
        compare(request)
        priced += 1
    assert priced >= 2


def test_the_reference_validates_its_input() -> None:
    bad = copy.deepcopy(FAMILY)
    bad["items"][1]["unit_price"] = 680.0
    with pytest.raises(reference.InvalidRequest) as info:
        reference.quote(RULES, bad)
    assert info.value.field == "items[1].unit_price"
    bad = copy.deepcopy(FAMILY)
    bad["now"] = "2026-11-22T09:30:00"
    with pytest.raises(reference.InvalidRequest):
        reference.quote(RULES, bad)
