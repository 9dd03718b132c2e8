"""Masking stage: styles, fill and blur as rectangles or soft shapes, every Pillow mode, irreversibility."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from PIL import Image, ImageChops, ImageDraw

from redactor.engine.masking import (
    DEFAULT_BLUR_STRENGTH,
    DEFAULT_EDGE_BLUR,
    MIN_SAFE_CELLS,
    MaskRegion,
    MaskStyle,
    blur_cell_size,
    blur_cells,
    mask_regions,
    regions_from_boxes,
)
from redactor.engine.models import Box
from redactor.errors import InvalidOptionError

BOX = Box(40, 30, 160, 110)


def noise(size: tuple[int, int] = (200, 140), mode: str = "RGB", seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    bands = len(Image.new(mode, (1, 1)).getbands())
    return Image.frombytes(mode, size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * bands)))


def outside(image: Image.Image, box: Box) -> bytes:
    """The image's bytes with ``box`` blanked: equal for two images that agree outside it."""
    copy = image.copy()
    ImageDraw.Draw(copy).rectangle((box.x0, box.y0, box.x1 - 1, box.y1 - 1), fill=0)
    return copy.tobytes()


# ----------------------------------------------------------------------------------------- options


def test_defaults_are_the_documented_ones() -> None:
    style = MaskStyle()
    assert (style.method, style.shape, style.blur_strength, style.edge_blur, style.fill) == (
        "fill",
        "rectangle",
        30,
        0.2,
        (0, 0, 0),
    )
    assert (DEFAULT_BLUR_STRENGTH, DEFAULT_EDGE_BLUR) == (30, 0.2)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"method": "pixelate"}, ["fill", "blur"]),
        ({"shape": "circle"}, ["rectangle", "mask"]),
        ({"blur_strength": -1}, ["blur_strength", "0", "100"]),
        ({"blur_strength": 101}, ["blur_strength"]),
        ({"blur_strength": True}, ["blur_strength"]),
        ({"edge_blur": 1.5}, ["edge_blur", "0.0", "1.0"]),
        ({"edge_blur": -0.1}, ["edge_blur"]),
        ({"fill": (0, 0, 256)}, ["fill"]),
        ({"fill": (0, 0)}, ["fill"]),
    ],
)
def test_bad_style_is_refused_with_invalid_option(changes: dict[str, object], words: list[str]) -> None:
    with pytest.raises(InvalidOptionError) as info:
        MaskStyle(**changes)  # type: ignore[arg-type]
    assert info.value.code == "invalid_option"
    assert info.value.exit_code == 1
    for word in words:
        assert word in info.value.message


def test_limits_are_accepted() -> None:
    for strength in (0, 100, 30.5):
        assert MaskStyle(method="blur", blur_strength=strength).blur_strength == strength
    for edge in (0.0, 1.0):
        assert MaskStyle(shape="mask", edge_blur=edge).edge_blur == edge


def test_blur_gets_coarser_with_strength_and_is_never_finer_than_the_safe_minimum() -> None:
    cells = [blur_cells(s) for s in range(0, 101, 10)]
    assert cells == sorted(cells, reverse=True)
    assert cells[0] == MIN_SAFE_CELLS == 6
    assert cells[-1] == pytest.approx(2)
    assert 4 < blur_cells(30) < 4.5
    assert blur_cell_size(Box(0, 0, 600, 30), 0) == 100  # the longer side decides
    assert blur_cell_size(Box(0, 0, 8, 8), 100) == 4  # never below 4 px


# ----------------------------------------------------------------------------------------- fill


def test_fill_rectangle_paints_exactly_the_box_on_a_copy() -> None:
    image = noise()
    before = image.tobytes()
    out = mask_regions(image, [MaskRegion(BOX)], MaskStyle(fill=(255, 0, 0)))
    assert image.tobytes() == before
    assert set(out.crop((BOX.x0, BOX.y0, BOX.x1, BOX.y1)).getdata()) == {(255, 0, 0)}
    assert outside(out, BOX) == outside(image, BOX)


def test_fill_mask_covers_the_ellipse_not_the_corners_with_hard_edges() -> None:
    image = noise()
    out = mask_regions(image, [MaskRegion(BOX)], MaskStyle(shape="mask", edge_blur=0.0))
    assert out.getpixel((100, 70)) == (0, 0, 0)  # centre
    assert out.getpixel((BOX.x0 + 3, 70)) == (0, 0, 0)  # just inside the left end of the ellipse
    assert out.getpixel((BOX.x0 + 2, BOX.y0 + 2)) == image.getpixel((BOX.x0 + 2, BOX.y0 + 2))  # corner kept
    assert outside(out, BOX) == outside(image, BOX)


