"""Per-call bookkeeping: request id, extra response headers, one ledger row and one log line per call.

A pure ASGI middleware (no body buffering): it never reads the request body or the response body,
so neither the upload nor any text can reach the ledger or the log from here.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redactor.api.errors import problem_response
from redactor.service.store import LedgerEntry

if TYPE_CHECKING:
    from redactor.api.services import Services

log = logging.getLogger("redactor.api")

# Paths whose calls are ledgered, and the endpoint name they are ledgered under.
LEDGERED = {
    "/v1/analyze-image": "analyze-image",
    "/analyze-image": "analyze-image",
    "/v1/redact-image": "redact-image",
    "/redact-image": "redact-image",
    "/v1/usage": "usage",
}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CLIENT_CLOSED = 499  # nginx's convention; the client went away before an answer


@dataclass
class CallRecord:
    """What the handlers tell the middleware about a call; lives in ``request.state.call``."""

    request_id: str
    endpoint: str
    started: float
    at: datetime
    key_id: str | None = None
    status: int | None = None
    code: str | None = None
    recorded: bool = False
    tokens: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    def elapsed_ms(self) -> int:
        return round((time.perf_counter() - self.started) * 1000)


class CallMiddleware:
    """Request id in and out, extra headers on the response, the ledger row if the handler wrote none, the log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        app_state = getattr(scope.get("app"), "state", None)
        services: Services | None = getattr(app_state, "services", None)
        now = services.clock() if services is not None else datetime.now(UTC)
        call = CallRecord(request_id, LEDGERED.get(path, path), time.perf_counter(), now)
        scope.setdefault("state", {})["call"] = call
        started_response = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started_response
            if message["type"] == "http.response.start":
                started_response = True
                call.status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers += [(k.lower().encode(), v.encode()) for k, v in call.headers.items()]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # anything the handlers did not turn into a problem
            log.error("request_id=%s unhandled %s", request_id, type(exc).__name__, exc_info=exc)
            call.code = "internal_error"
            if not started_response:
                response = problem_response("internal_error", "Internal error.", request_id=request_id)
                await response(scope, receive, send_with_headers)
            else:
                call.status = call.status or 500
        finally:
            status = call.status if call.status is not None else CLIENT_CLOSED
            if path in LEDGERED and not call.recorded and services is not None:
                entry = LedgerEntry(
                    at=call.at,
                    request_id=request_id,
                    key_id=call.key_id,
                    endpoint=call.endpoint,
                    status=status,
                    code=call.code,
                    duration_ms=call.elapsed_ms(),
                )
                try:
                    await run_in_threadpool(services.store.ledger.record, entry)
                    call.recorded = True
                except Exception as exc:
                    log.error("request_id=%s ledger write failed: %s", request_id, type(exc).__name__)
            log.info(
                "request_id=%s key=%s endpoint=%s status=%s duration_ms=%d tokens=%d%s",
                request_id,
                call.key_id or "-",
                call.endpoint,
                status,
                call.elapsed_ms(),
                call.tokens,
                f" code={call.code}" if call.code else "",
            )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            try:
                return str(value.decode("latin-1"))
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes everything
                return None
    return None


def call_of(state: Any) -> CallRecord:
    """The CallRecord of a request (``request.state``)."""
    call = getattr(state, "call", None)
    if not isinstance(call, CallRecord):  # app used without the middleware (should not happen)
        call = CallRecord(uuid.uuid4().hex, "-", time.perf_counter(), datetime.now(UTC))
        state.call = call
    return call
