"""Decode and encode stage: sniff the format from bytes, refuse bombs from the header, strip metadata.

Images are decoded here with Pillow; PDFs are read through ``pdf`` (PDFium in a bounded child
process) and written back as image-only PDFs. ``open_document`` gives both the same shape: pages
one at a time, then an encoder for the input's own format.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from PIL import Image, ImageOps

from redactor.engine import pdf
from redactor.engine.models import Box, Word
from redactor.errors import CorruptImageError, ImageTooLargeError, InputError, RedactorError, UnsupportedFormatError

MIME_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "PDF": "application/pdf",
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif", "BMP": "bmp", "WEBP": "webp", "GIF": "gif", "PDF": "pdf"}

# Only these keys of ``Image.info`` survive into the output: none can carry personal data or
# original pixels (EXIF, XMP, IPTC, comments, text chunks and thumbnails are all dropped).
_KEPT_INFO = ("dpi", "icc_profile", "transparency", "background", "loop", "compression")
# libwebp's effort (0-6): 2 encodes a lossy page about twice as fast as the default 4 (0.25 s, not 0.55 s, for a
# 2550 x 1997 page) for a file about 3% larger; lossless output is the same pixels whatever the effort.
_WEBP_METHOD = 2
# Our own pixel limit, checked on every page header before decoding, replaces Pillow's global one
# (which would otherwise refuse images that a plan allows).
Image.MAX_IMAGE_PIXELS = None
_TIFF_COMPRESSIONS = {"raw", "tiff_lzw", "tiff_adobe_deflate", "packbits", "group4", "tiff_deflate"}


@dataclass(frozen=True)
class DecodedImage:
    """All pages or frames of one file, decoded in displayed orientation."""

    format: str
    frames: tuple[Image.Image, ...]
    durations: tuple[int, ...]
    info: dict[str, object]
    lossless_webp: bool


def sniff_format(data: bytes) -> str:
    """Name the format from the file's first bytes, whatever its name or declared type claims."""
    if not data:
        raise InputError("The file is empty.")
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data.startswith(b"BM"):
        return "BMP"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if pdf.is_pdf(data):
        return "PDF"
    raise UnsupportedFormatError()


def decode_image(data: bytes, *, max_pixels: int, max_pages: int) -> DecodedImage:
    """Decode every page or frame, each checked against the limits from its header before decoding."""
    fmt = sniff_format(data)
    if fmt == "PDF":
        raise UnsupportedFormatError("A PDF is read with open_document, not decoded as an image.")
    image = _open_header(data, fmt)
    try:
        pages = _page_count(image, max_pages)
        info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
        if fmt == "TIFF" and (
            info.get("compression") not in _TIFF_COMPRESSIONS or (info["compression"] == "group4" and image.mode != "1")
        ):
            info.pop("compression", None)
        frames: list[Image.Image] = []
        durations: list[int] = []
        for index in range(pages):
            image.seek(index)
            _check_pixels(image.size, max_pixels)
            frames.append(ImageOps.exif_transpose(image))
            durations.append(int(image.info.get("duration", 0) or 0))
    except RedactorError:
        raise
    except Exception as e:  # any decoder failure on hostile bytes is a bad file, not our bug
        raise CorruptImageError() from e
    lossless = fmt == "WEBP" and b"VP8L" in data[12:40]
    return DecodedImage(fmt, tuple(frames), tuple(durations), info, lossless)


def _page_count(image: Image.Image, max_pages: int) -> int:
    """The pages or frames an opened image's header announces, refused above ``max_pages``."""
    pages: int = getattr(image, "n_frames", 1)
    if pages > max_pages:
        raise ImageTooLargeError(f"Image has {pages} pages or frames; the limit is {max_pages}.")
    return pages


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageTooLargeError(f"Image has {width * height:,} pixels; the limit is {max_pixels:,}.")


def _open_header(data: bytes, fmt: str) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=[fmt])
    except Exception as e:
        raise CorruptImageError() from e


def encode_image(decoded: DecodedImage, frames: list[Image.Image]) -> bytes:
    """Write frames in the input's format, with no metadata beyond what rendering needs."""
    fmt = decoded.format
    options: dict[str, object] = {k: v for k, v in decoded.info.items() if k != "compression"}
    for frame in frames:
        frame.info = {}
    first = frames[0]
    if fmt == "JPEG":
        options.update(quality=95, subsampling=0)
        if first.mode not in ("1", "L", "RGB", "CMYK"):
            first = first.convert("RGB")
    elif fmt == "WEBP":
        options.update(
            lossless=decoded.lossless_webp,
            quality=100 if decoded.lossless_webp else 92,
            method=_WEBP_METHOD,
            exif=b"",
            xmp=b"",
        )
    elif fmt == "TIFF" and "compression" in decoded.info:
        options["compression"] = decoded.info["compression"]
    elif fmt == "BMP" and first.mode not in ("1", "L", "P", "RGB", "RGBA"):
        first = first.convert("RGB")
    if fmt in ("GIF", "TIFF", "WEBP") and len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:])
        if fmt in ("GIF", "WEBP"):
            options["duration"] = list(decoded.durations)
    buffer = io.BytesIO()
    first.save(buffer, format=fmt, **options)
    return buffer.getvalue()


