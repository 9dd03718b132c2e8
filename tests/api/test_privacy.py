"""Guards: nothing of the upload or the text reaches logs or disk; the engine imports nothing of this layer."""

from __future__ import annotations

import io
import json
import logging
import tempfile
from typing import Any

import pytest
from PIL import Image

from .conftest import PII, Api


def test_logs_carry_ids_and_counts_never_content(api: Api, letter_png: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    filename = "Jane-Roe-medical.png"
    api.post_image("/v1/analyze-image", letter_png, filename=filename)
    api.post_image("/v1/redact-image", letter_png, filename=filename, fields={"deny_list": "Dear", "verify": "true"})
    api.post_image("/v1/analyze-image", letter_png, filename=filename, fields={"score_threshold": "John Smith"})
    api.post_image("/v1/analyze-image", b"John Smith junk", filename=filename)

    text = "\n".join(r.getMessage() for r in caplog.records)
    for needle in (*PII, "Smith", "Jane", "medical", "Dear"):
        assert needle not in text, needle
    lines = [r.getMessage() for r in caplog.records if r.name == "redactor.api" and "endpoint=" in r.getMessage()]
    assert len(lines) == 4
    for line in lines:
        for field in ("request_id=", "key=key_", "endpoint=", "status=", "duration_ms=", "tokens="):
            assert field in line
    assert "tokens=0" not in lines[0] and "status=200" in lines[0]


def test_uploads_never_touch_disk(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 3 MB upload (above Starlette's 1 MB spool threshold) is parsed without any temporary file."""

    def no_disk(*args: object, **kwargs: object) -> Any:
        raise AssertionError("a temporary file was created")

    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, no_disk)
    image = Image.effect_noise((1000, 1000), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "BMP")
    assert buffer.tell() > 2_900_000

    response = api.post_image(
        "/v1/redact-image",
        buffer.getvalue(),
        fields={"boxes": json.dumps([{"x": 0, "y": 0, "width": 10, "height": 10}])},
    )
    assert response.status_code == 200, response.text
