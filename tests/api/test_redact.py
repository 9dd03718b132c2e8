"""POST /v1/redact-image: automatic redaction, explicit boxes, verify, formats, the Free plan's 403."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from .conftest import Api


def test_redact_answers_the_image_in_its_format_with_pii_painted(
    api: Api, letter_doc: Any, fill: Any, read_text: Any
) -> None:
    data = letter_doc.encode("PNG")
    response = api.post_image("/v1/redact-image", data, filename="scan of J. Smith.png")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"] == 'attachment; filename="scan_of_J._Smith-redacted.png"'
    assert int(response.headers["X-Redacted-Regions"]) >= 3
    assert int(response.headers["X-Entities-Found"]) >= 3
    assert int(response.headers["X-Tokens-Charged"]) > 0
    assert int(response.headers["X-Tokens-Remaining"]) == 100000 - int(response.headers["X-Tokens-Charged"])
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (700, 200)
    for value in ("John Smith", "john.smith@example.com", "212-555-0199"):
        assert fill(response.content, letter_doc.box(value)) > 0.9
    assert "smith@example" not in read_text(response.content)


@pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")])
def test_output_keeps_the_input_format(api: Api, letter_doc: Any, fmt: str, mime: str) -> None:
    response = api.post_image("/redact-image", letter_doc.encode(fmt), filename=f"x.{fmt.lower()}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == mime
    assert Image.open(io.BytesIO(response.content)).format == fmt


def test_fill_color_and_verify(api: Api, letter_doc: Any, fill: Any) -> None:
    response = api.post_image(
        "/v1/redact-image", letter_doc.encode("PNG"), fields={"fill_color": "#FF0000", "verify": "true"}
    )
    assert response.status_code == 200, response.text
    assert fill(response.content, letter_doc.box("john.smith@example.com"), (255, 0, 0)) > 0.9
    assert response.headers["X-Verification"] in ("passed", "failed")
    assert "X-Entities-Remaining" in response.headers


def test_verify_costs_a_second_read(api: Api, letter_png: bytes) -> None:
    once = int(api.post_image("/v1/redact-image", letter_png).headers["X-Tokens-Charged"])
    twice = int(api.post_image("/v1/redact-image", letter_png, fields={"verify": "1"}).headers["X-Tokens-Charged"])
    assert twice > once


def test_unknown_fill_color_is_422(api: Api, letter_png: bytes) -> None:
    response = api.post_image("/v1/redact-image", letter_png, fields={"fill_color": "mauve"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_option"


def test_explicit_boxes_paint_exactly_those_without_ocr(
    api: Api, letter_doc: Any, fill: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_ocr(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR must not run when boxes are given")

    monkeypatch.setattr("redactor.engine.ocr.read_words", no_ocr)
    email = letter_doc.box("john.smith@example.com")
    boxes = [
        {"x": email.x0, "y": email.y0, "width": email.width, "height": email.height, "page": 1},
        {"x": 0, "y": 0, "width": 5, "height": 5},
    ]
    response = api.post_image("/v1/redact-image", letter_doc.encode("PNG"), fields={"boxes": json.dumps(boxes)})

    assert response.status_code == 200, response.text
    assert response.headers["X-Redacted-Regions"] == "2"
    assert response.headers["X-Entities-Found"] == "0"
    assert fill(response.content, email) > 0.99
    assert fill(response.content, letter_doc.box("John Smith")) < 0.5  # not approved, not painted
    # per_call 2 + per_page 1 + 0 characters + 2 regions * 0.2 -> ceil(3.4) = 4
    assert response.headers["X-Tokens-Charged"] == "4"


def test_boxes_from_an_analysis_can_be_sent_back(api: Api, letter_png: bytes, fill: Any) -> None:
    analysis = api.post_image("/v1/analyze-image", letter_png).json()
    approved = [dict(e["bbox"], page=e["page"]) for e in analysis["entities"] if e["entity_type"] == "EMAIL_ADDRESS"]
    response = api.post_image("/v1/redact-image", letter_png, fields={"boxes": json.dumps(approved)})
    assert response.status_code == 200
    box = approved[0]
    from redactor.engine.models import Box

    assert fill(response.content, Box(box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])) > 0.99


@pytest.mark.parametrize(
    ("boxes", "code"),
    [
        ("not json", "invalid_request"),
        ('{"x": 1}', "invalid_request"),
        ('[{"x": 1, "y": 1, "width": 0, "height": 5}]', "invalid_request"),
        ('[{"x": -1, "y": 1, "width": 3, "height": 5}]', "invalid_request"),
        ('[{"x": 1, "y": 1, "width": 3, "height": 5, "page": 2}]', "invalid_option"),
        ('[{"x": 5000, "y": 1, "width": 3, "height": 5}]', "invalid_option"),
    ],
)
def test_invalid_boxes_are_422(api: Api, letter_png: bytes, boxes: str, code: str) -> None:
    response = api.post_image("/v1/redact-image", letter_png, fields={"boxes": boxes})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


def test_boxes_with_verify_is_422(api: Api, letter_png: bytes) -> None:
    response = api.post_image(
        "/v1/redact-image", letter_png, fields={"boxes": '[{"x":1,"y":1,"width":3,"height":3}]', "verify": "true"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_option"


def test_free_plan_has_no_image_redaction(api: Api, letter_png: bytes) -> None:
    response = api.post_image("/v1/redact-image", letter_png, plan="free")

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert "Free" in body["detail"] and "redaction" in body["detail"]
    assert api.post_image("/v1/analyze-image", letter_png, plan="free").status_code == 200
