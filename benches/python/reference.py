"""A pure-Python family quote, written as a platform team would write it in idiomatic
``decimal``: the baseline that ``benches/python/compare.py`` times rihla against.

It prices what the README's main job prices — passenger fares (ADT, and CHD / INF as a
percentage of the adult fare), unit-priced hotel and transport items, percentage offers
by category with a cap, a fixed voucher with a minimum purchase, VAT on the net by
category and country, and membership points and cashback — on rihla's default rulebook,
with the same validation a host needs (types, currencies, windows, codes) and the same
explanations (lines, adjustments with their allocations, taxes, rewards, redemptions).
Anything else raises :class:`Unsupported`. It is checked against rihla itself
(``bindings-python/tests/test_reference.py``: the family request and random variants of
it, and every conformance vector it can price), so the comparison is honest: both do the
same work and give the same numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Dict, List, Mapping, Optional, Tuple

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
CATEGORIES = frozenset({"FLIGHT", "HOTEL", "PACKAGE", "TOUR", "ACTIVITY", "TRANSPORTATION",
                        "CAR_RENTAL", "PRIVATE_JET", "SERVICE", "MEMBERSHIP"})
TIERS = ("GUEST", "BRONZE", "SILVER", "GOLD", "PLATINUM", "DIAMOND")
REQUEST_KEYS = frozenset({"currency", "now", "customer", "items", "voucher_codes"})
ITEM_KEYS = frozenset({"id", "category", "description", "quantity", "unit_price", "country",
                       "fare", "segments"})


class Unsupported(Exception):
    """The request or rulebook uses a feature this reference does not implement."""


class InvalidRequest(ValueError):
    """The request is malformed: ``field`` and ``reason``."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid request at {field}: {reason}")
        self.field = field
        self.reason = reason


def money(value: Any, field: str) -> Decimal:
    """An amount given as text, at most 2 decimals, not negative."""
    if not isinstance(value, str):
        raise InvalidRequest(field, "an amount is a decimal string")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise InvalidRequest(field, f"{value!r} is not a decimal") from None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidRequest(field, f"{value!r} is not an amount in SAR")
    return amount.quantize(CENT)


def instant(value: Any, field: str) -> dt.datetime:
    if not isinstance(value, str):
        raise InvalidRequest(field, "an instant is RFC 3339 text")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(field, f"{value!r} is not RFC 3339") from None
    if parsed.tzinfo is None:
        raise InvalidRequest(field, "an instant needs its UTC offset")
    return parsed


def whole(value: Any, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidRequest(field, f"{value!r} is outside {low}..={high}")
    return value


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def allocate(total: Decimal, weights: List[Decimal]) -> List[Decimal]:
    """Largest-remainder split of ``total`` over ``weights`` in minor units (ties to the
    first line)."""
    units = int(total * 100)
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        return [Decimal(0)] * len(weights)
    exact = [Decimal(units) * w / weight_sum for w in weights]
    floors = [int(x.to_integral_value(rounding=ROUND_DOWN)) for x in exact]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) / 100 for f in floors]


def in_window(rule: Mapping[str, Any], now: dt.datetime) -> bool:
    start, end = rule.get("valid_from"), rule.get("valid_until")
    return ((start is None or instant(start, "valid_from") <= now)
            and (end is None or now <= instant(end, "valid_until")))


def category_scope(rule: Mapping[str, Any]) -> Optional[frozenset[str]]:
    scope = rule.get("applies_to")
    if scope is None:
        return None
    if scope.get("scope") != "CATEGORIES":
        raise Unsupported(f"scope {scope.get('scope')}")
    return frozenset(scope["categories"])


