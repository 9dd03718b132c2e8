"""Jobs engine, embedded default: jobs run in the service's own worker pool; payloads in its memory only.

Nothing to install. Submitted jobs wait in an in-process queue; consumers hand them to the same
worker pool as the synchronous endpoints (backing off while it is full, so live requests come
first). A maintenance task heartbeats this process in the runners table and sweeps the clocks. A
restart loses the payloads: on a clean stop the jobs still held are failed with ``restarted`` at
once; after a crash, the next sweep of any process does it once this one's heartbeat is stale.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from redactor.errors import OverloadedError
from redactor.service.jobs.delivery import deliver_webhook, http_client
from redactor.service.jobs.process import JobSpec
from redactor.service.jobs.runner import EMBEDDED, JobContext, needs_notice, process_job, release_runner, sweep
from redactor.service.store import Job

log = logging.getLogger("redactor.service.jobs")

POOL_FULL_PAUSE = 0.2  # seconds a consumer waits when the worker pool is full


class EmbeddedJobs:
    """The embedded engine of one service process."""

    name = EMBEDDED

    def __init__(
        self,
        ctx: JobContext,
        run_in_pool: Callable[[Callable[[], Job | None]], Awaitable[Job | None]],
        *,
        consumers: int,
    ) -> None:
        self.ctx = ctx
        self._run_in_pool = run_in_pool
        self._consumers = max(1, consumers)
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client = http_client(ctx)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self.sweep_now()  # registers this process, and fails what a previous run left behind
        for _ in range(self._consumers):
            self._spawn(self._consume())
        self._spawn(self._maintain())

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def submit(self, job: Job, spec: JobSpec, image: bytes) -> None:
        """Keep the payload in memory, write the row, queue the job; 503 when the backlog is full."""
        if self.ctx.payloads.held() >= self.ctx.settings.job_backlog:
            raise OverloadedError(
                f"{self.ctx.settings.job_backlog} jobs are already waiting or unread; retry when some are done."
            )
        self.ctx.payloads.put_input(job.id, spec, image, ttl=self.ctx.settings.job_timeout)
        try:
            await asyncio.to_thread(self.ctx.store.jobs.create, job)
        except BaseException:
            self.ctx.payloads.drop(job.id)
            raise
        self._queue.put_nowait(job.id)

    async def _consume(self) -> None:
        while True:
            job_id = await self._queue.get()
            try:
                ended = await self._run(job_id)
            except Exception as e:
                log.error("job=%s runner error %s", job_id, type(e).__name__, exc_info=e)
                continue
            if ended is not None and needs_notice(ended):
                self.notify(ended.id)

    async def _run(self, job_id: str) -> Job | None:
        while True:
            try:
                return await self._run_in_pool(partial(process_job, self.ctx, job_id))
            except OverloadedError:  # the pool is busy with live requests: they come first
                await asyncio.sleep(POOL_FULL_PAUSE)

    async def _maintain(self) -> None:
        while True:
            await asyncio.sleep(self.ctx.settings.job_heartbeat)
            try:
                ended = await asyncio.to_thread(sweep, self.ctx, heartbeat=True)
            except Exception as e:
                log.error("job sweep failed: %s", type(e).__name__, exc_info=e)
                continue
            for job in ended:
                if needs_notice(job):
                    self.notify(job.id)

    def notify(self, job_id: str) -> None:
        """Deliver the job's webhook in the background, retrying with backoff (callable from any thread)."""
        assert self._loop is not None, "notify before start"
        self._loop.call_soon_threadsafe(lambda: self._spawn(self._deliver(job_id)))

    async def _deliver(self, job_id: str) -> None:
        attempt = 1
        while True:
            try:
                delay = await asyncio.to_thread(deliver_webhook, self.ctx, job_id, attempt, client=self._client)
            except Exception as e:
                log.error("job=%s webhook error %s", job_id, type(e).__name__, exc_info=e)
                return
            if delay is None:
                return
            attempt += 1
            await asyncio.sleep(delay)

    async def sweep_now(self) -> list[Job]:
        """Run one sweep at once (tests, and the status endpoint when it must be exact)."""
        ended = await asyncio.to_thread(sweep, self.ctx, heartbeat=True)
        for job in ended:
            if needs_notice(job):
                self.notify(job.id)
        return ended

    async def stop(self) -> None:
        """Cancel consumers and deliveries, forget the payloads, leave the runners table.

        The jobs this process still held are failed (``restarted``) by the next sweep of any process:
        this service once restarted, or another replica on the same database, at once.
        """
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await asyncio.to_thread(release_runner, self.ctx)
        except Exception as e:  # the database may be gone first; the lease then frees the jobs
            log.warning("could not leave the runners table: %s", type(e).__name__)
        finally:
            self.ctx.payloads.close()
            self._client.close()
