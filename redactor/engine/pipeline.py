"""The core: decode, then per page OCR, text geometry, detection and painting, then encode."""

from __future__ import annotations

import contextlib
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol, TypeVar

import numpy as np
from PIL import Image

from redactor.engine import anonymize, detect, fields, formats, geometry, manual, masking, ocr, paint
from redactor.engine.config import EngineSettings, get_engine_settings
from redactor.engine.models import (
    AnalysisResult,
    Entity,
    PageSize,
    PageText,
    RedactionResult,
    RedactOptions,
    Span,
    Verification,
    VisualObject,
    Word,
)
from redactor.errors import InvalidOptionError, MissingDependencyError

T = TypeVar("T")


class ObjectDetector(Protocol):
    """A stage that finds faces, people or plates; the core knows it only through this interface.

    ``redactor.engine.visual`` implements it; an edge (API, CLI, job worker) attaches it to the engine.
    """

    def check(self, options: RedactOptions) -> None:
        """Refuse, before any work, what cannot be detected (a model that is not installed)."""

    def detect(self, image: Image.Image, options: RedactOptions, page: int) -> tuple[VisualObject, ...]:
        """The objects ``options`` asks for in one page."""


@dataclass(frozen=True)
class Engine:
    """What the pipeline needs loaded once: settings, Tesseract's probe, the analyzer, optional visual stage."""

    settings: EngineSettings
    tesseract: ocr.TesseractInfo
    analyzer: detect.Analyzer
    objects: ObjectDetector | None = None


@lru_cache
def default_engine() -> Engine:
    """Load the engine from the environment's settings, once per process."""
    settings = get_engine_settings()
    return load_engine(settings)


def load_engine(settings: EngineSettings) -> Engine:
    """Probe Tesseract, build the analyzer and attach the visual stage (its models load on first use).

    Tesseract or the spaCy model missing raises MissingDependencyError.
    """
    from redactor.engine.visual import VisualStage  # OpenCV is imported when an engine is built, not with the core

    tesseract = ocr.probe_tesseract(settings.tessdata_dir)
    if settings.ocr_second_opinion != "off":
        ocr.probe_second_opinion()
    return Engine(settings, tesseract, detect.build_analyzer(settings.spacy_model), VisualStage())


@dataclass(frozen=True)
class _Checked:
    """Options resolved once per call: Tesseract language, colours, and the salt for hashing text."""

    language: str
    colors: paint.ColorScheme
    salt: bytes
    style: masking.MaskStyle


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
    colors = paint.parse_color_scheme(options.fill_color, engine.analyzer.entity_types + _OTHER_TYPES)
    style = masking.style_of(options)
    if _wants_objects(options):
        if engine.objects is None:
            raise MissingDependencyError("Faces, people and plates need the visual stage: see redactor.engine.visual.")
        engine.objects.check(options)  # e.g. the plate model's extra: refuse before any work
    # A fresh salt per call: hashed values cannot be matched across requests.
    return _Checked(language, colors, os.urandom(32), style)


# Types that are not Presidio's: every word (redact_all_text) and the visual classes.
_OTHER_TYPES = ("TEXT", "FACE", "LICENSE_PLATE")


def _wants_objects(options: RedactOptions) -> bool:
    return options.faces or options.humans or options.license_plates


def _detect_objects(engine: Engine, frame: Image.Image, options: RedactOptions, page: int) -> tuple[VisualObject, ...]:
    if engine.objects is None or not _wants_objects(options):
        return ()
    return engine.objects.detect(frame, options, page)


@dataclass(frozen=True)
class _PageFindings:
    """What one page gave: its size, text, entities and objects (and the text anonymized, when asked)."""

    size: PageSize
    text: str
    entities: tuple[Entity, ...]
    objects: tuple[VisualObject, ...]
    anonymized_text: str | None


