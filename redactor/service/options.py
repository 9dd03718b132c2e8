"""Request options, defined once: the HTTP forms, the jobs and the command line are all built from these models.

Each field's name is the form field of the API and, with dashes, the option of ``redactor analyze``
and ``redactor redact``; its description is the documentation of both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Json, TypeAdapter, field_validator

from redactor.engine.manual import Region
from redactor.engine.models import Box, RedactOptions
from redactor.errors import InvalidOptionError

MAX_BOXES = 10_000
# List fields that also take comma-separated values (``entities=PERSON,URL``).
COMMA_LISTS = frozenset({"entities"})


class AnalyzeOptions(BaseModel):
    """Options of an analysis (POST /v1/analyze-image, ``redactor analyze``)."""

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

    @field_validator("fill_color")
    @classmethod
    def _colour_or_json_object(cls, value: str) -> str:
        if value.lstrip().startswith("{"):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
            ):
                raise ValueError("Expected a colour or a JSON object of colours")
        return value

    def colors(self) -> str | dict[str, str]:
        """``fill_color``: one colour, or the mapping from entity type to colour."""
        if self.fill_color.lstrip().startswith("{"):
            mapping: dict[str, str] = json.loads(self.fill_color)
            return mapping
        return self.fill_color

    def to_redact_options(self, *, max_pixels: int | None = None, max_pages: int | None = None) -> RedactOptions:
        """The engine's options; ``max_pixels``/``max_pages`` are the caller's limits (None: the engine's)."""
        redaction = self if isinstance(self, RedactRequestOptions) else None
        return RedactOptions(
            language=self.language,
            entities=tuple(dict.fromkeys(self.entities)) or None,
            score_threshold=self.score_threshold,
            allow_list=tuple(self.allow_list),
            deny_list=tuple(self.deny_list),
            fill_color=self.colors(),
            verify=redaction.verify if redaction else False,
            redact_all_text=self.redact_all_text,
            anonymize_text=redaction.anonymize_text if redaction else False,
            text_operator=self.text_operator,
            mask_char=self.mask_char,
            mask_keep_last=self.mask_keep_last,
            faces=self.faces,
            humans=self.humans,
            license_plates=self.license_plates,
            method=self.method,
            shape=self.shape,
            blur_strength=self.blur_strength,
            edge_blur=self.edge_blur,
            max_pixels=max_pixels,
            max_pages=max_pages,
        )


class RedactRequestOptions(AnalyzeOptions):
    """Options of a redaction (POST /v1/redact-image, ``redactor redact``)."""

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

    def regions(self) -> tuple[Region, ...] | None:
        """The approved ``boxes``, or None; refuses the options that need OCR or entity types.

        Raises pydantic's ValidationError (locations inside ``boxes``) for a malformed list, and
        InvalidOptionError for options that cannot go with boxes.
        """
        if self.boxes is None:
            return None
        boxes = _BOXES.validate_python(self.boxes)
        if self.verify or self.anonymize_text or self.redact_all_text:
            raise InvalidOptionError(
                "verify, anonymize_text and redact_all_text need OCR; they cannot be combined with boxes."
            )
        if not isinstance(self.colors(), str):
            raise InvalidOptionError("With boxes, fill_color is one colour: the boxes carry no entity type.")
        return tuple(Region(Box(b.x, b.y, b.x + b.width, b.y + b.height), b.page, b.color) for b in boxes)


class BoxIn(BaseModel):
    """A rectangle of the ``boxes`` field, in pixels of the displayed page."""

    model_config = ConfigDict(extra="ignore")

    x: int = Field(ge=0, le=1_000_000)
    y: int = Field(ge=0, le=1_000_000)
    width: int = Field(gt=0, le=1_000_000)
    height: int = Field(gt=0, le=1_000_000)
    page: int = Field(default=1, ge=1, le=100_000)
    color: str | None = Field(default=None, max_length=16, description="This box's colour; default `fill_color`.")


_BOXES: TypeAdapter[list[BoxIn]] = TypeAdapter(Json[Annotated[list[BoxIn], Field(max_length=MAX_BOXES)]])


def describe_errors(errors: Sequence[Mapping[str, Any]], *, within: str | None = None) -> str:
    """One line naming each invalid field (inside the field ``within``), without the values sent."""
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "header", "path", "form")]
        loc = [within, *loc] if within else loc
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', '')}")
    return "Invalid request: " + "; ".join(parts) + "."
