"""OCR stage: the only module that talks to Tesseract (tesserocr in memory, or pytesseract)."""

from __future__ import annotations

import concurrent.futures
import itertools
import math
import os
import re
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache, partial, reduce
from pathlib import Path
from typing import Any, Literal

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from redactor.engine.models import Box, Word
from redactor.errors import ConfigError, InvalidOptionError, MissingDependencyError, OcrError, OcrTimeoutError

Backend = Literal["tesserocr", "pytesseract"]
SecondOpinion = Literal["off", "auto", "always"]

# ISO 639-1 codes of the languages the install script provides, mapped to Tesseract's names.
ISO_TO_TESSERACT = {
    "af": "afr",
    "ar": "ara",
    "bg": "bul",
    "bn": "ben",
    "ca": "cat",
    "cs": "ces",
    "da": "dan",
    "de": "deu",
    "el": "ell",
    "en": "eng",
    "es": "spa",
    "et": "est",
    "eu": "eus",
    "fa": "fas",
    "fi": "fin",
    "fil": "fil",
    "fr": "fra",
    "ga": "gle",
    "gl": "glg",
    "he": "heb",
    "hi": "hin",
    "hr": "hrv",
    "hu": "hun",
    "id": "ind",
    "is": "isl",
    "it": "ita",
    "ja": "jpn",
    "ko": "kor",
    "lt": "lit",
    "lv": "lav",
    "ms": "msa",
    "nl": "nld",
    "no": "nor",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "sk": "slk",
    "sl": "slv",
    "sr": "srp",
    "sv": "swe",
    "sw": "swa",
    "th": "tha",
    "tr": "tur",
    "uk": "ukr",
    "vi": "vie",
    "zh": "chi_sim",
    "zh-hans": "chi_sim",
    "zh-hant": "chi_tra",
    "zh-tw": "chi_tra",
}
_TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
# Tesseract reads best when capitals are about 20-30 px tall; smaller text is scaled up to this.
_MIN_TEXT_HEIGHT = 20
_TARGET_TEXT_HEIGHT = 30
_MAX_UPSCALE = 3.0
_DARK_BACKGROUND = 100
# Pages skewed less than this are read as they are; more is straightened first. Small text loses whole
# lines from 2-3 degrees on (a 9 pt letter at 2.6 degrees: half its text unread); straightening from 1
# degree raised recall and cut leaks on two held-out sets (scripts/make_heldout.py seeds 1 and 3).
_MIN_SKEW = 1.0
_MAX_SKEW = 15.0
# Panels: screenshots put a sidebar, a title bar or a footer on a background of their own. Tesseract's
# layout analysis joins a sidebar's lines to the main pane's (a chat's contact names lost among its
# messages), so each panel is read on its own (find_panels). A column's background is its most common
# grey level; a run of columns whose level stays within _PANEL_TOLERANCE, at least _PANEL_MIN_SHARE of
# the page (and _PANEL_MIN_PX) wide, meets the next such run at a thin rule between them, or where
# their levels differ by _PANEL_STEP or more, seen in _EDGE_ROWS of the rows. More than _PANEL_MAX_CUTS
# cuts across the columns is a striped table, not panels: no cut. Across rows only bars on a
# background of their own are cut off: a top or bottom run at most _PANEL_BAR_SHARE of the height.
_PANEL_STEP = 6
_PANEL_MIN_SHARE = 0.05
_PANEL_MIN_PX = 40
_PANEL_MAX_CUTS = 3
_PANEL_BAR_SHARE = 0.2
_PANEL_SAMPLE = 1000
_LEVEL_BIN = 4
_PANEL_TOLERANCE = _LEVEL_BIN  # one bin either way: noise flips a flat background between two
_LEVELS = 256 // _LEVEL_BIN
_EDGE_STRIP = 3  # sample columns (rows) each side of a panel edge compared row by row (column by column)
_EDGE_ROWS = 0.8  # share of rows (columns) in which the step must be seen
_RULE_SHARE = 0.01  # the widest rule between two panels at one level, as a share of the page
# Unread lines: Tesseract's layout analysis passes over lines it takes for pictures (a title bar's name
# beside its avatar, a date on a pill, a boxed form's second column). Lines of ink no word covers are
# read again, each alone (unread_lines, _read_unread_lines).
_UNREAD_LINES = 40
_UNREAD_SAMPLE_LINE = 12  # px high the page's lines are made to find unread ones
_UNREAD_RULE_LINES = 8
_UNREAD_RULE_PX = 3  # a run of ink this thick or thinner across _UNREAD_RULE_LINES is a rule...
_UNREAD_STRIPE = 0.5  # ...and so is one up to this share of a line thick: the paper's stripe between two bubbles
_UNREAD_LINE_HEIGHTS = 8  # the tallest run of unread ink read again, in lines of the page's text (a bubble's)
_FEW_WORDS = 5  # words read on a page too few to tell its text height (see _letter_height)
_SMALLEST_LETTER = 4  # px
_TALLEST_LETTER = 100
_TALL_LETTERS = 90  # percentile of the letters' heights taken for the words' (capitals, ascenders, descenders)
_UNREAD_CONFIDENCE = 60.0
_UNREAD_LONG_CONFIDENCE = 40.0  # for words of four letters or more
_UNREAD_BLOCKS = 5_000_000  # block numbers of lines read again, clear of the panels' and the second opinion's
# Faint text: grey on the paper (a chat list's dates and previews, a form's labels) that Tesseract's one
# threshold for the page puts on the paper's side once blur or downscaling has softened it. Strokes that
# faint are levelled against their own paper and the page read once more for them (_read_faint_text).
_FAINT_NOISE = 20  # levels below the paper around it: less is noise, JPEG ringing or a soft edge
_FAINT_INK = 40  # a faint stroke's darkest point is at least this far below its paper...
_FAINT_DARK = 110  # ...and less: darker text is no threshold's victim
_FAINT_PAPER = 150  # paper is lighter than this; darker ground is a bubble or a bar (read by _read_unread_lines)
_FAINT_FLOOR = 10  # levels below the paper still white on the levelled page
_FAINT_EDGE = 5  # px square round a faint stroke kept with it: its soft edges
_FAINT_LINES = 6  # unread lines of faint ink a page needs to be read again for them
_FAINT_BLOCKS = 6_000_000  # block numbers of the faint lines, clear of the others
_PANEL_BLOCKS = 10_000_000  # block numbers per panel in the line keys, clear of the second opinion's
_NO_CONFIDENCE = 10.0
_FLAT_BOX = 0.4  # a word's box this share of its line's height or less is round its punctuation only
_NARROW_BOX = 0.75  # a word's box narrower per letter than this share of its line's leaves some letters out
_LETTER_GAP = 1 / 3  # of the line's height: a gap in the ink narrower than this is between letters, not words
_FLAT_LETTERS = 3  # a box round a word's punctuation alone: a digit or two and a comma ("1,", "12.")
_MEASURED_LETTERS = 3  # words this long or longer tell a line's width per letter
_TALL_BOX = 2.0  # a word's box this many times its line's height stands across lines: no box to mend
# Below this mean word confidence a page is checked for being sideways or upside down.
_READABLE_CONFIDENCE = 60.0
_ORIENTATION_CONFIDENCE = 2.0
_SKEW_SAMPLE = 800

# Second opinion: RapidOCR (PP-OCR models in ONNX, shipped in its wheel) reads
# the page too. Measured with scripts/bench_ocr.py on scan-like pages (scripts/make_scans.py: typewriter,
# dot matrix, fax, thermal receipts, photocopies; 90-200 dpi) and on the dev set (README, "Scans"):
# - "auto": a page Tesseract reads badly (mean word confidence below 75, or more than 60% of its ink
#   outside the words read) is read by RapidOCR, whose words replace Tesseract's. Tesseract's words on
#   such pages added nothing to RapidOCR's and merged lines of tables into columns (over-redaction).
#   The thresholds: 65 and 75% chosen on scan seed 1; 75 and 60% on seed 4, confirmed on seed 5 (+1.9
#   points of entity recall, -1 of over-redaction) and on the dev set (fires on 1 page of 24, same result).
# - "always": both read every page; Tesseract's words are kept where confident, RapidOCR's fill the gaps.
_SECOND_OPINION_CONFIDENCE = 75.0
# - a page read by Tesseract alone ("auto", not read again whole): a line whose words are below this
#   confidence on average, or that holds such a word of three letters or more, is read again by
#   RapidOCR's recogniser alone (see _reread_doubtful_lines).
_DOUBTFUL_CONFIDENCE = 50.0
# Greek, which Tesseract reads in Latin letters when not asked for it (see _reread_in_greek).
_GREEK = "ell"
_GREEK_LETTER = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_WORD = 4  # letters
_GREEK_ONLY = re.compile("[ΓΔΘΛΞΠΣΦΨΩαβγδεζηθλμξπρσςφχψωάέήίόύώΐΰϊϋ]")  # letters no Latin letter looks like
_GREEK_WORD_SHAPE = re.compile(
    "(?:[Α-ΩΆΈΉΊΌΎΏΪΫ]?[α-ωάέήίόύώΐΰϊϋ]+|[Α-ΩΆΈΉΊΌΎΏΪΫ]+)[.,;:]?"  # "Λεωφ.", "Τρίκαλα,", "ΛΑΡΝΑΚΑ"
)
_SURE_GREEK = 60.0  # a Latin line read in Greek letters is unsure ("Γ1{οπγ5δΙ" at 44 for "Litomyšl")
_DOUBTFUL_LETTERS = 3
_DOUBTFUL_PAD = 0.15  # of the line's height, around its box
_HALF_LETTER = 1.5  # recogniser columns: about three to a letter
_SURE_READING = 90.0  # RapidOCR's line score (in %) for its reading of a doubtful line to count
_SECOND_OPINION_UNREAD_INK = 0.6
_INK_SAMPLE = 1000
_INK_CONTRAST = 40
_INK_NEIGHBOURHOOD = 12
_INK_CORE = 5  # percentile of a line's letter pixels taken for its ink's grey
_BUBBLE_TOLERANCE = 24  # grey levels either side of a bubble's background that are still background (noise)
_FRAME_SHARE = 0.6  # of a line's width and height: ink this large round it may be a frame, not a letter
_FRAME_INK = 0.3  # a frame's ink is at most this share of what it encloses (a word's is more)
# "always": a Tesseract word below this confidence gives way to RapidOCR's word in the same place
# (Tesseract's misreadings of damaged text are often confident; 95 kept the most PII).
_REPLACEABLE_CONFIDENCE = 95.0
_SAME_PLACE = 0.3  # two boxes sharing this share of the smaller one hold the same word
_SECOND_OPINION_LINES = 1_000_000  # block numbers of RapidOCR's own lines in a merge, clear of Tesseract's
# RapidOCR's default recognition model reads Latin script (and Chinese); other scripts are left to Tesseract.
_SECOND_OPINION_LANGUAGES = frozenset(
    {
        "afr", "cat", "ces", "dan", "deu", "eng", "est", "eus", "fil", "fin", "fra", "gle", "glg", "hrv", "hun",
        "ind", "isl", "ita", "lav", "lit", "msa", "nld", "nor", "pol", "por", "ron", "slk", "slv", "spa", "swa",
        "swe", "tur", "chi_sim", "chi_tra",
    }
)  # fmt: skip


