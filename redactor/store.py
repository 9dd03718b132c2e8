"""Persistence of the service edge: API keys, the usage ledger, rate windows, jobs and webhooks (SQLite or PostgreSQL).

One small module, two backends behind the same methods. SQLite (a file, nothing to install) is the
default; ``postgresql://`` URLs select PostgreSQL through psycopg 3 and a small connection pool. The
schema is created or migrated by ``Store.migrate()``, which ``open_store`` runs on start.

Nothing stored here is document content: the ledger has counts, never text, entity values, image
bytes or file names. Keys are stored only as SHA-256 hashes of the secret. Job rows hold a job's
state, timestamps and counts; its image, result, file name and caller metadata live elsewhere (process
memory or Redis) and never here. Job state changes are conditional updates (``... WHERE status = ?``),
so several processes may race on one job and exactly one transition wins.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from redactor.errors import ConfigError

KEY_PREFIX = "rdk_"
SCHEMA_VERSION = 2

# Migrations: (version, statements). Written in the SQL both backends accept; {id} and {ts} are the
# dialect's auto-increment key and timestamp types.
_MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                key_hash TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                plan TEXT NOT NULL,
                created_at {ts} NOT NULL,
                revoked_at {ts}
            )""",
            """CREATE TABLE ledger (
                id {id},
                at {ts} NOT NULL,
                day TEXT NOT NULL,
                period TEXT NOT NULL,
                request_id TEXT NOT NULL,
                key_id TEXT,
                endpoint TEXT NOT NULL,
                status INTEGER NOT NULL,
                code TEXT,
                tokens INTEGER NOT NULL,
                characters INTEGER NOT NULL,
                entities INTEGER NOT NULL,
                pages INTEGER NOT NULL,
                duration_ms INTEGER NOT NULL
            )""",
            "CREATE INDEX ledger_key_period ON ledger (key_id, period)",
            """CREATE TABLE usage (
                key_id TEXT NOT NULL,
                period TEXT NOT NULL,
                tokens BIGINT NOT NULL,
                PRIMARY KEY (key_id, period)
            )""",
            """CREATE TABLE rate_windows (
                key_id TEXT PRIMARY KEY,
                window_start BIGINT NOT NULL,
                requests INTEGER NOT NULL
            )""",
        ),
    ),
    (
        2,
        (
            """CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                key_id TEXT NOT NULL,
                mode TEXT NOT NULL,
                engine TEXT NOT NULL,
                status TEXT NOT NULL,
                use_webhook INTEGER NOT NULL,
                created_at {ts} NOT NULL,
                deadline_at {ts} NOT NULL,
                runner TEXT,
                error_code TEXT,
                error_message TEXT,
                webhook_state TEXT,
                started_at {ts},
                finished_at {ts},
                expires_at {ts},
                downloaded_at {ts},
                content_type TEXT,
                pages INTEGER NOT NULL DEFAULT 0,
                characters INTEGER NOT NULL DEFAULT 0,
                entities INTEGER NOT NULL DEFAULT 0,
                regions INTEGER NOT NULL DEFAULT 0,
                entity_types TEXT,
                tokens INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX jobs_key_created ON jobs (key_id, created_at)",
            "CREATE INDEX jobs_status ON jobs (status)",
            """CREATE TABLE webhook_attempts (
                id {id},
                job_id TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                at {ts} NOT NULL,
                status_code INTEGER,
                error TEXT,
                duration_ms INTEGER NOT NULL
            )""",
            "CREATE INDEX webhook_attempts_job ON webhook_attempts (job_id)",
            """CREATE TABLE webhooks (
                key_id TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                created_at {ts} NOT NULL
            )""",
            """CREATE TABLE job_runners (
                id TEXT PRIMARY KEY,
                engine TEXT NOT NULL,
                seen_at {ts} NOT NULL
            )""",
        ),
    ),
)


@dataclass(frozen=True)
class ApiKey:
    """A stored key: never the secret, only its id and owner."""

    id: str
    name: str
    plan: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class LedgerEntry:
    """One call as the ledger sees it: counts and outcome, never content."""

    at: datetime
    request_id: str
    key_id: str | None
    endpoint: str
    status: int
    code: str | None = None
    tokens: int = 0
    characters: int = 0
    entities: int = 0
    pages: int = 0
    duration_ms: int = 0

    @property
    def day(self) -> str:
        return self.at.astimezone(UTC).strftime("%Y-%m-%d")

    @property
    def period(self) -> str:
        return period_label(self.at)


@dataclass(frozen=True)
class DayUsage:
    """Calls and tokens of one endpoint on one day (UTC)."""

    day: str
    endpoint: str
    requests: int
    failed: int
    tokens: int


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


@dataclass(frozen=True)
class WebhookAttempt:
    """One delivery attempt: when, the receiver's HTTP status or the transport error, how long."""

    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class Webhook:
    """A key's webhook: where to deliver and the secret that signs deliveries."""

    key_id: str
    url: str
    secret: str
    created_at: datetime


_JOB_COLUMNS = (
    "id, key_id, mode, engine, status, use_webhook, created_at, deadline_at, runner, error_code, error_message,"
    " webhook_state, started_at, finished_at, expires_at, downloaded_at, content_type, pages, characters, entities,"
    " regions, entity_types, tokens"
)


def period_label(at: datetime) -> str:
    """The billing period (calendar month, UTC) containing ``at``, as ``YYYY-MM``."""
    return at.astimezone(UTC).strftime("%Y-%m")


def hash_secret(secret: str) -> str:
    """SHA-256 of a key: keys are 256-bit random, so a fast hash is enough and lookup stays O(1)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class _Backend(Protocol):
    dialect: str

    def transaction(self) -> Any: ...

    def close(self) -> None: ...


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


class _SqliteBackend:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
            self._conn.execute("PRAGMA busy_timeout = 10000")
            if path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as e:
            raise ConfigError(f"REDACTOR_DATABASE_URL: cannot open SQLite database {path!r}: {e}") from e
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[_Cursor]:
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _PgCursor:
    """psycopg cursor that takes ``?`` placeholders like sqlite3."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(sql.replace("?", "%s"), params)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> Any:
        return self._cursor.fetchall()


class _PostgresBackend:
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int) -> None:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as e:
            raise ConfigError("REDACTOR_DATABASE_URL is PostgreSQL but psycopg is not installed.") from e
        self._errors = psycopg.Error
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False, timeout=10.0)
        try:
            self._pool.open(wait=True, timeout=10.0)
        except Exception as e:  # the pool raises PoolTimeout without the cause in the message
            self._pool.close()
            raise ConfigError(f"REDACTOR_DATABASE_URL: cannot connect to PostgreSQL at {_safe_url(url)}.") from e

    @contextmanager
    def transaction(self) -> Iterator[_Cursor]:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
            yield _PgCursor(cursor)

    def close(self) -> None:
        self._pool.close()


