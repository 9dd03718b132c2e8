"""PDF stage, reader side: PDFium in a child process of its own, bounded in memory and time.

Run by ``redactor.engine.pdf`` as ``python -I <this file> <memory_mb> <cpu_seconds>``; never imported
by the service. It imports nothing of the ``redactor`` package (whose ``__init__`` loads the whole
pipeline), only the standard library, pypdfium2 and Pillow, so it starts in a few tens of ms.

Why a process: PDFium is C++ that parses hostile input. A page whose form XObjects draw each other
four times over, twelve deep, takes 15 GB and minutes to parse; a crash would take the service down;
and PDFium must never be called from two threads at once. Here the kernel bounds memory
(``RLIMIT_AS``) and CPU, the parent bounds wall time per request and kills us when it runs out, no
file can be written (``RLIMIT_FSIZE`` 0) and no core dump holds the document (``RLIMIT_CORE`` 0).

Protocol on stdin/stdout, every frame a 4-byte big-endian length then that many bytes: the parent
sends a JSON request (and, after ``open``, one frame with the PDF); we answer with a JSON header
and, when the header says ``"payload": n``, one frame of n bytes (raw pixels). We send only JSON and
pixels, never pickles, so a worker subverted by a hostile file cannot run code in the parent.
"""

from __future__ import annotations

import ctypes
import json
import math
import resource
import struct
import sys
from typing import Any, BinaryIO

# Limits first, before the libraries are loaded: nothing below runs without them.
if __name__ == "__main__":  # pragma: no cover - exercised through the parent in tests
    _MEMORY = int(sys.argv[1]) * 2**20
    _CPU = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY, _MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (_CPU, _CPU + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as raw  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402

_INVISIBLE_MODES = (3, 7)  # text render modes that paint nothing: invisible, clip only
_MAX_OBJECTS = 50_000  # page objects walked (forms included) before we give up and say "truncated"
_MAX_FORM_DEPTH = 12
_FLAG_GENERATED = 1
_FLAG_INVISIBLE = 2
_FLAG_TRANSPARENT = 4
_FLAG_UNMAPPED = 8


def _read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    body = stream.read(size)
    if len(body) < size:
        return None
    return body


def _write_frame(stream: BinaryIO, body: bytes) -> None:
    stream.write(struct.pack(">I", len(body)))
    stream.write(body)


def _reply(stream: BinaryIO, header: dict[str, Any], payload: bytes = b"") -> None:
    if payload:
        header = {**header, "payload": len(payload)}
    _write_frame(stream, json.dumps(header, allow_nan=False).encode())
    if payload:
        _write_frame(stream, payload)
    stream.flush()


class _Worker:
    """One open document and the requests the parent may make about it."""

    def __init__(self) -> None:
        self.data = b""
        self.doc: pdfium.PdfDocument | None = None

    def open(self, data: bytes) -> dict[str, Any]:
        self.data = data
        try:
            self.doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            code = raw.FPDF_GetLastError()
            if code == raw.FPDF_ERR_PASSWORD:
                return {"error": "password"}
            if code == raw.FPDF_ERR_SECURITY:
                return {"error": "security"}
            return {"error": "corrupt"}
        encrypted = raw.FPDF_GetSecurityHandlerRevision(self.doc.raw) != -1
        self.doc.init_forms()  # so that filled-in form fields are drawn (no JavaScript: PDFium is built without V8)
        return {"pages": len(self.doc), "encrypted": encrypted}

    def sizes(self) -> dict[str, Any]:
        assert self.doc is not None
        sizes: list[list[float]] = []
        size = raw.FS_SIZEF()
        for index in range(len(self.doc)):
            if not raw.FPDF_GetPageSizeByIndexF(self.doc.raw, index, size):
                return {"error": "corrupt", "page": index}
            width, height = float(size.width), float(size.height)
            if not (math.isfinite(width) and math.isfinite(height)):
                return {"error": "corrupt", "page": index}
            sizes.append([width, height])
        return {"sizes": sizes}

    def parse(self, index: int) -> dict[str, Any]:
        """Load (parse) one page and close it again: the check that finds content bombs."""
        assert self.doc is not None
        page = self._load(index)
        if page is None:
            return {"error": "corrupt", "page": index}
        page.close()
        return {"ok": True}

    def render(self, index: int, dpi: float) -> tuple[dict[str, Any], bytes]:
        """Render one page at ``dpi``; with it, its characters and drawing objects in pixels."""
        assert self.doc is not None
        page = self._load(index)
        if page is None:
            return {"error": "corrupt", "page": index}, b""
        try:
            bitmap = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255), draw_annots=True, may_draw_forms=True)
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
            if _is_grey(image):
                image = image.convert("L")
            width, height = image.size
            header: dict[str, Any] = {
                "width": width,
                "height": height,
                "mode": image.mode,
                "chars": _chars(page, width, height),
                "objects": _objects(page, width, height),
                "annotations": _annotations(page),
            }
            return header, image.tobytes()
        finally:
            page.close()

    def _load(self, index: int) -> pdfium.PdfPage | None:
        assert self.doc is not None
        try:
            return self.doc[index]
        except (pdfium.PdfiumError, IndexError):
            return None


