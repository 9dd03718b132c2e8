"""Multipart form fields to options: the request-option models of ``redactor.service.options``, at the HTTP edge."""

from __future__ import annotations

import re
from typing import Any, TypeVar, get_origin

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from redactor.api.errors import clean_errors
from redactor.api.services import Services
from redactor.engine.formats import EXTENSIONS
from redactor.engine.manual import Region
from redactor.engine.models import RedactOptions
from redactor.service.options import COMMA_LISTS, AnalyzeOptions, RedactRequestOptions
from redactor.service.plans import Plan

_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")

FormT = TypeVar("FormT", bound=BaseModel)


def parse_form(model: type[FormT], fields: dict[str, list[str]]) -> FormT:
    """Validate the text fields with ``model``: list fields take every value (``entities`` also comma lists)."""
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    lists = {name for name, field in model.model_fields.items() if get_origin(field.annotation) is list}
    for name, values in fields.items():
        if name in lists:
            if name in COMMA_LISTS:
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


def options_for(form: AnalyzeOptions, services: Services, plan: Plan) -> RedactOptions:
    """The engine options of a form, within the plan's and the service's pixel and page limits."""
    settings = services.settings
    return form.to_redact_options(
        max_pixels=min(plan.max_pixels, settings.max_pixels), max_pages=min(plan.max_pages, settings.max_pages)
    )


def regions_of(form: RedactRequestOptions) -> tuple[Region, ...] | None:
    """The form's explicit ``boxes``; a malformed list is a 422 naming the place inside ``boxes``."""
    try:
        return form.regions()
    except ValidationError as e:
        raise RequestValidationError(
            [{**err, "loc": ["body", "boxes", *err["loc"]]} for err in clean_errors(e.errors())]
        ) from e


def download_name(filename: str | None, fmt: str) -> str:
    """``<stem>-redacted.<ext>`` from the name the client sent, reduced to safe characters."""
    stem = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = _SAFE_STEM.sub("_", stem).strip("._")[:64] or "image"
    return f"{stem}-redacted.{EXTENSIONS[fmt]}"
