"""Redaction styles over HTTP: per-type colours, redact-all-text and the anonymized text."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

from PIL import Image

EMAIL = "john.smith@example.com"


def test_colour_mapping_paints_each_type_and_is_reported(api: Any, letter_png: bytes, letter_doc: Any, fill) -> None:
    colors = json.dumps({"EMAIL_ADDRESS": "blue", "default": "black"})
    analysis = api.post_image("/v1/analyze-image", letter_png, fields={"fill_color": colors}).json()
    by_type = {e["entity_type"]: e["color"] for e in analysis["entities"]}
    assert by_type["EMAIL_ADDRESS"] == "#0000ff" and by_type["PERSON"] == "#000000"
    response = api.post_image("/v1/redact-image", letter_png, fields={"fill_color": colors})
    assert response.status_code == 200, response.text
    assert fill(response.content, letter_doc.box(EMAIL), (0, 0, 255), tolerance=5) >= 0.9
    assert fill(response.content, letter_doc.box("John Smith"), (0, 0, 0), tolerance=5) >= 0.9


def test_bad_colour_mappings_are_clear_422s(api: Any, letter_png: bytes) -> None:
    for value, code in [("{not json", "invalid_request"), ('{"SHOE": "red"}', "invalid_option")]:
        response = api.post_image("/v1/redact-image", letter_png, fields={"fill_color": value})
        assert response.status_code == 422, response.text
        assert response.json()["code"] == code


def test_redact_all_text_keeps_only_allowed_terms(api: Any, letter_png: bytes, letter_doc: Any, fill) -> None:
    fields = [("redact_all_text", "true"), ("allow_list", "Dear")]
    response = api.post_image("/v1/redact-image", letter_png, fields=fields)
    assert response.status_code == 200, response.text
    assert fill(response.content, letter_doc.box("Dear")) < 0.5
    for word in ("write", "call", EMAIL):
        assert fill(response.content, letter_doc.box(word)) >= 0.9, word


def test_analyze_returns_anonymized_text_with_the_chosen_operator(api: Any, letter_png: bytes) -> None:
    body = api.post_image("/v1/analyze-image", letter_png).json()
    assert "<EMAIL_ADDRESS>" in body["anonymized_text"] and EMAIL not in body["anonymized_text"]
    fields = {"text_operator": "mask", "mask_char": "#", "mask_keep_last": "3"}
    masked = api.post_image("/v1/analyze-image", letter_png, fields=fields).json()["anonymized_text"]
    assert "#" * (len(EMAIL) - 3) + "com" in masked


def test_redact_with_anonymized_text_answers_json_with_the_image(api: Any, letter_png: bytes) -> None:
    response = api.post_image("/v1/redact-image", letter_png, fields={"anonymize_text": "true"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["content_type"] == "image/png" and body["filename"].endswith(".png")
    assert EMAIL not in body["anonymized_text"] and "<PERSON>" in body["anonymized_text"]
    image = Image.open(io.BytesIO(base64.b64decode(body["image_base64"])))
    assert image.format == "PNG" and image.size == (700, 200)
    assert body["tokens_charged"] == int(response.headers["X-Tokens-Charged"])


def test_unknown_operator_is_refused(api: Any, letter_png: bytes) -> None:
    response = api.post_image("/v1/analyze-image", letter_png, fields={"text_operator": "encrypt"})
    assert response.status_code == 422


def test_explicit_boxes_may_carry_their_own_colour(api: Any, letter_png: bytes, letter_doc: Any, fill) -> None:
    email, name = letter_doc.box(EMAIL), letter_doc.box("John Smith")
    boxes = json.dumps(
        [
            {"x": email.x0, "y": email.y0, "width": email.width, "height": email.height, "color": "blue"},
            {"x": name.x0, "y": name.y0, "width": name.width, "height": name.height},
        ]
    )
    response = api.post_image("/v1/redact-image", letter_png, fields={"boxes": boxes, "fill_color": "red"})
    assert response.status_code == 200, response.text
    assert fill(response.content, email, (0, 0, 255), tolerance=5) >= 0.99
    assert fill(response.content, name, (255, 0, 0), tolerance=5) >= 0.99