def _is_grey(image: Image.Image) -> bool:
    red, green, blue = image.split()
    return ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(green, blue).getbbox() is None


def _to_device(page: pdfium.PdfPage, width: int, height: int, box: tuple[float, float, float, float]) -> list[int]:
    """Page-space box to a pixel box, with the same transform the renderer used (rotation, crop box)."""
    x, y = ctypes.c_int(), ctypes.c_int()
    xs: list[int] = []
    ys: list[int] = []
    for px, py in ((box[0], box[1]), (box[2], box[3])):
        raw.FPDF_PageToDevice(page.raw, 0, 0, width, height, 0, px, py, x, y)
        xs.append(x.value)
        ys.append(y.value)
    return [min(xs), min(ys), max(xs), max(ys)]


def _chars(page: pdfium.PdfPage, width: int, height: int) -> list[list[Any]]:
    """Every character: [text, x0, y0, x1, y1, flags] in pixels; flags say generated/invisible/unmapped."""
    textpage = page.get_textpage()
    try:
        out: list[list[Any]] = []
        left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        red, green, blue, alpha = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        loose = raw.FS_RECTF()
        for index in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(textpage.raw, index)
            flags = 0
            if raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
                flags |= _FLAG_GENERATED
            if raw.FPDFText_HasUnicodeMapError(textpage.raw, index) == 1:
                flags |= _FLAG_UNMAPPED
            text_object = raw.FPDFText_GetTextObject(textpage.raw, index)
            if text_object and raw.FPDFTextObj_GetTextRenderMode(text_object) in _INVISIBLE_MODES:
                flags |= _FLAG_INVISIBLE
            if raw.FPDFText_GetFillColor(textpage.raw, index, red, green, blue, alpha) and alpha.value == 0:
                flags |= _FLAG_TRANSPARENT
            if raw.FPDFText_GetLooseCharBox(textpage.raw, index, loose):
                box = (float(loose.left), float(loose.bottom), float(loose.right), float(loose.top))
            elif raw.FPDFText_GetCharBox(textpage.raw, index, left, right, bottom, top):
                box = (left.value, bottom.value, right.value, top.value)
            else:
                box = (0.0, 0.0, 0.0, 0.0)
            text = chr(code) if 0 <= code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
            out.append([text, *_to_device(page, width, height, box), flags])
        return out
    finally:
        textpage.close()


