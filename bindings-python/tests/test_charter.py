"""Private-jet charters from Python: PRIVATE_JET quotes, charter_availability, the errors.

Expected numbers were produced by the Rust engine (a quote of the same request JSON) and
checked by hand in the comments.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Optional

import pytest

import rihla
from plain import PlainRulebook

UTC = dt.timezone.utc
RIYADH = dt.timezone(dt.timedelta(hours=3))
NEW_YORK = dt.timezone(dt.timedelta(hours=-5))
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

# The US transportation tax rule of the default rulebook (US-FET-7.5), basis spelled out.
US_FET = {
    "id": "US-FET-7.5",
    "code": "US",
    "name": "US transportation tax 7.5%",
    "basis": "PERCENT_OF_NET",
    "rate": "7.5",
    "applies_to": {"scope": "CATEGORIES", "categories": ["PRIVATE_JET"]},
    "journey": "DOMESTIC",
    "countries": ["US"],
    "valid_from": "1999-10-01T00:00:00-04:00",
}

# The coordinates the conformance vectors use (the same 851.8 km as the embedded table).
RUH_JED_AIRPORTS = [
    {"code": "RUH", "lat": "24.9576", "lon": "46.6988", "country": "SA"},
    {"code": "JED", "lat": "21.6796", "lon": "39.1565", "country": "SA"},
]


def usd(amount: str) -> Dict[str, Any]:
    return {"amount": Decimal(amount), "currency": "USD"}


def broker_itinerary(**aircraft: Any) -> Dict[str, Any]:
    plane: Dict[str, Any] = {
        "id": "N560XL",
        "category": "MIDSIZE",
        "home_base": "TEB",
        "hourly_rate": usd("3400.00"),
    }
    plane.update(aircraft)
    return {
        "aircraft": plane,
        "legs": [
            {
                "from": "TEB",
                "to": "PBI",
                "departure": dt.datetime(2026, 12, 9, 9, 0, tzinfo=NEW_YORK),
                "passengers": 4,
                "block_hours": "5.0",
            }
        ],
        "return_ferry": "WAIVED",
        "fees": [
            {"kind": "FUEL", "amount": usd("550.00")},
            {"kind": "CREW_OVERNIGHT", "amount": usd("600.00")},
            {"kind": "LANDING", "basis": "PER_TRIP", "amount": usd("750.00")},
        ],
    }


def jet_request(jet: Dict[str, Any], currency: str) -> Dict[str, Any]:
    return {
        "currency": currency,
        "now": NOW,
        "items": [{"id": "JET-1", "category": "PRIVATE_JET", "jet": jet}],
    }


def saudi_itinerary(
    to: str = "JED",
    departure: Optional[dt.datetime] = None,
    passengers: int = 6,
    rate: str = "24000.00",
    **extra: Any,
) -> Dict[str, Any]:
    jet: Dict[str, Any] = {
        "aircraft": {
            "id": "HZ-MID1",
            "category": "MIDSIZE",
            "home_base": "RUH",
            "hourly_rate": {"amount": Decimal(rate), "currency": "SAR"},
        },
        "legs": [
            {
                "from": "RUH",
                "to": to,
                "departure": departure or dt.datetime(2026, 12, 8, 10, 0, tzinfo=RIYADH),
                "passengers": passengers,
            }
        ],
        "return_ferry": "WAIVED",
    }
    jet.update(extra)
    return jet


# The rulebooks answer with plain data (tests/plain.py): these tests check values by key.
@pytest.fixture(scope="module")
def default() -> Any:
    return PlainRulebook(rihla.Rulebook.default())


@pytest.fixture(scope="module")
def broker() -> Any:
    return PlainRulebook(rihla.Rulebook.from_dict({"version": "t", "taxes": [US_FET]}))


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


def text(value: Decimal) -> str:
    return format(value, "f")


def as_json_text(doc: Any) -> str:
    """The document as JSON text, datetimes in ISO 8601 and Decimals as their exact text."""

    def default(o: Any) -> str:
        if isinstance(o, Decimal):
            return format(o, "f")
        if isinstance(o, dt.datetime):
            return o.isoformat()
        raise TypeError(type(o).__name__)

    return json.dumps(doc, default=default)


def line(quote: Dict[str, Any], line_id: str) -> Dict[str, Any]:
    found: List[Dict[str, Any]] = [ln for ln in quote["lines"] if ln.get("id") == line_id]
    assert len(found) == 1, f"line {line_id}: {[ln.get('id') for ln in quote['lines']]}"
    return found[0]


def tax_lines(quote: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [ln for ln in quote["lines"] if ln["type"] == "TAX"]


def assert_split_is_exact(charter: Dict[str, Any]) -> None:
    parts = charter["commission"] + charter["platform_fee"] + charter["owner_earnings"]
    assert parts == charter["total"]
    assert charter["total"] + charter["tax"] == charter["total_with_tax"]


# --- (a) a broker quote reproduced to the cent -----------------------------------------


def test_broker_quote_to_the_cent(broker: Any) -> None:
    # 5.0 billable hours × USD 3,400 = 17,000.00; fees 550 + 600 + 750 = 1,900.00 (all part
    # of the transportation charge); FET 7.5 % of 18,900.00 = 1,417.50 → 20,317.50.
    q = broker.quote(jet_request(broker_itinerary(), "USD"))
    assert q["currency"] == "USD"
    assert q["base_amount"] == Decimal("18900.00")
    assert q["tax_amount"] == Decimal("1417.50")
    assert q["final_amount"] == Decimal("20317.50")
    assert text(q["final_amount"]) == "20317.50"

    jet = line(q, "JET-1")
    assert (jet["category"], jet["gross"], jet["tax"], jet["total"]) == (
        "PRIVATE_JET", Decimal("17000.00"), Decimal("1275.00"), Decimal("18275.00"),
    )
    assert "charter_fee" not in jet
    for line_id, kind, gross, tax in [
        ("JET-1/FUEL-1", "FUEL", "550.00", "41.25"),
        ("JET-1/CREW_OVERNIGHT-2", "CREW_OVERNIGHT", "600.00", "45.00"),
        ("JET-1/LANDING-3", "LANDING", "750.00", "56.25"),
    ]:
        fee = line(q, line_id)
        assert fee["charter_fee"] == kind
        assert fee["item_id"] == "JET-1"
        assert (fee["gross"], fee["tax"]) == (Decimal(gross), Decimal(tax))
        assert fee["total"] == fee["gross"] + fee["tax"]
    [fet] = tax_lines(q)
    assert (fet["rule_id"], fet["base"], fet["amount"]) == (
        "US-FET-7.5", Decimal("18900.00"), Decimal("1417.50"),
    )
    assert sum(a["amount"] for a in fet["allocations"]) == fet["amount"]

    [charter] = q["charters"]
    assert charter["item_id"] == "JET-1"
    assert charter["aircraft_id"] == "N560XL"
    assert charter["category"] == "MIDSIZE"
    assert charter["billable_hours"] == Decimal("5.0")
    assert text(charter["billable_hours"]) == "5.0"  # tenths of an hour, as billed
    assert charter["flown_hours"] == Decimal("5.0")
    assert charter["flight_charge"] == Decimal("17000.00")
    assert charter["operator_fees"] == Decimal("1900.00")
    assert charter["subtotal"] == charter["total"] == Decimal("18900.00")
    assert charter["tax"] == Decimal("1417.50")
    assert charter["total_with_tax"] == Decimal("20317.50")
    assert [(f["id"], f["amount"], f["taxable"]) for f in charter["fees"]] == [
        ("FUEL-1", Decimal("550.00"), True),
        ("CREW_OVERNIGHT-2", Decimal("600.00"), True),
        ("LANDING-3", Decimal("750.00"), True),
    ]
    # This rulebook has no charter section: no commission, the owner earns the total.
    assert charter["commission"] == charter["platform_fee"] == Decimal("0.00")
    assert charter["owner_earnings"] == Decimal("18900.00")
    assert_split_is_exact(charter)

    [leg] = charter["legs"]
    assert leg["kind"] == "OCCUPIED" and leg["leg"] == 0
    assert (leg["from"], leg["to"], leg["from_country"], leg["to_country"]) == (
        "TEB", "PBI", "US", "US",
    )
    # Times keep the leg's local offset; the operator's 5.0 block hours give the arrival.
    assert leg["departure"] == "2026-12-09T09:00:00-05:00"
    assert leg["arrival"] == "2026-12-09T14:00:00-05:00"
    assert leg["local_date"] == "2026-12-09"
    assert "block_time" not in leg  # the operator gave block_hours
    assert leg["passengers"] == 4
    assert leg["rate"] == Decimal("3400.00")
    assert leg["charge"] == Decimal("17000.00")


def test_broker_quote_types_and_paths_agree(broker: Any) -> None:
    request = jet_request(broker_itinerary(), "USD")
    before = copy.deepcopy(request)
    q = broker.quote(request)
    assert request == before
    allowed = (dict, list, str, int, bool, type(None), Decimal)
    for value in walk_values(q):
        assert isinstance(value, allowed), f"unexpected {type(value).__name__}: {value!r}"
        assert not isinstance(value, float)
    # The same request as JSON text (amounts as strings, the departure in ISO 8601).
    assert broker.quote(as_json_text(request)) == q
    assert broker.quote(as_json_text(request).encode()) == q


def test_commission_split_is_exact_with_cents(
    broker: Any, default: Any
) -> None:
    # The aircraft's own commission: 12.5 % of 18,900.00 = 2,362.50.
    q = broker.quote(jet_request(broker_itinerary(commission_percent=Decimal("12.5")), "USD"))
    [c] = q["charters"]
    assert (c["commission_percent"], c["commission"], c["owner_earnings"]) == (
        Decimal("12.5"), Decimal("2362.50"), Decimal("16537.50"),
    )
    assert_split_is_exact(c)
    # The default rulebook: 10 % commission and 2 % platform fee, each rounded to the
    # halala; the owner gets the exact rest. 2.4 h × 24,000.35 = 57,600.84;
    # 10 % = 5,760.084 → 5,760.08; 2 % = 1,152.0168 → 1,152.02; 57,600.84 − both = 50,688.74.
    q = default.quote(jet_request(saudi_itinerary("CAI", rate="24000.35"), "SAR"))
    [c] = q["charters"]
    assert (c["total"], c["commission"], c["platform_fee"], c["owner_earnings"]) == (
        Decimal("57600.84"), Decimal("5760.08"), Decimal("1152.02"), Decimal("50688.74"),
    )
    assert_split_is_exact(c)


# --- (b) the default rulebook: domestic VAT, international zero-rated --------------------


def test_riyadh_jeddah_pays_vat_15(default: Any) -> None:
    # RUH–JED 851.8 km: 1.4 h billed, raised to the midsize's 2.0 h daily minimum (0.6 h
    # top-up) → 2.0 × 24,000 = 48,000.00; KSA VAT 15 % on domestic air = 7,200.00.
    q = default.quote(jet_request(saudi_itinerary("JED"), "SAR"))
    assert (q["base_amount"], q["tax_amount"], q["final_amount"]) == (
        Decimal("48000.00"), Decimal("7200.00"), Decimal("55200.00"),
    )
    [vat] = tax_lines(q)
    assert (vat["rule_id"], vat["base"], vat["amount"]) == (
        "KSA-VAT-15-AIR", Decimal("48000.00"), Decimal("7200.00"),
    )
    [c] = q["charters"]
    assert (c["flown_hours"], c["billable_hours"]) == (Decimal("1.4"), Decimal("2.0"))
    [leg] = c["legs"]
    assert (leg["to"], leg["distance_km"], leg["billed_hours"]) == (
        "JED", Decimal("851.8"), Decimal("1.4"),
    )
    assert isinstance(leg["block_time"]["block_hours_exact"], Decimal)
    [day] = c["daily_minimums"]
    assert day == {
        "date": "2026-12-08",
        "hours": Decimal("1.4"),
        "minimum_hours": Decimal("2.0"),
        "top_up_hours": Decimal("0.6"),
        "charge": Decimal("14400.00"),
        "surcharge": Decimal("0.00"),
    }
    # 10 % commission, 2 % platform fee.
    assert (c["commission"], c["platform_fee"], c["owner_earnings"]) == (
        Decimal("4800.00"), Decimal("960.00"), Decimal("42240.00"),
    )
    assert_split_is_exact(c)


def test_riyadh_cairo_is_zero_rated(default: Any) -> None:
    # RUH–CAI 1,611.7 km: 1,611.7 × 1.05 / (430 kt × 1.852) = 2.125 h + 0.2 h taxi → 2.4 h;
    # 2.4 × 24,000 = 57,600.00. International passenger transport: no KSA VAT.
    q = default.quote(jet_request(saudi_itinerary("CAI"), "SAR"))
    assert (q["base_amount"], q["tax_amount"], q["final_amount"]) == (
        Decimal("57600.00"), Decimal("0.00"), Decimal("57600.00"),
    )
    assert tax_lines(q) == []
    [c] = q["charters"]
    [leg] = c["legs"]
    assert (leg["to"], leg["to_country"], leg["distance_km"], leg["billable_hours"]) == (
        "CAI", "EG", Decimal("1611.7"), Decimal("2.4"),
    )
    assert (c["tax"], c["commission"], c["platform_fee"], c["owner_earnings"]) == (
        Decimal("0.00"), Decimal("5760.00"), Decimal("1152.00"), Decimal("50688.00"),
    )
    assert_split_is_exact(c)


def test_host_coordinates_and_the_table_agree(default: Any) -> None:
    assert rihla.AIRPORT_TABLE is True
    from_table = default.quote(jet_request(saudi_itinerary("OEJN"), "SAR"))  # ICAO code
    from_host = default.quote(jet_request(saudi_itinerary(airports=RUH_JED_AIRPORTS), "SAR"))
    assert from_table["final_amount"] == from_host["final_amount"] == Decimal("55200.00")
    assert from_table["charters"][0]["legs"][0]["to"] == "JED"  # the IATA code


def test_leg_local_date_comes_from_the_datetime_offset(default: Any) -> None:
    # Friday 11 December 2026, 01:00 in Riyadh (Thursday 22:00 UTC). Friday is a Saudi
    # weekend day: WEEKEND 10 % on the leg's 33,600.00 flight charge and the day's
    # 14,400.00 top-up = 4,800.00; 48,000 + 4,800 = 52,800.00, VAT 7,920.00 → 60,720.00.
    # The aware datetime keeps its +03:00 offset on the way in, so the dict gives what the
    # JSON text gives.
    friday = dt.datetime(2026, 12, 11, 1, 0, tzinfo=RIYADH)
    request = jet_request(saudi_itinerary(departure=friday), "SAR")
    q = default.quote(request)
    assert q["final_amount"] == Decimal("60720.00")
    [c] = q["charters"]
    assert c["legs"][0]["local_date"] == "2026-12-11"
    assert c["legs"][0]["departure"] == "2026-12-11T01:00:00+03:00"
    assert [(s["id"], s["amount"]) for s in c["surcharges"]] == [("WEEKEND", Decimal("4800.00"))]
    assert default.quote(as_json_text(request)) == q
    # The same instant written in UTC is a Thursday departure: no weekend surcharge.
    in_utc = jet_request(saudi_itinerary(departure=friday.astimezone(UTC)), "SAR")
    q_utc = default.quote(in_utc)
    assert q_utc["charters"][0]["legs"][0]["local_date"] == "2026-12-10"
    assert q_utc["final_amount"] == Decimal("55200.00")


# --- (c) errors ---------------------------------------------------------------------------


def test_too_many_passengers(default: Any) -> None:
    jet = saudi_itinerary(passengers=9)
    for fn, arg in [
        (default.quote, jet_request(jet, "SAR")),
        (default.charter_availability, jet),
    ]:
        err = raises_code("TOO_MANY_PASSENGERS", fn, arg)
        assert isinstance(err, rihla.InvalidInputError) and isinstance(err, ValueError)
        assert err.details["seats"] == 8  # the midsize category's default
        assert err.details["passengers"] == 9
        assert err.details["leg"] == 0


def test_unknown_airport(default: Any) -> None:
    err = raises_code("UNKNOWN_AIRPORT", default.quote, jet_request(saudi_itinerary("QQQ"), "SAR"))
    assert isinstance(err, rihla.InvalidInputError)
    assert err.details["airport"] == "QQQ"
    raises_code("UNKNOWN_AIRPORT", default.charter_availability, saudi_itinerary("QQQ"))


def test_beyond_range_and_overlapping_legs(default: Any) -> None:
    jet = saudi_itinerary("CAI")
    jet["aircraft"]["range_km"] = Decimal("1000")
    err = raises_code("BEYOND_RANGE", default.quote, jet_request(jet, "SAR"))
    assert isinstance(err, rihla.InvalidInputError)
    # Error details carry decimals as their text (as every rihla error does).
    assert {k: err.details[k] for k in ("leg", "from", "to", "distance_km", "range_km")} == {
        "leg": 0, "from": "RUH", "to": "CAI", "distance_km": "1611.7", "range_km": "1000",
    }

    jet = saudi_itinerary(airports=RUH_JED_AIRPORTS)
    jet["legs"].append({
        "from": "JED", "to": "RUH", "passengers": 2,
        "departure": dt.datetime(2026, 12, 8, 11, 30, tzinfo=RIYADH),
    })
    err = raises_code("OVERLAPPING_LEGS", default.charter_availability, jet)
    assert isinstance(err, rihla.InvalidInputError)
    # Lands 08:19:24Z, + 60 min turnaround: ready at 09:19:24Z, not 08:30Z.
    assert err.details["leg"] == 1
    assert err.details["departure"] == "2026-12-08T08:30:00Z"
    assert err.details["earliest"] == "2026-12-08T09:19:24Z"


def test_float_amounts_are_refused(default: Any) -> None:
    jet = saudi_itinerary()
    jet["aircraft"]["hourly_rate"]["amount"] = 24000.5
    err = raises_code("INVALID_AMOUNT", default.quote, jet_request(jet, "SAR"))
    assert isinstance(err, rihla.InvalidInputError)
    assert err.details["field"] == "items[0].jet.aircraft.hourly_rate.amount"
    err = raises_code("INVALID_AMOUNT", default.charter_availability, jet)
    assert err.details["field"] == "aircraft.hourly_rate.amount"

    jet = broker_itinerary()
    jet["legs"][0]["block_hours"] = 5.0
    err = raises_code("INVALID_AMOUNT", default.quote, jet_request(jet, "USD"))
    assert err.details["field"] == "items[0].jet.legs[0].block_hours"


def test_naive_departure_is_refused(default: Any) -> None:
    jet = saudi_itinerary(departure=dt.datetime(2026, 12, 8, 10, 0))
    err = raises_code("INVALID_REQUEST", default.quote, jet_request(jet, "SAR"))
    assert err.details["field"] == "items[0].jet.legs[0].departure"
    err = raises_code("INVALID_REQUEST", default.charter_availability, jet)
    assert err.details["field"] == "legs[0].departure"


def test_charter_errors_in_the_exception_tree(default: Any) -> None:
    # The tree is by kind, not by code: charter codes are input errors.
    jet = saudi_itinerary()
    jet["legs"][0]["arrival"] = dt.datetime(2026, 12, 8, 9, 0, tzinfo=RIYADH)
    err = raises_code("INVALID_INTERVAL", default.quote, jet_request(jet, "SAR"))
    assert type(err) is rihla.InvalidInputError
    assert err.details["field"] == "items[0].jet.legs[0].arrival"
    assert (err.details["start"], err.details["end"]) == (
        "2026-12-08T07:00:00Z", "2026-12-08T06:00:00Z",
    )
    raises_code("INVALID_JSON", default.charter_availability, '{"aircraft": ')
    raises_code("INVALID_REQUEST", default.charter_availability, {"legs": []})


# --- (d) charter_availability -----------------------------------------------------------


def calendar(*bookings: Dict[str, Any], windows: Optional[List[Any]] = None) -> Dict[str, Any]:
    cal: Dict[str, Any] = {"bookings": list(bookings)}
    if windows is not None:
        cal["windows"] = windows
    return cal


def test_booking_overlapping_a_leg(default: Any) -> None:
    # RUH 10:00+03:00 → JED: occupies 07:00Z .. 08:19:24Z + 60 min turnaround = 09:19:24Z.
    # BK-77 (08:00Z–09:00Z) overlaps it; BK-78 two days later does not.
    jet = saudi_itinerary(availability=calendar(
        {"id": "BK-77", "start": dt.datetime(2026, 12, 8, 8, 0, tzinfo=UTC),
         "end": dt.datetime(2026, 12, 8, 12, 0, tzinfo=RIYADH)},  # = 09:00Z
        {"id": "BK-78", "start": "2026-12-10T08:00:00Z", "end": "2026-12-10T09:00:00Z"},
    ))
    report = default.charter_availability(jet)
    assert report["available"] is False
    assert report["conflicts"] == [{
        "flown_leg": 0,
        "leg": 0,
        "kind": "OCCUPIED",
        "start": "2026-12-08T07:00:00Z",
        "end": "2026-12-08T09:19:24Z",
        "reason": "BOOKED",
        "booking_id": "BK-77",
        "booking_start": "2026-12-08T08:00:00Z",
        "booking_end": "2026-12-08T09:00:00Z",
    }]
    [leg] = report["legs"]
    assert leg["kind"] == "OCCUPIED"
    assert (leg["departure"], leg["arrival"], leg["local_date"]) == (
        "2026-12-08T10:00:00+03:00", "2026-12-08T11:19:24+03:00", "2026-12-08",
    )
    assert (leg["distance_km"], leg["billed_hours"], leg["billable_hours"]) == (
        Decimal("851.8"), Decimal("1.4"), Decimal("1.4"),
    )
    allowed = (dict, list, str, int, bool, type(None), Decimal)
    for value in walk_values(report):
        assert isinstance(value, allowed), f"unexpected {type(value).__name__}: {value!r}"
    # dict, JSON text and UTF-8 bytes give the same report; the input is left alone.
    before = copy.deepcopy(jet)
    assert default.charter_availability(as_json_text(jet)) == report
    assert default.charter_availability(as_json_text(jet).encode()) == report
    assert jet == before


def test_booking_overlapping_the_positioning_leg(default: Any) -> None:
    # Based in JED: a ferry JED→RUH lands at 09:00 local (10:00 − 60 min turnaround) and
    # leaves at 07:40:36 (the 1:19:24 block before); it occupies 04:40:36Z .. 07:00Z and
    # meets BK-77 (04:00Z–05:30Z). A positioning leg serves no earlier customer leg: no
    # "leg" key.
    jet = saudi_itinerary(availability=calendar(
        {"id": "BK-77", "start": "2026-12-08T04:00:00Z", "end": "2026-12-08T05:30:00Z"},
        windows=[{"start": dt.datetime(2026, 12, 1, tzinfo=UTC),
                  "end": dt.datetime(2026, 12, 31, tzinfo=UTC)}],
    ))
    jet["aircraft"]["home_base"] = "JED"
    del jet["return_ferry"]
    report = default.charter_availability(jet)
    assert report["available"] is False
    assert [(leg["kind"], leg["from"], leg["to"], leg["departure"]) for leg in report["legs"]] == [
        ("REPOSITIONING", "JED", "RUH", "2026-12-08T07:40:36+03:00"),
        ("OCCUPIED", "RUH", "JED", "2026-12-08T10:00:00+03:00"),
    ]
    assert "leg" not in report["legs"][0]
    assert report["legs"][0]["passengers"] == 0
    [conflict] = report["conflicts"]
    assert "leg" not in conflict
    assert (conflict["flown_leg"], conflict["kind"], conflict["reason"], conflict["booking_id"]) == (
        0, "REPOSITIONING", "BOOKED", "BK-77",
    )
    assert (conflict["start"], conflict["end"]) == ("2026-12-08T04:40:36Z", "2026-12-08T07:00:00Z")


def test_outside_availability_and_free(default: Any) -> None:
    window = {"start": "2026-12-01T00:00:00Z", "end": "2026-12-08T08:00:00Z"}
    report = default.charter_availability(
        saudi_itinerary(availability=calendar(windows=[window]))
    )
    assert report["available"] is False
    assert [(c["reason"], c["flown_leg"]) for c in report["conflicts"]] == [
        ("OUTSIDE_AVAILABILITY", 0)
    ]
    assert "booking_id" not in report["conflicts"][0]
    # No calendar: nothing to conflict with.
    free = default.charter_availability(saudi_itinerary())
    assert free["available"] is True and free["conflicts"] == []
    assert len(free["legs"]) == 1


def test_calendar_errors(default: Any) -> None:
    jet = saudi_itinerary(availability=calendar(
        {"id": "BK-1", "start": "2026-12-08T11:00:00Z", "end": "2026-12-08T10:00:00Z"},
    ))
    err = raises_code("INVALID_INTERVAL", default.charter_availability, jet)
    assert err.details["field"] == "availability.bookings[0]"
    assert (err.details["start"], err.details["end"]) == (
        "2026-12-08T11:00:00Z", "2026-12-08T10:00:00Z",
    )
    jet = saudi_itinerary(availability=calendar(
        {"id": "BK-1", "start": dt.datetime(2026, 12, 8, 11, 0), "end": "2026-12-08T12:00:00Z"},
    ))
    err = raises_code("INVALID_REQUEST", default.charter_availability, jet)
    assert err.details["field"] == "availability.bookings[0].start"


def test_airport_table_flag() -> None:
    assert "AIRPORT_TABLE" in rihla.__all__
    assert rihla.AIRPORT_TABLE is rihla._rihla.AIRPORT_TABLE is True
