"""Masking stage: hide regions on a copy by opaque fill or irreversible blur, as rectangles or soft shapes.

Two methods and two shapes, for text boxes and visual objects alike:

* ``fill`` paints the region in one opaque colour; ``blur`` replaces it by a pixelated and then
  smoothed version of itself. The blur first averages the region down to a handful of cells
  (:func:`blur_cells`, at most :data:`MIN_SAFE_CELLS` across the region's longer side whatever the
  strength), so the output holds no more information than those few averages: no deconvolution or
  sharpening can bring detail back. It is irreversible by construction, not by tuning.
* ``rectangle`` covers the region's box with hard edges. ``mask`` covers the region's outline (an
  ellipse inscribed in the box, or the polygon the region carries) and feathers it *outwards* by
  ``edge_blur``: pixels inside the outline are always fully covered, only the surroundings fade.

Any Pillow mode is accepted. L, LA, RGB and RGBA are worked on directly; other modes are converted
region by region and back, so pixels outside the masked regions are never touched. Palette, 1-bit
and float images cannot show partial cover, so their soft edges are cut at half strength, and fills
on palette images take the nearest palette colour (``paint.paint_regions`` stays the exact-colour path
for plain filled rectangles).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, get_args

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from redactor.engine import paint
from redactor.engine.models import Box, RedactOptions
from redactor.errors import InvalidOptionError

Rgb = tuple[int, int, int]
Point = tuple[int, int]
MaskMethod = Literal["fill", "blur"]
MaskShape = Literal["rectangle", "mask"]
METHODS: tuple[str, ...] = get_args(MaskMethod)
SHAPES: tuple[str, ...] = get_args(MaskShape)

DEFAULT_BLUR_STRENGTH = 30
DEFAULT_EDGE_BLUR = 0.2
#: Cells across the longer side of a region at ``blur_strength`` 0, the weakest blur we produce.
#: Measured on the test photos (``scripts/bench_visual.py --parts floor``): faces are found again
#: from 12 cells on; at 6, no blurred rectangle is, even after an unsharp mask.
MIN_SAFE_CELLS = 6.0
#: Cells across the longer side at ``blur_strength`` 100.
MAX_BLUR_CELLS = 2.0
#: Smoothing after pixelation, as a fraction of the cell size: it removes the block edges that
#: detectors (and eyes) would otherwise lock on to.
_SMOOTHING = 0.7
#: Cells are never smaller than this many pixels, so tiny regions are hidden too.
_MIN_CELL_PX = 4
#: Pixelated cells are smoothed at up to this many pixels per cell, then scaled up (cheap on big regions).
_SMOOTH_PX_PER_CELL = 32

_DIRECT_MODES = frozenset({"L", "LA", "RGB", "RGBA"})
_INDEXED_MODES = frozenset({"P", "PA", "1"})


class Maskable(Protocol):
    """Anything with a pixel box and an optional outline: a :class:`MaskRegion` or a visual object."""

    @property
    def box(self) -> Box: ...

    @property
    def outline(self) -> tuple[Point, ...]: ...


@dataclass(frozen=True)
class MaskRegion:
    """A region to hide: its pixel box and, for ``shape="mask"``, the polygon around the object.

    An empty ``outline`` means an ellipse inscribed in ``box``. Points are absolute pixel positions.
    """

    box: Box
    outline: tuple[Point, ...] = ()


@dataclass(frozen=True)
class MaskStyle:
    """How regions are hidden; every combination of valid values is safe to use.

    ``blur_strength`` (0-100) sets how coarse the blur is; ``edge_blur`` (0.0-1.0) how far the edge
    of a ``mask`` shape fades out, as a share of half the region's shorter side (rectangles keep
    hard edges). ``fill`` is the colour of the ``fill`` method.
    """

    method: MaskMethod = "fill"
    shape: MaskShape = "rectangle"
    blur_strength: float = DEFAULT_BLUR_STRENGTH
    edge_blur: float = DEFAULT_EDGE_BLUR
    fill: Rgb = (0, 0, 0)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidOptionError(f"Unknown method {self.method!r}; use {' or '.join(METHODS)}.")
        if self.shape not in SHAPES:
            raise InvalidOptionError(f"Unknown shape {self.shape!r}; use {' or '.join(SHAPES)}.")
        if isinstance(self.blur_strength, bool) or not 0 <= self.blur_strength <= 100:
            raise InvalidOptionError("blur_strength must be between 0 and 100.")
        if isinstance(self.edge_blur, bool) or not 0.0 <= self.edge_blur <= 1.0:
            raise InvalidOptionError("edge_blur must be between 0.0 and 1.0.")
        if len(self.fill) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in self.fill):
            raise InvalidOptionError("fill must be an (r, g, b) triple of 0-255 integers.")


def style_of(options: RedactOptions) -> MaskStyle:
    """The masking a call asks for (its fill colours are chosen per region by the caller)."""
    return MaskStyle(options.method, options.shape, options.blur_strength, options.edge_blur)


def regions_from_boxes(boxes: Iterable[Box]) -> tuple[MaskRegion, ...]:
    """Regions whose outline is their own rectangle (text lines): ``mask`` never cuts their corners."""
    return tuple(MaskRegion(box, _corners(box)) for box in boxes)


def blur_cells(strength: float) -> float:
    """Blur cells across a region's longer side: 6 at strength 0, about 4.3 at 30, 2 at 100."""
    share = min(max(float(strength), 0.0), 100.0) / 100.0
    return float(MIN_SAFE_CELLS * math.pow(MAX_BLUR_CELLS / MIN_SAFE_CELLS, share))


