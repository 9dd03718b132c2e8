"""PDF stage: bombs refused before rendering, pages rendered with their own text, image-only output.

Every PDF here is made by the test: born-digital pages with PDFium (pypdfium2's raw API), scans
as images placed on pages, and bombs and hostile structures as hand-written bytes. Outputs are
read back with pypdf (structure) and PDFium (text, pixels), never with our own code.
"""

from __future__ import annotations

import io
import threading
import time

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from pdfs import LETTER, Page, Picture, Rect, Rule, Scribble, Text, born_digital, hand_pdf, many_pages, one_page, stream
from PIL import Image, ImageChops, ImageDraw

from redactor.engine.pdf import (
    OutputPage,
    PageObjects,
    PageSize,
    PdfChar,
    PdfLimits,
    PixelBox,
    choose_encoding,
    group_words,
    inspect_pdf,
    is_pdf,
    judge_text_layer,
    open_pdf,
    write_image_pdf,
)
from redactor.errors import (
    CorruptImageError,
    ImageTooLargeError,
    InputError,
    MissingDependencyError,
    UnsupportedFormatError,
)

LIMITS = PdfLimits(max_pages=20, max_pixels=40_000_000, dpi=144, timeout=20, memory_mb=1024)

# ------------------------------------------------------------------------------------------ builders


def scan_image(width: int = 850, height: int = 1100) -> Image.Image:
    """A page "scanned" at 100 dpi: grey paper, dark text-like bars."""
    image = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(image)
    for row in range(20):
        draw.rectangle((100, 100 + row * 40, 100 + 30 * (row % 7 + 5), 118 + row * 40), fill=30)
    return Image.blend(image, Image.effect_noise(image.size, 30), 0.2)


def ink(image: Image.Image, box: PixelBox | None = None) -> int:
    """Dark pixels (< 128) of a rendered page, optionally only inside ``box``."""
    grey = image.convert("L")
    if box is not None:
        grey = grey.crop((box.x0, box.y0, box.x1, box.y1))
    return grey.point(lambda v: 255 if v < 128 else 0).histogram()[255]


def read_page(data: bytes, index: int = 0, limits: PdfLimits = LIMITS):  # type: ignore[no-untyped-def]
    with open_pdf(data, limits) as reader:
        return reader.page(index)


# ------------------------------------------------------------------------------------------ sniffing


def test_is_pdf_by_magic_bytes() -> None:
    assert is_pdf(b"%PDF-1.7\n...")
    assert is_pdf(b"\x00" * 500 + b"%PDF-1.4\n")  # readers accept junk before the header
    assert not is_pdf(b"\x89PNG\r\n\x1a\n" + b"%PDF-" * 0)
    assert not is_pdf(b"")
    assert not is_pdf(b"\x00" * 1100 + b"%PDF-1.4")


def test_not_a_pdf_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError):
        open_pdf(b"GIF89a....", LIMITS)


# ------------------------------------------------------------------------------------------ inspection


def test_page_count_and_sizes_as_displayed() -> None:
    data = born_digital(
        Page([Text("one", 72, 700)]),
        Page([Text("two", 72, 500)], size=(595.28, 841.89)),
        Page([Text("three", 72, 500)], rotation=90),
    )
    info = inspect_pdf(data, LIMITS)
    assert info.page_count == 3
    assert not info.encrypted
    assert info.pages[0] == PageSize(612, 792)
    assert info.pages[1].width == pytest.approx(595.28, abs=0.01)
    assert info.pages[2] == PageSize(792, 612)  # rotated: as a viewer shows it
    assert info.pages[1].pixels(144) == (1191, 1684)


def test_pages_render_lazily_at_the_limits_dpi() -> None:
    data = born_digital(Page([Text("first", 72, 700)]), Page([Text("second", 72, 100)], size=(300, 200)))
    with open_pdf(data, LIMITS) as reader:
        pages = reader.pages()
        first = next(pages)
        assert first.index == 0 and first.image.size == (1224, 1584) and first.dpi == 144
        second = next(pages)
        assert second.image.size == (600, 400)
        assert [w.text for w in second.text.words] == ["second"]
        assert next(pages, None) is None


