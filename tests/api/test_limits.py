"""Limits: upload size enforced while streaming (413), rate limit (429), full worker queue (503)."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from redactor.engine import pipeline
from redactor.service.store import Store

from .conftest import Api

NOW = datetime(2026, 5, 10, 12, 0, 30, tzinfo=UTC)


def _no_processing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("nothing may be decoded for a refused upload")

    monkeypatch.setattr("redactor.engine.formats.decode_image", refuse)


def test_file_over_the_plan_limit_is_413_naming_plan_and_limit(
    api: Api, render: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    noisy = render(["x"], size=(300, 300)).encode("BMP")  # 270 KB; plan small allows 50 KB
    _no_processing(monkeypatch)

    response = api.post_image("/v1/analyze-image", noisy, plan="small")

    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "file_too_large"
    assert body["detail"] == "Upload is 270.1 KB; plan 'Small' allows 50 KB."
    (row,) = api.store.ledger.entries()
    assert (row.status, row.tokens) == (413, 0)


def test_cap_is_enforced_on_the_stream_not_content_length(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunked upload (no Content-Length) is cut off once it passes the cap; the rest is never pulled."""
    _no_processing(monkeypatch)
    head = b'--bnd\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n'
    chunk = b"\x89PNG" + b"\0" * 65532
    pulled: list[int] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        body = head if not pulled else chunk
        pulled.append(len(body))
        return {"type": "http.request", "body": body, "more_body": len(pulled) < 320}  # 20 MB offered

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/redact-image",
        "raw_path": b"/v1/redact-image",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"x-api-key", api.key("small").encode()),
            (b"content-type", b"multipart/form-data; boundary=bnd"),
            (b"transfer-encoding", b"chunked"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    asyncio.run(api.client.app(scope, receive, send))

    assert sent[0]["status"] == 413
    assert b"Upload exceeds the 50 KB file limit of plan 'Small'." in sent[1]["body"]
    assert sum(pulled) <= 50_000 + 1024 * 1024 + len(chunk)  # stopped at the cap (50 KB + 1 MB for fields)
    assert len(pulled) < 320


def test_declared_content_length_over_the_cap_is_refused_unread(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_processing(monkeypatch)
    response = api.client.post(
        "/v1/analyze-image",
        content=b"x" * 2_000_000,
        headers={"X-API-Key": api.key("small"), "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"


def test_a_lying_content_length_does_not_bypass_the_cap(make_api: Any, letter_png: bytes) -> None:
    """Content-Length may claim less than is sent; the byte count of the stream is what counts."""
    api = make_api()
    body = (
        b'--b\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n'
        + b"\0" * 1_200_000
        + b"\r\n--b--\r\n"
    )

    async def send() -> httpx.Response:
        async def receive_body() -> Any:
            yield body

        transport = httpx.ASGITransport(app=api.client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            request = client.build_request(
                "POST",
                "/v1/analyze-image",
                content=receive_body(),
                headers={
                    "X-API-Key": api.key("small"),
                    "Content-Type": "multipart/form-data; boundary=b",
                    "Content-Length": "100",
                },
            )
            return await client.send(request)

    response = asyncio.run(send())
    assert response.status_code == 413


def test_rate_limit_is_429_with_retry_after_and_headers(make_api: Any, store: Store, letter_png: bytes) -> None:
    api = make_api(store=store, now=NOW)

    statuses = [api.post_image("/v1/analyze-image", letter_png, plan="slow") for _ in range(4)]

    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert statuses[0].headers["X-RateLimit-Limit"] == "3"
    assert [r.headers["X-RateLimit-Remaining"] for r in statuses] == ["2", "1", "0", "0"]
    limited = statuses[-1]
    assert limited.json()["code"] == "rate_limited"
    assert limited.headers["Retry-After"] == "30" == limited.headers["X-RateLimit-Reset"]
    assert api.store.ledger.entries()[-1].tokens == 0

    api.clock.now = NOW + timedelta(seconds=30)  # next minute
    assert api.post_image("/v1/analyze-image", letter_png, plan="slow").status_code == 200


def test_full_queue_is_503_with_retry_after(make_api: Any, letter_png: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """One worker, no queue: while a call runs, the next is refused at once instead of waiting."""
    api = make_api(workers=1, queue=0)
    release = threading.Event()
    real_analyze = pipeline.analyze

    def slow_analyze(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real_analyze(*args, **kwargs)

    monkeypatch.setattr("redactor.api.routes.analyze", slow_analyze)
    secret = api.key()

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=api.client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:

            def post() -> Any:
                return client.post(
                    "/v1/analyze-image", files={"image": ("a.png", letter_png)}, headers={"X-API-Key": secret}
                )

            first = asyncio.ensure_future(post())
            while api.services.pool.admitted == 0:
                await asyncio.sleep(0.01)
            second = await post()
            release.set()
            return await first, second

    first, second = asyncio.run(scenario())

    assert first.status_code == 200
    assert second.status_code == 503
    assert second.json()["code"] == "overloaded"
    assert int(second.headers["Retry-After"]) >= 1
    assert api.services.pool.admitted == 0
    assert [r.tokens > 0 for r in api.store.ledger.entries()] == [False, True]  # the refused call first, at 0 tokens
