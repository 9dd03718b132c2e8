"""POST /v1/analyze-image through the real ASGI app and the session engine."""

from __future__ import annotations

import pytest

from redactor.engine.pipeline import analyze

from .conftest import PII, Api


def test_analyze_answers_the_documented_shape(api: Api, letter_png: bytes, engine: object) -> None:
    response = api.post_image("/v1/analyze-image", letter_png)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    expected = analyze(letter_png, engine=engine).as_dict()  # type: ignore[arg-type]
    assert set(body) == set(expected) | {"tokens_charged"}
    assert body["image_dimensions"] == {"width": 700, "height": 200}
    found = {e["entity_type"]: e for e in body["entities"]}
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= set(found)
    person = found["PERSON"]
    assert set(person) == {"entity_type", "text", "score", "bbox", "boxes", "page", "color"}
    assert set(person["bbox"]) == {"x", "y", "width", "height"}
    assert person["page"] == 1 and person["text"] == "John Smith"
    assert body["tokens_charged"] == int(response.headers["X-Tokens-Charged"]) > 0
    assert response.headers["X-Tokens-Remaining"] == str(100000 - body["tokens_charged"])
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize("path", ["/v1/analyze-image", "/analyze-image"])
def test_both_paths_work(api: Api, letter_png: bytes, path: str) -> None:
    assert api.post_image(path, letter_png).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        [("entities", "EMAIL_ADDRESS,PHONE_NUMBER")],
        [("entities", "EMAIL_ADDRESS"), ("entities", "PHONE_NUMBER")],
        [("entities", " EMAIL_ADDRESS , PHONE_NUMBER ,")],
    ],
    ids=["comma", "repeated", "spaces"],
)
def test_entities_as_comma_list_or_repeated_field(api: Api, letter_png: bytes, fields: list[tuple[str, str]]) -> None:
    response = api.post_image("/v1/analyze-image", letter_png, fields=fields)

    assert response.status_code == 200, response.text
    assert {e["entity_type"] for e in response.json()["entities"]} == {"EMAIL_ADDRESS", "PHONE_NUMBER"}


def test_allow_list_deny_list_and_threshold(api: Api, letter_png: bytes) -> None:
    response = api.post_image(
        "/v1/analyze-image",
        letter_png,
        fields=[("allow_list", "John Smith"), ("deny_list", "Dear"), ("score_threshold", "0.5"), ("language", "en")],
    )

    assert response.status_code == 200, response.text
    texts = {e["text"] for e in response.json()["entities"]}
    assert "John Smith" not in texts
    assert "Dear" in texts
    assert all(e["score"] >= 0.5 for e in response.json()["entities"])


def test_ocr_text_is_returned(api: Api, letter_png: bytes) -> None:
    text = api.post_image("/v1/analyze-image", letter_png).json()["ocr_text"]
    for value in PII:
        assert value in text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"score_threshold": "1.5"}, "score_threshold"),
        ({"score_threshold": "high"}, "score_threshold"),
        ({"language": ""}, "language"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(
    api: Api, letter_png: bytes, fields: dict[str, str], field: str
) -> None:
    response = api.post_image("/v1/analyze-image", letter_png, fields=fields)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert field in body["detail"]
    assert any(field in err["loc"] for err in body["errors"])


def test_a_scalar_field_sent_twice_is_422(api: Api, letter_png: bytes) -> None:
    response = api.post_image("/v1/analyze-image", letter_png, fields=[("language", "en"), ("language", "de")])
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "repeated_field"


@pytest.mark.parametrize(
    ("fields", "code"),
    [({"entities": "NOT_A_TYPE"}, "invalid_option"), ({"language": "klingon"}, "invalid_option")],
)
def test_unknown_entity_or_language_is_422(api: Api, letter_png: bytes, fields: dict[str, str], code: str) -> None:
    response = api.post_image("/v1/analyze-image", letter_png, fields=fields)
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_missing_image_is_422(api: Api) -> None:
    response = api.client.post(
        "/v1/analyze-image", data={"language": "en"}, files={"other": ("x", b"1")}, headers={"X-API-Key": api.key()}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert "image" in response.json()["detail"]


def test_not_an_image_is_415(api: Api) -> None:
    response = api.post_image("/v1/analyze-image", b"PK\x03\x04 a zip archive, not an image")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_format"
    assert "PDF" in response.json()["detail"]


def test_corrupt_pdf_is_422(api: Api) -> None:
    response = api.post_image("/v1/analyze-image", b"%PDF-1.7 and nothing else")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_truncated_image_is_422(api: Api, letter_png: bytes) -> None:
    response = api.post_image("/v1/analyze-image", letter_png[:200])
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_empty_file_is_422(api: Api) -> None:
    response = api.post_image("/v1/analyze-image", b"")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_not_multipart_is_415(api: Api, letter_png: bytes) -> None:
    response = api.client.post(
        "/v1/analyze-image", content=letter_png, headers={"X-API-Key": api.key(), "Content-Type": "image/png"}
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_malformed_multipart_is_422(api: Api) -> None:
    response = api.client.post(
        "/v1/analyze-image",
        content=b'--b\r\nContent-Disposition: form-data; name="image"\r\n\r\nabc',  # never closed
        headers={"X-API-Key": api.key(), "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_too_many_pixels_for_the_plan_is_413(api: Api, render: object) -> None:
    big = render(["x"], size=(1200, 1000)).encode("PNG")  # type: ignore[operator]
    response = api.post_image("/v1/analyze-image", big, plan="small")  # small: 1,000,000 pixels
    assert response.status_code == 413
    assert response.json()["code"] == "image_too_large"


def test_too_many_pages_for_the_plan_is_413(api: Api, letter_doc: object) -> None:
    image = letter_doc.image  # type: ignore[attr-defined]
    tiff = letter_doc.encode("TIFF", save_all=True, append_images=[image], compression="tiff_lzw")  # type: ignore[attr-defined]
    response = api.post_image("/v1/analyze-image", tiff, plan="free")  # free: 1 page
    assert response.status_code == 413
    assert response.json()["code"] == "image_too_large"
    assert "2 pages" in response.json()["detail"]


@pytest.mark.parametrize("size", [(1, 1), (300, 200)])
def test_a_blank_page_is_no_server_error(api: Api, render: object, size: tuple[int, int]) -> None:
    blank = render([], size=size).encode("PNG")  # type: ignore[operator]
    response = api.post_image("/v1/analyze-image", blank)
    assert response.status_code == 200, response.text
    assert response.json()["entities"] == []
