"""Measure OCR setups on document sets with exact ground truth: Tesseract, RapidOCR, and the two merged.

For every image of each ``--data`` folder (``<folder>/dev/*.json`` in the dev set's format, e.g. the
shared dev set or a set from ``scripts/make_scans.py``) each OCR setup reads the page once, timed, and
then:

* **PII read rate**: share of ground-truth PII word pieces (scored entities, pieces with a letter or
  digit) whose text the setup reads: the normalised text (case-folded, letters and digits only) of
  the OCR words overlapping the piece's box (intersection >= 30% of the smaller box), joined, contains
  the piece's normalised text.
* **entity recall of the full engine**: ``redactor.redact`` with its OCR stage replaced by the setup's
  words (detection, fields, mapping and painting unchanged), scored as ``bench_engine.py`` scores
  coverage (a PII word is redacted when >= 90% of its box changed; an entity when all its words are),
  plus over-redaction of non-PII words (>= 50% changed).
* **seconds per page**: OCR wall time of the setup (sequential, after a warm-up page), and the
  whole call (OCR + the rest of the engine).

Setups:

* ``tesseract``  the engine's own OCR: ``ocr.read_words(ocr.prepare_for_ocr(frame))``.
* ``rapidocr``   RapidOCR alone (PP-OCR det + rec ONNX models shipped in the wheel) on the prepared page;
  its line results split into words with its word-box option.
* ``merged``     both: Tesseract's words kept; RapidOCR's words added where no Tesseract word overlaps
  (into the Tesseract line beside them, else as a line of their own) and put in place of overlapping
  Tesseract words that are all below ``--low-conf``.
* ``trigger<T>`` ``merged`` only on pages whose Tesseract mean word confidence is below T, else
  ``tesseract`` (RapidOCR's time counted only when it runs); one per ``--triggers`` value.

Setups that need RapidOCR are computed from the same two timed reads, so the merge and the triggers
cost nothing extra to explore; the merge itself is timed and added.

Needs ``pip install rapidocr onnxruntime`` (not a dependency of the service). Nothing is downloaded.

Usage (from the repository root)::

    .venv/bin/python scripts/make_scans.py --seed 1 --count 40 --out /tmp/scans
    .venv/bin/python scripts/bench_ocr.py --data /tmp/scans --data ../shared/bench --markdown ocr.md
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import pickle
import re
import statistics
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
import bench_engine as be  # noqa: E402

from redactor import formats, ocr, pipeline  # noqa: E402
from redactor.models import Box, RedactOptions, Word  # noqa: E402

log = logging.getLogger("bench_ocr")
NORMALISE_RE = re.compile(r"[^\w]|_")
READ_OVERLAP = 0.3  # share of the smaller box two boxes must share to be "the same place"
MERGE_OVERLAP = 0.3
RAPID_LINE_BASE = 10_000  # block numbers of RapidOCR lines, clear of Tesseract's


# ------------------------------------------------------------------------------------------ helpers


def normalise(text: str) -> str:
    return NORMALISE_RE.sub("", text.casefold())


def overlap_share(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    x0, y0, x1, y1 = max(a.x0, b.x0), max(a.y0, b.y0), min(a.x1, b.x1), min(a.y1, b.y1)
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    smaller = min(a.area, b.area)
    return inter / smaller if smaller else 0.0


def mean_confidence(words: Sequence[Word]) -> float:
    return statistics.fmean(w.conf for w in words) if words else 0.0


def tighten(word: Word, grey: np.ndarray) -> Word:
    """The word's box shrunk to its ink: RapidOCR's boxes are its padded line boxes, taller than the
    text and reaching into the lines above and below; the run of ink rows nearest the middle is kept."""
    box = word.box
    crop = grey[box.y0 : box.y1, box.x0 : box.x1]
    if crop.size == 0:
        return word
    low, high = np.percentile(crop, 5), np.percentile(crop, 95)
    if high - low < 24:
        return word
    ink = crop < (low + high) / 2
    rows = ink.sum(axis=1) > 0
    middle = len(rows) // 2
    runs, start = [], None
    for i, on in enumerate([*rows, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    if not runs:
        return word
    top, bottom = min(runs, key=lambda r: 0 if r[0] <= middle < r[1] else min(abs(r[0] - middle), abs(r[1] - middle)))
    # glue neighbouring runs separated by a thin gap (dots of i and j, accents, broken strokes)
    for r0, r1 in runs:
        if r1 <= top and top - r1 <= 2:
            top = min(top, r0)
        if r0 >= bottom and r0 - bottom <= 2:
            bottom = max(bottom, r1)
    columns = np.nonzero(ink[top:bottom].any(axis=0))[0]
    if columns.size == 0:
        return word
    tight = Box(box.x0 + int(columns[0]), box.y0 + top, box.x0 + int(columns[-1]) + 1, box.y0 + bottom)
    return Word(word.text, tight, word.conf, word.line_key)


def ink_share_uncovered(grey: np.ndarray, words: Sequence[Word], side: int = 1000, contrast: int = 40) -> float:
    """Share of the page's ink (pixels clearly darker than their surroundings) outside every word box."""
    image = Image.fromarray(grey)
    image.thumbnail((side, side))
    scale = image.width / grey.shape[1]
    small = np.asarray(image, np.int16)
    background = np.asarray(image.filter(ImageFilter.BoxBlur(12)), np.int16)
    ink = small < background - contrast
    covered = np.zeros_like(ink)
    for w in words:
        covered[
            max(0, int(w.box.y0 * scale) - 1) : int(w.box.y1 * scale) + 2,
            max(0, int(w.box.x0 * scale) - 1) : int(w.box.x1 * scale) + 2,
        ] = True
    total = int(ink.sum())
    return float((ink & ~covered).sum()) / total if total else 0.0


