"""Routes: thin handlers, plan -> options -> engine on the worker pool -> meter -> answer."""

from __future__ import annotations

import base64
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from redactor.api.calls import call_of
from redactor.api.deps import Caller, CallerDep, EngineDep, ServicesDep, admit
from redactor.api.errors import problem_response
from redactor.api.forms import download_name, options_for, parse_form, regions_of
from redactor.api.schemas import (
    RATE_HEADERS,
    AnalysisOut,
    EntitiesOut,
    HealthOut,
    ReadyOut,
    UsageOut,
    multipart_body,
    problems,
)
from redactor.api.services import Services
from redactor.api.uploads import Upload, read_upload
from redactor.engine import ocr
from redactor.engine.formats import MIME_TYPES
from redactor.engine.pipeline import analyze, redact
from redactor.errors import NotReadyError
from redactor.service.metering import current_period
from redactor.service.options import AnalyzeOptions, RedactRequestOptions
from redactor.service.pricing import Charge, price
from redactor.service.store import LedgerEntry

router = APIRouter()

LIST_FIELDS = {"entities", "allow_list", "deny_list"}
COMMA_FIELDS = {"entities"}
MAX_BOXES = 10_000

_TOKEN_HEADERS = {
    "X-Tokens-Charged": {"description": "Tokens this call cost.", "schema": {"type": "integer"}},
    "X-Tokens-Remaining": {"description": "Tokens left in the period.", "schema": {"type": "integer"}},
    "X-Request-ID": {"description": "Id of this call in logs and the ledger.", "schema": {"type": "string"}},
}


async def _charge(request: Request, services: Services, caller: Caller, charge: Charge) -> None:
    """Write the ledger row and add the tokens in one transaction; set the token headers."""
    call = call_of(request.state)
    entry = LedgerEntry(
        at=call.at,
        request_id=call.request_id,
        key_id=caller.key.id,
        endpoint=call.endpoint,
        status=200,
        tokens=charge.tokens,
        characters=charge.characters,
        entities=charge.entities,
        pages=charge.pages,
        duration_ms=call.elapsed_ms(),
    )
    total = await run_in_threadpool(services.store.ledger.record, entry)
    call.recorded = True
    call.tokens = charge.tokens
    used = (
        total
        if total is not None
        else await run_in_threadpool(services.store.ledger.used_tokens, caller.key.id, entry.period)
    )
    call.headers["X-Tokens-Charged"] = str(charge.tokens)
    call.headers["X-Tokens-Remaining"] = str(max(0, caller.plan.monthly_tokens - used))


async def _read_request(request: Request, services: Services, caller: Caller, *, redaction: bool) -> Upload:
    await admit(request, services, caller, redaction=redaction)
    return await read_upload(request, caller.plan)


# ---- image endpoints ----


@router.post(
    "/v1/analyze-image",
    response_model=AnalysisOut,
    summary="Find PII in an image or PDF",
    description=(
        "Read the image or PDF (a born-digital page's own text where it is exact, OCR elsewhere) and list the "
        "entities found with their pixel boxes; a PDF's pages are rendered at `dpi`, and boxes are pixels of "
        "that rendering. Costs tokens per page (see /v1/usage)."
    ),
    tags=["images"],
    responses={
        200: {"headers": {**_TOKEN_HEADERS, **RATE_HEADERS}},
        **problems(401, 403, 413, 415, 422, 429, 500, 503),
    },
    openapi_extra=multipart_body(AnalyzeOptions, "The image or PDF and detection options."),
)
@router.post("/analyze-image", include_in_schema=False)
async def analyze_image(request: Request, services: ServicesDep, engine: EngineDep, caller: CallerDep) -> Any:
    upload = await _read_request(request, services, caller, redaction=False)
    form = parse_form(AnalyzeOptions, upload.fields)
    options = options_for(form, services, caller.plan)
    result = await services.pool.run(partial(analyze, upload.image, options, engine=engine))
    charge = price(services.plans, result)
    await _charge(request, services, caller, charge)
    return {**result.as_dict(), "tokens_charged": charge.tokens}


_IMAGE_CONTENT = {mime: {"schema": {"type": "string", "format": "binary"}} for mime in MIME_TYPES.values()}


