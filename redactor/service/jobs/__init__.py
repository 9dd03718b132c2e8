"""Asynchronous jobs: submit, poll or get a signed webhook, download once; two engines behind one interface.

``embedded`` (default) runs jobs in the service's own worker pool with payloads in its memory;
``dramatiq`` runs them on separate worker processes through Redis. See docs/jobs.md.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from redactor.engine.pipeline import Engine
from redactor.service.config import Settings
from redactor.service.jobs.process import JobOutput, JobSpec
from redactor.service.jobs.runner import DRAMATIQ, EMBEDDED, JobContext, new_runner_id
from redactor.service.plans import PlanBook
from redactor.service.store import Job, Store


class JobEngine(Protocol):
    """What the HTTP edge needs of an engine."""

    name: str
    ctx: JobContext

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def submit(self, job: Job, spec: JobSpec, image: bytes) -> None: ...

    async def sweep_now(self) -> list[Job]: ...

    def notify(self, job_id: str) -> None: ...


def scaleout_context(
    settings: Settings,
    *,
    store: Store,
    plans: PlanBook,
    clock: Callable[[], datetime],
    role: str,
    engine: Engine | None = None,
) -> JobContext:
    """The context of a scale-out process, payloads in Redis; ``role``: ``service``, or ``worker`` with the engine."""
    from redactor.service.jobs.payloads import RedisPayloads

    return JobContext(
        settings=settings,
        store=store,
        plans=plans,
        payloads=RedisPayloads(settings.redis_url, settings.redis_prefix),
        engine_name=DRAMATIQ,
        runner_id=new_runner_id(role),
        clock=clock,
        engine=engine,
    )


def build_engine(
    settings: Settings,
    *,
    store: Store,
    plans: PlanBook,
    clock: Callable[[], datetime],
    engine: Engine | None,
    run_in_pool: Callable[[Callable[[], Job | None]], Awaitable[Job | None]],
    consumers: int,
) -> JobEngine:
    """The engine the settings name, for a service process (raises ConfigError if it cannot start)."""
    if settings.jobs_engine == DRAMATIQ:
        from redactor.service.jobs.scaleout import DramatiqJobs

        ctx = scaleout_context(settings, store=store, plans=plans, clock=clock, role="service")
        return DramatiqJobs.connect(ctx)
    from redactor.service.jobs.embedded import EmbeddedJobs
    from redactor.service.jobs.payloads import MemoryPayloads

    ctx = JobContext(
        settings=settings,
        store=store,
        plans=plans,
        payloads=MemoryPayloads(),
        engine_name=EMBEDDED,
        runner_id=new_runner_id("service"),
        clock=clock,
        engine=engine,
    )
    return EmbeddedJobs(ctx, run_in_pool, consumers=consumers)


__all__ = [
    "DRAMATIQ",
    "EMBEDDED",
    "JobContext",
    "JobEngine",
    "JobOutput",
    "JobSpec",
    "build_engine",
    "scaleout_context",
]
