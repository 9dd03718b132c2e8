"""redactor.service.jobs.process: specs and outputs survive the trip through Redis (JSON) unchanged."""

from __future__ import annotations

import dataclasses

from redactor.engine.manual import Region
from redactor.engine.models import Box, RedactOptions
from redactor.service.jobs.process import JobOutput, JobSpec
from redactor.service.store import JobSummary


def test_a_spec_with_every_option_set_round_trips() -> None:
    options = RedactOptions(
        language="deu+eng",
        entities=("PERSON", "EMAIL_ADDRESS"),
        score_threshold=0.55,
        allow_list=("ACME",),
        deny_list=("Project X", "Zeta"),
        fill_color={"PERSON": "red", "default": "#000000"},
        verify=True,
        redact_all_text=True,
        anonymize_text=True,
        text_operator="mask",
        mask_char="#",
        mask_keep_last=2,
        max_pixels=1000,
        max_pages=3,
        ocr_timeout=2.5,
        faces=True,
        humans=True,
        license_plates=True,
        method="blur",
        shape="mask",
        blur_strength=55.0,
        edge_blur=0.5,
    )
    assert {f.name for f in dataclasses.fields(RedactOptions)} == {
        f.name for f in dataclasses.fields(options) if getattr(options, f.name) != getattr(RedactOptions(), f.name)
    }, "set every option here, so a new one is checked too"
    spec = JobSpec("redact", options, "a-redacted.png", "ünï ref", (Region(Box(1, 2, 30, 40), 2),))
    assert JobSpec.from_json(spec.to_json()) == spec
    plain = JobSpec("analyze", RedactOptions(), "b-redacted.jpg")
    assert JobSpec.from_json(plain.to_json()) == plain


def test_an_output_round_trips() -> None:
    output = JobOutput(
        b"\x89PNG\x00", "a-redacted.png", JobSummary("image/png", 1, 2, 3, 4, {"PERSON": 3}, 9), "m", "passed"
    )
    assert JobOutput.from_parts(output.meta_json(), output.body) == output
