"""The store's schema: its migrations, written once for both dialects, and the migration runner."""

from __future__ import annotations

from redactor.errors import ConfigError
from redactor.service.store.db import Backend

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

_TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "ts": "TEXT"},
    "postgresql": {"id": "BIGSERIAL PRIMARY KEY", "ts": "TIMESTAMPTZ"},
}


def apply_migrations(backend: Backend) -> int:
    """Create or upgrade the schema; safe to run from several processes at once. Returns the version."""
    types = _TYPES[backend.dialect]
    with backend.transaction() as cur:
        if backend.dialect == "postgresql":
            cur.execute("SELECT pg_advisory_xact_lock(?)", (0x7265646163,))
        cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        cur.execute("SELECT MAX(version) AS version FROM schema_version")
        row = cur.fetchone()
        current = int(row["version"]) if row and row["version"] is not None else 0
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