def quote(rulebook: Mapping[str, Any], request: Mapping[str, Any]) -> Dict[str, Any]:
    """Prices ``request`` (a dict as ``json.load`` gives) on ``rulebook`` (the same)."""
    if not isinstance(request, Mapping):
        raise InvalidRequest("$", "a request is an object")
    unknown = set(request) - REQUEST_KEYS
    if unknown:
        raise Unsupported(f"request fields {sorted(unknown)}")
    if request.get("currency") != "SAR":
        raise Unsupported(f"currency {request.get('currency')!r}")
    now = instant(request.get("now"), "now")
    items = request.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= 100:
        raise InvalidRequest("items", "1 to 100 items")

    # 1. Lines: fares per passenger type, unit-priced items.
    lines: List[Dict[str, Any]] = []
    for i, item in enumerate(items):
        field = f"items[{i}]"
        if not isinstance(item, Mapping) or set(item) - ITEM_KEYS:
            raise Unsupported(f"{field} fields")
        category = item.get("category")
        if category not in CATEGORIES:
            raise InvalidRequest(f"{field}.category", f"unknown category {category!r}")
        base = {"item_id": item["id"], "category": category,
                "description": item.get("description", ""),
                "country": item.get("country")}
        if "fare" in item:
            fare = item["fare"]
            adult = money(fare.get("adt"), f"{field}.fare.adt")
            counts = fare.get("passengers", {})
            for ptc in ("ADT", "CHD", "INF"):
                n = counts.get(ptc, 0)
                if not n:
                    continue
                whole(n, f"{field}.fare.passengers.{ptc}", 1, 9)
                if ptc == "ADT":
                    unit = adult
                else:
                    spec = fare.get(ptc.lower())
                    if not isinstance(spec, Mapping) or set(spec) != {"percent_of_adt"}:
                        raise Unsupported(f"{ptc} fare")
                    unit = cents(adult * Decimal(spec["percent_of_adt"]) / HUNDRED)
                lines.append({**base, "id": f"{item['id']}/{ptc}", "passenger_type": ptc,
                              "quantity": n, "unit_price": unit, "gross": unit * n,
                              "international": True})
                _international_only(item)
        else:
            quantity = whole(item.get("quantity"), f"{field}.quantity", 1, 10_000)
            unit = money(item.get("unit_price"), f"{field}.unit_price")
            lines.append({**base, "id": item["id"], "quantity": quantity, "unit_price": unit,
                          "gross": unit * quantity})
    for line in lines:
        line.update(discount=Decimal(0), voucher_discount=Decimal(0), tax=Decimal(0))
    base_amount = sum((line["gross"] for line in lines), Decimal(0))

    # 2. Offers: percentage by category, capped; best priority first.
    customer = request.get("customer") or {}
    tier, status = membership(rulebook, customer, now)
    adjustments: List[Dict[str, Any]] = []
    redemptions: List[Dict[str, Any]] = []
    for offer in sorted(rulebook.get("offers", []), key=lambda o: -o.get("priority", 0)):
        if offer.get("type") != "DISCOUNT_PERCENTAGE" or set(offer) - {
                "id", "name", "type", "value", "max_discount", "applies_to", "valid_from",
                "valid_until", "priority"}:
            raise Unsupported(f"offer {offer.get('id')}")
        if not in_window(offer, now):
            continue
        scope = category_scope(offer)
        eligible = [ln for ln in lines if scope is None or ln["category"] in scope]
        eligible_base = sum((ln["gross"] - ln["discount"] for ln in eligible), Decimal(0))
        if eligible_base == 0:
            continue
        requested = cents(eligible_base * Decimal(offer["value"]) / HUNDRED)
        amount, reason = requested, None
        cap = offer.get("max_discount")
        if cap is not None and requested > money(cap["amount"], "max_discount"):
            amount, reason = money(cap["amount"], "max_discount"), "CAPPED_MAX_DISCOUNT"
        shares = allocate(amount, [ln["gross"] - ln["discount"] for ln in eligible])
        for ln, share in zip(eligible, shares):
            ln["discount"] += share
        adjustments.append({"type": "OFFER", "rule_id": offer["id"], "name": offer["name"],
                            "base": eligible_base, "requested": requested, "amount": amount,
                            "reason": reason,
                            "allocations": [(ln["id"], s) for ln, s in zip(eligible, shares)]})
        redemptions.append({"kind": "OFFER", "rule_id": offer["id"], "amount": amount})

    # 3. Vouchers: fixed amounts with a minimum purchase, one per quote.
    codes = request.get("voucher_codes") or []
    if len(codes) > rulebook.get("max_vouchers_per_quote", 1):
        raise Unsupported("several vouchers")
    for code in codes:
        if not isinstance(code, str) or not 1 <= len(code) <= 64:
            raise InvalidRequest("voucher_codes", "a code is 1 to 64 characters")
        voucher = next((v for v in rulebook.get("vouchers", [])
                        if v["code"].upper() == code.strip().upper()), None)
        if voucher is None:
            raise Unsupported("an unknown voucher code")
        if voucher.get("type") != "DISCOUNT_FIXED" or not in_window(voucher, now):
            raise Unsupported(f"voucher {voucher['id']}")
        subtotal = sum((ln["gross"] - ln["discount"] for ln in lines), Decimal(0))
        minimum = voucher.get("min_purchase_amount")
        if minimum is not None and subtotal < money(minimum["amount"], "min_purchase"):
            raise Unsupported("a voucher below its minimum")
        value = money(voucher["value"], "value")
        amount = min(value, subtotal)
        shares = allocate(amount, [ln["gross"] - ln["discount"] for ln in lines])
        for ln, share in zip(lines, shares):
            ln["voucher_discount"] += share
        adjustments.append({"type": "VOUCHER", "rule_id": voucher["id"],
                            "code": voucher["code"], "name": voucher["name"],
                            "base": subtotal, "requested": value, "amount": amount,
                            "reason": None,
                            "allocations": [(ln["id"], s) for ln, s in zip(lines, shares)]})
        redemptions.append({"kind": "VOUCHER", "rule_id": voucher["id"],
                            "code": voucher["code"], "amount": amount})

    # 4. Taxes: a percentage of each line's net, by category and the item's country.
    for line in lines:
        line["net"] = line["gross"] - line["discount"] - line["voucher_discount"]
    taxes: List[Dict[str, Any]] = []
    for rule in rulebook.get("taxes", []):
        if rule.get("valid_from") and not in_window(rule, now):
            continue
        scope = category_scope(rule)
        taxed = [ln for ln in lines
                 if (scope is None or ln["category"] in scope)
                 and ln.get("country") in rule.get("countries", [ln.get("country")])
                 and not (rule.get("journey") == "DOMESTIC" and ln.get("international"))]
        if not taxed:
            continue
        if rule.get("basis", "PERCENT_OF_NET") != "PERCENT_OF_NET" or rule.get("inclusive"):
            raise Unsupported(f"tax {rule['id']}")
        rate = Decimal(rule["rate"])
        shares = [cents(ln["net"] * rate / HUNDRED) for ln in taxed]
        for ln, share in zip(taxed, shares):
            ln["tax"] += share
        taxes.append({"type": "TAX", "rule_id": rule["id"], "code": rule["code"],
                      "name": rule["name"], "rate": rate,
                      "base": sum((ln["net"] for ln in taxed), Decimal(0)),
                      "amount": sum(shares, Decimal(0)),
                      "allocations": [(ln["id"], s) for ln, s in zip(taxed, shares)]})
    for line in lines:
        line["total"] = line["net"] + line["tax"]

    discount = sum((a["amount"] for a in adjustments if a["type"] == "OFFER"), Decimal(0))
    voucher_discount = sum((a["amount"] for a in adjustments if a["type"] == "VOUCHER"),
                           Decimal(0))
    tax_amount = sum((t["amount"] for t in taxes), Decimal(0))
    final = base_amount - discount - voucher_discount + tax_amount
    for r in redemptions:
        r["customer_id"] = customer.get("id")
    return {
        "rulebook_version": rulebook["version"],
        "currency": "SAR",
        "customer_id": customer.get("id"),
        "lines": lines,
        "adjustments": adjustments,
        "taxes": taxes,
        "base_amount": base_amount,
        "discount_amount": discount,
        "voucher_discount": voucher_discount,
        "fee_amount": Decimal("0.00"),
        "tax_amount": tax_amount,
        "final_amount": final,
        "rewards": rewards(rulebook, tier, status, final),
        "redemptions": redemptions,
    }


