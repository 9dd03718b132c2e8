"""Skewed pages: the angle is found, the page read straight, and boxes mapped back to the original."""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image, ImageDraw

from redactor.engine import ocr
from redactor.engine.models import Box
from redactor.engine.pipeline import redact

NAME = "Jonathan Pemberton"
EMAIL = "j.pemberton@example.com"
PHONE = "+1 212 555 0187"
LINES = ["Invoice 4471", f"Name: {NAME}", f"Email: {EMAIL}", f"Phone: {PHONE}", "Thank you for your order."]


def rotated_box(box: Box, angle: float, size: tuple[int, int], rotated_size: tuple[int, int]) -> Box:
    """Forward mapping of ``Image.rotate(angle, expand=True)``: the upright box around the turned ``box``."""
    theta = math.radians(angle)
    xs, ys = [], []
    for x, y in ((box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)):
        dx, dy = x - size[0] / 2, y - size[1] / 2
        xs.append(dx * math.cos(theta) + dy * math.sin(theta) + rotated_size[0] / 2)
        ys.append(-dx * math.sin(theta) + dy * math.cos(theta) + rotated_size[1] / 2)
    return Box(math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys)))


@pytest.mark.parametrize("angle", [-12.0, -5.0, -2.0, 1.5, 4.0, 9.0])
def test_skew_of_a_rendered_page_is_found(render, angle: float) -> None:
    page = render(LINES, size=(1000, 420)).image.convert("L")
    turned = page.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    assert ocr.estimate_skew(turned) == pytest.approx(-angle, abs=0.5)


def test_upright_page_has_no_skew(render) -> None:
    assert abs(ocr.estimate_skew(render(LINES, size=(1000, 420)).image.convert("L"))) < 0.5


@pytest.mark.parametrize("angle", [7.0, -11.0])
def test_box_mapped_back_contains_the_marked_pixels(angle: float) -> None:
    image = Image.new("L", (400, 300), 255)
    ImageDraw.Draw(image).rectangle((100, 50, 139, 61), fill=0)
    turned = image.rotate(angle, expand=True, fillcolor=255)
    ink = [(x, y) for y in range(turned.height) for x in range(turned.width) if turned.getpixel((x, y)) < 128]
    seen = Box(min(x for x, _ in ink), min(y for _, y in ink), max(x for x, _ in ink) + 1, max(y for _, y in ink) + 1)
    back = ocr.rotate_box_back(seen, angle, turned.size, image.size)
    assert back.x0 <= 100 and back.y0 <= 50 and back.x1 >= 140 and back.y1 >= 62
    assert back.area < 3 * 40 * 12  # the upright box around a turned one, twice: larger, but not much


@pytest.mark.parametrize("angle", [-2.5, 8.0])
def test_skewed_document_is_redacted_in_place(engine, render, fill, read_text, angle: float) -> None:
    doc = render(LINES, size=(1000, 420))
    turned = doc.image.rotate(angle, expand=True, fillcolor=(255, 255, 255), resample=Image.Resampling.BICUBIC)
    output = redact(doc.encode("PNG", turned), engine=engine).data
    for value in (NAME, EMAIL, PHONE):
        box = rotated_box(doc.box(value), angle, doc.image.size, turned.size)
        inner = Box(box.x0 + 6, box.y0 + 6, box.x1 - 6, box.y1 - 6)  # the text itself, not the corners around it
        assert fill(output, inner) >= 0.9, value
    straightened = Image.open(io.BytesIO(output)).rotate(-angle, expand=True, fillcolor=(255, 255, 255))
    text = read_text(straightened).lower()
    assert "pemberton" not in text and "example.com" not in text and "555" not in text
    assert "thank you for your" in text


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_sideways_and_upside_down_pages_are_redacted_in_place(engine, render, fill, turn: int) -> None:
    doc = render(LINES, size=(1000, 420))
    turned = doc.image.rotate(turn, expand=True)
    output = redact(doc.encode("PNG", turned), engine=engine).data
    for value in (NAME, EMAIL, PHONE):
        assert fill(output, rotated_box(doc.box(value), turn, doc.image.size, turned.size)) >= 0.9, value
    assert fill(output, rotated_box(doc.box("Invoice"), turn, doc.image.size, turned.size)) < 0.5
