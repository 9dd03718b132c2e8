"""Formats stage: sniffing, limits checked from the header, errors, round trips, orientation, metadata.

Round trips go through the real pipeline (``redact``), because "same format out, PII painted, nothing
else touched" is a property of the whole chain. Errors are checked on ``decode_image`` and on ``redact``.
"""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFile, ImageOps, ImageStat, PngImagePlugin, TiffImagePlugin

from redactor.engine import formats, ocr
from redactor.engine.models import Box, RedactOptions
from redactor.engine.pipeline import redact
from redactor.errors import CorruptImageError, ImageTooLargeError, InputError, RedactorError, UnsupportedFormatError

FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "WEBP", "GIF")
EMAIL = "jane.doe@example.com"
KEEP = "Invoice"
LINES = ["Invoice 2291", f"Email: {EMAIL}"]
SIZE = (640, 150)
# Tag numbers a TIFF needs to describe its pixels (the rest would be metadata).
TIFF_LAYOUT_TAGS = frozenset(
    {254, 255, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 282, 283, 284, 296, 317, 320, 338, 339, 347, 34675}
)


def encode(image: Image.Image, fmt: str, **save: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def to_mode(image: Image.Image, mode: str) -> Image.Image:
    """A black-on-white RGB page in ``mode``; with alpha, only the ink is opaque (the page is see-through)."""
    grey = image.convert("L")
    if mode == "1":
        return grey.point(lambda v: 255 if v >= 128 else 0).convert("1")
    if mode == "P":
        return image.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    if mode == "I;16":
        return grey.convert("I").point(lambda v: v * 257).convert("I;16")
    if mode in ("RGBA", "LA"):
        converted = image.convert(mode)
        converted.putalpha(grey.point(lambda v: 255 if v < 160 else 0))
        return converted
    return image.convert(mode)


def blank_boxes(image: Image.Image, boxes: list[Box]) -> Image.Image:
    """Copy with the given boxes set to zero, to compare what lies outside them."""
    copy = image.copy()
    draw = ImageDraw.Draw(copy)
    for box in boxes:
        draw.rectangle((box.x0, box.y0, box.x1 - 1, box.y1 - 1), fill=0)
    return copy


def redacted_boxes(result, page: int = 1) -> list[Box]:
    return [box for e in result.entities if e.page == page for box in e.boxes]


def no_ocr(*args: object, **kwargs: object) -> None:
    raise AssertionError("OCR ran on a file that should have been refused")


def no_decode(self: ImageFile.ImageFile) -> None:
    raise AssertionError("pixels were decoded for a file that should have been refused from its header")


# Pillow warns about each damaged structure it skips; damaged input is what these tests feed it.
damaged_input = pytest.mark.filterwarnings("ignore::UserWarning")

# ------------------------------------------------------------------------------------ sniffing


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_is_sniffed_from_bytes(fmt: str) -> None:
    image = Image.new("RGB", (8, 8), "white")
    assert formats.sniff_format(encode(image.convert("P") if fmt == "GIF" else image, fmt)) == fmt


@pytest.mark.parametrize(
    "data",
    [
        b"Name: John Smith\nEmail: john@example.com\n",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"RIFF\x24\x00\x00\x00WAVEfmt ",
        b"\x00\x00\x00\x0cjP  \r\n\x87\n",  # JPEG 2000
    ],
    ids=["text", "pdf", "zip", "svg", "wav", "jp2"],
)
def test_non_images_are_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        formats.decode_image(data, max_pixels=10**8, max_pages=10)
    assert info.value.code == "unsupported_format"
    assert info.value.exit_code == 2


def test_empty_file_is_invalid_input() -> None:
    with pytest.raises(InputError) as info:
        formats.decode_image(b"", max_pixels=10**8, max_pages=10)
    assert not isinstance(info.value, UnsupportedFormatError)
    assert info.value.code == "invalid_input"
    assert info.value.exit_code == 2


@damaged_input
@pytest.mark.parametrize("fmt", FORMATS)
def test_valid_magic_then_garbage_is_corrupt(fmt: str) -> None:
    magic = encode(Image.new("L", (8, 8)), fmt)[:12]
    data = magic + bytes(random.Random(fmt).randrange(256) for _ in range(300))
    with pytest.raises(CorruptImageError) as info:
        formats.decode_image(data, max_pixels=10**8, max_pages=10)
    assert info.value.code == "invalid_input"
    assert info.value.exit_code == 2


@damaged_input
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("keep", [0.25, 0.6, 0.95])
def test_truncated_file_is_corrupt(render, fmt: str, keep: float) -> None:
    image = render(LINES, size=(320, 90), font_size=16).image
    data = encode(image.convert("P") if fmt == "GIF" else image, fmt)
    with pytest.raises(CorruptImageError) as info:
        formats.decode_image(data[: int(len(data) * keep)], max_pixels=10**8, max_pages=10)
    assert info.value.code == "invalid_input"


def _pages(render, fmt: str) -> bytes:
    frames = [render([f"Page {i}", f"p{i}@example.com"], size=(320, 90), font_size=16).image for i in range(3)]
    if fmt == "GIF":
        frames = [f.convert("P") for f in frames]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:])


