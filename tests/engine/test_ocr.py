"""OCR stage: languages, page preparation, real Tesseract on rendered text, and injected faults."""

from __future__ import annotations

import dataclasses
import io
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from redactor.engine import ocr
from redactor.engine.models import Box, RedactOptions, Word
from redactor.engine.pipeline import analyze, redact
from redactor.errors import ConfigError, InvalidOptionError, MissingDependencyError, OcrError, OcrTimeoutError

EMAIL = "jane.doe@example.com"


def iou(a: Box, b: Box) -> float:
    x0, y0, x1, y1 = max(a.x0, b.x0), max(a.y0, b.y0), min(a.x1, b.x1), min(a.y1, b.y1)
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter / (a.area + b.area - inter)


# ------------------------------------------------------------------------------------ languages

AVAILABLE = ("deu", "eng", "fra", "chi_sim")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en", "eng"),
        ("EN", "eng"),
        ("eng", "eng"),
        ("de+en", "deu+eng"),
        ("deu,eng", "deu+eng"),
        (" fr + en ", "fra+eng"),
        ("en+eng", "eng"),
        ("zh", "chi_sim"),
    ],
)
def test_language_codes_resolve(given: str, expected: str) -> None:
    assert ocr.resolve_language(given, AVAILABLE) == expected


@pytest.mark.parametrize("given", ["xx", "klingon+en", "", "+", "ja"])
def test_unknown_language_lists_the_supported_ones(given: str) -> None:
    with pytest.raises(InvalidOptionError) as info:
        ocr.resolve_language(given, AVAILABLE)
    assert info.value.code == "invalid_option" and info.value.exit_code == 1
    assert "supported: deu, eng, fra, chi_sim" in info.value.message
    if given == "klingon+en":
        assert "klingon" in info.value.message


def test_probe_finds_tesseract_and_english(tessdata_dir: Path) -> None:
    info = ocr.probe_tesseract()
    assert info.version.split(".")[0] in ("4", "5")
    assert "eng" in info.languages and "osd" not in info.languages
    assert info.tessdata_dir == tessdata_dir and any(tessdata_dir.glob("eng.traineddata"))


def test_tesseract_reads_each_page_as_its_own_without_learning_from_the_last(tessdata_dir: Path) -> None:
    api = ocr._tesserocr_api("eng", tessdata_dir)
    assert api.GetVariableAsString("classify_enable_learning") == "0"
    assert api.GetVariableAsString("thresholding_method") == "2"


def test_probe_refuses_a_configured_tessdata_dir_that_does_not_exist(tmp_path: Path, tessdata_dir: Path) -> None:
    with pytest.raises(ConfigError):
        ocr.probe_tesseract(tmp_path / "no-such-tessdata")


# ------------------------------------------------------------------------------------ page preparation


def test_dark_background_is_inverted() -> None:
    image = Image.new("RGB", (50, 20), (10, 20, 60))
    image.paste((250, 250, 250), (5, 5, 20, 15))
    prepared = ocr.prepare_for_ocr(image)
    assert prepared.mode == "L"
    assert prepared.getpixel((0, 0)) > 200 and prepared.getpixel((10, 10)) < 20


def test_light_background_is_kept() -> None:
    image = Image.new("L", (50, 20), 240)
    image.paste(0, (5, 5, 20, 15))
    prepared = ocr.prepare_for_ocr(image)
    assert prepared.getpixel((0, 0)) == 240 and prepared.getpixel((10, 10)) == 0


def test_transparent_page_is_read_on_white() -> None:
    image = Image.new("RGBA", (50, 20), (0, 0, 0, 0))  # see-through black: must not read as a dark page
    image.paste((0, 0, 0, 255), (5, 5, 20, 15))
    prepared = ocr.prepare_for_ocr(image)
    assert prepared.getpixel((0, 0)) == 255 and prepared.getpixel((10, 10)) == 0


def test_sixteen_bit_grey_is_scaled_to_eight() -> None:
    image = Image.new("I", (50, 20), 60000)
    image.paste(1000, (5, 5, 20, 15))
    image = image.convert("I;16")
    assert (image.getpixel((0, 0)), image.getpixel((10, 10))) == (60000, 1000)
    prepared = ocr.prepare_for_ocr(image)
    assert prepared.mode == "L"
    assert prepared.getpixel((0, 0)) == 60000 // 256 and prepared.getpixel((10, 10)) == 1000 // 256


# ------------------------------------------------------------------------------------ real Tesseract


def test_words_have_their_text_boxes_and_lines(render, tessdata_dir: Path) -> None:
    doc = render(["Invoice 2291", f"Email: {EMAIL}"], size=(640, 150))
    words = ocr.read_words(doc.image.convert("L"), language="eng", timeout=30, tessdata_dir=tessdata_dir)
    by_text = {w.text: w for w in words}
    assert {"Invoice", "2291", "Email:", EMAIL} <= set(by_text)
    for text in ("Invoice", "2291", EMAIL):
        assert iou(by_text[text].box, doc.box(text)) > 0.6, text
    assert by_text["Invoice"].line_key == by_text["2291"].line_key != by_text[EMAIL].line_key
    assert all(0 <= w.conf <= 100 for w in words)


def test_small_text_is_read_enlarged_and_boxed_in_original_pixels(render, tessdata_dir: Path) -> None:
    doc = render(["Invoice 2291", "Phone 212 555 0187"], size=(260, 70), font_size=12, origin=(10, 10))
    image = doc.image.convert("L")
    words = ocr.read_words(image, language="eng", timeout=30, tessdata_dir=tessdata_dir)
    by_text = {w.text: w for w in words}
    assert {"Invoice", "2291", "0187"} <= set(by_text)
    for text in ("Invoice", "0187"):
        box = by_text[text].box
        assert box.x1 <= image.width and box.y1 <= image.height
        assert iou(box, doc.box(text)) > 0.5, text


def test_small_lines_beside_a_large_heading_are_read_again_alone(render, tessdata_dir: Path) -> None:
    """A letterhead's address right of a large heading: Tesseract garbles it into the heading's line."""
    page = render(["Riverside Medical Group"], size=(1300, 420), font_size=56, origin=(30, 40)).image
    address = render(
        ["Unit 1423 Box 9010", "DPO AE 98796"], size=(300, 80), font_size=20, origin=(5, 5), line_height=32
    )
    body = render(["The patient was seen in clinic today and is well."], size=(1200, 80), font_size=20, origin=(5, 5))
    page.paste(address.image, (950, 45))
    page.paste(body.image, (30, 220))
    words = ocr.read_words(page.convert("L"), language="eng", timeout=30, tessdata_dir=tessdata_dir)
    by_text = {w.text: w for w in words}
    assert {"Unit", "1423", "9010", "DPO", "98796", "Riverside", "patient"} <= set(by_text)
    assert by_text["9010"].line_key != by_text["98796"].line_key != by_text["Group"].line_key
    box = by_text["98796"].box  # in the page's pixels, inside the pasted address
    assert 950 <= box.x0 < box.x1 <= 1250 and 45 <= box.y0 < box.y1 <= 125


