"""Jobs in the store: job rows and their conditional state changes, the runners' heartbeats and the reaping."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from redactor.service.store.db import Backend, Row, parse_optional_time, parse_time
from redactor.service.store.ledger import Ledger, LedgerEntry


class JobStatus(StrEnum):
    """The states of a job (names as the API shows them)."""

    pending = "Pending"
    in_progress = "InProgress"
    ready = "ReadyToDownload"
    completed = "Completed"
    timed_out = "TimedOut"
    failed = "Failed"


UNFINISHED = (JobStatus.pending, JobStatus.in_progress)


@dataclass(frozen=True)
class JobSummary:
    """Counts of a processed job (never what was found, only how much)."""

    content_type: str
    pages: int
    characters: int
    entities: int
    regions: int
    entity_types: Mapping[str, int]
    tokens: int


@dataclass(frozen=True)
class Job:
    """A job's row: owner, state, timestamps and counts; no content, file name or caller metadata."""

    id: str
    key_id: str
    mode: str
    engine: str
    status: JobStatus
    use_webhook: bool
    created_at: datetime
    deadline_at: datetime
    runner: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    webhook_state: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    expires_at: datetime | None = None
    downloaded_at: datetime | None = None
    content_type: str | None = None
    pages: int = 0
    characters: int = 0
    entities: int = 0
    regions: int = 0
    entity_types: Mapping[str, int] = field(default_factory=dict)
    tokens: int = 0


_COLUMNS = (
    "id, key_id, mode, engine, status, use_webhook, created_at, deadline_at, runner, error_code, error_message,"
    " webhook_state, started_at, finished_at, expires_at, downloaded_at, content_type, pages, characters, entities,"
    " regions, entity_types, tokens"
)


