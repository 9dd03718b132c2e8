"""Webhooks end to end: registration, signed multipart deliveries checked by a real receiver on 127.0.0.1,
retries with backoff, refused URLs, and the ``keys set-webhook`` command."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from redactor import cli
from redactor.errors import WebhookVerificationError
from redactor.service.webhooks import signature_headers, verify_webhook

from .conftest import PII, JobsApi, Receiver, wait_for


def _register(api: JobsApi, receiver: Receiver) -> str:
    response = api.client.put("/v1/webhook", json={"url": receiver.url}, headers={"X-API-Key": api.key()})
    assert response.status_code == 200, response.text
    body = response.json()
    receiver.secret = body["secret"]
    return str(body["secret"])


def test_registration_shows_the_secret_once(jobs_api: JobsApi, receiver: Receiver) -> None:
    headers = {"X-API-Key": jobs_api.key()}
    assert jobs_api.client.get("/v1/webhook", headers=headers).status_code == 404
    secret = _register(jobs_api, receiver)
    assert secret.startswith("whsec_")
    shown = jobs_api.client.get("/v1/webhook", headers=headers).json()
    assert shown["url"] == receiver.url and "secret" not in shown and shown["createdAt"]
    assert _register(jobs_api, receiver) != secret  # registering again rotates the secret
    assert jobs_api.client.delete("/v1/webhook", headers=headers).status_code == 204
    assert jobs_api.client.delete("/v1/webhook", headers=headers).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",  # loopback, not allowed by this operator
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "ftp://127.0.0.1/hook",
        "https://user:pw@127.0.0.1/hook",
    ],
)
def test_private_and_non_http_urls_are_refused(make_jobs_api: Any, url: str) -> None:
    api: JobsApi = make_jobs_api(webhook_allow_networks=[])
    response = api.client.put("/v1/webhook", json={"url": url}, headers={"X-API-Key": api.key()})
    assert response.status_code == 422 and response.json()["code"] == "invalid_option"
    assert api.store.webhooks.get(api.key_id(api.key())) is None


def test_a_finished_job_is_delivered_signed_and_then_not_kept(
    jobs_api: JobsApi, receiver: Receiver, letter_png: bytes
) -> None:
    secret = _register(jobs_api, receiver)
    job = jobs_api.job_id(letter_png, fields={"use_webhook": "true", "metadata": "ticket-9"}, filename="John Smith.png")
    wait_for(lambda: jobs_api.status(job).json()["webhook"]["state"] == "delivered")
    (delivery,) = receiver.received
    assert delivery["verified"] and delivery["id"] == f"msg_{job}"
    event = delivery["event"]
    assert event["type"] == "job.completed" and event["jobId"] == job and event["status"] == "Completed"
    assert event["metadata"] == "ticket-9" and event["mode"] == "redact" and event["error"] is None
    assert event["entities"]["total"] >= 3
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= set(event["entities"]["byType"])
    assert not any(value in json.dumps(event) for value in PII)  # counts only, never the values
    assert delivery["file"].startswith(b"\x89PNG") and delivery["filename"] == "John_Smith-redacted.png"
    assert delivery["content_type"] == "image/png" and event["result"]["size"] == len(delivery["file"])
    assert delivery["headers"]["content-type"].startswith("multipart/form-data; boundary=")

    status = jobs_api.status(job).json()
    assert status["status"] == "Completed" and status["downloadedAt"] is not None
    assert [(a["attempt"], a["statusCode"], a["error"]) for a in status["webhook"]["attempts"]] == [(1, 200, None)]
    gone = jobs_api.result(job)
    assert gone.status_code == 410 and gone.json()["code"] == "result_gone"
    charged = [r for r in jobs_api.store.ledger.entries() if r.endpoint == "job-redact-image"]
    assert len(charged) == 1 and charged[0].tokens == event["tokensCharged"] > 0

    # The receiver refuses the same delivery replayed later, or altered.
    body, headers = delivery["body"], delivery["headers"]
    with pytest.raises(WebhookVerificationError):
        verify_webhook(body, headers, secret, now=time.time() + 301)
    stale = signature_headers(secret, headers["webhook-id"], body, timestamp=int(time.time()) - 301)
    replay = httpx.post(receiver.url, content=body, headers={**stale, "content-type": headers["content-type"]})
    assert replay.status_code == 401
    signed = {k: v for k, v in headers.items() if k.startswith("webhook-") or k == "content-type"}
    forged = httpx.post(receiver.url, content=body.replace(b"ticket-9", b"ticket-8"), headers=signed)
    assert forged.status_code == 401


def test_failed_deliveries_are_retried_with_backoff(jobs_api: JobsApi, receiver: Receiver, letter_png: bytes) -> None:
    _register(jobs_api, receiver)
    receiver.answers = [500, 503]
    job = jobs_api.job_id(letter_png, fields={"use_webhook": "true", "mode": "analyze"})
    wait_for(lambda: jobs_api.status(job).json()["webhook"]["state"] == "delivered")
    attempts = jobs_api.status(job).json()["webhook"]["attempts"]
    assert [(a["attempt"], a["statusCode"], a["error"]) for a in attempts] == [
        (1, 500, "http_500"),
        (2, 503, "http_503"),
        (3, 200, None),
    ]
    at = [datetime.fromisoformat(a["at"]) for a in attempts]
    assert (at[2] - at[1]) > (at[1] - at[0]) * 1.2  # 0.05 s then 0.1 s: the wait doubles
    ids = {d["id"] for d in receiver.received}
    assert ids == {f"msg_{job}"}  # one message id across retries, so receivers can drop duplicates
    assert json.loads(receiver.received[-1]["file"])["entities"]  # the analysis JSON as the file


def test_after_the_last_attempt_the_result_stays_downloadable(
    jobs_api: JobsApi, receiver: Receiver, letter_png: bytes
) -> None:
    _register(jobs_api, receiver)
    receiver.answers = [500, 500, 500]
    job = jobs_api.job_id(letter_png, fields={"use_webhook": "true"})
    wait_for(lambda: jobs_api.status(job).json()["webhook"]["state"] == "failed")
    status = jobs_api.status(job).json()
    assert status["status"] == "ReadyToDownload" and len(status["webhook"]["attempts"]) == 3
    assert jobs_api.result(job).status_code == 200


def test_failures_are_announced_without_a_file(jobs_api: JobsApi, receiver: Receiver, letter_png: bytes) -> None:
    _register(jobs_api, receiver)
    job = jobs_api.job_id(letter_png[:100], fields={"use_webhook": "true", "metadata": "m"})
    wait_for(lambda: receiver.received)
    (delivery,) = receiver.received
    event = delivery["event"]
    assert (event["type"], event["status"], event["error"]["code"]) == ("job.failed", "Failed", "invalid_input")
    assert event["jobId"] == job and event["metadata"] == "m" and delivery["file"] is None
    assert event["tokensCharged"] == 0


def test_timeouts_are_announced_with_the_metadata_then_forgotten(
    make_jobs_api: Any, receiver: Receiver, letter_png: bytes, gate: Any
) -> None:
    api: JobsApi = make_jobs_api(job_timeout=0.5)
    _register(api, receiver)
    job = api.job_id(letter_png, fields={"use_webhook": "true", "metadata": "late"})
    gate.wait_entered()
    wait_for(lambda: receiver.received)
    event = receiver.received[0]["event"]
    assert (event["type"], event["status"], event["error"]["code"]) == ("job.timed_out", "TimedOut", "job_timeout")
    assert event["metadata"] == "late" and event["jobId"] == job
    gate.release()
    wait_for(lambda: api.jobs.ctx.payloads.held() == 0)
    assert api.status(job).json()["webhook"]["state"] == "delivered"


def test_no_personal_data_reaches_the_logs(
    jobs_api: JobsApi, receiver: Receiver, letter_png: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _register(jobs_api, receiver)
    job = jobs_api.job_id(letter_png, fields={"use_webhook": "true", "metadata": "Smith file"}, filename="Smith.png")
    wait_for(lambda: jobs_api.status(job).json()["webhook"]["state"] == "delivered")
    failed = jobs_api.job_id(letter_png[:100], fields={"metadata": "Smith again"}, filename="Smith.png")
    jobs_api.wait(failed)
    text = caplog.text
    assert job in text and "webhook attempt=1" in text
    for needle in (*PII, "Smith", "whsec_"):
        assert needle not in text


def test_a_url_that_became_private_is_refused_at_delivery(
    make_jobs_api: Any, receiver: Receiver, letter_png: bytes
) -> None:
    api: JobsApi = make_jobs_api(webhook_allow_networks=[])
    api.store.webhooks.save(api.key_id(api.key()), url=receiver.url, secret="whsec_AAAA", now=datetime.now(UTC))
    job = api.job_id(letter_png, fields={"use_webhook": "true"})
    wait_for(lambda: api.status(job).json()["webhook"]["state"] == "failed")
    (attempt,) = api.status(job).json()["webhook"]["attempts"]
    assert attempt["error"] == "url_refused" and attempt["statusCode"] is None
    assert receiver.received == []
    assert api.result(job).status_code == 200


def test_unreachable_receivers_are_retried_then_given_up(make_jobs_api: Any, letter_png: bytes) -> None:
    api: JobsApi = make_jobs_api()
    api.store.webhooks.save(
        api.key_id(api.key()), url="http://127.0.0.1:9/closed", secret="whsec_AAAA", now=datetime.now(UTC)
    )
    job = api.job_id(letter_png, fields={"use_webhook": "true", "mode": "analyze"})
    wait_for(lambda: api.status(job).json()["webhook"]["state"] == "failed")
    errors = [a["error"] for a in api.status(job).json()["webhook"]["attempts"]]
    assert len(errors) == 3 and all(e.startswith("connection_error") for e in errors)


def test_cli_set_webhook(
    tmp_path: Path, plans_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from redactor.service.config import get_settings
    from redactor.service.store import open_store

    db = f"sqlite:///{tmp_path / 'keys.db'}"
    monkeypatch.setenv("REDACTOR_DATABASE_URL", db)
    monkeypatch.setenv("REDACTOR_PLANS_FILE", str(plans_path))
    monkeypatch.setenv("REDACTOR_WEBHOOK_ALLOW_NETWORKS", '["127.0.0.0/8"]')
    get_settings.cache_clear()
    try:
        assert cli.main(["keys", "create", "--plan", "pro", "--name", "ACME"]) == 0
        capsys.readouterr()
        assert cli.main(["keys", "list"]) == 0
        key_id = capsys.readouterr().out.split()[0]

        assert cli.main(["keys", "set-webhook", key_id, "http://127.0.0.1:8123/hook"]) == 0
        out, err = capsys.readouterr()
        assert out.strip().startswith("whsec_") and "shown once" in err
        store = open_store(db)
        try:
            hook = store.webhooks.get(key_id)
            assert hook is not None and hook.secret == out.strip()
        finally:
            store.close()

        assert cli.main(["keys", "set-webhook", key_id, "http://10.0.0.1/hook"]) == 1
        assert "private, loopback or link-local" in capsys.readouterr().err
        assert cli.main(["keys", "set-webhook", "key_nope", "http://127.0.0.1/hook"]) == 1
        assert cli.main(["keys", "set-webhook", key_id, "--remove"]) == 0
        assert "removed" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