@dataclass(frozen=True)
class TesseractInfo:
    """What the start-up probe found."""

    version: str
    tessdata_dir: Path
    languages: tuple[str, ...]


@lru_cache
def probe_tesseract(tessdata_dir: Path | None = None) -> TesseractInfo:
    """Find the language data and the engine; raise MissingDependencyError if either is absent."""
    try:
        import tesserocr
    except ImportError as e:
        raise MissingDependencyError("tesserocr is not installed; run scripts/install.sh.") from e
    directory = _find_tessdata(tessdata_dir)
    languages = tuple(
        sorted(
            p.name.removesuffix(".traineddata") for p in directory.glob("*.traineddata") if p.name != "osd.traineddata"
        )
    )
    if "eng" not in languages:
        raise MissingDependencyError(f"Tesseract's English data is missing from {directory}; run scripts/install.sh.")
    version = tesserocr.tesseract_version().split()[1]
    return TesseractInfo(version=version, tessdata_dir=directory, languages=languages)


def _find_tessdata(explicit: Path | None) -> Path:
    if explicit is not None:
        if not any(explicit.glob("*.traineddata")):
            raise ConfigError(f"REDACTOR_TESSDATA_DIR={explicit} holds no Tesseract language data.")
        return explicit
    candidates = []
    if os.environ.get("TESSDATA_PREFIX"):
        candidates.append(Path(os.environ["TESSDATA_PREFIX"]))
    candidates += [Path(c) for c in _TESSDATA_CANDIDATES]
    for candidate in candidates:
        if any(candidate.glob("*.traineddata")):
            return candidate
    raise MissingDependencyError("No Tesseract language data found; run scripts/install.sh.")


def resolve_language(language: str, available: tuple[str, ...]) -> str:
    """Turn ``en``, ``eng`` or ``deu+eng`` into Tesseract's form, or list what is supported."""
    parts = [part.strip() for part in language.replace(",", "+").split("+") if part.strip()]
    resolved = [ISO_TO_TESSERACT.get(part.lower(), part.lower()) for part in parts]
    unknown = [part for part, code in zip(parts, resolved, strict=True) if code not in available]
    if not resolved or unknown:
        raise InvalidOptionError(
            f"Unsupported language {', '.join(unknown) or repr(language)}; supported: {', '.join(available)}."
        )
    return "+".join(dict.fromkeys(resolved))


