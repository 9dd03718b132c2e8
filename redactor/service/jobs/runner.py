"""Jobs: one job's life, shared by both engines — claim, run, store the result, poll, hand over, and the sweeps.

Every state change is a conditional update in the store, so a worker, a sweep in another process
and a download can race on one job and exactly one wins: a job timed out by a sweep stays TimedOut
even if its worker finishes later (the late result is dropped, nothing is charged).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from redactor.engine.pipeline import Engine
from redactor.errors import JobNotFoundError, JobNotReadyError, RedactorError, ResultGoneError
from redactor.service.config import Settings
from redactor.service.jobs.payloads import Payloads
from redactor.service.jobs.process import JobOutput, run_spec
from redactor.service.plans import PlanBook
from redactor.service.store import Job, JobStatus, Store
from redactor.service.webhooks import Network, parse_networks

log = logging.getLogger("redactor.service.jobs")

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


_JOB_ID = re.compile(r"^job_[0-9a-f]{24}$")


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
    job = ctx.store.jobs.claim(job_id, runner=ctx.runner_id, now=now)
    if job is None:
        current = ctx.store.jobs.get(job_id)
        # Ended jobs hold nothing any more; a Pending one past its deadline is left to the sweep, and one
        # InProgress or ReadyToDownload belongs to the worker that claimed it first.
        if current is None or current.status in (JobStatus.completed, JobStatus.timed_out, JobStatus.failed):
            ctx.payloads.drop(job_id)
        return None
    taken = ctx.payloads.take_input(job_id)
    if taken is None:
        log.warning("job=%s input missing", job_id)
        return ctx.store.jobs.fail(
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
    finished = ctx.store.jobs.finish(job_id, output.summary, now=done, expires_at=done + timedelta(seconds=ttl))
    if finished is None:  # timed out or lost while it ran: the result is not kept
        ctx.payloads.drop(job_id)
        log.info("job=%s result dropped: the job ended meanwhile", job_id)
        return ctx.store.jobs.get(job_id)
    log.info("job=%s ready pages=%d entities=%d tokens=%d", job_id, finished.pages, finished.entities, finished.tokens)
    return finished


def _ended(ctx: JobContext, job_id: str, code: str, message: str) -> Job | None:
    failed = ctx.store.jobs.fail(
        job_id, code=code, message=message, now=ctx.clock(), from_statuses=(JobStatus.in_progress,)
    )
    release_payloads(ctx, failed or ctx.store.jobs.get(job_id), job_id)
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
        ctx.store.jobs.heartbeat(ctx.runner_id, engine=ctx.engine_name, now=now)
    ended = ctx.store.jobs.settle(now)
    for engine in (EMBEDDED, DRAMATIQ):
        ended += ctx.store.jobs.reap(
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
    ctx.store.jobs.remove_runner(ctx.runner_id)


def ledger_endpoint(job: Job) -> str:
    """The endpoint name a job's charge is ledgered under."""
    return f"job-{job.mode}-image"


def find_job(ctx: JobContext, key_id: str, job_id: str, *, notify: Callable[[str], None]) -> Job:
    """The key's job with the clocks applied (as a sweep would); JobNotFoundError for other keys' jobs too.

    A poll is where a client first learns that its job timed out or its result expired: the change is
    written now, the payloads released, and ``notify`` called for a webhook the change concerns.
    """
    if not _JOB_ID.match(job_id):
        raise JobNotFoundError()
    job = ctx.store.jobs.get(job_id)
    if job is None or job.key_id != key_id:
        raise JobNotFoundError()
    now = ctx.clock()
    unfinished = job.status in (JobStatus.pending, JobStatus.in_progress) and job.deadline_at <= now
    unread = job.status == JobStatus.ready and job.expires_at is not None and job.expires_at <= now
    if not (unfinished or unread):
        return job
    changed = ctx.store.jobs.settle(now, job_id=job_id)
    if not changed:
        return ctx.store.jobs.get(job_id) or job
    release_payloads(ctx, changed[0], job_id)
    if needs_notice(changed[0]):
        notify(job_id)
    return changed[0]


_GONE = {
    JobStatus.completed: "The result was already downloaded or delivered by webhook; it is handed over once.",
    JobStatus.timed_out: "The job timed out, or its result expired unread; there is nothing to download.",
    JobStatus.failed: "The job failed; there is no result (see its error in GET /v1/jobs/{id}).",
}


def hand_over(ctx: JobContext, job: Job) -> tuple[Job, JobOutput, int | None]:
    """Give out a ReadyToDownload job's result once: charge it, mark the job Completed, delete the result.

    Returns the completed job, the output and the key's tokens used this period (None if the store
    does not tell). Raises JobNotReadyError while the job runs and ResultGoneError once there is
    nothing (left) to hand over, a lost result included (then nothing is charged).
    """
    if job.status in (JobStatus.pending, JobStatus.in_progress):
        raise JobNotReadyError(f"The job is {job.status}; poll GET /v1/jobs/{job.id} until it is ReadyToDownload.")
    if job.status != JobStatus.ready:
        raise ResultGoneError(_GONE[job.status])
    output = ctx.payloads.get_result(job.id)
    if output is None:
        ctx.store.jobs.fail(
            job.id,
            code="result_lost",
            message="The result was lost before it was downloaded (service restarted or Redis evicted it).",
            now=ctx.clock(),
            from_statuses=(JobStatus.ready,),
        )
        raise ResultGoneError("The result was lost before it was downloaded; nothing was charged.")
    completed = ctx.store.jobs.complete(job.id, now=ctx.clock(), endpoint=ledger_endpoint(job))
    if completed is None:  # another download or the webhook won the race
        raise ResultGoneError(_GONE[JobStatus.completed])
    ctx.payloads.drop(job.id)
    done, total = completed
    return done, output, total


def needs_notice(job: Job) -> bool:
    """Whether an ended job's webhook should be told: results and failures are, expiries are not."""
    if not job.use_webhook:
        return False
    if job.status == JobStatus.ready or job.status == JobStatus.failed:
        return True
    return job.status == JobStatus.timed_out and job.error_code == "job_timeout"
