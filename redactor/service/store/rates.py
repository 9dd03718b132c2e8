"""Rate windows in the store: each key's request count in its current one-minute window."""

from __future__ import annotations

from redactor.service.store.db import Backend


class RateWindows:
    """One counter per key, reset when a new window starts; counted in the database, so every process shares it."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def hit(self, key_id: str, window_start: int) -> int:
        """Count one request in the key's current one-minute window; returns the window's count so far."""
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO rate_windows (key_id, window_start, requests) VALUES (?, ?, 1) ON CONFLICT (key_id)"
                " DO UPDATE SET requests = CASE WHEN rate_windows.window_start = excluded.window_start"
                " THEN rate_windows.requests + 1 ELSE 1 END, window_start = excluded.window_start RETURNING requests",
                (key_id, window_start),
            )
            row = cur.fetchone()
        assert row is not None  # an upsert returns its row
        return int(row["requests"])