@damaged_input
@pytest.mark.parametrize(
    "fmt",
    [
        "GIF",
        "TIFF",
    ],
)
def test_truncated_multi_page_file_is_corrupt(render, fmt: str) -> None:
    data = _pages(render, fmt)
    wrong = {}
    for tenth in range(1, 10):
        cut = data[: len(data) * tenth // 10]
        try:
            formats.decode_image(cut, max_pixels=10**8, max_pages=10)
        except CorruptImageError:
            continue
        except Exception as e:  # noqa: BLE001 - anything else is the failure being looked for
            wrong[tenth] = f"{type(e).__name__}: {e}"
        else:
            wrong[tenth] = "decoded"
    assert wrong == {}


@damaged_input
@pytest.mark.parametrize(
    "fmt",
    ["JPEG", "PNG", "BMP", "WEBP", "GIF", "TIFF"],
)
def test_damaged_files_raise_only_our_errors(render, fmt: str) -> None:
    """Seeded byte flips and cuts: decoding either works or raises a RedactorError, never anything else."""
    pages = [render([EMAIL], size=(200, 40), font_size=16).image, render([KEEP], size=(200, 40), font_size=16).image]
    if fmt == "GIF":
        pages = [p.convert("P") for p in pages]
    many = {"save_all": True, "append_images": pages[1:]} if fmt in ("GIF", "TIFF", "WEBP") else {}
    data = encode(pages[0], fmt, **many)
    rng = random.Random(f"fuzz-{fmt}")
    escaped = []
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(8, len(damaged))]
        try:
            formats.decode_image(bytes(damaged), max_pixels=10**7, max_pages=10)
        except RedactorError:
            pass
        except Exception as e:  # noqa: BLE001 - the point is to catch anything
            escaped.append(f"{type(e).__name__}: {e}")
    assert escaped == []


