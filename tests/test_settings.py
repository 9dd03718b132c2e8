"""Settings: the engine's are a subset of the service's; the default database and plans do not depend on the
working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactor.engine.config import EngineSettings
from redactor.service.config import Settings, default_database_url
from redactor.service.plans import load_plans
from redactor.service.store import open_store


def test_the_default_database_is_in_the_users_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    url = Settings().database_url
    assert url == f"sqlite:///{tmp_path / 'data' / 'redactor' / 'redactor.db'}"
    store = open_store(url)  # creates the folder
    store.close()
    assert (tmp_path / "data" / "redactor" / "redactor.db").is_file()
    assert not (tmp_path / "redactor.db").exists()


def test_without_xdg_data_home_it_is_under_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_database_url() == f"sqlite:///{tmp_path / '.local' / 'share' / 'redactor' / 'redactor.db'}"


def test_the_default_plans_are_found_from_any_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("REDACTOR_PLANS_FILE", raising=False)
    monkeypatch.chdir(tmp_path)  # no plans.yaml here
    book = load_plans(Settings().plans_file)
    assert {"free", "basic", "pro", "business"} <= set(book.plans) and book.demo_plan in book.plans


def test_service_settings_extend_the_engines() -> None:
    engine_fields = set(EngineSettings.model_fields)
    assert engine_fields < set(Settings.model_fields)
    assert not engine_fields & {"database_url", "redis_url", "webhook_allow_networks", "jobs_engine"}
