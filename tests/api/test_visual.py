"""Faces over HTTP: found by analyze with pixel and normalised boxes, hidden by redact, counted in tokens."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

PHOTO = Path(__file__).resolve().parents[1] / "fixtures" / "visual" / "grace_hopper.jpg"


@pytest.fixture(scope="module")
def photo() -> bytes:
    return PHOTO.read_bytes()


def test_analyze_lists_faces_next_to_text_entities(api: Any, photo: bytes) -> None:
    body = api.post_image("/v1/analyze-image", photo, fields={"faces": "true"}, filename="p.jpg").json()
    [face] = body["objects"]
    assert face["entity_type"] == "FACE" and 0.5 < face["score"] <= 1 and face["page"] == 1
    width, height = Image.open(PHOTO).size
    box, norm = face["bbox"], face["normalized_bbox"]
    assert norm["x"] == pytest.approx(box["x"] / width, abs=0.01)
    assert norm["height"] == pytest.approx(box["height"] / height, abs=0.01)
    assert api.post_image("/v1/analyze-image", photo, filename="p.jpg").json()["objects"] == []


@pytest.mark.parametrize("method", ["fill", "blur"])
def test_redact_hides_the_face_so_the_detector_no_longer_finds_it(api: Any, photo: bytes, method: str) -> None:
    fields = {"faces": "true", "method": method, "shape": "mask"}
    response = api.post_image("/v1/redact-image", photo, fields=fields, filename="p.jpg")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/jpeg"
    assert int(response.headers["X-Redacted-Regions"]) >= 1
    again = api.post_image("/v1/analyze-image", response.content, fields={"faces": "true"}, filename="o.jpg")
    assert again.json()["objects"] == []
    assert Image.open(io.BytesIO(response.content)).size == Image.open(PHOTO).size


def test_visual_options_are_validated(api: Any, photo: bytes) -> None:
    for fields in ({"method": "smudge"}, {"blur_strength": "101"}, {"edge_blur": "-0.1"}, {"shape": "star"}):
        response = api.post_image("/v1/redact-image", photo, fields={"faces": "true", **fields}, filename="p.jpg")
        assert response.status_code == 422, (fields, response.text)


def test_approved_boxes_can_be_blurred(api: Any, photo: bytes) -> None:
    face = api.post_image("/v1/analyze-image", photo, fields={"faces": "true"}, filename="p.jpg").json()["objects"][0]
    boxes = json.dumps([{key: face["bbox"][key] for key in ("x", "y", "width", "height")}])
    response = api.post_image("/v1/redact-image", photo, fields={"boxes": boxes, "method": "blur"}, filename="p.jpg")
    assert response.status_code == 200, response.text
    output = Image.open(io.BytesIO(response.content)).convert("RGB")
    box = face["bbox"]
    inside = output.crop((box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]))
    colours = {p for p in inside.getdata()}
    assert len(colours) > 50  # blurred, not one flat fill
    again = api.post_image("/v1/analyze-image", response.content, fields={"faces": "true"}, filename="o.jpg")
    assert again.json()["objects"] == []
