"""Helpers shared by the service benchmarks (bench_http.py, bench_jobs.py): ports, readiness, percentiles."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Callable

import httpx


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_demo_key(
    process: subprocess.Popen[bytes], url: str, output: Callable[[], str], stop: Callable[[], None]
) -> str:
    """Wait until ``redactor serve`` answers /readyz, then return the demo key it printed."""
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {output()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop()
            raise SystemExit(f"server not ready after 120 s: {output()}")
        time.sleep(0.2)
    match = re.search(r"REDACTOR_KEY=(\S+)", output())
    if not match:
        stop()
        raise SystemExit("no demo key printed")
    return match.group(1)
