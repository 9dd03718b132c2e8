"""Metering: price per the formula, one ledger row per call, allowance checked before work, no lost charges.

The store-level and concurrency tests run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from redactor.service.metering import current_period
from redactor.service.plans import PlanBook
from redactor.service.store import LedgerEntry, Store

from .conftest import PII, Api

NOW = datetime(2026, 3, 31, 23, 59, 0, tzinfo=UTC)


def _precharge(store: Store, key_id: str, tokens: int, at: datetime) -> None:
    store.ledger.record(
        LedgerEntry(at=at, request_id="seed", key_id=key_id, endpoint="analyze-image", status=200, tokens=tokens)
    )


def test_charge_follows_the_formula_and_ledger_has_counts_only(
    make_api: Any, store: Store, letter_png: bytes, plans: PlanBook
) -> None:
    api = make_api(store=store)
    response = api.post_image("/v1/analyze-image", letter_png, filename="John Smith.png")
    body = response.json()

    (row,) = api.store.ledger.entries()
    assert row.endpoint == "analyze-image" and row.status == 200 and row.code is None
    assert row.request_id == response.headers["X-Request-ID"]
    assert row.key_id == api.key_id(api.key())
    assert row.characters == body["characters_read"] > 0
    assert row.entities == len(body["entities"]) >= 3
    assert row.pages == 1 and row.duration_ms >= 0
    assert (
        row.tokens
        == body["tokens_charged"]
        == plans.tokens_for(pages=1, characters=row.characters, entities=row.entities)
    )
    assert api.store.ledger.used_tokens(row.key_id, row.period) == row.tokens  # type: ignore[arg-type]


def test_database_holds_no_document_content(make_api: Any, letter_png: bytes, tmp_path: Any) -> None:
    api = make_api()
    api.post_image("/v1/analyze-image", letter_png, filename="John-Smith-passport.png")
    api.post_image("/v1/redact-image", letter_png, filename="John-Smith-passport.png")
    api.post_image("/v1/redact-image", b"garbage", filename="John-Smith-passport.png")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("api-0.db*"))
    assert raw
    for needle in (*PII, "Smith", "passport", "Dear"):
        assert needle.encode() not in raw


@pytest.mark.parametrize(
    ("data", "fields", "status"),
    [
        (b"not an image", {}, 415),
        (None, {"score_threshold": "7"}, 422),
        (None, {"entities": "NOPE"}, 422),
    ],
)
def test_failed_calls_cost_nothing_but_are_ledgered(
    api: Api, letter_png: bytes, data: bytes | None, fields: dict[str, str], status: int
) -> None:
    response = api.post_image("/v1/analyze-image", data if data is not None else letter_png, fields=fields)

    assert response.status_code == status
    (row,) = api.store.ledger.entries()
    assert (row.status, row.tokens, row.code) == (status, 0, response.json()["code"])
    assert api.store.ledger.used_tokens(api.key_id(api.key()), row.period) == 0


def test_exhausted_allowance_is_429_before_any_ocr(
    make_api: Any, store: Store, letter_png: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = make_api(store=store, now=NOW)
    secret = api.key("tiny")
    _precharge(api.store, api.key_id(secret), 30, NOW)
    monkeypatch.setattr("redactor.engine.ocr.read_words", lambda *a, **k: pytest.fail("OCR ran"))

    response = api.post_image("/v1/redact-image", letter_png, plan="tiny")

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "quota_exceeded"
    assert "Tiny" in body["detail"] and "2026-04-01" in body["detail"]
    assert int(response.headers["Retry-After"]) == 60  # until the period ends
    assert api.store.ledger.entries(api.key_id(secret))[-1].tokens == 0


def test_allowance_renews_with_the_period(make_api: Any, store: Store, letter_png: bytes) -> None:
    api = make_api(store=store, now=NOW)
    secret = api.key("tiny")
    _precharge(api.store, api.key_id(secret), 30, NOW)
    assert api.post_image("/v1/analyze-image", letter_png, plan="tiny").status_code == 429

    api.clock.now = NOW + timedelta(minutes=2)  # April
    response = api.post_image("/v1/analyze-image", letter_png, plan="tiny")

    assert response.status_code == 200
    assert int(response.headers["X-Tokens-Remaining"]) == 30 - response.json()["tokens_charged"]
    assert current_period(api.clock()).label == "2026-04"


def test_sequential_overdraft_is_at_most_one_call(make_api: Any, letter_png: bytes) -> None:
    api = make_api()
    statuses = [api.post_image("/v1/analyze-image", letter_png, plan="tiny").status_code for _ in range(12)]
    key_id = api.key_id(api.key("tiny"))
    used = api.store.ledger.used_tokens(key_id, api.store.ledger.entries(key_id)[0].period)
    cost = max(r.tokens for r in api.store.ledger.entries(key_id))
    assert statuses[-1] == 429 and 200 in statuses
    assert statuses == sorted(statuses)  # 200s, then only 429s
    assert 30 <= used < 30 + cost


def test_eight_concurrent_calls_lose_and_double_no_charge(make_api: Any, store: Store, letter_png: bytes) -> None:
    """8 calls at once on one key with 2 tokens left: every charge lands once; overdraft <= calls in flight x cost."""
    api = make_api(store=store, workers=2, queue=8)
    secret = api.key("tiny")
    key_id = api.key_id(secret)
    _precharge(store, key_id, 28, datetime.now(UTC))
    app = api.client.app

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            calls = [
                client.post("/v1/analyze-image", files={"image": ("a.png", letter_png)}, headers={"X-API-Key": secret})
                for _ in range(8)
            ]
            return list(await asyncio.gather(*calls))

    responses = asyncio.run(burst())

    ok = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code != 200]
    assert all(r.status_code == 429 and r.json()["code"] == "quota_exceeded" for r in refused)
    assert ok, "at least the first call is admitted"
    charged = [int(r.headers["X-Tokens-Charged"]) for r in ok]
    rows = store.ledger.entries(key_id)
    period = rows[0].period
    assert len(rows) == 1 + 8  # the seed and one row per call
    assert sum(r.tokens for r in rows) == 28 + sum(charged) == store.ledger.used_tokens(key_id, period)
    assert [r.tokens for r in rows if r.status != 200] == [0] * len(refused)
    overdraft = store.ledger.used_tokens(key_id, period) - 30
    assert overdraft <= len(ok) * max(charged)
    assert api.post_image("/v1/analyze-image", letter_png, key=secret).status_code == 429


def test_concurrent_ledger_writes_are_all_counted(store: Store) -> None:
    """Store level: 8 threads x 25 charges; the period total is exactly the sum."""
    key, _ = store.keys.create(name="load", plan="pro")
    at = datetime.now(UTC)
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        barrier.wait()
        for i in range(25):
            store.ledger.record(
                LedgerEntry(
                    at=at, request_id=f"{n}-{i}", key_id=key.id, endpoint="analyze-image", status=200, tokens=n + 1
                )
            )

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.ledger.used_tokens(key.id, at.strftime("%Y-%m")) == 25 * sum(range(1, 9))
    assert len(store.ledger.entries(key.id)) == 200


def test_usage_reports_plan_period_and_days(make_api: Any, store: Store, letter_png: bytes) -> None:
    api = make_api(store=store, now=NOW)
    api.post_image("/v1/analyze-image", letter_png)
    api.post_image("/v1/redact-image", letter_png)
    api.post_image("/v1/redact-image", b"junk")

    response = api.client.get("/v1/usage", headers={"X-API-Key": api.key()})

    assert response.status_code == 200
    body = response.json()
    assert body["plan"]["name"] == "pro" and body["plan"]["monthly_tokens"] == 100000
    assert body["period"] == {
        "label": "2026-03",
        "start": "2026-03-01T00:00:00+00:00",
        "end": "2026-04-01T00:00:00+00:00",
    }
    assert body["used"] + body["remaining"] == body["allowance"] == 100000
    days = {(d["date"], d["endpoint"]): d for d in body["by_day"]}
    assert days[("2026-03-31", "analyze-image")]["requests"] == 1
    redact = days[("2026-03-31", "redact-image")]
    assert (redact["requests"], redact["failed"]) == (2, 1)
    assert sum(d["tokens"] for d in body["by_day"]) == body["used"]


def test_usage_requires_a_key(api: Api) -> None:
    assert api.client.get("/v1/usage").status_code == 401
