"""Shared fixtures and markers: one engine per session, synthetic documents rendered at test time, --runslow.

Documents are drawn with PIL at known positions, so every test knows the exact pixel box of each
piece of text (its ground truth) without shipping binary fixtures. A second, independent Tesseract
reader (tesserocr, called directly, not through ``redactor.engine.ocr``) checks what is still legible in an
output image.
"""

from __future__ import annotations

import importlib.util
import io
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps

from redactor.engine.models import Box
from redactor.errors import MissingDependencyError

REPO = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------------------------------- markers


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tesseract: needs the real Tesseract engine and language data")
    config.addinivalue_line("markers", "slow: long-running; run with --runslow")


def _tesseract_problem() -> str | None:
    from redactor.engine.ocr import probe_tesseract

    try:
        probe_tesseract()
    except MissingDependencyError as e:
        return e.message
    return None


# Fixtures that load Tesseract: a test using any of them is a tesseract test, whatever its markers say.
_TESSERACT_FIXTURES = {"engine", "read_text", "tessdata_dir"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem: str | None = None
    probed = False
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if _TESSERACT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.tesseract)
        if "slow" in item.keywords and not config.getoption("--runslow"):
            item.add_marker(skip_slow)
        if "tesseract" in item.keywords:
            if not probed:
                problem, probed = _tesseract_problem(), True
            if problem:
                item.add_marker(pytest.mark.skip(reason=f"Tesseract unavailable: {problem}"))


# ----------------------------------------------------------------------------------------- engine


@pytest.fixture(scope="session")
def engine():
    """The process-wide engine (Tesseract probe + Presidio analyzer), loaded once for the session."""
    from redactor.engine.pipeline import default_engine

    return default_engine()


@pytest.fixture(scope="session")
def analyzer():
    """Presidio with the configured spaCy model and our recognizers, built once; needs no Tesseract."""
    from redactor.engine.config import get_engine_settings
    from redactor.engine.detect import build_analyzer

    return build_analyzer(get_engine_settings().spacy_model)


@pytest.fixture(scope="session")
def tessdata_dir() -> Path:
    from redactor.engine.ocr import probe_tesseract

    return probe_tesseract().tessdata_dir


# ----------------------------------------------------------------------------------------- fonts

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)


def _font_path() -> Path | None:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    spec = importlib.util.find_spec("matplotlib")  # matplotlib ships DejaVuSans; finding it imports nothing
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if bundled.is_file():
            return bundled
    return None


FONT_PATH = _font_path()


def load_font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at ``size`` px, or Pillow's bundled scalable font when no TTF is installed."""
    if FONT_PATH is not None:
        return ImageFont.truetype(str(FONT_PATH), size)
    return ImageFont.load_default(size=size)  # type: ignore[return-value]


# ----------------------------------------------------------------------------------------- documents

Placement = tuple[int, int, str]


@dataclass
class Document:
    """A rendered synthetic document and the pixel box of any text drawn on it."""

    image: Image.Image
    placements: tuple[Placement, ...]
    font: ImageFont.FreeTypeFont
    _measure: ImageDraw.ImageDraw = field(repr=False)

    def box(self, text: str, *, occurrence: int = 0) -> Box:
        """Ink box of ``text`` (a whole placement or any substring of one), in image pixels."""
        seen = 0
        for x, y, line in self.placements:
            start = line.find(text)
            while start >= 0:
                if seen == occurrence:
                    left = x + self._measure.textlength(line[:start], font=self.font)
                    x0, y0, x1, y1 = self._measure.textbbox((left, y), text, font=self.font)
                    return Box(math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1))
                seen += 1
                start = line.find(text, start + 1)
        raise KeyError(f"{text!r} is not drawn on this document")

    def encode(self, fmt: str = "PNG", image: Image.Image | None = None, **save: object) -> bytes:
        return encode(image or self.image, fmt, **save)


def render_document(
    lines: Sequence[str | Placement],
    *,
    size: tuple[int, int] = (900, 420),
    font_size: int = 32,
    origin: tuple[int, int] = (40, 30),
    line_height: int | None = None,
    background: str | tuple[int, ...] = "white",
    ink: str | tuple[int, ...] = "black",
    mode: str = "RGB",
) -> Document:
    """Draw text lines (strings stacked from ``origin``, or explicit ``(x, y, text)``) on a blank page."""
    font = load_font(font_size)
    step = line_height or round(font_size * 1.75)
    image = Image.new(mode, size, background)
    draw = ImageDraw.Draw(image)
    placements: list[Placement] = []
    row = 0
    for item in lines:
        if isinstance(item, str):
            x, y, text = origin[0], origin[1] + row * step, item
            row += 1
        else:
            x, y, text = item
        draw.text((x, y), text, font=font, fill=ink)
        placements.append((x, y, text))
    return Document(image, tuple(placements), font, ImageDraw.Draw(Image.new("L", (1, 1))))


def encode(image: Image.Image, fmt: str, **save: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def open_image(data: bytes | Image.Image) -> Image.Image:
    if isinstance(data, Image.Image):
        return data
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def on_white(image: Image.Image) -> Image.Image:
    """RGB rendering of ``image``; transparent parts shown over white."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.convert("I").point(lambda v: v / 256).convert("RGB")
    return image.convert("RGB")


def fill_ratio(
    image: bytes | Image.Image, box: Box, rgb: tuple[int, int, int] = (0, 0, 0), *, tolerance: int = 40
) -> float:
    """Share of the pixels inside ``box`` whose every channel is within ``tolerance`` of ``rgb``.

    Images with transparency are judged as a viewer shows them: over a white page.
    """
    crop = on_white(open_image(image)).crop((box.x0, box.y0, box.x1, box.y1))
    pixels = crop.get_flattened_data() if hasattr(crop, "get_flattened_data") else crop.getdata()
    matching = sum(all(abs(c - t) <= tolerance for c, t in zip(p, rgb, strict=True)) for p in pixels)
    return matching / max(1, box.area)


# ----------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def render() -> Callable[..., Document]:
    """``render(lines, size=..., font_size=..., background=..., ink=...) -> Document``."""
    return render_document


@pytest.fixture(scope="session")
def fill() -> Callable[..., float]:
    """``fill(image_or_bytes, box, rgb=(0, 0, 0), tolerance=40) -> float`` in 0..1."""
    return fill_ratio


@pytest.fixture(scope="session")
def read_text(tessdata_dir: Path) -> Iterator[Callable[[bytes | Image.Image], str]]:
    """An independent reader: everything Tesseract reads in the image, its negative and a 2x enlargement.

    Trying several renderings makes "the PII is no longer read" a strict check.
    """
    import tesserocr

    with tesserocr.PyTessBaseAPI(path=str(tessdata_dir), lang="eng") as api:

        def read(data: bytes | Image.Image) -> str:
            grey = on_white(open_image(data)).convert("L")
            texts = []
            for variant in (grey, ImageOps.invert(grey), grey.resize((grey.width * 2, grey.height * 2))):
                api.SetImage(variant)
                texts.append(api.GetUTF8Text())
            return "\n".join(texts)

        yield read


@pytest.fixture(scope="session")
def font_path() -> Path | None:
    """The TTF the documents are drawn with (None: Pillow's bundled font)."""
    return FONT_PATH


@pytest.fixture
def samples_dir() -> Path:
    return REPO / "samples"
