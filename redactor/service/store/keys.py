"""API keys in the store: the ``api_keys`` table, which holds the SHA-256 of each secret, never the secret."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from redactor.service.store.db import Backend, Row, parse_optional_time, parse_time

KEY_PREFIX = "rdk_"
_COLUMNS = "id, name, plan, created_at, revoked_at"


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


def hash_secret(secret: str) -> str:
    """SHA-256 of a key: keys are 256-bit random, so a fast hash is enough and lookup stays O(1)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Keys:
    """Create, find, list and revoke API keys; every method is one short transaction."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def create(self, *, name: str, plan: str, now: datetime | None = None) -> tuple[ApiKey, str]:
        """Store a new key and return it with its secret, which is never stored or shown again."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            id="key_" + secrets.token_hex(6), name=name, plan=plan, created_at=now or datetime.now(UTC), revoked_at=None
        )
        with self._backend.transaction() as cur:
            cur.execute(
                "INSERT INTO api_keys (id, key_hash, name, plan, created_at) VALUES (?, ?, ?, ?, ?)",
                (key.id, hash_secret(secret), key.name, key.plan, self._backend.timestamp(key.created_at)),
            )
        return key, secret

    def find(self, secret: str) -> ApiKey | None:
        """The key whose secret this is, revoked or not; None if unknown."""
        with self._backend.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM api_keys WHERE key_hash = ?", (hash_secret(secret),))
            row = cur.fetchone()
        return _key(row) if row else None

    def get(self, key_id: str) -> ApiKey | None:
        """The key with this id, or None."""
        with self._backend.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM api_keys WHERE id = ?", (key_id,))
            row = cur.fetchone()
        return _key(row) if row else None

    def all(self) -> list[ApiKey]:
        """Every key, oldest first."""
        with self._backend.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at, id")
            rows = cur.fetchall()
        return [_key(row) for row in rows]

    def revoke(self, key_id: str, *, now: datetime | None = None) -> ApiKey | None:
        """Mark a key revoked (idempotent); None if there is no such key."""
        with self._backend.transaction() as cur:
            cur.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (self._backend.timestamp(now or datetime.now(UTC)), key_id),
            )
        return self.get(key_id)

    def count_active(self) -> int:
        """How many keys are not revoked."""
        with self._backend.transaction() as cur:
            cur.execute("SELECT COUNT(*) AS active FROM api_keys WHERE revoked_at IS NULL")
            row = cur.fetchone()
        assert row is not None  # an aggregate always returns one row
        return int(row["active"])


def _key(row: Row) -> ApiKey:
    return ApiKey(
        id=row["id"],
        name=row["name"],
        plan=row["plan"],
        created_at=parse_time(row["created_at"]),
        revoked_at=parse_optional_time(row["revoked_at"]),
    )
