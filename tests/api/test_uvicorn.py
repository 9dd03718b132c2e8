"""One real `redactor serve` process (uvicorn) over loopback: demo key, every status class, streaming 413, 503."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving import free_port, redactor_serve

from redactor.service.store import open_store

pytestmark = pytest.mark.tesseract


@dataclass
class Server:
    url: str
    demo_key: str
    db_url: str
    log: Path

    def key(self, plan: str) -> str:
        store = open_store(self.db_url)
        try:
            return store.keys.create(name=f"uvicorn-{plan}", plan=plan)[1]
        finally:
            store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, plans_path: Path) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("uvicorn")
    port = free_port()
    db_url = f"sqlite:///{tmp / 'server.db'}"
    log = tmp / "server.log"
    env = {
        **os.environ,
        "REDACTOR_DATABASE_URL": db_url,
        "REDACTOR_PLANS_FILE": str(plans_path),
        "REDACTOR_QUEUE": "0",
    }
    with redactor_serve(port, workers=1, env=env, cwd=tmp, log=log, timeout=90) as url:
        match = re.search(r"REDACTOR_KEY=(rdk_[A-Za-z0-9_-]+)", log.read_text())
        assert match, log.read_text()
        yield Server(url, match.group(1), db_url, log)


def test_demo_key_and_health(server: Server) -> None:
    assert "on plan 'pro'" in server.log.read_text()
    assert httpx.get(f"{server.url}/healthz").json() == {"ok": True, "status": "alive"}
    assert httpx.get(f"{server.url}/docs").status_code == 200


def test_analyze_and_redact_over_loopback(server: Server, letter_png: bytes) -> None:
    headers = {"X-API-Key": server.demo_key}
    analysis = httpx.post(
        f"{server.url}/v1/analyze-image", files={"image": ("a.png", letter_png)}, headers=headers, timeout=30
    )
    assert analysis.status_code == 200, analysis.text
    assert analysis.json()["tokens_charged"] > 0
    redacted = httpx.post(
        f"{server.url}/redact-image", files={"image": ("a.png", letter_png)}, headers=headers, timeout=30
    )
    assert redacted.status_code == 200
    assert redacted.headers["content-type"] == "image/png"
    assert int(redacted.headers["X-Redacted-Regions"]) >= 3
    usage = httpx.get(f"{server.url}/v1/usage", headers=headers).json()
    assert usage["used"] == analysis.json()["tokens_charged"] + int(redacted.headers["X-Tokens-Charged"])


@pytest.mark.parametrize(
    ("plan", "path", "data", "fields", "status", "code"),
    [
        (None, "/v1/analyze-image", b"x", {}, 401, "unauthorized"),
        ("free", "/v1/redact-image", b"x", {}, 403, "forbidden"),
        ("pro", "/v1/analyze-image", b"not an image", {}, 415, "unsupported_format"),
        ("pro", "/v1/analyze-image", b"x", {"score_threshold": "9"}, 422, "invalid_request"),
    ],
)
def test_error_statuses_over_loopback(
    server: Server, plan: str | None, path: str, data: bytes, fields: dict[str, str], status: int, code: str
) -> None:
    headers = {"X-API-Key": server.key(plan)} if plan else {}
    response = httpx.post(
        f"{server.url}{path}", files={"image": ("a.bin", data)}, data=fields, headers=headers, timeout=30
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_404_over_loopback(server: Server) -> None:
    response = httpx.get(f"{server.url}/v2/nothing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_streamed_upload_over_the_limit_is_413(server: Server) -> None:
    """A chunked 30 MB upload to a 50 KB plan: refused while streaming, the client still reads the 413."""
    boundary = "xyz"

    def body() -> Iterator[bytes]:
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n'.encode()
        for _ in range(300):
            yield b"\0" * 100_000
        yield f"\r\n--{boundary}--\r\n".encode()

    response = httpx.post(
        f"{server.url}/v1/redact-image",
        content=body(),
        headers={"X-API-Key": server.key("small"), "Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "Upload exceeds the 50 KB file limit of plan 'Small'."


def test_rate_limit_over_loopback(server: Server) -> None:
    """Plan slow allows 3 a minute: of 8 quick calls (which may straddle one minute boundary) some are 429."""
    headers = {"X-API-Key": server.key("slow")}
    responses = [
        httpx.post(f"{server.url}/v1/analyze-image", files={"image": ("a", b"x")}, headers=headers) for _ in range(8)
    ]
    limited = [r for r in responses if r.status_code == 429]
    assert limited and all(r.status_code in (415, 429) for r in responses)
    assert limited[0].json()["code"] == "rate_limited"
    assert int(limited[0].headers["Retry-After"]) >= 1 and limited[0].headers["X-RateLimit-Limit"] == "3"


def test_full_queue_is_503_over_loopback(server: Server, render: Any) -> None:
    """The server runs 1 worker and no queue: of 4 simultaneous heavy pages, the extra ones get 503 at once."""
    page = render([f"Line {i}: John Smith lives at {i} Main Street, Springfield" for i in range(40)], size=(1700, 2800))
    data = page.encode("PNG")
    headers = {"X-API-Key": server.key("pro")}

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=60) as client:
            calls = [
                client.post(f"{server.url}/v1/analyze-image", files={"image": ("a.png", data)}, headers=headers)
                for _ in range(4)
            ]
            return list(await asyncio.gather(*calls))

    responses = asyncio.run(burst())
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 200
    assert 503 in statuses
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.json()["code"] == "overloaded" and int(busy.headers["Retry-After"]) >= 1
