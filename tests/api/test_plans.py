"""plans.yaml: the seed tiers, validation that names file, field and reason, and the token formula."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactor import cli
from redactor.errors import ConfigError, ExitCode
from redactor.service.config import get_settings
from redactor.service.plans import PlanBook, load_plans

from .conftest import TEST_PLANS

REPO = Path(__file__).resolve().parents[2]


def test_seed_plans() -> None:
    book = load_plans(REPO / "redactor" / "service" / "plans.yaml")

    assert set(book.plans) == {"free", "basic", "pro", "business"}
    assert book.plans["basic"].max_file_bytes == 5_000_000
    assert book.plans["pro"].max_file_bytes == 10_000_000
    assert book.plans["business"].max_file_bytes == 20_000_000
    assert not book.plans["free"].image_redaction
    assert all(p.image_redaction for name, p in book.plans.items() if name != "free")
    assert book.get(book.demo_plan) is not None


def test_typical_page_costs_5_to_15_tokens() -> None:
    book = load_plans(REPO / "redactor" / "service" / "plans.yaml")
    # characters and entities of a short ID card, a median and the longest letter of the dev set
    assert book.tokens_for(pages=1, characters=98, entities=8) == 6
    assert book.tokens_for(pages=1, characters=500, entities=14) == 9
    assert book.tokens_for(pages=1, characters=1002, entities=21) == 14
    assert book.tokens_for(pages=0, characters=0, entities=0) >= book.tokens.minimum


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("max_file_bytes: 10000000", "max_file_bytes: -1"),
            "plans.pro.max_file_bytes: Input should be greater than 0",
        ),
        (
            ("max_file_bytes: 10000000", "max_file_bytes: lots"),
            "plans.pro.max_file_bytes: Input should be a valid integer",
        ),
        (("monthly_tokens: 30,", "monthly_tokens: 30, colour: red,"), "plans.tiny.colour: unknown field"),
        (("requests_per_minute: 3}", "rpm: 3}"), "plans.slow.requests_per_minute: required field is missing"),
        (("demo_plan: pro", "demo_plan: gold"), "demo_plan 'gold' is not one of the plans"),
        (("per_entity: 0.2", "per_entity: -1"), "tokens.per_entity: Input should be greater than or equal to 0"),
        (("free:", "Free Plan:"), "plans.Free Plan: a plan name must be lower-case"),
        (("tokens: {", "tokens: [{"), "is not valid YAML"),
    ],
)
def test_invalid_plans_name_file_field_and_reason(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = tmp_path / "plans.yaml"
    old, new = change
    assert old in TEST_PLANS
    path.write_text(TEST_PLANS.replace(old, new, 1))

    with pytest.raises(ConfigError) as info:
        load_plans(path)

    assert str(path) in info.value.message
    assert message in info.value.message
    assert info.value.exit_code == ExitCode.invalid_config


def test_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_plans(tmp_path / "nope.yaml")
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_plans(tmp_path / "empty.yaml")


def test_serve_refuses_to_start_on_invalid_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "plans.yaml"
    bad.write_text(TEST_PLANS.replace("max_pages: 20,", "max_pages: 0,", 1))
    monkeypatch.setenv("REDACTOR_PLANS_FILE", str(bad))
    monkeypatch.setenv("REDACTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("must not start"))
    get_settings.cache_clear()
    try:
        assert cli.main(["serve"]) == ExitCode.invalid_config
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "invalid_config" in err and str(bad) in err and "plans.pro.max_pages" in err


def test_plan_book_is_the_test_fixture(plans: PlanBook) -> None:
    assert plans.plans["tiny"].monthly_tokens == 30
