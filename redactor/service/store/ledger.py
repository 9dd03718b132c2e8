"""The usage ledger in the store: one row per call (counts, never content) and each key's token total per period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redactor.service.store.db import Backend, Cursor, parse_time


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


def period_label(at: datetime) -> str:
    """The billing period (calendar month, UTC) containing ``at``, as ``YYYY-MM``."""
    return at.astimezone(UTC).strftime("%Y-%m")


class Ledger:
    """Ledger rows and token totals; every method is one short transaction, except ``write``, which joins one."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def used_tokens(self, key_id: str, period: str) -> int:
        """Tokens charged to ``key_id`` in ``period`` so far."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT tokens FROM usage WHERE key_id = ? AND period = ?", (key_id, period))
            row = cur.fetchone()
        return int(row["tokens"]) if row else 0

    def record(self, entry: LedgerEntry) -> int | None:
        """Write the call's ledger row and, if it cost tokens, add them to the period's total.

        Both happen in one transaction, and the total is incremented in the database (never read,
        added and written back), so concurrent calls can neither lose nor double a charge. Returns the
        period's new total for a charged call, else None.
        """
        with self._backend.transaction() as cur:
            return self.write(cur, entry)

    def write(self, cur: Cursor, entry: LedgerEntry) -> int | None:
        """``record`` inside the caller's transaction, so a charge commits or rolls back with the caller's change."""
        cur.execute(
            "INSERT INTO ledger (at, day, period, request_id, key_id, endpoint, status, code, tokens, characters,"
            " entities, pages, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._backend.timestamp(entry.at),
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
        assert row is not None  # an upsert returns its row
        return int(row["tokens"])

    def usage_by_day(self, key_id: str, period: str) -> list[DayUsage]:
        """Calls, failures and tokens per day and endpoint of one key in one period."""
        with self._backend.transaction() as cur:
            cur.execute(
                "SELECT day, endpoint, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS failed,"
                " SUM(tokens) AS tokens FROM ledger WHERE key_id = ? AND period = ? GROUP BY day, endpoint"
                " ORDER BY day, endpoint",
                (key_id, period),
            )
            rows = cur.fetchall()
        return [DayUsage(r["day"], r["endpoint"], int(r["requests"]), int(r["failed"]), int(r["tokens"])) for r in rows]

    def entries(self, key_id: str | None = None) -> list[LedgerEntry]:
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
        return [
            LedgerEntry(
                at=parse_time(r["at"]),
                request_id=r["request_id"],
                key_id=r["key_id"],
                endpoint=r["endpoint"],
                status=int(r["status"]),
                code=r["code"],
                tokens=int(r["tokens"]),
                characters=int(r["characters"]),
                entities=int(r["entities"]),
                pages=int(r["pages"]),
                duration_ms=int(r["duration_ms"]),
            )
            for r in rows
        ]
