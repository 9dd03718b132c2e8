"""Persistence of the service: API keys, the usage ledger, rate windows, jobs and webhooks (SQLite or PostgreSQL).

One package, two backends behind the same objects, one per concern: ``store.keys``, ``store.ledger``,
``store.rates``, ``store.jobs`` and ``store.webhooks``. SQLite (a file, nothing to install) is the
default; ``postgresql://`` URLs select PostgreSQL through psycopg 3 and a small connection pool. The
schema is created or migrated by ``Store.migrate()``, which ``open_store`` runs on start. Rows are
read by column name on both backends. A change that spans concerns stays one transaction in the
concern that owns it: a job's hand-over (``store.jobs.complete``) writes its ledger row and token
total with the job's own cursor, through ``Ledger.write``.

Nothing stored here is document content: the ledger has counts, never text, entity values, image
bytes or file names. Keys are stored only as SHA-256 hashes of the secret. Job rows hold a job's
state, timestamps and counts; its image, result, file name and caller metadata live elsewhere (process
memory or Redis) and never here. Job state changes are conditional updates (``... WHERE status = ?``),
so several processes may race on one job and exactly one transition wins.
"""

from __future__ import annotations

from redactor.errors import ConfigError
from redactor.service.store.db import Backend, connect
from redactor.service.store.jobs import Job, Jobs, JobStatus, JobSummary
from redactor.service.store.keys import ApiKey, Keys
from redactor.service.store.ledger import Ledger, LedgerEntry, period_label
from redactor.service.store.rates import RateWindows
from redactor.service.store.schema import SCHEMA_VERSION, apply_migrations
from redactor.service.store.webhooks import Webhook, WebhookAttempt, Webhooks


class Store:
    """The database, with one object per concern; each of their methods is one short transaction."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.keys = Keys(backend)
        self.ledger = Ledger(backend)
        self.rates = RateWindows(backend)
        self.jobs = Jobs(backend, self.ledger)  # a hand-over charges the ledger in the job's transaction
        self.webhooks = Webhooks(backend)

    @property
    def dialect(self) -> str:
        return self._backend.dialect

    def migrate(self) -> int:
        """Create or upgrade the schema; safe to run from several processes at once. Returns the version."""
        return apply_migrations(self._backend)

    def ping(self) -> None:
        """Run a trivial query; raises if the database is unreachable."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()

    def close(self) -> None:
        """Close the connection or pool."""
        self._backend.close()


def open_store(url: str, *, pool_size: int = 4, migrate: bool = True) -> Store:
    """Open ``sqlite:///path`` (default), ``sqlite:///:memory:`` or ``postgresql://...`` and migrate it."""
    store = Store(connect(url, pool_size=pool_size))
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


__all__ = [
    "SCHEMA_VERSION",
    "ApiKey",
    "Job",
    "JobStatus",
    "JobSummary",
    "LedgerEntry",
    "Store",
    "Webhook",
    "WebhookAttempt",
    "open_store",
    "period_label",
]
