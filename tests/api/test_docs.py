"""The README's HTTP API section documents every plans.yaml field, every error code and the endpoints."""

from __future__ import annotations

import re
from pathlib import Path

from redactor.api.errors import STATUS_BY_CODE
from redactor.plans import Plan, PlanBook, TokenFormula

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    assert "\n## HTTP API\n" in text
    return text.split("\n## HTTP API\n", 1)[1]


def test_every_plans_field_is_documented() -> None:
    section = _section()
    fields = [f"tokens.{name}" for name in TokenFormula.model_fields]
    fields += [name for name in PlanBook.model_fields if name not in ("tokens", "plans")]
    fields += [name for name in Plan.model_fields if name != "name"]
    for field in fields:
        assert f"`{field}`" in section, field


def test_every_error_code_is_documented_with_its_status() -> None:
    section = _section()
    for code, status in STATUS_BY_CODE.items():
        assert re.search(rf"\| `{code}` \| {status} \|", section), code


def test_endpoints_and_formula_are_documented() -> None:
    section = _section()
    for path in ("/v1/analyze-image", "/v1/redact-image", "/v1/entities", "/v1/usage", "/healthz", "/readyz"):
        assert path in section
    assert "per_1000_characters x characters / 1000" in section
    assert "curl" in section and "X-API-Key: $REDACTOR_KEY" in section
