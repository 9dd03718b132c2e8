"""The FastAPI application: settings, plans and store loaded once; the engine loaded in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from redactor import __version__
from redactor.api.calls import CallMiddleware
from redactor.api.errors import register_error_handlers
from redactor.api.jobs import router as jobs_router
from redactor.api.jobs import start_jobs, stop_jobs
from redactor.api.routes import router
from redactor.api.schemas import FieldError, Problem
from redactor.api.services import Services, utc_now
from redactor.engine.pipeline import Engine, load_engine
from redactor.service.config import Settings, get_settings
from redactor.service.plans import PlanBook, load_plans
from redactor.service.store import Store, open_store
from redactor.service.workers import WorkerPool, default_workers
from redactor.web import router as web_router

log = logging.getLogger("redactor.api")

DESCRIPTION = """
Find personal data in document images and paint it out.

Send the image as `multipart/form-data` in the field `image`, with your key in the `X-API-Key` header.
Every error answers one body (`application/problem+json`, RFC 9457) with a stable `code`.
Successful image calls cost tokens from your plan's monthly allowance: see `GET /v1/usage`.
"""


def create_app(
    *,
    workers: int | None = None,
    queue: int | None = None,
    settings: Settings | None = None,
    plans: PlanBook | None = None,
    store: Store | None = None,
    engine: Engine | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """Build the app. Bad settings or plans.yaml raise ConfigError here, before anything listens.

    Everything may be passed in (tests share one engine and use their own store and plans); what is
    not is built from the settings. The engine, the slow part, is loaded by the lifespan if not given.
    """
    settings = settings or get_settings()
    plans = plans or load_plans(settings.plans_file)
    owns_store = store is None
    store = store or open_store(settings.database_url)
    workers = workers or settings.workers or default_workers()
    queue = queue if queue is not None else settings.queue if settings.queue is not None else 2 * workers
    services = Services(
        settings=settings,
        plans=plans,
        store=store,
        pool=WorkerPool(workers, queue),
        engine=engine,
        clock=clock or utc_now,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services.engine is None:
            services.engine = await run_in_threadpool(load_engine, settings)
        await start_jobs(app)
        log.info("ready: %d workers, queue %d, database %s, %d plans", workers, queue, store.dialect, len(plans.plans))
        try:
            yield
        finally:
            await stop_jobs(app)
            services.pool.shutdown()
            if owns_store:
                store.close()

    logging.getLogger("redactor.api").setLevel(logging.INFO)
    app = FastAPI(
        title="redactor",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "images", "description": "Analyse and redact document images."},
            {"name": "jobs", "description": "Asynchronous jobs: submit, poll or webhook, download once."},
            {"name": "account", "description": "Your plan and usage."},
            {"name": "info", "description": "What the service supports."},
            {"name": "ops", "description": "Liveness and readiness."},
        ],
    )
    app.state.services = services
    register_error_handlers(app)
    app.include_router(router)
    app.include_router(jobs_router)
    app.include_router(web_router)  # the review page at / (static files, public API only)
    app.add_middleware(CallMiddleware)
    app.openapi = partial_openapi(app)  # type: ignore[method-assign]
    return app


def partial_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """FastAPI's schema plus the Problem body that the error responses reference."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components["Problem"] = problem
        components.setdefault("FieldError", FieldError.model_json_schema(ref_template="#/components/schemas/{model}"))
        # Errors FastAPI would document with its own shape answer ours.
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.get("responses", {})
                if "422" in responses and "application/json" in responses["422"].get("content", {}):
                    responses["422"]["content"] = {
                        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    return openapi
