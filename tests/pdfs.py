"""PDFs built by tests: hand-written bytes for hostile structures, PDFium for born-digital pages.

Every PDF a test reads is made here at test time, so no binary fixture is shipped and each test
knows exactly what text a page holds and where.
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image

LETTER = (612.0, 792.0)


def hand_pdf(objects: Sequence[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF from raw object bodies (object i+1 is objects[i]; the catalog is object 1), with a valid xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(body), extra) + body + b"\nendstream"


def one_page(media: bytes = b"[0 0 612 792]", content: bytes = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET") -> bytes:
    return hand_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


@dataclass
class Text:
    text: str
    x: float
    y: float
    size: float = 12
    mode: int | None = None


@dataclass
class Picture:
    image: Image.Image
    x: float
    y: float
    width: float
    height: float


@dataclass
class Scribble:
    """A path of many short strokes: text drawn as lines, which no text layer holds."""

    x: float
    y: float


@dataclass
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: tuple[int, int, int] | None = None


@dataclass
class Page:
    items: list[Text | Picture | Scribble | Rule | Rect] = field(default_factory=list)
    size: tuple[float, float] = LETTER
    rotation: int = 0


def born_digital(*pages: Page) -> bytes:
    """Pages written by PDFium: standard-14 Helvetica text, images, paths."""
    doc = pdfium.PdfDocument.new()
    for spec in pages:
        page = doc.new_page(*spec.size)
        for item in spec.items:
            if isinstance(item, Text):
                obj = raw.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(item.size))
                buffer = ctypes.create_string_buffer((item.text + "\0").encode("utf-16-le"))
                assert raw.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
                if item.mode is not None:
                    assert raw.FPDFTextObj_SetTextRenderMode(obj, item.mode)
                raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, item.x, item.y)
                raw.FPDFPage_InsertObject(page.raw, obj)
            elif isinstance(item, Picture):
                image = pdfium.PdfImage.new(doc)
                bitmap = pdfium.PdfBitmap.from_pil(item.image.convert("RGB"))
                image.set_bitmap(bitmap)
                image.set_matrix(pdfium.PdfMatrix().scale(item.width, item.height).translate(item.x, item.y))
                page.insert_obj(image)
            elif isinstance(item, Scribble):
                path = raw.FPDFPageObj_CreateNewPath(item.x, item.y)
                for step in range(1, 40):
                    raw.FPDFPath_LineTo(path, item.x + step * 3, item.y + (10 if step % 2 else 0))
                raw.FPDFPageObj_SetStrokeWidth(path, ctypes.c_float(1.2))
                raw.FPDFPath_SetDrawMode(path, 0, 1)
                raw.FPDFPage_InsertObject(page.raw, path)
            elif isinstance(item, Rule):
                path = raw.FPDFPageObj_CreateNewPath(item.x0, item.y0)
                raw.FPDFPath_LineTo(path, item.x1, item.y1)
                raw.FPDFPath_SetDrawMode(path, 0, 1)
                raw.FPDFPage_InsertObject(page.raw, path)
            elif isinstance(item, Rect):
                path = raw.FPDFPageObj_CreateNewRect(item.x, item.y, item.width, item.height)
                if item.fill:
                    raw.FPDFPageObj_SetFillColor(path, *item.fill, 255)
                raw.FPDFPath_SetDrawMode(path, 1 if item.fill else 0, 1)
                raw.FPDFPage_InsertObject(page.raw, path)
        if spec.rotation:
            page.set_rotation(spec.rotation)
        page.gen_content()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def many_pages(count: int) -> bytes:
    """A PDF of ``count`` empty letter pages, written by hand (PDFium would take long to make 10,000)."""
    kids = b" ".join(b"%d 0 R" % (number + 4) for number in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count]
    objects.append(stream(b""))
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * count
    return hand_pdf(objects)
