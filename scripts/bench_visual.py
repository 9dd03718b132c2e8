"""Measure the visual stage: detector accuracy on the hand-checked photos, blur safety, and 12 MP timing.

Three parts, each printed as a markdown table:

* **accuracy**  every photo in ``tests/fixtures/visual`` against ``ground_truth.json``: face recall
  (a face counts as found when one FACE box covers >= 80% of it), false FACE boxes (covering no
  face or ignored head by >= 50%), people found (>= 70% of the person's box under PERSON boxes),
  plates found (same 80% rule; only with the plates extra installed), and the false face boxes
  without the multi-scale check, to show what it removes.
* **blur**      faces masked with every method x shape at blur strengths 0, 30 and 100, then looked
  for again in the output and in an unsharp-masked copy of it, by our detector and by raw YuNet at
  score 0.3 (far below our 0.6): a face found again inside a masked region is a failure.
* **floor**     (on request) the same search with the blur's floor set to 4-24 cells, to show where
  faces start coming back: the evidence for the 6 cells kept at strength 0.
* **timing**    a 4032 x 3024 (12.2 MP) JPEG composed from the fixture photos, through decode ->
  faces + people + plates -> blur with soft masks -> encode, median of ``--runs`` after a warm-up.
  The stage-by-stage times are measured in the same process, one request at a time.

Usage (from the repository root)::

    .venv/bin/python scripts/bench_visual.py                 # all three parts
    .venv/bin/python scripts/bench_visual.py --parts timing --runs 7
    .venv/bin/python scripts/bench_visual.py --markdown visual-bench.md --save /tmp/visual-out
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFilter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from redactor.engine import visual  # noqa: E402
from redactor.engine.masking import MaskStyle, mask_regions  # noqa: E402
from redactor.errors import MissingPlateModelError  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "visual"
GROUND_TRUTH = json.loads((FIXTURES / "ground_truth.json").read_text())["images"]
Rect = tuple[int, int, int, int]


def _inter(a: Rect, b: Rect) -> int:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def _area(a: Rect) -> int:
    return (a[2] - a[0]) * (a[3] - a[1])


def _rect(obj: visual.VisualObject) -> Rect:
    return (obj.box.x0, obj.box.y0, obj.box.x1, obj.box.y1)


def _covered_share(target: Rect, boxes: list[Rect]) -> float:
    """Share of ``target`` under the union of ``boxes`` (exact, on a pixel grid)."""
    if not boxes:
        return 0.0
    grid = np.zeros((target[3] - target[1], target[2] - target[0]), bool)
    for x0, y0, x1, y1 in boxes:
        grid[max(0, y0 - target[1]) : max(0, y1 - target[1]), max(0, x0 - target[0]) : max(0, x1 - target[0])] = True
    return float(grid.mean())


def score_faces(found: list[Rect], truth: dict[str, list[list[int]]]) -> tuple[int, int, list[Rect]]:
    faces = [tuple(f) for f in truth["faces"]]
    ignored = [tuple(f) for f in truth["ignore_faces"]]
    hits = sum(any(_inter(f, d) >= 0.8 * _area(f) for d in found) for f in faces)
    false = [d for d in found if not any(_inter(f, d) >= 0.5 * _area(f) for f in faces + ignored)]
    return hits, len(faces), false


# ----------------------------------------------------------------------------------------- accuracy


def accuracy() -> str:
    plates_on = _plates_installed()
    request = visual.VisualRequest(faces=True, humans=True, license_plates=plates_on)
    rows = []
    totals = {
        "faces": 0,
        "hits": 0,
        "boxes": 0,
        "false": 0,
        "people": 0,
        "people_hit": 0,
        "raw_boxes": 0,
        "raw_false": 0,
        "plates": 0,
        "plates_hit": 0,
        "plate_boxes": 0,
        "plates_false": 0,
    }
    for name, truth in GROUND_TRUTH.items():
        image = Image.open(FIXTURES / name)
        objects = visual.detect_objects(image, request)
        faces = [_rect(o) for o in objects if o.entity_type == visual.FACE]
        people = [_rect(o) for o in objects if o.entity_type == visual.PERSON]
        plates = [_rect(o) for o in objects if o.entity_type == visual.LICENSE_PLATE]
        hits, total, false = score_faces(faces, truth)
        plates_hit = sum(any(_inter(tuple(p), d) >= 0.8 * _area(tuple(p)) for d in plates) for p in truth["plates"])
        plates_false = sum(
            not any(_inter(tuple(p), d) >= 0.5 * _area(tuple(p)) for p in truth["plates"]) for d in plates
        )
        people_hit = sum(_covered_share(tuple(p), people) >= 0.7 for p in truth["people"])
        raw = _faces_without_check(image)
        _, _, raw_false = score_faces(raw, truth)
        totals["faces"] += total
        totals["hits"] += hits
        totals["boxes"] += len(faces)
        totals["false"] += len(false)
        totals["people"] += len(truth["people"])
        totals["people_hit"] += people_hit
        totals["raw_boxes"] += len(raw)
        totals["raw_false"] += len(raw_false)
        totals["plates"] += len(truth["plates"])
        totals["plates_hit"] += plates_hit
        totals["plate_boxes"] += len(plates)
        totals["plates_false"] += plates_false
        plate_cell = f"{plates_hit}/{len(truth['plates'])}, {plates_false} false" if plates_on else "-"
        rows.append(
            f"| {name} | {image.width}x{image.height} | {hits}/{total} | {len(false)} | "
            f"{people_hit}/{len(truth['people'])} | {plate_cell} | {len(raw_false)} |"
        )
    recall = totals["hits"] / totals["faces"]
    false_share = totals["false"] / max(1, totals["boxes"])
    raw_share = totals["raw_false"] / max(1, totals["raw_boxes"])
    return "\n".join(
        [
            "## Accuracy on tests/fixtures/visual",
            "",
            "| photo | size | faces found | false face boxes | people found | plates found "
            "| false face boxes without the check |",
            "|---|---|---|---|---|---|---|",
            *rows,
            f"| **all** | | **{totals['hits']}/{totals['faces']} = {recall:.3f}** | "
            f"**{totals['false']}/{totals['boxes']} = {false_share:.1%}** | "
            f"**{totals['people_hit']}/{totals['people']}** | "
            + (
                f"**{totals['plates_hit']}/{totals['plates']}, {totals['plates_false']} false "
                f"of {totals['plate_boxes']}** | "
                if plates_on
                else "- (extra not installed) | "
            )
            + f"{totals['raw_false']}/{totals['raw_boxes']} = {raw_share:.1%} |",
            "",
        ]
    )


def _faces_without_check(image: Image.Image) -> list[Rect]:
    """FACE boxes with every YuNet score >= FACE_THRESHOLD accepted (no multi-scale check)."""
    sure = visual.FACE_SURE
    visual.FACE_SURE = visual.FACE_THRESHOLD
    try:
        objects = visual.detect_objects(image, visual.VisualRequest(faces=True))
    finally:
        visual.FACE_SURE = sure
    return [_rect(o) for o in objects]


# ----------------------------------------------------------------------------------------- blur


def _raw_yunet(image: Image.Image, threshold: float) -> list[tuple[int, int, int, int, float]]:
    bgr = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)
    height, width = bgr.shape[:2]
    detector = cv2.FaceDetectorYN.create(str(visual._yunet_path()), "", (width, height), threshold, 0.3, 5000)
    _, rows = detector.detect(bgr)
    rows = [] if rows is None else rows
    return [(int(r[0]), int(r[1]), int(r[0] + r[2]), int(r[1] + r[3]), float(r[14])) for r in rows]


def blur_safety() -> str:
    positives = {name: truth for name, truth in GROUND_TRUTH.items() if truth["faces"]}
    detections = {
        name: [o for o in visual.detect_objects(Image.open(FIXTURES / name), visual.VisualRequest(faces=True))]
        for name in positives
    }
    rows = []
    for method in ("blur", "fill"):
        for shape in ("rectangle", "mask"):
            strengths = (0, 30, 100) if method == "blur" else (30,)
            for strength in strengths:
                style = MaskStyle(method=method, shape=shape, blur_strength=strength)
                ours = raw = raw_sure = masked_faces = 0
                for name, objects in detections.items():
                    image = Image.open(FIXTURES / name)
                    masked = mask_regions(image, objects, style)
                    regions = [_rect(o) for o in objects]
                    masked_faces += len(regions)
                    sharpened = masked.convert("RGB").filter(
                        ImageFilter.UnsharpMask(radius=3, percent=300, threshold=0)
                    )
                    for variant in (masked, sharpened):
                        again = [_rect(o) for o in visual.detect_objects(variant, visual.VisualRequest(faces=True))]
                        ours += sum(_centre_inside(d, regions) for d in again)
                        loose = _raw_yunet(variant, 0.3)
                        raw += sum(_centre_inside(d[:4], regions) for d in loose)
                        raw_sure += sum(_centre_inside(d[:4], regions) for d in loose if d[4] >= 0.6)
                rows.append(
                    f"| {method} | {shape} | {strength if method == 'blur' else '-'} "
                    f"| {masked_faces} | {ours} | {raw_sure} | {raw} |"
                )
    return "\n".join(
        [
            "## Blur safety (faces found again after masking; plain output + unsharp-masked output)",
            "",
            "| method | shape | blur_strength | faces masked "
            "| found again by us | by raw YuNet, score >= 0.6 | by raw YuNet, score >= 0.3 |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


def blur_floor() -> str:
    """How coarse the blur must be: faces found again when strength 0 kept more cells than it does."""
    from redactor.engine import masking

    positives = [name for name, truth in GROUND_TRUTH.items() if truth["faces"]]
    detections = {
        name: visual.detect_objects(Image.open(FIXTURES / name), visual.VisualRequest(faces=True)) for name in positives
    }
    rows = []
    floor = masking.MIN_SAFE_CELLS
    try:
        for cells in (4, 6, 8, 10, 12, 16, 24):
            masking.MIN_SAFE_CELLS = float(cells)
            for shape in ("rectangle", "mask"):
                ours = raw = 0
                for name, objects in detections.items():
                    masked = mask_regions(
                        Image.open(FIXTURES / name), objects, MaskStyle(method="blur", shape=shape, blur_strength=0)
                    )
                    regions = [_rect(o) for o in objects]
                    sharpened = masked.convert("RGB").filter(
                        ImageFilter.UnsharpMask(radius=3, percent=300, threshold=0)
                    )
                    for variant in (masked, sharpened):
                        again = visual.detect_objects(variant, visual.VisualRequest(faces=True))
                        ours += sum(_centre_inside(_rect(o), regions) for o in again)
                        raw += sum(_centre_inside(d[:4], regions) for d in _raw_yunet(variant, 0.6))
                rows.append(f"| {cells} | {shape} | {ours} | {raw} |")
    finally:
        masking.MIN_SAFE_CELLS = floor
    searches = 2 * sum(len(objects) for objects in detections.values())
    return "\n".join(
        [
            f"## Blur floor: cells across a face vs faces found again ({searches} searches: plain + sharpened)",
            "",
            f"Strength 0 keeps {floor:g} cells.",
            "",
            "| cells | shape | found again by us | by raw YuNet, score >= 0.6 |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )


def _centre_inside(box: tuple[int, ...], regions: list[Rect]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] <= cx < r[2] and r[1] <= cy < r[3] for r in regions)


# ----------------------------------------------------------------------------------------- timing


def composite_12mp() -> bytes:
    """A 4032 x 3024 JPEG tiled from the fixture photos (enlarged), about 25 faces."""
    canvas = Image.new("RGB", (4032, 3024), (118, 121, 117))
    tiles = [
        ("multi_face.jpg", 1.5, (0, 0)),
        ("multi_face.jpg", 2.0, (1950, 0)),
        ("bus.jpg", 1.4, (0, 1350)),
        ("zidane.jpg", 1.5, (1150, 1400)),
        ("grace_hopper.jpg", 1.0, (3100, 1400)),
        ("astronaut.png", 1.0, (3100, 2100)),
        ("single_face.jpg", 0.8, (1200, 2480)),
        ("camera.png", 1.0, (2200, 2500)),
    ]
    for name, scale, position in tiles:
        tile = Image.open(FIXTURES / name).convert("RGB")
        canvas.paste(
            tile.resize((round(tile.width * scale), round(tile.height * scale)), Image.Resampling.LANCZOS), position
        )
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def timing(runs: int, save: Path | None) -> str:
    load_before = _load()
    data = composite_12mp()
    plates = _plates_installed()
    request = visual.VisualRequest(faces=True, humans=True, license_plates=plates)
    style = MaskStyle(method="blur", shape="mask")
    visual.load_models(request)
    stages: dict[str, list[float]] = {
        "decode": [],
        "detect": [],
        "mask": [],
        "encode": [],
        "total": [],
        "(mask with fill + rectangle instead)": [],
    }
    counts: dict[str, int] = {}
    output = b""
    for run in range(runs + 1):
        start = time.perf_counter()
        image = Image.open(io.BytesIO(data))
        image.load()
        decoded = time.perf_counter()
        objects = visual.detect_objects(image, request)
        detected = time.perf_counter()
        masked = mask_regions(image, objects, style)
        masked_at = time.perf_counter()
        buffer = io.BytesIO()
        masked.save(buffer, format="JPEG", quality=95, subsampling=0)
        output = buffer.getvalue()
        end = time.perf_counter()
        mask_regions(image, objects, MaskStyle())
        fill_time = time.perf_counter() - end
        if run == 0:  # warm-up: first call sizes the detectors for this image
            continue
        stages["(mask with fill + rectangle instead)"].append(fill_time)
        for key, value in (
            ("decode", decoded - start),
            ("detect", detected - decoded),
            ("mask", masked_at - detected),
            ("encode", end - masked_at),
            ("total", end - start),
        ):
            stages[key].append(value)
        counts = {kind: sum(o.entity_type == kind for o in objects) for kind in visual.VISUAL_CLASSES}
    detail = _detector_split(Image.open(io.BytesIO(data)), plates)
    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "composite_12mp.jpg").write_bytes(data)
        (save / "composite_12mp_masked.jpg").write_bytes(output)
    rows = [
        f"| {key} | {min(values) * 1000:.0f} | {statistics.median(values) * 1000:.0f} | {max(values) * 1000:.0f} |"
        for key, values in stages.items()
    ]
    return "\n".join(
        [
            f"## Timing: 4032x3024 JPEG, faces + people + plates{'' if plates else ' (plates extra NOT installed)'}, "
            f"blur + soft mask ({runs} runs after a warm-up)",
            "",
            f"Objects: {counts}. Machine: {platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}, "
            f"OpenCV {cv2.__version__}; load average before/after: {load_before} / {_load()} "
            "(anything above 0 is other work competing for the CPUs).",
            "",
            "| stage | min ms | median ms | max ms |",
            "|---|---|---|---|",
            *rows,
            "",
            "Detectors alone (one more run, same image): "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in detail.items()),
            "",
        ]
    )


def _detector_split(image: Image.Image, plates: bool) -> dict[str, float]:
    out = {}
    for label, request in (
        ("faces", visual.VisualRequest(faces=True)),
        ("faces + people", visual.VisualRequest(faces=True, humans=True)),
        ("plates", visual.VisualRequest(license_plates=True)),
    ):
        if label == "plates" and not plates:
            continue
        start = time.perf_counter()
        visual.detect_objects(image, request)
        out[label] = time.perf_counter() - start
    return out


def _plates_installed() -> bool:
    try:
        visual.check_available(visual.VisualRequest(license_plates=True))
    except MissingPlateModelError:
        return False
    return True


def _load() -> str:
    import os

    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--parts", default="accuracy,blur,timing", help="comma-separated: accuracy, blur, floor, timing"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the 12 MP image (after one warm-up)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--save", type=Path, help="write the 12 MP input and its masked output here")
    args = parser.parse_args()
    parts = {p.strip() for p in args.parts.split(",")}
    report = []
    if "accuracy" in parts:
        report.append(accuracy())
    if "blur" in parts:
        report.append(blur_safety())
    if "floor" in parts:
        report.append(blur_floor())
    if "timing" in parts:
        report.append(timing(args.runs, args.save))
    text = "\n".join(report)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
