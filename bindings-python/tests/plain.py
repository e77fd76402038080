"""Results as plain data, for the tests that check values by key.

:class:`PlainRulebook` answers as a ``rihla.Rulebook`` does, each result turned into the
plain data a host gets from ``result.to_dict()`` — with instants and dates as the text
rihla writes (``result.to_json()``), so a test can compare them with the documented
wire form. Both conversions are checked against each other on every call.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import rihla


def plain(result: rihla.Result) -> Any:
    """``to_dict()``, with each instant or date replaced by its ``to_json()`` text."""
    return _merge(result.to_dict(), json.loads(result.to_json()))


def _merge(data: Any, wire: Any) -> Any:
    if isinstance(data, dict):
        assert isinstance(wire, dict) and list(data) == list(wire)
        return {k: _merge(v, wire[k]) for k, v in data.items()}
    if isinstance(data, list):
        assert isinstance(wire, list) and len(data) == len(wire)
        return [_merge(d, w) for d, w in zip(data, wire)]
    if isinstance(data, (dt.datetime, dt.date)):
        assert isinstance(wire, str)
        back = dt.datetime.fromisoformat(wire.replace("Z", "+00:00")) if isinstance(
            data, dt.datetime) else dt.date.fromisoformat(wire)
        assert back == data and type(back) is type(data), (data, wire)
        return wire
    if isinstance(data, Decimal):
        assert wire == format(data, "f"), (data, wire)
    else:
        assert wire == data, (data, wire)
    return data


class PlainRulebook:
    """A rulebook whose answers are plain data (see the module docstring)."""

    def __init__(self, rulebook: rihla.Rulebook) -> None:
        self.rulebook = rulebook

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.rulebook, name)

        def call(*args: Any) -> Any:
            result = method(*args)
            return plain(result) if isinstance(result, rihla.Result) else result

        return call
