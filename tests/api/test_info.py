"""Information endpoints and the OpenAPI document: /healthz, /readyz, /v1/entities, /docs, /openapi.json."""

from __future__ import annotations

from .conftest import Api


def test_healthz(api: Api) -> None:
    response = api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "status": "alive"}


def test_readyz_checks_engine_and_database(api: Api) -> None:
    response = api.client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"tesseract", "model", "database", "workers"}
    assert checks["database"] == "sqlite"


def test_entities_lists_types_and_languages(api: Api) -> None:
    body = api.client.get("/v1/entities").json()
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= set(body["entities"])
    assert {"code": "en", "tesseract": "eng"} in body["languages"]
    assert body["detection_language"] == "en"
    defaults = set(body["default_entities"])
    assert {"PERSON", "EMAIL_ADDRESS", "ID_NUMBER"} <= defaults < set(body["entities"])
    assert "DE_TAX_ID" in set(body["entities"]) - defaults  # country-specific types only on request


def test_openapi_documents_every_endpoint_and_the_problem_body(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    paths = spec["paths"]
    assert set(paths) == {
        "/v1/analyze-image",
        "/v1/redact-image",
        "/v1/entities",
        "/v1/usage",
        "/healthz",
        "/readyz",
        "/v1/jobs",
        "/v1/jobs/{job_id}",
        "/v1/jobs/{job_id}/result",
        "/v1/webhook",
    }
    analyze = paths["/v1/analyze-image"]["post"]
    form = analyze["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["image"]
    assert form["properties"]["image"]["format"] == "binary"
    assert form["properties"]["entities"]["type"] == "array"
    redact_form = paths["/v1/redact-image"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"fill_color", "verify", "boxes"} <= set(redact_form["properties"])
    for status in ("401", "413", "415", "422", "429", "503"):
        assert analyze["responses"][status]["content"] == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert "image/png" in paths["/v1/redact-image"]["post"]["responses"]["200"]["content"]
    assert "Problem" in spec["components"]["schemas"]
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": spec["components"]["securitySchemes"]["ApiKey"]["description"],
    }


def test_docs_page_is_served(api: Api) -> None:
    response = api.client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