def test_soft_edge_fades_outwards_only() -> None:
    image = Image.new("RGB", (300, 200), (255, 255, 255))
    box = Box(100, 50, 200, 150)
    hard = mask_regions(image, [MaskRegion(box)], MaskStyle(shape="mask", edge_blur=0.0))
    soft = mask_regions(image, [MaskRegion(box)], MaskStyle(shape="mask", edge_blur=1.0))
    # Everything the hard ellipse covers is covered just as fully by the soft one...
    hard_mask = hard.convert("L").point(lambda v: 255 if v < 128 else 0)
    soft_inside = ImageChops.multiply(soft.convert("L"), hard_mask.convert("L"))
    assert soft_inside.getextrema()[1] == 0
    # ...and the fade reaches outside the box, by at most the band (half the shorter side).
    assert soft.getpixel((205, 100)) != (255, 255, 255)
    assert soft.getpixel((251, 100)) == (255, 255, 255)
    assert hard.getpixel((205, 100)) == (255, 255, 255)


def test_polygon_outline_is_followed() -> None:
    image = Image.new("RGB", (200, 200), (255, 255, 255))
    triangle = MaskRegion(Box(20, 20, 180, 180), ((20, 180), (100, 20), (180, 180)))
    out = mask_regions(image, [triangle], MaskStyle(shape="mask", edge_blur=0.0))
    assert out.getpixel((100, 150)) == (0, 0, 0)
    assert out.getpixel((30, 30)) == (255, 255, 255)


def test_text_regions_keep_their_corners_in_mask_shape() -> None:
    box = Box(10, 10, 120, 40)
    (region,) = regions_from_boxes([box])
    assert region.outline == ((10, 10), (120, 10), (120, 40), (10, 40))
    out = mask_regions(noise(), [region], MaskStyle(shape="mask"))
    for corner in ((10, 10), (119, 10), (119, 39), (10, 39)):
        assert out.getpixel(corner) == (0, 0, 0)


# ----------------------------------------------------------------------------------------- blur


@pytest.mark.parametrize("shape", ["rectangle", "mask"])
def test_blur_changes_only_the_region(shape: str) -> None:
    image = noise()
    style = MaskStyle(method="blur", shape=shape, edge_blur=0.0)
    out = mask_regions(image, [MaskRegion(BOX)], style)
    assert out.crop((90, 60, 110, 80)).tobytes() != image.crop((90, 60, 110, 80)).tobytes()
    assert outside(out, BOX) == outside(image, BOX)


@pytest.mark.parametrize("strength", [0, 100])
def test_blur_keeps_nothing_but_cell_averages(strength: int) -> None:
    """Irreversible by construction: two regions with the same cell averages blur to the same pixels."""
    box = Box(0, 0, 120, 60)
    cell = blur_cell_size(box, strength)
    assert box.width % cell == 0 and box.height % cell == 0
    first = noise((120, 60), "L", seed=2)
    pixels = list(first.getdata())
    rng = random.Random(3)
    shuffled = list(pixels)
    for cy in range(0, 60, cell):  # shuffle the pixels inside every cell: same averages, other picture
        for cx in range(0, 120, cell):
            cells = [(y * 120 + x) for y in range(cy, cy + cell) for x in range(cx, cx + cell)]
            values = [pixels[i] for i in cells]
            rng.shuffle(values)
            for i, value in zip(cells, values, strict=True):
                shuffled[i] = value
    second = Image.new("L", (120, 60))
    second.putdata(shuffled)
    assert ImageChops.difference(first, second).getextrema()[1] > 200
    style = MaskStyle(method="blur", blur_strength=strength)
    one, other = (mask_regions(image, [MaskRegion(box)], style) for image in (first, second))
    assert one.tobytes() == other.tobytes()


def test_stronger_blur_leaves_less_variation() -> None:
    image = noise((240, 240), "L")
    box = Box(0, 0, 240, 240)

    def spread(strength: int) -> float:
        out = mask_regions(image, [MaskRegion(box)], MaskStyle(method="blur", blur_strength=strength))
        diffs = ImageChops.difference(out, out.transform(out.size, Image.Transform.AFFINE, (1, 0, 1, 0, 1, 0)))
        return sum(diffs.crop((0, 0, 238, 240)).getdata()) / (238 * 240)

    assert spread(100) < spread(30) < spread(0) < 4  # no pixel-to-pixel detail left at any strength