def prepare_for_ocr(image: Image.Image) -> Image.Image:
    """Greyscale on white, dark backgrounds inverted: what Tesseract reads best."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    if image.mode.startswith("I"):
        image = image.convert("I").point(lambda v: v / 256)  # 16-bit samples to 8-bit
    grey = image.convert("L")
    histogram = grey.histogram()
    median = _histogram_median(histogram)
    return ImageOps.invert(grey) if median < _DARK_BACKGROUND else grey


def _histogram_median(histogram: list[int]) -> int:
    half = sum(histogram) / 2
    running = 0
    for value, count in enumerate(histogram):
        running += count
        if running >= half:
            return value
    return 255


def read_words(
    image: Image.Image,
    *,
    language: str,
    timeout: float,
    backend: Backend = "tesserocr",
    tessdata_dir: Path,
    second_opinion: SecondOpinion = "off",
) -> list[Word]:
    """OCR one prepared page: straightened when skewed, panel by panel, small text read again scaled up.

    Boxes always refer to ``image``; a word read on the straightened page gets the upright box
    that contains its rotated box, so coverage is never less than the word. ``second_opinion``:
    "auto" lets RapidOCR read a page that Tesseract read badly, in its place; "always" reads every
    page with both and merges their words by box overlap (see ``merge_words``).
    """
    started = time.monotonic()
    seconded = second_opinion != "off" and set(language.split("+")) <= _SECOND_OPINION_LANGUAGES
    words, turn = _read_tesseract(
        image,
        language=language,
        timeout=timeout,
        backend=backend,
        tessdata_dir=tessdata_dir,
        doubtful=seconded and second_opinion == "auto",
    )
    if not seconded:
        return words
    if second_opinion == "auto" and not needs_second_opinion(_without_faint(words), np.asarray(image.convert("L"))):
        return words
    upright = image.rotate(turn, expand=True) if turn else image
    second = read_second_opinion(upright, timeout=timeout - (time.monotonic() - started))
    if turn:
        second = [
            Word(w.text, rotate_box_back(w.box, turn, upright.size, image.size), w.conf, w.line_key) for w in second
        ]
    if second_opinion == "auto":
        return second or words  # RapidOCR reading nothing at all is no reason to drop what Tesseract read
    return merge_words(words, second, replaceable_below=_REPLACEABLE_CONFIDENCE)


def find_panels(grey: np.ndarray) -> list[Box]:
    """The page as panels with backgrounds of their own; ``[the whole page]`` when there are none.

    Columns first (a sidebar), then bars across the top or bottom of each column (a title bar).
    Panels meet where the background level steps, or at a thin rule across the whole page.
    """
    height, width = grey.shape
    step = max(1, math.ceil(max(height, width) / _PANEL_SAMPLE))
    # Averaged, not subsampled: a one-pixel rule between panels must not fall between samples.
    sample = np.asarray(Image.fromarray(grey).reduce(step), dtype=np.int16)
    rows, columns = sample.shape
    panels = []
    for x0, x1 in _spans(_panel_cuts(sample, _min_run(columns, step)), step, width):
        column = sample[:, x0 // step : max(x0 // step + 1, x1 // step)]
        for y0, y1 in _spans(_bar_cuts(column, _min_run(rows, step)), step, height):
            panels.append(Box(x0, y0, x1, y1))
    return panels


def _min_run(length: int, step: int) -> float:
    return max(_PANEL_MIN_SHARE * length, _PANEL_MIN_PX / step)


def _spans(cuts: list[int], step: int, size: int) -> list[tuple[int, int]]:
    edges = [0, *(cut * step for cut in cuts), size]
    return list(itertools.pairwise(edges))


_Run = tuple[int, int, float]  # start, end (exclusive), background level


def _panel_cuts(grey: np.ndarray, min_run: float) -> list[int]:
    """Columns where panels meet (``_panel_edges``); none when there are too many to be panels."""
    cuts = [cut for _, cut, _ in _panel_edges(grey, min_run, at_rules=True)]
    return cuts if len(cuts) <= _PANEL_MAX_CUTS else []


def _bar_cuts(grey: np.ndarray, min_run: float) -> list[int]:
    """Rows that cut a bar off the top or the bottom of a column of the page.

    A bar is a first or last panel of rows no longer than _PANEL_BAR_SHARE of the height, on a
    background of its own: a rule under a letterhead or over a footer is no panel's edge (reading
    such parts of a document apart changed what Tesseract read of them, for better and worse alike).
    """
    edges = _panel_edges(grey.T, min_run, at_rules=False)
    longest = _PANEL_BAR_SHARE * grey.shape[0]
    cuts = set()
    if edges and edges[0][0][0] <= min_run and edges[0][1] <= longest:
        cuts.add(edges[0][1])
    if edges and edges[-1][2][1] >= grey.shape[0] - min_run and grey.shape[0] - edges[-1][1] <= longest:
        cuts.add(edges[-1][1])
    return sorted(cuts)


def _panel_edges(grey: np.ndarray, min_run: float, *, at_rules: bool) -> list[tuple[_Run, int, _Run]]:
    """``(run before, cut, run after)`` for each edge between panels across the columns of ``grey``.

    Runs of columns at one background level at least ``min_run`` wide meet at an edge at a thin rule
    between them (``at_rules``: a run at most _RULE_SHARE wide, at another level), or else where
    their levels differ; either must be seen in nearly every row (``_step_runs_through``).
    """
    runs = _flat_runs(background_levels(grey))
    wide = [i for i, (start, end, _) in enumerate(runs) if end - start >= min_run]
    widest_rule = max(1.0, _RULE_SHARE * grey.shape[1])
    edges = []
    for before, after in itertools.pairwise(wide):
        left, right = runs[before], runs[after]
        rules = [
            rule
            for rule in (runs[before + 1 : after] if at_rules else [])
            if rule[1] - rule[0] <= widest_rule
            and abs(rule[2] - left[2]) >= _PANEL_STEP
            and _step_runs_through(grey, left, rule)
        ]
        if rules:
            edges.append((left, (rules[0][0] + rules[0][1]) // 2, right))
        elif abs(left[2] - right[2]) >= _PANEL_STEP and _step_runs_through(grey, left, right):
            edges.append((left, (left[1] + right[0]) // 2, right))
    return edges


def _step_runs_through(grey: np.ndarray, left: _Run, right: _Run) -> bool:
    """Whether the step from ``left``'s level to ``right``'s is seen in nearly every row.

    So it is at a panel's edge; beside a column of chat bubbles (which shift the level of the
    columns under them) it is seen only in some rows.
    """
    before = np.median(grey[:, max(left[0], left[1] - _EDGE_STRIP) : left[1]], axis=1)
    after = np.median(grey[:, right[0] : min(right[1], right[0] + _EDGE_STRIP)], axis=1)
    step = (after - before) * np.sign(right[2] - left[2])
    return float(np.mean(step >= _PANEL_STEP / 2)) >= _EDGE_ROWS


def background_levels(grey: np.ndarray) -> np.ndarray:
    """Each column's most common grey level, in steps of _LEVEL_BIN: its background.

    Unlike the median it stays the background where chat bubbles or text cover most of a column.
    """
    width = grey.shape[1]
    bins = grey.astype(np.int64) // _LEVEL_BIN
    counts = np.bincount((bins + np.arange(width) * _LEVELS).ravel(), minlength=width * _LEVELS)
    levels: np.ndarray = counts.reshape(width, _LEVELS).argmax(axis=1) * _LEVEL_BIN + _LEVEL_BIN // 2
    return levels


def _flat_runs(profile: np.ndarray) -> list[_Run]:
    """``profile`` cut into runs, each within _PANEL_TOLERANCE of its first value."""
    runs: list[_Run] = []
    start = 0
    for i in range(1, len(profile) + 1):
        if i == len(profile) or abs(float(profile[i]) - float(profile[start])) > _PANEL_TOLERANCE:
            runs.append((start, i, float(np.median(profile[start:i]))))
            start = i
    return runs


def dark_text_on_light(image: Image.Image) -> Image.Image:
    """The greyscale panel inverted when its ink is lighter than its background (a dark title bar)."""
    pixels = np.asarray(image)
    level = float(np.median(pixels))
    lighter = np.count_nonzero(pixels > level + _INK_CONTRAST)
    darker = np.count_nonzero(pixels < level - _INK_CONTRAST)
    return ImageOps.invert(image) if lighter > darker else image


def _read_tesseract(
    image: Image.Image, *, language: str, timeout: float, backend: Backend, tessdata_dir: Path, doubtful: bool
) -> tuple[list[Word], int]:
    """Tesseract's words (boxes in ``image``) and the quarter turn, if any, that made the page readable.

    ``doubtful``: lines Tesseract doubts are read again by RapidOCR (see ``_reread_doubtful_lines``).
    """
    read = partial(
        _read_straightened,
        language=language,
        timeout=timeout,
        backend=backend,
        tessdata_dir=tessdata_dir,
        doubtful=doubtful,
    )
    words = read(image)
    confidence = _mean_confidence(_without_faint(words))
    if backend != "tesserocr" or confidence >= _READABLE_CONFIDENCE:
        return words, 0
    # Hardly readable: perhaps a page scanned sideways or upside down, with no EXIF tag to say so.
    turn = detect_orientation(image, tessdata_dir)
    if not turn:
        return words, 0
    upright = image.rotate(turn, expand=True)
    turned = read(upright)
    if _mean_confidence(_without_faint(turned)) <= confidence:
        return words, 0
    back = [Word(w.text, rotate_box_back(w.box, turn, upright.size, image.size), w.conf, w.line_key) for w in turned]
    return back, turn


def _read_straightened(
    image: Image.Image, *, language: str, timeout: float, backend: Backend, tessdata_dir: Path, doubtful: bool
) -> list[Word]:
    read = partial(
        _read_upright, language=language, timeout=timeout, backend=backend, tessdata_dir=tessdata_dir, doubtful=doubtful
    )
    angle = estimate_skew(image)
    if abs(angle) < _MIN_SKEW:
        return read(image)
    straight = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    words = read(straight)
    return [Word(w.text, rotate_box_back(w.box, angle, straight.size, image.size), w.conf, w.line_key) for w in words]


def _mean_confidence(words: list[Word]) -> float:
    return statistics.fmean(w.conf for w in words) if words else 0.0


def detect_orientation(image: Image.Image, tessdata_dir: Path) -> int:
    """Degrees (0, 90, 180, 270, counter-clockwise) that turn the page upright; 0 when unsure or no OSD data."""
    from tesserocr import PSM, PyTessBaseAPI

    if not (tessdata_dir / "osd.traineddata").exists():
        return 0
    cache: dict[str, PyTessBaseAPI] = _apis.__dict__.setdefault("by_language", {})
    if "osd" not in cache:
        cache["osd"] = PyTessBaseAPI(path=str(tessdata_dir), lang="osd", psm=PSM.OSD_ONLY)
    api = cache["osd"]
    try:
        api.SetImage(image)
        found = api.DetectOrientationScript()
    except RuntimeError:
        return 0
    finally:
        api.Clear()
    if not found or found.get("orient_conf", 0.0) < _ORIENTATION_CONFIDENCE:
        return 0
    return int(found["orient_deg"]) % 360


def estimate_skew(image: Image.Image) -> float:
    """Angle (degrees, counter-clockwise) that makes text lines horizontal, by projection profile.

    The ink of a small copy is rotated through candidate angles; level lines give the sharpest
    row-sum profile. Searches +-15 degrees, coarse then fine.
    """
    small = image.copy()
    small.thumbnail((_SKEW_SAMPLE, _SKEW_SAMPLE))
    pixels = np.asarray(small, dtype=np.uint8)
    ink = Image.fromarray(((pixels < min(160.0, float(pixels.mean()) - 30)) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 1.5), key=sharpness)
    return float(max(np.arange(coarse - 1.25, coarse + 1.26, 0.25), key=sharpness))


def rotate_box_back(box: Box, angle: float, rotated_size: tuple[int, int], size: tuple[int, int]) -> Box:
    """The upright box, in the original image, containing ``box`` of the image rotated by ``angle``.

    ``Image.rotate(angle, expand=True)`` turns about the centre, counter-clockwise; this undoes it.
    """
    theta = math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    (rotated_w, rotated_h), (width, height) = rotated_size, size
    xs, ys = [], []
    for x, y in ((box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)):
        dx, dy = x - rotated_w / 2, y - rotated_h / 2
        xs.append(dx * cos - dy * sin + width / 2)
        ys.append(dx * sin + dy * cos + height / 2)
    return Box(
        max(0, math.floor(min(xs))),
        max(0, math.floor(min(ys))),
        min(width, math.ceil(max(xs))),
        min(height, math.ceil(max(ys))),
    )


def _read_upright(
    image: Image.Image, *, language: str, timeout: float, backend: Backend, tessdata_dir: Path, doubtful: bool
) -> list[Word]:
    """The upright page's words, read panel by panel, then the lines of ink none of them covers, then faint text."""
    started = time.monotonic()
    panels = find_panels(np.asarray(image))
    words = _read_panels(image, panels, language=language, timeout=timeout, backend=backend, tessdata_dir=tessdata_dir)
    words = _reread_in_greek(
        image,
        words,
        language=language,
        timeout=_time_left(timeout, started),
        backend=backend,
        tessdata_dir=tessdata_dir,
    )
    grey = np.asarray(image.convert("L"))
    if doubtful and not needs_second_opinion(words, grey):  # else read again whole
        words = _reread_doubtful_lines(grey, words, timeout=_time_left(timeout, started))
    words += _read_unread_lines(
        image,
        words,
        language=language,
        timeout=timeout - (time.monotonic() - started),
        backend=backend,
        tessdata_dir=tessdata_dir,
    )
    faint = _read_faint_text(
        grey,
        words,
        panels,
        language=language,
        timeout=_time_left(timeout, started),
        backend=backend,
        tessdata_dir=tessdata_dir,
    )
    return mend_short_boxes(grey, insert_lines(words, faint))