def _analyze_page(
    engine: Engine, page: formats.Page, options: RedactOptions, checked: _Checked, *, anonymized: bool
) -> _PageFindings:
    """Read one page (its own exact text, or OCR), detect, and map every span to pixel boxes."""
    frame = page.image
    words: tuple[Word, ...] | list[Word] | None = page.words
    grey = None  # the page OCR read, whose ink the boxes of its words are grown over
    if words is None:
        prepared = ocr.prepare_for_ocr(frame)
        grey = np.asarray(prepared)
        words = ocr.read_words(
            prepared,
            language=checked.language,
            timeout=options.ocr_timeout or engine.settings.ocr_timeout,
            backend=engine.settings.ocr_backend,
            tessdata_dir=engine.tesseract.tessdata_dir,
            second_opinion=engine.settings.ocr_second_opinion,
        )
    text = geometry.build_page_text(words)
    objects = tuple(
        replace(o, color=paint.hex_color(checked.colors.for_type(o.entity_type)))
        for o in _detect_objects(engine, frame, options, page.number)
    )
    spans = detect.detect_entities(
        engine.analyzer,
        text.text,
        entities=options.entities,
        score_threshold=options.score_threshold,
        allow_list=options.allow_list,
        deny_list=options.deny_list,
        found_elsewhere=fields.find_field_values(text),
    )
    anonymized_text = None
    if anonymized:
        anonymized_text = anonymize.anonymize_text(
            text.text,
            spans,
            operator=options.text_operator,
            mask_char=options.mask_char,
            keep_last=options.mask_keep_last,
            salt=checked.salt,
        )
    if options.redact_all_text:
        spans += _all_text_spans(text, options.allow_list)
    entities: list[Entity] = []
    gap, height = geometry.word_gap(text.words), geometry.line_height(text.words)
    for span in spans:
        boxes = tuple(
            geometry.pad_and_clip(box, padding=geometry.padding_for(box), width=frame.width, height=frame.height)
            for box in (
                piece.box
                if grey is None
                else geometry.grow_to_ink(piece, grey, word_gap=gap, words=text.words, line_height=height)
                for piece in geometry.span_pieces(text, span.start, span.end)
            )
        )
        if boxes:
            color = paint.hex_color(checked.colors.for_type(span.entity_type))
            entities.append(
                Entity(
                    span.entity_type,
                    text.text[span.start : span.end],
                    span.score,
                    page.number,
                    boxes,
                    color,
                    span.source,
                )
            )
    return _PageFindings(PageSize(frame.width, frame.height), text.text, tuple(entities), objects, anonymized_text)


def _combine(document: formats.Document, pages: list[_PageFindings], *, anonymized: bool) -> AnalysisResult:
    ocr_text = "\f".join(p.text for p in pages)
    return AnalysisResult(
        format=document.format,
        pages=tuple(p.size for p in pages),
        entities=tuple(e for p in pages for e in p.entities),
        ocr_text=ocr_text,
        characters_read=sum(not c.isspace() for c in ocr_text),
        anonymized_text="\f".join(p.anonymized_text or "" for p in pages) if anonymized else None,
        objects=tuple(o for p in pages for o in p.objects),
        dpi=document.dpi,
    )


def _threads(engine: Engine, document: formats.Document) -> int:
    """Page threads for a document: a one-page file is read in the calling thread, whose Tesseract is loaded."""
    return min(engine.settings.page_threads, document.page_count)


def _in_order(work: Callable[[formats.Page], T], pages: Iterator[formats.Page], threads: int) -> Iterator[T]:
    """``work`` on every page, ``threads`` pages at a time (OCR releases the GIL), results in page order.

    At most ``threads`` pages are in flight, so a long PDF never has more than that many page
    images in memory; the first failure is raised and the pages not started are dropped.
    """
    if threads <= 1:
        yield from map(work, pages)
        return
    pool = ThreadPoolExecutor(threads, thread_name_prefix="redactor-page")
    try:
        running: deque[Future[T]] = deque()
        for page in pages:
            running.append(pool.submit(work, page))
            if len(running) >= threads:
                yield running.popleft().result()
        while running:
            yield running.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _analyze_data(
    engine: Engine, data: bytes, options: RedactOptions, checked: _Checked, *, anonymized: bool
) -> AnalysisResult:
    def work(page: formats.Page) -> _PageFindings:
        return _analyze_page(engine, page, options, checked, anonymized=anonymized)

    with _open(engine, data, options) as document:
        pages = list(_in_order(work, document.pages(), _threads(engine, document)))
    return _combine(document, pages, anonymized=anonymized)