# ---------------------------------------------------------------------------------------- RapidOCR


class Rapid:
    """RapidOCR with word boxes; each detected line becomes a line of words (block RAPID_LINE_BASE + n)."""

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        self.engine = RapidOCR(
            params={"Global.log_level": "warning", "Global.return_word_box": True, "Global.use_cls": False}
        )

    def read(self, prepared: Image.Image) -> list[Word]:
        pixels = np.asarray(prepared.convert("RGB"))[:, :, ::-1].copy()
        result = self.engine(pixels)
        if result.txts is None or result.word_results is None:
            return []
        width, height = prepared.size
        words: list[Word] = []
        for line, line_words in enumerate(result.word_results):
            for text, score, quad in line_words:
                text = text.strip()
                if not text:
                    continue
                xs, ys = [p[0] for p in quad], [p[1] for p in quad]
                box = Box(
                    max(0, int(min(xs))),
                    max(0, int(min(ys))),
                    min(width, int(max(xs)) + 1),
                    min(height, int(max(ys)) + 1),
                )
                if box.x1 > box.x0 and box.y1 > box.y0:
                    words.append(Word(text, box, float(score) * 100, (RAPID_LINE_BASE + line, 0, 0)))
        return words


# ------------------------------------------------------------------------------------------- merge


def merge_words(first: Sequence[Word], second: Sequence[Word], *, low_conf: float) -> list[Word]:
    """``first`` (Tesseract) with ``second`` (RapidOCR) filling its gaps, in reading order.

    A second-opinion word is dropped where a confident first word overlaps it; it takes the place of
    overlapping first words that are all below ``low_conf``; where nothing overlaps it joins the first
    line whose height band it shares (in x order), or else forms a line with its own line's other
    new words, placed after the first line above it.
    """
    replaced: dict[int, list[Word]] = defaultdict(list)  # first index -> second words taking its place
    dropped_first: set[int] = set()
    new: list[Word] = []
    for word in second:
        hits = [i for i, f in enumerate(first) if overlap_share(f.box, word.box) >= MERGE_OVERLAP]
        if not hits:
            new.append(word)
        elif all(first[i].conf < low_conf for i in hits):
            replaced[hits[0]].append(word)
            dropped_first.update(hits)
    merged: list[Word] = []
    for i, word in enumerate(first):
        if i in replaced:
            merged += [Word(w.text, w.box, w.conf, word.line_key) for w in replaced[i]]
        elif i not in dropped_first:
            merged.append(word)
    lines: dict[tuple[int, int, int], list[Word]] = defaultdict(list)
    for word in merged:
        lines[word.line_key].append(word)
    bands = {key: (min(w.box.y0 for w in ws), max(w.box.y1 for w in ws)) for key, ws in lines.items()}
    own_lines: dict[tuple[int, int, int], list[Word]] = defaultdict(list)
    for word in new:
        best, best_share = None, 0.5
        for key, (y0, y1) in bands.items():
            share = (min(y1, word.box.y1) - max(y0, word.box.y0)) / max(1, min(y1 - y0, word.box.height))
            if share > best_share:
                best, best_share = key, share
        if best is None:
            own_lines[word.line_key].append(word)
        else:
            lines[best].append(Word(word.text, word.box, word.conf, best))
    order = list(dict.fromkeys(w.line_key for w in merged))
    for key, words in own_lines.items():
        middle = statistics.fmean((w.box.y0 + w.box.y1) / 2 for w in words)
        above = [k for k in order if k in bands and (bands[k][0] + bands[k][1]) / 2 <= middle]
        position = order.index(max(above, key=lambda k: bands[k][1])) + 1 if above else 0
        order.insert(position, key)
        lines[key] = words
    return [w for key in order for w in sorted(lines[key], key=lambda w: w.box.x0)]


