"""Webhooks in the store: each key's registration (URL and signing secret) and the delivery attempts of jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redactor.service.store.db import Backend, parse_time


@dataclass(frozen=True)
class Webhook:
    """A key's webhook: where to deliver and the secret that signs deliveries."""

    key_id: str
    url: str
    secret: str
    created_at: datetime


@dataclass(frozen=True)
class WebhookAttempt:
    """One delivery attempt: when, the receiver's HTTP status or the transport error, how long."""

    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class Webhooks:
    """Register, read and remove a key's webhook; log delivery attempts; every method is one short transaction."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def save(self, key_id: str, *, url: str, secret: str, now: datetime) -> Webhook:
        """Register (or replace) the webhook of a key."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO webhooks (key_id, url, secret, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id)"
                " DO UPDATE SET url = excluded.url, secret = excluded.secret, created_at = excluded.created_at",
                (key_id, url, secret, self._backend.timestamp(now)),
            )
        return Webhook(key_id, url, secret, now)

    def get(self, key_id: str) -> Webhook | None:
        """The key's webhook, or None."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT key_id, url, secret, created_at FROM webhooks WHERE key_id = ?", (key_id,))
            row = cur.fetchone()
        if row is None:
            return None
        return Webhook(row["key_id"], row["url"], row["secret"], parse_time(row["created_at"]))

    def delete(self, key_id: str) -> bool:
        """Remove the key's webhook; False if it had none."""
        with self._backend.transaction() as cur:
            cur.execute("DELETE FROM webhooks WHERE key_id = ? RETURNING key_id", (key_id,))
            row = cur.fetchone()
        return row is not None

    def add_attempt(self, job_id: str, attempt: WebhookAttempt) -> None:
        """Record one delivery attempt (status code or error class, never the response body)."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO webhook_attempts (job_id, attempt, at, status_code, error, duration_ms)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    attempt.attempt,
                    self._backend.timestamp(attempt.at),
                    attempt.status_code,
                    attempt.error,
                    attempt.duration_ms,
                ),
            )

    def attempts(self, job_id: str) -> list[WebhookAttempt]:
        """A job's delivery attempts, first first."""
        with self._backend.transaction() as cur:
            cur.execute(
                "SELECT attempt, at, status_code, error, duration_ms FROM webhook_attempts WHERE job_id = ?"
                " ORDER BY attempt, id",
                (job_id,),
            )
            rows = cur.fetchall()
        return [
            WebhookAttempt(
                attempt=int(r["attempt"]),
                at=parse_time(r["at"]),
                status_code=None if r["status_code"] is None else int(r["status_code"]),
                error=r["error"],
                duration_ms=int(r["duration_ms"]),
            )
            for r in rows
        ]