def blur_cell_size(box: Box, strength: float) -> int:
    """Side in pixels of one blur cell for a region of this box."""
    return max(_MIN_CELL_PX, math.ceil(max(box.width, box.height) / blur_cells(strength)))


def hide_regions(image: Image.Image, regions: Sequence[tuple[Maskable, Rgb]], style: MaskStyle) -> Image.Image:
    """A copy of ``image`` with every region hidden in its own colour: opaque rectangles, or as ``style`` says."""
    if style.method == "fill" and style.shape == "rectangle":
        return paint.paint_regions(image, [(region.box, rgb) for region, rgb in regions])
    by_color: dict[Rgb, list[Maskable]] = {}
    for region, rgb in regions:
        by_color.setdefault(rgb, []).append(region)
    for rgb, group in by_color.items():
        image = mask_regions(image, group, replace(style, fill=rgb))
    return image


def mask_regions(image: Image.Image, regions: Sequence[Maskable], style: MaskStyle) -> Image.Image:
    """A copy of ``image`` with every region hidden as ``style`` says; regions off the image are ignored."""
    masked = image.copy()
    for region in regions:
        _mask_one(masked, region, style)
    return masked


# ----------------------------------------------------------------------------------------- one region


def _mask_one(image: Image.Image, region: Maskable, style: MaskStyle) -> None:
    extent = region.box
    if style.shape == "mask" and region.outline:  # an outline may reach past its box
        xs, ys = [x for x, _ in region.outline], [y for _, y in region.outline]
        extent = extent.union(Box(min(xs), min(ys), max(xs) + 1, max(ys) + 1))
    band = style.edge_blur * 0.5 * min(region.box.width, region.box.height) if style.shape == "mask" else 0.0
    grow = math.ceil(band)
    area = _clip(Box(extent.x0 - grow, extent.y0 - grow, extent.x1 + grow, extent.y1 + grow), image.width, image.height)
    if area is None or _clip(region.box, image.width, image.height) is None:
        return
    crop = image.crop((area.x0, area.y0, area.x1, area.y1))
    work = _to_work(crop)
    covered = _cover(work, region.box, style)
    native = _from_work(covered, crop)
    if style.shape == "rectangle":  # the crop is the (clipped) box itself
        image.paste(native, (area.x0, area.y0))
        return
    alpha = _shape_alpha(region, area, band)
    if image.mode in _INDEXED_MODES or image.mode == "F":  # no partial cover (F: Pillow blends its bytes)
        alpha = alpha.point(lambda v: 255 if v >= 128 else 0)
    if image.mode.startswith("I;16"):  # Pillow cannot paste through a mask in 16-bit modes: blend in "I"
        merged = crop.convert("I")
        merged.paste(native.convert("I"), (0, 0), alpha)
        image.paste(merged.convert(image.mode), (area.x0, area.y0))
    else:
        image.paste(native, (area.x0, area.y0), alpha)


def _cover(work: Image.Image, object_box: Box, style: MaskStyle) -> Image.Image:
    """The whole crop filled or blurred (the alpha mask later decides which pixels show it)."""
    if style.method == "fill":
        return Image.new(work.mode, work.size, _work_fill(work.mode, style.fill))
    return _pixelate(work, blur_cell_size(object_box, style.blur_strength))


