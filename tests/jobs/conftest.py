"""Jobs fixtures: apps with fast job clocks, a Redis namespace per test, an in-process Dramatiq worker, a receiver.

The store fixtures (SQLite and PostgreSQL), the plans and the letter come from tests/api/conftest.py.
The webhook receiver is the example app of docs/jobs.md, run by uvicorn on 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import api.conftest as shared
import pytest
from fastapi import FastAPI, Request, Response
from serving import free_port

from redactor.errors import WebhookVerificationError
from redactor.service.config import Settings
from redactor.service.jobs import JobEngine
from redactor.service.plans import PlanBook
from redactor.service.store import Store, open_store
from redactor.service.webhooks import verify_webhook

# The API tests' fixtures, shared: stores on SQLite and PostgreSQL, the plans, the letter.
store_url = shared.store_url
store = shared.store
sqlite_store = shared.sqlite_store
plans_path = shared.plans_path
plans = shared.plans
letter_png = shared.letter_png
letter_doc = shared.letter_doc
PII = shared.PII
POSTGRES_URL = shared.POSTGRES_URL
Clock = shared.Clock

REDIS_URL = "redis://127.0.0.1:6379/0"
FAST = {
    "job_heartbeat": 0.1,
    "webhook_backoff": 0.05,
    "webhook_attempts": 3,
    "webhook_timeout": 2.0,
    "webhook_allow_networks": ["127.0.0.0/8"],
}


def wait_for(predicate: Callable[[], Any], timeout: float = 15.0, interval: float = 0.02) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {predicate}")
        time.sleep(interval)


@dataclass
class JobsApi(shared.Api):
    """The API tests' client, on an app with jobs: submit, poll, download."""

    stopped: bool = False

    def stop(self) -> None:
        """Shut the app down (its lifespan exit), as a service stopping."""
        if not self.stopped:
            self.stopped = True
            self.client.__exit__(None, None, None)

    @property
    def jobs(self) -> JobEngine:
        engine: JobEngine = self.client.app.state.jobs  # type: ignore[attr-defined]
        return engine

    def submit(
        self,
        data: bytes,
        *,
        key: str | None = None,
        plan: str = "pro",
        fields: dict[str, str] | None = None,
        filename: str = "letter.png",
    ) -> Any:
        headers = {"X-API-Key": key if key is not None else self.key(plan)}
        return self.client.post("/v1/jobs", files={"image": (filename, data)}, data=fields or {}, headers=headers)

    def job_id(self, data: bytes, **kwargs: Any) -> str:
        response = self.submit(data, **kwargs)
        assert response.status_code == 202, response.text
        return str(response.json()["jobId"])

    def status(self, job_id: str, *, key: str | None = None) -> Any:
        return self.client.get(f"/v1/jobs/{job_id}", headers={"X-API-Key": key or self.key()})

    def result(self, job_id: str, *, key: str | None = None) -> Any:
        return self.client.get(f"/v1/jobs/{job_id}/result", headers={"X-API-Key": key or self.key()})

    def wait(self, job_id: str, *states: str, key: str | None = None, timeout: float = 20.0) -> dict[str, Any]:
        """Poll the status until it is one of ``states`` (default: any but Pending/InProgress)."""

        def reached() -> dict[str, Any] | None:
            body: dict[str, Any] = self.status(job_id, key=key).json()
            done = body["status"] in states if states else body["status"] not in ("Pending", "InProgress")
            return body if done else None

        result: dict[str, Any] = wait_for(reached, timeout)
        return result


@pytest.fixture
def make_jobs_api(engine: Any, plans: PlanBook, tmp_path: Path) -> Iterator[Callable[..., JobsApi]]:
    """``make_jobs_api(store=None, workers=2, queue=8, now=None, **settings) -> JobsApi`` (fast job clocks)."""
    opened: list[tuple[JobsApi, Store | None]] = []

    def make(
        *,
        store: Store | None = None,
        workers: int = 2,
        queue: int = 8,
        now: datetime | None = None,
        plan_book: PlanBook | None = None,
        **overrides: Any,
    ) -> JobsApi:
        own = store or open_store(f"sqlite:///{tmp_path / f'jobs-{len(opened)}.db'}")
        clock = Clock(now)
        settings = Settings(database_url="sqlite:///:memory:", **{**FAST, **overrides})
        client, services = shared.open_app(engine, settings, plan_book or plans, own, clock, workers, queue)
        api = JobsApi(client=client, services=services, clock=clock)
        opened.append((api, own if store is None else None))
        return api

    yield make
    for api, own in reversed(opened):
        api.stop()
        if own is not None:
            own.close()


@pytest.fixture
def jobs_api(make_jobs_api: Callable[..., JobsApi]) -> JobsApi:
    """The default: embedded engine, SQLite, fast clocks, loopback webhooks allowed."""
    return make_jobs_api()


