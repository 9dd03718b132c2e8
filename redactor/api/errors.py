"""Errors at the HTTP edge: the handlers that turn every failure into one problem body (status from the error tree)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from redactor.errors import (
    MethodNotAllowedError,
    NotFoundError,
    RateLimitedError,
    RedactorError,
    RequestError,
    UnsupportedMediaTypeError,
    describe,
)
from redactor.service.options import describe_errors

log = logging.getLogger("redactor.api")

PROBLEM_JSON = "application/problem+json"


# Routing errors Starlette raises, as classes of the tree.
_ERROR_BY_HTTP_STATUS: dict[int, type[RedactorError]] = {
    400: RequestError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    415: UnsupportedMediaTypeError,
}


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
    error = describe(code)
    status = status or error.http_status
    body: dict[str, Any] = {
        "type": f"urn:redactor:error:{code}",
        "title": error.title,
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
    """Retry-After where the error has one; the rate-limit headers on a 429 of the rate limit."""
    headers: dict[str, str] = {}
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, RateLimitedError):
        headers.update(rate_limit_headers(exc.limit, remaining=0, reset=exc.retry_after or 0))
    return headers


def rate_limit_headers(limit: int, *, remaining: int, reset: int) -> dict[str, str]:
    """X-RateLimit-* headers of a key's one-minute window."""
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset),
    }


async def redactor_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Our errors: status from the table, safe message, Retry-After where it helps."""
    assert isinstance(exc, RedactorError)
    status = exc.http_status
    if status >= 500 and status != 503:  # a 503 is a known, passing state (busy, starting, timed out)
        log.error("request_id=%s error %s: %s", _request_id(request), exc.code, type(exc).__name__, exc_info=exc)
    message = exc.message if status < 500 or exc.code != "internal_error" else "Internal error."
    return problem_response(
        exc.code, message, status=status, request_id=_request_id(request, exc.code), headers=error_headers(exc)
    )


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Routing errors (404, 405) in the same body."""
    assert isinstance(exc, StarletteHTTPException)
    error = _ERROR_BY_HTTP_STATUS.get(exc.status_code) or (RedactorError if exc.status_code >= 500 else RequestError)
    code = error.code
    detail = exc.detail if isinstance(exc.detail, str) else error.title
    if exc.status_code == 404:
        detail = NotFoundError.default_message
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
