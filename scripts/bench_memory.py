"""Peak memory of the engine alone: load it, redact every dev image (and every thirdparty one), report max RSS.

Usage: .venv/bin/python scripts/bench_memory.py [--data ../shared/bench]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from redactor import RedactOptions, redact
from redactor.engine.pipeline import default_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "bench")
    args = parser.parse_args()
    started = time.perf_counter()
    default_engine()
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    images = sorted(p for p in args.data.glob("*/*") if p.suffix.lower() not in (".json", ".md"))
    for path in images:
        redact(path.read_bytes(), RedactOptions(verify=True))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine loaded: {loaded:.0f} MB; after {len(images)} images redacted and verified: peak {peak:.0f} MB")
    print(f"wall time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
