"""The core: decode, then per page OCR, text geometry, detection and painting, then encode."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from PIL import Image

from redactor import anonymize, detect, fields, formats, geometry, ocr, paint
from redactor.config import Settings, get_settings
from redactor.errors import InvalidOptionError
from redactor.models import (
    AnalysisResult,
    Entity,
    PageSize,
    PageText,
    RedactionResult,
    RedactOptions,
    Span,
    Verification,
)


@dataclass(frozen=True)
class Engine:
    """What the pipeline needs loaded once: settings, Tesseract's probe and the analyzer."""

    settings: Settings
    tesseract: ocr.TesseractInfo
    analyzer: detect.Analyzer


@lru_cache
def default_engine() -> Engine:
    """Load the engine from the environment's settings, once per process."""
    settings = get_settings()
    return load_engine(settings)


def load_engine(settings: Settings) -> Engine:
    """Probe Tesseract and build the analyzer; either failing raises MissingDependencyError."""
    tesseract = ocr.probe_tesseract(settings.tessdata_dir)
    return Engine(settings, tesseract, detect.build_analyzer(settings.spacy_model))


@dataclass(frozen=True)
class _Checked:
    """Options resolved once per call: Tesseract language, colours, and the salt for hashing text."""

    language: str
    colors: paint.ColorScheme
    salt: bytes


def check_options(engine: Engine, options: RedactOptions) -> None:
    """Refuse options this engine cannot honour (before queueing work, e.g. an asynchronous job)."""
    _prepare(engine, options)


def _prepare(engine: Engine, options: RedactOptions | None) -> tuple[RedactOptions, _Checked]:
    """The options with an empty entity list meaning the default set, checked and resolved."""
    options = options or RedactOptions()
    options = replace(options, entities=options.entities or None)
    return options, _check_options(engine, options)


def _check_options(engine: Engine, options: RedactOptions) -> _Checked:
    if not 0.0 <= options.score_threshold <= 1.0:
        raise InvalidOptionError("score_threshold must be between 0 and 1.")
    if options.ocr_timeout is not None and not options.ocr_timeout >= 0.001:
        raise InvalidOptionError("ocr_timeout must be at least 0.001 seconds.")
    detect.check_entities(engine.analyzer, options.entities)
    anonymize.check_operator(options.text_operator, options.mask_char, options.mask_keep_last)
    language = ocr.resolve_language(options.language, engine.tesseract.languages)
    colors = paint.parse_color_scheme(options.fill_color, engine.analyzer.entity_types + (ALL_TEXT_ENTITY,))
    # A fresh salt per call: hashed values cannot be matched across requests.
    return _Checked(language, colors, os.urandom(32))


def _analyze_decoded(
    engine: Engine, decoded: formats.DecodedImage, options: RedactOptions, checked: _Checked, *, anonymized: bool
) -> AnalysisResult:
    settings = engine.settings
    timeout = options.ocr_timeout or settings.ocr_timeout
    entities: list[Entity] = []
    texts: list[str] = []
    anonymized_texts: list[str] = []
    for page_number, frame in enumerate(decoded.frames, start=1):
        words = ocr.read_words(
            ocr.prepare_for_ocr(frame),
            language=checked.language,
            timeout=timeout,
            backend=settings.ocr_backend,
            tessdata_dir=engine.tesseract.tessdata_dir,
        )
        page = geometry.build_page_text(words)
        texts.append(page.text)
        spans = detect.detect_entities(
            engine.analyzer,
            page.text,
            entities=options.entities,
            score_threshold=options.score_threshold,
            allow_list=options.allow_list,
            deny_list=options.deny_list,
        )
        spans = detect.drop_contained_spans(spans + _field_spans(page, options))
        if anonymized:
            anonymized_texts.append(
                anonymize.anonymize_text(
                    page.text,
                    spans,
                    operator=options.text_operator,
                    mask_char=options.mask_char,
                    keep_last=options.mask_keep_last,
                    salt=checked.salt,
                )
            )
        if options.redact_all_text:
            spans += _all_text_spans(page, options.allow_list)
        for span in spans:
            boxes = tuple(
                geometry.pad_and_clip(box, padding=geometry.padding_for(box), width=frame.width, height=frame.height)
                for box in geometry.span_boxes(page, span.start, span.end)
            )
            if boxes:
                color = paint.hex_color(checked.colors.for_type(span.entity_type))
                text = page.text[span.start : span.end]
                entities.append(Entity(span.entity_type, text, span.score, page_number, boxes, color))
    ocr_text = "\f".join(texts)
    return AnalysisResult(
        format=decoded.format,
        pages=tuple(PageSize(f.width, f.height) for f in decoded.frames),
        entities=tuple(entities),
        ocr_text=ocr_text,
        characters_read=sum(not c.isspace() for c in ocr_text),
        anonymized_text="\f".join(anonymized_texts) if anonymized else None,
    )


