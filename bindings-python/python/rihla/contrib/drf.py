"""Django REST framework glue: a renderer and an encoder that keep amounts as strings, and
a serializer field for amounts.

DRF's own JSON encoder writes ``decimal.Decimal`` as a ``float``; these never do::

    REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rihla.contrib.drf.RihlaJSONRenderer"]}

    class QuoteView(APIView):
        def post(self, request):
            return Response(RULEBOOK.quote(request.data))    # a rihla.Quote, as its JSON
"""

from __future__ import annotations

import decimal
from typing import Any, Optional

from rest_framework import renderers, serializers  # type: ignore[import-untyped]
from rest_framework.utils import encoders  # type: ignore[import-untyped]

import rihla

__all__ = ["AmountField", "RihlaJSONEncoder", "RihlaJSONRenderer"]


class RihlaJSONEncoder(encoders.JSONEncoder):  # type: ignore[misc]
    """DRF's encoder, with a result as its ``to_dict()`` and a ``Decimal`` as its exact
    text (``"1234.50"``), never a float."""

    def default(self, obj: Any) -> Any:
        if isinstance(obj, rihla.Result):
            return obj.to_dict()
        if isinstance(obj, decimal.Decimal):
            return format(obj, "f")
        return super().default(obj)


class RihlaJSONRenderer(renderers.JSONRenderer):  # type: ignore[misc]
    """DRF's JSON renderer with :class:`RihlaJSONEncoder`; a result given as the whole
    response body is written by its own ``to_json()`` (in Rust)."""

    encoder_class = RihlaJSONEncoder

    def render(self, data: Any, accepted_media_type: Optional[str] = None,
               renderer_context: Optional[dict[str, Any]] = None) -> bytes:
        if isinstance(data, rihla.Result):
            return data.to_json()
        rendered: bytes = super().render(data, accepted_media_type, renderer_context)
        return rendered


class AmountField(serializers.DecimalField):  # type: ignore[misc]
    """An amount in a host's own serializer: read exactly as ``Decimal`` (a float is
    refused), written as its text (``"1234.50"``). ``max_digits`` 28 and
    ``decimal_places`` 12 by default: what a rihla amount can hold."""

    def __init__(self, max_digits: int = 28, decimal_places: int = 12, **kwargs: Any) -> None:
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def to_internal_value(self, data: Any) -> decimal.Decimal:
        if isinstance(data, float):
            raise serializers.ValidationError("an amount is never a float: send a string")
        value: decimal.Decimal = super().to_internal_value(data)
        return value

    def to_representation(self, value: Any) -> Optional[str]:
        if value is None:
            return None
        return format(decimal.Decimal(value), "f")
