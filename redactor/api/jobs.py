"""Routes of asynchronous jobs and webhooks: submit (202), poll, download once; register a signed webhook.

Submission applies the plan exactly as the synchronous endpoints do (rate limit, allowance, file
size, plan features, the same form fields and validation); the work then runs on the jobs engine
(redactor.service.jobs). The result is handed over once, by download or by webhook, and is then deleted.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, FastAPI, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from starlette.concurrency import run_in_threadpool

from redactor.api.calls import call_of
from redactor.api.deps import CallerDep, ServicesDep, admit
from redactor.api.forms import download_name, options_for, parse_form, regions_of
from redactor.api.schemas import multipart_body, problems
from redactor.api.services import Services
from redactor.api.uploads import read_upload
from redactor.engine.formats import count_pages
from redactor.engine.pipeline import check_options, input_limits
from redactor.errors import (
    ForbiddenError,
    InvalidOptionError,
    NotReadyError,
    WebhookNotFoundError,
)
from redactor.service.jobs import JobEngine, JobSpec, build_engine
from redactor.service.jobs.delivery import register_webhook
from redactor.service.jobs.runner import find_job, hand_over
from redactor.service.options import AnalyzeOptions, RedactRequestOptions
from redactor.service.store import Job, JobStatus, WebhookAttempt

router = APIRouter(tags=["jobs"])

JOB_FIELDS = ("mode", "metadata", "use_webhook")


# ---- schemas ----


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class JobForm(BaseModel):
    """Fields of POST /v1/jobs besides those of redact-image / analyze-image."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["redact", "analyze"] = Field(
        default="redact", description="`redact` (fields of /v1/redact-image) or `analyze` (of /v1/analyze-image)."
    )
    metadata: str | None = Field(
        default=None,
        max_length=256,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="A short string of yours, returned with the result (never stored in the database).",
    )
    use_webhook: bool = Field(default=False, description="Deliver the result to the key's webhook when done.")


class JobFormDoc(RedactRequestOptions, JobForm):
    """The documented form of POST /v1/jobs: the job fields plus every redact-image field."""


class JobCreatedOut(_Camel):
    """Answer of POST /v1/jobs."""

    job_id: str
    status: str = Field(description="Always `Pending`.")


class JobErrorOut(_Camel):
    """Why a job failed or timed out."""

    code: str = Field(
        description="Stable code: an error code of the synchronous API, or `job_timeout`, "
        "`result_expired`, `restarted`, `worker_lost`, `input_lost`, `result_lost`."
    )
    message: str


class JobResultOut(_Camel):
    """What the result holds, in counts (never the entities' text)."""

    content_type: str
    pages: int
    characters: int
    entities: int
    entity_types: dict[str, int]
    regions: int
    tokens: int = Field(description="Tokens charged when the result is downloaded or delivered.")


class AttemptOut(_Camel):
    """One webhook delivery attempt."""

    attempt: int
    at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status, if it answered.")
    error: str | None = Field(description="`http_<status>`, `timeout`, `connection_error:...`, `url_refused`...")
    duration_ms: int


class WebhookStateOut(_Camel):
    """Where the job's webhook delivery stands."""

    state: str = Field(description="`pending`, `delivered`, `failed` (attempts used up) or `skipped`.")
    attempts: list[AttemptOut]


class JobOut(_Camel):
    """Answer of GET /v1/jobs/{job_id}."""

    job_id: str
    status: str = Field(description="Pending, InProgress, ReadyToDownload, Completed, TimedOut or Failed.")
    mode: str
    metadata: str | None = Field(description="Yours, while the job still holds its image or result.")
    error: JobErrorOut | None
    result: JobResultOut | None
    webhook: WebhookStateOut | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    downloaded_at: datetime | None = Field(description="When the result was downloaded or delivered.")
    expires_at: datetime | None = Field(description="When an unread result is deleted.")
    deadline_at: datetime = Field(description="When an unfinished job becomes TimedOut.")


class WebhookIn(BaseModel):
    """Body of PUT /v1/webhook."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000, description="http(s) URL that receives the deliveries.")


class WebhookOut(_Camel):
    """A key's webhook; ``secret`` only in the answer that created it."""

    url: str
    created_at: datetime
    secret: str | None = Field(
        default=None, description="Signing secret (`whsec_...`), shown once: verify deliveries with it."
    )


# ---- engine lifecycle ----


def jobs_of(request: Request) -> JobEngine:
    """The app's jobs engine, or 503 while the service starts."""
    engine: JobEngine | None = getattr(request.app.state, "jobs", None)
    if engine is None:
        raise NotReadyError()
    return engine


JobsDep = Annotated[JobEngine, Depends(jobs_of)]


