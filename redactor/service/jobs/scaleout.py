"""Jobs engine, scale-out: Dramatiq on Redis carries job ids to separate worker processes; payloads wait in Redis.

The service replicas write the job row, put the image in Redis (with a TTL) and send the job id to
the ``redactor_jobs`` queue; any worker (``redactor worker``) claims it in the store,
runs it and puts the result back in Redis. Webhook deliveries and their retries are messages of the
``redactor_webhooks`` queue, delayed by the backoff. Dramatiq's own retries are off: the store's
conditional updates decide what runs, and a message redelivered after a worker died finds its job
no longer Pending and is dropped. A worker that dies mid-job stops heartbeating, and the next sweep
of any process fails its job with ``worker_lost``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from redactor.errors import ConfigError
from redactor.service.jobs.delivery import deliver_webhook, http_client
from redactor.service.jobs.payloads import RedisPayloads
from redactor.service.jobs.process import JobSpec
from redactor.service.jobs.runner import DRAMATIQ, JobContext, needs_notice, process_job, release_runner, sweep
from redactor.service.store import Job

log = logging.getLogger("redactor.service.jobs")

JOBS_QUEUE = "redactor_jobs"
WEBHOOKS_QUEUE = "redactor_webhooks"


class DramatiqJobs:
    """The scale-out engine: the broker, its two actors, and the sweeps of the process it lives in."""

    name = DRAMATIQ

    def __init__(self, ctx: JobContext) -> None:
        try:
            import dramatiq
            from dramatiq.brokers.redis import RedisBroker
            from dramatiq.middleware import AgeLimit, Retries, ShutdownNotifications, TimeLimit
        except ImportError as e:
            raise ConfigError("REDACTOR_JOBS_ENGINE=dramatiq needs pip install 'redactor[scale]'.") from e
        self.ctx = ctx
        settings = ctx.settings
        self.broker: Any = RedisBroker(  # type: ignore[no-untyped-call]
            url=settings.redis_url,
            namespace=f"{settings.redis_prefix}-queue",
            middleware=[AgeLimit(), TimeLimit(), ShutdownNotifications(), Retries(max_retries=0)],
        )
        limit_ms = int((settings.job_timeout + 60) * 1000)  # our deadline governs; this only frees a stuck thread
        self.run_actor: Any = dramatiq.Actor(
            self._run,
            broker=self.broker,
            actor_name="redactor_run_job",
            queue_name=JOBS_QUEUE,
            priority=0,
            options={"max_retries": 0, "time_limit": limit_ms, "max_age": limit_ms},
        )
        self.deliver_actor: Any = dramatiq.Actor(
            self._deliver,
            broker=self.broker,
            actor_name="redactor_deliver_webhook",
            queue_name=WEBHOOKS_QUEUE,
            priority=0,
            options={"max_retries": 0, "time_limit": int((settings.webhook_timeout + 30) * 1000)},
        )
        self._client = http_client(ctx)
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def connect(cls, ctx: JobContext) -> DramatiqJobs:
        """Build the engine and check that Redis answers; ConfigError (naming the URL's host) if not."""
        jobs = cls(ctx)
        try:
            jobs.broker.client.ping()
            payloads = ctx.payloads
            if isinstance(payloads, RedisPayloads):
                payloads.ping()
        except Exception as e:
            jobs.close()
            raise ConfigError(f"REDACTOR_REDIS_URL: cannot reach Redis ({type(e).__name__}).") from e
        return jobs

    # -- actors (run in worker processes) ---------------------------------------------------

    def _run(self, job_id: str) -> None:
        ended = process_job(self.ctx, job_id)
        if ended is not None and needs_notice(ended):
            self.notify(ended.id)

    def _deliver(self, job_id: str, attempt: int) -> None:
        delay = deliver_webhook(self.ctx, job_id, attempt, client=self._client)
        if delay is not None:
            self.notify(job_id, attempt=attempt + 1, delay=delay)

    def notify(self, job_id: str, *, attempt: int = 1, delay: float = 0.0) -> None:
        """Queue delivery attempt ``attempt`` of a job's webhook, ``delay`` seconds from now."""
        self.deliver_actor.send_with_options(args=(job_id, attempt), delay=int(delay * 1000) or None)

    # -- the service side -------------------------------------------------------------------

    async def start(self) -> None:
        """Sweep the clocks from this replica too, so jobs time out and expire even with no worker up."""
        task = asyncio.ensure_future(self._maintain())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def submit(self, job: Job, spec: JobSpec, image: bytes) -> None:
        """Image to Redis, row to the store, job id to the queue."""
        ctx = self.ctx

        def send() -> None:
            ctx.payloads.put_input(job.id, spec, image, ttl=ctx.settings.job_timeout)
            try:
                ctx.store.jobs.create(job)
                self.run_actor.send(job.id)
            except BaseException:
                ctx.payloads.drop(job.id)
                raise

        await asyncio.to_thread(send)

    async def _maintain(self) -> None:
        while True:
            await asyncio.sleep(self.ctx.settings.job_heartbeat)
            try:
                await self.sweep_now()
            except Exception as e:
                log.error("job sweep failed: %s", type(e).__name__, exc_info=e)

    async def sweep_now(self) -> list[Job]:
        """One sweep from the service (no heartbeat: a replica holds no job)."""
        ended = await asyncio.to_thread(sweep, self.ctx, heartbeat=False)
        for job in ended:
            if needs_notice(job):
                await asyncio.to_thread(self.notify, job.id)
        return ended

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.close()

    def close(self) -> None:
        """Close the HTTP client and the Redis connections."""
        self._client.close()
        self.ctx.payloads.close()
        self.broker.close()


def run_worker(ctx: JobContext, *, threads: int, stop: threading.Event, ready: threading.Event | None = None) -> None:
    """Consume both queues with ``threads`` threads until ``stop`` is set, heartbeating and sweeping.

    On stop, the jobs running are finished first (Dramatiq's graceful stop) and unstarted messages
    go back to Redis for other workers.
    """
    import dramatiq

    jobs = DramatiqJobs.connect(ctx)
    # Poll an idle or full queue at least every 100 ms (Dramatiq's default backs off to 1 s, which a freed
    # thread would wait out), and fetch no more than it can run, so idle workers get the rest.
    worker = dramatiq.Worker(jobs.broker, worker_threads=threads, worker_timeout=100)
    worker.queue_prefetch = threads
    try:
        sweep(ctx, heartbeat=True)
    except BaseException:
        jobs.close()
        raise
    worker.start()
    try:
        log.info("worker %s: %d threads on %s", ctx.runner_id, threads, ", ".join(sorted(jobs.broker.queues)))
        if ready is not None:
            ready.set()
        while not stop.wait(ctx.settings.job_heartbeat):
            try:
                for job in sweep(ctx, heartbeat=True):
                    if needs_notice(job):
                        jobs.notify(job.id)
            except Exception as e:
                log.error("job sweep failed: %s", type(e).__name__, exc_info=e)
    finally:
        worker.stop(timeout=int((ctx.settings.job_timeout + 5) * 1000))
        release_runner(ctx)
        jobs.close()
