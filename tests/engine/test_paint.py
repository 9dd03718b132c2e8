"""Paint stage: colours, per-mode fill values, opaque boxes on a copy."""

from __future__ import annotations

import pytest
from PIL import Image

from redactor.engine.models import Box
from redactor.engine.paint import NAMED_COLORS, fill_value, paint_regions, parse_color
from redactor.errors import InvalidOptionError

BOX = Box(10, 5, 30, 15)


def pixels_in(image: Image.Image, box: Box) -> set[object]:
    return {image.getpixel((x, y)) for x in range(box.x0, box.x1) for y in range(box.y0, box.y1)}


def pixels_outside(image: Image.Image, box: Box) -> list[object]:
    return [
        image.getpixel((x, y))
        for x in range(image.width)
        for y in range(image.height)
        if not (box.x0 <= x < box.x1 and box.y0 <= y < box.y1)
    ]


# ------------------------------------------------------------------------------------ colours


@pytest.mark.parametrize(
    ("value", "rgb"),
    [
        ("black", (0, 0, 0)),
        ("White", (255, 255, 255)),
        ("  red ", (255, 0, 0)),
        ("#1a2B3c", (26, 43, 60)),
        ("#FFFFFF", (255, 255, 255)),
    ],
)
def test_parse_color(value: str, rgb: tuple[int, int, int]) -> None:
    assert parse_color(value) == rgb


@pytest.mark.parametrize("value", ["purple", "#fff", "#12345g", "rgb(0,0,0)", "", "#1234567", "0x000000"])
def test_bad_colour_is_refused_listing_the_accepted_ones(value: str) -> None:
    with pytest.raises(InvalidOptionError) as info:
        parse_color(value)
    assert info.value.code == "invalid_option"
    assert info.value.exit_code == 1
    for name in NAMED_COLORS:
        assert name in info.value.message
    assert "#RRGGBB" in info.value.message


# ------------------------------------------------------------------------------------ fill values


@pytest.mark.parametrize(
    ("mode", "rgb", "expected"),
    [
        ("1", (0, 0, 0), 0),
        ("1", (255, 255, 255), 255),
        ("1", (255, 255, 0), 255),
        ("L", (255, 0, 0), 76),
        ("LA", (0, 0, 0), (0, 255)),
        ("RGB", (255, 0, 0), (255, 0, 0)),
        ("RGBA", (0, 0, 255), (0, 0, 255, 255)),
        ("I;16", (255, 255, 255), 65535),
        ("I;16", (0, 0, 0), 0),
        ("I", (255, 255, 255), 65535),
    ],
)
def test_fill_value_per_mode(mode: str, rgb: tuple[int, int, int], expected: object) -> None:
    assert fill_value(Image.new(mode, (2, 2)), rgb) == expected


@pytest.mark.parametrize("rgb", [(0, 0, 0), (255, 0, 0), (26, 43, 60), (255, 255, 255)])
def test_fill_value_on_cmyk_shows_the_colour(rgb: tuple[int, int, int]) -> None:
    value = fill_value(Image.new("CMYK", (2, 2)), rgb)
    assert isinstance(value, tuple) and len(value) == 4
    assert Image.new("CMYK", (1, 1), value).convert("RGB").getpixel((0, 0)) == rgb


def test_unpaintable_mode_is_refused() -> None:
    with pytest.raises(InvalidOptionError):
        fill_value(Image.new("YCbCr", (2, 2)), (0, 0, 0))


# ------------------------------------------------------------------------------------ paint_regions


@pytest.mark.parametrize(
    ("mode", "background", "expected"),
    [
        ("1", 1, 0),
        ("L", 200, 0),
        ("LA", (200, 0), (0, 255)),
        ("RGB", (200, 210, 220), (0, 0, 0)),
        ("RGBA", (200, 210, 220, 0), (0, 0, 0, 255)),
        ("I;16", 50000, 0),
    ],
)
def test_paint_fills_boxes_opaquely_and_leaves_the_rest(mode: str, background: object, expected: object) -> None:
    image = Image.new(mode, (40, 20), background)  # type: ignore[arg-type]
    before = image.copy()
    painted = paint_regions(image, [(BOX, (0, 0, 0))])
    assert painted.mode == mode and painted.size == image.size
    assert pixels_in(painted, BOX) == {expected}
    assert pixels_outside(painted, BOX) == pixels_outside(before, BOX)
    assert image.tobytes() == before.tobytes()  # the input is never modified


