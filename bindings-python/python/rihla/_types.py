"""The public type aliases (``rihla.JSONText``, ``rihla.LedgerId``, ``rihla.Instant``).

Imported on first use (``rihla.JSONText`` or a type checker), not by ``import rihla``:
``typing`` and ``uuid`` are most of an import's time.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from typing import Union

#: JSON text as a host has it: ``str``, or UTF-8 ``bytes`` (e.g. a Django ``request.body``).
JSONText = Union[str, bytes, bytearray]

#: An account or transfer id as a host has it: ``str`` (decimal digits or a UUID), a
#: non-negative ``int`` (an integer primary key) or a ``uuid.UUID`` (a ``UUIDField``).
#: rihla answers with ids as ``str`` of decimal digits; ``uuid.UUID(int=int(id))`` gives a
#: UUID back.
LedgerId = Union[str, int, uuid.UUID]

#: An instant: an aware ``datetime`` or RFC 3339 text (``"2026-11-22T09:00:00Z"``).
Instant = Union[_dt.datetime, str]