# ------------------------------------------------------------------------------------------ text layer


def test_born_digital_words_lines_and_boxes() -> None:
    page = read_page(born_digital(Page([Text("Hello John Smith", 72, 700), Text("12 Main Street", 72, 680)])))
    words = page.text.words
    assert [w.text for w in words] == ["Hello", "John", "Smith", "12", "Main", "Street"]
    assert [w.line for w in words] == [0, 0, 0, 1, 1, 1]
    hello = words[0]
    # 72 pt from the left at 144 dpi is 144 px; the baseline 700 pt up is 184 px from the top.
    assert hello.box.x0 == pytest.approx(144, abs=2)
    assert hello.box.y0 < 184 - 12 < hello.box.y1 - 1 and hello.box.y1 >= 184
    assert words[1].box.x0 > hello.box.x1 and words[3].box.y0 > hello.box.y1 - 4
    total = ink(page.image)
    assert total > 500
    # Every dark pixel of the page lies in a word box, and every word box holds ink.
    assert sum(ink(page.image, w.box) for w in words) == total
    assert all(ink(page.image, w.box) > 20 for w in words)
    assert page.text.trusted and page.text.reasons == ()


def test_rotated_page_words_group_and_boxes_hold_their_ink() -> None:
    page = read_page(born_digital(Page([Text("Rotated Jane Doe", 72, 700)], rotation=90)))
    assert page.image.size == (1584, 1224)
    words = page.text.words
    assert [w.text for w in words] == ["Rotated", "Jane", "Doe"]
    assert all(w.box.height > w.box.width for w in words)  # vertical on the displayed page
    assert sum(ink(page.image, w.box) for w in words) == ink(page.image)
    assert page.text.trusted


def test_table_rules_and_shaded_cells_keep_the_text_layer_trusted() -> None:
    items: list[Text | Picture | Scribble | Rule | Rect] = [Rect(60, 560, 480, 40, fill=(200, 200, 200))]
    items += [Rule(60, 600 - 20 * row, 540, 600 - 20 * row) for row in range(6)]
    items += [Rect(50, 450, 500, 170), Text("Name Alice Example", 70, 585), Text("Account 12345678", 70, 545)]
    page = read_page(born_digital(Page(items)))
    assert page.text.trusted, page.text.reasons


def test_scan_with_hidden_ocr_layer_is_not_trusted() -> None:
    """A scanned page with an invisible OCR text layer (render mode 3): OCR the image, never trust the layer."""
    data = born_digital(Page([Picture(scan_image(), 0, 0, *LETTER), Text("Hidden OCR words", 72, 700, mode=3)]))
    page = read_page(data)
    assert [w.text for w in page.text.words] == ["Hidden", "OCR", "words"]
    assert not page.text.trusted
    assert "invisible_text" in page.text.reasons and "images" in page.text.reasons


def test_invisible_text_alone_is_not_trusted() -> None:
    page = read_page(born_digital(Page([Text("Visible", 72, 700), Text("secret", 72, 600, mode=3)])))
    assert page.text.reasons == ("invisible_text",)


def test_scan_without_text_needs_ocr() -> None:
    page = read_page(born_digital(Page([Picture(scan_image(), 0, 0, *LETTER)])))
    assert page.text.words == ()
    assert not page.text.trusted and page.text.reasons == ("no_text", "images")


def test_an_image_that_could_hold_a_word_means_ocr() -> None:
    logo = Image.new("RGB", (200, 60), (20, 40, 160))
    page = read_page(born_digital(Page([Text("Letter from Bob", 72, 700), Picture(logo, 400, 700, 100, 30)])))
    assert page.text.reasons == ("images",)


def test_text_drawn_as_lines_is_unexplained_ink() -> None:
    page = read_page(born_digital(Page([Text("Dear customer", 72, 700), Scribble(72, 600)])))
    assert page.text.reasons == ("unexplained_ink",)


