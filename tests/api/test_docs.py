"""The README documents what the code defines: plans.yaml fields, error codes, endpoints, options, settings, commands.

Each check reads one ``## `` section of README.md, so a table moved out of its section (or out of the
README) fails here rather than going stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from redactor.cli import build_parser
from redactor.cli.options import ALIASES
from redactor.errors import error_classes
from redactor.service.config import Settings
from redactor.service.options import RedactRequestOptions
from redactor.service.plans import Plan, PlanBook, TokenFormula

README = Path(__file__).resolve().parents[2] / "README.md"


def _section(title: str = "HTTP API") -> str:
    """The text of the README's ``## title`` section, up to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    heading = f"\n## {title}\n"
    assert heading in text, title
    return re.split(r"\n## ", text.split(heading, 1)[1], maxsplit=1)[0]


def test_every_plans_field_is_documented() -> None:
    section = _section()
    fields = [f"tokens.{name}" for name in TokenFormula.model_fields]
    fields += [name for name in PlanBook.model_fields if name not in ("tokens", "plans")]
    fields += [name for name in Plan.model_fields if name != "name"]
    for field in fields:
        assert f"`{field}`" in section, field


def test_every_error_code_is_documented_with_its_status_and_exit_code() -> None:
    section = _section()
    codes = {(cls.code, cls.http_status, int(cls.exit_code)) for cls in error_classes()}
    assert len(codes) == len({code for code, _, _ in codes})  # a code shared by classes shares status and exit
    for code, status, exit_code in codes:
        assert re.search(rf"^\| `{code}` \| {status} \| {exit_code} \|", section, re.MULTILINE), code


def test_endpoints_and_formula_are_documented() -> None:
    section = _section()
    for path in ("/v1/analyze-image", "/v1/redact-image", "/v1/entities", "/v1/usage", "/healthz", "/readyz"):
        assert path in section
    for path in ("/v1/jobs", "/v1/jobs/{jobId}", "/v1/jobs/{jobId}/result", "/v1/webhook"):
        assert path in section
    assert "per_1000_characters x characters / 1000" in section
    assert "curl" in section and "X-API-Key: $REDACTOR_KEY" in section


def test_every_request_option_is_documented_for_the_api_and_the_command_line() -> None:
    api = _section()
    cli = _section("Command line")
    for name in RedactRequestOptions.model_fields:
        assert re.search(rf"^\| [^|]*`{name}`", api, re.MULTILINE), name  # a row of the options table
        assert f"`--{name.replace('_', '-')}" in cli, name
    for aliases in ALIASES.values():
        for alias in aliases:
            assert f"`{alias}`" in cli, alias


def test_every_command_is_documented() -> None:
    section = _section("Command line")
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command")
    for name in commands.choices:  # type: ignore[union-attr]
        assert f"redactor {name}" in section, name


def test_every_setting_is_documented_in_one_table() -> None:
    section = _section("Settings")
    for name in Settings.model_fields:
        assert re.search(rf"^\| `REDACTOR_{name.upper()}` \|", section, re.MULTILINE), name