# ------------------------------------------------------------------------------------------ scoring


def read_rate(truth: dict[str, Any], words: Sequence[Word]) -> tuple[int, int, list[str]]:
    """PII pieces read, PII pieces counted, and the texts of those missed."""
    scored = {e["id"] for e in truth["entities"] if e.get("scored")}
    read = total = 0
    missed: list[str] = []
    for piece in truth["words"]:
        target = normalise(piece["text"])
        if piece["entity"] not in scored or not target:
            continue
        total += 1
        box = Box(*piece["box"])
        seen = "".join(normalise(w.text) for w in words if overlap_share(w.box, box) >= READ_OVERLAP)
        if target in seen:
            read += 1
        else:
            missed.append(piece["text"])
    return read, total, missed


def coverage(sample: be.Sample, output: bytes) -> dict[str, Any]:
    """bench_engine's coverage test: entity and word recall, over-redaction (no leak OCR)."""
    frame, _ = be.displayed_first_frame(sample.data)
    rgb = np.asarray(frame.convert("RGB"), dtype=np.int16)
    has_fill = np.abs(rgb - np.array(sample.fill, dtype=np.int16)).max(axis=2) <= be.FILL_TOLERANCE
    view = be.InputView(rgb, has_fill, set(), [])
    out, _ = be.displayed_first_frame(output)
    changed = be.changed_mask(view, out, sample.fill)
    scored = {e["id"] for e in sample.truth["entities"] if e.get("scored")}
    redacted: dict[int, bool] = {}
    over = non_pii = 0
    over_words: list[str] = []
    for word in sample.truth["words"]:
        share = be.changed_share(changed, has_fill, word["box"])
        if word["entity"] in scored:
            redacted[word["id"]] = share is None or share >= be.WORD_REDACTED
        elif word["entity"] is None and be.HAS_ALNUM_RE.search(word["text"]):
            non_pii += 1
            if share is not None and share >= be.WORD_OVER_REDACTED:
                over += 1
                over_words.append(word["text"])
    entities = [e for e in sample.truth["entities"] if e["id"] in scored]
    missed = [f"{e['type']} {e['value']!r}" for e in entities if not all(redacted[w] for w in e["words"])]
    return {
        "entities": (len(entities) - len(missed), len(entities)),
        "words": (sum(redacted.values()), len(redacted)),
        "over": (over, non_pii),
        "missed": missed,
        "over_words": over_words,
    }


# --------------------------------------------------------------------------------------------- run


@dataclass
class PageReads:
    """One page read by both engines, with their times (RapidOCR's boxes as it gives them)."""

    tesseract: list[Word]
    tesseract_s: float
    rapid: list[Word]
    rapid_s: float


@dataclass
class SetupResult:
    name: str
    sample: be.Sample
    words: list[Word]
    ocr_s: float
    engine_s: float = 0.0
    ran_second: bool = False
    read: tuple[int, int] = (0, 0)
    missed_reads: list[str] = field(default_factory=list)
    cover: dict[str, Any] = field(default_factory=dict)


def prepared_page(sample: be.Sample, engine: pipeline.Engine) -> Image.Image:
    decoded = formats.decode_image(sample.data, max_pixels=engine.settings.max_pixels, max_pages=1)
    return ocr.prepare_for_ocr(decoded.frames[0])


