"""API schemas: the JSON responses, the one error body, and the OpenAPI entries of the multipart forms."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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
RATE_HEADERS = {
    "X-RateLimit-Limit": {"description": "Requests per minute of the plan.", "schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"description": "Requests left in this minute.", "schema": {"type": "integer"}},
    "X-RateLimit-Reset": {"description": "Seconds until the minute ends.", "schema": {"type": "integer"}},
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, all with the problem+json body."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": _WHY.get(status, "Error."), "content": _PROBLEM}
        if status in (429, 503):
            entry["headers"] = {**_RETRY_AFTER, **(RATE_HEADERS if status == 429 else {})}
        out[status] = entry
    return out


def multipart_body(form: type[BaseModel], description: str) -> dict[str, Any]:
    """OpenAPI ``requestBody`` for a form model plus the required ``image`` file."""
    schema = form.model_json_schema()
    properties: dict[str, Any] = {
        "image": {
            "type": "string",
            "format": "binary",
            "description": "The file: JPEG, PNG, TIFF, BMP, WebP, GIF or PDF (scanned or born-digital).",
        }
    }
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        if "anyOf" in prop:  # `str | None`: a form field is either sent or not, never null
            options = [p for p in prop.pop("anyOf") if p.get("type") != "null"]
            prop.update(options[0])
        prop.pop("title", None)
        properties[name] = prop
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["image"],
                        "properties": properties,
                        "additionalProperties": False,
                    },
                    "encoding": {
                        "image": {"contentType": "application/octet-stream"},
                    },
                }
            },
        }
    }


# ---- responses ----


class BoxOut(BaseModel):
    """A pixel rectangle; ``x``, ``y`` is the top-left corner."""

    x: int
    y: int
    width: int
    height: int


class EntityOut(BaseModel):
    """One entity found: its type, text, score, page and boxes (one per line, and their union)."""

    entity_type: str
    text: str
    score: float
    page: int
    bbox: BoxOut
    boxes: list[BoxOut]
    color: str = Field(description="Fill colour of this entity's regions, `#rrggbb`.")


class DimensionsOut(BaseModel):
    """Displayed size of a page, in pixels (a PDF page's as rendered at ``dpi``)."""

    width: int
    height: int


class NormalizedBoxOut(BaseModel):
    """A box as shares (0-1) of the page's width and height."""

    x: float
    y: float
    width: float
    height: float


class ObjectOut(BaseModel):
    """A face, person or licence plate found in the image."""

    entity_type: str = Field(description="FACE, PERSON or LICENSE_PLATE.")
    score: float
    page: int
    bbox: BoxOut
    normalized_bbox: NormalizedBoxOut
    color: str = Field(description="Fill colour of this object, `#rrggbb`.")


class AnalysisOut(BaseModel):
    """Answer of POST /v1/analyze-image."""

    entities: list[EntityOut]
    objects: list[ObjectOut] = Field(description="Faces, people and plates, when asked for.")
    ocr_text: str = Field(description="Text read, pages separated by form feeds.")
    anonymized_text: str | None = Field(
        description="`ocr_text` with each entity replaced by `text_operator`; line breaks kept."
    )
    image_dimensions: DimensionsOut = Field(description="Size of the first page.")
    pages: int
    page_sizes: list[DimensionsOut] = Field(description="Size of every page, in order.")
    dpi: float | None = Field(
        description="For a PDF, the resolution its pages were rendered at: boxes are pixels of that rendering "
        "(points = pixels * 72 / dpi). Null for images."
    )
    characters_read: int = Field(description="Non-space characters read; part of the token price.")
    tokens_charged: int


class LanguageOut(BaseModel):
    """A language OCR can read."""

    code: str = Field(description="ISO 639-1 code to send as `language`.")
    tesseract: str = Field(description="Tesseract's name for it (also accepted).")


class EntitiesOut(BaseModel):
    """Answer of GET /v1/entities."""

    entities: list[str] = Field(description="Every type that can be asked for in `entities`.")
    default_entities: list[str] = Field(description="The types looked for when `entities` is not sent.")
    languages: list[LanguageOut]
    detection_language: str = Field(description="Language of the named-entity model; patterns work in any language.")


class PeriodOut(BaseModel):
    """The billing period: a calendar month in UTC."""

    label: str
    start: str
    end: str


class PlanOut(BaseModel):
    """The caller's plan limits."""

    name: str
    title: str
    image_redaction: bool
    max_file_bytes: int
    max_pixels: int
    max_pages: int
    monthly_tokens: int
    requests_per_minute: int


class DayUsageOut(BaseModel):
    """Calls, failures and tokens of one endpoint on one day (UTC)."""

    date: str
    endpoint: str
    requests: int
    failed: int
    tokens: int


class UsageOut(BaseModel):
    """Answer of GET /v1/usage."""

    account: str
    key_id: str
    plan: PlanOut
    period: PeriodOut
    allowance: int
    used: int
    remaining: int
    by_day: list[DayUsageOut]


class HealthOut(BaseModel):
    """Answer of GET /healthz."""

    ok: bool
    status: str


class ReadyOut(BaseModel):
    """Answer of GET /readyz when ready."""

    ok: bool
    status: str
    checks: dict[str, str]


class FieldError(BaseModel):
    """One invalid field of a request (never with the value sent)."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """The one error body (RFC 9457 problem+json with our stable ``code``)."""

    type: str = Field(description="URI naming the problem type: `urn:redactor:error:<code>`.")
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable snake_case error code; see the README's table.")
    ok: bool = False
    error: str = Field(description="Same as `detail` (kept for clients of the first API).")
    request_id: str | None = None
    errors: list[FieldError] | None = None
