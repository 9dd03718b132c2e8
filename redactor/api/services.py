"""What every request of one app shares: settings, plans, store, worker pool, engine and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from redactor.engine.pipeline import Engine
from redactor.service.config import Settings
from redactor.service.plans import PlanBook
from redactor.service.store import Store
from redactor.service.workers import WorkerPool


def utc_now() -> datetime:
    """The clock of the service (tests replace it through ``Services.clock``)."""
    return datetime.now(UTC)


@dataclass
class Services:
    """What every request shares: loaded once by ``create_app`` and its lifespan."""

    settings: Settings
    plans: PlanBook
    store: Store
    pool: WorkerPool
    engine: Engine | None = None
    clock: Callable[[], datetime] = utc_now
