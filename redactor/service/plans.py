"""Plans: load and validate plans.yaml; each plan's limits and the token formula."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from redactor.errors import ConfigError

PlanName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]


class TokenFormula(BaseModel):
    """How many tokens one successful call costs (see ``tokens_for``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_call: float = Field(ge=0, description="Flat part of every successful call.")
    per_page: float = Field(ge=0, description="Added for each page or frame processed.")
    per_1000_characters: float = Field(ge=0, description="Added per 1,000 non-space characters read by OCR.")
    per_entity: float = Field(ge=0, description="Added for each entity found (or region painted from `boxes`).")
    minimum: int = Field(ge=0, description="No successful call costs less than this.")


class Plan(BaseModel):
    """What one customer tier may send and spend."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="", description="The plan's key in plans.yaml (filled in on load).")
    title: str = Field(min_length=1, description="Name shown to customers.")
    image_redaction: bool = Field(description="Whether /v1/redact-image is included (analysis always is).")
    max_file_bytes: int = Field(gt=0, description="Largest upload accepted, in bytes.")
    max_pixels: int = Field(gt=0, description="Largest page accepted, in pixels (width x height).")
    max_pages: int = Field(gt=0, description="Most pages or frames in one file.")
    monthly_tokens: int = Field(ge=0, description="Token allowance per calendar month (UTC).")
    requests_per_minute: int = Field(gt=0, description="Requests per key per clock minute.")


class PlanBook(BaseModel):
    """The whole of plans.yaml: the token formula, the plans and the plan of the demo key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tokens: TokenFormula
    demo_plan: str = Field(description="Plan of the demo key that `redactor serve` creates when there is none.")
    plans: dict[PlanName, Plan] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _name_plans(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("plans"), dict):
            plans = data["plans"]
            data = {**data, "plans": {k: {**v, "name": k} if isinstance(v, dict) else v for k, v in plans.items()}}
        return data

    @model_validator(mode="after")
    def _demo_plan_exists(self) -> PlanBook:
        if self.demo_plan not in self.plans:
            raise ValueError(f"demo_plan {self.demo_plan!r} is not one of the plans ({', '.join(self.plans)})")
        return self

    def get(self, name: str) -> Plan | None:
        """The plan called ``name``, or None."""
        return self.plans.get(name)

    def tokens_for(self, *, pages: int, characters: int, entities: int) -> int:
        """Tokens charged for a successful call that read ``characters`` and found ``entities``.

        ``ceil(per_call + per_page * pages + per_1000_characters * characters / 1000 + per_entity * entities)``,
        at least ``minimum``.
        """
        f = self.tokens
        raw = f.per_call + f.per_page * pages + f.per_1000_characters * characters / 1000 + f.per_entity * entities
        return max(f.minimum, math.ceil(round(raw, 9)))


def load_plans(path: Path) -> PlanBook:
    """Read and validate ``path``; any problem raises ConfigError naming the file, the field and the reason."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the plans file ({e.strerror}).") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}:{where} is not valid YAML.") from e
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with 'tokens', 'demo_plan' and 'plans'.")
    try:
        return PlanBook.model_validate(raw)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'] if p not in ('name', '[key]')) or '(top level)'}: {_reason(err)}"
            for err in e.errors()
        )
        raise ConfigError(f"{path}: {problems}") from e


def _reason(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    if "[key]" in err["loc"]:
        return "a plan name must be lower-case letters, digits, '-' or '_', starting with a letter (at most 32)"
    return str(err["msg"]).removeprefix("Value error, ")