class Gate:
    """Makes the pipeline wait inside a job until released: holds jobs InProgress on demand."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = threading.Semaphore(0)

    def wait_entered(self, timeout: float = 10.0) -> None:
        assert self.entered.acquire(timeout=timeout), "no job reached the pipeline"

    def release(self) -> None:
        self.open.set()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """``redactor.engine.pipeline.redact`` and ``analyze`` block in each job until ``gate.release()``."""
    from redactor.engine import pipeline

    held = Gate()
    originals = {name: getattr(pipeline, name) for name in ("redact", "analyze")}

    def wrap(name: str) -> Callable[..., Any]:
        def gated(*args: Any, **kwargs: Any) -> Any:
            held.entered.release()
            held.open.wait(30)
            return originals[name](*args, **kwargs)

        return gated

    for name in originals:
        monkeypatch.setattr(pipeline, name, wrap(name))
    try:
        yield held
    finally:
        held.release()


# ---- Redis and the scale-out engine ----


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A Redis namespace of its own for one test; every key under it is deleted afterwards."""
    try:
        import dramatiq  # noqa: F401
        import redis
    except ImportError:
        pytest.skip("dramatiq and redis are not installed (pip install -e '.[dev]')")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as e:
        pytest.skip(
            f"Redis not reachable at {REDIS_URL} ({type(e).__name__}); start it: redis-server --daemonize yes "
            '--bind 127.0.0.1 --port 6379 --save "" --appendonly no'
        )
    prefix = f"redactor-test-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


@dataclass
class InProcessWorker:
    """A Dramatiq worker on threads of the test process, sharing the session's engine."""

    stop: threading.Event
    thread: threading.Thread
    runner_id: str

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


@pytest.fixture
def start_worker(engine: Any, plans: PlanBook) -> Iterator[Callable[..., InProcessWorker]]:
    """``start_worker(store, prefix, threads=2, **settings)``: a scale-out worker until the test ends."""
    from redactor.service.jobs.payloads import RedisPayloads
    from redactor.service.jobs.runner import DRAMATIQ, JobContext, new_runner_id
    from redactor.service.jobs.scaleout import run_worker

    started: list[InProcessWorker] = []

    def start(store: Store, prefix: str, *, threads: int = 2, **overrides: Any) -> InProcessWorker:
        settings = Settings(
            database_url="sqlite:///:memory:", jobs_engine="dramatiq", redis_prefix=prefix, **{**FAST, **overrides}
        )
        ctx = JobContext(
            settings=settings,
            store=store,
            plans=plans,
            payloads=RedisPayloads(settings.redis_url, prefix),
            engine_name=DRAMATIQ,
            runner_id=new_runner_id("worker"),
            clock=lambda: datetime.now(UTC),
            engine=engine,
        )
        stop, ready = threading.Event(), threading.Event()
        thread = threading.Thread(
            target=run_worker, args=(ctx,), kwargs={"threads": threads, "stop": stop, "ready": ready}, daemon=True
        )
        thread.start()
        assert ready.wait(20), "worker did not start"
        worker = InProcessWorker(stop, thread, ctx.runner_id)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.close()


# ---- the webhook receiver (the example of docs/jobs.md) ----


def receiver_app(secret: Callable[[], str], record: Callable[[dict[str, Any]], int]) -> FastAPI:
    """The README's receiver: verify the raw body first, then read the form."""
    app = FastAPI()

    @app.post("/hooks/redactor")
    async def hook(request: Request) -> Response:
        body = await request.body()
        try:
            webhook_id = verify_webhook(body, request.headers, secret())
        except WebhookVerificationError:
            record({"verified": False, "headers": dict(request.headers)})
            return Response(status_code=401)
        form = await request.form()
        event = json.loads(str(form["event"]))  # a plain field: jobId, status, metadata, entities...
        result = form.get("result")  # the file, when the job produced one
        data = await result.read() if result is not None and not isinstance(result, str) else None
        status = record(
            {
                "verified": True,
                "id": webhook_id,
                "event": event,
                "file": data,
                "filename": getattr(result, "filename", None),
                "content_type": getattr(result, "content_type", None),
                "headers": dict(request.headers),
                "body": body,
            }
        )
        return Response(status_code=status)

    return app


@dataclass
class Receiver:
    """A real HTTP receiver on loopback; ``answers`` scripts its statuses (then 200)."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    secret: str = ""

    def record(self, delivery: dict[str, Any]) -> int:
        self.received.append(delivery)
        if not delivery["verified"]:
            return 401
        return self.answers.pop(0) if self.answers else 200


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """The example receiver under uvicorn on 127.0.0.1, in a thread."""
    import uvicorn

    port = free_port()
    box = Receiver(url=f"http://127.0.0.1:{port}/hooks/redactor")
    app = receiver_app(lambda: box.secret, box.record)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, 10)
    try:
        yield box
    finally:
        server.should_exit = True
        thread.join(timeout=10)


__all__ = ["PII", "POSTGRES_URL", "Gate", "JobsApi", "Receiver", "wait_for"]