def test_a_crop_read_again_drops_the_lines_it_shares_with_words_read_already() -> None:
    # The crop of a tall unsure word takes in the bottom of the line above: that line is read already.
    above = [Box(0, 0, 60, 20), Box(70, 0, 130, 20)]
    again = [
        Word("Reset", Box(2, 12, 58, 20), 96, (1, 0, 0)),
        Word("el", Box(58, 12, 68, 20), 18, (1, 0, 0)),  # a sliver between two words: dropped with its line
        Word("your", Box(72, 12, 128, 20), 96, (1, 0, 0)),
        Word("example.org/a-b", Box(0, 30, 200, 50), 91, (2, 0, 0)),
    ]
    assert [w.text for w in ocr._own_lines(again, above)] == ["example.org/a-b"]
    assert ocr._own_lines(again, []) == again


def test_blank_page_has_no_words(tessdata_dir: Path) -> None:
    assert ocr.read_words(Image.new("L", (300, 100), 255), language="eng", timeout=30, tessdata_dir=tessdata_dir) == []


def test_two_languages_at_once(render, tessdata_dir: Path) -> None:
    doc = render(["Müller Straße 5", "Invoice"], size=(500, 120))
    words = ocr.read_words(doc.image.convert("L"), language="deu+eng", timeout=30, tessdata_dir=tessdata_dir)
    assert {"Müller", "Straße", "Invoice"} <= {w.text for w in words}


@pytest.mark.parametrize(
    ("texts", "confs", "greek"),
    [
        (["Σισανίου", "5"], [71.0, 97.0], True),
        (["Τρίκαλα,", "Αττική", "ΤΚ", "66196"], [96.0, 97.0, 95.0, 97.0], True),  # a short Greek word beside long ones
        (["ΟΠ", "my", "way"], [90.0, 96.0, 96.0], False),  # "on" read in Greek capitals
        (["ΙΒΑΝ", "ΕΙ43"], [90.0, 90.0], False),  # "IBAN FI43": Greek capitals that Latin ones look like
        (["Jaakko", "ΝΙΓίαΠεΠ’5", "killers"], [96.0, 70.0, 96.0], False),  # "Virtanen's": no Greek word's shape
        (["Λεωφ.", "Ποσειδώνος", "226,", "ΜΑΡΙ,"], [96.0, 96.0, 97.0, 91.0], True),
        (["Ηλίου", "64,", "ΛΑΡΝΑΚΑ,"], [94.0, 95.0, 96.0], True),
        (["Γ1{οπγ5δΙ"], [44.0], False),  # "Litomyšl" read in Greek letters, unsure
        (["Patient", "record"], [96.0, 96.0], False),
    ],
)
def test_a_reading_counts_as_greek_with_a_long_greek_word_and_none_unsure(
    texts: list[str], confs: list[float], greek: bool
) -> None:
    words = [Word(text, Box(0, 0, 10, 10), conf, (0, 0, 0)) for text, conf in zip(texts, confs, strict=True)]
    assert ocr._reads_greek(words) is greek


def test_a_greek_line_tesseract_doubts_in_english_is_read_again_with_greek(render, tessdata_dir: Path) -> None:
    if not (tessdata_dir / "ell.traineddata").exists():
        pytest.skip("no Greek language data")
    doc = render(["Patient record", "Σισανίου 5", "Τρίκαλα, Αττική 66196"], size=(640, 200))
    words = ocr.read_words(doc.image.convert("L"), language="eng", timeout=30, tessdata_dir=tessdata_dir)
    assert {"Patient", "record", "Σισανίου", "Τρίκαλα,", "Αττική", "66196"} <= {w.text for w in words}
    assert iou(next(w for w in words if w.text == "Σισανίου").box, doc.box("Σισανίου")) > 0.6


def test_real_timeout_fails_closed_and_the_next_call_works(engine, render) -> None:
    doc = render(["Invoice 2291", f"Email: {EMAIL}"] * 3, size=(900, 420))
    data = doc.encode("PNG")
    with pytest.raises(OcrTimeoutError) as info:
        redact(data, RedactOptions(ocr_timeout=0.001), engine=engine)
    assert info.value.code == "ocr_timeout" and info.value.exit_code == 7
    assert "EMAIL_ADDRESS" in {e.entity_type for e in redact(data, engine=engine).entities}


def test_blank_page_has_no_words_with_pytesseract(tessdata_dir: Path) -> None:
    blank = Image.new("L", (300, 100), 255)
    assert ocr.read_words(blank, language="eng", timeout=30, backend="pytesseract", tessdata_dir=tessdata_dir) == []


# ------------------------------------------------------------------------------------ tesserocr faults


class FlakyApi:
    """A real tesserocr API whose ``Recognize`` fails from its ``fail_from``-th call on."""

    def __init__(self, real, *, fail_from: int, failure: str) -> None:
        self.real, self.fail_from, self.failure, self.calls = real, fail_from, failure, 0

    def SetPageSegMode(self, mode: int) -> None:  # noqa: N802 - tesserocr's names
        self.real.SetPageSegMode(mode)

    def SetImage(self, image: Image.Image) -> None:  # noqa: N802
        self.real.SetImage(image)

    def Recognize(self, timeout: int = 0) -> bool:  # noqa: N802
        self.calls += 1
        if self.calls >= self.fail_from:
            if self.failure == "timeout":
                return False
            raise RuntimeError("Tesseract crashed")
        return bool(self.real.Recognize(timeout=timeout))

    def GetIterator(self):  # noqa: N802
        return self.real.GetIterator()

    def Clear(self) -> None:  # noqa: N802
        self.real.Clear()


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch, tessdata_dir: Path):
    real_api = ocr._tesserocr_api

    def install(*, fail_from: int, failure: str) -> FlakyApi:
        api = FlakyApi(real_api("eng", tessdata_dir), fail_from=fail_from, failure=failure)
        monkeypatch.setattr(ocr, "_tesserocr_api", lambda language, directory: api)
        return api

    return install


@pytest.mark.parametrize(
    ("failure", "error", "code"), [("timeout", OcrTimeoutError, "ocr_timeout"), ("crash", OcrError, "ocr_failed")]
)
def test_tesserocr_failure_fails_the_request(engine, render, flaky, failure: str, error: type, code: str) -> None:
    api = flaky(fail_from=1, failure=failure)
    with pytest.raises(error) as info:
        redact(render([f"Email: {EMAIL}"], size=(600, 80)).encode("PNG"), engine=engine)
    assert info.value.code == code and info.value.exit_code == 7
    assert EMAIL not in info.value.message
    assert api.calls == 1
    if failure == "crash":
        assert isinstance(info.value.__cause__, RuntimeError)