def read_page(sample: be.Sample, engine: pipeline.Engine, rapid: Rapid | None) -> PageReads:
    prepared = prepared_page(sample, engine)
    start = time.perf_counter()
    words = ocr.read_words(
        prepared,
        language=ocr.resolve_language(sample.language, engine.tesseract.languages),
        timeout=engine.settings.ocr_timeout,
        backend=engine.settings.ocr_backend,
        tessdata_dir=engine.tesseract.tessdata_dir,
    )
    tesseract_s = time.perf_counter() - start
    second: list[Word] = []
    rapid_s = 0.0
    if rapid is not None:
        start = time.perf_counter()
        second = rapid.read(prepared)
        rapid_s = time.perf_counter() - start
    return PageReads(words, tesseract_s, second, rapid_s)


def parse_trigger(spec: str) -> list[tuple[str, float]]:
    """``conf<70``, ``ink>0.75`` or alternatives joined by ``|``."""
    tests = []
    for part in spec.split("|"):
        match = re.fullmatch(r"\s*(conf<|ink>)\s*([0-9.]+)\s*", part)
        if not match:
            raise SystemExit(f"--triggers: cannot read {part!r} (use conf<N, ink>N, joined by |)")
        tests.append((match.group(1)[:-1], float(match.group(2))))
    return tests


def setups_for(
    sample: be.Sample, reads: PageReads, prepared: Image.Image, args: argparse.Namespace
) -> list[SetupResult]:
    results = [SetupResult("tesseract", sample, reads.tesseract, reads.tesseract_s)]
    if not args.rapid:
        return results
    grey = np.asarray(prepared.convert("L"))
    start = time.perf_counter()
    rapid = [tighten(w, grey) for w in reads.rapid]
    rapid_s = reads.rapid_s + time.perf_counter() - start
    results.append(SetupResult("rapidocr", sample, rapid, rapid_s, ran_second=True))
    for low_conf in args.low_conf:
        start = time.perf_counter()
        merged = merge_words(reads.tesseract, rapid, low_conf=low_conf)
        both = reads.tesseract_s + rapid_s + time.perf_counter() - start
        results.append(SetupResult(f"merged{low_conf:g}", sample, merged, both, ran_second=True))
    start = time.perf_counter()
    reverse = merge_words(rapid, reads.tesseract, low_conf=args.low_conf[-1])
    reverse_s = reads.tesseract_s + rapid_s + time.perf_counter() - start
    results.append(SetupResult("rapid+tess", sample, reverse, reverse_s, ran_second=True))
    chosen = next(r for r in results if r.name == args.trigger_uses)
    start = time.perf_counter()
    signals = {"conf": mean_confidence(reads.tesseract), "ink": ink_share_uncovered(grey, reads.tesseract)}
    signal_s = time.perf_counter() - start
    for spec in args.triggers:
        fire = any(
            signals[name] < value if name == "conf" else signals[name] > value for name, value in parse_trigger(spec)
        )
        results.append(
            SetupResult(
                f"if {spec}",
                sample,
                chosen.words if fire else reads.tesseract,
                (chosen.ocr_s if fire else reads.tesseract_s) + signal_s,
                ran_second=fire,
            )
        )
    return results


def run_engine(result: SetupResult, engine: pipeline.Engine) -> None:
    """The whole redaction with the OCR stage answering the setup's words."""
    real = ocr.read_words
    words = result.words
    ocr.read_words = lambda *args, **kwargs: list(words)  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        options = RedactOptions(fill_color=be.fill_option(result.sample.fill), language=result.sample.language)
        output = pipeline.redact(result.sample.data, options, engine=engine).data
        result.engine_s = time.perf_counter() - start
    finally:
        ocr.read_words = real  # type: ignore[assignment]
    result.cover = coverage(result.sample, output)


# ------------------------------------------------------------------------------------------ report


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}% ({n}/{d})" if d else "n/a"