def test_annotations_that_draw_text_mean_ocr() -> None:
    appearance = stream(
        b"BT /F1 12 Tf 2 4 Td (Jane Roe) Tj ET",
        b"/Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 5 0 R >> >> ",
    )
    data = hand_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>",
            stream(b"BT /F1 12 Tf 72 700 Td (Signed by) Tj ET"),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Annot /Subtype /Stamp /Rect [72 600 172 620] /F 4 /AP << /N 7 0 R >> >>",
            appearance,
        ]
    )
    page = read_page(data)
    assert [w.text for w in page.text.words] == ["Signed", "by"]  # the stamp's text is not in the layer
    assert "annotations" in page.text.reasons
    assert ink(page.image, PixelBox(144, 344, 344, 384)) > 50  # ... but it is drawn, so OCR will read it


def test_group_words_gaps_lines_vertical_and_ligatures() -> None:
    def char(text: str, x0: int, y0: int, x1: int, y1: int, generated: bool = False) -> PdfChar:
        return PdfChar(text, PixelBox(x0, y0, x1, y1), generated=generated)

    chars = [
        char("\ufb01", 0, 0, 10, 20),  # the "fi" ligature
        char("t", 10, 0, 15, 20),
        char("A", 40, 0, 50, 20),  # a gap wider than half the height: new word, no space needed
        char("\r", 50, 0, 50, 0, generated=True),
        char("\n", 50, 0, 50, 0, generated=True),
        char("B", 0, 30, 10, 50),
        char("C", 100, 100, 110, 110),  # does not line up with B: a new line
        char("D", 100, 110, 110, 120),  # under C: vertical text goes on
        char(" ", 100, 120, 110, 125),
        char("E", 100, 125, 110, 135),
    ]
    words = group_words(chars)
    assert [(w.text, w.line) for w in words] == [("fit", 0), ("A", 0), ("B", 1), ("CD", 2), ("E", 2)]
    assert words[0].box == PixelBox(0, 0, 15, 20)


def test_judgement_fails_safe_on_unmapped_and_off_page_text() -> None:
    image = Image.new("L", (200, 100), 255)
    garbled = tuple(PdfChar("\ue001", PixelBox(10 + 10 * i, 10, 20 + 10 * i, 30)) for i in range(5))
    assert judge_text_layer(garbled, PageObjects(), image, dpi=72).reasons == ("unmapped_text",)
    flagged = (PdfChar("a", PixelBox(10, 10, 20, 30), unmapped=True),)
    assert "unmapped_text" in judge_text_layer(flagged, PageObjects(), image, dpi=72).reasons
    off = tuple(PdfChar("x", PixelBox(300 + 10 * i, 10, 310 + 10 * i, 30)) for i in range(5))
    assert "text_off_page" in judge_text_layer(off, PageObjects(), image, dpi=72).reasons
    assert judge_text_layer((), PageObjects(truncated=True), image, dpi=72).reasons == ("no_text", "truncated")


# ------------------------------------------------------------------------------------------ bombs


