"""PDFs over HTTP: redact-image answers an image-only PDF, analyze-image its pages and dpi, plans count pages."""

from __future__ import annotations

import io
import time
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest
from pdfs import LETTER, Page, Picture, Text, born_digital, many_pages

from .conftest import PII, Api

DPI = 200


def scan_of(render: Any, lines: list[str]) -> Page:
    document = render(lines, size=(1700, 2200), font_size=44, origin=(150, 200), line_height=90)
    return Page([Picture(document.image, 0, 0, *LETTER)])


@pytest.fixture(scope="module")
def scanned_pdf(render: Any) -> bytes:
    """Two scanned pages: the letter's PII on the second."""
    return born_digital(
        scan_of(render, ["Reference letter", "Nothing personal here."]),
        scan_of(render, ["Reference letter", f"Dear {PII[0]},", f"write to {PII[1]}", f"or call {PII[2]}."]),
    )


@pytest.fixture(scope="module")
def digital_pdf() -> bytes:
    return born_digital(Page([Text(f"Dear {PII[0]},", 72, 700), Text(f"write to {PII[1]}", 72, 680)]))


def squash(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum() or c in "@.")


def test_redact_image_answers_an_image_only_pdf(api: Api, scanned_pdf: bytes, read_text: Any) -> None:
    response = api.post_image("/v1/redact-image", scanned_pdf, filename="claim 12.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="claim_12-redacted.pdf"'
    assert int(response.headers["X-Entities-Found"]) >= 3
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2 and all(p.extract_text().strip() == "" for p in reader.pages)
    document = pdfium.PdfDocument(response.content)
    legible = squash(read_text(document[1].render(scale=DPI / 72).to_pil()))
    document.close()
    assert "referenceletter" in legible
    for value in PII:
        assert squash(value) not in legible


def test_pages_are_priced_like_image_pages(api: Api, scanned_pdf: bytes) -> None:
    analysis = api.post_image("/v1/analyze-image", scanned_pdf, filename="claim.pdf").json()
    assert analysis["pages"] == 2 and analysis["dpi"] == DPI
    assert analysis["page_sizes"] == [{"width": 1700, "height": 2200}] * 2
    assert {e["page"] for e in analysis["entities"]} == {2}
    tokens = api.services.plans.tokens
    expected = (
        tokens.per_call
        + tokens.per_page * 2
        + tokens.per_1000_characters * analysis["characters_read"] / 1000
        + tokens.per_entity * len(analysis["entities"])
    )
    assert analysis["tokens_charged"] == max(tokens.minimum, -(-expected // 1))


def test_born_digital_pdf_is_read_from_its_text(api: Api, digital_pdf: bytes) -> None:
    analysis = api.post_image("/v1/analyze-image", digital_pdf, filename="letter.pdf").json()
    assert {"PERSON", "EMAIL_ADDRESS"} <= {e["entity_type"] for e in analysis["entities"]}
    assert PII[1] in analysis["ocr_text"]


def test_plan_page_limit_counts_pdf_pages(api: Api, scanned_pdf: bytes) -> None:
    response = api.post_image("/v1/analyze-image", scanned_pdf + b"", plan="free", filename="claim.pdf")
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["code"] == "image_too_large" and "2 pages" in body["detail"] and "limit is 1" in body["detail"]


def test_ten_thousand_pages_refused_at_once(api: Api) -> None:
    started = time.monotonic()
    response = api.post_image("/v1/redact-image", many_pages(10_000), filename="bomb.pdf")
    assert response.status_code == 413 and response.json()["code"] == "image_too_large"
    assert "10000 pages" in response.json()["detail"]
    assert time.monotonic() - started < 20  # refused from the page tree, nothing rendered


def test_explicit_boxes_on_a_pdf_page(api: Api, digital_pdf: bytes) -> None:
    fields = {"boxes": '[{"x": 100, "y": 200, "width": 300, "height": 100, "page": 1}]'}
    response = api.post_image("/v1/redact-image", digital_pdf, filename="a.pdf", fields=fields)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf" and response.headers["X-Redacted-Regions"] == "1"
    document = pdfium.PdfDocument(response.content)
    page = document[0].render(scale=DPI / 72).to_pil().convert("L")
    document.close()
    assert page.getpixel((250, 250)) < 30 and page.getpixel((250, 350)) > 225


def test_openapi_lists_pdf_in_and_out(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    redact = spec["paths"]["/v1/redact-image"]["post"]
    assert "application/pdf" in redact["responses"]["200"]["content"]
    image = redact["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["image"]
    assert "PDF" in image["description"]
    analysis = spec["components"]["schemas"]["AnalysisOut"]["properties"]
    assert {"dpi", "page_sizes"} <= set(analysis)
