"""API keys: create (secret shown once), list, revoke, and the demo key of ``serve``."""

from __future__ import annotations

from redactor.errors import InvalidOptionError
from redactor.service.plans import PlanBook
from redactor.service.store import ApiKey, Store

DEMO_NAME = "demo"


def create_key(store: Store, plans: PlanBook, *, name: str, plan: str) -> tuple[ApiKey, str]:
    """A new key on ``plan``; the plan must exist in plans.yaml. Returns the key and its one-time secret."""
    if plans.get(plan) is None:
        raise InvalidOptionError(f"Unknown plan {plan!r}; plans.yaml offers {', '.join(plans.plans)}.")
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidOptionError("The account name must be 1 to 200 characters.")
    return store.keys.create(name=name, plan=plan)


def revoke_key(store: Store, key_id: str) -> ApiKey:
    """Revoke by id; unknown ids are an error, revoking twice is not."""
    key = store.keys.revoke(key_id)
    if key is None:
        raise InvalidOptionError(f"No key with id {key_id!r}; see `redactor keys list`.")
    return key


def ensure_demo_key(store: Store, plans: PlanBook) -> tuple[ApiKey, str] | None:
    """Create a demo key on the plans' ``demo_plan`` when no active key exists; None if one does."""
    if store.keys.count_active():
        return None
    return create_key(store, plans, name=DEMO_NAME, plan=plans.demo_plan)
