"""One error body for everything (RFC 9457 problem+json plus code/ok/error), pinned; faults map to statuses."""

from __future__ import annotations

from typing import Any

import pytest

from redactor.errors import MissingDependencyError, OcrError, OcrTimeoutError, RedactorError, describe, error_classes

from .conftest import Api

KEYS = {"type", "title", "status", "detail", "code", "ok", "error", "request_id"}


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert KEYS <= set(body) <= KEYS | {"errors"}
    assert body["type"] == f"urn:redactor:error:{code}"
    assert body["title"] == describe(code).title
    assert (body["status"], body["code"], body["ok"]) == (status, code, False)
    assert body["detail"] == body["error"] and body["detail"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert "Traceback" not in response.text
    return body


def test_pinned_body(api: Api) -> None:
    response = api.client.post("/v1/analyze-image", headers={"X-Request-ID": "req-123"})
    assert response.json() == {
        "type": "urn:redactor:error:unauthorized",
        "title": "Unauthorized",
        "status": 401,
        "detail": "A valid API key is required in the X-API-Key header.",
        "code": "unauthorized",
        "ok": False,
        "error": "A valid API key is required in the X-API-Key header.",
        "request_id": "req-123",
    }


def test_not_found_and_method_not_allowed(api: Api) -> None:
    assert_problem(api.client.get("/v1/nothing"), 404, "not_found")
    assert_problem(api.client.get("/v1/analyze-image"), 405, "method_not_allowed")


def test_validation_errors_have_the_same_shape_without_values(api: Api, letter_png: bytes) -> None:
    secret_value = "John Smith's phrase"
    response = api.post_image("/v1/analyze-image", letter_png, fields={"score_threshold": secret_value})
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"] == [
        {
            "loc": ["body", "score_threshold"],
            "msg": "Input should be a valid number, unable to parse string as a number",
            "type": "float_parsing",
        }
    ]
    assert "John" not in response.text


def test_unexpected_exception_is_a_generic_500(
    api: Api, letter_png: bytes, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom near John Smith")

    monkeypatch.setattr("redactor.api.routes.analyze", explode)
    response = api.post_image("/v1/analyze-image", letter_png)

    body = assert_problem(response, 500, "internal_error")
    assert body["detail"] == "Internal error."
    assert "John" not in response.text and "boom" not in response.text
    assert api.store.ledger.entries()[-1].status == 500 and api.store.ledger.entries()[-1].tokens == 0
    assert any("RuntimeError" in r.getMessage() or r.exc_info for r in caplog.records)  # traceback goes to the log only


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (OcrTimeoutError(), 503, "ocr_timeout"),
        (OcrError(), 500, "ocr_failed"),
        (MissingDependencyError("Tesseract's data is missing."), 503, "missing_dependency"),
    ],
)
def test_engine_faults_map_to_statuses(
    api: Api, letter_png: bytes, monkeypatch: pytest.MonkeyPatch, error: RedactorError, status: int, code: str
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("redactor.engine.ocr.read_words", fail)
    response = api.post_image("/v1/redact-image", letter_png)

    assert_problem(response, status, code)
    assert api.store.ledger.entries()[-1].tokens == 0


def test_one_error_tree_in_one_module() -> None:
    import redactor.api.app  # noqa: F401  (loads every module that raises)
    import redactor.cli  # noqa: F401

    classes = error_classes()
    assert RedactorError in classes and len(classes) > 20
    assert {cls.__module__ for cls in classes} == {"redactor.errors"}


def test_classes_sharing_a_code_share_status_and_title() -> None:
    by_code: dict[str, set[tuple[int, str]]] = {}
    for cls in error_classes():
        assert cls.code and cls.title and 400 <= cls.http_status < 600, cls
        by_code.setdefault(cls.code, set()).add((cls.http_status, cls.title))
    assert all(len(shapes) == 1 for shapes in by_code.values()), by_code


def test_readyz_reports_an_unreachable_database(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    assert api.client.get("/readyz").status_code == 200

    def down() -> None:
        raise ConnectionError("database down")

    monkeypatch.setattr(api.store, "ping", down)
    response = api.client.get("/readyz")
    body = assert_problem(response, 503, "not_ready")
    assert "database" in body["detail"]


def test_engine_not_loaded_is_503(api: Api, letter_png: bytes) -> None:
    api.services.engine, engine = None, api.services.engine
    try:
        assert_problem(api.post_image("/v1/analyze-image", letter_png), 503, "not_ready")
        assert_problem(api.client.get("/readyz"), 503, "not_ready")
    finally:
        api.services.engine = engine
