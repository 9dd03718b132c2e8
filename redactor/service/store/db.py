"""The store's two backends (a SQLite file, PostgreSQL through a psycopg pool), their cursors and rows."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from redactor.errors import ConfigError


class Row(Protocol):
    """A fetched row, read by column name (``sqlite3.Row`` or psycopg's ``dict_row``)."""

    def __getitem__(self, column: str, /) -> Any: ...


class Cursor(Protocol):
    """The cursor of one transaction: ``?`` placeholders on both backends."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> object: ...

    def fetchone(self) -> Row | None: ...

    def fetchall(self) -> Sequence[Row]: ...


class Backend(Protocol):
    """A database: short transactions and the dialect's value for a timestamp."""

    dialect: str

    def transaction(self) -> AbstractContextManager[Cursor]: ...

    def timestamp(self, at: datetime) -> Any: ...

    def close(self) -> None: ...


class SqliteBackend:
    """One SQLite connection (WAL on files), serialised by a lock; timestamps stored as ISO text in UTC."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA busy_timeout = 10000")
            if path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as e:
            raise ConfigError(f"REDACTOR_DATABASE_URL: cannot open SQLite database {path!r}: {e}") from e
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A cursor in a write transaction (``BEGIN IMMEDIATE``), committed on exit, rolled back on error."""
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def timestamp(self, at: datetime) -> str:
        """ISO 8601 in UTC: stored as text, whose order is the order of the times."""
        return at.astimezone(UTC).isoformat()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


class _PgCursor:
    """psycopg cursor that takes ``?`` placeholders like sqlite3."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> object:
        return self._cursor.execute(sql.replace("?", "%s"), params)

    def fetchone(self) -> Row | None:
        row: Row | None = self._cursor.fetchone()
        return row

    def fetchall(self) -> Sequence[Row]:
        rows: Sequence[Row] = self._cursor.fetchall()
        return rows


class PostgresBackend:
    """A psycopg connection pool; rows as dicts, timestamps as TIMESTAMPTZ."""

    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int) -> None:
        try:
            from psycopg.rows import dict_row
            from psycopg_pool import ConnectionPool
        except ImportError as e:
            raise ConfigError("REDACTOR_DATABASE_URL is PostgreSQL but psycopg is not installed.") from e
        self._row_factory = dict_row
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False, timeout=10.0)
        try:
            self._pool.open(wait=True, timeout=10.0)
        except Exception as e:  # the pool raises PoolTimeout without the cause in the message
            self._pool.close()
            raise ConfigError(f"REDACTOR_DATABASE_URL: cannot connect to PostgreSQL at {_safe_url(url)}.") from e

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A cursor of a pooled connection in one transaction, committed on exit, rolled back on error."""
        with (
            self._pool.connection() as conn,
            conn.transaction(),
            conn.cursor(row_factory=self._row_factory) as cursor,
        ):
            yield _PgCursor(cursor)

    def timestamp(self, at: datetime) -> datetime:
        """The time itself, in UTC (psycopg adapts it to TIMESTAMPTZ)."""
        return at.astimezone(UTC)

    def close(self) -> None:
        """Close the pool."""
        self._pool.close()


def connect(url: str, *, pool_size: int) -> Backend:
    """The backend of ``sqlite:///path`` (default), ``sqlite:///:memory:`` or ``postgresql://...``."""
    scheme = url.split(":", 1)[0].lower()
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
        return SqliteBackend(path)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return PostgresBackend("postgresql" + url[len(scheme) :], pool_size)
    raise ConfigError(f"REDACTOR_DATABASE_URL: unsupported scheme {scheme!r}; use sqlite:/// or postgresql://.")


def _safe_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{parts.scheme}://{host}:{parts.port or 5432}{parts.path}"


def parse_time(value: Any) -> datetime:
    """A stored timestamp (ISO text from SQLite, a datetime from PostgreSQL) as an aware datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_optional_time(value: Any) -> datetime | None:
    """A nullable stored timestamp: None stays None."""
    return None if value is None else parse_time(value)