async def start_jobs(app: FastAPI) -> None:
    """Build and start the engine the settings name (in the lifespan, once the pipeline is loaded)."""
    services: Services = app.state.services
    engine = build_engine(
        services.settings,
        store=services.store,
        plans=services.plans,
        clock=services.clock,
        engine=services.engine,
        run_in_pool=services.pool.run,
        consumers=services.pool.workers,
    )
    await engine.start()
    app.state.jobs = engine


async def stop_jobs(app: FastAPI) -> None:
    """Stop the engine (in the lifespan's exit)."""
    engine: JobEngine | None = getattr(app.state, "jobs", None)
    app.state.jobs = None
    if engine is not None:
        await engine.stop()


# ---- helpers ----


def _new_job_id() -> str:
    return "job_" + secrets.token_hex(12)


def _job_out(job: Job, metadata: str | None, attempts: list[WebhookAttempt]) -> JobOut:
    has_result = job.content_type is not None
    return JobOut(
        job_id=job.id,
        status=str(job.status),
        mode=job.mode,
        metadata=metadata,
        error=JobErrorOut(code=job.error_code, message=job.error_message or "") if job.error_code else None,
        result=JobResultOut(
            content_type=job.content_type or "",
            pages=job.pages,
            characters=job.characters,
            entities=job.entities,
            entity_types=dict(job.entity_types),
            regions=job.regions,
            tokens=job.tokens,
        )
        if has_result
        else None,
        webhook=WebhookStateOut(
            state=job.webhook_state or "pending",
            attempts=[
                AttemptOut(
                    attempt=a.attempt, at=a.at, status_code=a.status_code, error=a.error, duration_ms=a.duration_ms
                )
                for a in attempts
            ],
        )
        if job.use_webhook
        else None,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        downloaded_at=job.downloaded_at,
        expires_at=job.expires_at,
        deadline_at=job.deadline_at,
    )


# ---- routes ----


@router.post(
    "/v1/jobs",
    status_code=202,
    response_model=JobCreatedOut,
    response_model_by_alias=True,
    summary="Submit an image as an asynchronous job",
    description=(
        "The fields of /v1/redact-image (or of /v1/analyze-image with `mode=analyze`), plus `metadata` and "
        "`use_webhook`. Plan limits apply now, as for the synchronous calls; tokens are charged when the result "
        "is downloaded or delivered. Poll `GET /v1/jobs/{jobId}`, then download `GET /v1/jobs/{jobId}/result` once."
    ),
    responses={
        202: {"headers": {"Location": {"description": "The job's status URL.", "schema": {"type": "string"}}}},
        **problems(401, 403, 413, 415, 422, 429, 503),
    },
    openapi_extra=multipart_body(JobFormDoc, "The image or PDF, the job fields and the options of the chosen mode."),
)
async def submit_job(request: Request, services: ServicesDep, caller: CallerDep, jobs: JobsDep) -> Any:
    await admit(request, services, caller, redaction=False)
    upload = await read_upload(request, caller.plan)
    job_form: JobForm = parse_form(JobForm, {k: v for k, v in upload.fields.items() if k in JOB_FIELDS})
    rest = {k: v for k, v in upload.fields.items() if k not in JOB_FIELDS}
    redaction = job_form.mode == "redact"
    form = parse_form(RedactRequestOptions if redaction else AnalyzeOptions, rest)
    if redaction and not caller.plan.image_redaction:
        raise ForbiddenError(
            f"Plan '{caller.plan.title}' does not include image redaction; use mode=analyze or upgrade the plan."
        )
    options = options_for(form, services, caller.plan)
    if services.engine is not None:  # refuse an unknown entity, language or colour now, not in the job
        check_options(services.engine, options)
    regions = regions_of(form) if isinstance(form, RedactRequestOptions) else None  # as /v1/redact-image
    # Pages and bombs are refused now, with the synchronous call's errors, not when the job runs.
    fmt, _ = await run_in_threadpool(count_pages, upload.image, input_limits(services.settings, options))
    ctx = jobs.ctx
    if job_form.use_webhook and await run_in_threadpool(ctx.store.webhooks.get, caller.key.id) is None:
        raise InvalidOptionError("use_webhook needs a webhook: register one with PUT /v1/webhook first.")
    now = ctx.clock()
    job = Job(
        id=_new_job_id(),
        key_id=caller.key.id,
        mode=job_form.mode,
        engine=jobs.name,
        status=JobStatus.pending,
        use_webhook=job_form.use_webhook,
        created_at=now,
        deadline_at=now + timedelta(seconds=ctx.settings.job_timeout),
        runner=ctx.runner_id if jobs.name == "embedded" else None,
        webhook_state="pending" if job_form.use_webhook else None,
    )
    spec = JobSpec(
        mode=job_form.mode,
        options=options,
        filename=download_name(upload.filename, fmt),
        metadata=job_form.metadata,
        regions=regions,
    )
    await jobs.submit(job, spec, upload.image)
    call_of(request.state).headers["Location"] = f"/v1/jobs/{job.id}"
    return JobCreatedOut(job_id=job.id, status=str(job.status))