def mend_short_boxes(grey: np.ndarray, words: list[Word]) -> list[Word]:
    """Words whose box leaves out some of their ink, boxed round it: "1," boxed at its comma, "2018" without its 8.

    Tesseract boxes a few short words round their punctuation alone (far shorter than the line's words),
    a RapidOCR word placed by the recogniser's columns may stop short of its last letters (far
    narrower per letter than three or more words of its line), and Tesseract may leave out the last
    letter of a line ("16/08/202" for "16/08/2024"), by a line's height at most (and a page's usual
    height: a misread down a column of avatars stands alone on its line). A flat box grows to the line's
    usual top and bottom; either grows sideways over the ink in its rows while the ink runs on with
    gaps narrower than a space, by no more than the letters it lacks and never into a neighbour.
    """
    lines: dict[tuple[int, int, int], list[int]] = {}
    for index, word in enumerate(words):
        lines.setdefault(word.line_key, []).append(index)
    typical = statistics.median(w.box.height for w in words) if words else 0  # a line of one tall misread is none
    mended = list(words)
    for indices in lines.values():
        boxes = [words[i].box for i in indices]
        height = statistics.median(b.height for b in boxes)
        top, bottom = round(statistics.median(b.y0 for b in boxes)), round(statistics.median(b.y1 for b in boxes))
        long_words = [words[i] for i in indices if len(words[i].text) >= _MEASURED_LETTERS]
        per_letter = statistics.median(w.box.width / len(w.text) for w in long_words) if len(long_words) >= 3 else 0
        for position, index in enumerate(indices):
            word, box = words[index], words[index].box
            if not any(c.isalnum() for c in word.text) or box.height > _TALL_BOX * height:
                continue
            if box.height <= _FLAT_BOX * height and len(word.text) <= _FLAT_LETTERS and not word.text.isalnum():
                y0, y1, reach = min(box.y0, top), max(box.y1, bottom), round(height * len(word.text))
            elif box.width < _NARROW_BOX * per_letter * len(word.text):
                y0, y1, reach = box.y0, box.y1, round(per_letter * len(word.text)) - box.width
            elif position == len(indices) - 1 and box.height <= _TALL_BOX * typical:  # "16/08/202" of a grey date
                y0, y1, reach = box.y0, box.y1, round(height)
            else:
                continue
            # never into a neighbour, and never short of the box itself (a neighbour's box may overlap it)
            left = min(box.x0, max([box.x0 - reach, 0] + [words[i].box.x1 for i in indices[:position]]))
            right = max(
                box.x1, min([box.x1 + reach, grey.shape[1]] + [words[i].box.x0 for i in indices[position + 1 :]])
            )
            gap = (y1 - y0) * _LETTER_GAP
            x0, x1 = _ink_run(grey[y0:y1, left:right], box.x0 - left, box.x1 - left, gap=gap)
            mended[index] = Word(word.text, Box(left + x0, y0, left + x1, y1), word.conf, word.line_key)
    return mended


def _ink_run(crop: np.ndarray, x0: int, x1: int, *, gap: float) -> tuple[int, int]:
    """Columns ``x0:x1`` of the crop grown to each side while its ink runs on, gaps under ``gap`` columns."""
    if crop.size == 0:
        return x0, x1
    dark, light = np.percentile(crop, 5), np.percentile(crop, 95)
    if light - dark < _INK_CONTRAST:
        return x0, x1
    inked = (crop < (dark + light) / 2).any(axis=0)
    start, end, blank = x0, x1, 0
    for column in range(x0 - 1, -1, -1):
        blank = 0 if inked[column] else blank + 1
        if blank > gap:
            break
        start = column if inked[column] else start
    blank = 0
    for column in range(x1, len(inked)):
        blank = 0 if inked[column] else blank + 1
        if blank > gap:
            break
        end = column + 1 if inked[column] else end
    return start, end


def _reread_in_greek(
    image: Image.Image, words: list[Word], *, language: str, timeout: float, backend: Backend, tessdata_dir: Path
) -> list[Word]:
    """``words`` with each line holding an unsure word read again with Greek too, kept if Greek and surer.

    Tesseract reads Greek in Latin letters, unsure of the longer words ("ZXtoaviov 5" for "Σισανίου 5",
    "TpikaAa, Attn TK 66196"); the line read with Greek as well comes out right and surer. A Latin line
    read again stays as it was: only a reading that holds Greek words, each of them sure, replaces the line.
    """
    if _GREEK in language.split("+") or not (tessdata_dir / f"{_GREEK}.traineddata").exists():
        return words
    started = time.monotonic()
    lines = _by_line(words)
    read: list[Word] = []
    for key, line in lines.items():
        if not _holds_doubted_word(line):
            read += line
            continue
        crop_box = _line_crop(reduce(Box.union, (w.box for w in line)), image.width, image.height)
        again = _recognize(
            image.crop((crop_box.x0, crop_box.y0, crop_box.x1, crop_box.y1)),
            language=f"{_GREEK}+{language}",
            timeout=_time_left(timeout, started),
            backend=backend,
            tessdata_dir=tessdata_dir,
            one_block=True,
        )
        if _reads_greek(again) and _mean_confidence(again) > _mean_confidence(line):
            read += [Word(w.text, w.box.shifted(crop_box.x0, crop_box.y0), w.conf, key) for w in again]
        else:
            read += line
    return read


def _reads_greek(words: list[Word]) -> bool:
    """A Greek word among ``words`` that Latin letters cannot spell, and every Greek word sure.

    The word has four letters or more, one of them with no Latin look-alike: "ΟΠ" for "on" and "ΙΒΑΝ"
    for "IBAN" are no Greek. Each Greek word is written as Greek is, in small letters after a capital or
    all in capitals: "ΝΙΓίαΠεΠ’5" for "Virtanen's" is a Latin word read wrong.
    """
    greek = [w for w in words if _GREEK_LETTER.search(w.text)]
    return (
        any(len(_GREEK_LETTER.findall(w.text)) >= _GREEK_WORD and _GREEK_ONLY.search(w.text) for w in greek)
        and min(w.conf for w in greek) >= _SURE_GREEK
        and all(_GREEK_WORD_SHAPE.fullmatch(w.text) for w in greek)
    )


def _reread_doubtful_lines(grey: np.ndarray, words: list[Word], *, timeout: float) -> list[Word]:
    """``words`` with each line Tesseract doubts read again by RapidOCR, whose sure reading is merged in.

    Tesseract garbles some faces whole lines at a time ("TOSS Sil Oss sae" for "+353 81 083 8498" in a
    typewriter face) with a word or two of low confidence; RapidOCR's recogniser reads the line's
    box alone (no detection: the box is known) in a few hundredths of a second. Its words replace the
    unsure words they cover (as in ``merge_words``); a word it does not cover stays, so a partial
    reading (a script it does not know) never uncovers part of the line.
    """
    started = time.monotonic()
    lines = _by_line(words)
    read: list[Word] = []
    for key, line in lines.items():
        if not _is_doubtful(line):
            read += line
            continue
        box = reduce(Box.union, (w.box for w in line))
        again = _recognize_line(grey, box, key, timeout=_time_left(timeout, started))
        sure = again and again[0].conf >= _SURE_READING
        read += merge_words(line, again, replaceable_below=_REPLACEABLE_CONFIDENCE) if sure else line
    return read


def _is_doubtful(line: list[Word]) -> bool:
    """A line of unsure words, or holding an unsure word of three letters or more (not an avatar's "),")."""
    if sum(_letters(w) for w in line) < _DOUBTFUL_LETTERS:
        return False
    return _mean_confidence(line) < _DOUBTFUL_CONFIDENCE or _holds_doubted_word(line)


def _holds_doubted_word(line: list[Word]) -> bool:
    return any(w.conf < _DOUBTFUL_CONFIDENCE and _letters(w) >= _DOUBTFUL_LETTERS for w in line)


def _by_line(words: list[Word]) -> dict[tuple[int, int, int], list[Word]]:
    """Words grouped by OCR line, lines and words in their order."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line_key, []).append(word)
    return lines


def _letters(word: Word) -> int:
    return sum(c.isalnum() for c in word.text)


def _padded_within(box: Box, pad: int, width: int, height: int) -> Box:
    """``box`` grown by ``pad`` on each side, inside the page: PIL fills a crop past its edge with black."""
    return Box(max(0, box.x0 - pad), max(0, box.y0 - pad), min(width, box.x1 + pad), min(height, box.y1 + pad))


def _line_crop(box: Box, width: int, height: int) -> Box:
    """A line's box with a margin of its height around it, as a doubtful line is read again."""
    return _padded_within(box, round(box.height * _DOUBTFUL_PAD), width, height)


def _recognize_line(grey: np.ndarray, box: Box, key: tuple[int, int, int], *, timeout: float) -> list[Word]:
    """RapidOCR's words in one line's box, each placed by the recogniser's columns and fitted to the ink.

    The recogniser gives each letter a column of its output; a word spans its first letter's column
    to its last's, and half a letter more each side (a column is a letter's middle).
    """
    crop_box = _line_crop(box, grey.shape[1], grey.shape[0])
    crop = grey[crop_box.y0 : crop_box.y1, crop_box.x0 : crop_box.x1]
    result = _run_rapidocr(crop, detect=False, timeout=timeout)
    if not result.txts or not result.word_results:
        return []
    score, letters = float(result.scores[0]) * 100, result.word_results[0]
    column = crop_box.width / letters.line_txt_len
    words = []
    for characters, columns in zip(letters.words, letters.word_cols, strict=True):
        if columns[-1] >= letters.line_txt_len:
            return []  # letters read past the crop's edge (in the recogniser's padding): no reading to trust
        x0 = crop_box.x0 + max(0, math.floor((columns[0] - _HALF_LETTER) * column))
        x1 = crop_box.x0 + min(crop_box.width, math.ceil((columns[-1] + _HALF_LETTER) * column))
        words.append(fit_to_ink(Word("".join(characters), Box(x0, crop_box.y0, x1, crop_box.y1), score, key), grey))
    return words


