"""API fixtures: the session engine, test plans, a store per test on SQLite and PostgreSQL, and app factories."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from redactor.api.app import create_app
from redactor.api.services import Services
from redactor.service.config import Settings
from redactor.service.plans import PlanBook, load_plans
from redactor.service.store import Store, open_store

POSTGRES_URL = os.environ.get("REDACTOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

TEST_PLANS = """
tokens: {per_call: 2, per_page: 1, per_1000_characters: 6, per_entity: 0.2, minimum: 1}
demo_plan: pro
plans:
  free:     {title: Free, image_redaction: false, max_file_bytes: 2000000, max_pixels: 25000000, max_pages: 1,
             monthly_tokens: 10000, requests_per_minute: 1000}
  small:    {title: Small, image_redaction: true, max_file_bytes: 50000, max_pixels: 1000000, max_pages: 2,
             monthly_tokens: 10000, requests_per_minute: 1000}
  pro:      {title: Pro, image_redaction: true, max_file_bytes: 10000000, max_pixels: 80000000, max_pages: 20,
             monthly_tokens: 100000, requests_per_minute: 1000}
  slow:     {title: Slow, image_redaction: true, max_file_bytes: 10000000, max_pixels: 80000000, max_pages: 20,
             monthly_tokens: 100000, requests_per_minute: 3}
  tiny:     {title: Tiny, image_redaction: true, max_file_bytes: 10000000, max_pixels: 80000000, max_pages: 20,
             monthly_tokens: 30, requests_per_minute: 1000}
"""

PII = ("John Smith", "john.smith@example.com", "212-555-0199")


@pytest.fixture(scope="session")
def plans_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "plans.yaml"
    path.write_text(TEST_PLANS)
    return path


@pytest.fixture(scope="session")
def plans(plans_path: Path) -> PlanBook:
    return load_plans(plans_path)


@pytest.fixture(scope="session")
def letter_png(render: Callable[..., Any]) -> bytes:
    """A small one-page letter with a name, an e-mail address and a phone number."""
    doc = render(
        ["Dear John Smith,", "write to john.smith@example.com", "or call 212-555-0199."], size=(700, 200), font_size=28
    )
    data: bytes = doc.encode("PNG")
    return data


@pytest.fixture(scope="session")
def letter_doc(render: Callable[..., Any]) -> Any:
    return render(
        ["Dear John Smith,", "write to john.smith@example.com", "or call 212-555-0199."], size=(700, 200), font_size=28
    )


def _postgres_schema_url() -> tuple[str, str]:
    """A fresh schema in the test database, or skip with the reason."""
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[dev]')")
    schema = f"redactor_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as e:
        pytest.skip(
            f"PostgreSQL not reachable at {POSTGRES_URL} ({type(e).__name__}); start it "
            "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)"
            " or set REDACTOR_TEST_POSTGRES_URL"
        )
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}", schema


def _drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL of each backend, empty."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'redactor.db'}"
        return
    url, schema = _postgres_schema_url()
    try:
        yield url
    finally:
        _drop_schema(schema)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, migrated store of each backend."""
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'redactor.db'}")
    try:
        yield opened
    finally:
        opened.close()


class Clock:
    """A settable clock for the service (periods, rate windows)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC)


@dataclass
class Api:
    """A TestClient on a fresh app, its services, and keys created on demand."""

    client: TestClient
    services: Services
    clock: Clock
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def store(self) -> Store:
        return self.services.store

    def key(self, plan: str = "pro", name: str | None = None) -> str:
        if name is None and plan in self.secrets:
            return self.secrets[plan]
        _, secret = self.store.keys.create(name=name or f"acct-{plan}", plan=plan)
        if name is None:
            self.secrets[plan] = secret
        return secret

    def key_id(self, secret: str) -> str:
        found = self.store.keys.find(secret)
        assert found is not None
        return found.id

    def post_image(
        self,
        path: str,
        data: bytes,
        *,
        plan: str = "pro",
        key: str | None = None,
        filename: str = "letter.png",
        fields: dict[str, Any] | list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        all_headers = {"X-API-Key": key if key is not None else self.key(plan), **(headers or {})}
        form: dict[str, list[str]] = {}
        for name, value in fields.items() if isinstance(fields, dict) else fields or []:
            form.setdefault(name, []).append(value)
        return self.client.post(path, files={"image": (filename, data)}, data=form, headers=all_headers)


def open_app(
    engine: Any, settings: Settings, plans: PlanBook, store: Store, clock: Clock, workers: int, queue: int
) -> tuple[TestClient, Services]:
    """A fresh app on ``store``, started (lifespan entered) behind a TestClient."""
    app = create_app(
        workers=workers, queue=queue, settings=settings, plans=plans, store=store, engine=engine, clock=clock
    )
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    return client, app.state.services


@pytest.fixture
def make_api(engine: Any, plans: PlanBook, tmp_path: Path) -> Iterator[Callable[..., Api]]:
    """``make_api(store=None, workers=2, queue=8, plans=None, now=None) -> Api``; SQLite in tmp_path by default."""
    opened: list[tuple[TestClient, Store]] = []

    def make(
        *,
        store: Store | None = None,
        workers: int = 2,
        queue: int = 8,
        plan_book: PlanBook | None = None,
        now: datetime | None = None,
    ) -> Api:
        own = store or open_store(f"sqlite:///{tmp_path / f'api-{len(opened)}.db'}")
        clock = Clock(now)
        client, services = open_app(
            engine, Settings(database_url="sqlite:///:memory:"), plan_book or plans, own, clock, workers, queue
        )
        opened.append((client, own if store is None else None))  # type: ignore[arg-type]
        return Api(client=client, services=services, clock=clock)

    yield make
    for client, own in opened:
        client.__exit__(None, None, None)
        if own is not None:
            own.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    """The default API: SQLite store, 2 workers, test plans."""
    return make_api()