@pytest.mark.tesseract
@pytest.mark.parametrize(("method", "shape"), [("blur", "rectangle"), ("blur", "mask"), ("fill", "mask")])
def test_masked_text_is_no_longer_read(render, read_text, method: str, shape: str) -> None:
    doc = render(["Patient: Johanna Whitfield", "Phone 020 7946 0018"], font_size=36)
    boxes = [doc.box("Johanna Whitfield"), doc.box("020 7946 0018")]
    assert "Whitfield" in read_text(doc.image)
    out = mask_regions(doc.image, regions_from_boxes(boxes), MaskStyle(method=method, shape=shape, blur_strength=0))
    text = read_text(out)
    assert "Patient" in text
    for secret in ("Johanna", "Whitfield", "7946", "0018"):
        assert secret not in text


# ----------------------------------------------------------------------------------------- modes and edges


def make_image(mode: str) -> Image.Image:
    base = noise((120, 90))
    if mode in ("I;16", "I;16B", "I"):
        wide = base.convert("L").convert("I").point(lambda v: v * 257)
        return wide if mode == "I" else wide.convert(mode)
    if mode == "P":
        return base.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    if mode == "PA":
        return base.convert("P").convert("PA")
    return base.convert(mode)


MODES = ["1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "YCbCr", "I;16", "I;16B", "I", "F"]
STYLES = [
    MaskStyle(),
    MaskStyle(shape="mask"),
    MaskStyle(method="blur"),
    MaskStyle(method="blur", shape="mask", edge_blur=1.0),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("style", STYLES, ids=lambda s: f"{s.method}-{s.shape}")
def test_every_mode_keeps_its_mode_size_palette_and_outside_pixels(mode: str, style: MaskStyle) -> None:
    image = make_image(mode)
    box = Box(30, 20, 80, 60)
    out = mask_regions(image, [MaskRegion(box)], style)
    assert (out.mode, out.size) == (image.mode, image.size)
    if mode in ("P", "PA"):
        assert out.getpalette() == image.getpalette()
    # The widest feather here (edge_blur 1.0) reaches 20 px around the box: x >= 100 is never touched.
    assert out.crop((105, 0, 120, 90)).tobytes() == image.crop((105, 0, 120, 90)).tobytes()
    assert out.crop((45, 30, 65, 50)).tobytes() != image.crop((45, 30, 65, 50)).tobytes()


def test_sixteen_bit_fill_is_black_and_blur_stays_in_range() -> None:
    image = make_image("I;16")
    filled = mask_regions(image, [MaskRegion(Box(10, 10, 50, 50))], MaskStyle())
    assert filled.getpixel((20, 20)) == 0
    blurred = mask_regions(image, [MaskRegion(Box(10, 10, 50, 50))], MaskStyle(method="blur"))
    assert 0 < blurred.getpixel((30, 30)) < 65536


def test_regions_off_the_image_are_clipped_or_ignored() -> None:
    image = noise((100, 80))
    regions = [MaskRegion(Box(80, 60, 140, 120)), MaskRegion(Box(200, 200, 260, 260)), MaskRegion(Box(5, 5, 5, 40))]
    for style in STYLES:
        out = mask_regions(image, regions, style)
        assert out.size == image.size
        assert out.getpixel((95, 75)) != image.getpixel((95, 75)) or style.shape == "mask"
        assert out.getpixel((10, 10)) == image.getpixel((10, 10))
    assert mask_regions(image, [], MaskStyle()).tobytes() == image.tobytes()


def test_any_object_with_box_and_outline_can_be_masked() -> None:
    @dataclass(frozen=True)
    class Detected:
        entity_type: str
        box: Box
        outline: tuple[tuple[int, int], ...] = ()

    image = noise()
    out = mask_regions(image, [Detected("FACE", BOX)], MaskStyle(shape="mask", edge_blur=0.0))
    assert out.getpixel((100, 70)) == (0, 0, 0)


def test_an_outline_reaching_past_its_box_is_covered_whole() -> None:
    image = Image.new("RGB", (200, 200), (255, 255, 255))
    region = MaskRegion(Box(50, 50, 100, 100), ((40, 40), (160, 40), (160, 160), (40, 160)))
    out = mask_regions(image, [region], MaskStyle(shape="mask", edge_blur=0.0))
    assert out.getpixel((155, 155)) == (0, 0, 0)
    assert out.getpixel((170, 170)) == (255, 255, 255)
