"""Manual redaction: paint exactly the rectangles a person approved, with no OCR and no detection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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


def paint_regions(
    document: formats.Document,
    regions: tuple[Region, ...],
    *,
    fill_color: str,
    style: masking.MaskStyle,
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
            regions = [_clipped(index, region, frame, default) for index, region in by_page.get(page.number, [])]
            yield masking.hide_regions(frame, regions, style)

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


def _clipped(index: int, region: Region, frame: Image.Image, default: paint.Rgb) -> tuple[masking.Maskable, paint.Rgb]:
    """The region cut to its page, as a rectangle to hide (``mask`` never cuts its corners), with its colour."""
    box = region.box
    clipped = Box(
        min(box.x0, frame.width), min(box.y0, frame.height), min(box.x1, frame.width), min(box.y1, frame.height)
    )
    if not clipped.area:
        raise InvalidOptionError(
            f"boxes[{index}] lies outside page {region.page} ({frame.width}x{frame.height} pixels)."
        )
    [rectangle] = masking.regions_from_boxes([clipped])
    return rectangle, paint.parse_color(region.color) if region.color else default
