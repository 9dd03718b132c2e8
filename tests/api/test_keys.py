"""API keys: stored as hashes, create/list/revoke in the store and the CLI, 401 for missing/unknown/revoked keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactor import cli
from redactor.errors import InvalidOptionError
from redactor.service.keys import create_key, ensure_demo_key, revoke_key
from redactor.service.plans import PlanBook
from redactor.service.store import SCHEMA_VERSION, Store, open_store
from redactor.service.store.keys import KEY_PREFIX, hash_secret

from .conftest import Api

# ---- store, on SQLite and PostgreSQL ----


def test_keys_are_stored_only_as_hashes(store: Store, plans: PlanBook) -> None:
    key, secret = create_key(store, plans, name="ACME", plan="pro")

    assert secret.startswith(KEY_PREFIX) and len(secret) > 40
    assert store.keys.find(secret) == key
    assert store.keys.find(secret + "x") is None
    with store._backend.transaction() as cur:  # noqa: SLF001 - look at what is really stored
        cur.execute("SELECT id, key_hash, name, plan FROM api_keys")
        stored = [dict(row) for row in cur.fetchall()]
    assert stored == [{"id": key.id, "key_hash": hash_secret(secret), "name": "ACME", "plan": "pro"}]
    assert secret not in repr(stored)


def test_list_and_revoke(store: Store, plans: PlanBook) -> None:
    first, _ = create_key(store, plans, name="A", plan="pro")
    second, secret = create_key(store, plans, name="B", plan="basic" if plans.get("basic") else "small")

    revoked = revoke_key(store, second.id)

    assert revoked.revoked_at is not None and not revoked.active
    assert revoke_key(store, second.id).revoked_at == revoked.revoked_at  # idempotent
    assert [k.id for k in store.keys.all()] == [first.id, second.id]
    found = store.keys.find(secret)
    assert found is not None and not found.active
    assert store.keys.count_active() == 1
    with pytest.raises(InvalidOptionError):
        revoke_key(store, "key_missing")


def test_unknown_plan_is_refused(store: Store, plans: PlanBook) -> None:
    with pytest.raises(InvalidOptionError, match="Unknown plan 'gold'"):
        create_key(store, plans, name="A", plan="gold")


def test_demo_key_only_when_no_active_key(store: Store, plans: PlanBook) -> None:
    demo = ensure_demo_key(store, plans)
    assert demo is not None and demo[0].plan == plans.demo_plan
    assert ensure_demo_key(store, plans) is None
    revoke_key(store, demo[0].id)
    assert ensure_demo_key(store, plans) is not None


def test_schema_migration_is_idempotent(store_url: str) -> None:
    first = open_store(store_url)
    first.close()
    second = open_store(store_url)
    try:
        assert second.migrate() == SCHEMA_VERSION
    finally:
        second.close()


# ---- CLI ----


def test_cli_keys_create_list_revoke(
    tmp_path: Path, plans_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from redactor.service.config import get_settings

    monkeypatch.setenv("REDACTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'keys.db'}")
    monkeypatch.setenv("REDACTOR_PLANS_FILE", str(plans_path))
    get_settings.cache_clear()
    try:
        assert cli.main(["keys", "create", "--plan", "pro", "--name", "ACME"]) == 0
        out, err = capsys.readouterr()
        secret = out.strip()
        assert secret.startswith(KEY_PREFIX) and "created key_" in err

        assert cli.main(["keys", "list"]) == 0
        listing = capsys.readouterr().out
        assert "ACME" in listing and "pro" in listing and "active" in listing and secret not in listing
        key_id = listing.split()[0]

        assert cli.main(["keys", "revoke", key_id]) == 0
        capsys.readouterr()
        assert cli.main(["keys", "list"]) == 0
        assert "revoked" in capsys.readouterr().out

        assert cli.main(["keys", "create", "--plan", "gold", "--name", "X"]) == 1
        assert "Unknown plan" in capsys.readouterr().err
        assert cli.main(["keys", "revoke", "key_nope"]) == 1
    finally:
        get_settings.cache_clear()


# ---- HTTP ----


def test_missing_key_is_401(api: Api, letter_png: bytes) -> None:
    response = api.client.post("/v1/analyze-image", files={"image": ("a.png", letter_png)})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert "X-API-Key" in response.json()["detail"]


@pytest.mark.parametrize("key", ["rdk_unknown", "x" * 500, ""])
def test_unknown_key_is_401(api: Api, letter_png: bytes, key: str) -> None:
    response = api.post_image("/v1/analyze-image", letter_png, key=key)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_revoked_key_is_401(api: Api, letter_png: bytes) -> None:
    secret = api.key("pro", name="leaver")
    assert api.post_image("/v1/analyze-image", letter_png, key=secret).status_code == 200
    api.store.keys.revoke(api.key_id(secret))

    response = api.post_image("/v1/analyze-image", letter_png, key=secret)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert api.client.get("/v1/usage", headers={"X-API-Key": secret}).status_code == 401


def test_key_on_a_plan_no_longer_offered_is_403(api: Api, letter_png: bytes) -> None:
    _, secret = api.store.keys.create(name="old", plan="legacy")
    response = api.post_image("/v1/analyze-image", letter_png, key=secret)
    assert response.status_code == 403
    assert "legacy" in response.json()["detail"]


def test_unauthorized_calls_are_ledgered_without_a_key(api: Api, letter_png: bytes) -> None:
    api.post_image("/v1/analyze-image", letter_png, key="rdk_nope")
    (row,) = api.store.ledger.entries()
    assert (row.key_id, row.status, row.code, row.tokens) == (None, 401, "unauthorized", 0)
