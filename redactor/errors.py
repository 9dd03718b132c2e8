"""Error tree: every failure has a stable ``code``, an exit code and a message safe to show."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (numbers reused from OCRmyPDF)."""

    ok = 0
    bad_args = 1
    input_file = 2
    missing_dependency = 3
    child_process_error = 7
    invalid_config = 9
    other_error = 15
    ctrl_c = 130


class RedactorError(Exception):
    """Base of every error we raise on purpose; its message never holds document content."""

    code = "internal_error"
    exit_code = ExitCode.other_error
    default_message = "Internal error."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class InputError(RedactorError):
    """The request or the file cannot be processed as given."""

    code = "invalid_input"
    exit_code = ExitCode.input_file
    default_message = "The input is not valid."


class CorruptImageError(InputError):
    """The bytes claim an image format but do not decode."""

    code = "invalid_input"
    default_message = "The image is truncated or corrupt."


class UnsupportedFormatError(InputError):
    """The bytes are not one of the supported image formats."""

    code = "unsupported_format"
    default_message = "Unsupported format: send JPEG, PNG, TIFF, BMP, WebP or GIF."


class ImageTooLargeError(InputError):
    """Too many pixels or pages, refused before decoding."""

    code = "image_too_large"


class FileTooLargeError(InputError):
    """Too many bytes for the caller's plan."""

    code = "file_too_large"


class InvalidOptionError(RedactorError):
    """An option has a value we do not accept (unknown entity, language, colour...)."""

    code = "invalid_option"
    exit_code = ExitCode.bad_args


class UnauthorizedError(RedactorError):
    """Missing, unknown or revoked API key."""

    code = "unauthorized"
    exit_code = ExitCode.bad_args
    default_message = "A valid API key is required in the X-API-Key header."


class ForbiddenError(RedactorError):
    """The caller's plan does not include this operation."""

    code = "forbidden"
    exit_code = ExitCode.bad_args


class QuotaExceededError(RedactorError):
    """The token allowance of the period is used up."""

    code = "quota_exceeded"
    exit_code = ExitCode.bad_args


class RateLimitedError(RedactorError):
    """Too many requests per minute for the plan."""

    code = "rate_limited"
    exit_code = ExitCode.bad_args

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OverloadedError(RedactorError):
    """Every worker is busy and the queue is full."""

    code = "overloaded"
    exit_code = ExitCode.other_error
    default_message = "The service is at capacity; retry shortly."


class MissingDependencyError(RedactorError):
    """Tesseract, its language data or the spaCy model is not installed."""

    code = "missing_dependency"
    exit_code = ExitCode.missing_dependency


class OcrError(RedactorError):
    """Tesseract failed on a page; the whole request fails (never a partial redaction)."""

    code = "ocr_failed"
    exit_code = ExitCode.child_process_error
    default_message = "OCR failed on a page; nothing was returned."


class OcrTimeoutError(OcrError):
    """Tesseract ran past its time limit."""

    code = "ocr_timeout"
    default_message = "OCR timed out; nothing was returned."


class ConfigError(RedactorError):
    """Settings or plans.yaml are invalid; the process refuses to start."""

    code = "invalid_config"
    exit_code = ExitCode.invalid_config
