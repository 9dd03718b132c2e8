"""PDF stage: refuse PDF bombs, render pages to images with their own text, write image-only PDFs back.

Reading goes through PDFium (pypdfium2, BSD-3-Clause/Apache-2.0) in a child process of its own
(``_pdfium_worker.py``), bounded in memory and time: this process never loads PDFium, so a hostile
file can neither hang nor crash the service, and threads here may read several PDFs at once.
Writing needs no PDF library at all: ``write_image_pdf`` writes a new file from the page images
alone, so nothing of the original document (text, annotations, forms, attachments, scripts,
outlines, metadata) can survive into it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
import unicodedata
import weakref
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from redactor.errors import (
    CorruptImageError,
    ImageTooLargeError,
    InputError,
    MissingDependencyError,
    UnsupportedFormatError,
)

DEFAULT_DPI = 200
"""Render resolution. Measured (scripts/bench_pdf.py): Tesseract reads 5-7 pt names, numbers and e-mails as
well at 200 dpi as at 300 (95% of tokens on scans; 150 dpi loses 4-6 points), 10 pt text OCRs 22% faster
than at 300, pages render 40% faster, take 35% less memory and are written 40% smaller."""

MAX_PAGE_POINTS = 14_400.0
"""Largest page side accepted, in points (200 in): the PDF specification's own implementation limit."""

MIN_PAGE_POINTS = 1.0
DEFAULT_TIMEOUT = 30.0
"""Seconds one request to the reader may take (open, sizes, parsing or rendering one page)."""

JPEG_QUALITY = 85
Encoding = Literal["jpeg", "flate", "bilevel"]

_WORKER = Path(__file__).with_name("_pdfium_worker.py")
_FLAG_GENERATED = 1
_FLAG_INVISIBLE = 2
_FLAG_TRANSPARENT = 4
_FLAG_UNMAPPED = 8
_MAX_HEADER_BYTES = 64 * 2**20
_WORKER_BASE_MB = 512
_ANALYSIS_DPI = 100
_INK_CONTRAST = 40
_INK_MARGIN = 2
_LINE_BAND_POINTS = 2.5  # a rule's or a rectangle's stroke, and its bounds' allowance for it


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class PdfLimits:
    """What a caller allows one PDF to cost; everything is checked before any page is rendered.

    Attributes:
        max_pages: Most pages accepted.
        max_pixels: Most pixels one page may have once rendered at ``dpi``.
        dpi: Render resolution.
        timeout: Seconds allowed for each request to the reader (open, one page parsed or rendered).
        memory_mb: Address-space limit of the reader process; by default enough for ``max_pixels``.

    """

    max_pages: int
    max_pixels: int
    dpi: float = DEFAULT_DPI
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int | None = None

    def __post_init__(self) -> None:
        if self.max_pages < 1 or self.max_pixels < 1:
            raise ValueError("max_pages and max_pixels must be positive")
        if not 18 <= self.dpi <= 1200:
            raise ValueError("dpi must be between 18 and 1200")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")

    @property
    def worker_memory_mb(self) -> int:
        """Address space of the reader: a base plus room for one page bitmap and its copies."""
        if self.memory_mb is not None:
            return self.memory_mb
        return _WORKER_BASE_MB + math.ceil(self.max_pixels * 16 / 2**20)


@dataclass(frozen=True)
class PageSize:
    """A page as a viewer shows it (crop box, rotation applied), in points (1/72 in)."""

    width: float
    height: float

    def pixels(self, dpi: float) -> tuple[int, int]:
        """Width and height in pixels once rendered at ``dpi`` (as PDFium rounds them)."""
        return max(1, round(self.width * dpi / 72)), max(1, round(self.height * dpi / 72))