# --------------------------------------------------------------------------- documents: images and PDFs alike


@dataclass(frozen=True)
class InputLimits:
    """What one input may cost: pages and pixels per page, and how a PDF is rendered to pixels."""

    max_pixels: int
    max_pages: int
    pdf_dpi: float = pdf.DEFAULT_DPI
    pdf_timeout: float = pdf.DEFAULT_TIMEOUT

    def for_pdf(self) -> pdf.PdfLimits:
        return pdf.PdfLimits(self.max_pages, self.max_pixels, dpi=self.pdf_dpi, timeout=self.pdf_timeout)


@dataclass(frozen=True)
class Page:
    """One page to read and paint; ``words`` is its own exact text when that can replace OCR."""

    number: int
    image: Image.Image
    words: tuple[Word, ...] | None = None


class Document(Protocol):
    """An opened input: its format and page count, its pages one at a time, and an encoder for its format.

    ``dpi`` is set for a PDF: the resolution its pages are rendered at (boxes are pixels of that rendering).
    """

    format: str
    page_count: int
    dpi: float | None

    def pages(self) -> Iterator[Page]:
        """Every page in order."""

    def encode(self, images: Iterable[Image.Image]) -> bytes:
        """Write the pages' (painted) images, in order, in the input's format."""


class _ImageDocument:
    def __init__(self, decoded: DecodedImage) -> None:
        self._decoded = decoded
        self.dpi: float | None = None
        self.format = decoded.format
        self.page_count = len(decoded.frames)

    def pages(self) -> Iterator[Page]:
        for number, frame in enumerate(self._decoded.frames, start=1):
            yield Page(number, frame)

    def encode(self, images: Iterable[Image.Image]) -> bytes:
        return encode_image(self._decoded, list(images))


class _PdfDocument:
    """Pages rendered only when asked for, so a long PDF holds one page image at a time."""

    format = "PDF"

    def __init__(self, reader: pdf.PdfReader) -> None:
        self._reader = reader
        self.page_count = reader.info.page_count
        self.dpi: float | None = reader.limits.dpi

    def pages(self) -> Iterator[Page]:
        # In colour, whatever the page: a grey page may be painted red (the writer stores grey pages as grey).
        for page in self._reader.pages():
            yield Page(page.index + 1, page.image.convert("RGB"), words_of(page.text))

    def encode(self, images: Iterable[Image.Image]) -> bytes:
        sizes = self._reader.info.pages
        return pdf.write_image_pdf(pdf.OutputPage(image, size) for image, size in zip(images, sizes, strict=True))


def words_of(layer: pdf.TextLayer) -> tuple[Word, ...] | None:
    """A PDF page's own words as OCR words, or None when the text layer cannot be trusted to replace OCR."""
    if not layer.trusted:
        return None
    return tuple(Word(w.text, Box(w.box.x0, w.box.y0, w.box.x1, w.box.y1), 100.0, (0, 0, w.line)) for w in layer.words)


def count_pages(data: bytes, limits: InputLimits) -> tuple[str, int]:
    """The format and page count, after every check ``open_document`` makes before decoding a page.

    For queueing work that must be refused now, not when it runs: a PDF is inspected (page count,
    page sizes, content parsed within the limits); an image's header is read.
    """
    fmt = sniff_format(data)
    if fmt == "PDF":
        return fmt, pdf.inspect_pdf(data, limits.for_pdf()).page_count
    image = _open_header(data, fmt)
    pages = _page_count(image, limits.max_pages)
    _check_pixels(image.size, limits.max_pixels)
    return fmt, pages


@contextlib.contextmanager
def open_document(data: bytes, limits: InputLimits) -> Iterator[Document]:
    """Open an image or a PDF; every limit that can be checked before any page is decoded is checked here."""
    if sniff_format(data) != "PDF":
        yield _ImageDocument(decode_image(data, max_pixels=limits.max_pixels, max_pages=limits.max_pages))
        return
    with pdf.open_pdf(data, limits.for_pdf()) as reader:
        yield _PdfDocument(reader)
