"""How the service serves the page (no browser needed): `/`, its own files under /web/, and nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from redactor.api.app import create_app
from redactor.service.config import Settings
from redactor.service.plans import load_plans
from redactor.web import FILES, HERE

from .conftest import REPO


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(database_url="sqlite:///:memory:", plans_file=REPO / "redactor" / "service" / "plans.yaml")
    app = create_app(settings=settings, plans=load_plans(REPO / "redactor" / "service" / "plans.yaml"), workers=1)
    yield TestClient(app)  # no lifespan: the page needs no engine
    app.state.services.store.close()


def test_page_at_root_with_strict_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_every_file_the_page_names_is_served(client: TestClient) -> None:
    html = client.get("/").text
    named = set(re.findall(r'(?:src|href)="/web/([^"]+)"', html))
    assert named == set(FILES)  # the page uses every file listed, and only those
    for name in named:
        response = client.get(f"/web/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"] == FILES[name]
        assert response.content == (HERE / name).read_bytes()


@pytest.mark.parametrize(
    "path", ["/web/__init__.py", "/web/nothing.js", "/web/..%2F..%2Fpyproject.toml", "/index.html"]
)
def test_nothing_else_is_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_api_answers_are_unchanged(client: TestClient) -> None:
    response = client.post("/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "/" not in client.get("/openapi.json").json()["paths"]  # the page is not part of the API


def test_page_uses_only_the_public_api() -> None:
    script = (HERE / "app.js").read_text()
    paths = set(re.findall(r"'(/(?:v1/)?[a-z][a-z./-]*)'", script))
    assert paths <= {"/v1/usage", "/v1/entities", "/v1/analyze-image", "/v1/redact-image", "/openapi.json"}, paths
    assert "localStorage" not in script  # the key is kept for the session only
    assert "sessionStorage" in script
