"""The scale-out engine: Dramatiq on Redis, separate workers, shared by API replicas; a worker killed mid-job.

Needs Redis on 127.0.0.1:6379 (skipped, saying how to start it, when absent). Workers run on threads
of the test process, except the one killed with SIGKILL, which is a real process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis

from redactor.service.store import Store, open_store

from .conftest import REDIS_URL, Gate, JobsApi, Receiver, wait_for

HELPER = Path(__file__).with_name("slow_process.py")


@pytest.fixture
def rds(redis_prefix: str) -> Iterator[Any]:
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


def _keys(rds: Any, prefix: str, job_id: str) -> set[str]:
    return {k.decode() for k in rds.scan_iter(match=f"{prefix}:job:{job_id}:*")}


def test_jobs_run_on_a_separate_worker_and_hand_over_once(
    store: Store, make_jobs_api: Any, start_worker: Any, redis_prefix: str, rds: Any, letter_png: bytes
) -> None:
    api: JobsApi = make_jobs_api(store=store, jobs_engine="dramatiq", redis_prefix=redis_prefix)
    job = api.job_id(letter_png, fields={"metadata": "scan-1"})
    pending = api.status(job).json()
    assert pending["status"] == "Pending" and pending["metadata"] == "scan-1"  # no worker yet: it waits in Redis
    assert _keys(rds, redis_prefix, job) == {f"{redis_prefix}:job:{job}:in"}
    assert 0 < rds.ttl(f"{redis_prefix}:job:{job}:in") <= 600 + 60

    worker = start_worker(store, redis_prefix)
    ready = api.wait(job, "ReadyToDownload")
    assert ready["result"]["entities"] >= 3
    assert _keys(rds, redis_prefix, job) == {f"{redis_prefix}:job:{job}:out"}  # the original is gone
    assert 0 < rds.ttl(f"{redis_prefix}:job:{job}:out") <= 3600 + 60
    row = api.store.jobs.get(job)
    assert row is not None and row.engine == "dramatiq" and row.runner == worker.runner_id

    download = api.result(job)
    assert download.status_code == 200 and download.content.startswith(b"\x89PNG")
    assert download.headers["X-Job-Metadata"] == "scan-1"
    assert api.result(job).status_code == 410
    assert _keys(rds, redis_prefix, job) == set()  # nothing left anywhere
    assert api.status(job).json()["status"] == "Completed"


def test_replicas_share_the_jobs(
    sqlite_store: Store, make_jobs_api: Any, start_worker: Any, redis_prefix: str, letter_png: bytes
) -> None:
    one: JobsApi = make_jobs_api(store=sqlite_store, jobs_engine="dramatiq", redis_prefix=redis_prefix)
    two: JobsApi = make_jobs_api(store=sqlite_store, jobs_engine="dramatiq", redis_prefix=redis_prefix)
    two.secrets = one.secrets
    start_worker(sqlite_store, redis_prefix)
    jobs = [one.job_id(letter_png, fields={"mode": "analyze"}) for _ in range(2)]
    jobs += [two.job_id(letter_png) for _ in range(2)]
    for job in jobs:
        assert two.wait(job)["status"] == "ReadyToDownload"
    assert [one.result(job).status_code for job in jobs[2:]] == [200, 200]  # submitted on two, read on one
    assert [two.result(job).status_code for job in jobs[:2]] == [200, 200]
    assert [one.result(job).status_code for job in jobs] == [410] * 4


def test_webhooks_are_delivered_and_retried_by_the_workers(
    sqlite_store: Store, make_jobs_api: Any, start_worker: Any, redis_prefix: str, receiver: Receiver, letter_png: bytes
) -> None:
    api: JobsApi = make_jobs_api(store=sqlite_store, jobs_engine="dramatiq", redis_prefix=redis_prefix)
    start_worker(sqlite_store, redis_prefix)
    response = api.client.put("/v1/webhook", json={"url": receiver.url}, headers={"X-API-Key": api.key()})
    receiver.secret = response.json()["secret"]
    receiver.answers = [502]
    job = api.job_id(letter_png, fields={"use_webhook": "true", "metadata": "w"})
    wait_for(lambda: api.status(job).json()["webhook"]["state"] == "delivered")
    status = api.status(job).json()
    assert status["status"] == "Completed"
    assert [a["statusCode"] for a in status["webhook"]["attempts"]] == [502, 200]
    delivered = receiver.received[-1]
    assert delivered["verified"] and delivered["event"]["metadata"] == "w" and delivered["file"].startswith(b"\x89PNG")
    assert api.result(job).status_code == 410


def test_unclaimed_and_stuck_jobs_time_out(
    sqlite_store: Store,
    make_jobs_api: Any,
    start_worker: Any,
    redis_prefix: str,
    rds: Any,
    letter_png: bytes,
    gate: Gate,
) -> None:
    api: JobsApi = make_jobs_api(store=sqlite_store, jobs_engine="dramatiq", redis_prefix=redis_prefix, job_timeout=0.6)
    queued = api.job_id(letter_png)  # no worker at all
    assert api.wait(queued, "TimedOut")["error"]["code"] == "job_timeout"
    assert _keys(rds, redis_prefix, queued) == set()

    start_worker(sqlite_store, redis_prefix, job_timeout=0.6)
    stuck = api.job_id(letter_png)
    gate.wait_entered()
    assert api.wait(stuck, "TimedOut")["error"]["code"] == "job_timeout"
    gate.release()
    wait_for(lambda: not _keys(rds, redis_prefix, stuck))  # the late result is dropped
    assert api.status(stuck).json()["status"] == "TimedOut"
    assert all(row.tokens == 0 for row in api.store.ledger.entries())


def _spawn(command: str, env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, str(HELPER), command, *args], stdout=out, stderr=subprocess.STDOUT, env=env
        )


def test_a_worker_killed_mid_job_fails_the_job_and_others_carry_on(
    store_url: str,
    store: Store,
    make_jobs_api: Any,
    start_worker: Any,
    redis_prefix: str,
    rds: Any,
    plans_path: Path,
    letter_png: bytes,
    tmp_path: Path,
) -> None:
    api: JobsApi = make_jobs_api(store=store, jobs_engine="dramatiq", redis_prefix=redis_prefix)
    env = {
        **os.environ,
        "REDACTOR_DATABASE_URL": store_url,
        "REDACTOR_PLANS_FILE": str(plans_path),
        "REDACTOR_JOBS_ENGINE": "dramatiq",
        "REDACTOR_REDIS_PREFIX": redis_prefix,
        "REDACTOR_JOB_HEARTBEAT": "0.1",
    }
    worker = _spawn("worker", env, tmp_path / "worker.log", "--threads", "1")
    try:
        doomed = api.job_id(letter_png)
        api.wait(doomed, "InProgress", timeout=60)  # the real worker took it and is scanning
        after = api.job_id(letter_png, fields={"mode": "analyze"})  # waits in Redis behind it
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    failed = api.wait(doomed, "Failed", timeout=10)
    assert failed["error"]["code"] == "worker_lost", (tmp_path / "worker.log").read_text()
    assert _keys(rds, redis_prefix, doomed) == set()
    assert api.result(doomed).status_code == 410

    start_worker(store, redis_prefix)  # a healthy worker picks up what was still queued
    assert api.wait(after, timeout=30)["status"] == "ReadyToDownload"
    assert api.result(after).status_code == 200
    assert [r.tokens > 0 for r in api.store.ledger.entries() if r.request_id in (doomed, after)] == [True]


def test_a_service_killed_mid_job_leaves_no_job_in_progress(
    tmp_path: Path, make_jobs_api: Any, plans_path: Path, letter_png: bytes
) -> None:
    import httpx
    from serving import free_port

    url = f"sqlite:///{tmp_path / 'killed.db'}"
    store = open_store(url)
    _, secret = store.keys.create(name="victim", plan="pro")
    port = free_port()
    env = {
        **os.environ,
        "REDACTOR_DATABASE_URL": url,
        "REDACTOR_PLANS_FILE": str(plans_path),
        "REDACTOR_JOB_HEARTBEAT": "0.1",
    }
    server = _spawn("serve", env, tmp_path / "serve.log", "--port", str(port), "--workers", "1")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ready(base), timeout=60)
        headers = {"X-API-Key": secret}
        submitted = httpx.post(f"{base}/v1/jobs", files={"image": ("a.png", letter_png)}, headers=headers)
        job = submitted.json()["jobId"]
        wait_for(lambda: httpx.get(f"{base}/v1/jobs/{job}", headers=headers).json()["status"] == "InProgress")
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
    assert store.jobs.get(job).status == "InProgress"  # type: ignore[union-attr]  # as the crash left it

    restarted: JobsApi = make_jobs_api(store=store)
    failed = restarted.wait(job, "Failed", key=secret, timeout=10)
    assert failed["error"]["code"] == "restarted"
    assert datetime.now(UTC) - datetime.fromisoformat(failed["finishedAt"]) < timedelta(seconds=10)
    restarted.stop()
    store.close()


def _ready(base: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
