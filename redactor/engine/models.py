"""Plain data that flows between the pipeline stages: boxes, words, page text, entities, results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

TextOperator = Literal["replace", "mask", "hash", "redact"]


@dataclass(frozen=True)
class Box:
    """Axis-aligned pixel rectangle; ``x1`` and ``y1`` are exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"inverted box {self}")

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def area(self) -> int:
        return self.width * self.height

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def shifted(self, dx: int, dy: int) -> Box:
        """The box moved by ``dx``, ``dy``: from a crop's pixels to the page's."""
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def as_dict(self) -> dict[str, int]:
        return {"x": self.x0, "y": self.y0, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class Word:
    """One word read by OCR; ``line_key`` identifies its (block, paragraph, line)."""

    text: str
    box: Box
    conf: float
    line_key: tuple[int, int, int]


@dataclass(frozen=True)
class PageText:
    """OCR words joined into text: spaces between words, newlines between lines.

    ``spans[i]`` is the ``(start, end)`` character range of ``words[i]`` in ``text``.
    """

    text: str
    words: tuple[Word, ...]
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Span:
    """A detected entity as a character range of a page's text."""

    entity_type: str
    start: int
    end: int
    score: float
    # The recognizer or rule that found it, for measuring each rule; not part of a span's identity.
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class Entity:
    """A detected entity with its text, score and the pixel boxes that cover it (one per line)."""

    entity_type: str
    text: str
    score: float
    page: int
    boxes: tuple[Box, ...]
    color: str = "#000000"
    source: str = field(default="", compare=False)  # as on Span

    @property
    def bbox(self) -> Box:
        union = self.boxes[0]
        for box in self.boxes[1:]:
            union = union.union(box)
        return union


@dataclass(frozen=True)
class NormalizedBox:
    """A box as shares (0-1) of the image's width and height, as other anonymization APIs return it."""

    x: float
    y: float
    width: float
    height: float

    def as_dict(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class VisualObject:
    """One detected face, person or plate; ``entity_type`` is FACE, PERSON or LICENSE_PLATE.

    ``box`` is in pixels (what gets masked, margin included); ``normalized`` is the same box as
    shares of the image size. ``outline`` is the polygon that ``shape="mask"`` covers, in pixels;
    empty means an ellipse inscribed in ``box``.
    """

    entity_type: str
    score: float
    box: Box
    normalized: NormalizedBox
    page: int = 1
    outline: tuple[tuple[int, int], ...] = ()
    color: str = "#000000"

    @property
    def bbox(self) -> Box:
        """The pixel box, under the name text entities use for theirs."""
        return self.box


MaskMethod = Literal["fill", "blur"]
MaskShape = Literal["rectangle", "mask"]


@dataclass(frozen=True)
class RedactOptions:
    """What to look for and how to paint it; neutral of HTTP, plans and billing.

    ``fill_color`` is one colour, or a mapping from entity type to colour with an optional
    ``default``. ``redact_all_text`` paints every word read except ``allow_list`` terms.
    ``anonymize_text`` asks ``redact`` for the OCR text with entities replaced by ``text_operator``
    (``replace``, ``mask``, ``hash``, ``redact``); ``analyze`` always returns it.
    ``faces``, ``humans`` and ``license_plates`` add visual objects; ``method`` (fill or blur),
    ``shape`` (rectangle or a soft ``mask``), ``blur_strength`` (0-100) and ``edge_blur`` (0-1)
    say how every region, text or object, is hidden.
    """

    language: str = "en"
    entities: tuple[str, ...] | None = None
    score_threshold: float = 0.3
    allow_list: tuple[str, ...] = ()
    deny_list: tuple[str, ...] = ()
    fill_color: str | Mapping[str, str] = "black"
    verify: bool = False
    redact_all_text: bool = False
    anonymize_text: bool = False
    text_operator: TextOperator = "replace"
    mask_char: str = "*"
    mask_keep_last: int = 0
    faces: bool = False
    humans: bool = False
    license_plates: bool = False
    method: MaskMethod = "fill"
    shape: MaskShape = "rectangle"
    blur_strength: float = 30.0
    edge_blur: float = 0.2
    max_pixels: int | None = None
    max_pages: int | None = None
    ocr_timeout: float | None = None


@dataclass(frozen=True)
class PageSize:
    """Displayed size of one page or frame."""

    width: int
    height: int


@dataclass(frozen=True)
class AnalysisResult:
    """What ``analyze`` found: entities, OCR text and the sizes needed for metering.

    ``dpi`` is set for a PDF: pages were rendered at that resolution, and every box and size is in
    pixels of that rendering (points = pixels * 72 / dpi).
    """

    format: str
    pages: tuple[PageSize, ...]
    entities: tuple[Entity, ...]
    ocr_text: str
    characters_read: int
    anonymized_text: str | None = None
    objects: tuple[VisualObject, ...] = ()
    dpi: float | None = None

    @property
    def image_dimensions(self) -> PageSize:
        return self.pages[0]

    @property
    def found(self) -> int:
        """Text entities plus visual objects: what metering counts as found."""
        return len(self.entities) + len(self.objects)

    def as_dict(self) -> dict[str, object]:
        """The analysis as plain JSON data (what the HTTP API, jobs and ``redactor analyze --json`` answer)."""
        return {
            "entities": [
                {
                    "entity_type": e.entity_type,
                    "text": e.text,
                    "score": e.score,
                    "page": e.page,
                    "bbox": e.bbox.as_dict(),
                    "boxes": [b.as_dict() for b in e.boxes],
                    "color": e.color,
                }
                for e in self.entities
            ],
            "objects": [
                {
                    "entity_type": o.entity_type,
                    "score": o.score,
                    "page": o.page,
                    "bbox": o.box.as_dict(),
                    "normalized_bbox": o.normalized.as_dict(),
                    "color": o.color,
                }
                for o in self.objects
            ],
            "ocr_text": self.ocr_text,
            "anonymized_text": self.anonymized_text,
            "image_dimensions": {"width": self.image_dimensions.width, "height": self.image_dimensions.height},
            "pages": len(self.pages),
            "page_sizes": [{"width": p.width, "height": p.height} for p in self.pages],
            "dpi": self.dpi,
            "characters_read": self.characters_read,
        }


@dataclass(frozen=True)
class Verification:
    """Outcome of OCR + detection run again on the redacted output."""

    entities_remaining: tuple[Entity, ...]
    objects_remaining: tuple[VisualObject, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.entities_remaining and not self.objects_remaining


@dataclass(frozen=True)
class RedactionResult:
    """The redacted image in the input's format, with what was found and painted."""

    data: bytes
    format: str
    mime_type: str
    analysis: AnalysisResult
    regions: int
    verification: Verification | None = field(default=None)

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.analysis.entities