class Jobs:
    """Job rows and runners; every method is one short transaction.

    Every state change is a conditional update (``... WHERE status = ?``), so several processes may
    race on one job and exactly one transition wins; the loser gets None (or no row).
    """

    def __init__(self, backend: Backend, ledger: Ledger) -> None:
        self._backend = backend
        self._ledger = ledger

    def create(self, job: Job) -> None:
        """Insert a new job (normally Pending)."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO jobs (id, key_id, mode, engine, status, use_webhook, created_at, deadline_at, runner,"
                " webhook_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job.id,
                    job.key_id,
                    job.mode,
                    job.engine,
                    str(job.status),
                    int(job.use_webhook),
                    self._backend.timestamp(job.created_at),
                    self._backend.timestamp(job.deadline_at),
                    job.runner,
                    job.webhook_state,
                ),
            )

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None."""
        with self._backend.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
            row = cur.fetchone()
        return _job(row) if row else None

    def _update(self, sql: str, params: Sequence[Any]) -> list[Job]:
        with self._backend.transaction() as cur:
            cur.execute(f"{sql} RETURNING {_COLUMNS}", params)
            rows = cur.fetchall()
        return [_job(row) for row in rows]

    def claim(self, job_id: str, *, runner: str, now: datetime) -> Job | None:
        """Pending -> InProgress for ``runner``, unless the job is past its deadline; None if it was not Pending."""
        at = self._backend.timestamp(now)
        jobs = self._update(
            "UPDATE jobs SET status = ?, runner = ?, started_at = ? WHERE id = ? AND status = ? AND deadline_at > ?",
            (JobStatus.in_progress, runner, at, job_id, JobStatus.pending, at),
        )
        return jobs[0] if jobs else None

    def finish(self, job_id: str, summary: JobSummary, *, now: datetime, expires_at: datetime) -> Job | None:
        """InProgress -> ReadyToDownload with the result's counts; None if the job was no longer InProgress."""
        jobs = self._update(
            "UPDATE jobs SET status = ?, finished_at = ?, expires_at = ?, content_type = ?, pages = ?, characters = ?,"
            " entities = ?, regions = ?, entity_types = ?, tokens = ? WHERE id = ? AND status = ?",
            (
                JobStatus.ready,
                self._backend.timestamp(now),
                self._backend.timestamp(expires_at),
                summary.content_type,
                summary.pages,
                summary.characters,
                summary.entities,
                summary.regions,
                json.dumps(dict(summary.entity_types), sort_keys=True),
                summary.tokens,
                job_id,
                JobStatus.in_progress,
            ),
        )
        return jobs[0] if jobs else None

    def fail(
        self,
        job_id: str,
        *,
        code: str,
        message: str,
        now: datetime,
        status: JobStatus = JobStatus.failed,
        from_statuses: Sequence[JobStatus] = UNFINISHED,
    ) -> Job | None:
        """Move a job in one of ``from_statuses`` to Failed (or TimedOut) with an error code; None if it was not."""
        marks = ", ".join("?" for _ in from_statuses)
        jobs = self._update(
            f"UPDATE jobs SET status = ?, error_code = ?, error_message = ?, finished_at = ? WHERE id = ?"
            f" AND status IN ({marks})",
            (status, code, message[:500], self._backend.timestamp(now), job_id, *from_statuses),
        )
        return jobs[0] if jobs else None

    def complete(self, job_id: str, *, now: datetime, endpoint: str) -> tuple[Job, int | None] | None:
        """ReadyToDownload -> Completed and charge its tokens, in one transaction: a result is paid for once.

        The job row, its ledger row and the key's token total commit together or not at all. Returns
        the job and the period's new token total, or None if the job was not ReadyToDownload
        (downloaded, delivered or expired already).
        """
        with self._backend.transaction() as cur:
            cur.execute(
                f"UPDATE jobs SET status = ?, downloaded_at = ? WHERE id = ? AND status = ? RETURNING {_COLUMNS}",
                (JobStatus.completed, self._backend.timestamp(now), job_id, JobStatus.ready),
            )
            row = cur.fetchone()
            if row is None:
                return None
            job = _job(row)
            took = (job.finished_at or now) - (job.started_at or job.created_at)
            entry = LedgerEntry(
                at=now,
                request_id=job.id,
                key_id=job.key_id,
                endpoint=endpoint,
                status=200,
                tokens=job.tokens,
                characters=job.characters,
                entities=job.entities,
                pages=job.pages,
                duration_ms=max(0, round(took.total_seconds() * 1000)),
            )
            total = self._ledger.write(cur, entry)
        return job, total

    def settle(self, now: datetime, *, job_id: str | None = None) -> list[Job]:
        """Apply the clocks and return the jobs changed.

        Unfinished jobs past their deadline become TimedOut (``job_timeout``); results not downloaded
        by their expiry become TimedOut (``result_expired``).
        """
        at = self._backend.timestamp(now)
        only = " AND id = ?" if job_id is not None else ""
        extra: tuple[Any, ...] = (job_id,) if job_id is not None else ()
        timed_out = self._update(
            "UPDATE jobs SET status = ?, error_code = ?, error_message = ?, finished_at = ?"
            f" WHERE status IN (?, ?) AND deadline_at <= ?{only}",
            (
                JobStatus.timed_out,
                "job_timeout",
                "The job did not finish within its time limit; nothing was charged.",
                at,
                *UNFINISHED,
                at,
                *extra,
            ),
        )
        expired = self._update(
            f"UPDATE jobs SET status = ?, error_code = ?, error_message = ? WHERE status = ? AND expires_at <= ?{only}",
            (
                JobStatus.timed_out,
                "result_expired",
                "The result was not downloaded in time and has been deleted; nothing was charged.",
                JobStatus.ready,
                at,
                *extra,
            ),
        )
        return timed_out + expired

    def set_webhook_state(self, job_id: str, state: str) -> None:
        """Note where a job's webhook delivery stands (pending, delivered, failed, skipped)."""
        with self._backend.transaction() as cur:
            cur.execute("UPDATE jobs SET webhook_state = ? WHERE id = ?", (state, job_id))

    def heartbeat(self, runner: str, *, engine: str, now: datetime) -> None:
        """Record that ``runner`` (a service process or a worker) is alive."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO job_runners (id, engine, seen_at) VALUES (?, ?, ?) ON CONFLICT (id)"
                " DO UPDATE SET seen_at = excluded.seen_at",
                (runner, engine, self._backend.timestamp(now)),
            )

    def remove_runner(self, runner: str) -> None:
        """Forget a runner that stops cleanly."""
        with self._backend.transaction() as cur:
            cur.execute("DELETE FROM job_runners WHERE id = ?", (runner,))

    def reap(
        self,
        *,
        engine: str,
        statuses: Sequence[JobStatus],
        code: str,
        message: str,
        now: datetime,
        lease: timedelta,
        spare: str | None = None,
    ) -> list[Job]:
        """Fail the jobs held by runners gone from the runners table or silent for ``lease`` (never ``spare``'s).

        Jobs of a runner that died hold nothing any more (their image or result was in its memory,
        or they were half processed), so they end as Failed with ``code``, never stuck.
        """
        marks = ", ".join("?" for _ in statuses)
        sql = (
            "UPDATE jobs SET status = ?, error_code = ?, error_message = ?, finished_at = ?"
            f" WHERE engine = ? AND status IN ({marks}) AND runner IS NOT NULL"
            " AND runner NOT IN (SELECT id FROM job_runners WHERE seen_at >= ?)"
        )
        params: list[Any] = [
            JobStatus.failed,
            code,
            message,
            self._backend.timestamp(now),
            engine,
            *statuses,
            self._backend.timestamp(now - lease),
        ]
        if spare is not None:
            sql += " AND runner <> ?"
            params.append(spare)
        return self._update(sql, params)


def _job(row: Row) -> Job:
    entity_types = row["entity_types"]
    return Job(
        id=row["id"],
        key_id=row["key_id"],
        mode=row["mode"],
        engine=row["engine"],
        status=JobStatus(row["status"]),
        use_webhook=bool(row["use_webhook"]),
        created_at=parse_time(row["created_at"]),
        deadline_at=parse_time(row["deadline_at"]),
        runner=row["runner"],
        error_code=row["error_code"],
        error_message=row["error_message"],
        webhook_state=row["webhook_state"],
        started_at=parse_optional_time(row["started_at"]),
        finished_at=parse_optional_time(row["finished_at"]),
        expires_at=parse_optional_time(row["expires_at"]),
        downloaded_at=parse_optional_time(row["downloaded_at"]),
        content_type=row["content_type"],
        pages=int(row["pages"]),
        characters=int(row["characters"]),
        entities=int(row["entities"]),
        regions=int(row["regions"]),
        entity_types=json.loads(entity_types) if entity_types else {},
        tokens=int(row["tokens"]),
    )
