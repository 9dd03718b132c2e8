"""The whole core on synthetic documents with real Tesseract: what is painted, what is still legible, options."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from redactor.engine import paint, pipeline
from redactor.engine.models import Box, PageSize, RedactOptions
from redactor.engine.pipeline import analyze, redact
from redactor.errors import InvalidOptionError, OcrError

NAME = "Jonathan Pemberton"
EMAIL = "j.pemberton@example.com"
PHONE = "+1 212 555 0187"
DOB = "03/14/1979"
ADDRESS = "42 Maple Street, Springfield"
PII = {"PERSON": NAME, "EMAIL_ADDRESS": EMAIL, "PHONE_NUMBER": PHONE, "DATE_OF_BIRTH": DOB, "LOCATION": ADDRESS}
LINES = [
    "Invoice 4471",
    f"Name: {NAME}",
    f"Email: {EMAIL}",
    f"Phone: {PHONE}",
    f"DOB: {DOB}",
    f"Address: {ADDRESS}",
    "Thank you for your order.",
]
KEPT = ["Invoice", "order"]


def squash(text: str) -> str:
    """Lower-case letters, digits, ``@`` and ``.`` only: OCR spacing and punctuation noise removed."""
    return re.sub(r"[^0-9a-z@.]", "", text.lower())


def leaks(text: str, values: list[str]) -> list[str]:
    """The values (or their 4+ character alphanumeric pieces) still present in OCR output."""
    found = squash(text)
    leaked = []
    for value in values:
        pieces = [p for p in squash(value).replace("@", ".").split(".") if len(p) >= 4] + [squash(value)]
        leaked += [p for p in pieces if p in found]
    return leaked


@pytest.fixture(scope="module")
def doc(render):
    return render(LINES, size=(900, 440))


@pytest.fixture(scope="module")
def result(engine, doc):
    return redact(doc.encode("PNG"), engine=engine)


# ------------------------------------------------------------------------------------ a clean document


@pytest.mark.parametrize("entity_type", list(PII))
def test_every_pii_value_is_painted(result, doc, fill, entity_type: str) -> None:
    assert fill(result.data, doc.box(PII[entity_type])) >= 0.9


def test_pii_is_read_before_and_not_after(result, doc, read_text) -> None:
    values = list(PII.values())
    assert len(leaks(read_text(doc.image), values)) >= len(values)  # the reader does see them in the input
    assert leaks(read_text(result.data), values) == []


def test_words_that_are_not_pii_stay_legible(result, doc, fill, read_text) -> None:
    text = read_text(result.data)
    for word in KEPT:
        assert word in text
        assert fill(result.data, doc.box(word)) < 0.5


def test_result_describes_what_was_done(result, doc) -> None:
    assert result.format == "PNG" and result.mime_type == "image/png"
    assert result.analysis.pages == (PageSize(900, 440),) and result.analysis.image_dimensions == PageSize(900, 440)
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= {e.entity_type for e in result.entities}
    assert result.regions == sum(len(e.boxes) for e in result.entities) > 0
    assert result.verification is None
    for entity in result.entities:
        assert entity.page == 1 and 0.0 <= entity.score <= 1.0 and entity.text in result.analysis.ocr_text
        assert all(0 <= b.x0 < b.x1 <= 900 and 0 <= b.y0 < b.y1 <= 440 for b in entity.boxes)
    ocr_text = result.analysis.ocr_text
    assert "Invoice 4471" in ocr_text and EMAIL in ocr_text
    assert result.analysis.characters_read == sum(not c.isspace() for c in ocr_text)


def test_analyze_finds_what_redact_paints(engine, doc, result) -> None:
    analysis = analyze(doc.encode("PNG"), engine=engine)
    assert analysis.anonymized_text is not None  # analyze always returns it; redact only on request
    assert replace(analysis, anonymized_text=None) == result.analysis


def test_sample_letter_is_redacted(engine, samples_dir: Path, fill, read_text) -> None:
    truth = json.loads((samples_dir / "letter.json").read_text())
    data = (samples_dir / "letter.png").read_bytes()
    output = redact(data, engine=engine).data
    assert Image.open(io.BytesIO(output)).size == (truth["width"], truth["height"])
    missed = [p["text"] for p in truth["pii"] if fill(output, Box(*p["box"])) < 0.9]
    assert missed == []
    text = read_text(output)
    assert leaks(text, [p["text"] for p in truth["pii"] if p["entity_type"] != "PERSON"]) == []
    assert all(word in text for word in truth["keep"])


# ------------------------------------------------------------------------------------ harder pages


def test_light_text_on_a_dark_background(engine, render, fill, read_text) -> None:
    page = render(LINES[:4], size=(900, 280), background=(30, 45, 90), ink=(245, 245, 245))
    output = redact(page.encode("PNG"), engine=engine).data
    for value in (NAME, EMAIL, PHONE):
        assert fill(output, page.box(value), tolerance=20) >= 0.9, value
    assert leaks(read_text(page.image), [EMAIL, PHONE]) != []
    assert leaks(read_text(output), [NAME, EMAIL, PHONE]) == []
    assert "Invoice" in read_text(output)


def test_small_low_resolution_text(engine, render, fill, read_text) -> None:
    page = render(LINES[:4], size=(330, 110), font_size=12, origin=(8, 6), line_height=22)
    image = page.image.convert("L")
    output = redact(page.encode("PNG", image=image), engine=engine).data
    for value in (EMAIL, PHONE):
        assert fill(output, page.box(value)) >= 0.9, value
    assert leaks(read_text(image), [EMAIL, PHONE]) != []
    assert leaks(read_text(output), [EMAIL, PHONE]) == []


# ------------------------------------------------------------------------------------ options


def test_fill_colour_red(engine, doc, fill) -> None:
    output = redact(doc.encode("PNG"), RedactOptions(fill_color="red"), engine=engine).data
    assert fill(output, doc.box(EMAIL), (255, 0, 0), tolerance=5) >= 0.9
    assert fill(output, doc.box(EMAIL), (0, 0, 0)) < 0.1


def test_fill_colour_hex_on_jpeg(engine, doc, fill) -> None:
    output = redact(doc.encode("JPEG", quality=95), RedactOptions(fill_color="#2040c0"), engine=engine).data
    assert fill(output, doc.box(PHONE), (0x20, 0x40, 0xC0), tolerance=24) >= 0.9


def test_entities_subset_paints_only_that_type(engine, doc, fill, read_text) -> None:
    result = redact(doc.encode("PNG"), RedactOptions(entities=("EMAIL_ADDRESS",)), engine=engine)
    assert {e.entity_type for e in result.entities} == {"EMAIL_ADDRESS"}
    assert fill(result.data, doc.box(EMAIL)) >= 0.9
    for value in (NAME, PHONE, DOB):
        assert fill(result.data, doc.box(value)) < 0.5, value
    assert "5550187" in squash(read_text(result.data))


def test_allow_list_keeps_a_term(engine, doc, fill) -> None:
    result = redact(doc.encode("PNG"), RedactOptions(allow_list=(DOB,)), engine=engine)
    assert DOB not in {e.text for e in result.entities}
    assert fill(result.data, doc.box(DOB)) < 0.5
    assert fill(result.data, doc.box(PHONE)) >= 0.9


def test_allow_list_keeps_every_part_of_a_term(engine, doc, fill) -> None:
    result = redact(doc.encode("PNG"), RedactOptions(allow_list=(EMAIL,)), engine=engine)
    assert fill(result.data, doc.box(EMAIL)) < 0.5
    assert fill(result.data, doc.box(PHONE)) >= 0.9


def test_deny_list_paints_a_term(engine, doc, fill) -> None:
    result = redact(doc.encode("PNG"), RedactOptions(deny_list=("Invoice",)), engine=engine)
    assert "Invoice" in {e.text for e in result.entities}
    assert fill(result.data, doc.box("Invoice")) >= 0.9
    assert fill(result.data, doc.box("4471")) < 0.5


def test_threshold_drops_lower_scores(engine, doc, result) -> None:
    lower = {e.text for e in result.entities if e.score < 0.9}
    assert lower  # the default run has something for the threshold to drop
    strict = redact(doc.encode("PNG"), RedactOptions(score_threshold=0.9), engine=engine)
    assert not lower & {e.text for e in strict.entities}
    assert all(e.score >= 0.9 for e in strict.entities)
    assert EMAIL in {e.text for e in strict.entities}
    assert len(strict.entities) < len(result.entities)


def test_verify_passes_on_a_clean_document(engine, doc) -> None:
    result = redact(doc.encode("PNG"), RedactOptions(verify=True), engine=engine)
    assert result.verification is not None
    assert result.verification.entities_remaining == ()
    assert result.verification.passed


def test_verify_reports_what_is_still_legible(engine, doc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paint, "paint_regions", lambda image, regions: image.copy())  # a painter that paints nothing
    result = redact(doc.encode("PNG"), RedactOptions(verify=True), engine=engine)
    assert result.verification is not None and not result.verification.passed
    assert EMAIL in {e.text for e in result.verification.entities_remaining}


NOT_AN_IMAGE = b"%PDF-1.7 not an image at all"


@pytest.mark.parametrize(
    ("options", "listed"),
    [
        (RedactOptions(language="xx"), ["eng", "deu", "fra"]),
        (RedactOptions(language="en+tlh"), ["eng"]),
        (
            RedactOptions(entities=("EMAIL_ADDRESS", "SHOE_SIZE")),
            ["SHOE_SIZE", "EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON"],
        ),
        (RedactOptions(fill_color="purple"), ["black", "red", "#RRGGBB"]),
        (RedactOptions(score_threshold=1.5), ["0", "1"]),
        (RedactOptions(score_threshold=-0.1), ["0", "1"]),
    ],
    ids=["language", "one-bad-language", "entity", "colour", "threshold-high", "threshold-low"],
)
def test_bad_options_are_refused_before_anything_is_read(engine, options: RedactOptions, listed: list[str]) -> None:
    with pytest.raises(InvalidOptionError) as info:
        redact(NOT_AN_IMAGE, options, engine=engine)  # options are checked before the bytes
    assert info.value.code == "invalid_option" and info.value.exit_code == 1
    for value in listed:
        assert value in info.value.message


@pytest.mark.parametrize("timeout", [-1.0, 0.0004])
def test_unusable_ocr_timeout_is_refused(engine, doc, timeout: float) -> None:
    with pytest.raises((InvalidOptionError, OcrError)):
        redact(doc.encode("PNG"), RedactOptions(ocr_timeout=timeout), engine=engine)


def test_document_with_a_blank_page(engine, render, fill) -> None:
    page = render(LINES[:3], size=(900, 200))
    buffer = io.BytesIO()
    page.image.save(buffer, "TIFF", save_all=True, append_images=[Image.new("RGB", (900, 200), "white")])
    result = redact(buffer.getvalue(), engine=engine)
    assert fill(result.data, page.box(EMAIL)) >= 0.9


# ------------------------------------------------------------------------------------ engine


def test_default_engine_is_loaded_once(engine) -> None:
    assert pipeline.default_engine() is pipeline.default_engine()
    assert pipeline.default_engine().analyzer is engine.analyzer  # the session engine adds only the visual stage
    assert "EMAIL_ADDRESS" in engine.analyzer.entity_types and "ORGANIZATION" not in engine.analyzer.entity_types


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "BMP", "WEBP", "GIF"])
def test_a4_page_at_300_dpi(engine, render, fill, fmt: str) -> None:
    lines = (LINES + [""] * 3) * 6
    page = render(lines, size=(2480, 3508), font_size=42, origin=(200, 200), line_height=75)
    image = page.image.convert("P") if fmt == "GIF" else page.image
    result = redact(page.encode(fmt, image=image), engine=engine)
    assert Image.open(io.BytesIO(result.data)).size == (2480, 3508)
    for occurrence in range(6):
        assert fill(result.data, page.box(EMAIL, occurrence=occurrence)) >= 0.9
