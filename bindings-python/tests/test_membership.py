"""Membership entitlements, upgrade pricing, tier from points and referral figures from
Python: native Python values in (``Decimal``, ``date``, aware ``datetime``), ``Decimal``
amounts out, typed errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

import rihla
from plain import PlainRulebook

UTC = dt.timezone.utc


# The rulebook answers with plain data (tests/plain.py): these tests check values by key.
@pytest.fixture(scope="module")
def rulebook() -> Any:
    return PlainRulebook(rihla.Rulebook.default())


def raises_code(code: str, fn: Any, *args: Any) -> rihla.RihlaError:
    with pytest.raises(rihla.RihlaError) as info:
        fn(*args)
    err = info.value
    assert err.code == code, f"expected {code}, got {err.code}: {err.details}"
    assert err.details["code"] == code
    return err


# --- entitlements ------------------------------------------------------------------------


def test_check_entitlement_with_datetimes(rulebook: Any) -> None:
    check = rulebook.check_entitlement(
        {
            "tier": "GOLD",
            "code": "lounge_pass",
            "used": 2,
            "now": dt.datetime(2026, 2, 15, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
            "period_anchor": dt.datetime(2026, 1, 31, 10, 0, tzinfo=UTC),
        }
    )
    assert check == {
        "code": "LOUNGE_PASS",
        "tier": "GOLD",
        "allowed": False,
        "unlimited": False,
        "quota": 2,
        "used": 2,
        "remaining": 0,
        "period": "MONTHLY",
        "period_start": "2026-01-31T10:00:00Z",
        "resets_at": "2026-02-28T10:00:00Z",
        "reason": {"code": "QUOTA_EXHAUSTED"},
    }


def test_check_entitlement_dict_and_text_agree(rulebook: Any) -> None:
    request = {"tier": "DIAMOND", "code": "LOUNGE_PASS", "used": 40, "now": "2026-11-22T09:00:00Z"}
    by_dict = rulebook.check_entitlement(request)
    assert by_dict["allowed"] is True and by_dict["quota"] is None
    assert rulebook.check_entitlement(json.dumps(request)) == by_dict
    assert rulebook.check_entitlement(json.dumps(request).encode()) == by_dict


def test_check_entitlement_errors(rulebook: Any) -> None:
    naive = {"tier": "GOLD", "code": "LOUNGE_PASS", "used": 0, "now": dt.datetime(2026, 11, 22)}
    raises_code("INVALID_REQUEST", rulebook.check_entitlement, naive)
    negative = {"tier": "GOLD", "code": "LOUNGE_PASS", "used": -1, "now": "2026-11-22T09:00:00Z"}
    err = raises_code("INVALID_REQUEST", rulebook.check_entitlement, negative)
    assert err.details["field"] == "used"
    assert isinstance(err, rihla.InvalidInputError)


# --- upgrade pricing ---------------------------------------------------------------------


def test_upgrade_price_with_dates(rulebook: Any) -> None:
    quote = rulebook.upgrade_price(
        {
            "from": "GOLD",
            "to": "PLATINUM",
            "subscription_start": dt.date(2028, 1, 1),
            "subscription_end": dt.date(2029, 1, 1),
            "now": dt.datetime(2028, 7, 2, 9, 0, tzinfo=UTC),
            "instalments": 3,
        }
    )
    assert quote["price_difference"] == Decimal("2000.00")
    assert (quote["total_days"], quote["remaining_days"]) == (366, 183)
    assert quote["prorated_amount"] == Decimal("1000.00")
    assert quote["instalments"] == [Decimal("333.34"), Decimal("333.33"), Decimal("333.33")]
    assert all(type(p) is Decimal for p in quote["instalments"])
    assert sum(quote["instalments"]) == quote["prorated_amount"]


def test_upgrade_price_errors(rulebook: Any) -> None:
    base = {
        "subscription_start": "2028-01-01",
        "subscription_end": "2029-01-01",
        "now": "2028-07-02T09:00:00Z",
    }
    err = raises_code("NOT_AN_UPGRADE", rulebook.upgrade_price, {**base, "from": "PLATINUM", "to": "GOLD"})
    assert isinstance(err, rihla.InvalidInputError)
    assert (err.details["from"], err.details["to"]) == ("PLATINUM", "GOLD")
    err = raises_code(
        "CURRENCY_MISMATCH",
        rulebook.upgrade_price,
        {**base, "from": "GOLD", "to": "PLATINUM", "currency": "USD"},
    )
    assert isinstance(err, rihla.CurrencyMismatchError)


# --- tier from lifetime points -----------------------------------------------------------


def test_tier_for_points(rulebook: Any) -> None:
    assert rulebook.tier_for_points(0) == "GUEST"
    assert rulebook.tier_for_points(14_999) == "SILVER"
    assert rulebook.tier_for_points(15_000) == "GOLD"
    assert rulebook.tier_for_points(2**64 - 1) == "DIAMOND"


@pytest.mark.parametrize("points", [-1, 2**64, True, 1.0, Decimal("1000"), "1000", None])
def test_tier_for_points_refuses_non_ints(rulebook: Any, points: Any) -> None:
    err = raises_code("INVALID_REQUEST", rulebook.tier_for_points, points)
    assert err.details["field"] == "lifetime_points"


# --- referral and affiliate --------------------------------------------------------------


def test_referral_rewards_decimal_in_and_out(rulebook: Any) -> None:
    outcome = rulebook.referral_rewards(
        {"booking_amount": {"amount": Decimal("500.00"), "currency": "SAR"}}
    )
    assert outcome["eligible"] is True
    assert outcome["referrer_reward"] == Decimal("50.00")
    assert outcome["referee_reward"] == Decimal("50.00")
    assert outcome["affiliate_commission"] == Decimal("15.00")
    assert type(outcome["affiliate_commission"]) is Decimal

    below = rulebook.referral_rewards(
        {"booking_amount": {"amount": Decimal("499.99"), "currency": "SAR"}}
    )
    assert below["eligible"] is False
    assert below["reason"] == {
        "code": "MIN_BOOKING_NOT_MET",
        "required": Decimal("500.00"),
        "actual": Decimal("499.99"),
    }


def test_referral_rewards_refuses_floats(rulebook: Any) -> None:
    err = raises_code(
        "INVALID_AMOUNT",
        rulebook.referral_rewards,
        {"booking_amount": {"amount": 500.0, "currency": "SAR"}},
    )
    assert err.details["field"] == "booking_amount.amount"