ALL_TEXT_ENTITY = "TEXT"


def _all_text_spans(page: PageText, allow_list: tuple[str, ...]) -> list[Span]:
    """Every word read, one span per word, except words inside an allowed term."""
    words = [Span(ALL_TEXT_ENTITY, start, end, 1.0) for start, end in page.spans]
    return detect.drop_allowed(page.text, words, allow_list)


def _field_spans(page: PageText, options: RedactOptions) -> list[Span]:
    """Form-field values, filtered by the same options Presidio applies to its own results."""
    spans = [
        span
        for span in fields.find_field_values(page)
        if (options.entities is None or span.entity_type in options.entities) and span.score >= options.score_threshold
    ]
    return detect.drop_allowed(page.text, spans, options.allow_list)


def _still_readable(before: AnalysisResult, after: AnalysisResult) -> tuple[Entity, ...]:
    """Entities found in the output that repeat something found (and painted) in the input."""
    found = {_normalized(e.text) for e in before.entities}
    tokens = {t for e in before.entities for t in _TOKEN.findall(e.text.lower()) if len(t) >= 4}
    return tuple(
        e for e in after.entities if _normalized(e.text) in found or tokens & set(_TOKEN.findall(e.text.lower()))
    )


_TOKEN = re.compile(r"[^\W_]+")


def _normalized(text: str) -> str:
    return " ".join(text.lower().split())


def _decode(engine: Engine, data: bytes, options: RedactOptions) -> formats.DecodedImage:
    return formats.decode_image(
        data,
        max_pixels=options.max_pixels or engine.settings.max_pixels,
        max_pages=options.max_pages or engine.settings.max_pages,
    )


def analyze(data: bytes, options: RedactOptions | None = None, *, engine: Engine | None = None) -> AnalysisResult:
    """Find PII in an image: entities with their pixel boxes, and the OCR text."""
    engine = engine or default_engine()
    options, checked = _prepare(engine, options)
    return _analyze_decoded(engine, _decode(engine, data, options), options, checked, anonymized=True)


def redact(data: bytes, options: RedactOptions | None = None, *, engine: Engine | None = None) -> RedactionResult:
    """Paint out PII and return the image in its own format; any page failing fails the whole call."""
    engine = engine or default_engine()
    options, checked = _prepare(engine, options)
    decoded = _decode(engine, data, options)
    analysis = _analyze_decoded(engine, decoded, options, checked, anonymized=options.anonymize_text)
    frames: list[Image.Image] = []
    for page_number, frame in enumerate(decoded.frames, start=1):
        regions = [
            (box, checked.colors.for_type(e.entity_type))
            for e in analysis.entities
            if e.page == page_number
            for box in e.boxes
        ]
        frames.append(paint.paint_regions(frame, regions))
    output = formats.encode_image(decoded, frames)
    verification = None
    if options.verify:
        again = _analyze_decoded(engine, _decode(engine, output, options), options, checked, anonymized=False)
        verification = Verification(_still_readable(analysis, again))
    return RedactionResult(
        data=output,
        format=decoded.format,
        mime_type=formats.MIME_TYPES[decoded.format],
        analysis=analysis,
        regions=sum(len(e.boxes) for e in analysis.entities),
        verification=verification,
    )
