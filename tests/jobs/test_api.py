"""The jobs API on the embedded engine: every state, one download, expiry, ownership, limits, charging, restarts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from pdfs import Page, Picture, born_digital, many_pages

from redactor.service.store import Job, JobStatus, LedgerEntry, Store

from .conftest import PII, Gate, JobsApi, wait_for

NOW = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == status and body["ok"] is False
    return body


def test_a_job_walks_every_state_and_its_result_is_handed_over_once(
    make_jobs_api: Any, store: Store, letter_png: bytes, gate: Gate
) -> None:
    api: JobsApi = make_jobs_api(store=store, workers=1)
    submitted = api.submit(letter_png, fields={"metadata": "case 7 / ünï"}, filename="John Smith.png")
    assert submitted.status_code == 202
    first = submitted.json()["jobId"]
    assert submitted.json() == {"jobId": first, "status": "Pending"}
    assert submitted.headers["Location"] == f"/v1/jobs/{first}"
    second = api.job_id(letter_png)

    gate.wait_entered()
    running = api.status(first).json()
    assert running["status"] == "InProgress" and running["startedAt"] is not None
    assert running["metadata"] == "case 7 / ünï"
    waiting = api.status(second).json()
    assert waiting["status"] == "Pending" and waiting["startedAt"] is None  # one worker: it waits its turn
    _problem(api.result(first), 409, "job_not_ready")

    gate.release()
    ready = api.wait(first)
    assert ready["status"] == "ReadyToDownload" and ready["error"] is None
    assert ready["result"]["entities"] >= 3 and ready["result"]["contentType"] == "image/png"
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= set(ready["result"]["entityTypes"])
    assert ready["expiresAt"] > ready["finishedAt"] >= ready["startedAt"] >= ready["createdAt"]

    key_id = api.key_id(api.key())
    assert api.store.ledger.used_tokens(key_id, ready["createdAt"][:7]) == 0  # charged on hand-over, not before
    download = api.result(first)
    assert download.status_code == 200
    assert download.headers["content-type"] == "image/png"
    assert download.headers["Content-Disposition"] == 'attachment; filename="John_Smith-redacted.png"'
    assert unquote(download.headers["X-Job-Metadata"]) == "case 7 / ünï"
    tokens = int(download.headers["X-Tokens-Charged"])
    assert tokens == ready["result"]["tokens"] > 0

    sync = api.client.post("/v1/redact-image", files={"image": ("a.png", letter_png)}, headers={"X-API-Key": api.key()})
    assert download.content == sync.content  # the same redaction as the synchronous endpoint
    assert int(sync.headers["X-Tokens-Charged"]) == tokens  # at the same price

    gone = _problem(api.result(first), 410, "result_gone")
    assert "once" in gone["detail"]
    completed = api.status(first).json()
    assert completed["status"] == "Completed" and completed["downloadedAt"] is not None
    assert completed["metadata"] is None  # nothing of the caller's is kept after the hand-over
    job_rows = [row for row in api.store.ledger.entries(key_id) if row.endpoint == "job-redact-image"]
    assert [(r.request_id, r.tokens, r.status) for r in job_rows] == [(first, tokens, 200)]
    assert api.wait(second)["status"] == "ReadyToDownload"


def test_analyze_mode_answers_the_analysis_json(jobs_api: JobsApi, letter_png: bytes) -> None:
    job = jobs_api.job_id(letter_png, fields={"mode": "analyze", "metadata": "ref-1", "entities": "PERSON"})
    jobs_api.wait(job, "ReadyToDownload")
    response = jobs_api.result(job)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="letter-analysis.json"'
    body = response.json()
    assert [e["entity_type"] for e in body["entities"]] == ["PERSON"]
    assert body["metadata"] == "ref-1" and body["tokens_charged"] == int(response.headers["X-Tokens-Charged"])
    assert jobs_api.store.ledger.entries()[-1].endpoint == "job-analyze-image"


def test_explicit_boxes_and_anonymized_text_work_as_in_redact_image(jobs_api: JobsApi, letter_png: bytes) -> None:
    boxes = jobs_api.job_id(letter_png, fields={"boxes": json.dumps([{"x": 0, "y": 0, "width": 50, "height": 20}])})
    text = jobs_api.job_id(letter_png, fields={"anonymize_text": "true"})
    assert jobs_api.wait(boxes)["result"]["regions"] == 1
    jobs_api.wait(text)
    assert jobs_api.result(boxes).headers["content-type"] == "image/png"
    body = jobs_api.result(text).json()
    assert "<PERSON>" in body["anonymized_text"] and body["content_type"] == "image/png"


@pytest.fixture(scope="module")
def scanned_pdf(letter_doc: Any) -> bytes:
    """The letter as a scanned two-page PDF (the second page blank)."""
    return born_digital(Page([Picture(letter_doc.image, 0, 200, 612, 175)]), Page())


def test_a_pdf_job_answers_the_same_pdf_as_redact_image(jobs_api: JobsApi, scanned_pdf: bytes) -> None:
    job = jobs_api.job_id(scanned_pdf, filename="John Smith.pdf")
    ready = jobs_api.wait(job)
    assert ready["result"]["contentType"] == "application/pdf" and ready["result"]["pages"] == 2
    download = jobs_api.result(job)
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="John_Smith-redacted.pdf"'
    sync = jobs_api.post_image("/v1/redact-image", scanned_pdf, filename="a.pdf")
    assert download.content == sync.content and download.content.startswith(b"%PDF-")
    assert download.headers["X-Tokens-Charged"] == sync.headers["X-Tokens-Charged"]


@pytest.mark.parametrize(
    ("plan", "data", "detail"),
    [("free", "scanned", "2 pages; the limit is 1"), ("pro", "bomb", "10000 pages; the limit is 20")],
)
def test_pdf_pages_are_counted_at_submission(
    jobs_api: JobsApi, scanned_pdf: bytes, plan: str, data: str, detail: str
) -> None:
    payload = scanned_pdf if data == "scanned" else many_pages(10_000)
    body = _problem(jobs_api.submit(payload, plan=plan, fields={"mode": "analyze"}), 413, "image_too_large")
    assert detail in body["detail"]
    assert jobs_api.store.jobs.get("x") is None and jobs_api.jobs.ctx.payloads.held() == 0


@pytest.mark.parametrize(
    ("data", "fields", "code"),
    [
        ("truncated", {}, "invalid_input"),  # a PNG header, then nothing: found only when decoded
    ],
)
def test_a_failed_job_keeps_its_error_code_and_costs_nothing(
    jobs_api: JobsApi, letter_png: bytes, data: str, fields: dict[str, str], code: str
) -> None:
    job = jobs_api.job_id(letter_png[:200] if data == "truncated" else letter_png, fields=fields)
    failed = jobs_api.wait(job)
    assert failed["status"] == "Failed"
    assert failed["error"]["code"] == code and failed["error"]["message"] and failed["result"] is None
    _problem(jobs_api.result(job), 410, "result_gone")
    assert jobs_api.store.ledger.used_tokens(jobs_api.key_id(jobs_api.key()), failed["createdAt"][:7]) == 0
    assert jobs_api.jobs.ctx.payloads.held() == 0  # nothing of it stays in memory


def test_a_job_past_its_time_limit_is_timed_out_and_free(make_jobs_api: Any, letter_png: bytes, gate: Gate) -> None:
    api: JobsApi = make_jobs_api(job_timeout=0.5)
    job = api.job_id(letter_png)
    gate.wait_entered()
    timed_out = api.wait(job, "TimedOut")
    assert timed_out["error"]["code"] == "job_timeout" and timed_out["finishedAt"] is not None
    gate.release()  # the worker finishes late: its result is dropped
    wait_for(lambda: api.jobs.ctx.payloads.held() == 0)
    assert api.status(job).json()["status"] == "TimedOut"
    _problem(api.result(job), 410, "result_gone")
    assert all(row.tokens == 0 for row in api.store.ledger.entries())


def test_an_unread_result_expires(make_jobs_api: Any, letter_png: bytes) -> None:
    api: JobsApi = make_jobs_api(now=NOW, job_result_ttl=60)
    job = api.job_id(letter_png)
    ready = api.wait(job, "ReadyToDownload")
    assert ready["expiresAt"].startswith("2026-05-04T12:01:00")

    api.clock.now = NOW + timedelta(seconds=61)
    expired = api.status(job).json()
    assert expired["status"] == "TimedOut" and expired["error"]["code"] == "result_expired"
    _problem(api.result(job), 410, "result_gone")
    assert api.jobs.ctx.payloads.held() == 0  # deleted, not only hidden
    assert api.store.ledger.used_tokens(api.key_id(api.key()), "2026-05") == 0


def test_a_key_sees_only_its_own_jobs(jobs_api: JobsApi, letter_png: bytes) -> None:
    job = jobs_api.job_id(letter_png)
    other = jobs_api.key("pro", name="someone else")
    for response in (jobs_api.status(job, key=other), jobs_api.result(job, key=other)):
        _problem(response, 404, "not_found")
    for unknown in ("job_" + "0" * 24, "nope", "job_%2F..%2Fx"):
        _problem(jobs_api.status(unknown), 404, "not_found")
    _problem(jobs_api.client.get(f"/v1/jobs/{job}"), 401, "unauthorized")
    jobs_api.wait(job)
    assert jobs_api.result(job).status_code == 200  # the owner still can


@pytest.mark.parametrize(
    ("plan", "fields", "data", "status", "code"),
    [
        ("small", {}, "big", 413, "file_too_large"),
        ("free", {}, "letter", 403, "forbidden"),
        ("pro", {}, "text", 415, "unsupported_format"),
        ("pro", {"score_threshold": "7"}, "letter", 422, "invalid_request"),
        ("pro", {"mode": "summarize"}, "letter", 422, "invalid_request"),
        ("pro", {"metadata": "x" * 257}, "letter", 422, "invalid_request"),
        ("pro", {"mode": "analyze", "boxes": "[]"}, "letter", 422, "invalid_request"),
        ("pro", {"boxes": "[]", "verify": "true"}, "letter", 422, "invalid_option"),
        ("pro", {"use_webhook": "true"}, "letter", 422, "invalid_option"),
        ("pro", {"entities": "SHOE_SIZE"}, "letter", 422, "invalid_option"),
        ("pro", {"language": "tlh"}, "letter", 422, "invalid_option"),
        ("pro", {"fill_color": "mauve"}, "letter", 422, "invalid_option"),
    ],
)
def test_submission_applies_the_plan_and_the_form_rules(
    jobs_api: JobsApi, letter_png: bytes, plan: str, fields: dict[str, str], data: str, status: int, code: str
) -> None:
    payload = {"big": letter_png + b"\0" * 60_000, "letter": letter_png, "text": b"hello"}[data]
    _problem(jobs_api.submit(payload, plan=plan, fields=fields), status, code)
    assert jobs_api.store.jobs.get("x") is None and jobs_api.jobs.ctx.payloads.held() == 0


def test_free_plan_may_submit_analysis_jobs(jobs_api: JobsApi, letter_png: bytes) -> None:
    assert jobs_api.submit(letter_png, plan="free", fields={"mode": "analyze"}).status_code == 202


def test_rate_limit_and_allowance_apply_at_submission(jobs_api: JobsApi, letter_png: bytes) -> None:
    codes = [jobs_api.submit(letter_png, plan="slow").status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]
    secret = jobs_api.key("tiny")
    jobs_api.store.ledger.record(
        LedgerEntry(
            at=datetime.now(UTC),
            request_id="seed",
            key_id=jobs_api.key_id(secret),
            endpoint="analyze-image",
            status=200,
            tokens=30,
        )
    )
    _problem(jobs_api.submit(letter_png, plan="tiny"), 429, "quota_exceeded")


def test_a_full_backlog_answers_503(make_jobs_api: Any, letter_png: bytes, gate: Gate) -> None:
    api: JobsApi = make_jobs_api(job_backlog=2, workers=1)
    api.job_id(letter_png)
    api.job_id(letter_png)
    body = _problem(api.submit(letter_png), 503, "overloaded")
    assert "2 jobs" in body["detail"]


def test_the_original_is_dropped_when_processed_and_nothing_personal_reaches_the_database(
    make_jobs_api: Any, letter_png: bytes, tmp_path: Path, gate: Gate
) -> None:
    api: JobsApi = make_jobs_api()
    job = api.job_id(letter_png, fields={"metadata": "Smith-dossier"}, filename="John-Smith-passport.png")
    gate.wait_entered()
    held = api.jobs.ctx.payloads._held[job]  # type: ignore[attr-defined]
    assert held.image is None  # taken by the worker: the only copy is the one being processed
    gate.release()
    api.wait(job)
    api.result(job)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("jobs-0.db*"))
    assert raw
    for needle in (*PII, "Smith", "passport", "dossier", "Dear"):
        assert needle.encode() not in raw


def test_a_clean_restart_fails_what_the_old_process_held(
    make_jobs_api: Any, store: Store, letter_png: bytes, gate: Gate
) -> None:
    first: JobsApi = make_jobs_api(store=store, workers=1)
    gate.release()
    ready = first.job_id(letter_png)
    first.wait(ready, "ReadyToDownload")
    gate.open.clear()
    running = first.job_id(letter_png)
    gate.wait_entered()
    waiting = first.job_id(letter_png)
    first.stop()  # payloads were in its memory

    second: JobsApi = make_jobs_api(store=store)
    second.secrets = first.secrets
    for job in (ready, running, waiting):
        ended = second.wait(job, "Failed", timeout=5)
        assert ended["error"]["code"] == "restarted"
        _problem(second.result(job), 410, "result_gone")
    gate.release()
    assert second.status(running).json()["status"] == "Failed"  # the late worker does not revive it


def test_after_a_crash_jobs_fail_once_the_dead_process_lease_runs_out(
    make_jobs_api: Any, store: Store, letter_png: bytes
) -> None:
    key, secret = store.keys.create(name="crashed", plan="pro")
    now = datetime.now(UTC)
    store.jobs.heartbeat("service-dead", engine="embedded", now=now)
    store.jobs.create(
        Job(
            id="job_" + "a" * 24,
            key_id=key.id,
            mode="redact",
            engine="embedded",
            status=JobStatus.pending,
            use_webhook=False,
            created_at=now,
            deadline_at=now + timedelta(minutes=10),
            runner="service-dead",
        )
    )
    api: JobsApi = make_jobs_api(store=store, job_heartbeat=0.2)  # lease: 3 heartbeats = 0.6 s
    assert api.status("job_" + "a" * 24, key=secret).json()["status"] == "Pending"
    failed = api.wait("job_" + "a" * 24, "Failed", key=secret, timeout=5)
    assert failed["error"]["code"] == "restarted"


def test_a_job_masks_faces_like_redact_image(jobs_api: JobsApi) -> None:
    photo = (Path(__file__).resolve().parents[1] / "fixtures" / "visual" / "grace_hopper.jpg").read_bytes()
    job = jobs_api.job_id(photo, fields={"faces": "true", "method": "blur"}, filename="p.jpg")
    assert jobs_api.wait(job)["status"] == "ReadyToDownload"
    output = jobs_api.result(job)
    assert output.status_code == 200 and output.headers["content-type"] == "image/jpeg"
    again = jobs_api.job_id(output.content, fields={"faces": "true", "mode": "analyze"}, filename="o.jpg")
    jobs_api.wait(again)
    assert jobs_api.result(again).json()["objects"] == []
