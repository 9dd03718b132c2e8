"""The one error tree: each class carries its stable ``code``, title, HTTP status, exit code and a safe message.

Engine, service, API and CLI raise these and nothing else on purpose. The HTTP edge answers
``http_status`` with the problem body, the CLI exits with ``exit_code``; ``retry_after`` (seconds)
is set on errors worth retrying. Messages never hold document text, entity values or file names.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (numbers reused from OCRmyPDF)."""

    ok = 0
    bad_args = 1
    input_file = 2
    missing_dependency = 3
    still_readable = 4  # written, but --verify read PII in the output
    child_process_error = 7
    invalid_config = 9
    other_error = 15
    ctrl_c = 130


class RedactorError(Exception):
    """Base of every error we raise on purpose; its message never holds document content."""

    code = "internal_error"
    title = "Internal error"
    http_status = 500
    exit_code = ExitCode.other_error
    default_message = "Internal error."

    def __init__(self, message: str | None = None, *, retry_after: int | None = None) -> None:
        self.message = message or self.default_message
        self.retry_after = retry_after
        super().__init__(self.message)


# ---- the input and the options


class InputError(RedactorError):
    """The request or the file cannot be processed as given."""

    code = "invalid_input"
    title = "Invalid input file"
    http_status = 422
    exit_code = ExitCode.input_file
    default_message = "The input is not valid."


class CorruptImageError(InputError):
    """The bytes claim an image format but do not decode."""

    default_message = "The image is truncated or corrupt."


class UnsupportedFormatError(InputError):
    """The bytes are not one of the supported formats."""

    code = "unsupported_format"
    title = "Unsupported image format"
    http_status = 415
    default_message = "Unsupported format: send JPEG, PNG, TIFF, BMP, WebP, GIF or PDF."


class ImageTooLargeError(InputError):
    """Too many pixels or pages, refused before decoding."""

    code = "image_too_large"
    title = "Image too large"
    http_status = 413


class FileTooLargeError(InputError):
    """Too many bytes for the caller's plan."""

    code = "file_too_large"
    title = "File too large"
    http_status = 413


class InvalidOptionError(RedactorError):
    """An option has a value we do not accept (unknown entity, language, colour...)."""

    code = "invalid_option"
    title = "Invalid option"
    http_status = 422
    exit_code = ExitCode.bad_args


# ---- the HTTP request itself


class RequestError(RedactorError):
    """The HTTP request is malformed (multipart, JSON of ``boxes``, a field sent twice...)."""

    code = "invalid_request"
    title = "Invalid request"
    http_status = 422
    exit_code = ExitCode.bad_args
    default_message = "The request is not valid."


class UnsupportedMediaTypeError(RequestError):
    """The body is not multipart/form-data."""

    code = "unsupported_media_type"
    title = "Unsupported media type"
    http_status = 415
    default_message = "Send the image as multipart/form-data with the file in the field 'image'."


class NotFoundError(RequestError):
    """No such endpoint, or nothing with this id for the caller's key."""

    code = "not_found"
    title = "Not found"
    http_status = 404
    default_message = "No such endpoint; see /docs."


class MethodNotAllowedError(RequestError):
    """The endpoint exists but not with this HTTP method."""

    code = "method_not_allowed"
    title = "Method not allowed"
    http_status = 405


# ---- keys, plans and metering


class UnauthorizedError(RedactorError):
    """Missing, unknown or revoked API key."""

    code = "unauthorized"
    title = "Unauthorized"
    http_status = 401
    exit_code = ExitCode.bad_args
    default_message = "A valid API key is required in the X-API-Key header."


class ForbiddenError(RedactorError):
    """The caller's plan does not include this operation."""

    code = "forbidden"
    title = "Not included in your plan"
    http_status = 403
    exit_code = ExitCode.bad_args


class QuotaExceededError(RedactorError):
    """The token allowance of the period is used up; ``retry_after`` is when the next period starts."""

    code = "quota_exceeded"
    title = "Token allowance used up"
    http_status = 429
    exit_code = ExitCode.bad_args


class RateLimitedError(RedactorError):
    """Too many requests per minute for the plan; carries the window for the rate-limit headers."""

    code = "rate_limited"
    title = "Too many requests"
    http_status = 429
    exit_code = ExitCode.bad_args

    def __init__(self, message: str, *, retry_after: int, limit: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.limit = limit


# ---- jobs and webhooks


class JobNotFoundError(NotFoundError):
    """No job with this id belongs to the caller's key (other keys' jobs included)."""

    default_message = "No such job for this API key."


class WebhookNotFoundError(NotFoundError):
    """The key has no webhook registered."""

    default_message = "No webhook is registered for this API key."


class JobNotReadyError(RedactorError):
    """The job is still Pending or InProgress."""

    code = "job_not_ready"
    title = "Job not finished"
    http_status = 409
    exit_code = ExitCode.bad_args


class ResultGoneError(RedactorError):
    """The result was downloaded, delivered, expired, or never produced."""

    code = "result_gone"
    title = "Result gone"
    http_status = 410
    exit_code = ExitCode.bad_args


class WebhookVerificationError(RedactorError):
    """A webhook delivery's signature or timestamp does not verify (raised in the receiver's code)."""

    code = "invalid_signature"
    title = "Invalid webhook signature"
    http_status = 401
    exit_code = ExitCode.bad_args
    default_message = "The webhook signature is not valid."


# ---- the service's capacity and dependencies


class OverloadedError(RedactorError):
    """Every worker is busy and the queue is full."""

    code = "overloaded"
    title = "Service at capacity"
    http_status = 503
    default_message = "The service is at capacity; retry shortly."


class NotReadyError(RedactorError):
    """The engine has not finished loading."""

    code = "not_ready"
    title = "Service not ready"
    http_status = 503
    default_message = "The service is starting; retry shortly."


class MissingDependencyError(RedactorError):
    """Tesseract, its language data, the spaCy model or an optional extra is not installed."""

    code = "missing_dependency"
    title = "Missing dependency"
    http_status = 503
    exit_code = ExitCode.missing_dependency


class MissingPlateModelError(MissingDependencyError):
    """Licence plates were asked for but the optional ``plates`` extra is not installed."""

    default_message = (
        "Licence-plate detection needs the optional 'plates' extra (its model is AGPL-3.0 licensed): "
        "pip install 'redactor[plates]' && pip install --no-deps platedet==0.0.2"
    )


class OcrError(RedactorError):
    """Tesseract failed on a page; the whole request fails (never a partial redaction)."""

    code = "ocr_failed"
    title = "OCR failed"
    http_status = 500
    exit_code = ExitCode.child_process_error
    default_message = "OCR failed on a page; nothing was returned."


class OcrTimeoutError(OcrError):
    """Tesseract ran past its time limit."""

    code = "ocr_timeout"
    title = "OCR timed out"
    http_status = 503
    default_message = "OCR timed out; nothing was returned."


class ConfigError(RedactorError):
    """Settings or plans.yaml are invalid; the process refuses to start."""

    code = "invalid_config"
    title = "Server misconfigured"
    exit_code = ExitCode.invalid_config


def error_classes() -> list[type[RedactorError]]:
    """Every class of the tree, base first (for documentation and tests)."""
    found: list[type[RedactorError]] = [RedactorError]
    for cls in found:
        found += [sub for sub in cls.__subclasses__() if sub not in found]
    return found


def describe(code: str) -> type[RedactorError]:
    """The first class of the tree with this code (codes shared by several classes share status and title)."""
    return next((cls for cls in error_classes() if cls.code == code), RedactorError)