def _international_only(item: Mapping[str, Any]) -> None:
    segments = item.get("segments") or []
    if not segments or any(s.get("origin_country") == s.get("destination_country")
                           for s in segments):
        raise Unsupported("a domestic or unsegmented flight")


def membership(rulebook: Mapping[str, Any], customer: Mapping[str, Any],
               now: dt.datetime) -> Tuple[str, str]:
    plan = customer.get("membership")
    if plan is None:
        return "GUEST", "NONE"
    tier = plan.get("tier")
    if tier not in TIERS:
        raise InvalidRequest("customer.membership.tier", f"unknown tier {tier!r}")
    until = plan.get("valid_until")
    if until is not None and instant(until, "customer.membership.valid_until") < now:
        return "GUEST", "EXPIRED"
    return tier, "ACTIVE"


def rewards(rulebook: Mapping[str, Any], tier: str, status: str,
            final: Decimal) -> Dict[str, Any]:
    rules = rulebook["membership"]
    plan = next(p for p in rules["plans"] if p["tier"] == tier)
    unit = Decimal(rules["points_unit"])
    base_points = int((final / unit).to_integral_value(rounding=ROUND_DOWN))
    multiplier = Decimal(plan["points_multiplier"])
    points = int((base_points * multiplier).to_integral_value(rounding=ROUND_DOWN))
    percent = Decimal(plan["cashback_percent"])
    cashback = cents(final * percent / HUNDRED)
    return {"tier": tier, "membership_status": status, "points_basis_amount": final,
            "base_points": base_points, "points_multiplier": multiplier, "points": points,
            "total_points": points, "cashback_percent": percent,
            "cashback_amount": cashback, "cashback_hold_days": rules["cashback_hold_days"]}
