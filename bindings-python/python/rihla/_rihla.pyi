# Stubs for the native module rihla._rihla (bindings-python/src/lib.rs), kept by hand and
# checked against the built module by mypy's stubtest (bindings-python/run-tests.sh).
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final, Union, final

__all__ = [
    "__version__",
    "AIRPORT_TABLE",
    "Rulebook",
    "allocate",
    "_to_json",
    "RihlaError",
    "InvalidInputError",
    "CurrencyMismatchError",
    "ArithmeticOverflowError",
]

__version__: Final[str]
AIRPORT_TABLE: Final[bool]

_JSONText = Union[str, bytes, bytearray]

class RihlaError(Exception):
    """Base class of every error rihla raises."""

    code: str
    details: dict[str, Any]

class InvalidInputError(RihlaError, ValueError):
    """Input that rihla refuses; `.code` says why."""

class CurrencyMismatchError(RihlaError, ValueError):
    """Amounts of different currencies were combined (CURRENCY_MISMATCH)."""

class ArithmeticOverflowError(RihlaError, ArithmeticError):
    """A computation went past the decimal range (OVERFLOW)."""

@final
class Rulebook:
    @staticmethod
    def from_json(text: _JSONText) -> Rulebook: ...
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Rulebook: ...
    @staticmethod
    def default() -> Rulebook: ...
    @property
    def version(self) -> str: ...
    def quote(self, request: Union[Mapping[str, Any], _JSONText]) -> dict[str, Any]: ...
    def check_voucher(self, request: Union[Mapping[str, Any], _JSONText], code: str) -> dict[str, Any]: ...
    def check_entitlement(self, request: Union[Mapping[str, Any], _JSONText]) -> dict[str, Any]: ...
    def upgrade_price(self, request: Union[Mapping[str, Any], _JSONText]) -> dict[str, Any]: ...
    def referral_rewards(self, request: Union[Mapping[str, Any], _JSONText]) -> dict[str, Any]: ...
    def charter_availability(self, itinerary: Union[Mapping[str, Any], _JSONText]) -> dict[str, Any]: ...
    def tier_for_points(self, lifetime_points: int) -> str: ...

def allocate(
    amount: Union[Decimal, int], currency: str, weights: Iterable[Union[Decimal, int]]
) -> list[Decimal]: ...

def _to_json(obj: object) -> str:
    """Test hook: the JSON text the strict input walker makes of `obj`."""
