"""Errors at the HTTP edge: the status table and the handlers that turn every failure into one problem body."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from redactor.errors import RedactorError

log = logging.getLogger("redactor.api")

PROBLEM_JSON = "application/problem+json"


class RequestError(RedactorError):
    """The HTTP request itself is malformed (multipart, JSON of ``boxes``, a field sent twice...)."""

    code = "invalid_request"
    default_message = "The request is not valid."


class UnsupportedMediaTypeError(RedactorError):
    """The body is not multipart/form-data."""

    code = "unsupported_media_type"
    default_message = "Send the image as multipart/form-data with the file in the field 'image'."


class NotReadyError(RedactorError):
    """The engine has not finished loading."""

    code = "not_ready"
    default_message = "The service is starting; retry shortly."


# The only place where error codes meet HTTP statuses.
STATUS_BY_CODE: dict[str, int] = {
    "invalid_request": 422,
    "invalid_input": 422,
    "invalid_option": 422,
    "unsupported_format": 415,
    "unsupported_media_type": 415,
    "image_too_large": 413,
    "file_too_large": 413,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "job_not_ready": 409,
    "result_gone": 410,
    "invalid_signature": 401,
    "method_not_allowed": 405,
    "quota_exceeded": 429,
    "rate_limited": 429,
    "overloaded": 503,
    "not_ready": 503,
    "missing_dependency": 503,
    "ocr_timeout": 503,
    "ocr_failed": 500,
    "invalid_config": 500,
    "internal_error": 500,
}

TITLES: dict[str, str] = {
    "invalid_request": "Invalid request",
    "invalid_input": "Invalid input file",
    "invalid_option": "Invalid option",
    "unsupported_format": "Unsupported image format",
    "unsupported_media_type": "Unsupported media type",
    "image_too_large": "Image too large",
    "file_too_large": "File too large",
    "unauthorized": "Unauthorized",
    "forbidden": "Not included in your plan",
    "not_found": "Not found",
    "job_not_ready": "Job not finished",
    "result_gone": "Result gone",
    "invalid_signature": "Invalid webhook signature",
    "method_not_allowed": "Method not allowed",
    "quota_exceeded": "Token allowance used up",
    "rate_limited": "Too many requests",
    "overloaded": "Service at capacity",
    "not_ready": "Service not ready",
    "missing_dependency": "Missing dependency",
    "ocr_timeout": "OCR timed out",
    "ocr_failed": "OCR failed",
    "invalid_config": "Server misconfigured",
    "internal_error": "Internal error",
}

_CODE_BY_HTTP_STATUS = {
    400: "invalid_request",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
}


def status_for(code: str) -> int:
    """HTTP status of an error code (500 for codes not in the table)."""
    return STATUS_BY_CODE.get(code, 500)


def _request_id(request: Request | None, code: str | None = None) -> str | None:
    """The call's request id; also notes the error code on the call record for the ledger and the log."""
    call = getattr(request.state, "call", None) if request is not None else None
    if call is not None and code is not None:
        call.code = code
    return getattr(call, "request_id", None)


def problem_response(
    code: str,
    detail: str,
    *,
    status: int | None = None,
    request_id: str | None = None,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    """The one error body: RFC 9457 fields plus ``code``, ``ok``, ``error`` and the request id."""
    status = status or status_for(code)
    body: dict[str, Any] = {
        "type": f"urn:redactor:error:{code}",
        "title": TITLES.get(code, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "ok": False,
        "error": detail,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def error_headers(exc: RedactorError) -> dict[str, str]:
    """Retry-After and rate-limit headers some errors carry."""
    headers: dict[str, str] = {}
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, int):
        headers["Retry-After"] = str(retry_after)
    window = getattr(exc, "window", None)
    if window is not None:
        headers.update(window.headers())
    return headers


async def redactor_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Our errors: status from the table, safe message, Retry-After where it helps."""
    assert isinstance(exc, RedactorError)
    status = status_for(exc.code)
    if status >= 500 and exc.code not in ("overloaded", "not_ready", "missing_dependency", "ocr_timeout"):
        log.error("request_id=%s error %s: %s", _request_id(request), exc.code, type(exc).__name__, exc_info=exc)
    message = exc.message if status < 500 or exc.code != "internal_error" else "Internal error."
    return problem_response(exc.code, message, request_id=_request_id(request, exc.code), headers=error_headers(exc))


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Routing errors (404, 405) in the same body."""
    assert isinstance(exc, StarletteHTTPException)
    code = _CODE_BY_HTTP_STATUS.get(exc.status_code) or (
        "internal_error" if exc.status_code >= 500 else "invalid_request"
    )
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(code, "Error")
    if exc.status_code == 404:
        detail = "No such endpoint; see /docs."
    elif exc.status_code == 405:
        detail = f"Method {request.method} is not allowed here; see /docs."
    headers = dict(exc.headers or {})
    return problem_response(
        code, detail, status=exc.status_code, request_id=_request_id(request, code), headers=headers
    )


def clean_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors without the values sent (which may be document text)."""
    return [
        {
            "loc": [p for p in err.get("loc", ()) if isinstance(p, str | int)],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in errors
    ]


def describe_errors(errors: list[dict[str, Any]]) -> str:
    """One line naming each invalid field."""
    parts = []
    for err in errors:
        loc = [str(p) for p in err["loc"] if p not in ("body", "query", "header", "path", "form")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err['msg']}")
    return "Invalid request: " + "; ".join(parts) + "."


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Invalid fields: 422 invalid_request, each field named, no value echoed."""
    assert isinstance(exc, RequestValidationError)
    errors = clean_errors(exc.errors())
    return problem_response(
        "invalid_request", describe_errors(errors), request_id=_request_id(request, "invalid_request"), errors=errors
    )


def register_error_handlers(app: FastAPI) -> None:
    """Install the handlers; uncaught exceptions are turned into 500 problems by the call middleware."""
    app.add_exception_handler(RedactorError, redactor_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
