"""Routes: thin handlers, plan -> options -> engine on the worker pool -> meter -> answer."""

from __future__ import annotations

import base64
import json
import re
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from redactor import ocr
from redactor.api.calls import call_of
from redactor.api.deps import Caller, CallerDep, EngineDep, Services, ServicesDep, admit
from redactor.api.errors import NotReadyError, clean_errors, problem_response
from redactor.api.schemas import (
    AnalysisOut,
    AnalyzeForm,
    BoxIn,
    EntitiesOut,
    HealthOut,
    Problem,
    ReadyOut,
    RedactForm,
    UsageOut,
    multipart_body,
)
from redactor.api.uploads import Upload, read_upload
from redactor.cli import analysis_json
from redactor.errors import InvalidOptionError
from redactor.formats import EXTENSIONS, MIME_TYPES
from redactor.manual import Region, paint_regions
from redactor.masking import style_of
from redactor.metering import current_period
from redactor.models import Box, RedactionResult, RedactOptions
from redactor.pipeline import analyze, redact
from redactor.store import LedgerEntry

router = APIRouter()

LIST_FIELDS = {"entities", "allow_list", "deny_list"}
COMMA_FIELDS = {"entities"}
MAX_BOXES = 10_000

_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_WHY = {
    401: "Missing, unknown or revoked API key (`unauthorized`).",
    403: "The plan does not include this operation, or is no longer offered (`forbidden`).",
    413: "File over the plan's byte limit (`file_too_large`), or too many pixels or pages (`image_too_large`).",
    415: "Not an image format we read (`unsupported_format`), or not multipart/form-data (`unsupported_media_type`).",
    422: "Invalid field (`invalid_request`), option (`invalid_option`) or corrupt file (`invalid_input`).",
    429: "Rate limit (`rate_limited`) or token allowance (`quota_exceeded`) reached; see Retry-After.",
    500: "OCR failed on a page (`ocr_failed`); nothing is returned and nothing charged.",
    503: "Queue full (`overloaded`), OCR timeout (`ocr_timeout`) or service not ready; see Retry-After.",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}}
