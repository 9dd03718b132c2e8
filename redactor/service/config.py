"""Service settings: the engine's plus database, plans, workers, jobs and webhooks (``REDACTOR_*`` variables)."""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from redactor.engine.config import EngineSettings, load_settings

DEFAULT_PLANS_FILE = Path(__file__).with_name("plans.yaml")


class Settings(EngineSettings):
    """Engine and service settings."""

    database_url: str = Field(
        default_factory=lambda: default_database_url(),
        description="sqlite:///path.db (default: in the user's data folder) or postgresql://...",
    )
    plans_file: Path = Field(
        default=DEFAULT_PLANS_FILE, description="The plans file (default: the one shipped with redactor)."
    )
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


def default_database_url() -> str:
    """SQLite in the user's data folder ($XDG_DATA_HOME/redactor, else ~/.local/share/redactor), wherever we start."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'redactor' / 'redactor.db'}"


@lru_cache
def get_settings() -> Settings:
    """Build the settings once; a bad value stops start-up with the field named."""
    return load_settings(Settings)
