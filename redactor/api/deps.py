"""Dependencies: the services built once per app, and the caller resolved from the X-API-Key header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from redactor.api.calls import call_of
from redactor.api.errors import rate_limit_headers
from redactor.api.services import Services
from redactor.engine.pipeline import Engine
from redactor.errors import ForbiddenError, NotReadyError, UnauthorizedError
from redactor.service.metering import check_allowance, hit_rate_limit
from redactor.service.plans import Plan
from redactor.service.store import ApiKey


@dataclass(frozen=True)
class Caller:
    """The key of the request and its plan."""

    key: ApiKey
    plan: Plan


def get_services(request: Request) -> Services:
    """The app's shared services."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_engine(services: ServicesDep) -> Engine:
    """The loaded engine, or 503 while it loads."""
    if services.engine is None:
        raise NotReadyError()
    return services.engine


EngineDep = Annotated[Engine, Depends(get_engine)]

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKey",
    description="Your API key (`redactor keys create --plan pro --name ACME` prints one).",
)


async def get_caller(
    request: Request, services: ServicesDep, api_key: Annotated[str | None, Security(api_key_header)]
) -> Caller:
    """Resolve the key: missing, unknown or revoked is 401; a key whose plan is no longer offered is 403."""
    if not api_key:
        raise UnauthorizedError()
    if len(api_key) > 200:
        raise UnauthorizedError("Unknown API key.")
    key = await run_in_threadpool(services.store.keys.find, api_key)
    if key is None:
        raise UnauthorizedError("Unknown API key.")
    call_of(request.state).key_id = key.id
    if not key.active:
        raise UnauthorizedError("This API key has been revoked.")
    plan = services.plans.get(key.plan)
    if plan is None:
        raise ForbiddenError(f"This key's plan {key.plan!r} is no longer offered; ask for a key on a current plan.")
    return Caller(key, plan)


CallerDep = Annotated[Caller, Depends(get_caller)]


async def admit(request: Request, services: ServicesDep, caller: Caller, *, redaction: bool) -> int:
    """Before any work: plan includes the operation (403), rate limit (429), allowance left (429).

    Returns the tokens used so far in the period.
    """
    if redaction and not caller.plan.image_redaction:
        raise ForbiddenError(
            f"Plan '{caller.plan.title}' does not include image redaction; use /v1/analyze-image or upgrade the plan."
        )
    now = services.clock()
    call = call_of(request.state)
    window = await run_in_threadpool(hit_rate_limit, services.store, caller.key, caller.plan, now)
    call.headers.update(rate_limit_headers(window.limit, remaining=window.remaining, reset=window.reset))
    return await run_in_threadpool(check_allowance, services.store, caller.key, caller.plan, now)