_RATE_HEADERS = {
    "X-RateLimit-Limit": {"description": "Requests per minute of the plan.", "schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"description": "Requests left in this minute.", "schema": {"type": "integer"}},
    "X-RateLimit-Reset": {"description": "Seconds until the minute ends.", "schema": {"type": "integer"}},
}
_TOKEN_HEADERS = {
    "X-Tokens-Charged": {"description": "Tokens this call cost.", "schema": {"type": "integer"}},
    "X-Tokens-Remaining": {"description": "Tokens left in the period.", "schema": {"type": "integer"}},
    "X-Request-ID": {"description": "Id of this call in logs and the ledger.", "schema": {"type": "string"}},
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, all with the problem+json body."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": _WHY.get(status, "Error."), "content": _PROBLEM}
        if status in (429, 503):
            entry["headers"] = {**_RETRY_AFTER, **(_RATE_HEADERS if status == 429 else {})}
        out[status] = entry
    return out


# ---- form parsing ----


def parse_form(model: type[BaseModel], fields: dict[str, list[str]]) -> Any:
    """Validate the text fields with ``model``: list fields take every value (``entities`` also comma lists)."""
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for name, values in fields.items():
        if name in LIST_FIELDS:
            if name in COMMA_FIELDS:
                values = [part.strip() for value in values for part in value.split(",") if part.strip()]
            data[name] = values
        elif len(values) > 1:
            errors.append({"loc": ["body", name], "msg": "Send this field once", "type": "repeated_field"})
        else:
            data[name] = values[0]
    try:
        form = model.model_validate(data)
    except ValidationError as e:
        errors += [{**err, "loc": ["body", *err["loc"]]} for err in clean_errors(e.errors())]
    if errors:
        raise RequestValidationError(errors)
    return form


def parse_boxes(raw: str) -> tuple[Region, ...]:
    """The ``boxes`` field: a JSON list of ``{x, y, width, height, page?}``."""
    try:
        value = json.loads(raw)
    except ValueError as e:
        raise RequestValidationError(
            [{"loc": ["body", "boxes"], "msg": "Not valid JSON", "type": "json_invalid"}]
        ) from e
    if not isinstance(value, list) or len(value) > MAX_BOXES:
        raise RequestValidationError(
            [
                {
                    "loc": ["body", "boxes"],
                    "msg": f"Expected a JSON list of at most {MAX_BOXES} rectangles",
                    "type": "list_type",
                }
            ]
        )
    try:
        boxes = TypeAdapter(list[BoxIn]).validate_python(value)
    except ValidationError as e:
        raise RequestValidationError(
            [{**err, "loc": ["body", "boxes", *err["loc"]]} for err in clean_errors(e.errors())]
        ) from e
    return tuple(Region(Box(b.x, b.y, b.x + b.width, b.y + b.height), b.page, b.color) for b in boxes)


def manual_regions(form: RedactForm, options: RedactOptions) -> tuple[Region, ...]:
    """The approved ``boxes`` of a redaction, refusing the options that need OCR or entity types."""
    assert form.boxes is not None
    regions = parse_boxes(form.boxes)
    if form.verify or form.anonymize_text or form.redact_all_text:
        raise InvalidOptionError(
            "verify, anonymize_text and redact_all_text need OCR; they cannot be combined with boxes."
        )
    if not isinstance(options.fill_color, str):
        raise InvalidOptionError("With boxes, fill_color is one colour: the boxes carry no entity type.")
    return regions


def parse_fill_color(raw: str) -> str | dict[str, str]:
    """One colour, or a JSON object from entity type to colour."""
    if not raw.lstrip().startswith("{"):
        return raw
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise RequestValidationError(
            [{"loc": ["body", "fill_color"], "msg": "Expected a colour or a JSON object of colours", "type": "json"}]
        )
    return value


def _options(form: AnalyzeForm, services: Services, caller: Caller) -> RedactOptions:
    settings = services.settings
    return RedactOptions(
        language=form.language,
        entities=tuple(dict.fromkeys(form.entities)) or None,
        score_threshold=form.score_threshold,
        allow_list=tuple(form.allow_list),
        deny_list=tuple(form.deny_list),
        fill_color=parse_fill_color(form.fill_color),
        verify=form.verify if isinstance(form, RedactForm) else False,
        redact_all_text=form.redact_all_text,
        anonymize_text=form.anonymize_text if isinstance(form, RedactForm) else False,
        text_operator=form.text_operator,
        mask_char=form.mask_char,
        mask_keep_last=form.mask_keep_last,
        faces=form.faces,
        humans=form.humans,
        license_plates=form.license_plates,
        method=form.method,
        shape=form.shape,
        blur_strength=form.blur_strength,
        edge_blur=form.edge_blur,
        max_pixels=min(caller.plan.max_pixels, settings.max_pixels),
        max_pages=min(caller.plan.max_pages, settings.max_pages),
    )


async def _charge(
    request: Request, services: Services, caller: Caller, *, tokens: int, characters: int, entities: int, pages: int
) -> None:
    """Write the ledger row and add the tokens in one transaction; set the token headers."""
    call = call_of(request.state)
    entry = LedgerEntry(
        at=call.at,
        request_id=call.request_id,
        key_id=caller.key.id,
        endpoint=call.endpoint,
        status=200,
        tokens=tokens,
        characters=characters,
        entities=entities,
        pages=pages,
        duration_ms=call.elapsed_ms(),
    )
    total = await run_in_threadpool(services.store.record, entry)
    call.recorded = True
    call.tokens = tokens
    used = (
        total if total is not None else await run_in_threadpool(services.store.used_tokens, caller.key.id, entry.period)
    )
    call.headers["X-Tokens-Charged"] = str(tokens)
    call.headers["X-Tokens-Remaining"] = str(max(0, caller.plan.monthly_tokens - used))


async def _read_request(request: Request, services: Services, caller: Caller, *, redaction: bool) -> Upload:
    await admit(request, services, caller, redaction=redaction)
    return await read_upload(request, caller.plan)


# ---- image endpoints ----


@router.post(
    "/v1/analyze-image",
    response_model=AnalysisOut,
    summary="Find PII in an image",
    description="OCR the image and list the entities found with their pixel boxes. Costs tokens (see /v1/usage).",
    tags=["images"],
    responses={
        200: {"headers": {**_TOKEN_HEADERS, **_RATE_HEADERS}},
        **problems(401, 403, 413, 415, 422, 429, 500, 503),
    },
    openapi_extra=multipart_body(AnalyzeForm, "The image and detection options."),
)
@router.post("/analyze-image", include_in_schema=False)
async def analyze_image(request: Request, services: ServicesDep, engine: EngineDep, caller: CallerDep) -> Any:
    upload = await _read_request(request, services, caller, redaction=False)
    form = parse_form(AnalyzeForm, upload.fields)
    options = _options(form, services, caller)
    result = await services.pool.run(partial(analyze, upload.image, options, engine=engine))
    tokens = services.plans.tokens_for(
        pages=len(result.pages), characters=result.characters_read, entities=result.found
    )
    await _charge(
        request,
        services,
        caller,
        tokens=tokens,
        characters=result.characters_read,
        entities=result.found,
        pages=len(result.pages),
    )
    return {**analysis_json(result), "tokens_charged": tokens}


_IMAGE_CONTENT = {mime: {"schema": {"type": "string", "format": "binary"}} for mime in MIME_TYPES.values()}
_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def _download_name(filename: str | None, fmt: str) -> str:
    stem = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = _SAFE_STEM.sub("_", stem).strip("._")[:64] or "image"
    return f"{stem}-redacted.{EXTENSIONS[fmt]}"


@router.post(
    "/v1/redact-image",
    response_class=Response,
    summary="Paint out PII in an image",
    description=(
        "Answers the redacted image in the input's format. Without `boxes`, OCR and detection choose what to paint; "
        "with `boxes`, exactly those rectangles are painted and nothing is read. Not included in the Free plan."
    ),
    tags=["images"],
    responses={
        200: {
            "description": "The redacted image, same format as the input, metadata stripped.",
            "content": _IMAGE_CONTENT,
            "headers": {
                **_TOKEN_HEADERS,
                **_RATE_HEADERS,
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
    openapi_extra=multipart_body(RedactForm, "The image, detection options, fill colour, or explicit boxes."),
)
@router.post("/redact-image", include_in_schema=False, response_class=Response)
async def redact_image(request: Request, services: ServicesDep, engine: EngineDep, caller: CallerDep) -> Response:
    upload = await _read_request(request, services, caller, redaction=True)
    form = parse_form(RedactForm, upload.fields)
    options = _options(form, services, caller)
    result: RedactionResult
    if form.boxes is not None:
        regions = manual_regions(form, options)
        result = await services.pool.run(
            partial(
                paint_regions,
                upload.image,
                regions,
                fill_color=form.fill_color,
                max_pixels=options.max_pixels or services.settings.max_pixels,
                max_pages=options.max_pages or services.settings.max_pages,
                style=style_of(options),
            )
        )
        pages, characters, entities = len(result.analysis.pages), 0, result.regions
        tokens = services.plans.tokens_for(pages=pages, characters=0, entities=result.regions)
    else:
        result = await services.pool.run(partial(redact, upload.image, options, engine=engine))
        pages, characters, entities = len(result.analysis.pages), result.analysis.characters_read, result.analysis.found
        reads = 2 if result.verification is not None else 1  # verify reads the output again
        tokens = services.plans.tokens_for(pages=pages * reads, characters=characters * reads, entities=entities)
    await _charge(request, services, caller, tokens=tokens, characters=characters, entities=entities, pages=pages)
    headers = {
        "Content-Disposition": f'attachment; filename="{_download_name(upload.filename, result.format)}"',
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
            "filename": _download_name(upload.filename, result.format),
            "anonymized_text": result.analysis.anonymized_text,
            "regions": result.regions,
            "tokens_charged": tokens,
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
    used = await run_in_threadpool(services.store.used_tokens, caller.key.id, period.label)
    days = await run_in_threadpool(services.store.usage_by_day, caller.key.id, period.label)
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


# Public names for other routers (api/jobs.py builds jobs from the same forms).
options_for = _options
download_name = _download_name

__all__ = ["Problem", "download_name", "manual_regions", "options_for", "router"]