def add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def table(results: list[SetupResult], engine: bool) -> list[list[str]]:
    by_setup: dict[str, list[SetupResult]] = defaultdict(list)
    for r in results:
        by_setup[r.name].append(r)
    base = by_setup.get("tesseract", [])
    base_read = (sum(r.read[0] for r in base), sum(r.read[1] for r in base))
    base_ent = (
        (sum(r.cover["entities"][0] for r in base), sum(r.cover["entities"][1] for r in base)) if engine else (0, 0)
    )
    base_s = sum(r.ocr_s for r in base)
    rows = []
    for name, rs in by_setup.items():
        n = len(rs)
        read = (sum(r.read[0] for r in rs), sum(r.read[1] for r in rs))
        ocr_s = sum(r.ocr_s for r in rs)
        row = [name, str(n), pct(*read)]
        extra_s = (ocr_s - base_s) / n if n else 0.0
        gained_read = (read[0] - base_read[0]) / base_read[1] * 100 if base_read[1] else 0.0
        if engine:
            ent = (sum(r.cover["entities"][0] for r in rs), sum(r.cover["entities"][1] for r in rs))
            over = (sum(r.cover["over"][0] for r in rs), sum(r.cover["over"][1] for r in rs))
            gained_ent = (ent[0] - base_ent[0]) / base_ent[1] * 100 if base_ent[1] else 0.0
            row += [pct(*ent), pct(*over)]
        row += [f"{ocr_s / n:.2f}", f"{statistics.median(r.ocr_s for r in rs):.2f}"]
        if engine:
            row.append(f"{sum(r.ocr_s + r.engine_s for r in rs) / n:.2f}")
        row.append(f"{sum(r.ran_second for r in rs)}/{n}")
        per_second = "" if name == "tesseract" or extra_s <= 0 else f"{gained_read / extra_s:+.2f}"
        if engine:
            per_second += "" if name == "tesseract" or extra_s <= 0 else f" / {gained_ent / extra_s:+.2f}"
        row.append(per_second)
        rows.append(row)
    return rows


def headers(engine: bool) -> list[str]:
    cols = ["setup", "pages", "PII read rate"]
    if engine:
        cols += ["entity recall", "over-redaction"]
    cols += ["OCR s/page", "median OCR s"]
    if engine:
        cols.append("engine s/page")
    cols += ["RapidOCR ran", "points per extra s" + (" (read / entities)" if engine else "")]
    return cols


def report(results: list[SetupResult], engine: bool, groups: dict[str, Callable[[be.Sample], list[str]]]) -> list[str]:
    lines: list[str] = []
    sets = sorted({r.sample.path.parent.parent.name + "/" + r.sample.split for r in results})
    for set_name in sets:
        chosen = [r for r in results if r.sample.path.parent.parent.name + "/" + r.sample.split == set_name]
        pages = len({r.sample.id for r in chosen})
        lines += [f"### {set_name}: {pages} pages", "", *be.md_table(headers(engine), table(chosen, engine))]
        for title, keys in groups.items():
            members: dict[str, list[SetupResult]] = defaultdict(list)
            for r in chosen:
                for key in keys(r.sample):
                    members[key].append(r)
            rows = []
            for key in sorted(members):
                for row in table(members[key], engine):
                    rows.append([key, *row])
            lines += [f"#### {set_name} by {title}", "", *be.md_table([title, *headers(engine)], rows)]
    return lines