def form_fanout(levels: int) -> bytes:
    """Each form draws the next four times: 4**levels forms to expand when the page is parsed."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        stream(b"/X Do /X Do"),
    ]
    for level in range(levels):
        number = 5 + level
        last = level == levels - 1
        body = b"0 0 m 10 10 l S" if last else b"/X Do /X Do /X Do /X Do"
        resources = b"<< >>" if last else b"<< /XObject << /X %d 0 R >> >>" % (number + 1)
        objects.append(
            stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + resources + b" ")
        )
    return hand_pdf(objects)


def test_too_many_pages_refused_before_any_page_is_read() -> None:
    started = time.monotonic()
    with pytest.raises(ImageTooLargeError, match="10000 pages; the limit is 20"):
        open_pdf(many_pages(10_000), LIMITS)
    assert time.monotonic() - started < 10


def test_page_too_large_at_the_dpi_refused() -> None:
    with pytest.raises(ImageTooLargeError, match=r"Page 1 .* 28000 x 28000 pixels at 144 dpi"):
        open_pdf(one_page(b"[0 0 14000 14000]"), LIMITS)
    assert inspect_pdf(one_page(b"[0 0 14000 14000]"), PdfLimits(max_pages=1, max_pixels=10**9, dpi=144)).page_count


def test_absurd_page_sizes_refused() -> None:
    with pytest.raises(ImageTooLargeError, match="largest page accepted is 200 in"):
        open_pdf(one_page(b"[0 0 100000 100]"), PdfLimits(max_pages=1, max_pixels=10**12, dpi=72))
    with pytest.raises(CorruptImageError, match="no valid size"):
        open_pdf(one_page(b"[0 0 0.5 0.5]"), LIMITS)


def test_content_bomb_refused_within_the_time_and_memory_limits() -> None:
    """Forms that draw each other 4**12 times: PDFium alone took 15 GB and over a minute."""
    limits = PdfLimits(max_pages=5, max_pixels=10_000_000, dpi=72, timeout=10, memory_mb=768)
    started = time.monotonic()
    with pytest.raises(ImageTooLargeError, match="page 1 of the PDF needs more memory or time"):
        open_pdf(form_fanout(12), limits)
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(
    ("name", "objects"),
    [
        (
            "page tree that contains itself",
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 5 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            ],
        ),
        (
            "page tree 5000 levels deep",
            [b"<< /Type /Catalog /Pages 2 0 R >>"]
            + [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 3) for n in range(5000)]
            + [b"<< /Type /Page /MediaBox [0 0 612 792] >>"],
        ),
        (
            "a form that draws itself",
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 4 0 R >> >>"
                b" /Contents 5 0 R >>",
                stream(
                    b"/X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /X 4 0 R >> >> "
                ),
                stream(b"/X Do"),
            ],
        ),
        (
            "an object that is a reference to itself",
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R /Resources 5 0 R >>",
                b"4 0 R",
                b"<< /Parent 5 0 R /XObject << /Me 5 0 R >> >>",
            ],
        ),
        (
            "arrays nested 100000 deep",
            [
                b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 100_000 + b"]" * 100_000 + b" >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            ],
        ),
    ],
)
def test_recursive_structures_end_quickly_in_our_errors_or_a_page(name: str, objects: list[bytes]) -> None:
    limits = PdfLimits(max_pages=5, max_pixels=10_000_000, dpi=72, timeout=10, memory_mb=768)
    started = time.monotonic()
    try:
        with open_pdf(hand_pdf(objects), limits) as reader:
            for page in reader.pages():
                assert page.image.size[0] > 0
    except (CorruptImageError, ImageTooLargeError):
        pass
    assert time.monotonic() - started < 15, name


# ------------------------------------------------------------------------------------------ refused files


def encrypt(data: bytes, user: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_refused_with_a_clear_error() -> None:
    with pytest.raises(InputError, match="password") as caught:
        open_pdf(encrypt(one_page(), "user-secret"), LIMITS)
    assert caught.value.code == "invalid_input"
    assert type(caught.value) is InputError


def test_encrypted_without_a_user_password_opens() -> None:
    """Permissions-only encryption: every reader opens it without asking, so do we (the output is not encrypted)."""
    with open_pdf(encrypt(one_page(), ""), LIMITS) as reader:
        assert reader.info.encrypted
        assert [w.text for w in reader.page(0).text.words] == ["Hello"]


@pytest.mark.parametrize(
    "data",
    [one_page()[:200], b"%PDF-1.7\n" + b"\x00garbage" * 100, b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF"],
)
def test_truncated_or_corrupt_refused(data: bytes) -> None:
    with pytest.raises(CorruptImageError):
        open_pdf(data, LIMITS)


def test_messages_never_hold_document_text() -> None:
    for data in (many_pages(30), one_page(b"[0 0 100000 100]", b"BT /F1 12 Tf (Jane Secret) Tj ET")):
        with pytest.raises(ImageTooLargeError) as caught:
            open_pdf(data, LIMITS)
        assert "Jane" not in caught.value.message and "Secret" not in caught.value.message


# ------------------------------------------------------------------------------------------ output


def rich_original() -> bytes:
    """A page of text with everything an output must not carry: metadata, forms, files, scripts, notes."""
    return hand_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R] >> /Metadata 9 0 R /Outlines 10 0 R"
            b" /Names << /EmbeddedFiles << /Names [(secret.txt) 11 0 R] >> /JavaScript << /Names [(js) 13 0 R] >> >>"
            b" /OpenAction 13 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R 8 0 R] >>",
            stream(b"BT /F1 14 Tf 72 760 Td (Patient Jane Secret) Tj ET"),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Annot /Subtype /Text /Rect [300 700 320 720] /Contents (note about Jane Secret) >>",
            b"<< /Author (Jane Secret) /Title (Medical record) /Producer (Secret Producer) >>",
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Jane Secret) /Rect [72 600 272 620] /P 3 0 R >>",
            stream(b"<x:xmpmeta>Jane Secret</x:xmpmeta>", b"/Type /Metadata /Subtype /XML "),
            b"<< /Type /Outlines /First 12 0 R /Last 12 0 R /Count 1 >>",
            b"<< /Type /Filespec /F (secret.txt) /EF << /F 14 0 R >> >>",
            b"<< /Title (Jane Secret) /Parent 10 0 R /Dest [3 0 R /Fit] >>",
            b"<< /S /JavaScript /JS (app.alert('Jane Secret')) >>",
            stream(b"Jane Secret's attachment", b"/Type /EmbeddedFile "),
        ],
        trailer=b"/Info 7 0 R ",
    )


def test_output_is_images_only_and_nothing_of_the_original_survives() -> None:
    original = rich_original()
    assert b"Jane Secret" in original and pypdf.PdfReader(io.BytesIO(original)).metadata is not None
    with open_pdf(original, LIMITS) as reader:
        pages = [OutputPage(page.image, page.size) for page in reader.pages()]
    output = write_image_pdf(pages)

    assert b"Jane" not in output and b"JavaScript" not in output
    parsed = pypdf.PdfReader(io.BytesIO(output), strict=True)
    assert parsed.metadata is None
    assert "/Info" not in parsed.trailer
    assert set(parsed.trailer.keys()) == {"/Size", "/Root", "/ID"}
    catalog = parsed.trailer["/Root"]
    assert set(catalog.keys()) == {"/Type", "/Pages"}  # no /AcroForm /Names /OpenAction /Metadata /Outlines
    assert len(parsed.pages) == 1
    page = parsed.pages[0]
    assert set(page.keys()) == {"/Type", "/Parent", "/MediaBox", "/Resources", "/Contents"}
    assert [float(v) for v in page.mediabox] == [0, 0, 595, 842]
    resources = page["/Resources"]
    assert set(resources.keys()) == {"/XObject"}
    for xobject in resources["/XObject"].values():
        assert xobject.get_object()["/Subtype"] == "/Image"
    assert page.extract_text() == ""

    rendered = pdfium.PdfDocument(output)
    assert rendered[0].get_textpage().count_chars() == 0
    assert len(rendered.get_attachments() if hasattr(rendered, "get_attachments") else []) == 0
    assert raw.FPDFPage_GetAnnotCount(rendered[0].raw) == 0
    # The page still looks the same: rendered at the same dpi, the pixels match the input's render.
    again = rendered[0].render(scale=144 / 72).to_pil().convert("L")
    difference = ImageChops.difference(again, pages[0].image.convert("L"))
    assert sum(difference.histogram()[40:]) < 0.001 * again.width * again.height


def test_output_keeps_every_page_size_in_points() -> None:
    sizes = [PageSize(612, 792), PageSize(841.89, 595.28), PageSize(200.5, 300.25)]
    output = write_image_pdf(OutputPage(Image.new("L", size.pixels(100), 255), size) for size in sizes)
    parsed = pypdf.PdfReader(io.BytesIO(output), strict=True)
    assert [(float(p.mediabox.width), float(p.mediabox.height)) for p in parsed.pages] == [
        (612, 792),
        (841.89, 595.28),
        (200.5, 300.25),
    ]


def photo() -> Image.Image:
    return Image.merge("RGB", [Image.effect_noise((300, 200), sigma) for sigma in (40, 60, 80)])


@pytest.mark.parametrize(
    ("image", "encoding", "filter_", "bits", "space"),
    [
        (Image.new("1", (300, 200), 1), "bilevel", "/FlateDecode", 1, "/DeviceGray"),
        (Image.new("L", (300, 200), 255).point(lambda v: v), "bilevel", "/FlateDecode", 1, "/DeviceGray"),
        (photo(), "jpeg", "/DCTDecode", 8, "/DeviceRGB"),
        (photo().convert("L"), "jpeg", "/DCTDecode", 8, "/DeviceGray"),
        (photo().convert("L").convert("RGB"), "jpeg", "/DCTDecode", 8, "/DeviceGray"),  # grey in RGB: stored grey
        (None, "flate", "/FlateDecode", 8, "/DeviceGray"),
    ],
)
def test_page_images_are_encoded_by_content(
    image: Image.Image | None, encoding: str, filter_: str, bits: int, space: str
) -> None:
    if image is None:  # a rendered text page: white paper, anti-aliased grey edges
        image = Image.new("L", (300, 200), 255)
        ImageDraw.Draw(image).text((20, 20), "Anti-aliased text", fill=0, font_size=20)
    assert choose_encoding(image) == encoding
    output = write_image_pdf([OutputPage(image, PageSize(216, 144))])
    xobject = next(iter(pypdf.PdfReader(io.BytesIO(output)).pages[0]["/Resources"]["/XObject"].values())).get_object()
    assert (xobject["/Filter"], xobject["/BitsPerComponent"], xobject["/ColorSpace"]) == (filter_, bits, space)
    # PDFium's decoding of the image object (pypdf 7 misreads 1-bit images with a PNG predictor).
    decoded = next(pdfium.PdfDocument(output)[0].get_objects()).get_bitmap(render=False).to_pil()
    assert decoded.size == image.size
    if encoding != "jpeg":  # lossless: the very same pixels
        assert ImageChops.difference(decoded.convert("L"), image.convert("L")).getbbox() is None


@pytest.mark.parametrize("mode", ["RGBA", "P", "CMYK", "LA", "I;16"])
def test_any_image_mode_is_written(mode: str) -> None:
    image = Image.new("RGB", (120, 80), (250, 250, 250))
    ImageDraw.Draw(image).rectangle((10, 10, 60, 40), fill=(0, 0, 0))
    if mode == "I;16":  # 16-bit samples: 0..65535
        converted = image.convert("L").convert("I").point(lambda v: v * 257).convert("I;16")
    else:
        converted = image.convert(mode)
    output = write_image_pdf([OutputPage(converted, PageSize(86.4, 57.6))])
    rendered = pdfium.PdfDocument(output)[0].render(scale=100 / 72).to_pil().convert("L")
    assert rendered.getpixel((30, 25)) < 40 and rendered.getpixel((100, 70)) > 200


def test_writing_no_pages_is_an_error() -> None:
    with pytest.raises(ValueError):
        write_image_pdf([])


# ------------------------------------------------------------------------------------------ process


def test_readers_in_threads_run_side_by_side() -> None:
    data = born_digital(Page([Text("Thread safe", 72, 700)]), Page([Text("Second page", 72, 700)]))
    results: list[list[str]] = []

    def read() -> None:
        with open_pdf(data, LIMITS) as reader:
            results.append([w.text for page in reader.pages() for w in page.text.words])

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [["Thread", "safe", "Second", "page"]] * 3


def test_closing_stops_the_reader_process() -> None:
    reader = open_pdf(one_page(), LIMITS)
    process = reader._worker._process
    assert process.poll() is None
    reader.close()
    assert process.poll() is not None
    with pytest.raises(RuntimeError):
        reader.page(0)


def test_a_reader_that_dies_fails_the_page_not_the_service() -> None:
    """A crash (or the kernel's memory limit) in the reader process is our error, and nothing is returned."""
    reader = open_pdf(one_page(), LIMITS)
    reader._worker._process.kill()
    with pytest.raises(ImageTooLargeError, match="page 1 of the PDF"):
        reader.page(0)
    reader.close()


def test_a_reader_that_cannot_start_is_a_missing_dependency() -> None:
    with pytest.raises(MissingDependencyError):
        open_pdf(one_page(), PdfLimits(max_pages=1, max_pixels=10**6, memory_mb=8))
