"""Manual redaction: paint exactly the rectangles a person approved, with no OCR and no detection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from PIL import Image

from redactor.engine import formats, masking, paint
from redactor.engine.models import AnalysisResult, Box, PageSize, RedactionResult
from redactor.errors import InvalidOptionError


@dataclass(frozen=True)
class Region:
    """A rectangle to paint on one page (pages count from 1), in its own colour or the call's."""

    box: Box
    page: int = 1
    color: str | None = None


def _hide(frame: Image.Image, boxes: list[tuple[Box, paint.Rgb]], style: masking.MaskStyle | None) -> Image.Image:
    if style is None or (style.method == "fill" and style.shape == "rectangle"):
        return paint.paint_regions(frame, boxes)
    by_color: dict[paint.Rgb, list[Box]] = {}
    for box, rgb in boxes:
        by_color.setdefault(rgb, []).append(box)
    for rgb, group in by_color.items():
        frame = masking.mask_regions(frame, masking.regions_from_boxes(group), replace(style, fill=rgb))
    return frame


def paint_regions(
    document: formats.Document,
    regions: tuple[Region, ...],
    *,
    fill_color: str,
    style: masking.MaskStyle | None = None,
) -> RedactionResult:
    """Hide every region (clipped to its page) on an opened document, encode in the input's format.

    Regions are filled opaquely, or hidden as ``style`` says (a blur; a ``mask`` shape keeps each
    rectangle whole and only softens outwards, since a box may hold a line of text).

    A region on a page the file does not have, or entirely outside its page, is an error: a reviewer's
    approved box that paints nothing must not pass silently.
    """
    default = paint.parse_color(fill_color)
    by_page: dict[int, list[tuple[int, Region]]] = {}
    for index, region in enumerate(regions):
        if not 1 <= region.page <= document.page_count:
            raise InvalidOptionError(
                f"boxes[{index}]: page {region.page} does not exist; the file has {document.page_count}."
            )
        by_page.setdefault(region.page, []).append((index, region))
    sizes: list[PageSize] = []

    def hidden_pages() -> Iterator[Image.Image]:
        for page in document.pages():
            frame = page.image
            sizes.append(PageSize(frame.width, frame.height))
            boxes = [_clipped(index, region, frame, default) for index, region in by_page.get(page.number, [])]
            yield _hide(frame, boxes, style)

    output = document.encode(hidden_pages())
    analysis = AnalysisResult(
        format=document.format, pages=tuple(sizes), entities=(), ocr_text="", characters_read=0, dpi=document.dpi
    )
    return RedactionResult(
        data=output,
        format=document.format,
        mime_type=formats.MIME_TYPES[document.format],
        analysis=analysis,
        regions=len(regions),
    )


def _clipped(index: int, region: Region, frame: Image.Image, default: paint.Rgb) -> tuple[Box, paint.Rgb]:
    box = region.box
    clipped = Box(
        min(box.x0, frame.width), min(box.y0, frame.height), min(box.x1, frame.width), min(box.y1, frame.height)
    )
    if not clipped.area:
        raise InvalidOptionError(
            f"boxes[{index}] lies outside page {region.page} ({frame.width}x{frame.height} pixels)."
        )
    return clipped, paint.parse_color(region.color) if region.color else default
