"""``json.dumps`` support: :func:`json_default` writes rihla's values as JSON strings."""

from __future__ import annotations


def json_default(value: object) -> object:
    """For ``json.dumps(quote, default=rihla.json_default)`` (and any encoder with a
    ``default`` hook, e.g. ``JSONResponse`` subclasses or ``DjangoJSONEncoder`` users):

    - ``decimal.Decimal`` → its exact text in fixed-point notation (``Decimal("1150.00")``
      → ``"1150.00"``): never a float, so no minor unit is lost;
    - aware ``datetime`` → RFC 3339 text (``"2026-11-22T09:00:00+00:00"``), ``date`` →
      ``"2026-11-22"``;
    - a result object (:class:`rihla.Quote` …) → its ``to_dict()``, whose values come
      back here in turn (enum members are ``str`` already).

    For a whole result, ``result.to_json()`` is faster (written in Rust) and writes
    instants exactly as rihla does (``"…Z"``).

    Anything else raises ``TypeError``, as ``json.dumps`` expects of a ``default`` hook.
    """
    import datetime as _dt  # already loaded by then: imported here to keep `import rihla` small
    from decimal import Decimal

    from ._rihla import Result

    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{value!r} is not a finite amount")
        return format(value, "f")
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