@dataclass(frozen=True)
class PdfInfo:
    """What inspection found: one size per page, and whether the file was encrypted without a password."""

    pages: tuple[PageSize, ...]
    encrypted: bool

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass(frozen=True)
class PixelBox:
    """Axis-aligned pixel rectangle on the rendered page; ``x1`` and ``y1`` are exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def union(self, other: PixelBox) -> PixelBox:
        return PixelBox(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))


@dataclass(frozen=True)
class PdfChar:
    """One character of the page's text layer, as PDFium reports it.

    Attributes:
        text: The character (after the font's Unicode map).
        box: Its pixel box at the render dpi (the font's full height, not only the ink).
        generated: PDFium added it (a space or line break between text runs).
        invisible: Drawn in render mode 3 or 7, or with a fully transparent fill: on the page but not seen.
        unmapped: The font has no reliable Unicode for this glyph.

    """

    text: str
    box: PixelBox
    generated: bool = False
    invisible: bool = False
    unmapped: bool = False


@dataclass(frozen=True)
class PdfWord:
    """A word of the page's own text: characters between spaces, with the union of their boxes.

    ``line`` numbers the page's lines in content order; words of one line share it (map it to
    ``models.Word.line_key`` as ``(0, 0, line)``).
    """

    text: str
    box: PixelBox
    line: int


@dataclass(frozen=True)
class PageObjects:
    """Drawing objects of a page other than text, in pixels at the render dpi.

    Attributes:
        images: Boxes of images (or of forms holding images).
        rects: Single axis-aligned rectangles (cell borders, shading, bars).
        rules: Thin straight lines.
        others: How many other visible paths or shadings (curves, glyph outlines, logos) there are.
        annotations: Annotations other than links and popups (stamps, form fields, free text).
        truncated: The page had too many objects or forms too deep to list them all.

    """

    images: tuple[PixelBox, ...] = ()
    rects: tuple[PixelBox, ...] = ()
    rules: tuple[PixelBox, ...] = ()
    others: int = 0
    annotations: int = 0
    truncated: bool = False


@dataclass(frozen=True)
class TextLayer:
    """A page's own text and whether it can replace OCR.

    Attributes:
        words: The words, in content order, with pixel boxes at the render dpi.
        trusted: True only when the text layer accounts for everything visible on the page.
        reasons: Why it is not trusted (empty when it is): ``no_text``, ``invisible_text``,
            ``unmapped_text``, ``text_off_page``, ``images``, ``annotations``, ``truncated``, ``unexplained_ink``.

    """

    words: tuple[PdfWord, ...]
    trusted: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PdfPage:
    """One rendered page: the image to OCR and paint, and its own text."""

    index: int
    size: PageSize
    dpi: float
    image: Image.Image
    text: TextLayer


@dataclass(frozen=True)
class OutputPage:
    """A page to write: its (redacted) image and the page size, in points, it must fill."""

    image: Image.Image
    size: PageSize


# --------------------------------------------------------------------------- sniffing


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF: ``%PDF-`` within the first 1024 bytes, as readers accept it."""
    return b"%PDF-" in data[:1024]


# --------------------------------------------------------------------------- reading


class PdfReader:
    """An inspected PDF whose pages can be rendered one at a time; owns the reader process.

    Made by ``open_pdf``; use it in a ``with`` block (or call ``close``). Requests are serialised,
    so one reader may be shared by threads, and readers in different threads run in parallel.
    """

    def __init__(self, worker: _WorkerProcess, info: PdfInfo, limits: PdfLimits) -> None:
        self._worker = worker
        self.info = info
        self.limits = limits

    def __enter__(self) -> PdfReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the reader process; the reader cannot be used afterwards."""
        self._worker.close()

    def page(self, index: int) -> PdfPage:
        """Render page ``index`` (from 0) at the limits' dpi, with its text layer judged.

        Raises:
            ImageTooLargeError: The page needs more time or memory than the limits allow.
            CorruptImageError: The page cannot be read.

        """
        if not 0 <= index < self.info.page_count:
            raise IndexError(index)
        dpi = self.limits.dpi
        header, pixels = self._worker.request({"op": "render", "page": index, "dpi": dpi}, page=index)
        size = self.info.pages[index]
        image = _image_from_reply(header, pixels, size.pixels(dpi), index)
        chars = _chars_from_reply(header.get("chars"))
        objects = _objects_from_reply(header.get("objects"), header.get("annotations"))
        return PdfPage(index, size, dpi, image, judge_text_layer(chars, objects, image, dpi=dpi))

    def pages(self) -> Iterator[PdfPage]:
        """Every page in order, rendered only when asked for, so one page at a time is in memory."""
        for index in range(self.info.page_count):
            yield self.page(index)


def open_pdf(data: bytes, limits: PdfLimits) -> PdfReader:
    """Inspect a PDF and refuse it before any page is rendered if it breaks a limit.

    Checks, in order: the bytes are a PDF; it opens without a password; the page count; every
    page's size (absurd sizes, and pixels at ``limits.dpi``); every page's content parses within
    the time and memory limits (a content bomb is found here, not while rendering).

    Args:
        data: The file's bytes.
        limits: Pages, pixels, dpi, time and memory allowed.

    Returns:
        A reader; close it when done.

    Raises:
        UnsupportedFormatError: Not a PDF.
        InputError: Password-protected.
        CorruptImageError: Truncated, corrupt, no pages, or a page without a valid size.
        ImageTooLargeError: Too many pages, a page too large, or pages too complex to read within the limits
            (inspection as a whole gets ``limits.timeout``: parsing a sound page takes milliseconds).
        MissingDependencyError: The reader process cannot start.

    """
    if not is_pdf(data):
        raise UnsupportedFormatError("The file is not a PDF.")
    worker = _WorkerProcess(limits)
    try:
        info = _inspect(worker, data, limits)
    except BaseException:
        worker.close()
        raise
    return PdfReader(worker, info, limits)


def inspect_pdf(data: bytes, limits: PdfLimits) -> PdfInfo:
    """Run ``open_pdf``'s checks and return page count and sizes (e.g. to charge or queue by pages)."""
    with open_pdf(data, limits) as reader:
        return reader.info


def _inspect(worker: _WorkerProcess, data: bytes, limits: PdfLimits) -> PdfInfo:
    deadline = time.monotonic() + limits.timeout
    opened, _ = worker.request({"op": "open"}, payload=data, deadline=deadline)
    error = opened.get("error")
    if error in ("password", "security"):
        raise InputError("The PDF is password-protected or uses unsupported encryption; send it without a password.")
    if error is not None:
        raise CorruptImageError("The PDF is truncated or corrupt.")
    count = _int_field(opened, "pages")
    if count < 1:
        raise CorruptImageError("The PDF has no pages.")
    if count > limits.max_pages:
        raise ImageTooLargeError(f"The PDF has {count} pages; the limit is {limits.max_pages}.")
    reply, _ = worker.request({"op": "sizes"}, deadline=deadline)
    if reply.get("error") is not None:
        raise CorruptImageError(f"Page {_int_field(reply, 'page') + 1} of the PDF has no valid size.")
    raw_sizes = reply.get("sizes")
    if not isinstance(raw_sizes, list) or len(raw_sizes) != count:
        raise CorruptImageError("The PDF's pages could not be read.")
    sizes = tuple(_page_size(item, number, limits) for number, item in enumerate(raw_sizes, 1))
    for index in range(count):
        parsed, _ = worker.request({"op": "parse", "page": index}, page=index, deadline=deadline)
        if parsed.get("error") is not None:
            raise CorruptImageError(f"Page {index + 1} of the PDF is corrupt.")
    return PdfInfo(sizes, bool(opened.get("encrypted")))


def _page_size(item: Any, number: int, limits: PdfLimits) -> PageSize:
    if not (isinstance(item, list) and len(item) == 2 and all(isinstance(v, int | float) for v in item)):
        raise CorruptImageError(f"Page {number} of the PDF has no valid size.")
    width, height = float(item[0]), float(item[1])
    if not (math.isfinite(width) and math.isfinite(height)) or min(width, height) < MIN_PAGE_POINTS:
        raise CorruptImageError(f"Page {number} of the PDF has no valid size.")
    if max(width, height) > MAX_PAGE_POINTS:
        raise ImageTooLargeError(
            f"Page {number} of the PDF is {width / 72:.0f} x {height / 72:.0f} in; "
            f"the largest page accepted is {MAX_PAGE_POINTS / 72:.0f} in a side."
        )
    size = PageSize(width, height)
    columns, rows = size.pixels(limits.dpi)
    if columns * rows > limits.max_pixels:
        raise ImageTooLargeError(
            f"Page {number} of the PDF would be {columns} x {rows} pixels at {limits.dpi:g} dpi; "
            f"the limit is {limits.max_pixels} pixels."
        )
    return size


def _int_field(reply: dict[str, Any], key: str) -> int:
    value = reply.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CorruptImageError("The PDF could not be read.")
    return value


def _image_from_reply(header: dict[str, Any], pixels: bytes, expected: tuple[int, int], index: int) -> Image.Image:
    width, height, mode = header.get("width"), header.get("height"), header.get("mode")
    channels = {"L": 1, "RGB": 3}.get(mode) if isinstance(mode, str) else None
    if (
        channels is None
        or not isinstance(width, int)
        or not isinstance(height, int)
        or abs(width - expected[0]) > 1
        or abs(height - expected[1]) > 1
        or len(pixels) != width * height * channels
    ):
        raise CorruptImageError(f"Page {index + 1} of the PDF could not be rendered.")
    return Image.frombytes(str(mode), (width, height), pixels)


def _box(values: Any) -> PixelBox | None:
    if not (isinstance(values, list) and len(values) == 4 and all(isinstance(v, int) for v in values)):
        return None
    x0, y0, x1, y1 = values
    return PixelBox(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _chars_from_reply(items: Any) -> tuple[PdfChar, ...]:
    if not isinstance(items, list):
        raise CorruptImageError("The PDF's text could not be read.")
    chars: list[PdfChar] = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 6 and isinstance(item[0], str) and len(item[0]) == 1):
            raise CorruptImageError("The PDF's text could not be read.")
        if not isinstance(item[5], int):
            raise CorruptImageError("The PDF's text could not be read.")
        box = _box(item[1:5])
        if box is None:
            raise CorruptImageError("The PDF's text could not be read.")
        flags = item[5]
        chars.append(
            PdfChar(
                item[0],
                box,
                generated=bool(flags & _FLAG_GENERATED),
                invisible=bool(flags & (_FLAG_INVISIBLE | _FLAG_TRANSPARENT)),
                unmapped=bool(flags & _FLAG_UNMAPPED),
            )
        )
    return tuple(chars)


def _objects_from_reply(found: Any, annotations: Any) -> PageObjects:
    if not isinstance(found, dict) or not isinstance(annotations, int):
        raise CorruptImageError("The PDF's page could not be read.")

    def boxes(key: str) -> tuple[PixelBox, ...]:
        items = found.get(key)
        if not isinstance(items, list):
            raise CorruptImageError("The PDF's page could not be read.")
        parsed = [_box(item) for item in items]
        if any(box is None for box in parsed):
            raise CorruptImageError("The PDF's page could not be read.")
        return tuple(box for box in parsed if box is not None)

    others = found.get("others")
    return PageObjects(
        images=boxes("images"),
        rects=boxes("rects"),
        rules=boxes("rules"),
        others=others if isinstance(others, int) else 1,
        annotations=annotations,
        truncated=bool(found.get("truncated")),
    )


# --------------------------------------------------------------------------- text layer


def group_words(chars: Iterable[PdfChar]) -> tuple[PdfWord, ...]:
    """Group characters into words and lines.

    A word ends at a space, a line break or a gap wider than half the text height; a line ends at a
    line break or where the next character no longer lines up with the previous one (in either
    direction, so rotated and vertical text group too).
    Ligatures and compatibility forms are normalised (NFKC), so ``ﬁ`` reads ``fi``.

    Args:
        chars: The page's characters in content order.

    Returns:
        The words in content order.

    """
    words: list[PdfWord] = []
    text: list[str] = []
    box: PixelBox | None = None
    last: PixelBox | None = None
    line = 0
    new_line = False

    def flush() -> None:
        nonlocal text, box
        word = unicodedata.normalize("NFKC", "".join(text)).strip()
        if word and box is not None:
            words.append(PdfWord(word, box, line))
        text, box = [], None

    for char in chars:
        if char.text in "\r\n":
            flush()
            new_line = True
            continue
        if char.text.isspace():
            flush()
            continue
        if char.box.width <= 0 or char.box.height <= 0:
            continue
        flow = _flow(last, char.box) if last is not None else "apart"
        if last is not None and flow == "apart":
            flush()
            new_line = True
        elif flow == "gap":
            flush()
        if new_line and words and words[-1].line == line:
            line += 1
        new_line = False
        text.append(char.text)
        box = char.box if box is None else box.union(char.box)
        last = char.box
    flush()
    return tuple(words)


def _flow(last: PixelBox, box: PixelBox) -> Literal["next", "gap", "apart"]:
    """How a character follows the previous one: ``next`` in the same word, after a ``gap``, or ``apart`` (new line).

    Text runs left to right or right to left (boxes overlapping vertically) or, on a rotated page
    or in vertical text, top to bottom or bottom to top (boxes overlapping horizontally).
    """
    vertical = min(last.y1, box.y1) - max(last.y0, box.y0)
    horizontal = min(last.x1, box.x1) - max(last.x0, box.x0)
    if vertical >= min(last.height, box.height) / 2:
        gap = max(box.x0 - last.x1, last.x0 - box.x1)
        return "gap" if gap > max(last.height, box.height) / 2 else "next"
    if horizontal >= min(last.width, box.width) / 2:
        gap = max(box.y0 - last.y1, last.y0 - box.y1)
        return "gap" if gap > max(last.width, box.width) / 2 else "next"
    return "apart"


def judge_text_layer(chars: tuple[PdfChar, ...], objects: PageObjects, image: Image.Image, *, dpi: float) -> TextLayer:
    """Decide whether a page's own text can stand in for OCR; when unsure, it cannot.

    The text layer is trusted only when it plausibly accounts for everything a reader sees:
    there is text; none of it is invisible (a scan's hidden OCR layer, white-on-transparent
    tricks) or without a reliable Unicode map; it lies on the page; there is no image that could
    hold text, no annotation or form field drawing its own text, no object list cut short; and the
    rendered page has no ink that neither a character nor a plain rule or rectangle explains
    (text drawn as outlines, a shaded logo, a signature).

    Args:
        chars: The page's characters, boxes in pixels of ``image``.
        objects: The page's other drawing objects, in the same pixels.
        image: The rendered page.
        dpi: The resolution ``image`` was rendered at.

    Returns:
        The words, and the verdict with its reasons.

    """
    width, height = image.size
    visible = [c for c in chars if not c.generated and not c.text.isspace()]
    reasons: list[str] = []
    if not visible:
        reasons.append("no_text")
    if any(c.invisible for c in visible):
        reasons.append("invisible_text")
    if any(c.unmapped or _suspicious_char(c.text) for c in visible):
        reasons.append("unmapped_text")
    on_page = [c for c in chars if c.box.x1 > 0 and c.box.y1 > 0 and c.box.x0 < width and c.box.y0 < height]
    off_page = sum(1 for c in visible if not (c.box.x1 > 0 and c.box.y1 > 0 and c.box.x0 < width and c.box.y0 < height))
    if off_page > 0.05 * len(visible):
        reasons.append("text_off_page")
    page_area = width * height
    if any(_could_hold_text(box, page_area, dpi) for box in objects.images):
        reasons.append("images")
    if objects.annotations:
        reasons.append("annotations")
    if objects.truncated:
        reasons.append("truncated")
    words = group_words(on_page)
    if not reasons and unexplained_ink(image, words, objects, dpi=dpi) > _ink_budget(dpi):
        reasons.append("unexplained_ink")
    return TextLayer(words, not reasons, tuple(reasons))


def _suspicious_char(text: str) -> bool:
    """U+FFFD, private-use and control characters: what a font without a proper Unicode map yields."""
    code = ord(text)
    return (
        text in "\ufffd\ufffe\uffff"
        or 0xE000 <= code <= 0xF8FF
        or code >= 0xF0000
        or (code < 0x20 and text not in "\t\r\n")
    )


def _could_hold_text(box: PixelBox, page_area: int, dpi: float) -> bool:
    """An image big enough to hold a word: over 0.1% of the page and 8 pt in both directions."""
    minimum = 8 * dpi / 72
    return box.width * box.height > 0.001 * page_area and box.width >= minimum and box.height >= minimum


def _ink_budget(dpi: float) -> int:
    """Unexplained contrast pixels tolerated: a few stray anti-aliased pixels, less than one small glyph."""
    scale = dpi / _reduction(dpi) / _ANALYSIS_DPI
    return max(4, round(24 * scale * scale))


def _reduction(dpi: float) -> int:
    return max(1, round(dpi / _ANALYSIS_DPI))


def unexplained_ink(image: Image.Image, words: Iterable[PdfWord], objects: PageObjects, *, dpi: float) -> int:
    """Count contrast pixels (at about 100 dpi) that no word, rule or rectangle edge accounts for.

    "Ink" is local contrast, not darkness: a pixel that differs from its eight neighbours by more
    than 40 grey levels in all (a 3x3 Laplacian). Flat fills of any colour are not ink, their edges
    are; so shaded cells and coloured bars are fine while text drawn as outlines on them is not.

    Args:
        image: The rendered page.
        words: Words whose boxes explain the ink under them.
        objects: Rules and rectangles whose lines explain the ink along them.
        dpi: The resolution ``image`` was rendered at.

    Returns:
        The number of unexplained ink pixels at the analysis resolution.

    """
    factor = _reduction(dpi)
    grey = image.convert("L")
    if factor > 1:
        grey = grey.reduce(factor)
    ink = grey.filter(ImageFilter.FIND_EDGES).point(lambda v: 255 if v > _INK_CONTRAST else 0)
    draw = ImageDraw.Draw(ink)
    draw.rectangle((0, 0, ink.width - 1, ink.height - 1), outline=0)  # the filter copies the border pixels

    def clear(box: PixelBox, pad: int) -> None:
        draw.rectangle(
            (box.x0 // factor - pad, box.y0 // factor - pad, -(-box.x1 // factor) + pad, -(-box.y1 // factor) + pad),
            fill=0,
        )

    for word in words:
        clear(word.box, _INK_MARGIN + word.box.height // factor // 8)
    line_band = _INK_MARGIN + math.ceil(_LINE_BAND_POINTS * dpi / 72 / factor)
    for rule in objects.rules:
        clear(rule, line_band)
    for rect in objects.rects:
        for edge in _edges(rect):
            clear(edge, line_band)
    return ink.histogram()[255]


def _edges(box: PixelBox) -> tuple[PixelBox, ...]:
    return (
        PixelBox(box.x0, box.y0, box.x1, box.y0),
        PixelBox(box.x0, box.y1, box.x1, box.y1),
        PixelBox(box.x0, box.y0, box.x0, box.y1),
        PixelBox(box.x1, box.y0, box.x1, box.y1),
    )


# --------------------------------------------------------------------------- writing


def choose_encoding(image: Image.Image) -> Encoding:
    """Pick a page image's encoding: lossless for flat, rendered pages, JPEG for photo-like ones.

    Only black and white is ``bilevel`` (1 bit per pixel, Flate). A page where one exact grey
    level covers at least half of the pixels (the paper of a rendered born-digital page, a
    cleaned scan) is ``flate``: lossless, no ringing around letters, and smaller than JPEG there.
    Anything else (a scan's noisy paper, photographs) is ``jpeg``.
    """
    grey = image.convert("L") if image.mode != "L" else image
    histogram = grey.histogram()
    if image.mode == "1" or not any(histogram[1:255]):
        return "bilevel"
    return "flate" if max(histogram) >= 0.5 * sum(histogram) else "jpeg"


def write_image_pdf(pages: Iterable[OutputPage], *, jpeg_quality: int = JPEG_QUALITY) -> bytes:
    """Write a new PDF whose pages are images only, each filling a page of the given size.

    Nothing but a catalog, a page tree, pages, one content stream and one image per page is
    written: no text, fonts, annotations, forms, attachments, scripts, outlines, Info or XMP.
    Pages are encoded one at a time, so only one page image needs to be in memory.

    Args:
        pages: The page images and sizes, in order.
        jpeg_quality: Quality of the pages encoded as JPEG.

    Returns:
        The PDF's bytes.

    """
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def write_object(number: int, body: bytes, stream: bytes | None = None) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body)
        if stream is not None:
            out.write(b"\nstream\n" + stream + b"\nendstream")
        out.write(b"\nendobj\n")

    kids: list[int] = []
    number = 3
    for page in pages:
        image_dict, image_data = _encode_image(page.image, jpeg_quality)
        width, height = _number(page.size.width), _number(page.size.height)
        content = b"q " + width + b" 0 0 " + height + b" 0 0 cm /Im0 Do Q"
        page_number, content_number, image_number = number, number + 1, number + 2
        write_object(
            page_number,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + width + b" " + height + b"] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (image_number, content_number),
        )
        write_object(content_number, b"<< /Length %d >>" % len(content), content)
        write_object(image_number, image_dict + b" /Length %d >>" % len(image_data), image_data)
        kids.append(page_number)
        number += 3
    if not kids:
        raise ValueError("a PDF needs at least one page")
    write_object(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    write_object(2, b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids))
    digest = hashlib.sha256(out.getvalue()).hexdigest()[:32].encode()
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % number)
    for object_number in range(1, number):
        out.write(b"%010d 00000 n \n" % offsets[object_number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\n" % (number, digest, digest))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _number(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.encode()


def _flat_image(image: Image.Image) -> Image.Image:
    """The image as 1, L or RGB: alpha composited on white, palettes and CMYK converted, grey RGB as L."""
    if image.mode == "RGB":
        red, green, blue = image.split()
        neutral = (
            ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(green, blue).getbbox() is None
        )
        return red if neutral else image
    if image.mode in ("1", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode.startswith("I;16"):
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode in ("I", "F"):
        return image.convert("L")
    return image.convert("RGB")


def _encode_image(image: Image.Image, jpeg_quality: int) -> tuple[bytes, bytes]:
    """An image XObject's dictionary (without ``/Length`` and the closing ``>>``) and its data."""
    flat = _flat_image(image)
    encoding = choose_encoding(flat)
    width, height = flat.size
    if encoding == "bilevel":
        flat = flat if flat.mode == "1" else flat.convert("L").point(lambda v: 255 if v >= 128 else 0).convert("1")
    colour_space = b"/DeviceRGB" if flat.mode == "RGB" else b"/DeviceGray"
    head = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s" % (width, height, colour_space)
    if encoding == "jpeg":
        buffer = io.BytesIO()
        flat.save(buffer, "JPEG", quality=jpeg_quality, optimize=True)
        return head + b" /BitsPerComponent 8 /Filter /DCTDecode", buffer.getvalue()
    bits = 1 if flat.mode == "1" else 8
    colours = 3 if flat.mode == "RGB" else 1
    params = b"/DecodeParms << /Predictor 15 /Colors %d /BitsPerComponent %d /Columns %d >>" % (colours, bits, width)
    return head + b" /BitsPerComponent %d /Filter /FlateDecode %s" % (bits, params), _png_idat(flat)


def _png_idat(image: Image.Image) -> bytes:
    """The zlib stream of a PNG (rows with PNG filter bytes): what ``/Predictor 15`` Flate data is."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    data = buffer.getvalue()
    position = 8
    chunks: list[bytes] = []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind == b"IDAT":
            chunks.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    stream = b"".join(chunks)
    zlib.decompressobj().decompress(stream[:64])  # a malformed stream fails here, not in a reader
    return stream


# --------------------------------------------------------------------------- reader process


class _WorkerProcess:
    """The PDFium child process: one per document, requests one at a time, killed on timeout."""

    def __init__(self, limits: PdfLimits) -> None:
        self._timeout = limits.timeout
        self._lock = threading.Lock()
        cpu_seconds = math.ceil(limits.timeout * (2 * limits.max_pages + 4))
        self._process = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER), str(limits.worker_memory_mb), str(cpu_seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        )
        self._finalizer = weakref.finalize(self, _kill, self._process)
        try:
            ready, _ = self.request({"op": "hello"})
        except ImageTooLargeError as exc:
            raise MissingDependencyError("The PDF reader (pypdfium2) could not start.") from exc
        if ready.get("ready") is not True:
            self.close()
            raise MissingDependencyError("The PDF reader (pypdfium2) could not start.")

    def close(self) -> None:
        with self._lock:
            self._finalizer()

    def request(
        self,
        message: dict[str, Any],
        *,
        payload: bytes | None = None,
        page: int | None = None,
        deadline: float | None = None,
    ) -> tuple[dict[str, Any], bytes]:
        """Send one request and wait for its answer, at most ``timeout`` seconds and never past ``deadline``.

        Raises:
            ImageTooLargeError: No answer in time, or the process died (out of memory, or crashed).

        """
        with self._lock:
            if not self._finalizer.alive:
                raise RuntimeError("the PDF reader is closed")
            until = time.monotonic() + self._timeout
            deadline = until if deadline is None else min(until, deadline)
            try:
                stdin = self._process.stdin
                assert stdin is not None
                _send_frame(stdin, json.dumps(message).encode())
                if payload is not None:
                    _send_frame(stdin, payload)
                stdin.flush()
                header = json.loads(self._read_frame(deadline, _MAX_HEADER_BYTES))
                if not isinstance(header, dict):
                    raise ValueError("bad header")
                size = header.get("payload", 0)
                if not isinstance(size, int) or size < 0:
                    raise ValueError("bad payload size")
                body = self._read_frame(deadline, size) if size else b""
                if header.get("error") == "memory":
                    raise _Exhausted()
                return header, body
            except (_Exhausted, TimeoutError, EOFError, ValueError, OSError, RecursionError) as exc:
                self._finalizer()
                where = f"page {page + 1} of the PDF" if page is not None else "the PDF"
                raise ImageTooLargeError(
                    f"Reading {where} needs more memory or time than allowed; it was refused."
                ) from exc

    def _read_frame(self, deadline: float, limit: int) -> bytes:
        stdout = self._process.stdout
        assert stdout is not None
        head = _read_exact(stdout, 4, deadline)
        (size,) = struct.unpack(">I", head)
        if size > limit:
            raise ValueError("frame too large")
        return _read_exact(stdout, size, deadline)


class _Exhausted(Exception):
    """The reader ran out of memory and said so."""


def _send_frame(stream: Any, body: bytes) -> None:
    stream.write(struct.pack(">I", len(body)))
    stream.write(body)


def _read_exact(stream: Any, size: int, deadline: float) -> bytes:
    """Read ``size`` bytes from a pipe, giving up at ``deadline`` (monotonic seconds)."""
    chunks: list[bytes] = []
    remaining = size
    fd = stream.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise TimeoutError("no answer from the PDF reader")
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError("the PDF reader stopped")
            chunks.append(chunk)
            remaining -= len(chunk)
    return b"".join(chunks)


def _kill(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        process.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
