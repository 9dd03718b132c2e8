"""Redaction styles: per-type colours, redact-all-text, and the anonymized text (real Tesseract)."""

from __future__ import annotations

import hashlib
import re

import pytest

from redactor.engine.anonymize import split_at_newlines
from redactor.engine.models import RedactOptions, Span
from redactor.engine.pipeline import analyze, redact
from redactor.errors import InvalidOptionError

NAME = "Jonathan Pemberton"
EMAIL = "j.pemberton@example.com"
PHONE = "+1 212 555 0187"
LINES = ["ACME Legal Services", f"Name: {NAME}", f"Email: {EMAIL}", f"Phone: {PHONE}", "Thank you for your order."]
BLUE = (0, 0, 255)
RED = (255, 0, 0)


@pytest.fixture(scope="module")
def doc(render):
    return render(LINES, size=(900, 330))


@pytest.fixture(scope="module")
def page(engine, doc):
    return analyze(doc.encode("PNG"), engine=engine)


def test_each_type_gets_its_colour(engine, doc, fill) -> None:
    colors = {"EMAIL_ADDRESS": "blue", "PHONE_NUMBER": "#ff0000", "default": "black"}
    result = redact(doc.encode("PNG"), RedactOptions(fill_color=colors), engine=engine)
    assert fill(result.data, doc.box(EMAIL), BLUE, tolerance=5) >= 0.9
    assert fill(result.data, doc.box(PHONE), RED, tolerance=5) >= 0.9
    assert fill(result.data, doc.box(NAME), (0, 0, 0), tolerance=5) >= 0.9
    assert fill(result.data, doc.box(NAME), BLUE, tolerance=5) == 0


def test_analysis_says_which_colour_each_region_got(engine, doc) -> None:
    colors = {"EMAIL_ADDRESS": "blue", "default": "#123456"}
    analysis = analyze(doc.encode("PNG"), RedactOptions(fill_color=colors), engine=engine)
    by_type = {e.entity_type: e.color for e in analysis.entities}
    assert by_type["EMAIL_ADDRESS"] == "#0000ff"
    assert by_type["PERSON"] == "#123456"


@pytest.mark.parametrize(
    "colors", [{"EMAIL": "blue"}, {"PERSON": "purple"}, {"default": "#12345"}], ids=["unknown type", "name", "hex"]
)
def test_invalid_colour_mappings_are_refused(engine, doc, colors) -> None:
    with pytest.raises(InvalidOptionError):
        redact(doc.encode("PNG"), RedactOptions(fill_color=colors), engine=engine)


def test_redact_all_text_leaves_only_allowed_words_readable(engine, doc, read_text) -> None:
    options = RedactOptions(redact_all_text=True, allow_list=("ACME Legal Services",))
    result = redact(doc.encode("PNG"), options, engine=engine)
    words = set(re.findall(r"[a-z0-9]{3,}", read_text(result.data).lower()))
    assert {"acme", "legal", "services"} <= words
    assert words - {"acme", "legal", "services"} == set()


def test_replace_is_the_default_operator_and_keeps_line_breaks(page) -> None:
    text = page.anonymized_text
    assert text is not None
    assert "<PERSON>" in text and "<EMAIL_ADDRESS>" in text
    assert NAME not in text and EMAIL not in text
    assert text.count("\n") == page.ocr_text.count("\n")
    assert "Thank you for your order." in text


def test_mask_keeps_the_last_characters_when_asked(engine, doc) -> None:
    options = RedactOptions(text_operator="mask", mask_char="#", mask_keep_last=4)
    text = analyze(doc.encode("PNG"), options, engine=engine).anonymized_text
    assert text is not None
    assert "#" * (len(EMAIL) - 4) + EMAIL[-4:] in text
    assert "Pemberton" not in text


def test_redact_operator_removes_values(engine, doc) -> None:
    text = analyze(doc.encode("PNG"), RedactOptions(text_operator="redact"), engine=engine).anonymized_text
    assert text is not None
    assert "Email:" in text and EMAIL not in text
    assert "Pemberton" not in text and "<" not in text


def test_hash_is_salted_per_request_and_not_the_plain_digest(engine, doc) -> None:
    options = RedactOptions(text_operator="hash")
    first = analyze(doc.encode("PNG"), options, engine=engine).anonymized_text or ""
    second = analyze(doc.encode("PNG"), options, engine=engine).anonymized_text or ""
    digests_first = set(re.findall(r"[0-9a-f]{64}", first))
    digests_second = set(re.findall(r"[0-9a-f]{64}", second))
    assert digests_first and digests_second
    assert not digests_first & digests_second
    assert hashlib.sha256(EMAIL.encode()).hexdigest() not in first
    assert EMAIL not in first


def test_redact_returns_anonymized_text_only_on_request(engine, doc) -> None:
    assert redact(doc.encode("PNG"), engine=engine).analysis.anonymized_text is None
    asked = redact(doc.encode("PNG"), RedactOptions(anonymize_text=True), engine=engine)
    assert asked.analysis.anonymized_text is not None and NAME not in asked.analysis.anonymized_text


@pytest.mark.parametrize(
    "options",
    [RedactOptions(text_operator="encrypt"), RedactOptions(mask_char="##"), RedactOptions(mask_keep_last=-1)],  # type: ignore[arg-type]
    ids=["operator", "mask char", "keep last"],
)
def test_invalid_operators_are_refused(engine, doc, options) -> None:
    with pytest.raises(InvalidOptionError):
        analyze(doc.encode("PNG"), options, engine=engine)


def test_multi_line_entities_are_split_at_line_breaks() -> None:
    text = "at 12 Main St\nSpringfield today"
    pieces = split_at_newlines(text, [Span("LOCATION", 3, 25, 0.9)])
    assert [text[p.start : p.end] for p in pieces] == ["12 Main St", "Springfield"]