ALL_TEXT_ENTITY = "TEXT"


def _all_text_spans(page: PageText, allow_list: tuple[str, ...]) -> list[Span]:
    """Every word read, one span per word, except words inside an allowed term."""
    words = [Span(ALL_TEXT_ENTITY, start, end, 1.0, "redact_all_text") for start, end in page.spans]
    return detect.drop_allowed(page.text, words, allow_list)


def _hide(frame: Image.Image, found: _PageFindings, checked: _Checked) -> Image.Image:
    """Every region of one page hidden in its type's colour: text lines first, then faces, people and plates."""
    colors = checked.colors
    regions: list[tuple[masking.Maskable, paint.Rgb]] = [
        (region, colors.for_type(e.entity_type))
        for e in found.entities
        for region in masking.regions_from_boxes(e.boxes)
    ]
    regions += [(o, colors.for_type(o.entity_type)) for o in found.objects]
    return masking.hide_regions(frame, regions, checked.style)


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


def input_limits(settings: EngineSettings, options: RedactOptions) -> formats.InputLimits:
    """Pages and pixels the call allows (the options', else the settings'), and how PDFs are rendered."""
    return formats.InputLimits(
        max_pixels=options.max_pixels or settings.max_pixels,
        max_pages=options.max_pages or settings.max_pages,
        pdf_dpi=settings.pdf_dpi,
        pdf_timeout=settings.pdf_timeout,
    )


def _open(engine: Engine, data: bytes, options: RedactOptions) -> contextlib.AbstractContextManager[formats.Document]:
    return formats.open_document(data, input_limits(engine.settings, options))


def analyze(data: bytes, options: RedactOptions | None = None, *, engine: Engine | None = None) -> AnalysisResult:
    """Find PII in an image or PDF: entities with their pixel boxes, and the text read."""
    engine = engine or default_engine()
    options, checked = _prepare(engine, options)
    return _analyze_data(engine, data, options, checked, anonymized=True)


def redact(
    data: bytes,
    options: RedactOptions | None = None,
    *,
    engine: Engine | None = None,
    regions: tuple[manual.Region, ...] | None = None,
) -> RedactionResult:
    """Paint out PII and return the file in its own format; any page failing fails the whole call.

    A PDF comes back as a new PDF whose pages are the painted page images only. With ``regions``
    (rectangles a person approved), exactly those are hidden, in ``options``' one colour and style:
    nothing is read or detected.
    """
    engine = engine or default_engine()
    if regions is not None:
        options = options or RedactOptions()
        with _open(engine, data, options) as document:
            return manual.paint_regions(
                document,
                regions,
                fill_color=options.fill_color if isinstance(options.fill_color, str) else "black",
                style=masking.style_of(options),
            )
    options, checked = _prepare(engine, options)
    found: list[_PageFindings] = []

    def work(page: formats.Page) -> tuple[_PageFindings, Image.Image]:
        findings = _analyze_page(engine, page, options, checked, anonymized=options.anonymize_text)
        return findings, _hide(page.image, findings, checked)

    def hidden_pages(document: formats.Document) -> Iterator[Image.Image]:
        for findings, hidden in _in_order(work, document.pages(), _threads(engine, document)):
            found.append(findings)
            yield hidden

    with _open(engine, data, options) as document:
        output = document.encode(hidden_pages(document))
    analysis = _combine(document, found, anonymized=options.anonymize_text)
    verification = None
    if options.verify:
        again = _analyze_data(engine, output, options, checked, anonymized=False)
        verification = Verification(_still_readable(analysis, again), again.objects)
    return RedactionResult(
        data=output,
        format=document.format,
        mime_type=formats.MIME_TYPES[document.format],
        analysis=analysis,
        regions=sum(len(e.boxes) for e in analysis.entities) + len(analysis.objects),
        verification=verification,
    )