@damaged_input
@pytest.mark.parametrize(
    ("make", "error", "code"),
    [
        (lambda png: b"", InputError, "invalid_input"),
        (lambda png: b"Name: John Smith, DOB 03/14/1979\n", UnsupportedFormatError, "unsupported_format"),
        (lambda png: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", CorruptImageError, "invalid_input"),
        (lambda png: png[: len(png) // 2], CorruptImageError, "invalid_input"),
        (lambda png: png[:16] + bytes(200), CorruptImageError, "invalid_input"),
    ],
    ids=["empty", "text", "pdf-header-only", "truncated", "garbage-after-magic"],
)
def test_redact_refuses_bad_input_before_ocr(engine, page, monkeypatch, make, error: type, code: str) -> None:
    monkeypatch.setattr(ocr, "read_words", no_ocr)
    with pytest.raises(error) as info:
        redact(make(page.encode("PNG")), engine=engine)
    assert info.value.code == code and info.value.exit_code == 2


# ------------------------------------------------------------------------------------ size and page limits


def png_header(width: int, height: int, *, bit_depth: int = 1, colour_type: int = 0, rows: int = 1) -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` but whose pixel data stops after a few rows."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    row = b"\x00" + b"\xff" * ((width * bit_depth + 7) // 8)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row * rows)) + chunk(b"IEND", b"")


def test_header_claiming_billions_of_pixels_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    data = png_header(100_000, 100_000)
    assert len(data) < 200_000
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decode)
    with pytest.raises(ImageTooLargeError) as info:
        formats.decode_image(data, max_pixels=100_000_000, max_pages=10)
    assert info.value.code == "image_too_large"
    assert info.value.exit_code == 2


def test_pixels_over_the_option_limit_are_refused_before_ocr(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    data = encode(Image.new("1", (4000, 3000), 1), "PNG")  # 12 Mpx in a few kB
    assert len(data) < 50_000
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decode)
    monkeypatch.setattr(ocr, "read_words", no_ocr)
    with pytest.raises(ImageTooLargeError) as info:
        redact(data, RedactOptions(max_pixels=10_000_000), engine=engine)
    assert info.value.code == "image_too_large"
    assert "10,000,000" in info.value.message


def test_too_many_pages_are_refused_before_ocr(engine, render, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _pages(render, "TIFF")
    monkeypatch.setattr(ocr, "read_words", no_ocr)
    with pytest.raises(ImageTooLargeError) as info:
        redact(data, RedactOptions(max_pages=2), engine=engine)
    assert info.value.code == "image_too_large"
    assert info.value.exit_code == 2


def test_frame_limit_counts_gif_frames(render) -> None:
    frames = [render([str(i)], size=(30, 20), font_size=10, origin=(2, 2)).image.convert("P") for i in range(12)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageTooLargeError):
        formats.decode_image(data, max_pixels=10**8, max_pages=11)
    assert len(formats.decode_image(data, max_pixels=10**8, max_pages=12).frames) == 12


def test_every_page_is_checked_against_the_pixel_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = Image.new("1", (100, 100), 1), Image.new("1", (3000, 3000), 1)
    data = encode(small, "TIFF", save_all=True, append_images=[large], compression="group4")
    with pytest.raises(ImageTooLargeError):
        formats.decode_image(data, max_pixels=1_000_000, max_pages=10)


def test_the_configured_pixel_limit_is_the_one_applied() -> None:
    data = png_header(10_000, 9_500)  # 95 Mpx of 1-bit pixels: under the 100 Mpx limit, ~200 MB decoded
    decoded = formats.decode_image(data, max_pixels=100_000_000, max_pages=1)
    assert decoded.frames[0].size == (10_000, 9_500)


# ------------------------------------------------------------------------------------ round trips

ROUND_TRIPS = [
    ("JPEG", "L"),
    ("JPEG", "RGB"),
    ("JPEG", "CMYK"),
    ("PNG", "1"),
    ("PNG", "L"),
    ("PNG", "P"),
    ("PNG", "RGB"),
    ("PNG", "RGBA"),
    ("PNG", "LA"),
    ("PNG", "I;16"),
    ("TIFF", "1"),
    ("TIFF", "L"),
    ("TIFF", "P"),
    ("TIFF", "RGB"),
    ("TIFF", "RGBA"),
    ("TIFF", "LA"),
    ("TIFF", "CMYK"),
    ("TIFF", "I;16"),
    ("BMP", "1"),
    ("BMP", "L"),
    ("BMP", "P"),
    ("BMP", "RGB"),
    ("WEBP", "RGB"),
    ("WEBP", "RGBA"),
    ("GIF", "P"),
    ("GIF", "L"),
]
LOSSY = {"JPEG"}


@pytest.fixture(scope="module")
def page(render):
    return render(LINES, size=SIZE)


@pytest.mark.parametrize(("fmt", "mode"), ROUND_TRIPS, ids=[f"{f}-{m}" for f, m in ROUND_TRIPS])
def test_round_trip_keeps_format_size_mode_and_paints_pii(engine, page, fill, fmt: str, mode: str) -> None:
    source = to_mode(page.image, "1" if (fmt, mode) == ("GIF", "L") else mode)
    data = encode(source, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    before = opened(data)
    assert before.mode == mode  # the combination really exists in this format

    result = redact(data, engine=engine)

    assert formats.sniff_format(result.data) == fmt
    assert result.format == fmt and result.mime_type == formats.MIME_TYPES[fmt]
    after = opened(result.data)
    assert after.format == fmt and after.size == before.size
    assert after.mode == mode or (fmt == "GIF" and after.mode in ("P", "L"))
    assert {e.entity_type for e in result.entities} >= {"EMAIL_ADDRESS"}
    assert fill(after, page.box(EMAIL)) >= 0.9
    assert fill(after, page.box(KEEP)) < 0.5  # ink alone covers about a quarter of a word's box; paint covers 90%+

    boxes = redacted_boxes(result)
    compare = "RGBA" if mode in ("P", "RGBA", "LA") or fmt == "GIF" else ("I" if mode == "I;16" else "RGB")
    outside_before = blank_boxes(before.convert(compare), boxes)
    outside_after = blank_boxes(after.convert(compare), boxes)
    if fmt in LOSSY:
        difference = ImageChops.difference(outside_before.convert("L"), outside_after.convert("L"))
        assert ImageStat.Stat(difference).mean[0] < 2.0
    else:
        assert outside_after.tobytes() == outside_before.tobytes()  # nothing else touched, alpha included
    if compare == "RGBA":
        alpha = after.convert("RGBA").getchannel("A")
        for box in boxes:
            assert alpha.crop((box.x0, box.y0, box.x1, box.y1)).getextrema() == (255, 255)  # painted = opaque


@pytest.mark.parametrize("lossless", [True, False])
def test_webp_keeps_its_compression_kind(engine, page, fill, lossless: bool) -> None:
    data = encode(page.image, "WEBP", lossless=lossless, quality=90)
    result = redact(data, engine=engine)
    assert (b"VP8L" in result.data[12:40]) is lossless
    assert fill(result.data, page.box(EMAIL)) >= 0.9


def test_png_with_one_transparent_palette_index_keeps_it(engine, page, fill) -> None:
    source = to_mode(page.image, "P")
    white = source.getpixel((0, 0))
    data = encode(source, "PNG", transparency=white)
    result = redact(data, engine=engine)
    after = opened(result.data)
    assert after.info.get("transparency") == white
    rgba = after.convert("RGBA")
    assert rgba.getpixel((0, 0))[3] == 0  # the page stays see-through
    box = page.box(EMAIL)
    assert rgba.crop((box.x0, box.y0, box.x1, box.y1)).getchannel("A").getextrema() == (255, 255)
    assert fill(after, box) >= 0.9


def test_png_with_a_palette_alpha_table_is_painted_opaque(engine, page) -> None:
    grey = page.image.convert("L")
    source = Image.new("P", grey.size)
    source.putpalette([0, 0, 0, 255, 255, 255, 40, 40, 40, 0, 0, 0] + [0, 0, 0] * 252)
    source.putdata([2 if v < 128 else 1 for v in grey.get_flattened_data()])
    data = encode(source, "PNG", transparency=bytes([0, 255, 255, 128]) + b"\xff" * 252)  # pngquant-style tRNS
    assert isinstance(opened(data).info["transparency"], bytes)
    result = redact(data, engine=engine)
    box = page.box(EMAIL)
    assert {e.entity_type for e in result.entities} >= {"EMAIL_ADDRESS"}
    alpha = opened(result.data).convert("RGBA").getchannel("A").crop((box.x0, box.y0, box.x1, box.y1))
    assert alpha.getextrema() == (255, 255)


# ------------------------------------------------------------------------------------ multi-page files


@pytest.fixture(scope="module")
def pages(render):
    texts = [
        ["Invoice 2291", "Email: anna.berg@example.com"],
        ["Reference 7731", "Email: piet.de.vries@example.org"],
        ["Summary page", "Email: li.wen@example.net"],
    ]
    return [render(lines, size=(600, 140)) for lines in texts]


def _email(lines: list[str]) -> str:
    return lines[1].removeprefix("Email: ")


def _check_every_page(result, pages, fill, fmt: str) -> None:
    after = opened(result.data)
    assert after.format == fmt
    assert after.n_frames == len(pages)
    for index, doc in enumerate(pages):
        after.seek(index)
        frame = after.convert("RGB")
        lines = [p[2] for p in doc.placements]
        assert fill(frame, doc.box(_email(lines))) >= 0.9, f"page {index + 1} not painted"
        assert fill(frame, doc.box(lines[0].split()[0])) < 0.5
    assert {e.page for e in result.entities if e.entity_type == "EMAIL_ADDRESS"} == {1, 2, 3}


def test_multi_page_tiff_every_page_is_redacted(engine, pages, fill) -> None:
    frames = [p.image for p in pages]
    data = encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    result = redact(data, engine=engine)
    _check_every_page(result, pages, fill, "TIFF")
    assert len(result.analysis.pages) == 3


def frame_durations(image: Image.Image) -> list[int]:
    """Each frame's duration in ms; WebP sets a frame's duration only when the frame is loaded."""
    durations = []
    for index in range(image.n_frames):
        image.seek(index)
        image.load()
        durations.append(image.info["duration"])
    return durations


def test_multi_frame_gif_every_frame_is_redacted_and_timing_kept(engine, pages, fill) -> None:
    frames = [p.image.convert("P", palette=Image.Palette.ADAPTIVE, colors=16) for p in pages]
    durations = [120, 250, 400]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    result = redact(data, engine=engine)
    _check_every_page(result, pages, fill, "GIF")
    after = opened(result.data)
    assert frame_durations(after) == durations
    assert after.info.get("loop") == 0


def test_animated_webp_every_frame_is_redacted_and_timing_kept(engine, pages, fill) -> None:
    frames = [p.image for p in pages]
    durations = [100, 300, 500]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=durations, lossless=True)
    result = redact(data, engine=engine)
    _check_every_page(result, pages, fill, "WEBP")
    after = opened(result.data)
    assert frame_durations(after) == durations


# ------------------------------------------------------------------------------------ EXIF orientation


@pytest.mark.parametrize(
    ("fmt", "orientation", "to_stored"),
    [
        ("JPEG", 6, Image.Transpose.ROTATE_90),
        ("JPEG", 8, Image.Transpose.ROTATE_270),
        ("PNG", 6, Image.Transpose.ROTATE_90),
        ("TIFF", 8, Image.Transpose.ROTATE_270),
    ],
)
def test_exif_rotated_input_is_redacted_in_displayed_orientation(
    engine, page, fill, fmt: str, orientation: int, to_stored: Image.Transpose
) -> None:
    stored = page.image.transpose(to_stored)
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = (
        encode(stored, fmt, exif=exif.tobytes())
        if fmt != "TIFF"
        else encode(stored, fmt, tiffinfo={0x0112: orientation})
    )
    shown = ImageOps.exif_transpose(opened(data))
    assert shown.size == SIZE and Image.open(io.BytesIO(data)).getexif().get(0x0112) == orientation
    if fmt != "TIFF":  # Pillow reports a rotated TIFF's displayed size; the others' stored size
        assert opened(data).size == (SIZE[1], SIZE[0])
    assert ImageStat.Stat(ImageChops.difference(shown.convert("L"), page.image.convert("L"))).mean[0] < 3

    result = redact(data, engine=engine)

    after = opened(result.data)
    assert after.size == SIZE
    assert after.getexif().get(0x0112) in (None, 1)  # no rotation left for a viewer to apply twice
    assert fill(after, page.box(EMAIL)) >= 0.9
    assert fill(after, page.box(KEEP)) < 0.5
    assert all(box.x1 <= SIZE[0] and box.y1 <= SIZE[1] for e in result.entities for box in e.boxes)


# ------------------------------------------------------------------------------------ metadata

SECRETS = {
    "make": b"AcmeSecretCam",
    "thumbnail": b"THUMB-COMMENT-7731",
    "xmp": b"xmp-secret-4471",
    "comment": b"com-secret-8812",
    "text": b"text-secret-5150",
    "itxt": b"itxt-secret-6060",
    "ztxt": b"ztxt-secret-9191",
    "description": b"desc-secret-3030",
}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>'
    b"<rdf:Description>xmp-secret-4471</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def exif_with_gps_and_thumbnail() -> bytes:
    """APP1-style EXIF (``Exif\\0\\0`` + TIFF): IFD0 with Make and a GPS pointer, a GPS IFD, IFD1 with a thumbnail."""
    thumbnail = encode(Image.new("RGB", (16, 16), "red"), "JPEG", comment=SECRETS["thumbnail"])

    def ifd(entries: list[tuple[int, int, int, bytes]], offset: int, next_ifd: int) -> bytes:
        size = 2 + 12 * len(entries) + 4
        body, data = struct.pack("<H", len(entries)), b""
        for tag, kind, count, payload in entries:
            if len(payload) <= 4:
                body += struct.pack("<HHI", tag, kind, count) + payload.ljust(4, b"\0")
            else:
                body += struct.pack("<HHII", tag, kind, count, offset + size + len(data))
                data += payload + b"\0" * (len(payload) % 2)
        return body + struct.pack("<I", next_ifd) + data

    def rationals(*pairs: tuple[int, int]) -> bytes:
        return b"".join(struct.pack("<II", n, d) for n, d in pairs)

    def layout(gps_at: int, ifd1_at: int, thumb_at: int) -> tuple[bytes, bytes, bytes]:
        ifd0 = ifd(
            [
                (0x010F, 2, 14, SECRETS["make"] + b"\0"),
                (0x0110, 2, 9, b"Spy-9000\0"),
                (0x8825, 4, 1, struct.pack("<I", gps_at)),
            ],
            8,
            ifd1_at,
        )
        gps = ifd(
            [
                (1, 2, 2, b"N\0"),
                (2, 5, 3, rationals((40, 1), (44, 1), (5436, 100))),
                (3, 2, 2, b"W\0"),
                (4, 5, 3, rationals((73, 1), (59, 1), (1, 1))),
            ],
            gps_at,
            0,
        )
        ifd1 = ifd(
            [(0x0103, 3, 1, struct.pack("<H", 6)), (0x0201, 4, 1, struct.pack("<I", thumb_at)),
             (0x0202, 4, 1, struct.pack("<I", len(thumbnail)))],
            ifd1_at,
            0,
        )  # fmt: skip
        return ifd0, gps, ifd1

    ifd0, gps, ifd1 = layout(0, 0, 0)
    gps_at = 8 + len(ifd0)
    ifd1_at = gps_at + len(gps)
    ifd0, gps, ifd1 = layout(gps_at, ifd1_at, ifd1_at + len(ifd1))
    return b"Exif\0\0" + b"II*\0" + struct.pack("<I", 8) + ifd0 + gps + ifd1 + thumbnail


def png_chunks(data: bytes) -> list[bytes]:
    kinds, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
    return kinds


def jpeg_markers(data: bytes) -> list[int]:
    markers, position = [], 2
    while position < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def riff_chunks(data: bytes) -> list[bytes]:
    kinds, position = [], 12
    while position + 8 <= len(data):
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        kinds.append(data[position : position + 4])
        position += 8 + length + (length % 2)
    return kinds


def assert_no_secrets(data: bytes) -> None:
    for name, secret in SECRETS.items():
        assert secret not in data, f"{name} survived"
    for marker in (b"Exif\0\0", b"<x:xmpmeta", b"http://ns.adobe.com/xap", b"Spy-9000"):
        assert marker not in data, f"{marker!r} survived"


def test_jpeg_exif_gps_thumbnail_xmp_and_comment_are_stripped(engine, page, fill) -> None:
    data = encode(page.image, "JPEG", exif=exif_with_gps_and_thumbnail(), xmp=XMP, comment=SECRETS["comment"])
    before = opened(data)
    assert before.getexif()[0x010F] == "AcmeSecretCam" and before.getexif().get_ifd(0x8825)[1] == "N"
    assert SECRETS["thumbnail"] in data and b"<x:xmpmeta" in data and before.info["comment"] == SECRETS["comment"]
    assert {0xE1, 0xFE} <= set(jpeg_markers(data))

    result = redact(data, engine=engine)

    assert_no_secrets(result.data)
    assert not {0xE1, 0xED, 0xFE} & set(jpeg_markers(result.data))  # no APP1 (EXIF/XMP), APP13 (IPTC), COM
    after = opened(result.data)
    assert not after.getexif() and not {"exif", "xmp", "comment"} & set(after.info)
    assert fill(after, page.box(EMAIL)) >= 0.9


def test_png_text_chunks_exif_and_xmp_are_stripped(engine, page, fill) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRETS["text"].decode())
    info.add_itxt("Comment", SECRETS["itxt"].decode(), lang="en", tkey="Comment")
    info.add_text("Description", SECRETS["ztxt"].decode(), zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    data = encode(page.image, "PNG", pnginfo=info, exif=exif_with_gps_and_thumbnail(), dpi=(300, 300))
    assert {b"tEXt", b"iTXt", b"zTXt", b"eXIf"} <= set(png_chunks(data))
    assert opened(data).getexif().get_ifd(0x8825)

    result = redact(data, engine=engine)

    assert not {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME"} & set(png_chunks(result.data))
    assert_no_secrets(result.data)
    after = opened(result.data)
    assert not after.getexif() and not after.text
    assert after.info.get("dpi") == pytest.approx((300, 300), abs=0.1)  # rendering hints survive
    assert fill(after, page.box(EMAIL)) >= 0.9


def test_tiff_exif_gps_xmp_and_description_tags_are_stripped(engine, page, fill) -> None:
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[270] = SECRETS["description"].decode()
    tags[271] = SECRETS["make"].decode()
    tags[315] = "Artist " + SECRETS["text"].decode()
    tags[700] = XMP
    tags[34853] = {1: "N", 2: (40.0, 44.0, 54.36)}
    tags[34665] = {0x9003: "2021:01:01 00:00:00", 0x927C: SECRETS["comment"]}
    data = encode(page.image, "TIFF", tiffinfo=tags)
    assert {270, 271, 315, 700, 34853, 34665} <= set(opened(data).tag_v2)

    result = redact(data, engine=engine)

    after = opened(result.data)
    assert set(after.tag_v2) <= TIFF_LAYOUT_TAGS
    assert_no_secrets(result.data)
    assert fill(after, page.box(EMAIL)) >= 0.9


def test_webp_exif_and_xmp_are_stripped(engine, page, fill) -> None:
    data = encode(page.image, "WEBP", lossless=True, exif=exif_with_gps_and_thumbnail(), xmp=XMP)
    assert {b"EXIF", b"XMP "} <= set(riff_chunks(data))

    result = redact(data, engine=engine)

    assert not {b"EXIF", b"XMP "} & set(riff_chunks(result.data))
    assert_no_secrets(result.data)
    assert fill(result.data, page.box(EMAIL)) >= 0.9


def test_gif_comment_is_stripped(engine, page, fill) -> None:
    data = encode(page.image.convert("P"), "GIF", comment=SECRETS["comment"])
    assert opened(data).info["comment"] == SECRETS["comment"]

    result = redact(data, engine=engine)

    assert SECRETS["comment"] not in result.data
    assert b"\x21\xfe" not in result.data[: result.data.find(b"\x2c")]  # no comment extension before the image
    assert "comment" not in opened(result.data).info
    assert fill(result.data, page.box(EMAIL)) >= 0.9