def _objects(page: pdfium.PdfPage, width: int, height: int) -> dict[str, Any]:
    """Drawing objects that can show text the text layer does not hold, and the lines it may ignore.

    ``images``: pixel boxes of images (or of forms holding one); ``rects``: single axis-aligned
    rectangles; ``rules``: thin straight lines; ``others``: any other visible path or shading.
    Objects inside forms report their form's box.
    """
    found: dict[str, Any] = {"images": [], "rects": [], "rules": [], "others": 0, "truncated": False}
    seen = 0

    def visit(handle: Any, depth: int, form_box: list[int] | None) -> None:
        nonlocal seen
        seen += 1
        if seen > _MAX_OBJECTS or depth > _MAX_FORM_DEPTH:
            found["truncated"] = True
            return
        kind = raw.FPDFPageObj_GetType(handle)
        box = form_box or _object_box(page, handle, width, height)
        if box is None:
            return
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            found["images"].append(box)
        elif kind == raw.FPDF_PAGEOBJ_SHADING:
            found["others"] += 1
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            shape = _path_shape(handle) if form_box is None else "other"
            if shape == "rect":
                found["rects"].append(box)
            elif shape == "rule":
                found["rules"].append(box)
            elif shape == "other":
                found["others"] += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            for child in range(raw.FPDFFormObj_CountObjects(handle)):
                if found["truncated"]:
                    return
                visit(raw.FPDFFormObj_GetObject(handle, child), depth + 1, box)

    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        if found["truncated"]:
            break
        visit(raw.FPDFPage_GetObject(page.raw, index), 0, None)
    return found


def _object_box(page: pdfium.PdfPage, handle: Any, width: int, height: int) -> list[int] | None:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
        return None
    values = (left.value, bottom.value, right.value, top.value)
    if not all(math.isfinite(v) for v in values):
        return None
    return _to_device(page, width, height, values)


def _path_shape(handle: Any) -> str:
    """``rect``, ``rule`` (thin straight line), ``other``, or ``none`` for a path that paints nothing."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, fill_mode, stroke):
        return "other"
    if fill_mode.value == 0 and not stroke.value:
        return "none"
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(handle, matrix) or matrix.b != 0 or matrix.c != 0:
        return "other"
    count = raw.FPDFPath_CountSegments(handle)
    if count < 2 or count > 6:
        return "other"
    points: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(count):
        segment = raw.FPDFPath_GetPathSegment(handle, index)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_BEZIERTO or kind == raw.FPDF_SEGMENT_UNKNOWN:
            return "other"
        if kind == raw.FPDF_SEGMENT_MOVETO and index:
            return "other"  # a second subpath: not one line or one rectangle
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        points.append((x.value, y.value))
    if len(points) == 2:
        (x0, y0), (x1, y1) = points
        return "rule" if x0 == x1 or y0 == y1 else "other"
    xs = sorted({p[0] for p in points})
    ys = sorted({p[1] for p in points})
    if len(xs) == 2 and len(ys) == 2 and all(p[0] in xs and p[1] in ys for p in points):
        return "rect"
    return "other"


def _annotations(page: pdfium.PdfPage) -> int:
    """How many annotations other than links and popups the page has (they can draw text of their own)."""
    count = 0
    for index in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, index)
        if not annot:
            continue
        if raw.FPDFAnnot_GetSubtype(annot) not in (raw.FPDF_ANNOT_LINK, raw.FPDF_ANNOT_POPUP):
            count += 1
        raw.FPDFPage_CloseAnnot(annot)
    return count


def main() -> None:
    """Serve requests until the parent closes our stdin or says ``exit``."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames may reach the parent's pipe
    worker = _Worker()
    while True:
        frame = _read_frame(stdin)
        if frame is None:
            return
        request = json.loads(frame)
        op = request.get("op")
        try:
            if op == "open":
                data = _read_frame(stdin)
                if data is None:
                    return
                _reply(stdout, worker.open(data))
            elif op == "sizes":
                _reply(stdout, worker.sizes())
            elif op == "parse":
                _reply(stdout, worker.parse(int(request["page"])))
            elif op == "render":
                header, pixels = worker.render(int(request["page"]), float(request["dpi"]))
                _reply(stdout, header, pixels)
            elif op == "hello":
                _reply(stdout, {"ready": True})
            elif op == "exit":
                return
            else:
                _reply(stdout, {"error": "protocol"})
        except MemoryError:
            _reply(stdout, {"error": "memory"})


if __name__ == "__main__":  # pragma: no cover
    main()