def missed_lines(results: list[SetupResult], setups: Sequence[str]) -> list[str]:
    lines = ["### Entities the engine missed, per setup", ""]
    for name in setups:
        lines.append(f"#### {name}")
        lines.append("")
        for r in results:
            if r.name == name and r.cover.get("missed"):
                lines.append(f"- {r.sample.id} ({r.sample.layout}): {'; '.join(r.cover['missed'])}")
        lines.append("")
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", default=[], help="folder holding dev/ (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="first N images of each folder")
    parser.add_argument("--only", action="append", default=[], help="image ids, comma-separated (repeatable)")
    parser.add_argument("--no-rapid", dest="rapid", action="store_false", help="Tesseract only")
    parser.add_argument("--no-engine", dest="engine", action="store_false", help="skip the full-engine recall")
    parser.add_argument(
        "--low-conf",
        default="50",
        help="merges to try: Tesseract words below this confidence are replaceable (comma-separated; the "
        "triggers use the last)",
    )
    parser.add_argument(
        "--triggers",
        default="conf<70;ink>0.75;conf<65|ink>0.75",
        help="when to add RapidOCR, separated by ';': conf<N (Tesseract's mean word confidence), ink>N (share "
        "of the page's ink outside Tesseract's words), alternatives joined by |",
    )
    parser.add_argument("--trigger-uses", default=None, help="the setup a trigger switches to (default: last merge)")
    parser.add_argument("--cache", type=Path, default=None, help="keep both OCR reads (and times) here and reuse them")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the report here")
    parser.add_argument("--json", type=Path, default=None, help="per page and setup results as JSON")
    parser.add_argument("--details", action="store_true", help="list the entities missed per setup")
    args = parser.parse_args(argv)
    args.data = args.data or [Path("/tmp/scans"), be.DEFAULT_DATA]
    args.triggers = [t.strip() for t in args.triggers.split(";") if t.strip()]
    for spec in args.triggers:
        parse_trigger(spec)
    args.low_conf = [float(t) for t in args.low_conf.split(",") if t.strip()]
    args.trigger_uses = args.trigger_uses or f"merged{args.low_conf[-1]:g}"
    args.only = [o.strip() for group in args.only for o in group.split(",") if o.strip()]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    samples = [s for folder in args.data for s in be.load_samples(folder, "dev", [], args.limit)]
    if args.only:
        samples = [s for s in samples if s.id in set(args.only)]
    if not samples:
        raise SystemExit("no images selected")
    engine = pipeline.default_engine()
    cache: dict[str, PageReads] = {}
    if args.cache and args.cache.exists():
        cache = {k: PageReads(*v) for k, v in pickle.loads(args.cache.read_bytes()).items()}
    rapid: Rapid | None = None
    results: list[SetupResult] = []
    for i, sample in enumerate(samples, 1):
        key = f"{sample.path}:{hashlib.sha256(sample.data).hexdigest()[:16]}"
        reads = cache.get(key)
        if reads is None or (args.rapid and not reads.rapid and not reads.rapid_s):
            if rapid is None:
                rapid = Rapid() if args.rapid else None
                read_page(samples[0], engine, rapid)  # warm-up: models loaded, first-call caches
            reads = cache[key] = read_page(sample, engine, rapid)
            if args.cache:
                plain = {k: (v.tesseract, v.tesseract_s, v.rapid, v.rapid_s) for k, v in cache.items()}
                args.cache.write_bytes(pickle.dumps(plain))
        page_results = setups_for(sample, reads, prepared_page(sample, engine), args)
        for r in page_results:
            r.read, r.missed_reads = read_rate(sample.truth, r.words)[:2], read_rate(sample.truth, r.words)[2]
        if args.engine:
            done: dict[int, SetupResult] = {}
            for r in page_results:  # a trigger that did not fire gives the same words as another setup
                twin = done.get(id(r.words))
                if twin is None:
                    run_engine(r, engine)
                    done[id(r.words)] = r
                else:
                    r.cover, r.engine_s = twin.cover, twin.engine_s
        results += page_results
        log.info(
            "[%d/%d] %s %s tesseract %.2fs (conf %.0f) rapidocr %.2fs; read %s",
            i, len(samples), sample.id, sample.layout, reads.tesseract_s, mean_confidence(reads.tesseract),
            reads.rapid_s, ", ".join(f"{r.name} {r.read[0]}/{r.read[1]}" for r in page_results),
        )  # fmt: skip
    groups: dict[str, Callable[[be.Sample], list[str]]] = {
        "kind": lambda s: [s.layout],
        "degradation": lambda s: s.degradations,
    }
    lines = [
        "## OCR setups: PII read rate, engine recall and time",
        "",
        f"Tesseract {ocr.probe_tesseract().version}; rapidocr "
        f"{be.importlib.metadata.version('rapidocr') if args.rapid else 'not used'}; "
        f"{os.cpu_count()} CPUs; OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT', 'unset')}; "
        f"merged<C>: Tesseract's words, RapidOCR's added where Tesseract has none or only words below "
        f"confidence C; rapid+tess: the other way round (C={args.low_conf[-1]:g} on RapidOCR's scores x 100); "
        f"'if ...' setups switch to {args.trigger_uses} when Tesseract's mean word confidence (conf) is low or "
        "the share of the page's ink outside Tesseract's words (ink) is high.",
        "",
        "Points per extra s: percentage points of PII read rate (and of entity recall) gained over "
        "Tesseract alone, per extra second of OCR per page.",
        "",
        *report(results, args.engine, groups),
    ]
    if args.details and args.engine:
        lines += missed_lines(results, list(dict.fromkeys(r.name for r in results)))
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        payload = [
            {
                "id": r.sample.id,
                "set": str(r.sample.path.parent),
                "kind": r.sample.layout,
                "setup": r.name,
                "ocr_s": r.ocr_s,
                "engine_s": r.engine_s,
                "ran_second": r.ran_second,
                "read": r.read,
                "missed_reads": r.missed_reads,
                "cover": {k: v for k, v in r.cover.items()},
                "tesseract_conf": mean_confidence(next(x.words for x in results if x.sample is r.sample)),
            }
            for r in results
        ]
        args.json.write_text(json.dumps(payload, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
