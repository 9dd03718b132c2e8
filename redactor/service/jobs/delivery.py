"""Jobs: webhook deliveries — the signed multipart body, one attempt, and the backoff between attempts.

A delivery POSTs ``multipart/form-data`` with a JSON part ``event`` (jobId, status, metadata, the
entities summary: counts per type, never their text) and, for a finished job, a file part ``result``.
Each attempt is signed afresh (new ``webhook-timestamp``) under the same ``webhook-id``. A 2xx answer
completes the job: it is charged and its result deleted, as for a download. Anything else (status,
timeout, refused connection) is retried with exponential backoff up to ``webhook_attempts`` times;
after the last one the result stays downloadable until it expires. Redirects are not followed.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import datetime
from typing import Any

import httpx

from redactor import __version__
from redactor.errors import InvalidOptionError
from redactor.service.jobs.process import JobOutput
from redactor.service.jobs.runner import JobContext, ledger_endpoint
from redactor.service.store import Job, JobStatus, Store, Webhook, WebhookAttempt
from redactor.service.webhooks import Network, check_webhook_url, new_secret, signature_headers

log = logging.getLogger("redactor.service.jobs")

EVENT_TYPES = {
    JobStatus.ready: "job.completed",
    JobStatus.failed: "job.failed",
    JobStatus.timed_out: "job.timed_out",
}
USER_AGENT = f"redactor-webhooks/{__version__}"


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def event_json(job: Job, output: JobOutput | None, metadata: str | None) -> dict[str, Any]:
    """The ``event`` part: what happened to the job, with counts only."""
    delivered_status = JobStatus.completed if job.status == JobStatus.ready else job.status
    event: dict[str, Any] = {
        "type": EVENT_TYPES.get(job.status, "job.updated"),
        "jobId": job.id,
        "status": str(delivered_status),
        "mode": job.mode,
        "metadata": metadata,
        "createdAt": _iso(job.created_at),
        "finishedAt": _iso(job.finished_at),
        "error": {"code": job.error_code, "message": job.error_message} if job.error_code else None,
        "entities": {"total": job.entities, "byType": dict(job.entity_types)},
        "regions": job.regions,
        "pages": job.pages,
        "tokensCharged": job.tokens if output is not None else 0,
        "result": None,
    }
    if output is not None:
        event["result"] = {
            "filename": output.filename,
            "contentType": output.summary.content_type,
            "size": len(output.body),
            "verification": output.verification,
        }
    return event


def multipart_body(event: dict[str, Any], output: JobOutput | None) -> tuple[bytes, str]:
    """The delivery body and its Content-Type (built here, so the signed bytes are the sent bytes)."""
    boundary = f"redactor-{secrets.token_hex(16)}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="event"\r\n'.encode(),
        b"Content-Type: application/json\r\n\r\n",
        json.dumps(event, ensure_ascii=False).encode("utf-8"),
        b"\r\n",
    ]
    if output is not None:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="result"; filename="{output.filename}"\r\n'
            f"Content-Type: {output.summary.content_type}\r\n\r\n"
        )
        parts += [head.encode("utf-8"), output.body, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def backoff(ctx: JobContext, attempt: int) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based): base, 2 x base, 4 x base..."""
    return float(ctx.settings.webhook_backoff * 2 ** (attempt - 1))


def deliver_webhook(ctx: JobContext, job_id: str, attempt: int, *, client: httpx.Client) -> float | None:
    """Make delivery attempt number ``attempt``; returns the delay before the next one, or None when done."""
    job = ctx.store.jobs.get(job_id)
    if job is None or not job.use_webhook:
        return None
    output: JobOutput | None = None
    if job.status == JobStatus.ready:
        output = ctx.payloads.get_result(job_id)
        if output is None:
            ctx.store.jobs.set_webhook_state(job_id, "failed")
            return None
    elif job.status not in (JobStatus.failed, JobStatus.timed_out) or job.error_code == "result_expired":
        ctx.store.jobs.set_webhook_state(job_id, "skipped")  # downloaded or expired meanwhile
        return None
    hook = ctx.store.webhooks.get(job.key_id)
    started = time.perf_counter()
    status_code: int | None = None
    error: str | None = None
    if hook is None:
        error = "no_webhook"
    else:
        try:
            url = check_webhook_url(hook.url, allow_networks=ctx.networks)
        except InvalidOptionError:
            error = "url_refused"
        else:
            metadata = output.metadata if output is not None else ctx.payloads.metadata(job_id)
            body, content_type = multipart_body(event_json(job, output, metadata), output)
            headers = {
                **signature_headers(hook.secret, f"msg_{job.id}", body),
                "content-type": content_type,
                "user-agent": USER_AGENT,
            }
            try:
                response = client.post(url, content=body, headers=headers)
                status_code = response.status_code
                if not 200 <= status_code < 300:
                    error = f"http_{status_code}"
            except httpx.TimeoutException:
                error = "timeout"
            except httpx.HTTPError as e:
                error = f"connection_error:{type(e).__name__}"
    took = round((time.perf_counter() - started) * 1000)
    ctx.store.webhooks.add_attempt(job_id, WebhookAttempt(attempt, ctx.clock(), status_code, error, took))
    log.info("job=%s webhook attempt=%d status=%s error=%s", job_id, attempt, status_code, error or "-")
    if error is None:
        if output is not None and ctx.store.jobs.complete(job_id, now=ctx.clock(), endpoint=ledger_endpoint(job)):
            ctx.payloads.drop(job_id)  # delivered: not kept for download
        elif output is None:
            ctx.payloads.drop(job_id)  # the failure was announced: its metadata goes too
        ctx.store.jobs.set_webhook_state(job_id, "delivered")
        return None
    final = error in ("no_webhook", "url_refused") or attempt >= ctx.settings.webhook_attempts
    if final:
        if output is None:
            ctx.payloads.drop(job_id)
        ctx.store.jobs.set_webhook_state(job_id, "failed")
        return None
    return backoff(ctx, attempt)


def http_client(ctx: JobContext) -> httpx.Client:
    """The client deliveries share: the configured timeout, no redirects, no proxies from the environment."""
    return httpx.Client(timeout=ctx.settings.webhook_timeout, follow_redirects=False, trust_env=False)


def register_webhook(
    store: Store, key_id: str, url: str, *, allow_networks: tuple[Network, ...], now: datetime
) -> Webhook:
    """Check the URL and store it with a fresh signing secret (the caller shows the secret once)."""
    checked = check_webhook_url(url, allow_networks=allow_networks)
    return store.webhooks.save(key_id, url=checked, secret=new_secret(), now=now)