def _safe_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{parts.scheme}://{host}:{parts.port or 5432}{parts.path}"


def _parse_time(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Store:
    """Keys, ledger, usage counters and rate windows; every method is one short transaction."""

    def __init__(self, backend: _Backend) -> None:
        self._backend = backend

    @property
    def dialect(self) -> str:
        return self._backend.dialect

    def _ts(self, at: datetime) -> Any:
        at = at.astimezone(UTC)
        return at.isoformat() if self.dialect == "sqlite" else at

    def close(self) -> None:
        """Close the connection or pool."""
        self._backend.close()

    # -- schema -------------------------------------------------------------------------------

    def migrate(self) -> int:
        """Create or upgrade the schema; safe to run from several processes at once. Returns the version."""
        types = (
            {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "ts": "TEXT"}
            if self.dialect == "sqlite"
            else {"id": "BIGSERIAL PRIMARY KEY", "ts": "TIMESTAMPTZ"}
        )
        with self._backend.transaction() as cur:
            if self.dialect == "postgresql":
                cur.execute("SELECT pg_advisory_xact_lock(?)", (0x7265646163,))
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            cur.execute("SELECT MAX(version) FROM schema_version")
            row = cur.fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
            if current > SCHEMA_VERSION:
                raise ConfigError(
                    f"REDACTOR_DATABASE_URL: the database has schema version {current}, newer than this "
                    f"release ({SCHEMA_VERSION}); upgrade redactor."
                )
            for version, statements in _MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    cur.execute(statement.format(**types))
                cur.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
                current = version
        return current

    def ping(self) -> None:
        """Run a trivial query; raises if the database is unreachable."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()

    # -- keys ---------------------------------------------------------------------------------

    def create_key(self, *, name: str, plan: str, now: datetime | None = None) -> tuple[ApiKey, str]:
        """Store a new key and return it with its secret, which is never stored or shown again."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            id="key_" + secrets.token_hex(6), name=name, plan=plan, created_at=now or datetime.now(UTC), revoked_at=None
        )
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO api_keys (id, key_hash, name, plan, created_at) VALUES (?, ?, ?, ?, ?)",
                (key.id, hash_secret(secret), key.name, key.plan, self._ts(key.created_at)),
            )
        return key, secret

    def find_key(self, secret: str) -> ApiKey | None:
        """The key whose secret this is, revoked or not; None if unknown."""
        with self._backend.transaction() as cur:
            cur.execute(
                "SELECT id, name, plan, created_at, revoked_at FROM api_keys WHERE key_hash = ?", (hash_secret(secret),)
            )
            row = cur.fetchone()
        return self._key(row) if row else None

    def get_key(self, key_id: str) -> ApiKey | None:
        """The key with this id, or None."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT id, name, plan, created_at, revoked_at FROM api_keys WHERE id = ?", (key_id,))
            row = cur.fetchone()
        return self._key(row) if row else None

    def list_keys(self) -> list[ApiKey]:
        """Every key, oldest first."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT id, name, plan, created_at, revoked_at FROM api_keys ORDER BY created_at, id")
            rows = cur.fetchall()
        return [self._key(row) for row in rows]

    def revoke_key(self, key_id: str, *, now: datetime | None = None) -> ApiKey | None:
        """Mark a key revoked (idempotent); None if there is no such key."""
        with self._backend.transaction() as cur:
            cur.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (self._ts(now or datetime.now(UTC)), key_id),
            )
        return self.get_key(key_id)

    def count_active_keys(self) -> int:
        """How many keys are not revoked."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL")
            row = cur.fetchone()
        return int(row[0])

    @staticmethod
    def _key(row: Sequence[Any]) -> ApiKey:
        created = _parse_time(row[3])
        assert created is not None
        return ApiKey(id=row[0], name=row[1], plan=row[2], created_at=created, revoked_at=_parse_time(row[4]))

    # -- metering -----------------------------------------------------------------------------

    def used_tokens(self, key_id: str, period: str) -> int:
        """Tokens charged to ``key_id`` in ``period`` so far."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT tokens FROM usage WHERE key_id = ? AND period = ?", (key_id, period))
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def record(self, entry: LedgerEntry) -> int | None:
        """Write the call's ledger row and, if it cost tokens, add them to the period's total.

        Both happen in one transaction, and the total is incremented in the database (never read,
        added and written back), so concurrent calls can neither lose nor double a charge. Returns the
        period's new total for a charged call, else None.
        """
        with self._backend.transaction() as cur:
            return self._record(cur, entry)

    def _record(self, cur: _Cursor, entry: LedgerEntry) -> int | None:
        cur.execute(
            "INSERT INTO ledger (at, day, period, request_id, key_id, endpoint, status, code, tokens, characters,"
            " entities, pages, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._ts(entry.at),
                entry.day,
                entry.period,
                entry.request_id,
                entry.key_id,
                entry.endpoint,
                entry.status,
                entry.code,
                entry.tokens,
                entry.characters,
                entry.entities,
                entry.pages,
                entry.duration_ms,
            ),
        )
        if entry.tokens <= 0 or entry.key_id is None:
            return None
        cur.execute(
            "INSERT INTO usage (key_id, period, tokens) VALUES (?, ?, ?) ON CONFLICT (key_id, period)"
            " DO UPDATE SET tokens = usage.tokens + excluded.tokens RETURNING tokens",
            (entry.key_id, entry.period, entry.tokens),
        )
        row = cur.fetchone()
        return int(row[0])

    def usage_by_day(self, key_id: str, period: str) -> list[DayUsage]:
        """Calls, failures and tokens per day and endpoint of one key in one period."""
        with self._backend.transaction() as cur:
            cur.execute(
                "SELECT day, endpoint, COUNT(*), SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(tokens)"
                " FROM ledger WHERE key_id = ? AND period = ? GROUP BY day, endpoint ORDER BY day, endpoint",
                (key_id, period),
            )
            rows = cur.fetchall()
        return [DayUsage(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]

    def ledger(self, key_id: str | None = None) -> list[LedgerEntry]:
        """Ledger rows in order, all or one key's (for tests and audits)."""
        sql = (
            "SELECT at, request_id, key_id, endpoint, status, code, tokens, characters, entities, pages, duration_ms"
            " FROM ledger"
        )
        params: tuple[Any, ...] = ()
        if key_id is not None:
            sql += " WHERE key_id = ?"
            params = (key_id,)
        with self._backend.transaction() as cur:
            cur.execute(sql + " ORDER BY id", params)
            rows = cur.fetchall()
        entries = []
        for r in rows:
            at = _parse_time(r[0])
            assert at is not None
            entries.append(LedgerEntry(at, r[1], r[2], r[3], int(r[4]), r[5], *(int(v) for v in r[6:])))
        return entries

    def hit_rate_window(self, key_id: str, window_start: int) -> int:
        """Count one request in the key's current one-minute window; returns the window's count so far."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO rate_windows (key_id, window_start, requests) VALUES (?, ?, 1) ON CONFLICT (key_id)"
                " DO UPDATE SET requests = CASE WHEN rate_windows.window_start = excluded.window_start"
                " THEN rate_windows.requests + 1 ELSE 1 END, window_start = excluded.window_start RETURNING requests",
                (key_id, window_start),
            )
            row = cur.fetchone()
        return int(row[0])

    # -- jobs ---------------------------------------------------------------------------------

    def create_job(self, job: Job) -> None:
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
                    self._ts(job.created_at),
                    self._ts(job.deadline_at),
                    job.runner,
                    job.webhook_state,
                ),
            )

    def get_job(self, job_id: str) -> Job | None:
        """The job with this id, or None."""
        with self._backend.transaction() as cur:
            cur.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
            row = cur.fetchone()
        return self._job(row) if row else None

    def _update_jobs(self, sql: str, params: Sequence[Any]) -> list[Job]:
        with self._backend.transaction() as cur:
            cur.execute(f"{sql} RETURNING {_JOB_COLUMNS}", params)
            rows = cur.fetchall()
        return [self._job(row) for row in rows]

    def claim_job(self, job_id: str, *, runner: str, now: datetime) -> Job | None:
        """Pending -> InProgress for ``runner``, unless the job is past its deadline; None if it was not Pending."""
        jobs = self._update_jobs(
            "UPDATE jobs SET status = ?, runner = ?, started_at = ? WHERE id = ? AND status = ? AND deadline_at > ?",
            (JobStatus.in_progress, runner, self._ts(now), job_id, JobStatus.pending, self._ts(now)),
        )
        return jobs[0] if jobs else None

    def finish_job(self, job_id: str, summary: JobSummary, *, now: datetime, expires_at: datetime) -> Job | None:
        """InProgress -> ReadyToDownload with the result's counts; None if the job was no longer InProgress."""
        jobs = self._update_jobs(
            "UPDATE jobs SET status = ?, finished_at = ?, expires_at = ?, content_type = ?, pages = ?, characters = ?,"
            " entities = ?, regions = ?, entity_types = ?, tokens = ? WHERE id = ? AND status = ?",
            (
                JobStatus.ready,
                self._ts(now),
                self._ts(expires_at),
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

    def fail_job(
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
        jobs = self._update_jobs(
            f"UPDATE jobs SET status = ?, error_code = ?, error_message = ?, finished_at = ? WHERE id = ?"
            f" AND status IN ({marks})",
            (status, code, message[:500], self._ts(now), job_id, *from_statuses),
        )
        return jobs[0] if jobs else None

    def complete_job(self, job_id: str, *, now: datetime, endpoint: str) -> tuple[Job, int | None] | None:
        """ReadyToDownload -> Completed and charge its tokens, in one transaction: a result is paid for once.

        Returns the job and the period's new token total, or None if the job was not ReadyToDownload
        (downloaded, delivered or expired already).
        """
        with self._backend.transaction() as cur:
            cur.execute(
                f"UPDATE jobs SET status = ?, downloaded_at = ? WHERE id = ? AND status = ? RETURNING {_JOB_COLUMNS}",
                (JobStatus.completed, self._ts(now), job_id, JobStatus.ready),
            )
            row = cur.fetchone()
            if row is None:
                return None
            job = self._job(row)
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
            total = self._record(cur, entry)
        return job, total

    def settle_jobs(self, now: datetime, *, job_id: str | None = None) -> list[Job]:
        """Apply the clocks and return the jobs changed.

        Unfinished jobs past their deadline become TimedOut (``job_timeout``); results not downloaded
        by their expiry become TimedOut (``result_expired``).
        """
        only = " AND id = ?" if job_id is not None else ""
        extra: tuple[Any, ...] = (job_id,) if job_id is not None else ()
        timed_out = self._update_jobs(
            "UPDATE jobs SET status = ?, error_code = ?, error_message = ?, finished_at = ?"
            f" WHERE status IN (?, ?) AND deadline_at <= ?{only}",
            (
                JobStatus.timed_out,
                "job_timeout",
                "The job did not finish within its time limit; nothing was charged.",
                self._ts(now),
                *UNFINISHED,
                self._ts(now),
                *extra,
            ),
        )
        expired = self._update_jobs(
            f"UPDATE jobs SET status = ?, error_code = ?, error_message = ? WHERE status = ? AND expires_at <= ?{only}",
            (
                JobStatus.timed_out,
                "result_expired",
                "The result was not downloaded in time and has been deleted; nothing was charged.",
                JobStatus.ready,
                self._ts(now),
                *extra,
            ),
        )
        return timed_out + expired

    def heartbeat(self, runner: str, *, engine: str, now: datetime) -> None:
        """Record that ``runner`` (a service process or a worker) is alive."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO job_runners (id, engine, seen_at) VALUES (?, ?, ?) ON CONFLICT (id)"
                " DO UPDATE SET seen_at = excluded.seen_at",
                (runner, engine, self._ts(now)),
            )

    def remove_runner(self, runner: str) -> None:
        """Forget a runner that stops cleanly."""
        with self._backend.transaction() as cur:
            cur.execute("DELETE FROM job_runners WHERE id = ?", (runner,))

    def reap_jobs(
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
        params: list[Any] = [JobStatus.failed, code, message, self._ts(now), engine, *statuses, self._ts(now - lease)]
        if spare is not None:
            sql += " AND runner <> ?"
            params.append(spare)
        return self._update_jobs(sql, params)

    def set_webhook_state(self, job_id: str, state: str) -> None:
        """Note where a job's webhook delivery stands (pending, delivered, failed, skipped)."""
        with self._backend.transaction() as cur:
            cur.execute("UPDATE jobs SET webhook_state = ? WHERE id = ?", (state, job_id))

    def add_webhook_attempt(self, job_id: str, attempt: WebhookAttempt) -> None:
        """Record one delivery attempt (status code or error class, never the response body)."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO webhook_attempts (job_id, attempt, at, status_code, error, duration_ms)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    attempt.attempt,
                    self._ts(attempt.at),
                    attempt.status_code,
                    attempt.error,
                    attempt.duration_ms,
                ),
            )

    def webhook_attempts(self, job_id: str) -> list[WebhookAttempt]:
        """A job's delivery attempts, first first."""
        with self._backend.transaction() as cur:
            cur.execute(
                "SELECT attempt, at, status_code, error, duration_ms FROM webhook_attempts WHERE job_id = ?"
                " ORDER BY attempt, id",
                (job_id,),
            )
            rows = cur.fetchall()
        out = []
        for r in rows:
            at = _parse_time(r[1])
            assert at is not None
            out.append(WebhookAttempt(int(r[0]), at, None if r[2] is None else int(r[2]), r[3], int(r[4])))
        return out

    @staticmethod
    def _job(row: Sequence[Any]) -> Job:
        times = [_parse_time(v) for v in (row[6], row[7], row[12], row[13], row[14], row[15])]
        created, deadline = times[0], times[1]
        assert created is not None and deadline is not None
        return Job(
            id=row[0],
            key_id=row[1],
            mode=row[2],
            engine=row[3],
            status=JobStatus(row[4]),
            use_webhook=bool(row[5]),
            created_at=created,
            deadline_at=deadline,
            runner=row[8],
            error_code=row[9],
            error_message=row[10],
            webhook_state=row[11],
            started_at=times[2],
            finished_at=times[3],
            expires_at=times[4],
            downloaded_at=times[5],
            content_type=row[16],
            pages=int(row[17]),
            characters=int(row[18]),
            entities=int(row[19]),
            regions=int(row[20]),
            entity_types=json.loads(row[21]) if row[21] else {},
            tokens=int(row[22]),
        )

    # -- webhooks -----------------------------------------------------------------------------

    def set_webhook(self, key_id: str, *, url: str, secret: str, now: datetime) -> Webhook:
        """Register (or replace) the webhook of a key."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO webhooks (key_id, url, secret, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id)"
                " DO UPDATE SET url = excluded.url, secret = excluded.secret, created_at = excluded.created_at",
                (key_id, url, secret, self._ts(now)),
            )
        return Webhook(key_id, url, secret, now)

    def get_webhook(self, key_id: str) -> Webhook | None:
        """The key's webhook, or None."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT key_id, url, secret, created_at FROM webhooks WHERE key_id = ?", (key_id,))
            row = cur.fetchone()
        if row is None:
            return None
        created = _parse_time(row[3])
        assert created is not None
        return Webhook(row[0], row[1], row[2], created)

    def delete_webhook(self, key_id: str) -> bool:
        """Remove the key's webhook; False if it had none."""
        with self._backend.transaction() as cur:
            cur.execute("DELETE FROM webhooks WHERE key_id = ? RETURNING key_id", (key_id,))
            row = cur.fetchone()
        return row is not None


def open_store(url: str, *, pool_size: int = 4, migrate: bool = True) -> Store:
    """Open ``sqlite:///path`` (default), ``sqlite:///:memory:`` or ``postgresql://...`` and migrate it."""
    scheme = url.split(":", 1)[0].lower()
    backend: _Backend
    if scheme == "sqlite":
        rest = url[len("sqlite:") :]
        if rest in ("", "//", "///:memory:", "//:memory:"):
            path = ":memory:"
        elif rest.startswith("///"):
            path = unquote(rest[3:])
        else:
            raise ConfigError(
                f"REDACTOR_DATABASE_URL: expected sqlite:///relative/path.db or sqlite:////abs/path.db, got {url!r}."
            )
        backend = _SqliteBackend(path)
    elif scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        backend = _PostgresBackend("postgresql" + url[len(scheme) :], pool_size)
    else:
        raise ConfigError(f"REDACTOR_DATABASE_URL: unsupported scheme {scheme!r}; use sqlite:/// or postgresql://.")
    store = Store(backend)
    if migrate:
        try:
            store.migrate()
        except ConfigError:
            store.close()
            raise
        except Exception as e:
            store.close()
            raise ConfigError(f"REDACTOR_DATABASE_URL: cannot create or migrate the schema: {e}") from e
    return store
