"""The README's framework recipes, run as written: each ```python block under the
"### Django", "### Django REST framework" and "### FastAPI" headings of
bindings-python/README.md is executed and served by the framework's own test client
(Django's with ``enforce_csrf_checks=True``). Amounts must come back as JSON strings."""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Any, Dict

import pytest

import rihla

REPO = Path(__file__).resolve().parents[2]
README = REPO / "bindings-python" / "README.md"
UMRAH_FAMILY = REPO / "examples" / "data" / "umrah_family.json"


def recipe(heading: str) -> str:
    """The first python code block under `### heading` in the README."""
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n### {heading}\n", 1)[1].split("\n### ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python block under ### {heading}"
    return match.group(1)


def run(code: str, **names: Any) -> Dict[str, Any]:
    namespace: Dict[str, Any] = {"__name__": "recipe", **names}
    exec(compile(code, f"README.md recipe", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def family() -> bytes:
    return UMRAH_FAMILY.read_bytes()


@pytest.fixture(scope="module")
def expected(family: bytes) -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(rihla.Rulebook.default().quote_json(family))
    return data


# --- Django and DRF ---------------------------------------------------------------------

URLS = types.ModuleType("rihla_recipe_urls")


@pytest.fixture(scope="module")
def django_client() -> Any:
    django = pytest.importorskip("django")
    pytest.importorskip("rest_framework")
    from django.conf import settings  # type: ignore[import-untyped]

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="rihla-recipe-tests",
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF=URLS.__name__,
            MIDDLEWARE=[
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",   # Django's default, on
            ],
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                            "rest_framework"],
            DATABASES={},
            USE_TZ=True,
        )
        django.setup()
    from django.test import Client  # type: ignore[import-untyped]
    from django.urls import path  # type: ignore[import-untyped]

    rulebook = rihla.Rulebook.default()
    plain = run(recipe("Django"), RULEBOOK=rulebook)
    drf = run(recipe("Django REST framework"), RULEBOOK=rulebook)
    URLS.urlpatterns = [  # type: ignore[attr-defined]
        path("quote", plain["quote_view"]),
        path("drf/quote", drf["QuoteView"].as_view()),
    ]
    sys.modules[URLS.__name__] = URLS
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("url", ["/quote", "/drf/quote"])
def test_django_recipes_answer_with_amounts_as_strings(
        django_client: Any, url: str, family: bytes, expected: Dict[str, Any]) -> None:
    response = django_client.post(url, data=family, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body == expected
    assert body["final_amount"] == "17997.41"


@pytest.mark.parametrize("url", ["/quote", "/drf/quote"])
def test_django_recipes_answer_an_error_with_its_details(django_client: Any, url: str) -> None:
    response = django_client.post(url, data=b'{"currency": "SAR"}',
                                  content_type="application/json")
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["code"] == "INVALID_REQUEST" and body["field"]


def test_drf_encoder_and_amount_field_never_write_a_float(django_client: Any) -> None:
    from decimal import Decimal

    from rest_framework import serializers  # type: ignore[import-untyped]

    from rihla.contrib.drf import AmountField, RihlaJSONRenderer

    quote = rihla.Rulebook.default().quote(json.loads(UMRAH_FAMILY.read_text()))
    rendered = RihlaJSONRenderer().render({"quote": quote, "fee": Decimal("12.50")})
    data = json.loads(rendered)
    assert data["fee"] == "12.50" and data["quote"]["final_amount"] == "17997.41"

    class Payment(serializers.Serializer):  # type: ignore[misc]
        amount = AmountField()

    ok = Payment(data={"amount": "1150.005"})
    assert ok.is_valid() and ok.validated_data["amount"] == Decimal("1150.005")
    assert Payment({"amount": Decimal("1150.50")}).data["amount"] == "1150.50"
    refused = Payment(data={"amount": 1150.5})
    assert not refused.is_valid() and "float" in str(refused.errors["amount"])


# --- FastAPI ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fastapi_client() -> Any:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    app = run(recipe("FastAPI"))["app"]
    return TestClient(app)


def test_fastapi_recipe_answers_with_amounts_as_strings(
        fastapi_client: Any, family: bytes, expected: Dict[str, Any]) -> None:
    response = fastapi_client.post("/quote", content=family,
                                   headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == expected
    summary = fastapi_client.post("/quote/summary", content=family).json()
    assert summary == {"final_amount": "17997.41", "lines": len(expected["lines"])}


def test_fastapi_recipe_answers_an_error_with_its_details(fastapi_client: Any) -> None:
    response = fastapi_client.post("/quote/summary", content=b'{"currency": 7}')
    assert response.status_code == 422
    assert response.json()["code"] == "INVALID_REQUEST"
    response = fastapi_client.post("/quote", content=b"{")
    assert response.status_code == 422 and response.json()["code"] == "INVALID_JSON"