def unread_lines(grey: np.ndarray, words: list[Word]) -> list[Box]:
    """Boxes around lines of ink that no word covers: text Tesseract's layout analysis passed over.

    Ink is a stroke thinner than half a line of the page's text, _INK_CONTRAST darker or lighter
    than around it (white on a blue bubble too; a bubble's or a bar's edge is no stroke), and shorter
    than _UNREAD_RULE_LINES lines (a rule, a form box's edge, is no letter). Unread ink
    is run together along lines; a run counts when it holds a few letters' worth of ink, is about
    as high as a line of text and two lines wide. Largest first, at most _UNREAD_LINES of them.
    """
    import cv2  # noqa: PLC0415 (OpenCV loads in 0.2 s; importing the engine must not pay for it)

    line = _line_height(grey, words)
    scale = min(1.0, _UNREAD_SAMPLE_LINE / line)
    if scale < 1:  # worked out on a copy whose lines are _UNREAD_SAMPLE_LINE high: as sure, and faster
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        words = [_scale_word(w, scale, (grey.shape[1], grey.shape[0])) for w in words]
    line = round(line * scale)
    strokes = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, line // 2), max(3, line // 2)))
    dark = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, strokes)
    light = cv2.morphologyEx(grey, cv2.MORPH_TOPHAT, strokes)
    ink = ((dark > _INK_CONTRAST) | (light > _INK_CONTRAST)).astype(np.uint8)
    rules = np.zeros(ink.shape, dtype=bool)
    for gap, rule, thickness in (
        ((3, 1), (_UNREAD_RULE_LINES * line, 1), cv2.CC_STAT_HEIGHT),
        ((1, 3), (1, _UNREAD_RULE_LINES * line), cv2.CC_STAT_WIDTH),
    ):
        joined = cv2.dilate(ink, np.ones(gap[::-1], np.uint8))  # noise breaks a grey rule into dashes
        runs = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, rule))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        thin = stats[:, thickness] <= max(_UNREAD_RULE_PX, _UNREAD_STRIPE * line)  # letters are as thick as a line
        thin[0] = False
        rules |= thin[labels]
    ink[cv2.dilate(rules.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 0  # a box's edges join its lines
    for word in words:
        pad = word.box.height // 3
        ink[max(0, word.box.y0 - pad) : word.box.y1 + pad, max(0, word.box.x0 - pad) : word.box.x1 + pad] = 0
    runs = cv2.dilate(ink, np.ones((max(1, line // 4), max(3, line)), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    inked = np.bincount(labels[ink > 0], minlength=count)
    boxes = []
    for label, (x, y, width, height, _) in enumerate(stats[1:count], start=1):
        letters = inked[label] >= line * line // 2
        if letters and line // 2 <= height <= _UNREAD_LINE_HEIGHTS * line and width >= max(height, 2 * line):
            edges = (x / scale, y / scale, (x + width) / scale, (y + height) / scale)
            boxes.append(Box(*(math.floor(e) if i < 2 else math.ceil(e) for i, e in enumerate(edges))))
    return sorted(boxes, key=lambda b: b.area, reverse=True)[:_UNREAD_LINES]


def faint_text(grey: np.ndarray, words: list[Word]) -> np.ndarray | None:
    """The page's faint text alone, levelled dark on white, or None when it holds too few lines of it.

    A word's strokes (letters run together along the line) are faint when their darkest point is
    between _FAINT_INK and _FAINT_DARK levels below the paper around them (the lightest grey within
    a line's height), on paper, not on a bubble; each word is stretched from the paper to that point.
    Strokes are told on a smoothed copy (noise makes no stroke) but levelled from the page itself:
    smoothing blurs a faint "/" or ":" away. The words read are whited out first; a page needs
    _FAINT_LINES unread lines of faint ink.
    """
    import cv2  # noqa: PLC0415 (as in unread_lines)

    size = max(3, round(_line_height(grey, words)))
    smooth = cv2.GaussianBlur(grey, (3, 3), 0)
    paper = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    below = cv2.subtract(paper, smooth)
    below[paper < _FAINT_PAPER] = 0
    for word in words:
        pad = word.box.height // 4
        below[max(0, word.box.y0 - pad) : word.box.y1 + pad, max(0, word.box.x0 - pad) : word.box.x1 + pad] = 0
    strokes = below > _FAINT_NOISE
    joined = cv2.dilate(strokes.astype(np.uint8), np.ones((1, max(3, size // 2)), np.uint8))  # a word's letters
    count, labels = cv2.connectedComponents(joined, connectivity=8)
    peak = np.zeros(count, dtype=np.uint8)
    np.maximum.at(peak, np.asarray(labels[strokes], dtype=np.intp), below[strokes])
    faint = (peak >= _FAINT_INK) & (peak < _FAINT_DARK)
    faint[0] = False
    if not faint.any():
        return None
    kept = cv2.dilate((strokes & faint[labels]).astype(np.uint8), np.ones((_FAINT_EDGE, _FAINT_EDGE), np.uint8)) > 0
    kept &= paper >= _FAINT_PAPER
    rows, columns = np.nonzero(kept)
    depth = cv2.subtract(paper, grey)[rows, columns].astype(np.float32) - _FAINT_FLOOR  # below the paper
    strongest = peak[labels[rows, columns]].astype(np.float32) - _FAINT_FLOOR  # 0 where a soft edge left its word
    levelled = np.full(grey.shape, 255, dtype=np.uint8)
    levelled[rows, columns] = 255 - np.clip(depth / np.maximum(strongest, _FAINT_INK - _FAINT_FLOOR), 0, 1) * 255
    return levelled if len(unread_lines(levelled, words)) >= _FAINT_LINES else None


def _read_faint_text(
    grey: np.ndarray,
    words: list[Word],
    panels: list[Box],
    *,
    language: str,
    timeout: float,
    backend: Backend,
    tessdata_dir: Path,
) -> list[Word]:
    """The confident words of ``faint_text`` that no word read covers, read panel by panel as the page was.

    Read as one page, a list's grey date and the grey time of a message beside it make one line.
    Their line keys are kept clear of the page's, of the lines read again and of a second opinion's.
    """
    levelled = faint_text(grey, words)
    if levelled is None:
        return []
    read = _recognize_panels_enlarged(
        Image.fromarray(levelled),
        panels,
        scale=max(1.0, min(_MAX_UPSCALE, _TARGET_TEXT_HEIGHT / _line_height(grey, words))),
        language=language,
        timeout=timeout,
        backend=backend,
        tessdata_dir=tessdata_dir,
    )
    found: list[Word] = []
    blocks: dict[int, int] = {}  # the panels' block numbers, renumbered from _FAINT_BLOCKS
    for word in read:
        if _is_confident(word) and not any(overlap_share(word.box, seen.box) >= _SAME_PLACE for seen in words):
            block, paragraph, line = word.line_key
            key = (_FAINT_BLOCKS + blocks.setdefault(block, len(blocks)), paragraph, line)
            found.append(Word(word.text, word.box, word.conf, key))
    return found


def _is_faint(word: Word) -> bool:
    return _FAINT_BLOCKS <= word.line_key[0] < _PANEL_BLOCKS


def _without_faint(words: list[Word]) -> list[Word]:
    """The words read before the faint pass: how well Tesseract read the page is judged on them.

    Faint words cover ink and are mostly sure: counted, they would keep a badly read scan from
    the second opinion, or a sideways page from being turned.
    """
    return [w for w in words if not _is_faint(w)]


def insert_lines(words: list[Word], added: list[Word]) -> list[Word]:
    """``words`` with each line of ``added`` after the nearest line of ``words`` above it in its columns.

    A chat list's grey preview goes under its contact's name, not after the conversation beside it
    (nor into a line of it). Lines of ``added`` with no such line above them go first; lines under
    the same line keep their order.
    """
    if not added:
        return words
    lines = _by_line(words)
    bands = {key: reduce(Box.union, (w.box for w in line)) for key, line in lines.items()}
    first: list[Word] = []
    under: dict[tuple[int, int, int], list[Word]] = {}
    for line in _by_line(added).values():
        band = reduce(Box.union, (w.box for w in line))
        middle = (band.y0 + band.y1) / 2
        above = [key for key, b in bands.items() if b.x0 < band.x1 and band.x0 < b.x1 and (b.y0 + b.y1) / 2 <= middle]
        (under.setdefault(max(above, key=lambda k: bands[k].y1), []) if above else first).extend(line)
    return first + [w for key, line in lines.items() for w in line + under.get(key, [])]


def _line_height(grey: np.ndarray, words: list[Word]) -> float:
    """The page's text height: its words' median, or its letters' when it has too few words to tell."""
    heights = [w.box.height for w in words if len(w.text) > 1]
    return statistics.median(heights) if len(heights) >= _FEW_WORDS else _letter_height(grey)


def _letter_height(grey: np.ndarray) -> float:
    """The page's text height told by its ink, for a page whose few words read tell nothing (a title).

    Tesseract's layout may pass over a whole form of boxed fields. The tallest letters (capitals,
    ascenders and descenders) are about as tall as the words' boxes.
    """
    import cv2  # noqa: PLC0415 (as in unread_lines)

    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    letters = heights[(heights >= _SMALLEST_LETTER) & (heights <= _TALLEST_LETTER) & (widths <= 2 * heights)]
    return float(np.percentile(letters, _TALL_LETTERS)) if letters.size else _TARGET_TEXT_HEIGHT


def _is_confident(word: Word) -> bool:
    """A word worth adding: confident, or long and half confident ("Lovri¢"); an initial, but no lone letter."""
    letters = _letters(word)
    return (letters >= 2 or bool(re.fullmatch(r"[A-Z]\.", word.text))) and (
        word.conf >= _UNREAD_CONFIDENCE or (letters >= 4 and word.conf >= _UNREAD_LONG_CONFIDENCE)
    )


def _read_unread_lines(
    image: Image.Image, words: list[Word], *, language: str, timeout: float, backend: Backend, tessdata_dir: Path
) -> list[Word]:
    """The words of ``unread_lines``, each read as a block of its own; confident words only.

    A title bar's name beside an avatar, a date on a pill, white text on a coloured bubble: Tesseract's
    page layout drops such lines, read alone they are plain text. A line that gives no confident word
    is read once more levelled (``levelled_line``): a bubble's or a pill's grey between the page's and
    the ink's makes Tesseract's one threshold put the whole bubble on the ink's side.
    """
    started = time.monotonic()
    found: list[Word] = []
    for index, line in enumerate(sorted(unread_lines(np.asarray(image), words), key=_reading_order)):
        crop_box = _padded_within(line, line.height // 2, image.width, image.height)
        scale = max(1.0, min(_MAX_UPSCALE, _TARGET_TEXT_HEIGHT / line.height))
        recognize = partial(
            _recognize_scaled, scale=scale, language=language, backend=backend, tessdata_dir=tessdata_dir
        )
        crop = dark_text_on_light(image.crop((crop_box.x0, crop_box.y0, crop_box.x1, crop_box.y1)))
        confident = [w for w in recognize(crop, timeout=_time_left(timeout, started)) if _is_confident(w)]
        if not confident:  # a bubble or a pill of its own grey: one threshold for the crop put it all on one side
            crop = levelled_line(image, line, crop_box)
            confident = [w for w in recognize(crop, timeout=_time_left(timeout, started)) if _is_confident(w)]
        for word in confident:
            box = _scale_word(word, 1 / scale, (crop_box.width, crop_box.height)).box.shifted(crop_box.x0, crop_box.y0)
            if any(overlap_share(box, read.box) >= _SAME_PLACE for read in itertools.chain(words, found)):
                continue  # the rest of a word already read, or a word of a line read just now (crops overlap)
            found.append(Word(word.text, box, word.conf, (_UNREAD_BLOCKS + index, word.line_key[1], word.line_key[2])))
    return found


def _reading_order(box: Box) -> tuple[int, int]:
    """Lines read again go into the text top to bottom, then left to right, as the page reads."""
    return box.y0, box.x0


def _recognize_scaled(
    crop: Image.Image, *, scale: float, language: str, timeout: float, backend: Backend, tessdata_dir: Path
) -> list[Word]:
    """The words of a line's crop read as one block, enlarged ``scale`` times first (boxes in the enlarged crop)."""
    if scale > 1:
        crop = crop.resize((round(crop.width * scale), round(crop.height * scale)), Image.Resampling.LANCZOS)
    return _recognize(
        crop, language=language, timeout=timeout, backend=backend, tessdata_dir=tessdata_dir, one_block=True
    )


def levelled_line(image: Image.Image, line: Box, crop_box: Box) -> Image.Image:
    """``crop_box`` of the page as its letters, dark on white, stretched from their ink to the line's background.

    The background is the line's most common grey (a bubble's, a pill's); the letters are what differs
    from it inside it: regions off the background that do not reach the crop's edge (the page round a
    bubble does), less a frame round the line (a pill's outline). The ink is on the side of the
    background most letter pixels are; everything else is white.
    """
    import cv2  # noqa: PLC0415 (as in unread_lines)

    grey = np.asarray(image.crop((crop_box.x0, crop_box.y0, crop_box.x1, crop_box.y1)).convert("L"))
    inner = grey[line.y0 - crop_box.y0 : line.y1 - crop_box.y0, line.x0 - crop_box.x0 : line.x1 - crop_box.x0]
    background = int(np.bincount(inner.ravel() // _LEVEL_BIN, minlength=_LEVELS).argmax()) * _LEVEL_BIN
    off = np.abs(grey.astype(np.int16) - background) > _BUBBLE_TOLERANCE
    off &= ~_frames(off, line)
    count, labels = cv2.connectedComponents(off.astype(np.uint8), connectivity=8)
    kept = np.ones(count, dtype=bool)
    kept[np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])] = False
    kept[0] = False  # the background
    letters = cv2.dilate(kept[labels].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0  # with their soft edges
    on_dark_side = np.count_nonzero(grey[letters] < background) * 2 >= np.count_nonzero(letters)
    ink_pixels = grey[letters & ((grey < background) if on_dark_side else (grey > background))]
    if ink_pixels.size:  # the strokes' cores, not their soft edges
        ink = float(np.percentile(ink_pixels, _INK_CORE if on_dark_side else 100 - _INK_CORE))
    else:
        ink = 0.0 if on_dark_side else 255.0
    share = (grey.astype(np.float32) - ink) / ((background - ink) or 1.0)
    levelled = np.where(letters, np.clip(share, 0.0, 1.0) * 255, 255).astype(np.uint8)
    return Image.fromarray(levelled)


def _frames(off: np.ndarray, line: Box) -> np.ndarray:
    """The pixels of thin frames round ``line`` in the mask ``off``: a pill's or a form box's outline.

    A frame spans most of the line both ways and is hollow: its ink is a small share of what it
    encloses. Its breaks (a faint, anti-aliased edge) are bridged before it is measured.
    """
    import cv2  # noqa: PLC0415 (as in unread_lines)

    joined = cv2.dilate(off.astype(np.uint8), np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    frames = np.zeros(count, dtype=bool)
    for label in range(1, count):
        x, y, width, height, area = stats[label]
        if width < _FRAME_SHARE * line.width or height < _FRAME_SHARE * line.height:
            continue
        contours, _ = cv2.findContours(
            (labels[y : y + height, x : x + width] == label).astype(np.uint8),
            cv2.RETR_EXTERNAL,
            cv2.CHAIN_APPROX_SIMPLE,
        )
        enclosed = max(cv2.contourArea(contour) for contour in contours)
        frames[label] = area <= _FRAME_INK * enclosed
    framed: np.ndarray = frames[labels] & off
    return framed


def _read_panels(
    image: Image.Image, panels: list[Box], *, language: str, timeout: float, backend: Backend, tessdata_dir: Path
) -> list[Word]:
    """The words of ``panels``; the whole page read again enlarged when its text is small.

    Whether to enlarge is decided on the whole page: a panel of headings may hold small print.
    """
    words = _recognize_panels(
        image, panels, language=language, timeout=timeout, backend=backend, tessdata_dir=tessdata_dir
    )
    height = _text_height(words)
    if height is not None and height < _MIN_TEXT_HEIGHT:
        words = _recognize_panels_enlarged(
            image,
            panels,
            scale=min(_MAX_UPSCALE, _TARGET_TEXT_HEIGHT / height),
            language=language,
            timeout=timeout,
            backend=backend,
            tessdata_dir=tessdata_dir,
        )
    return _reread_merged_lines(
        image, words, language=language, timeout=timeout, backend=backend, tessdata_dir=tessdata_dir
    )


def _time_left(timeout: float, started: float) -> float:
    """Seconds left of ``timeout`` since ``started``; none left fails the page."""
    remaining = timeout - (time.monotonic() - started)
    if remaining <= 0:
        raise OcrTimeoutError()
    return remaining


def _text_height(words: list[Word]) -> float | None:
    """The median height of the words read with some confidence: the page's text height."""
    heights = [w.box.height for w in words if w.conf > 50 and len(w.text) > 2]
    return statistics.median(heights) if heights else None


# A letterhead's address in small lines beside a large heading: Tesseract takes the small lines into the
# heading's line and reads them as one garbled word ("Riverside Medical Group Unt nae" for "Unit 1423
# Box 9010" over "DPO AE 98796"). Words that tall and that unsure are read again on their own.
_MERGED_LINES_HEIGHT = 1.6  # times the page's median text height
_MERGED_LINES_CONFIDENCE = 70
_MERGED_LINES_PAD = 6


def _reread_merged_lines(
    image: Image.Image, words: list[Word], *, language: str, timeout: float, backend: Backend, tessdata_dir: Path
) -> list[Word]:
    """Runs of unsure words in boxes much taller than the page's text, each read again alone.

    The new reading replaces the run when Tesseract is surer of it: in the run's line when it is one
    line, else in lines of its own (negative block numbers, clear of every page's and panel's).
    """
    height = _text_height(words)
    if height is None:
        return words
    limit = _MERGED_LINES_HEIGHT * height
    runs: list[list[int]] = []
    for index, word in enumerate(words):
        if word.conf >= _MERGED_LINES_CONFIDENCE or word.box.height <= limit:
            continue
        if runs and runs[-1][-1] == index - 1 and words[index - 1].line_key == word.line_key:
            runs[-1].append(index)
        else:
            runs.append([index])
    started = time.monotonic()
    replaced: dict[int, list[Word]] = {}
    for number, run in enumerate(runs):
        remaining = _time_left(timeout, started)
        crop_box = _padded_within(
            reduce(Box.union, (words[i].box for i in run)), _MERGED_LINES_PAD, image.width, image.height
        )
        x0, y0, x1, y1 = crop_box.x0, crop_box.y0, crop_box.x1, crop_box.y1
        again = _recognize(
            image.crop((x0, y0, x1, y1)),
            language=language,
            timeout=remaining,
            backend=backend,
            tessdata_dir=tessdata_dir,
        )
        again = _own_lines(again, [words[i].box.shifted(-x0, -y0) for i in range(len(words)) if i not in run])
        if not again or _mean_confidence(again) <= _mean_confidence([words[i] for i in run]):
            continue
        one_line = len({w.line_key for w in again}) == 1  # stays in its line: "halimasaidu37" then "@gmx.net"
        replaced[run[0]] = [
            Word(
                w.text,
                w.box.shifted(x0, y0),
                w.conf,
                words[run[0]].line_key
                if one_line
                else (-1 - number * _PANEL_BLOCKS - w.line_key[0], w.line_key[1], w.line_key[2]),
            )
            for w in again
        ]
        replaced.update({i: [] for i in run[1:]})
    return [new for index, word in enumerate(words) for new in replaced.get(index, [word])]


def _own_lines(again: list[Word], others: list[Box]) -> list[Word]:
    """A crop's reading without the lines it shares with words read already: the crop takes in their edges."""
    lines = _by_line(again)
    read_already = {
        key
        for key, line in lines.items()
        if 2 * sum(any(overlap_share(o, w.box) >= _SAME_PLACE for o in others) for w in line) >= len(line)
    }
    return [w for w in again if w.line_key not in read_already]


def _recognize_panels(
    image: Image.Image, panels: list[Box], *, language: str, timeout: float, backend: Backend, tessdata_dir: Path
) -> list[Word]:
    """Each panel read on its own; line keys of different panels never meet.

    A panel with light text on a dark background is inverted first.
    """
    if len(panels) == 1:
        return _recognize(image, language=language, timeout=timeout, backend=backend, tessdata_dir=tessdata_dir)
    started = time.monotonic()
    words: list[Word] = []
    for index, panel in enumerate(panels):
        remaining = _time_left(timeout, started)
        crop = dark_text_on_light(image.crop((panel.x0, panel.y0, panel.x1, panel.y1)))
        for word in _recognize(crop, language=language, timeout=remaining, backend=backend, tessdata_dir=tessdata_dir):
            block, paragraph, line = word.line_key
            words.append(
                Word(
                    word.text,
                    word.box.shifted(panel.x0, panel.y0),
                    word.conf,
                    (index * _PANEL_BLOCKS + block, paragraph, line),
                )
            )
    return words


def _recognize_panels_enlarged(
    image: Image.Image,
    panels: list[Box],
    *,
    scale: float,
    language: str,
    timeout: float,
    backend: Backend,
    tessdata_dir: Path,
) -> list[Word]:
    """``_recognize_panels`` on the page enlarged ``scale`` times (small text), boxes in ``image``."""
    if scale <= 1:
        return _recognize_panels(
            image, panels, language=language, timeout=timeout, backend=backend, tessdata_dir=tessdata_dir
        )
    larger = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
    scaled = _recognize_panels(
        larger,
        [Box(*(round(edge * scale) for edge in (p.x0, p.y0, p.x1, p.y1))) for p in panels],
        language=language,
        timeout=timeout,
        backend=backend,
        tessdata_dir=tessdata_dir,
    )
    return [_scale_word(w, 1 / scale, image.size) for w in scaled]


def _scale_word(word: Word, factor: float, size: tuple[int, int]) -> Word:
    box = word.box
    scaled = Box(
        max(0, int(box.x0 * factor)),
        max(0, int(box.y0 * factor)),
        min(size[0], -int(-box.x1 * factor // 1)),
        min(size[1], -int(-box.y1 * factor // 1)),
    )
    return Word(word.text, scaled, word.conf, word.line_key)


def _recognize(
    image: Image.Image, *, language: str, timeout: float, backend: Backend, tessdata_dir: Path, one_block: bool = False
) -> list[Word]:
    """Tesseract's words; ``one_block`` reads the image as one block of text, without layout analysis."""
    if backend == "pytesseract":
        words = _recognize_pytesseract(
            image, language=language, timeout=timeout, tessdata_dir=tessdata_dir, one_block=one_block
        )
    else:
        words = _recognize_tesserocr(
            image, language=language, timeout=timeout, tessdata_dir=tessdata_dir, one_block=one_block
        )
    return [w for w in words if not is_standing_word(w)]


def is_standing_word(word: Word) -> bool:
    """Whether a "word" is a column of shapes (a chat's avatars) read as letters, not text.

    Its box is over twice as tall as wide for three or more characters, and Tesseract has no
    confidence in it (text set sideways is read with confidence). Painting it as part of a name
    beside it would blank a strip of the page.
    """
    return len(word.text) >= 3 and word.box.height > 2 * word.box.width and word.conf < _NO_CONFIDENCE


_apis = threading.local()


def _tesserocr_api(language: str, tessdata_dir: Path):  # type: ignore[no-untyped-def]
    """One Tesseract instance per thread and language: loading a model costs more than a small page."""
    import tesserocr

    cache: dict[str, tesserocr.PyTessBaseAPI] = _apis.__dict__.setdefault("by_language", {})
    if language not in cache:
        try:
            api = tesserocr.PyTessBaseAPI(path=str(tessdata_dir), lang=language)
            # Sauvola's local threshold reads coloured labels, noise and dark frames better than Otsu
            # (measured on the dev set: 93.4% of PII words read, against 91.4%).
            api.SetVariable("thresholding_method", "2")
            # Tesseract adapts its classifier to the pages an instance has read: the same page read
            # after different ones came out differently. Not learning makes a page's words its own.
            api.SetVariable("classify_enable_learning", "0")
            cache[language] = api
        except RuntimeError as e:
            raise MissingDependencyError(f"Tesseract could not load language data {language!r}.") from e
    return cache[language]


def _recognize_tesserocr(
    image: Image.Image, *, language: str, timeout: float, tessdata_dir: Path, one_block: bool = False
) -> list[Word]:
    from tesserocr import PSM, RIL

    api = _tesserocr_api(language, tessdata_dir)
    try:
        api.SetPageSegMode(PSM.SINGLE_BLOCK if one_block else PSM.AUTO)
        api.SetImage(image)
        if not api.Recognize(timeout=int(timeout * 1000)):
            raise OcrTimeoutError()
        words: list[Word] = []
        iterator = api.GetIterator()
        if iterator is None or iterator.Empty(RIL.WORD):
            return words  # a blank page
        block = paragraph = line = -1
        while True:
            if iterator.IsAtBeginningOf(RIL.BLOCK):
                block, paragraph, line = block + 1, -1, -1
            if iterator.IsAtBeginningOf(RIL.PARA):
                paragraph, line = paragraph + 1, -1
            if iterator.IsAtBeginningOf(RIL.TEXTLINE):
                line += 1
            text = (iterator.GetUTF8Text(RIL.WORD) or "").strip()
            bounds = iterator.BoundingBox(RIL.WORD)
            if text and bounds:
                x0, y0, x1, y1 = bounds
                words.append(Word(text, Box(x0, y0, x1, y1), iterator.Confidence(RIL.WORD), (block, paragraph, line)))
            if not iterator.Next(RIL.WORD):
                break
        return words
    except RuntimeError as e:
        raise OcrError() from e
    finally:
        api.Clear()


def _recognize_pytesseract(
    image: Image.Image, *, language: str, timeout: float, tessdata_dir: Path, one_block: bool = False
) -> list[Word]:
    import pytesseract

    # pytesseract hands the page to the tesseract binary through a temp file: keep temp files in
    # RAM-backed space so the page never reaches a persistent disk (set once, for the process).
    if Path("/dev/shm").is_dir() and tempfile.gettempdir() != "/dev/shm":
        tempfile.tempdir = "/dev/shm"
    config = f'--tessdata-dir "{tessdata_dir}" -c thresholding_method=2' + (" --psm 6" if one_block else "")
    try:
        data = pytesseract.image_to_data(image, lang=language, config=config, timeout=timeout, output_type="dict")
    except pytesseract.TesseractNotFoundError as e:
        raise MissingDependencyError("The tesseract binary is not installed; run scripts/install.sh.") from e
    except RuntimeError as e:
        if "timeout" in str(e).lower():
            raise OcrTimeoutError() from e
        raise OcrError() from e
    except pytesseract.TesseractError as e:
        raise OcrError() from e
    words = []
    for i, text in enumerate(data["text"]):
        text = text.strip()
        if not text:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        words.append(Word(text, Box(x, y, x + w, y + h), float(data["conf"][i]), key))
    return words


# ------------------------------------------------------------------------------------ second opinion


def needs_second_opinion(words: list[Word], grey: np.ndarray) -> bool:
    """Whether Tesseract read the page badly: low mean word confidence, or most of the ink unread.

    A page without ink (blank, or nothing but paper texture) has nothing to read again.
    """
    return (bool(words) and _mean_confidence(words) < _SECOND_OPINION_CONFIDENCE) or unread_ink_share(
        grey, words
    ) > _SECOND_OPINION_UNREAD_INK


def unread_ink_share(grey: np.ndarray, words: list[Word]) -> float:
    """Share of the page's ink (pixels clearly darker than their neighbourhood) outside every word box.

    Worked out on a copy at most ``_INK_SAMPLE`` pixels on its longer side; 0 for a page without ink.
    """
    page = Image.fromarray(grey)
    page.thumbnail((_INK_SAMPLE, _INK_SAMPLE))
    scale = page.width / grey.shape[1]
    pixels = np.asarray(page, dtype=np.int16)
    neighbourhood = np.asarray(page.filter(ImageFilter.BoxBlur(_INK_NEIGHBOURHOOD)), dtype=np.int16)
    ink = pixels < neighbourhood - _INK_CONTRAST
    read = np.zeros_like(ink)
    for word in words:
        read[
            max(0, int(word.box.y0 * scale) - 1) : int(word.box.y1 * scale) + 2,
            max(0, int(word.box.x0 * scale) - 1) : int(word.box.x1 * scale) + 2,
        ] = True
    total = int(ink.sum())
    return float((ink & ~read).sum()) / total if total else 0.0


def overlap_share(a: Box, b: Box) -> float:
    """Intersection of two boxes over the smaller one's area (0 when either is empty)."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    smaller = min(a.area, b.area)
    return width * height / smaller if width > 0 and height > 0 and smaller else 0.0


def merge_words(
    first: list[Word], second: list[Word], *, replaceable_below: float, unconfirmed_below: float = 0.0
) -> list[Word]:
    """``first`` (Tesseract's words) with ``second`` (another reading of the page) filling its gaps.

    Where a confident first word and a second word overlap, the first is kept. A second word takes
    the place (and line) of overlapping first words that are all below ``replaceable_below``. A
    second word with no first word under it joins the line of the nearest first word level with it,
    or else forms a line with its own neighbours, placed after the line above it, so the text keeps
    its reading order. First words below ``unconfirmed_below`` that no second word overlaps are
    dropped. Lines keep their order; words within a line are in x order.
    """
    replaced: dict[int, list[Word]] = {}
    dropped: set[int] = set()
    confirmed: set[int] = set()
    new: list[Word] = []
    for word in second:
        hits = [i for i, f in enumerate(first) if overlap_share(f.box, word.box) >= _SAME_PLACE]
        confirmed.update(hits)
        if not hits:
            new.append(word)
        elif all(first[i].conf < replaceable_below for i in hits):
            replaced.setdefault(hits[0], []).append(word)
            dropped.update(hits)
    dropped.update(i for i, f in enumerate(first) if f.conf < unconfirmed_below and i not in confirmed)
    kept: list[Word] = []
    for i, word in enumerate(first):
        if i in replaced:
            kept += [Word(w.text, w.box, w.conf, word.line_key) for w in replaced[i]]
        elif i not in dropped:
            kept.append(word)
    lines = _by_line(kept)
    own: dict[tuple[int, int, int], list[Word]] = {}
    for word in new:
        level = [w for w in kept if _level(w.box, word.box)]
        if level:
            nearest = min(level, key=lambda w: max(w.box.x0 - word.box.x1, word.box.x0 - w.box.x1, 0))
            lines[nearest.line_key].append(Word(word.text, word.box, word.conf, nearest.line_key))
        else:
            key = (_SECOND_OPINION_LINES + word.line_key[0], word.line_key[1], word.line_key[2])
            own.setdefault(key, []).append(Word(word.text, word.box, word.conf, key))
    bands = {key: (min(w.box.y0 for w in ws), max(w.box.y1 for w in ws)) for key, ws in lines.items()}
    order = list(lines)
    for key, words in own.items():
        band = (min(w.box.y0 for w in words), max(w.box.y1 for w in words))
        middle = (band[0] + band[1]) / 2
        above = [k for k in order if (bands[k][0] + bands[k][1]) / 2 <= middle]
        order.insert(order.index(max(above, key=lambda k: bands[k][1])) + 1 if above else 0, key)
        lines[key], bands[key] = words, band
    return [w for key in order for w in sorted(lines[key], key=lambda w: w.box.x0)]


def _level(a: Box, b: Box) -> bool:
    """Two word boxes on one text line: they share half the lower one's height, neither twice the other's."""
    shared = min(a.y1, b.y1) - max(a.y0, b.y0)
    low, high = sorted((max(1, a.height), max(1, b.height)))
    return shared >= low / 2 and high <= 2 * low


def fit_to_ink(word: Word, grey: np.ndarray) -> Word:
    """The word with its box shrunk to the ink inside it.

    RapidOCR's boxes are its padded line boxes: taller than the text, reaching into the lines above
    and below, so painting them would cover neighbouring lines. Of the runs of ink rows in the box,
    the one at (or nearest) its middle is kept, with runs a thin gap away (i dots, accents).
    """
    box = word.box
    crop = grey[box.y0 : box.y1, box.x0 : box.x1]
    if crop.size == 0:
        return word
    dark, light = np.percentile(crop, 5), np.percentile(crop, 95)
    if light - dark < _INK_CONTRAST / 2:
        return word
    ink = crop < (dark + light) / 2
    rows = [*ink.any(axis=1), False]
    runs: list[tuple[int, int]] = []
    start = -1
    for i, on in enumerate(rows):
        if on and start < 0:
            start = i
        elif not on and start >= 0:
            runs.append((start, i))
            start = -1
    if not runs:
        return word
    middle = len(rows) // 2
    top, bottom = min(runs, key=lambda r: 0 if r[0] <= middle < r[1] else min(abs(r[0] - middle), abs(r[1] - middle)))
    for r0, r1 in runs:
        if r1 <= top and top - r1 <= 2:
            top = min(top, r0)
        if r0 >= bottom and r0 - bottom <= 2:
            bottom = max(bottom, r1)
    columns = np.flatnonzero(ink[top:bottom].any(axis=0))
    return Word(
        word.text,
        Box(box.x0 + int(columns[0]), box.y0 + top, box.x0 + int(columns[-1]) + 1, box.y0 + bottom),
        word.conf,
        word.line_key,
    )


def probe_second_opinion() -> None:
    """Raise MissingDependencyError unless RapidOCR can be imported; load its models where pages will be read."""
    _rapidocr_class()
    _second_opinion_pool().submit(_rapidocr).result()


@lru_cache(maxsize=1)
def _second_opinion_pool() -> concurrent.futures.ThreadPoolExecutor:
    """The threads RapidOCR runs in (one engine each), as many as CPUs: pages queue for them."""
    return concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="redactor-ocr2")


def _rapidocr_class() -> Any:
    try:
        from rapidocr import RapidOCR
    except ImportError as e:
        raise MissingDependencyError(
            "The OCR second opinion needs RapidOCR (rapidocr, onnxruntime: installed with redactor), "
            "or set REDACTOR_OCR_SECOND_OPINION=off."
        ) from e
    return RapidOCR


def _rapidocr() -> Any:
    """One RapidOCR engine per thread (its models ship inside the wheel; nothing is downloaded)."""
    cache = _apis.__dict__
    if "rapidocr" not in cache:
        cache["rapidocr"] = _rapidocr_class()(
            params={"Global.log_level": "error", "Global.return_word_box": True, "Global.use_cls": False}
        )
    return cache["rapidocr"]


def _run_rapidocr(grey: np.ndarray, *, detect: bool, timeout: float) -> Any:
    """RapidOCR's result on a grey image, in a pool thread; past ``timeout`` seconds, OcrTimeoutError.

    Every call names its steps: RapidOCR keeps the last call's as its own (a line read alone skips detection).
    """
    future = _second_opinion_pool().submit(
        lambda: _rapidocr()(np.repeat(grey[:, :, None], 3, axis=2), use_det=detect, use_cls=False, use_rec=True)
    )
    try:
        return future.result(timeout=max(0.0, timeout))
    except concurrent.futures.TimeoutError:
        raise OcrTimeoutError() from None
    except (RuntimeError, ValueError) as e:
        raise OcrError() from e


def read_second_opinion(image: Image.Image, *, timeout: float) -> list[Word]:
    """RapidOCR's words on a prepared page, each line's words on a line of their own, boxes fitted to the ink.

    Raises OcrTimeoutError after ``timeout`` seconds, as Tesseract does: the page is then not read
    at all (a page Tesseract read badly is never passed off as read). RapidOCR cannot be stopped
    mid-page, so it runs in a pool thread that finishes the page in the background.
    """
    grey = np.asarray(image.convert("L"))
    result = _run_rapidocr(grey, detect=True, timeout=timeout)
    words: list[Word] = []
    if result.boxes is None:  # nothing detected: word_results then holds a placeholder, not lines
        return words
    for line, line_words in enumerate(result.word_results or ()):
        for text, score, corners in line_words:
            text = text.strip()
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            box = Box(
                max(0, math.floor(min(xs))),
                max(0, math.floor(min(ys))),
                min(image.width, math.ceil(max(xs)) + 1),
                min(image.height, math.ceil(max(ys)) + 1),
            )
            if text and box.x1 > box.x0 and box.y1 > box.y0:
                words.append(fit_to_ink(Word(text, box, float(score) * 100, (line, 0, 0)), grey))
    return words