def test_paint_on_cmyk_shows_black() -> None:
    image = Image.new("CMYK", (40, 20), (0, 0, 0, 0))
    painted = paint_regions(image, [(BOX, (0, 0, 0))]).convert("RGB")
    assert pixels_in(painted, BOX) == {(0, 0, 0)}
    assert set(pixels_outside(painted, BOX)) == {(255, 255, 255)}


def test_paint_red_on_rgb() -> None:
    painted = paint_regions(Image.new("RGB", (40, 20), "white"), [(BOX, parse_color("red"))])
    assert pixels_in(painted, BOX) == {(255, 0, 0)}


def palette_image(
    colours: list[tuple[int, int, int]], *, fill_index: int = 1, size: tuple[int, int] = (40, 20)
) -> Image.Image:
    image = Image.new("P", size, fill_index)
    image.putpalette([c for rgb in colours for c in rgb])
    return image


def shown(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    return image.convert("RGBA").getpixel(xy)  # type: ignore[return-value]


@pytest.mark.parametrize("rgb", [(0, 0, 0), (255, 0, 0), (26, 43, 60)])
def test_palette_image_is_painted_in_the_exact_colour(rgb: tuple[int, int, int]) -> None:
    image = palette_image([(255, 255, 255), (250, 250, 250), (20, 20, 20), (250, 10, 10)])
    painted = paint_regions(image, [(BOX, rgb)])
    assert {shown(painted, (x, y)) for x in range(BOX.x0, BOX.x1) for y in range(BOX.y0, BOX.y1)} == {(*rgb, 255)}
    assert shown(painted, (0, 0)) == (250, 250, 250, 255)
    assert image.getpalette()[:12] == [255, 255, 255, 250, 250, 250, 20, 20, 20, 250, 10, 10]  # input untouched


def test_palette_transparent_index_is_never_used_for_paint() -> None:
    image = palette_image([(0, 0, 0), (255, 255, 255), (90, 90, 90)])
    image.info["transparency"] = 0  # entry 0 is black *and* see-through
    painted = paint_regions(image, [(BOX, (0, 0, 0))])
    assert shown(painted, (BOX.x0, BOX.y0)) == (0, 0, 0, 255)
    assert painted.getpixel((BOX.x0, BOX.y0)) != 0


def test_full_palette_still_paints_the_exact_colour() -> None:
    colours = [(i, 255 - i, i // 2) for i in range(256)]  # 256 entries in use, none black
    image = palette_image(colours)
    image.putdata([(x + y) % 256 for y in range(20) for x in range(40)])
    before = image.convert("RGB")
    painted = paint_regions(image, [(BOX, (0, 0, 0))])
    assert shown(painted, (BOX.x0, BOX.y0)) == (0, 0, 0, 255)
    after = painted.convert("RGB")
    moved = 0
    for xy in ((x, y) for x in range(40) for y in range(20) if not (BOX.x0 <= x < BOX.x1 and BOX.y0 <= y < BOX.y1)):
        old, new = before.getpixel(xy), after.getpixel(xy)
        if old != new:  # the entry given up for black: its pixels take the nearest colour left
            moved += 1
            assert sum(abs(a - b) for a, b in zip(old, new, strict=True)) <= 3
    assert moved < 10


def test_palette_alpha_table_entry_is_never_used_for_paint() -> None:
    image = palette_image([(0, 0, 0), (255, 255, 255), (30, 30, 30)])
    image.info["transparency"] = bytes([0, 255, 255])  # entry 0 is black and fully transparent
    painted = paint_regions(image, [(BOX, (0, 0, 0))])
    assert shown(painted, (BOX.x0, BOX.y0)) == (0, 0, 0, 255)


def test_several_and_overlapping_boxes_and_empty_boxes() -> None:
    image = Image.new("L", (50, 50), 255)
    boxes = [Box(0, 0, 10, 10), Box(5, 5, 20, 20), Box(30, 30, 30, 40), Box(40, 40, 50, 50)]
    painted = paint_regions(image, [(box, (0, 0, 0)) for box in boxes])
    dark = sum(1 for v in painted.getdata() if v == 0)
    assert dark == 100 + 225 - 25 + 0 + 100
    assert paint_regions(image, []).tobytes() == image.tobytes()
