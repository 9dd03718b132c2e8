"""Jobs edge: one job's life, shared by both engines — claim, run, store the result, and the sweeps.

Every state change is a conditional update in the store, so a worker, a sweep in another process
and a download can race on one job and exactly one wins: a job timed out by a sweep stays TimedOut
even if its worker finishes later (the late result is dropped, nothing is charged).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from redactor.config import Settings
from redactor.errors import RedactorError
from redactor.jobs.payloads import Payloads
from redactor.jobs.process import run_spec
from redactor.pipeline import Engine
from redactor.plans import PlanBook
from redactor.store import Job, JobStatus, Store
from redactor.webhooks import Network, parse_networks

log = logging.getLogger("redactor.jobs")

EMBEDDED = "embedded"
DRAMATIQ = "dramatiq"
# What a sweep fails when the runner that held a job stops heartbeating, per engine.
LOST_STATUSES = {
    EMBEDDED: (JobStatus.pending, JobStatus.in_progress, JobStatus.ready),  # payloads were in its memory
    DRAMATIQ: (JobStatus.in_progress,),  # pending images and results are in Redis and survive
}
LOST_CODES = {EMBEDDED: "restarted", DRAMATIQ: "worker_lost"}
LOST_MESSAGES = {
    EMBEDDED: "The service restarted before the job was done; its image or result was in memory and is gone.",
    DRAMATIQ: "The worker running the job stopped before it was done.",
}


def new_runner_id(kind: str) -> str:
    """A name for this process in the runners table: kind, host, pid and a random suffix."""
    return f"{kind}-{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(3)}"


@dataclass
class JobContext:
    """What running and sweeping jobs needs, in the service or in a worker process."""

    settings: Settings
    store: Store
    plans: PlanBook
    payloads: Payloads
    engine_name: str
    runner_id: str
    clock: Callable[[], datetime]
    engine: Engine | None = None  # the pipeline; None in a service that only queues (dramatiq)
    networks: tuple[Network, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.networks:
            self.networks = parse_networks(self.settings.webhook_allow_networks)

    @property
    def lease(self) -> timedelta:
        """How long a runner may stay silent before its jobs are declared lost."""
        return timedelta(seconds=3 * self.settings.job_heartbeat)


def process_job(ctx: JobContext, job_id: str) -> Job | None:
    """Claim a Pending job, run it, keep its result: the job ends ReadyToDownload or Failed.

    Returns the job as it ended, or None if it was not ours to run (no longer Pending: timed out,
    lost, or redelivered by the queue after another worker took it).
    """
    assert ctx.engine is not None, "process_job needs the pipeline engine"
    now = ctx.clock()
    job = ctx.store.claim_job(job_id, runner=ctx.runner_id, now=now)
    if job is None:
        current = ctx.store.get_job(job_id)
        # Ended jobs hold nothing any more; a Pending one past its deadline is left to the sweep, and one
        # InProgress or ReadyToDownload belongs to the worker that claimed it first.
        if current is None or current.status in (JobStatus.completed, JobStatus.timed_out, JobStatus.failed):
            ctx.payloads.drop(job_id)
        return None
    taken = ctx.payloads.take_input(job_id)
    if taken is None:
        log.warning("job=%s input missing", job_id)
        return ctx.store.fail_job(
            job_id, code="input_lost", message="The job's image was lost before it ran.", now=ctx.clock()
        )
    spec, image = taken
    del taken
    log.info("job=%s started mode=%s runner=%s", job_id, job.mode, ctx.runner_id)
    try:
        seconds_left = (job.deadline_at - now).total_seconds()
        output = run_spec(spec, image, engine=ctx.engine, plans=ctx.plans, seconds_left=seconds_left)
    except RedactorError as e:
        log.info("job=%s failed code=%s", job_id, e.code)
        message = e.message if e.code != "internal_error" else "Internal error."
        return _ended(ctx, job_id, e.code, message)
    except Exception as e:
        log.error("job=%s internal error %s", job_id, type(e).__name__, exc_info=e)
        return _ended(ctx, job_id, "internal_error", "Internal error.")
    finally:
        del image  # the original is not kept a moment longer than the run
    ttl = ctx.settings.job_result_ttl
    ctx.payloads.put_result(job_id, output, ttl=ttl)
    done = ctx.clock()
    finished = ctx.store.finish_job(job_id, output.summary, now=done, expires_at=done + timedelta(seconds=ttl))
    if finished is None:  # timed out or lost while it ran: the result is not kept
        ctx.payloads.drop(job_id)
        log.info("job=%s result dropped: the job ended meanwhile", job_id)
        return ctx.store.get_job(job_id)
    log.info("job=%s ready pages=%d entities=%d tokens=%d", job_id, finished.pages, finished.entities, finished.tokens)
    return finished


def _ended(ctx: JobContext, job_id: str, code: str, message: str) -> Job | None:
    failed = ctx.store.fail_job(
        job_id, code=code, message=message, now=ctx.clock(), from_statuses=(JobStatus.in_progress,)
    )
    release_payloads(ctx, failed or ctx.store.get_job(job_id), job_id)
    return failed


def release_payloads(ctx: JobContext, job: Job | None, job_id: str) -> None:
    """An ended job holds nothing, except its metadata while its webhook event is still to be sent."""
    if job is not None and needs_notice(job) and job.status != JobStatus.ready:
        ctx.payloads.strip(job_id)
    elif job is None or job.status != JobStatus.ready:
        ctx.payloads.drop(job_id)


def sweep(ctx: JobContext, *, heartbeat: bool) -> list[Job]:
    """Heartbeat (if this process holds jobs), apply the clocks, fail the jobs of silent runners.

    Drops the payloads of the jobs it ends and returns them (the engine notifies their webhooks).
    """
    now = ctx.clock()
    if heartbeat:
        ctx.store.heartbeat(ctx.runner_id, engine=ctx.engine_name, now=now)
    ended = ctx.store.settle_jobs(now)
    for engine in (EMBEDDED, DRAMATIQ):
        ended += ctx.store.reap_jobs(
            engine=engine,
            statuses=LOST_STATUSES[engine],
            code=LOST_CODES[engine],
            message=LOST_MESSAGES[engine],
            now=now,
            lease=ctx.lease,
            spare=ctx.runner_id if heartbeat else None,
        )
    for job in ended:
        release_payloads(ctx, job, job.id)
        log.info("job=%s %s code=%s", job.id, job.status, job.error_code)
    ctx.payloads.purge()
    return ended


def release_runner(ctx: JobContext) -> None:
    """On a clean stop, leave the runners table.

    The next sweep of any process (this one restarted, another replica) then fails the jobs this
    process still held at once, rather than after the lease.
    """
    ctx.store.remove_runner(ctx.runner_id)


def needs_notice(job: Job) -> bool:
    """Whether an ended job's webhook should be told: results and failures are, expiries are not."""
    if not job.use_webhook:
        return False
    if job.status == JobStatus.ready or job.status == JobStatus.failed:
        return True
    return job.status == JobStatus.timed_out and job.error_code == "job_timeout"
