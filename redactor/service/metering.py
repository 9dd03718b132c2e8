"""Metering: billing periods, the allowance check before work and the rate limit.

The rules, in one place:

* A call is admitted while the key's tokens used in the current period are below its plan's
  allowance; the check happens before the upload is read and before any OCR.
* A successful call is charged afterwards, in the same transaction that writes its ledger row
  (``store.ledger.record``); failed or rejected calls write a ledger row with 0 tokens.
* A call admitted just before the allowance ran out is still charged in full, so the overdraft of a
  period is bounded by the calls in flight at that moment: at most ``in_flight x max cost of one call``
  (``in_flight`` is itself bounded by the worker pool: workers + queue).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from redactor.errors import QuotaExceededError, RateLimitedError
from redactor.service.plans import Plan
from redactor.service.store import ApiKey, Store, period_label


@dataclass(frozen=True)
class Period:
    """A calendar month in UTC: ``[start, end)``."""

    label: str
    start: datetime
    end: datetime


def current_period(now: datetime) -> Period:
    """The billing period that contains ``now``."""
    now = now.astimezone(UTC)
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    end = datetime(now.year + (now.month == 12), now.month % 12 + 1, 1, tzinfo=UTC)
    return Period(period_label(now), start, end)


@dataclass(frozen=True)
class RateWindow:
    """The state of a key's one-minute window after counting this request."""

    limit: int
    remaining: int
    reset: int  # seconds until the window ends


def check_allowance(store: Store, key: ApiKey, plan: Plan, now: datetime) -> int:
    """Tokens used so far this period; raises QuotaExceededError if none are left."""
    period = current_period(now)
    used = store.ledger.used_tokens(key.id, period.label)
    if used >= plan.monthly_tokens:
        retry = max(1, math.ceil((period.end - now).total_seconds()))
        raise QuotaExceededError(
            f"The token allowance of plan '{plan.title}' ({plan.monthly_tokens:,} tokens for {period.label})"
            f" is used up; it renews on {period.end:%Y-%m-%d} (UTC). Upgrade the plan for more.",
            retry_after=retry,
        )
    return used


def hit_rate_limit(store: Store, key: ApiKey, plan: Plan, now: datetime) -> RateWindow:
    """Count this request in the key's clock-minute window; raises RateLimitedError past the plan's limit."""
    epoch = now.timestamp()
    window_start = int(epoch // 60) * 60
    count = store.rates.hit(key.id, window_start)
    reset = max(1, math.ceil(window_start + 60 - epoch))
    window = RateWindow(plan.requests_per_minute, max(0, plan.requests_per_minute - count), reset)
    if count > plan.requests_per_minute:
        raise RateLimitedError(
            f"Plan '{plan.title}' allows {plan.requests_per_minute} requests per minute; retry in {reset} s.",
            retry_after=reset,
            limit=plan.requests_per_minute,
        )
    return window