@router.post(
    "/v1/redact-image",
    response_class=Response,
    summary="Paint out PII in an image or PDF",
    description=(
        "Answers the redacted file in the input's format (a PDF as a new PDF whose pages are images only: no "
        "text, annotations, forms, attachments, scripts or metadata survive). Without `boxes`, OCR and "
        "detection choose what to paint; "
        "with `boxes`, exactly those rectangles are painted and nothing is read. Not included in the Free plan."
    ),
    tags=["images"],
    responses={
        200: {
            "description": "The redacted image or PDF, same format as the input, metadata stripped.",
            "content": _IMAGE_CONTENT,
            "headers": {
                **_TOKEN_HEADERS,
                **RATE_HEADERS,
                "X-Redacted-Regions": {"description": "Rectangles painted.", "schema": {"type": "integer"}},
                "X-Entities-Found": {"description": "Entities found (0 with `boxes`).", "schema": {"type": "integer"}},
                "X-Verification": {
                    "description": "`passed` or `failed` when `verify` was set.",
                    "schema": {"type": "string"},
                },
                "X-Entities-Remaining": {
                    "description": "Entities still readable, when `verify` was set.",
                    "schema": {"type": "integer"},
                },
                "Content-Disposition": {
                    "description": "attachment; filename=<name>-redacted.<ext>",
                    "schema": {"type": "string"},
                },
            },
        },
        **problems(401, 403, 413, 415, 422, 429, 500, 503),
    },
    openapi_extra=multipart_body(
        RedactRequestOptions, "The image or PDF, detection options, fill colour, or explicit boxes."
    ),
)
@router.post("/redact-image", include_in_schema=False, response_class=Response)
async def redact_image(request: Request, services: ServicesDep, engine: EngineDep, caller: CallerDep) -> Response:
    upload = await _read_request(request, services, caller, redaction=True)
    form = parse_form(RedactRequestOptions, upload.fields)
    options = options_for(form, services, caller.plan)
    regions = regions_of(form)
    result = await services.pool.run(partial(redact, upload.image, options, engine=engine, regions=regions))
    charge = price(services.plans, result, explicit_boxes=regions is not None)
    await _charge(request, services, caller, charge)
    headers = {
        "Content-Disposition": f'attachment; filename="{download_name(upload.filename, result.format)}"',
        "X-Redacted-Regions": str(result.regions),
        "X-Entities-Found": str(result.analysis.found),
    }
    if result.verification is not None:
        headers["X-Verification"] = "passed" if result.verification.passed else "failed"
        headers["X-Entities-Remaining"] = str(len(result.verification.entities_remaining))
    if form.anonymize_text:
        body = {
            "image_base64": base64.b64encode(result.data).decode("ascii"),
            "content_type": result.mime_type,
            "filename": download_name(upload.filename, result.format),
            "anonymized_text": result.analysis.anonymized_text,
            "regions": result.regions,
            "tokens_charged": charge.tokens,
        }
        del headers["Content-Disposition"]
        return JSONResponse(body, headers=headers)
    return Response(result.data, media_type=result.mime_type, headers=headers)


# ---- information endpoints ----


@router.get(
    "/v1/entities",
    response_model=EntitiesOut,
    summary="Entity types and languages supported",
    tags=["info"],
    responses=problems(503),
)
async def entities(engine: EngineDep) -> Any:
    available = set(engine.tesseract.languages)
    languages = [
        {"code": iso, "tesseract": code}
        for iso, code in sorted(ocr.ISO_TO_TESSERACT.items())
        if code in available and "-" not in iso
    ]
    return {
        "entities": list(engine.analyzer.entity_types),
        "default_entities": list(engine.analyzer.default_entities),
        "languages": languages,
        "detection_language": "en",
    }


@router.get(
    "/v1/usage",
    response_model=UsageOut,
    summary="Your plan, allowance and usage this period",
    tags=["account"],
    responses=problems(401, 403),
)
async def usage(services: ServicesDep, caller: CallerDep) -> Any:
    period = current_period(services.clock())
    used = await run_in_threadpool(services.store.ledger.used_tokens, caller.key.id, period.label)
    days = await run_in_threadpool(services.store.ledger.usage_by_day, caller.key.id, period.label)
    plan = caller.plan
    return {
        "account": caller.key.name,
        "key_id": caller.key.id,
        "plan": plan.model_dump(),
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "allowance": plan.monthly_tokens,
        "used": used,
        "remaining": max(0, plan.monthly_tokens - used),
        "by_day": [
            {"date": d.day, "endpoint": d.endpoint, "requests": d.requests, "failed": d.failed, "tokens": d.tokens}
            for d in days
        ],
    }


@router.get("/healthz", response_model=HealthOut, summary="Liveness", tags=["ops"])
async def healthz() -> Any:
    return {"ok": True, "status": "alive"}


@router.get(
    "/readyz",
    response_model=ReadyOut,
    summary="Readiness: Tesseract and model loaded, database reachable",
    tags=["ops"],
    responses=problems(503),
)
async def readyz(request: Request, services: ServicesDep) -> Any:
    checks: dict[str, str] = {}
    failed: list[str] = []
    engine = services.engine
    if engine is None:
        failed.append("engine not loaded")
    else:
        checks["tesseract"] = f"{engine.tesseract.version}, {len(engine.tesseract.languages)} languages"
        checks["model"] = f"{engine.settings.spacy_model}, {len(engine.analyzer.entity_types)} entity types"
    try:
        await run_in_threadpool(services.store.ping)
        checks["database"] = services.store.dialect
    except Exception:
        failed.append("database unreachable")
    checks["workers"] = f"{services.pool.admitted}/{services.pool.capacity} slots in use"
    if failed:
        call = call_of(request.state)
        call.code = NotReadyError.code
        return problem_response(
            NotReadyError.code,
            f"Not ready: {', '.join(failed)}.",
            request_id=call.request_id,
            headers={"Retry-After": "5"},
        )
    return {"ok": True, "status": "ready", "checks": checks}


__all__ = ["router"]