@router.get(
    "/v1/jobs/{job_id}",
    response_model=JobOut,
    response_model_by_alias=True,
    summary="A job's status",
    responses=problems(401, 403, 404),
)
async def job_status(job_id: str, caller: CallerDep, jobs: JobsDep) -> Any:
    ctx = jobs.ctx
    job = await run_in_threadpool(find_job, ctx, caller.key.id, job_id, notify=jobs.notify)
    metadata = await run_in_threadpool(ctx.payloads.metadata, job.id) if job.status in _HOLDING else None
    attempts = await run_in_threadpool(ctx.store.webhooks.attempts, job.id) if job.use_webhook else []
    return _job_out(job, metadata, attempts)


_HOLDING = (JobStatus.pending, JobStatus.in_progress, JobStatus.ready)


@router.get(
    "/v1/jobs/{job_id}/result",
    response_class=Response,
    summary="Download a job's result, once",
    description=(
        "The redacted image (or the JSON of analyze-image / of anonymize_text) exactly once: the result is deleted "
        "as it is handed over, and a second download answers 410. Charges the job's tokens."
    ),
    responses={
        200: {"description": "The result; `X-Job-Metadata` carries your metadata, percent-encoded."},
        409: {
            "description": "Still Pending or InProgress (`job_not_ready`).",
            "content": problems(409)[409]["content"],
        },
        410: {
            "description": "Downloaded, delivered, expired or failed (`result_gone`).",
            "content": problems(410)[410]["content"],
        },
        **problems(401, 403, 404),
    },
)
async def job_result(job_id: str, request: Request, caller: CallerDep, jobs: JobsDep) -> Response:
    ctx = jobs.ctx
    job = await run_in_threadpool(find_job, ctx, caller.key.id, job_id, notify=jobs.notify)
    done, output, total = await run_in_threadpool(hand_over, ctx, job)
    used = total if total is not None else 0
    call = call_of(request.state)
    call.tokens = done.tokens
    headers = {
        "Content-Disposition": f'attachment; filename="{output.filename}"',
        "Cache-Control": "no-store",
        "X-Tokens-Charged": str(done.tokens),
        "X-Redacted-Regions": str(done.regions),
        "X-Entities-Found": str(done.entities),
    }
    if total is not None:
        headers["X-Tokens-Remaining"] = str(max(0, caller.plan.monthly_tokens - used))
    if output.verification is not None:
        headers["X-Verification"] = output.verification
    if output.metadata is not None:
        headers["X-Job-Metadata"] = quote(output.metadata, safe="")
    return Response(output.body, media_type=output.summary.content_type, headers=headers)


# ---- webhook registration ----


@router.put(
    "/v1/webhook",
    response_model=WebhookOut,
    response_model_by_alias=True,
    summary="Register this key's webhook; the signing secret is shown once",
    description=(
        "http(s) only; URLs that reach private, loopback or link-local addresses are refused unless the operator "
        "allows their network. A new secret is made each time: verify deliveries with `redactor.verify_webhook`."
    ),
    responses=problems(401, 403, 422),
)
async def set_webhook(caller: CallerDep, jobs: JobsDep, body: Annotated[WebhookIn, Body()]) -> Any:
    ctx = jobs.ctx
    hook = await run_in_threadpool(
        lambda: register_webhook(ctx.store, caller.key.id, body.url, allow_networks=ctx.networks, now=ctx.clock())
    )
    return WebhookOut(url=hook.url, created_at=hook.created_at, secret=hook.secret)


@router.get(
    "/v1/webhook",
    response_model=WebhookOut,
    response_model_by_alias=True,
    response_model_exclude_none=True,
    summary="This key's webhook (never its secret)",
    responses=problems(401, 403, 404),
)
async def get_webhook(caller: CallerDep, jobs: JobsDep) -> Any:
    hook = await run_in_threadpool(jobs.ctx.store.webhooks.get, caller.key.id)
    if hook is None:
        raise WebhookNotFoundError()
    return WebhookOut(url=hook.url, created_at=hook.created_at)


@router.delete(
    "/v1/webhook",
    status_code=204,
    response_class=Response,
    summary="Remove this key's webhook",
    responses=problems(401, 403, 404),
)
async def delete_webhook(caller: CallerDep, jobs: JobsDep) -> Response:
    if not await run_in_threadpool(jobs.ctx.store.webhooks.delete, caller.key.id):
        raise WebhookNotFoundError()
    return Response(status_code=204)


__all__ = ["router", "start_jobs", "stop_jobs"]
