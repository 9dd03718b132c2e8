"""Manual redaction: paint exactly the rectangles a person approved, with no OCR and no detection."""

from __future__ import annotations

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
    data: bytes,
    regions: tuple[Region, ...],
    *,
    fill_color: str,
    max_pixels: int,
    max_pages: int,
    style: masking.MaskStyle | None = None,
) -> RedactionResult:
    """Decode, hide every region (clipped to its page), encode in the input's format.

    Regions are filled opaquely, or hidden as ``style`` says (a blur; a ``mask`` shape keeps each
    rectangle whole and only softens outwards, since a box may hold a line of text).

    A region on a page the file does not have, or entirely outside its page, is an error: a reviewer's
    approved box that paints nothing must not pass silently.
    """
    default = paint.parse_color(fill_color)
    decoded = formats.decode_image(data, max_pixels=max_pixels, max_pages=max_pages)
    by_page: dict[int, list[tuple[Box, paint.Rgb]]] = {}
    for index, region in enumerate(regions):
        if not 1 <= region.page <= len(decoded.frames):
            raise InvalidOptionError(
                f"boxes[{index}]: page {region.page} does not exist; the file has {len(decoded.frames)}."
            )
        frame = decoded.frames[region.page - 1]
        box = region.box
        clipped = Box(
            min(box.x0, frame.width), min(box.y0, frame.height), min(box.x1, frame.width), min(box.y1, frame.height)
        )
        if not clipped.area:
            raise InvalidOptionError(
                f"boxes[{index}] lies outside page {region.page} ({frame.width}x{frame.height} pixels)."
            )
        rgb = paint.parse_color(region.color) if region.color else default
        by_page.setdefault(region.page, []).append((clipped, rgb))
    frames: list[Image.Image] = [
        _hide(frame, by_page.get(number, []), style) for number, frame in enumerate(decoded.frames, start=1)
    ]
    output = formats.encode_image(decoded, frames)
    analysis = AnalysisResult(
        format=decoded.format,
        pages=tuple(PageSize(f.width, f.height) for f in decoded.frames),
        entities=(),
        ocr_text="",
        characters_read=0,
    )
    return RedactionResult(
        data=output,
        format=decoded.format,
        mime_type=formats.MIME_TYPES[decoded.format],
        analysis=analysis,
        regions=sum(len(boxes) for boxes in by_page.values()),
    )
