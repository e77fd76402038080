"""FastAPI glue: a response class that writes rihla's results and amounts as JSON strings,
and the exception handler that answers a :class:`rihla.RihlaError` with its details.

FastAPI's own encoder turns ``decimal.Decimal`` into ``float``; these never do::

    from fastapi import FastAPI
    from rihla.contrib.fastapi import RihlaJSONResponse, install_error_handler

    app = FastAPI(default_response_class=RihlaJSONResponse)
    install_error_handler(app)

    @app.post("/quotes")
    async def quote(request: Request) -> Response:
        return Response(RULEBOOK.quote_json(await request.body()),
                        media_type="application/json")       # the fastest path

    @app.get("/quotes/{id}")
    def stored(id: str) -> RihlaJSONResponse:
        return RihlaJSONResponse({"id": id, "quote": load_quote(id)})   # a rihla.Quote inside
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import rihla

__all__ = ["RihlaJSONResponse", "install_error_handler", "status_of"]


class RihlaJSONResponse(JSONResponse):
    """A JSON response for rihla's values: a result (``rihla.Quote`` …) is written by its
    own ``to_json()`` (in Rust); any other content by ``json.dumps`` with
    :func:`rihla.json_default` (``Decimal`` → ``"1234.50"``, ``datetime`` → RFC 3339,
    results inside → their ``to_dict()``). Never a float."""

    def render(self, content: Any) -> bytes:
        if isinstance(content, rihla.Result):
            return content.to_json()
        return json.dumps(content, default=rihla.json_default, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")


def status_of(error: rihla.RihlaError) -> int:
    """The HTTP status of an error: 500 for ``INTERNAL`` (a rihla defect), 422 for every
    other code (the request can be corrected)."""
    return 500 if isinstance(error, rihla.InternalError) else 422


def install_error_handler(app: FastAPI) -> None:
    """Answers every :class:`rihla.RihlaError` a route raises with its ``.details``
    (``{"code", "message", "field", …}``) and :func:`status_of`'s status."""

    async def handler(request: Request, exc: Exception) -> RihlaJSONResponse:
        assert isinstance(exc, rihla.RihlaError)
        return RihlaJSONResponse(exc.details, status_code=status_of(exc))

    app.add_exception_handler(rihla.RihlaError, handler)
