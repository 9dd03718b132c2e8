"""PDFs through the whole core: scanned pages OCRed, born-digital pages read from their own text,
every page painted, and an image-only PDF written back; read with pypdf and PDFium, never our code."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pypdf
import pypdfium2 as pdfium
import pytest
from pdfs import LETTER, Page, Picture, Text, born_digital
from PIL import Image

from redactor.engine import ocr, pipeline
from redactor.engine.formats import Page as FormatsPage
from redactor.engine.manual import Region
from redactor.engine.models import Box, RedactOptions
from redactor.engine.pipeline import analyze, redact
from redactor.errors import ImageTooLargeError, InvalidOptionError, OcrTimeoutError

NAME = "Jonathan Pemberton"
EMAIL = "j.pemberton@example.com"
PHONE = "+1 212 555 0187"
DPI = 200  # the engine's default rendering
PAGE_PIXELS = (round(LETTER[0] * DPI / 72), round(LETTER[1] * DPI / 72))


def scanned_page(render, lines: list[str]) -> Page:
    """A page that is one picture of text filling the page, as a scanner makes it: no text layer."""
    document = render(lines, size=PAGE_PIXELS, font_size=44, origin=(150, 200), line_height=90)
    return Page([Picture(document.image, 0, 0, *LETTER)])


def pdf_pages(data: bytes, dpi: int = DPI) -> list[Image.Image]:
    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def squash(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum() or c in "@.")


def no_ocr(*args: object, **kwargs: object) -> None:
    raise AssertionError("OCR ran")


@pytest.fixture(scope="module")
def scanned(render) -> bytes:
    return born_digital(
        scanned_page(render, ["Claim 7731", "Nothing personal on this page."]),
        scanned_page(render, ["Claim 7731", f"Name: {NAME}", f"Email: {EMAIL}", f"Phone: {PHONE}"]),
        scanned_page(render, ["Claim 7731", "End of claim."]),
    )


@pytest.fixture(scope="module")
def redacted_scan(engine, scanned: bytes):
    return redact(scanned, engine=engine)


def test_scanned_pdf_comes_back_as_a_pdf_of_the_same_pages(redacted_scan) -> None:
    result = redacted_scan
    assert (result.format, result.mime_type) == ("PDF", "application/pdf")
    reader = pypdf.PdfReader(io.BytesIO(result.data))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert [float(v) for v in page.mediabox] == [0.0, 0.0, *LETTER]
        assert "/Annots" not in page
    assert result.analysis.dpi == DPI and len(result.analysis.pages) == 3


def test_scanned_pdf_pii_is_found_on_its_page_and_no_longer_readable(redacted_scan, read_text) -> None:
    found = {e.entity_type: e.page for e in redacted_scan.entities}
    assert found.get("PERSON") == found.get("EMAIL_ADDRESS") == found.get("PHONE_NUMBER") == 2
    pages = pdf_pages(redacted_scan.data)
    assert [p.size for p in pages] == [PAGE_PIXELS] * 3
    legible = squash(read_text(pages[1]))
    assert "claim7731" in legible  # what is not personal stays
    for value in ("pemberton", squash(EMAIL), squash(PHONE)):
        assert value not in legible
    assert "endofclaim" in squash(read_text(pages[2]))


def test_output_has_no_text_layer_to_extract(redacted_scan) -> None:
    reader = pypdf.PdfReader(io.BytesIO(redacted_scan.data))
    assert all(page.extract_text().strip() == "" for page in reader.pages)
    assert reader.metadata is None or not dict(reader.metadata)


@pytest.fixture(scope="module")
def digital() -> bytes:
    return born_digital(
        Page(
            [
                Text("Account review", 72, 720, size=14),
                Text(f"Customer: {NAME}", 72, 690, size=12),
                Text(f"Email: {EMAIL}", 72, 670, size=12),
                Text(f"Phone: {PHONE}", 72, 650, size=12),
            ]
        )
    )


def test_born_digital_page_is_read_from_its_own_text_without_ocr(engine, digital, monkeypatch) -> None:
    monkeypatch.setattr(ocr, "read_words", no_ocr)
    analysis = analyze(digital, engine=engine)
    assert EMAIL in analysis.ocr_text and PHONE in analysis.ocr_text
    by_type = {e.entity_type: e for e in analysis.entities}
    assert by_type["EMAIL_ADDRESS"].text == EMAIL
    box = by_type["EMAIL_ADDRESS"].bbox
    # The line's baseline sits 670 pt from the bottom: in pixels, within the box's height.
    baseline = round((LETTER[1] - 670) * DPI / 72)
    assert box.y0 < baseline <= box.y1 + 2
    assert box.x0 <= round(72 * DPI / 72) + 2 * DPI and box.x1 > box.x0


def test_born_digital_page_painted_where_its_text_was(engine, digital, read_text, monkeypatch) -> None:
    monkeypatch.setattr(ocr, "read_words", no_ocr)  # the output is never read again here
    result = redact(digital, engine=engine)
    page = pdf_pages(result.data)[0]
    legible = squash(read_text(page))
    assert "accountreview" in legible
    for value in ("pemberton", squash(EMAIL), squash(PHONE)):
        assert value not in legible
    email = next(e for e in result.entities if e.entity_type == "EMAIL_ADDRESS").bbox
    crop = page.convert("L").crop((email.x0, email.y0, email.x1, email.y1))
    assert max(crop.getdata()) < 60  # the whole box is filled


def test_verify_reads_the_output_pdf_again(engine, digital) -> None:
    result = redact(digital, RedactOptions(verify=True), engine=engine)
    assert result.verification is not None and result.verification.passed


def test_page_limit_refused_before_any_page_is_read(engine, scanned, monkeypatch) -> None:
    monkeypatch.setattr(ocr, "read_words", no_ocr)
    with pytest.raises(ImageTooLargeError, match="3 pages"):
        redact(scanned, RedactOptions(max_pages=2), engine=engine)


def test_a_failing_page_fails_the_whole_pdf(engine, scanned, monkeypatch) -> None:
    read = ocr.read_words
    calls = []

    def fail_on_third(*args: object, **kwargs: object):
        calls.append(1)
        if len(calls) == 3:
            raise OcrTimeoutError()
        return read(*args, **kwargs)

    monkeypatch.setattr(ocr, "read_words", fail_on_third)
    with pytest.raises(OcrTimeoutError):
        redact(scanned, engine=engine)


def test_regions_painted_on_the_rendered_page_they_name(engine, digital, monkeypatch) -> None:
    monkeypatch.setattr(ocr, "read_words", no_ocr)
    box = Box(100, 200, 400, 300)
    result = redact(digital, engine=engine, regions=(Region(box, page=1, color="red"),))
    assert result.format == "PDF" and result.regions == 1 and result.analysis.dpi == DPI
    page = pdf_pages(result.data)[0].convert("RGB")
    assert page.getpixel((250, 250)) == pytest.approx((255, 0, 0), abs=8)
    assert page.getpixel((250, 350)) == (255, 255, 255)
    with pytest.raises(InvalidOptionError, match="page 2 does not exist"):
        redact(digital, engine=engine, regions=(Region(box, page=2),))


# ------------------------------------------------------------------------------------ pages at once


def pages_of(count: int, seen: list[int]) -> Iterator[FormatsPage]:
    for number in range(1, count + 1):
        seen.append(number)
        yield FormatsPage(number, Image.new("L", (4, 4)))


def test_pages_run_at_once_but_come_back_in_order_with_few_in_memory() -> None:
    rendered: list[int] = []
    in_flight: list[int] = []
    most = 0
    lock = threading.Lock()

    def work(page: FormatsPage) -> int:
        nonlocal most
        with lock:
            in_flight.append(page.number)
            most = max(most, len(in_flight))
        time.sleep(0.02 * (page.number % 3))  # later pages may finish first
        with lock:
            in_flight.remove(page.number)
        return page.number

    results = []
    for number in pipeline._in_order(work, pages_of(9, rendered), threads=3):
        results.append(number)
        assert len(rendered) - len(results) <= 3  # never more than `threads` pages read ahead
    assert results == list(range(1, 10)) and 1 < most <= 3


def test_the_first_failing_page_fails_the_call_and_later_pages_are_not_read() -> None:
    rendered: list[int] = []

    def work(page: FormatsPage) -> int:
        if page.number == 2:
            raise OcrTimeoutError()
        return page.number

    with pytest.raises(OcrTimeoutError):
        list(pipeline._in_order(work, pages_of(50, rendered), threads=2))
    assert len(rendered) <= 4


def test_pages_read_at_once_give_the_same_pdf(engine, scanned) -> None:
    one = redact(scanned, engine=replace(engine, settings=engine.settings.model_copy(update={"page_threads": 1})))
    assert one.data == redact(scanned, engine=engine).data and engine.settings.page_threads > 1
