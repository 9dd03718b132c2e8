"""Helpers shared by the service benchmarks (bench_http.py, bench_jobs.py): ports, readiness, percentiles."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = next(
    (p for p in (REPO.parent / "shared/bench/dev", Path("/work/shared/bench/dev")) if p.is_dir()),
    Path("/work/shared/bench/dev"),
)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif"}
# A plan with no limit in the way, priced like the repository's plans.yaml.
BENCH_PLANS = """
tokens: {per_call: 2, per_page: 1, per_1000_characters: 6, per_entity: 0.2, minimum: 1}
demo_plan: bench
plans:
  bench: {title: Bench, image_redaction: true, max_file_bytes: 100000000, max_pixels: 200000000, max_pages: 50,
          monthly_tokens: 100000000, requests_per_minute: 1000000}
"""


def bench_images(data: Path, limit: int | None) -> list[Path]:
    """The images of a bench folder, in name order, the first ``limit`` only if given."""
    return sorted(p for p in data.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)[:limit]


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


def print_report(lines: list[str], markdown: Path | None) -> None:
    """Print the report and, when asked, write the same markdown to a file."""
    report = "\n".join(lines) + "\n"
    print(report)
    if markdown:
        markdown.write_text(report)
