"""The store's job state machine, on SQLite and PostgreSQL: each transition wins once, charges once, never sticks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from redactor.service.store import Job, JobStatus, JobSummary, LedgerEntry, Store, WebhookAttempt

NOW = datetime(2026, 5, 4, 12, 0, 0, 123456, tzinfo=UTC)
SUMMARY = JobSummary("image/png", 1, 120, 3, 3, {"EMAIL_ADDRESS": 1, "PERSON": 2}, 11)


def _job(store: Store, job_id: str = "job_1", *, engine: str = "embedded", runner: str | None = "svc-a") -> Job:
    key, _ = store.keys.create(name=f"acct-{job_id}", plan="pro")
    job = Job(
        id=job_id,
        key_id=key.id,
        mode="redact",
        engine=engine,
        status=JobStatus.pending,
        use_webhook=False,
        created_at=NOW,
        deadline_at=NOW + timedelta(seconds=60),
        runner=runner,
    )
    store.jobs.create(job)
    return job


def test_a_job_goes_pending_in_progress_ready_completed_and_is_charged_once(store: Store) -> None:
    job = _job(store)
    assert store.jobs.get(job.id) == job

    claimed = store.jobs.claim(job.id, runner="worker-1", now=NOW + timedelta(seconds=1))
    assert claimed is not None and claimed.status == JobStatus.in_progress and claimed.runner == "worker-1"
    assert store.jobs.claim(job.id, runner="worker-2", now=NOW) is None  # a redelivered message finds it taken

    ready = store.jobs.finish(job.id, SUMMARY, now=NOW + timedelta(seconds=2), expires_at=NOW + timedelta(hours=1))
    assert ready is not None and ready.status == JobStatus.ready
    assert (ready.pages, ready.characters, ready.entities, ready.regions, ready.tokens) == (1, 120, 3, 3, 11)
    assert dict(ready.entity_types) == {"EMAIL_ADDRESS": 1, "PERSON": 2}
    assert ready.started_at == NOW + timedelta(seconds=1) and ready.finished_at == NOW + timedelta(seconds=2)
    assert store.ledger.used_tokens(job.key_id, "2026-05") == 0  # nothing charged before the hand-over

    done = store.jobs.complete(job.id, now=NOW + timedelta(seconds=3), endpoint="job-redact-image")
    assert done is not None
    completed, total = done
    assert completed.status == JobStatus.completed and total == 11
    assert store.jobs.complete(job.id, now=NOW, endpoint="job-redact-image") is None
    (row,) = store.ledger.entries(job.key_id)
    assert (row.endpoint, row.request_id, row.tokens, row.status, row.duration_ms) == (
        "job-redact-image",
        job.id,
        11,
        200,
        1000,
    )


def test_concurrent_hand_overs_charge_exactly_once(store: Store) -> None:
    job = _job(store)
    store.jobs.claim(job.id, runner="w", now=NOW)
    store.jobs.finish(job.id, SUMMARY, now=NOW, expires_at=NOW + timedelta(hours=1))
    wins: list[object] = []
    barrier = threading.Barrier(6)

    def take() -> None:
        barrier.wait()
        if store.jobs.complete(job.id, now=NOW, endpoint="job-redact-image") is not None:
            wins.append(1)

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
    assert store.ledger.used_tokens(job.key_id, "2026-05") == 11


def test_a_hand_over_whose_charge_fails_is_rolled_back_whole(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    job = _job(store)
    store.jobs.claim(job.id, runner="w", now=NOW)
    store.jobs.finish(job.id, SUMMARY, now=NOW, expires_at=NOW + timedelta(hours=1))
    write = store.ledger.write

    def write_then_fail(cur: Any, entry: LedgerEntry) -> int | None:
        write(cur, entry)  # the ledger row and the token total are written, then the transaction fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(store.ledger, "write", write_then_fail)
    with pytest.raises(RuntimeError):
        store.jobs.complete(job.id, now=NOW, endpoint="job-redact-image")
    monkeypatch.undo()

    assert store.jobs.get(job.id).status == JobStatus.ready  # type: ignore[union-attr]  # still to hand over
    assert store.ledger.entries(job.key_id) == [] and store.ledger.used_tokens(job.key_id, "2026-05") == 0
    assert store.jobs.complete(job.id, now=NOW, endpoint="job-redact-image") is not None
    assert store.ledger.used_tokens(job.key_id, "2026-05") == 11


def test_clocks_time_out_unfinished_jobs_and_expire_unread_results(store: Store) -> None:
    pending, running, ready = _job(store, "job_p"), _job(store, "job_r"), _job(store, "job_d")
    store.jobs.claim(running.id, runner="w", now=NOW)
    store.jobs.claim(ready.id, runner="w", now=NOW)
    store.jobs.finish(ready.id, SUMMARY, now=NOW, expires_at=NOW + timedelta(seconds=120))

    assert store.jobs.settle(NOW + timedelta(seconds=59)) == []
    ended = {j.id: j for j in store.jobs.settle(NOW + timedelta(seconds=60))}
    assert set(ended) == {pending.id, running.id}
    assert all(j.status == JobStatus.timed_out and j.error_code == "job_timeout" for j in ended.values())
    assert store.jobs.claim(pending.id, runner="w", now=NOW) is None  # a late worker cannot revive it
    assert store.jobs.finish(running.id, SUMMARY, now=NOW, expires_at=NOW) is None  # nor store its result

    (expired,) = store.jobs.settle(NOW + timedelta(seconds=121), job_id=ready.id)
    assert (expired.status, expired.error_code) == (JobStatus.timed_out, "result_expired")
    assert store.jobs.complete(ready.id, now=NOW, endpoint="x") is None
    assert store.ledger.used_tokens(ready.key_id, "2026-05") == 0


def test_a_claim_past_the_deadline_is_refused(store: Store) -> None:
    job = _job(store)
    assert store.jobs.claim(job.id, runner="w", now=NOW + timedelta(seconds=61)) is None
    assert store.jobs.get(job.id).status == JobStatus.pending  # type: ignore[union-attr]


def test_jobs_of_silent_or_departed_runners_fail_with_the_engine_reason(store: Store) -> None:
    lease = timedelta(seconds=1)
    store.jobs.heartbeat("svc-a", engine="embedded", now=NOW)
    store.jobs.heartbeat("svc-b", engine="embedded", now=NOW)
    mine, theirs = _job(store, "job_a", runner="svc-a"), _job(store, "job_b", runner="svc-b")
    queued = _job(store, "job_q", engine="dramatiq", runner=None)
    running = _job(store, "job_w", engine="dramatiq", runner=None)
    store.jobs.heartbeat("worker-1", engine="dramatiq", now=NOW)
    store.jobs.claim(running.id, runner="worker-1", now=NOW)

    def reap(engine: str, statuses: tuple[JobStatus, ...], code: str, at: datetime, spare: str) -> set[str]:
        return {
            j.id
            for j in store.jobs.reap(
                engine=engine, statuses=statuses, code=code, message="m", now=at, lease=lease, spare=spare
            )
        }

    later = NOW + timedelta(seconds=2)
    store.jobs.heartbeat("svc-a", engine="embedded", now=later)
    held = (JobStatus.pending, JobStatus.in_progress, JobStatus.ready)
    assert reap("embedded", held, "restarted", later, "svc-a") == {theirs.id}
    assert store.jobs.get(theirs.id).error_code == "restarted"  # type: ignore[union-attr]
    assert store.jobs.get(mine.id).status == JobStatus.pending  # type: ignore[union-attr]

    store.jobs.remove_runner("svc-a")  # a clean stop: no lease to wait for
    assert reap("embedded", held, "restarted", later, "svc-c") == {mine.id}

    assert reap("dramatiq", (JobStatus.in_progress,), "worker_lost", later, "svc-c") == {running.id}
    assert store.jobs.get(running.id).status == JobStatus.failed  # type: ignore[union-attr]
    assert store.jobs.get(queued.id).status == JobStatus.pending  # type: ignore[union-attr]  # still in Redis


def test_failures_keep_their_code_and_a_safe_message(store: Store) -> None:
    job = _job(store)
    store.jobs.claim(job.id, runner="w", now=NOW)
    failed = store.jobs.fail(job.id, code="ocr_failed", message="OCR failed on a page.", now=NOW)
    assert failed is not None and (failed.status, failed.error_code) == (JobStatus.failed, "ocr_failed")
    assert store.jobs.fail(job.id, code="internal_error", message="x", now=NOW) is None  # ended stays ended


def test_webhooks_and_delivery_attempts(store: Store) -> None:
    job = _job(store)
    assert store.webhooks.get(job.key_id) is None
    store.webhooks.save(job.key_id, url="https://a.example/h", secret="whsec_AAAA", now=NOW)
    store.webhooks.save(job.key_id, url="https://b.example/h", secret="whsec_BBBB", now=NOW)
    hook = store.webhooks.get(job.key_id)
    assert hook is not None and (hook.url, hook.secret) == ("https://b.example/h", "whsec_BBBB")
    store.webhooks.add_attempt(job.id, WebhookAttempt(1, NOW, 500, "http_500", 12))
    store.webhooks.add_attempt(job.id, WebhookAttempt(2, NOW, None, "timeout", 2000))
    assert [(a.attempt, a.status_code, a.error) for a in store.webhooks.attempts(job.id)] == [
        (1, 500, "http_500"),
        (2, None, "timeout"),
    ]
    store.jobs.set_webhook_state(job.id, "failed")
    assert store.jobs.get(job.id).webhook_state == "failed"  # type: ignore[union-attr]
    assert store.webhooks.delete(job.key_id) and not store.webhooks.delete(job.key_id)
