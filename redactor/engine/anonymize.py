"""Text anonymization stage: the OCR text with each entity replaced, by presidio-anonymizer."""

from __future__ import annotations

from dataclasses import replace
from typing import get_args

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from redactor.engine.models import Span, TextOperator
from redactor.errors import InvalidOptionError

TEXT_OPERATORS: tuple[str, ...] = get_args(TextOperator)
_engine = AnonymizerEngine()  # type: ignore[no-untyped-call]


def check_operator(operator: str, mask_char: str, keep_last: int) -> None:
    """Refuse an unknown operator or a mask that is not one character."""
    if operator not in TEXT_OPERATORS:
        raise InvalidOptionError(f"Unknown text_operator {operator!r}; use {', '.join(TEXT_OPERATORS)}.")
    if len(mask_char) != 1:
        raise InvalidOptionError("mask_char must be exactly one character.")
    if keep_last < 0:
        raise InvalidOptionError("mask_keep_last must be 0 or more.")


def split_at_newlines(text: str, spans: list[Span]) -> list[Span]:
    """One span per line, so that replacing entities keeps the text's line breaks."""
    pieces = []
    for span in spans:
        start = span.start
        for index in range(span.start, span.end):
            if text[index] == "\n":
                if index > start:
                    pieces.append(replace(span, start=start, end=index))
                start = index + 1
        if span.end > start:
            pieces.append(replace(span, start=start))
    return pieces


def anonymize_text(
    text: str, spans: list[Span], *, operator: TextOperator, mask_char: str, keep_last: int, salt: bytes
) -> str:
    """Replace each entity: ``<TYPE>``, masked, salted SHA-256, or removed. Line breaks are kept."""
    pieces = split_at_newlines(text, spans)
    if not pieces:
        return text
    results = [RecognizerResult(p.entity_type, p.start, p.end, p.score) for p in pieces]
    result = _engine.anonymize(
        text=text, analyzer_results=results, operators={"DEFAULT": _config(operator, mask_char, keep_last, salt)}
    )
    return str(result.text)


def _config(operator: TextOperator, mask_char: str, keep_last: int, salt: bytes) -> OperatorConfig:
    if operator == "replace":
        return OperatorConfig("replace")  # Presidio's default new value is "<ENTITY_TYPE>"
    if operator == "hash":
        return OperatorConfig("hash", {"hash_type": "sha256", "salt": salt})
    if operator == "redact":
        return OperatorConfig("redact")
    if keep_last:
        return OperatorConfig("custom", {"lambda": lambda value: _mask_keeping(value, mask_char, keep_last)})
    return OperatorConfig("mask", {"masking_char": mask_char, "chars_to_mask": 1_000_000, "from_end": False})


def _mask_keeping(value: str, mask_char: str, keep_last: int) -> str:
    kept = min(keep_last, len(value))
    return mask_char * (len(value) - kept) + value[len(value) - kept :]
