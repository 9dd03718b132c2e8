"""Decode and encode stage: sniff the format from bytes, refuse bombs from the header, strip metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from redactor.errors import CorruptImageError, ImageTooLargeError, InputError, RedactorError, UnsupportedFormatError

MIME_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif", "BMP": "bmp", "WEBP": "webp", "GIF": "gif"}

# Only these keys of ``Image.info`` survive into the output: none can carry personal data or
# original pixels (EXIF, XMP, IPTC, comments, text chunks and thumbnails are all dropped).
_KEPT_INFO = ("dpi", "icc_profile", "transparency", "background", "loop", "compression")
# Our own pixel limit, checked on every page header before decoding, replaces Pillow's global one
# (which would otherwise refuse images that a plan allows).
Image.MAX_IMAGE_PIXELS = None
_TIFF_COMPRESSIONS = {"raw", "tiff_lzw", "tiff_adobe_deflate", "packbits", "group4", "tiff_deflate"}


@dataclass(frozen=True)
class DecodedImage:
    """All pages or frames of one file, decoded in displayed orientation."""

    format: str
    frames: tuple[Image.Image, ...]
    durations: tuple[int, ...]
    info: dict[str, object]
    lossless_webp: bool


def sniff_format(data: bytes) -> str:
    """Name the format from the file's first bytes, whatever its name or declared type claims."""
    if not data:
        raise InputError("The file is empty.")
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data.startswith(b"BM"):
        return "BMP"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    raise UnsupportedFormatError()


def decode_image(data: bytes, *, max_pixels: int, max_pages: int) -> DecodedImage:
    """Decode every page or frame, each checked against the limits from its header before decoding."""
    fmt = sniff_format(data)
    image = _open_header(data, fmt)
    try:
        pages = getattr(image, "n_frames", 1)
        if pages > max_pages:
            raise ImageTooLargeError(f"Image has {pages} pages or frames; the limit is {max_pages}.")
        info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
        if fmt == "TIFF" and (
            info.get("compression") not in _TIFF_COMPRESSIONS or (info["compression"] == "group4" and image.mode != "1")
        ):
            info.pop("compression", None)
        frames: list[Image.Image] = []
        durations: list[int] = []
        for index in range(pages):
            image.seek(index)
            _check_pixels(image.size, max_pixels)
            frames.append(ImageOps.exif_transpose(image))
            durations.append(int(image.info.get("duration", 0) or 0))
    except RedactorError:
        raise
    except Exception as e:  # any decoder failure on hostile bytes is a bad file, not our bug
        raise CorruptImageError() from e
    lossless = fmt == "WEBP" and b"VP8L" in data[12:40]
    return DecodedImage(fmt, tuple(frames), tuple(durations), info, lossless)


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageTooLargeError(f"Image has {width * height:,} pixels; the limit is {max_pixels:,}.")


def _open_header(data: bytes, fmt: str) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=[fmt])
    except Exception as e:
        raise CorruptImageError() from e


def encode_image(decoded: DecodedImage, frames: list[Image.Image]) -> bytes:
    """Write frames in the input's format, with no metadata beyond what rendering needs."""
    fmt = decoded.format
    options: dict[str, object] = {k: v for k, v in decoded.info.items() if k != "compression"}
    for frame in frames:
        frame.info = {}
    first = frames[0]
    if fmt == "JPEG":
        options.update(quality=95, subsampling=0)
        if first.mode not in ("1", "L", "RGB", "CMYK"):
            first = first.convert("RGB")
    elif fmt == "WEBP":
        options.update(lossless=decoded.lossless_webp, quality=100 if decoded.lossless_webp else 92, exif=b"", xmp=b"")
    elif fmt == "TIFF" and "compression" in decoded.info:
        options["compression"] = decoded.info["compression"]
    elif fmt == "BMP" and first.mode not in ("1", "L", "P", "RGB", "RGBA"):
        first = first.convert("RGB")
    if fmt in ("GIF", "TIFF", "WEBP") and len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:])
        if fmt in ("GIF", "WEBP"):
            options["duration"] = list(decoded.durations)
    buffer = io.BytesIO()
    first.save(buffer, format=fmt, **options)
    return buffer.getvalue()