@pytest.mark.parametrize("failure", ["timeout", "crash"])
def test_failure_on_a_later_page_returns_nothing(engine, render, flaky, failure: str) -> None:
    """Fail closed: page 1 reads fine, page 2 fails, and no partly redacted document comes back."""
    # The flaky API is one Tesseract instance for every thread: pages are read one at a time here.
    engine = dataclasses.replace(engine, settings=engine.settings.model_copy(update={"page_threads": 1}))
    pages = [render([f"Email: p{i}@example.com"], size=(600, 80)).image for i in range(2)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:])
    data = buffer.getvalue()
    api = flaky(fail_from=2, failure=failure)
    with pytest.raises(OcrError):
        redact(data, engine=engine)
    assert api.calls == 2


# ------------------------------------------------------------------------------------ pytesseract backend


@pytest.fixture
def pytesseract_engine(engine):
    return dataclasses.replace(engine, settings=engine.settings.model_copy(update={"ocr_backend": "pytesseract"}))


def test_pytesseract_backend_redacts_with_temp_files_in_ram(pytesseract_engine, render, fill, monkeypatch) -> None:
    import pytesseract

    real = pytesseract.image_to_data
    temp_dirs = []

    def spy(*args, **kwargs):
        temp_dirs.append(tempfile.gettempdir())  # where pytesseract writes the page for the binary
        return real(*args, **kwargs)

    monkeypatch.setattr(pytesseract, "image_to_data", spy)
    doc = render(["Invoice 2291", f"Email: {EMAIL}"], size=(640, 150))
    result = redact(doc.encode("PNG"), engine=pytesseract_engine)
    assert "EMAIL_ADDRESS" in {e.entity_type for e in result.entities}
    assert fill(result.data, doc.box(EMAIL)) >= 0.9
    assert temp_dirs and set(temp_dirs) == {"/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir()}


@pytest.mark.parametrize(
    ("raised", "error", "exit_code"),
    [
        (RuntimeError("Tesseract process timeout"), OcrTimeoutError, 7),
        (RuntimeError("something else"), OcrError, 7),
        ("not_found", MissingDependencyError, 3),
        ("tesseract_error", OcrError, 7),
    ],
    ids=["timeout", "runtime", "not-found", "tesseract-error"],
)
def test_pytesseract_errors_are_mapped(
    pytesseract_engine, render, monkeypatch: pytest.MonkeyPatch, raised: object, error: type, exit_code: int
) -> None:
    import pytesseract

    if raised == "not_found":
        raised = pytesseract.TesseractNotFoundError()
    elif raised == "tesseract_error":
        raised = pytesseract.TesseractError(1, "Error opening data file")

    def fail(*args: object, **kwargs: object) -> None:
        raise raised  # type: ignore[misc]

    monkeypatch.setattr(pytesseract, "image_to_data", fail)
    with pytest.raises(error) as info:
        redact(render([f"Email: {EMAIL}"], size=(600, 80)).encode("PNG"), engine=pytesseract_engine)
    assert type(info.value) is error and info.value.exit_code == exit_code
    assert info.value.__cause__ is raised


# --------------------------------------------------------------------- second opinion (RapidOCR)


def word(text: str, box: tuple[int, int, int, int], conf: float = 95.0, line: int = 0) -> Word:
    return Word(text, Box(*box), conf, (0, 0, line))


def second(text: str, box: tuple[int, int, int, int], line: int = 0) -> Word:
    return Word(text, Box(*box), 99.0, (line, 0, 0))


def merge(first: list[Word], other: list[Word], *, unconfirmed_below: float = 0.0) -> list[Word]:
    return ocr.merge_words(first, other, replaceable_below=80, unconfirmed_below=unconfirmed_below)


def test_merge_keeps_a_confident_tesseract_word_where_both_read() -> None:
    first = [word("Jane", (10, 10, 60, 30)), word("Doe", (70, 10, 110, 30))]
    merged = merge(first, [second("Jame", (8, 8, 62, 32)), second("Doe", (70, 11, 111, 30))])
    assert merged == first


def test_merge_puts_the_second_reading_in_place_of_low_confidence_words() -> None:
    first = [word("Call", (10, 10, 50, 30)), word("J4ne", (60, 10, 100, 30), conf=40), word("now", (110, 10, 150, 30))]
    merged = merge(first, [second("Jane", (59, 9, 101, 31), line=7)])
    assert [w.text for w in merged] == ["Call", "Jane", "now"]
    assert {w.line_key for w in merged} == {(0, 0, 0)}  # Tesseract's line, so the text reads on
    assert merged[1].box == Box(59, 9, 101, 31)


def test_merge_replaces_fragments_with_one_word() -> None:
    first = [word("Ja", (10, 10, 30, 30), conf=30), word("ne", (32, 10, 50, 30), conf=35)]
    assert [w.text for w in merge(first, [second("Jane", (10, 10, 50, 30))])] == ["Jane"]


def test_merge_adds_an_unread_word_to_the_line_beside_it_in_x_order() -> None:
    first = [word("Name:", (10, 10, 70, 30)), word("Date:", (10, 50, 70, 70), line=1)]
    merged = merge(first, [second("Doe", (140, 12, 180, 30), line=3), second("Jane", (80, 11, 130, 31), line=3)])
    assert [w.text for w in merged] == ["Name:", "Jane", "Doe", "Date:"]
    assert merged[1].line_key == merged[2].line_key == (0, 0, 0)


def test_merge_gives_unread_lines_their_own_line_in_reading_order() -> None:
    first = [word("Top", (10, 10, 60, 30)), word("Bottom", (10, 110, 90, 130), line=2)]
    other = [second("John", (10, 60, 60, 80), line=1), second("Smith", (70, 60, 130, 80), line=1)]
    merged = merge(first, other)
    assert [w.text for w in merged] == ["Top", "John", "Smith", "Bottom"]
    assert merged[1].line_key == merged[2].line_key not in {merged[0].line_key, merged[3].line_key}


def test_merge_does_not_join_a_word_to_a_much_taller_neighbour() -> None:
    first = [word("~~", (10, 0, 60, 120), conf=20)]  # noise spanning several text lines
    merged = {w.text: w for w in merge(first, [second("Jane", (100, 40, 150, 60))])}
    assert set(merged) == {"~~", "Jane"} and merged["Jane"].line_key != merged["~~"].line_key


def test_merge_drops_unconfirmed_low_confidence_noise_only_when_asked() -> None:
    first = [word("Jane", (10, 10, 60, 30)), word("%;", (300, 200, 320, 215), conf=20)]
    other = [second("Jane", (10, 10, 60, 30))]
    assert [w.text for w in merge(first, other)] == ["Jane", "%;"]
    assert [w.text for w in merge(first, other, unconfirmed_below=50)] == ["Jane"]


def test_merge_with_nothing_on_either_side() -> None:
    first = [word("Jane", (10, 10, 60, 30))]
    assert merge(first, []) == first
    assert [w.text for w in merge([], [second("Jane", (10, 10, 60, 30))])] == ["Jane"]


def test_overlap_share_is_relative_to_the_smaller_box() -> None:
    assert ocr.overlap_share(Box(0, 0, 100, 20), Box(10, 0, 30, 20)) == 1.0
    assert ocr.overlap_share(Box(0, 0, 10, 10), Box(5, 0, 15, 10)) == 0.5
    assert ocr.overlap_share(Box(0, 0, 10, 10), Box(10, 0, 20, 10)) == 0.0


def test_box_is_fitted_to_the_ink_of_its_own_line(render) -> None:
    doc = render(["Above the line", "Jane Doe", "Below the line"], size=(400, 150), font_size=24, line_height=30)
    grey = np.asarray(doc.image.convert("L"))
    truth = doc.box("Jane")
    padded = Box(truth.x0 - 6, truth.y0 - 14, truth.x1 + 6, truth.y1 + 14)  # reaches into both neighbours
    fitted = ocr.fit_to_ink(Word("Jane", padded, 99.0, (0, 0, 0)), grey).box
    assert iou(fitted, truth) > 0.8


def test_second_opinion_is_wanted_when_tesseract_read_little() -> None:
    page = np.full((200, 400), 255, dtype=np.uint8)
    page[20:40, 20:380] = 0  # two dark "lines" of ink
    page[100:120, 20:380] = 0
    first_line = [word("Hello", (20, 20, 380, 40))]
    both_lines = [*first_line, word("World", (20, 100, 380, 120), line=1)]
    assert ocr.unread_ink_share(page, both_lines) == 0.0
    assert 0.45 < ocr.unread_ink_share(page, first_line) < 0.55
    assert not ocr.needs_second_opinion(both_lines, page)
    assert ocr.needs_second_opinion([], page)  # ink, nothing read
    assert ocr.needs_second_opinion([word("Hello", (20, 20, 380, 40), conf=30)], page)  # read, unsure
    assert ocr.unread_ink_share(np.full((50, 50), 255, dtype=np.uint8), []) == 0.0
    assert not ocr.needs_second_opinion([], np.full((50, 50), 255, dtype=np.uint8))  # blank: nothing to read


def test_second_opinion_not_read_on_a_well_read_page_nor_for_other_scripts(
    render, tessdata_dir: Path, monkeypatch
) -> None:
    def fail(image: Image.Image, *, timeout: float) -> list[Word]:
        raise AssertionError("RapidOCR should not run")

    monkeypatch.setattr(ocr, "read_second_opinion", fail)
    image = render(["Invoice 2291"], size=(400, 80)).image.convert("L")
    ocr.read_words(image, language="eng", timeout=30, tessdata_dir=tessdata_dir)
    ocr.read_words(image, language="eng", timeout=30, tessdata_dir=tessdata_dir, second_opinion="auto")  # well read
    if "ell" in ocr.probe_tesseract().languages:
        ocr.read_words(image, language="ell", timeout=30, tessdata_dir=tessdata_dir, second_opinion="always")


def test_rapidocr_is_imported_only_when_a_second_opinion_is_read() -> None:
    code = "import sys, redactor.engine.pipeline, redactor.engine.ocr;"
    code += "print('rapidocr' in sys.modules, 'onnxruntime' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == ["False", "False"]


def test_real_rapidocr_reads_a_page_beside_tesseract_offline(render, tessdata_dir: Path, monkeypatch) -> None:

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled by this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    doc = render(["Invoice 2291", f"Email: {EMAIL}", "Call Jane Doe"], size=(700, 200))
    image = doc.image.convert("L")
    rapid = ocr.read_second_opinion(image, timeout=60)
    by_text = {w.text: w for w in rapid}
    assert {"Invoice", "2291", "Jane", "Doe"} <= set(by_text)
    for text in ("Invoice", "Jane", "Doe"):
        assert iou(by_text[text].box, doc.box(text)) > 0.6, text
    merged = ocr.read_words(image, language="eng", timeout=30, tessdata_dir=tessdata_dir, second_opinion="always")
    texts = [w.text for w in merged]
    assert texts.count("Invoice") == 1 and texts.count("Jane") == 1  # both read them: kept once
    assert EMAIL in texts


def test_a_doubtful_line_is_read_again_by_rapidocr_and_placed_word_by_word(render) -> None:
    doc = render(["Call +353 81 083 8498 today", "Kind regards"], size=(800, 160))
    image = doc.image.convert("L")
    garbled = [  # what Tesseract makes of a face it cannot read: unsure words where the line is
        word("Call", dataclasses.astuple(doc.box("Call")), conf=91.0),
        word("TOSS", dataclasses.astuple(doc.box("+353")), conf=55.0),
        word("Sil", dataclasses.astuple(doc.box("81")), conf=12.0),
        word("Oss sae today", dataclasses.astuple(doc.box("083").union(doc.box("today"))), conf=40.0),
    ]
    sure = [
        word("Kind", dataclasses.astuple(doc.box("Kind")), line=1),
        word("regards", dataclasses.astuple(doc.box("regards")), line=1),
    ]
    read = ocr._reread_doubtful_lines(np.asarray(image), garbled + sure, timeout=60)
    again = {w.text: w for w in read if w.line_key == (0, 0, 0)}
    assert list(again) == ["Call", "+353", "81", "083", "8498", "today"]
    for text in again:
        assert iou(again[text].box, doc.box(text)) > 0.6, text
    assert read[-2:] == sure  # a line Tesseract is sure of is not read again


def test_a_page_read_after_a_doubtful_line_is_read_whole_again(render) -> None:
    doc = render(["Invoice 2291", "Call Jane Doe"], size=(700, 200))
    image = doc.image.convert("L")
    ocr._reread_doubtful_lines(
        np.asarray(image), [word("lnvoice", dataclasses.astuple(doc.box("Invoice")), conf=30.0)], timeout=60
    )
    assert {"Invoice", "Jane", "Doe"} <= {w.text for w in ocr.read_second_opinion(image, timeout=60)}


@pytest.mark.parametrize(
    ("line", "doubtful"),
    [
        ([("Vladimir", 37), ("Jara", 93)], True),  # an unsure word of three letters or more
        ([("Fa", 27), ("-", 45), ("c-", 4), ("ab", 20)], True),  # unsure on average
        ([("),", 10), ("Marilena", 87), ("Buccho", 91)], False),  # only an avatar's marks are unsure
        ([("ce)", 18)], False),  # too few letters to be worth reading again
        ([("Invoice", 96), ("2291", 97)], False),
    ],
)
def test_which_lines_are_doubtful(line: list[tuple[str, float]], doubtful: bool) -> None:
    words = [word(text, (20 * i, 0, 20 * i + 15, 20), conf=conf) for i, (text, conf) in enumerate(line)]
    assert ocr._is_doubtful(words) is doubtful


def test_a_doubtful_line_keeps_tesseract_words_when_rapidocr_is_no_surer(render) -> None:
    blank = Image.new("L", (400, 80), 255)  # nothing to read where the words are said to be
    words = [word("Tesseract", (20, 20, 200, 50), conf=40.0)]
    assert ocr._reread_doubtful_lines(np.asarray(blank), words, timeout=60) == words


def test_second_opinion_past_the_ocr_time_limit_fails_the_page(render) -> None:
    image = render(["Invoice 2291", f"Email: {EMAIL}"], size=(700, 200)).image.convert("L")
    assert ocr.read_second_opinion(Image.new("L", (400, 300), 255), timeout=60) == []  # a blank page
    with pytest.raises(OcrTimeoutError):
        ocr.read_second_opinion(image, timeout=0.0)
    assert ocr.read_second_opinion(image, timeout=60)  # the pool is not left blocked


def test_engine_refuses_to_start_a_second_opinion_without_rapidocr(monkeypatch) -> None:
    from redactor.engine.config import EngineSettings as Settings
    from redactor.engine.pipeline import load_engine

    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import fails as if not installed
    with pytest.raises(MissingDependencyError, match="REDACTOR_OCR_SECOND_OPINION=off"):
        load_engine(Settings(ocr_second_opinion="auto"))


def test_by_default_a_page_tesseract_cannot_read_is_read_by_the_second_opinion(engine, render) -> None:
    """A blurred, low-resolution page: Tesseract reads noise, RapidOCR the words, and the e-mail is found."""
    lines = ["Invoice 2291", "Email: jane.doe@example.com", "Call Jane Doe on 212 555 0187"]
    page = render(lines, size=(900, 260), font_size=30).image.convert("L").filter(ImageFilter.GaussianBlur(3))
    page = page.resize((360, 104)).resize(page.size)
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    data = buffer.getvalue()
    assert engine.settings.ocr_second_opinion == "auto"
    found = {e.text for e in analyze(data, engine=engine).entities}
    assert {"jane.doe@example.com", "212 555 0187"} <= found
    tesseract_only = dataclasses.replace(
        engine, settings=engine.settings.model_copy(update={"ocr_second_opinion": "off"})
    )
    assert "jane.doe@example.com" not in {e.text for e in analyze(data, engine=tesseract_only).entities}


# ------------------------------------------------------------------------------------ panels

SIDEBAR, PANE, BAR = 205, 222, 110


def page_of(width: int, height: int, level: int) -> np.ndarray:
    """A flat page with a few text-like dark strokes on it."""
    page = np.full((height, width), level, dtype=np.uint8)
    page[20 : height - 20 : 30, 10 : width - 10 : 7] = 30
    return page


def test_a_plain_page_is_one_panel() -> None:
    assert ocr.find_panels(page_of(800, 600, 255)) == [Box(0, 0, 800, 600)]


def test_a_sidebar_on_its_own_background_is_a_panel() -> None:
    page = page_of(1000, 700, PANE)
    page[:, :300] = page_of(300, 700, SIDEBAR)
    page[100:680:60, 10:50] = 90  # a column of avatars inside the sidebar does not make a panel
    panels = ocr.find_panels(page)
    assert [(p.x0, p.x1) for p in panels] == [(0, panels[0].x1), (panels[0].x1, 1000)]
    assert 295 <= panels[0].x1 <= 305
    assert all((p.y0, p.y1) == (0, 700) for p in panels)


def test_a_sidebar_is_found_beside_bubbles_and_text_on_most_rows() -> None:
    page = page_of(1000, 700, 234)
    page[:, :300] = page_of(300, 700, 222)
    for top in range(0, 700, 50):  # bubbles and text on 56% of the rows: their median is no background
        page[top : top + 20, 310:600] = 180
        page[top + 20 : top + 28, 310:600] = 30
    assert [(p.x0, p.x1) for p in ocr.find_panels(page)][0][1] in range(295, 306)


def test_columns_at_one_level_meet_at_a_thin_rule_through_the_page() -> None:
    page = page_of(1375, 1000, 230)
    page[:, 389] = 190  # one pixel wide: averaging, not subsampling, keeps it
    panels = ocr.find_panels(page)
    assert [(p.x0, p.x1) for p in panels] == [(0, panels[0].x1), (panels[0].x1, 1375)]
    assert abs(panels[0].x1 - 389) <= 2


def test_a_rule_under_a_letterhead_cuts_no_bar() -> None:
    page = page_of(1000, 1300, 255)
    page[240, 40:960] = 120
    assert ocr.find_panels(page) == [Box(0, 0, 1000, 1300)]


def test_a_rule_through_part_of_the_page_is_no_edge() -> None:
    page = page_of(1000, 1000, 255)
    page[:500, 500] = 120  # a table's column line, half the page high
    assert ocr.find_panels(page) == [Box(0, 0, 1000, 1000)]


def test_a_title_bar_is_cut_off_its_column() -> None:
    page = page_of(1000, 700, PANE)
    page[:60] = BAR
    assert ocr.find_panels(page) == [Box(0, 0, 1000, 60), Box(0, 60, 1000, 700)]


def test_a_dark_block_in_mid_page_is_no_bar() -> None:
    page = page_of(1000, 700, PANE)
    page[300:360] = BAR
    assert ocr.find_panels(page) == [Box(0, 0, 1000, 700)]


def test_chat_bubbles_shifting_the_median_of_some_columns_make_no_panel() -> None:
    page = page_of(600, 1200, 245)
    for top in range(0, 1200, 100):  # bubbles on 60% of the rows, but only in some columns
        page[top : top + 60, 300:580] = 255 if top % 200 else 200
    assert ocr.find_panels(page) == [Box(0, 0, 600, 1200)]


def test_many_stripes_are_a_table_not_panels() -> None:
    page = page_of(1000, 700, 255)
    for left in range(0, 1000, 100):
        page[:, left : left + 50] = 225
    assert ocr.find_panels(page) == [Box(0, 0, 1000, 700)]


def test_light_text_on_a_dark_bar_is_inverted_and_dark_text_kept() -> None:
    bar = Image.new("L", (200, 40), BAR)
    ImageDraw.Draw(bar).rectangle((20, 10, 120, 25), fill=250)
    assert ocr.dark_text_on_light(bar).getpixel((5, 5)) == 255 - BAR
    page = Image.new("L", (200, 40), 240)
    ImageDraw.Draw(page).rectangle((20, 10, 120, 25), fill=20)
    assert ocr.dark_text_on_light(page) is page


@pytest.mark.parametrize(
    ("text", "box", "conf", "standing"),
    [
        ("Beeoooooeeoodos", (0, 0, 60, 1100), 0.0, True),
        ("Pemberton", (0, 0, 24, 170), 96.0, False),  # set sideways, read with confidence
        ("Oliver", (0, 0, 90, 24), 0.0, False),
        ("I", (0, 0, 6, 24), 0.0, False),
    ],
)
def test_a_column_of_shapes_read_as_one_word_is_dropped(
    text: str, box: tuple[int, int, int, int], conf: float, standing: bool
) -> None:
    assert ocr.is_standing_word(Word(text, Box(*box), conf, (0, 0, 0))) is standing


def chat_screenshot() -> Image.Image:
    """A messaging app: a contact list on its own background beside the conversation, a dark title bar."""
    from tests.conftest import load_font

    image = Image.new("RGB", (1000, 640), (213, 226, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 299, 639), fill=(205, 218, 192))
    draw.rectangle((300, 0, 999, 59), fill=(81, 125, 162))
    bold, small = load_font(20), load_font(15)
    draw.text((330, 15), "Marisol Quintero", font=bold, fill="white")
    contacts = ["Oliver Grant", "Karole Novak", "Philip Moss", "Delvis Pena", "Tomasz Wolny"]
    messages = ["meet at the station", "bring the papers", "see you there", "call me later", "running late"]
    for row, (name, message) in enumerate(zip(contacts, messages, strict=True)):
        top = 80 + row * 100
        draw.ellipse((12, top, 52, top + 40), fill=(200, 40, 80))
        draw.text((66, top), name, font=bold, fill="black")
        draw.text((222, top + 4), "4/3/2024", font=small, fill=(80, 110, 70))
        draw.text((66, top + 26), "You: sounds good", font=small, fill=(80, 110, 70))
        draw.rounded_rectangle((304, top - 8, 620, top + 40), radius=12, fill="white")
        draw.text((316, top + 4), message, font=bold, fill="black")
    return image


def test_each_panel_is_read_on_its_own(tessdata_dir: Path) -> None:
    words = ocr.read_words(
        ocr.prepare_for_ocr(chat_screenshot()), language="eng", timeout=30, tessdata_dir=tessdata_dir
    )
    by_text = {w.text: w for w in words}
    assert {"Marisol", "Quintero"} <= set(by_text)  # white on the dark title bar
    for name, message in (("Oliver", "station"), ("Karole", "papers"), ("Philip", "there"), ("Delvis", "later")):
        assert name in by_text and message in by_text, (name, message)
        assert by_text[name].line_key != by_text[message].line_key
        assert by_text[name].box.x1 < 300 <= by_text[message].box.x0


# ------------------------------------------------------------------------------------ unread lines


def strokes_page() -> tuple[np.ndarray, list[Word]]:
    """Two lines of letter-like strokes on paper, a dark bar at the top; a word read on the first line."""
    page = np.full((400, 1000), 240, dtype=np.uint8)
    page[:60] = 90  # a title bar's edge is no stroke
    for x in range(100, 600, 14):
        page[150:176, x : x + 4] = 30  # first line, read
        page[280:306, x : x + 4] = 30  # second line, unread
    page[350:353, 900:903] = 30  # a speck
    return page, [Word("read", Box(98, 148, 604, 178), 95.0, (0, 0, 0))]


def test_unread_lines_are_the_lines_of_ink_no_word_covers() -> None:
    page, words = strokes_page()
    [line] = ocr.unread_lines(page, words)
    assert line.y0 <= 280 and line.y1 >= 306 and line.x0 <= 100 and line.x1 >= 590
    assert line.height < 60


def test_an_unread_line_in_a_box_of_dashed_grey_rules_is_found_without_its_box() -> None:
    page, words = strokes_page()
    page[250:252, 60:980:2] = page[335:337, 60:980:2] = 150  # a box's edges, broken by noise
    page[250:337:2, 60:62] = page[250:337:2, 978:980] = 150
    [line] = ocr.unread_lines(page, words)
    assert line.y0 >= 255 and line.y1 <= 330 and line.x1 < 700


def test_a_page_read_whole_has_no_unread_lines() -> None:
    page, words = strokes_page()
    words.append(Word("too", Box(98, 278, 604, 308), 95.0, (0, 1, 0)))
    assert ocr.unread_lines(page, words) == []


def test_lines_of_bubbles_stacked_close_are_read(tessdata_dir: Path) -> None:
    """White on blue bubbles 6 px apart: the paper's stripe between them is no stroke to run them together."""
    from tests.conftest import load_font

    image = Image.new("RGB", (700, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), "Neighbours", font=load_font(26), fill="black")
    messages = [
        ("send it to the office", "pls"),
        ("hey it's Michael! new number", "+46 0923-4357977"),
        ("see you", "at nine"),
    ]
    for index, (first, second) in enumerate(messages):
        top = 90 + index * 106
        draw.rounded_rectangle((180, top, 680, top + 100), radius=14, fill=(10, 110, 250))
        draw.text((200, top + 10), first, font=load_font(20), fill="white")
        draw.text((200, top + 40), second, font=load_font(20), fill="white")
        draw.text((590, top + 76), "7:57 PM", font=load_font(13), fill=(200, 220, 255))
    words = ocr.read_words(ocr.prepare_for_ocr(image), language="eng", timeout=30, tessdata_dir=tessdata_dir)
    assert {"Michael!", "number", "0923-4357977", "office", "nine"} <= {w.text for w in words}


def test_a_line_tesseract_passed_over_is_read_alone_and_words_already_read_are_not_repeated(
    render, tessdata_dir: Path
) -> None:
    page = ocr.prepare_for_ocr(render(["Invoice for March", "Mirjana F. Lovric"], size=(800, 200)).image)
    words = ocr.read_words(page, language="eng", timeout=30, tessdata_dir=tessdata_dir)
    first_line = [w for w in words if w.box.y1 < 90]  # as if the layout analysis dropped the second
    added = ocr._read_unread_lines(
        page, first_line, language="eng", timeout=30, backend="tesserocr", tessdata_dir=tessdata_dir
    )
    assert [w.text for w in added] == ["Mirjana", "F.", "Lovric"]
    assert all(w.box.y0 > 90 for w in added)
    assert (
        ocr._read_unread_lines(page, words, language="eng", timeout=30, backend="tesserocr", tessdata_dir=tessdata_dir)
        == []
    )


def bubble_page(*, page: int, bubble: int, ink: int) -> tuple[np.ndarray, Box]:
    """A bubble of its own grey with a line of letter-like strokes inside, on a page; the strokes' line."""
    grey = np.full((120, 600), page, dtype=np.uint8)
    grey[30:90, 100:500] = bubble
    for x in range(130, 460, 12):
        grey[48:72, x : x + 4] = ink
    return grey, Box(128, 46, 462, 74)


@pytest.mark.parametrize(
    ("page", "bubble", "ink"),
    [
        (243, 150, 10),  # a dark page inverted: white on a blue bubble is now dark on grey, on a light page
        (250, 90, 250),  # white on a dark bubble, on a white page
        (245, 205, 120),  # grey on a light grey pill
    ],
)
def test_levelled_line_is_its_ink_dark_on_white_and_the_page_round_the_bubble_white(
    page: int, bubble: int, ink: int
) -> None:
    grey, line = bubble_page(page=page, bubble=bubble, ink=ink)
    crop_box = Box(80, 20, 520, 100)  # round the line, into the page
    levelled = np.asarray(ocr.levelled_line(Image.fromarray(grey), line, crop_box))
    assert levelled.shape == (80, 440)
    assert levelled[60 - 20, 131 - 80] < 30  # a stroke
    assert levelled[60 - 20, 137 - 80] > 225  # between strokes: the bubble
    assert levelled[5, 5] > 225 and levelled[-5, -5] > 225  # the page round it


def test_levelled_line_leaves_out_a_frame_round_the_line() -> None:
    grey, line = bubble_page(page=240, bubble=240, ink=40)
    grey[30:32, 100:500] = grey[88:90, 100:500] = 40  # a form box's outline, broken here and there
    grey[30:90, 100:102] = grey[30:90, 498:500] = 40
    grey[30:32, 300:302] = grey[60:62, 100:102] = 240
    levelled = np.asarray(ocr.levelled_line(Image.fromarray(grey), Box(100, 30, 500, 90), Box(80, 20, 520, 100)))
    assert levelled[31 - 20, 200 - 80] > 225 and levelled[50 - 20, 101 - 80] > 225  # no frame
    assert levelled[60 - 20, 131 - 80] < 30  # the strokes inside it


def test_an_outlined_pill_on_a_dark_page_is_read(tessdata_dir: Path) -> None:
    from tests.conftest import load_font

    image = Image.new("RGB", (700, 160), (27, 28, 32))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((280, 40, 420, 100), radius=16, outline=(120, 120, 125), width=1)
    draw.text((305, 56), "Friday", font=load_font(24), fill=(200, 200, 200))
    added = ocr._read_unread_lines(
        ocr.prepare_for_ocr(image), [], language="eng", timeout=30, backend="tesserocr", tessdata_dir=tessdata_dir
    )
    assert [w.text for w in added] == ["Friday"]


def test_a_line_on_a_coloured_bubble_of_a_dark_page_is_read(tessdata_dir: Path) -> None:
    """White on blue on black: inverted for OCR, the bubble is mid grey round dark letters, on light paper."""
    from tests.conftest import load_font

    image = Image.new("RGB", (700, 160), (12, 12, 14))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((270, 40, 680, 100), radius=14, fill=(10, 125, 250))
    draw.text((290, 58), "new office: Piroska 97, Tottos", font=load_font(17), fill="white")
    page = ocr.prepare_for_ocr(image)
    added = ocr._read_unread_lines(page, [], language="eng", timeout=30, backend="tesserocr", tessdata_dir=tessdata_dir)
    assert {"office:", "Piroska", "Tottos"} <= {w.text for w in added}


def test_letter_height_is_the_tall_letters_height_of_the_page_body() -> None:
    page = np.full((700, 1200), 245, dtype=np.uint8)
    for x in range(100, 700, 40):
        page[20:80, x : x + 20] = 20  # a title's letters, 60 px tall
    for row in range(150, 650, 50):  # ten lines of small letters, a fifth of them capitals
        for index, x in enumerate(range(100, 1100, 10)):
            top = row - 4 if index % 5 == 0 else row
            page[top : row + 14, x : x + 6] = 30
    assert ocr._letter_height(page) == 18
    assert ocr._letter_height(np.full((50, 50), 245, dtype=np.uint8)) == ocr._TARGET_TEXT_HEIGHT


def test_lines_read_again_go_into_the_text_in_reading_order(render, tessdata_dir: Path) -> None:
    page = ocr.prepare_for_ocr(render(["Short note", "Another much longer line of text below"], size=(900, 200)).image)
    added = ocr._read_unread_lines(
        page, [], language="eng", timeout=30, backend="tesserocr", tessdata_dir=tessdata_dir
    )  # the longer line is the larger: found first, read second
    assert [w.text for w in added][:3] == ["Short", "note", "Another"]


# ------------------------------------------------------------------------------------ faint text


def faint_page(*, faint_lines: int) -> np.ndarray:
    """Lines of letter-like strokes 50 levels below the paper (soft-edged), then two lines of dark ones."""
    page = np.full((80 + 50 * (faint_lines + 2), 700), 245, dtype=np.uint8)
    for row in range(faint_lines + 2):
        top, ink = 40 + row * 50, 195 if row < faint_lines else 30
        for x in range(100, 600, 14):
            page[top - 1 : top + 25, x - 1 : x + 5] = (245 + ink) // 2
            page[top : top + 24, x : x + 4] = ink
    return page


def test_faint_text_is_the_faint_strokes_alone_dark_on_white() -> None:
    page = faint_page(faint_lines=8)
    levelled = ocr.faint_text(page, [])
    assert levelled is not None and levelled.shape == page.shape
    assert levelled[50, 101] < 40  # a faint stroke, now dark
    assert levelled[50, 108] == 255  # the paper between strokes
    dark_row = 40 + 8 * 50 + 10
    assert levelled[dark_row, 101] == 255  # dark text is left out: no threshold loses it


def test_faint_text_leaves_out_words_read_and_needs_several_lines() -> None:
    page = faint_page(faint_lines=8)
    read = [Word("read", Box(95, 35 + row * 50, 605, 70 + row * 50), 95.0, (row, 0, 0)) for row in range(3)]
    levelled = ocr.faint_text(page, read[:2])  # six faint lines left unread
    assert levelled is not None and levelled[50, 101] == 255 and levelled[50 + 2 * 50, 101] < 40
    assert ocr.faint_text(page, read) is None  # five
    assert ocr.faint_text(faint_page(faint_lines=0), []) is None


def test_faint_dates_of_a_blurred_chat_list_are_read(tessdata_dir: Path) -> None:
    """Grey dates and previews beside black names, softened: Tesseract's threshold for the page drops them."""
    from tests.conftest import load_font

    image = Image.new("RGB", (560, 700), "white")
    draw = ImageDraw.Draw(image)
    names = ["Oliver Grant", "Karole Novak", "Philip Moss", "Delvis Pena", "Tomasz Wolny", "Ines Laine", "Rafael Soto"]
    for row, name in enumerate(names):
        top = 20 + row * 95
        draw.text((30, top), name, font=load_font(22), fill="black")
        draw.text((390, top + 4), f"{12 + row}/01/2026", font=load_font(17), fill=(175, 175, 175))
        draw.text((30, top + 34), "perfect, thanks", font=load_font(17), fill=(175, 175, 175))
    softened = image.filter(ImageFilter.GaussianBlur(1.0)).resize((392, 490), Image.Resampling.LANCZOS)
    words = ocr.read_words(ocr.prepare_for_ocr(softened), language="eng", timeout=30, tessdata_dir=tessdata_dir)
    faint = [w for w in words if ocr._is_faint(w)]
    assert {f"{day}/01/2026" for day in range(12, 19)} <= {w.text for w in faint}
    assert {"Oliver", "Soto"} <= {w.text for w in words} - {w.text for w in faint}
    date = next(w for w in faint if w.text == "12/01/2026")
    assert date.box.x0 >= 260 and date.box.y1 <= 40  # where it stands on the page


def test_inserted_lines_go_under_the_line_above_them_in_their_columns() -> None:
    page = [
        word("Isolda", (60, 100, 120, 120)),
        word("Marrero", (126, 100, 190, 120)),
        word("Hen", (60, 200, 100, 220), line=1),
        word("on", (400, 110, 430, 130), line=2),  # the conversation beside the list, a little lower
        word("way", (436, 110, 480, 130), line=2),
    ]
    added = [
        Word("22/01/2026", Box(250, 102, 330, 118), 90.0, (7, 0, 0)),  # nothing above it in its columns
        Word("perfect,", Box(60, 126, 110, 140), 90.0, (7, 0, 1)),
        Word("thanks", Box(116, 126, 160, 140), 90.0, (7, 0, 1)),
        Word("agreed", Box(60, 226, 110, 240), 90.0, (7, 0, 2)),
        Word("later", Box(60, 244, 100, 258), 90.0, (7, 0, 3)),
    ]
    lines = [[w.text for w in ws] for ws in ocr._by_line(ocr.insert_lines(page, added)).values()]
    assert lines == [
        ["22/01/2026"],
        ["Isolda", "Marrero"],
        ["perfect,", "thanks"],
        ["Hen"],
        ["agreed"],
        ["later"],
        ["on", "way"],
    ]
    assert ocr.insert_lines(page, []) == page


# ------------------------------------------------------------------------------------ short boxes


def _line_page() -> np.ndarray:
    """A white strip with ink: "at" 10-30, a "1" 48-52 and its comma 56-60 (low), "avenue" 72-150."""
    grey = np.full((40, 200), 255, dtype=np.uint8)
    grey[10:30, 10:30] = 0
    grey[10:30, 48:52] = 0
    grey[26:32, 56:60] = 0
    grey[14:30, 72:150] = 0
    return grey


def test_mend_short_boxes_grows_a_box_drawn_round_a_words_punctuation_to_its_ink() -> None:
    key = (0, 0, 0)
    words = [
        Word("at", Box(10, 10, 30, 30), 95.0, key),
        Word("1,", Box(56, 26, 60, 32), 95.0, key),
        Word("avenue", Box(72, 14, 150, 30), 95.0, key),
    ]
    mended = ocr.mend_short_boxes(_line_page(), words)
    assert mended[1].box == Box(48, 14, 60, 32)  # the line's usual top and its comma's bottom
    assert mended[0] == words[0] and mended[2] == words[2]


def test_mend_short_boxes_grows_a_lines_last_word_over_a_letter_left_unread() -> None:
    grey = np.full((40, 300), 255, dtype=np.uint8)
    grey[10:30, 10:60] = grey[10:30, 80:150] = 0  # "16/08/202" read, then its "4" (150-164) unread
    grey[10:30, 153:164] = 0
    grey[10:30, 250:270] = 0  # another column, far off
    key = (0, 0, 0)
    words = [Word("Cinzia", Box(10, 10, 60, 30), 95.0, key), Word("16/08/202", Box(80, 10, 150, 30), 95.0, key)]
    mended = ocr.mend_short_boxes(grey, words)
    assert mended == [words[0], Word("16/08/202", Box(80, 10, 164, 30), 95.0, key)]


def test_mend_short_boxes_grows_a_lines_last_word_by_a_line_height_at_most() -> None:
    grey = np.full((40, 300), 255, dtype=np.uint8)
    grey[10:30, 80:290] = 0  # a rule running on from the word
    word = Word("16/08/202", Box(80, 10, 150, 30), 95.0, (0, 0, 0))
    assert ocr.mend_short_boxes(grey, [word])[0].box.x1 <= 150 + 20


def test_mend_short_boxes_grows_no_box_short_of_itself_when_a_neighbours_box_overlaps_it() -> None:
    grey = np.full((50, 900), 255, dtype=np.uint8)
    grey[10:25, 695:860] = 0  # ink in the top half of the rows, beside the last word too
    key = (0, 0, 0)
    words = [  # "Security" read over "number", whose box lies inside it
        Word("Security", Box(695, 10, 840, 40), 95.0, key),
        Word("number", Box(766, 10, 817, 40), 95.0, key),
    ]
    mended = ocr.mend_short_boxes(grey, words)
    assert mended[0] == words[0] and mended[1].box.x0 <= 766 and mended[1].box.x1 >= 817


def test_mend_short_boxes_leaves_a_tall_misread_alone_on_its_line() -> None:
    grey = np.full((600, 600), 255, dtype=np.uint8)
    grey[50:550, 20:60] = grey[50:550, 62:400] = 0  # a column of avatars, and what stands beside it
    tall = Word("806000060060", Box(20, 50, 60, 550), 31.0, (1, 0, 0))
    words = [Word(w, Box(100 + 60 * i, 10, 150 + 60 * i, 30), 95.0, (0, 0, 0)) for i, w in enumerate("abcd")]
    assert ocr.mend_short_boxes(grey, [*words, tall])[-1] == tall


def test_mend_short_boxes_leaves_punctuation_and_words_of_the_lines_height() -> None:
    key = (0, 0, 0)
    words = [
        Word("at", Box(10, 10, 30, 30), 95.0, key),
        Word(",", Box(56, 26, 60, 32), 95.0, key),  # punctuation alone: its box is right
        Word("avenue", Box(72, 14, 150, 30), 95.0, key),
    ]
    assert ocr.mend_short_boxes(_line_page(), words) == words


def test_mend_short_boxes_grows_a_box_that_stops_short_of_a_words_last_letters() -> None:
    key = (0, 0, 0)
    grey = np.full((40, 300), 255, dtype=np.uint8)
    for x in (10, 30, 50, 70, 100, 120, 140, 160, 190, 210, 230, 250):  # three words of four letters
        grey[10:30, x : x + 14] = 0
    words = [
        Word("with", Box(10, 10, 84, 30), 95.0, key),
        Word("2018", Box(100, 10, 146, 30), 95.0, key),  # its last letter and a half left out
        Word("than", Box(190, 10, 264, 30), 95.0, key),
    ]
    mended = ocr.mend_short_boxes(grey, words)
    assert mended[1].box == Box(100, 10, 174, 30)
    assert mended[0] == words[0] and mended[2] == words[2]
