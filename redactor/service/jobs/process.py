"""Jobs: what one job asks for (``JobSpec``), what it produced (``JobOutput``), and running it on the engine.

Neutral of HTTP and of the queue: the API builds a ``JobSpec`` from the request at submission,
either engine runs ``run_spec`` on a worker thread. Specs cross processes as JSON (never pickle:
a payload store must not be able to run code in a worker).
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Literal

from redactor.engine import pipeline
from redactor.engine.manual import Region
from redactor.engine.models import AnalysisResult, Box, RedactOptions
from redactor.service.plans import PlanBook
from redactor.service.pricing import price
from redactor.service.store import JobSummary

Mode = Literal["redact", "analyze"]
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class JobSpec:
    """One job's request: mode, neutral options, explicit boxes if any, the result's name and caller metadata.

    ``filename`` is already the sanitized download name of the redacted image (``<stem>-redacted.<ext>``),
    never the name the caller sent.
    """

    mode: Mode
    options: RedactOptions
    filename: str
    metadata: str | None = None
    regions: tuple[Region, ...] | None = None

    def to_json(self) -> bytes:
        """The spec as JSON bytes (tuples become lists)."""
        regions = (
            None
            if self.regions is None
            else [[r.box.x0, r.box.y0, r.box.x1, r.box.y1, r.page, r.color] for r in self.regions]
        )
        data = {
            "mode": self.mode,
            "options": dataclasses.asdict(self.options),
            "filename": self.filename,
            "metadata": self.metadata,
            "regions": regions,
        }
        return json.dumps(data, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> JobSpec:
        """Rebuild a spec written by ``to_json``."""
        data = json.loads(raw)
        options: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data["options"].items()}
        regions = data["regions"]
        return cls(
            mode=data["mode"],
            options=RedactOptions(**options),
            filename=data["filename"],
            metadata=data["metadata"],
            regions=None if regions is None else tuple(Region(Box(*r[:4]), r[4], r[5]) for r in regions),
        )


@dataclass(frozen=True)
class JobOutput:
    """A finished job's result: the bytes to hand over once, their name, and the counts."""

    body: bytes
    filename: str
    summary: JobSummary
    metadata: str | None = None
    verification: str | None = None  # "passed" / "failed" when the spec asked to verify

    def meta_json(self) -> bytes:
        """Everything but the body, as JSON bytes."""
        data = {
            "filename": self.filename,
            "summary": dataclasses.asdict(self.summary),
            "metadata": self.metadata,
            "verification": self.verification,
        }
        return json.dumps(data, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_parts(cls, meta: bytes, body: bytes) -> JobOutput:
        """Rebuild an output from ``meta_json()`` and the body."""
        data = json.loads(meta)
        return cls(
            body=body,
            filename=data["filename"],
            summary=JobSummary(**data["summary"]),
            metadata=data["metadata"],
            verification=data["verification"],
        )


def count_types(analysis: AnalysisResult) -> dict[str, int]:
    """Entities and visual objects found per type (the summary a webhook carries; never their text)."""
    found = [e.entity_type for e in analysis.entities] + [o.entity_type for o in analysis.objects]
    return dict(sorted(Counter(found).items()))


def _json_name(filename: str, suffix: str) -> str:
    stem = filename.rsplit(".", 1)[0].removesuffix("-redacted")
    return f"{stem}-{suffix}.json"


def run_spec(
    spec: JobSpec, image: bytes, *, engine: pipeline.Engine, plans: PlanBook, seconds_left: float | None = None
) -> JobOutput:
    """Run one job on the engine, as the synchronous endpoints would, and price it as the synchronous calls are priced.

    ``seconds_left`` caps the OCR time of each page, so a page cannot run far past the job's deadline.
    Raises what the pipeline raises (RedactorError subclasses); never returns a partial result.
    """
    options = spec.options
    if seconds_left is not None:
        cap = options.ocr_timeout or engine.settings.ocr_timeout
        options = replace(options, ocr_timeout=max(0.001, min(cap, seconds_left)))
    if spec.mode == "analyze":
        analysis = pipeline.analyze(image, options, engine=engine)
        charge = price(plans, analysis)
        body = {**analysis.as_dict(), "tokens_charged": charge.tokens, "metadata": spec.metadata}
        types = count_types(analysis)
        summary = JobSummary(JSON_TYPE, charge.pages, charge.characters, charge.entities, 0, types, charge.tokens)
        return JobOutput(_dumps(body), _json_name(spec.filename, "analysis"), summary, spec.metadata)
    result = pipeline.redact(image, options, engine=engine, regions=spec.regions)
    charge = price(plans, result, explicit_boxes=spec.regions is not None)
    verification = None
    if result.verification is not None:
        verification = "passed" if result.verification.passed else "failed"
    types = count_types(result.analysis)
    if options.anonymize_text:
        body = {
            "image_base64": base64.b64encode(result.data).decode("ascii"),
            "content_type": result.mime_type,
            "filename": spec.filename,
            "anonymized_text": result.analysis.anonymized_text,
            "regions": result.regions,
            "tokens_charged": charge.tokens,
            "metadata": spec.metadata,
        }
        summary = JobSummary(
            JSON_TYPE, charge.pages, charge.characters, charge.entities, result.regions, types, charge.tokens
        )
        return JobOutput(_dumps(body), _json_name(spec.filename, "redacted"), summary, spec.metadata, verification)
    summary = JobSummary(
        result.mime_type, charge.pages, charge.characters, charge.entities, result.regions, types, charge.tokens
    )
    return JobOutput(result.data, spec.filename, summary, spec.metadata, verification)


def _dumps(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
