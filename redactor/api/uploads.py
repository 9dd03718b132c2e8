"""Uploads: read the multipart body from the ASGI stream with a byte cap set by the plan, parsed in memory.

The Datasette ``post_body`` pattern: the cap is enforced on the bytes actually received, whatever
``Content-Length`` says (a larger declared length is refused before reading anything). Parts are
collected in RAM by python-multipart's streaming parser; nothing is spooled to disk, unlike Starlette's
``UploadFile`` which rolls over to a temporary file above 1 MB.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from redactor.errors import FileTooLargeError, RequestError, UnsupportedMediaTypeError
from redactor.service.plans import Plan

# Room for the form fields and the multipart framing on top of the plan's file limit.
FORM_OVERHEAD_BYTES = 1024 * 1024
MAX_PARTS = 2000
IMAGE_FIELD = "image"


@dataclass
class Upload:
    """The image and the text fields of one request, in memory."""

    image: bytes
    filename: str | None
    fields: dict[str, list[str]] = field(default_factory=dict)


def human_bytes(n: int) -> str:
    """``5 MB``, ``512 KB``, ``7.2 MB``: decimal units, as plans are written."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            value = n / size
            return f"{value:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


def _too_large(plan: Plan, size: int | None = None) -> FileTooLargeError:
    limit = human_bytes(plan.max_file_bytes)
    if size is None:
        return FileTooLargeError(f"Upload exceeds the {limit} file limit of plan '{plan.title}'.")
    return FileTooLargeError(f"Upload is {human_bytes(size)}; plan '{plan.title}' allows {limit}.")


class _Collector:
    """python-multipart callbacks that keep each part in memory."""

    def __init__(self) -> None:
        self.parts: list[tuple[str | None, str | None, bytearray]] = []
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._name: str | None = None
        self._filename: str | None = None
        self._data = bytearray()
        self.ended = False

    def on_part_begin(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            raise RequestError(f"Too many form fields (more than {MAX_PARTS}).")
        self._name = self._filename = None
        self._data = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if bytes(self._header_field).lower() == b"content-disposition":
            _, options = parse_options_header(bytes(self._header_value))
            name = options.get(b"name")
            filename = options.get(b"filename")
            self._name = name.decode("utf-8", "replace") if name is not None else None
            self._filename = filename.decode("utf-8", "replace") if filename is not None else None
        self._header_field = bytearray()
        self._header_value = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]

    def on_part_end(self) -> None:
        self.parts.append((self._name, self._filename, self._data))

    def on_end(self) -> None:
        self.ended = True

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }


async def read_upload(request: Request, plan: Plan) -> Upload:
    """Read and parse the multipart body, refusing it as soon as it exceeds what ``plan`` allows."""
    content_type = request.headers.get("content-type", "")
    mime, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaTypeError()
    cap = plan.max_file_bytes + FORM_OVERHEAD_BYTES
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise _too_large(plan, int(declared))
    collector = _Collector()
    try:
        parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    except (ValueError, MultipartParseError) as e:
        raise RequestError("The multipart boundary is not valid.") from e
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > cap:
                raise _too_large(plan)
            parser.write(chunk)
        parser.finalize()
    except ClientDisconnect as e:
        raise RequestError("The client closed the connection before the upload ended.") from e
    except MultipartParseError as e:
        raise RequestError("The multipart body is malformed.") from e
    if not collector.ended:
        raise RequestError("The multipart body ends before its closing boundary.")
    return _collect(collector, plan)


def _collect(collector: _Collector, plan: Plan) -> Upload:
    image: bytes | None = None
    filename: str | None = None
    fields: dict[str, list[str]] = {}
    for name, part_filename, data in collector.parts:
        if name is None:
            raise RequestError("A form part has no name.")
        if name == IMAGE_FIELD:
            if image is not None:
                raise RequestError("Send one file in the field 'image'.")
            if len(data) > plan.max_file_bytes:
                raise _too_large(plan, len(data))
            image, filename = bytes(data), part_filename
            continue
        try:
            fields.setdefault(name, []).append(data.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise RequestError(f"Form field {name!r} is not UTF-8 text.") from e
    if image is None:
        raise RequestError("The file is missing: send it in the multipart field 'image'.")
    return Upload(image=image, filename=filename, fields=fields)
