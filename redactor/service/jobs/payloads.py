"""Jobs: where a job's image and result wait — this process's memory, or Redis for separate workers.

Never the database and never a file. The image is taken (read and deleted in one step) when a
worker starts the job; the result is deleted when it is downloaded or delivered, or when it expires.
In Redis both also carry a TTL a little past the job's own clocks, so nothing outlives them even if
every process dies; run Redis without persistence (``--save "" --appendonly no``) so they never
reach its disk either.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from redactor.errors import ConfigError
from redactor.service.jobs.process import JobOutput, JobSpec

TTL_MARGIN = 60.0  # seconds a payload outlives the job clock that governs it


class Payloads(Protocol):
    """Storage of job contents, by job id."""

    def put_input(self, job_id: str, spec: JobSpec, image: bytes, *, ttl: float) -> None: ...

    def take_input(self, job_id: str) -> tuple[JobSpec, bytes] | None: ...

    def put_result(self, job_id: str, output: JobOutput, *, ttl: float) -> None: ...

    def get_result(self, job_id: str) -> JobOutput | None: ...

    def metadata(self, job_id: str) -> str | None: ...

    def drop(self, job_id: str) -> None: ...

    def strip(self, job_id: str) -> None: ...

    def held(self) -> int: ...

    def purge(self) -> int: ...

    def close(self) -> None: ...


@dataclass
class _Held:
    spec: JobSpec | None
    image: bytes | None
    output: JobOutput | None
    expires: float  # time.monotonic()


class MemoryPayloads:
    """Payloads in this process's memory: gone on restart (the jobs then end as Failed ``restarted``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, _Held] = {}

    def put_input(self, job_id: str, spec: JobSpec, image: bytes, *, ttl: float) -> None:
        with self._lock:
            self._held[job_id] = _Held(spec, image, None, time.monotonic() + ttl + TTL_MARGIN)

    def take_input(self, job_id: str) -> tuple[JobSpec, bytes] | None:
        with self._lock:
            held = self._held.get(job_id)
            if held is None or held.spec is None or held.image is None:
                return None
            taken = held.spec, held.image
            held.image = None  # the original is gone; the spec stays for the metadata
            return taken

    def put_result(self, job_id: str, output: JobOutput, *, ttl: float) -> None:
        with self._lock:
            self._held[job_id] = _Held(None, None, output, time.monotonic() + ttl + TTL_MARGIN)

    def get_result(self, job_id: str) -> JobOutput | None:
        with self._lock:
            held = self._held.get(job_id)
            return held.output if held is not None else None

    def metadata(self, job_id: str) -> str | None:
        with self._lock:
            held = self._held.get(job_id)
        if held is None:
            return None
        if held.output is not None:
            return held.output.metadata
        return held.spec.metadata if held.spec is not None else None

    def drop(self, job_id: str) -> None:
        with self._lock:
            self._held.pop(job_id, None)

    def strip(self, job_id: str) -> None:
        """Drop the image and any result; keep the caller's metadata for the job's webhook event."""
        with self._lock:
            held = self._held.get(job_id)
            if held is not None:
                held.image = held.output = None

    def held(self) -> int:
        """Jobs whose image or result is in memory (the backlog bound counts these)."""
        with self._lock:
            return len(self._held)

    def purge(self) -> int:
        """Drop what outlived its clock (the job sweep normally drops it first); returns how many."""
        now = time.monotonic()
        with self._lock:
            stale = [job_id for job_id, held in self._held.items() if held.expires <= now]
            for job_id in stale:
                del self._held[job_id]
        return len(stale)

    def close(self) -> None:
        with self._lock:
            self._held.clear()


class RedisPayloads:
    """Payloads in Redis hashes ``<prefix>:job:<id>:in`` and ``:out``, each with a TTL."""

    def __init__(self, url: str, prefix: str) -> None:
        try:
            import redis
        except ImportError as e:
            raise ConfigError("REDACTOR_JOBS_ENGINE=dramatiq needs pip install 'redactor[scale]'.") from e
        self._redis: Any = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        self._prefix = prefix

    def _key(self, job_id: str, part: str) -> str:
        return f"{self._prefix}:job:{job_id}:{part}"

    def ping(self) -> None:
        """Raise if Redis cannot be reached."""
        self._redis.ping()

    def put_input(self, job_id: str, spec: JobSpec, image: bytes, *, ttl: float) -> None:
        key = self._key(job_id, "in")
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(key, mapping={"spec": spec.to_json(), "image": image, "metadata": spec.metadata or ""})
        pipe.expire(key, int(ttl + TTL_MARGIN))
        pipe.execute()

    def take_input(self, job_id: str) -> tuple[JobSpec, bytes] | None:
        key = self._key(job_id, "in")
        pipe = self._redis.pipeline(transaction=True)
        pipe.hmget(key, "spec", "image")
        pipe.hdel(key, "image")  # the original goes at once; the spec's metadata stays until the result is stored
        (spec, image), _ = pipe.execute()
        if spec is None or image is None:
            return None
        return JobSpec.from_json(spec), bytes(image)

    def put_result(self, job_id: str, output: JobOutput, *, ttl: float) -> None:
        key = self._key(job_id, "out")
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(key, mapping={"meta": output.meta_json(), "body": output.body})
        pipe.expire(key, int(ttl + TTL_MARGIN))
        pipe.delete(self._key(job_id, "in"))
        pipe.execute()

    def get_result(self, job_id: str) -> JobOutput | None:
        meta, body = self._redis.hmget(self._key(job_id, "out"), "meta", "body")
        if meta is None or body is None:
            return None
        return JobOutput.from_parts(bytes(meta), bytes(body))

    def metadata(self, job_id: str) -> str | None:
        raw = self._redis.hget(self._key(job_id, "in"), "metadata")
        if raw is not None:
            return bytes(raw).decode("utf-8") or None
        meta = self._redis.hget(self._key(job_id, "out"), "meta")
        if meta is None:
            return None
        return JobOutput.from_parts(bytes(meta), b"").metadata

    def drop(self, job_id: str) -> None:
        self._redis.delete(self._key(job_id, "in"), self._key(job_id, "out"))

    def strip(self, job_id: str) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.hdel(self._key(job_id, "in"), "image", "spec")
        pipe.delete(self._key(job_id, "out"))
        pipe.execute()

    def held(self) -> int:
        return 0  # Redis holds the backlog; its memory policy bounds it

    def purge(self) -> int:
        return 0  # TTLs do it

    def close(self) -> None:
        self._redis.close()