def _pixelate(work: Image.Image, cell: int) -> Image.Image:
    """Average every ``cell`` x ``cell`` block, smooth the block edges away, scale back up.

    The output is computed from the block averages alone (``reduce`` is an exact box average), on a
    grid aligned with the region, so nothing finer than a block can survive.
    """
    width, height = work.size
    columns, rows = math.ceil(width / cell), math.ceil(height / cell)
    cells = work.reduce(cell) if cell > 1 else work
    step = min(cell, _SMOOTH_PX_PER_CELL)
    smooth = cells.resize((columns * step, rows * step), Image.Resampling.BILINEAR)
    smooth = smooth.filter(ImageFilter.GaussianBlur(_SMOOTHING * step))
    if step < cell:  # steps of 1/32 cell are far below what the eye or a detector can use
        smooth = smooth.resize((columns * cell, rows * cell), Image.Resampling.NEAREST)
    return smooth.crop((0, 0, width, height))


def _shape_alpha(region: Maskable, area: Box, band: float) -> Image.Image:
    """Cover of the region's shape in the crop: 255 inside, fading to 0 over ``band`` pixels outside.

    The fade is drawn and smoothed at a reduced scale (it has no detail), then scaled up.
    """
    size = (area.width, area.height)
    hard = Image.new("L", size, 0)
    _draw_shape(ImageDraw.Draw(hard), region, area, grow=0.0, scale=1.0)
    if band < 1.0:
        return hard
    factor = max(1.0, band / 8)
    small = (max(1, math.ceil(size[0] / factor)), max(1, math.ceil(size[1] / factor)))
    grown = Image.new("L", small, 0)
    _draw_shape(ImageDraw.Draw(grown), region, area, grow=band / 2, scale=1 / factor)
    soft = grown.filter(ImageFilter.GaussianBlur(band / 4 / factor)).resize(size, Image.Resampling.BILINEAR)
    return ImageChops.lighter(hard, soft)


def _draw_shape(draw: ImageDraw.ImageDraw, region: Maskable, area: Box, *, grow: float, scale: float) -> None:
    """Draw the outline (or the inscribed ellipse) grown by ``grow`` px each way, in crop pixels times ``scale``."""
    box = region.box
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    half_w, half_h = box.width / 2, box.height / 2
    sx = (half_w + grow) / half_w if half_w else 1.0
    sy = (half_h + grow) / half_h if half_h else 1.0
    if region.outline:
        points = [
            ((cx + (x - cx) * sx - area.x0) * scale, (cy + (y - cy) * sy - area.y0) * scale) for x, y in region.outline
        ]
        draw.polygon(points, fill=255)
    else:
        draw.ellipse(
            (
                (cx - half_w - grow - area.x0) * scale,
                (cy - half_h - grow - area.y0) * scale,
                (cx + half_w + grow - area.x0) * scale,
                (cy + half_h + grow - area.y0) * scale,
            ),
            fill=255,
        )


# ----------------------------------------------------------------------------------------- modes


def _to_work(crop: Image.Image) -> Image.Image:
    """The crop in a mode that can be averaged and blended: L, LA, RGB or RGBA."""
    mode = crop.mode
    if mode in _DIRECT_MODES:
        return crop
    if mode in ("P", "PA"):
        return crop.convert("RGBA" if mode == "PA" or "transparency" in crop.info else "RGB")
    if mode == "1":
        return crop.convert("L")
    if mode.startswith("I;16") or mode == "I":
        return crop.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if mode == "F":
        return crop.convert("L")
    return crop.convert("RGB")


def _from_work(work: Image.Image, original: Image.Image) -> Image.Image:
    """``work`` back in the mode of ``original`` (palette images keep their own palette)."""
    mode = original.mode
    if work.mode == mode:
        return work
    if mode == "P":
        return work.convert("RGB").quantize(palette=original, dither=Image.Dither.NONE)
    if mode == "PA":
        indexed = work.convert("RGB").quantize(palette=original.convert("P"), dither=Image.Dither.NONE).convert("PA")
        indexed.putalpha(work.getchannel("A"))
        return indexed
    if mode == "1":
        return work.convert("1", dither=Image.Dither.NONE)
    if mode.startswith("I;16") or mode == "I":
        wide = work.convert("I").point(lambda v: v * 257)
        return wide if mode == "I" else wide.convert(mode)
    return work.convert(mode)


def _work_fill(mode: str, rgb: Rgb) -> int | tuple[int, ...]:
    grey = round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2])
    if mode == "L":
        return grey
    if mode == "LA":
        return (grey, 255)
    return rgb if mode == "RGB" else (*rgb, 255)


# ----------------------------------------------------------------------------------------- geometry


def _clip(box: Box, width: int, height: int) -> Box | None:
    x0, y0 = max(0, box.x0), max(0, box.y0)
    x1, y1 = min(width, box.x1), min(height, box.y1)
    if x1 <= x0 or y1 <= y0:
        return None
    return Box(x0, y0, x1, y1)


def _corners(box: Box) -> tuple[Point, ...]:
    return ((box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1))
