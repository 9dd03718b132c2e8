"""API schemas: the multipart forms as pydantic models, the JSON responses and the one error body."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# ---- request forms (multipart/form-data; parsed by api/uploads.py, validated by these models) ----


class AnalyzeForm(BaseModel):
    """Fields of POST /v1/analyze-image besides the ``image`` file."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(
        default="en", min_length=1, max_length=64, description="ISO (`en`, `de`) or Tesseract (`eng`, `deu+eng`) code."
    )
    score_threshold: float = Field(default=0.3, ge=0.0, le=1.0, description="Minimum detection score, 0..1.")
    entities: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Entity types to look for (repeated field or comma list); empty means all. See GET /v1/entities.",
    )
    allow_list: list[str] = Field(
        default_factory=list, max_length=1000, description="Terms never redacted (repeatable)."
    )
    deny_list: list[str] = Field(
        default_factory=list, max_length=1000, description="Terms always redacted (repeatable)."
    )
    fill_color: str = Field(
        default="black",
        max_length=4000,
        description=(
            "black, white, red, blue, green, yellow or #RRGGBB; or a JSON object from entity type to colour with an "
            'optional default, e.g. `{"PERSON": "black", "EMAIL_ADDRESS": "blue", "default": "black"}`.'
        ),
    )
    redact_all_text: bool = Field(default=False, description="Paint every word read, except `allow_list` terms.")
    text_operator: Literal["replace", "mask", "hash", "redact"] = Field(
        default="replace",
        description="How entities are replaced in `anonymized_text`: `<TYPE>`, masked, salted SHA-256, or removed.",
    )
    mask_char: str = Field(default="*", min_length=1, max_length=1, description="Character of the `mask` operator.")
    mask_keep_last: int = Field(
        default=0, ge=0, le=100, description="With `mask`, characters left visible at the end of each value."
    )
    faces: bool = Field(default=False, description="Also find faces (class FACE).")
    humans: bool = Field(default=False, description="Also find whole people (class PERSON).")
    license_plates: bool = Field(
        default=False, description="Also find vehicle licence plates (LICENSE_PLATE; needs the `plates` extra)."
    )
    method: Literal["fill", "blur"] = Field(default="fill", description="How regions are hidden: opaque fill or blur.")
    shape: Literal["rectangle", "mask"] = Field(
        default="rectangle", description="`rectangle`, or `mask`: a soft ellipse/polygon around each object."
    )
    blur_strength: float = Field(default=30, ge=0, le=100, description="Coarseness of the blur, 0-100.")
    edge_blur: float = Field(default=0.2, ge=0, le=1, description="Softness of a `mask` shape's edge, 0-1.")


class RedactForm(AnalyzeForm):
    """Fields of POST /v1/redact-image besides the ``image`` file."""

    anonymize_text: bool = Field(
        default=False,
        description=(
            "Also return the anonymized OCR text: the answer is then JSON with the image in base64 "
            "(`image_base64`, `content_type`, `filename`) and `anonymized_text`."
        ),
    )
    verify: bool = Field(
        default=False, description="OCR the output again and report in X-Verification what is still readable."
    )
    boxes: str | None = Field(
        default=None,
        max_length=1_000_000,
        description=(
            'JSON list of rectangles `[{"x": 10, "y": 20, "width": 100, "height": 16, "page": 1}]` (page optional, '
            "default 1): paint exactly these, with no OCR and no detection; detection fields are then ignored."
        ),
    )


class BoxIn(BaseModel):
    """A rectangle of the ``boxes`` field, in pixels of the displayed page."""

    model_config = ConfigDict(extra="ignore")

    x: int = Field(ge=0, le=1_000_000)
    y: int = Field(ge=0, le=1_000_000)
    width: int = Field(gt=0, le=1_000_000)
    height: int = Field(gt=0, le=1_000_000)
    page: int = Field(default=1, ge=1, le=100_000)
    color: str | None = Field(default=None, max_length=16, description="This box's colour; default `fill_color`.")


def multipart_body(form: type[BaseModel], description: str) -> dict[str, Any]:
    """OpenAPI ``requestBody`` for a form model plus the required ``image`` file."""
    schema = form.model_json_schema()
    properties: dict[str, Any] = {
        "image": {"type": "string", "format": "binary", "description": "The image: JPEG, PNG, TIFF, BMP, WebP or GIF."}
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
    """Displayed size of the first page."""

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
    image_dimensions: DimensionsOut
    pages: int
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
