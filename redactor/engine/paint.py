"""Paint stage: opaque rectangles on a copy, in a colour suited to the image's mode."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image

from redactor.engine.models import Box
from redactor.errors import InvalidOptionError

Rgb = tuple[int, int, int]
NAMED_COLORS: dict[str, Rgb] = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "red": (255, 0, 0),
    "blue": (0, 0, 255),
    "green": (0, 128, 0),
    "yellow": (255, 255, 0),
}
_HEX = re.compile(r"#([0-9a-fA-F]{6})")


def parse_color(value: str) -> Rgb:
    """``black``, ``white``, ``red``, ``blue``, ``green``, ``yellow`` or ``#RRGGBB``."""
    name = value.strip().lower()
    if name in NAMED_COLORS:
        return NAMED_COLORS[name]
    match = _HEX.fullmatch(name)
    if not match:
        raise InvalidOptionError(f"Unknown fill colour {value!r}; use {', '.join(NAMED_COLORS)} or #RRGGBB.")
    digits = match.group(1)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _luminance(rgb: Rgb) -> int:
    r, g, b = rgb
    return round(0.299 * r + 0.587 * g + 0.114 * b)


def _see_through_indices(image: Image.Image) -> set[int]:
    """Palette entries that are not fully opaque: a single index, or a per-entry alpha table."""
    transparency = image.info.get("transparency")
    if isinstance(transparency, int):
        return {transparency}
    if isinstance(transparency, bytes):
        return {index for index, alpha in enumerate(transparency) if alpha < 255}
    return set()


def _palette_index(image: Image.Image, rgb: Rgb) -> int:
    """Index of exactly ``rgb`` in the palette, adding it (in place) if it is not there yet.

    A full palette gives up its least-used entry: its pixels move to their nearest other
    entry, so the requested colour is painted exactly, never approximated.
    """
    palette = image.getpalette() or []
    entries = [tuple(palette[i : i + 3]) for i in range(0, len(palette), 3)]
    see_through = _see_through_indices(image)
    for index, entry in enumerate(entries):
        if entry == rgb and index not in see_through:
            return index
    if len(entries) < 256:
        image.putpalette(palette + list(rgb))
        return len(entries)
    counts = image.histogram()
    spare = min((i for i in range(256) if i not in see_through), key=lambda i: counts[i])
    if counts[spare]:
        nearest = min(
            (i for i in range(256) if i != spare and i not in see_through),
            key=lambda i: sum((a - b) ** 2 for a, b in zip(entries[i], entries[spare], strict=True)),
        )
        lut = list(range(256))
        lut[spare] = nearest
        image.paste(image.point(lut))
    palette[3 * spare : 3 * spare + 3] = rgb
    image.putpalette(palette)
    return spare


def fill_value(image: Image.Image, rgb: Rgb) -> float | tuple[int, ...]:
    """The pixel value that shows ``rgb`` in this image's mode, fully opaque (nearest grey for 1/L).

    For palette images the palette of ``image`` may be extended, so call it on the copy being painted.
    """
    mode = image.mode
    grey = _luminance(rgb)
    if mode == "1":
        return 255 if grey >= 128 else 0
    if mode == "L":
        return grey
    if mode == "LA":
        return (grey, 255)
    if mode == "P":
        return _palette_index(image, rgb)
    if mode == "RGB":
        return rgb
    if mode == "RGBA":
        return (*rgb, 255)
    if mode == "CMYK":
        return Image.new("RGB", (1, 1), rgb).convert("CMYK").getpixel((0, 0))  # type: ignore[return-value]
    if mode in ("I;16", "I;16L", "I;16B", "I"):
        return grey * 257
    if mode == "F":
        return float(grey)
    raise InvalidOptionError(f"Cannot paint on images of mode {mode}.")


def paint_regions(image: Image.Image, regions: list[tuple[Box, Rgb]]) -> Image.Image:
    """A copy of ``image`` with each box filled opaquely in its own colour."""
    painted = image.copy()
    values: dict[Rgb, float | tuple[int, ...]] = {}
    for box, rgb in regions:
        if box.area:
            if rgb not in values:
                values[rgb] = fill_value(painted, rgb)
            painted.paste(values[rgb], (box.x0, box.y0, box.x1, box.y1))
    return painted


@dataclass(frozen=True)
class ColorScheme:
    """The fill colour of each entity type, and of every other type."""

    default: Rgb
    by_type: Mapping[str, Rgb]

    def for_type(self, entity_type: str) -> Rgb:
        return self.by_type.get(entity_type, self.default)


def parse_color_scheme(value: str | Mapping[str, str], known_types: tuple[str, ...]) -> ColorScheme:
    """One colour for all, or ``{"PERSON": "black", "EMAIL_ADDRESS": "blue", "default": "black"}``."""
    if isinstance(value, str):
        return ColorScheme(parse_color(value), {})
    unknown = sorted(set(value) - set(known_types) - {"default"})
    if unknown:
        raise InvalidOptionError(
            f"Unknown entity type {', '.join(unknown)} in fill_color; use entity types or 'default'."
        )
    default = parse_color(value.get("default", "black"))
    return ColorScheme(default, {key: parse_color(color) for key, color in value.items() if key != "default"})


def hex_color(rgb: Rgb) -> str:
    """``#rrggbb`` of an RGB triple."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)
