"""HTTP benchmark: latency and throughput of `redactor serve` on the dev set, against the engine's own time.

1. Engine: each image through ``redactor.redact`` (or ``analyze``) in this process, one at a time, after a
   warm-up pass; this is the engine's own time per image.
2. HTTP: a real ``redactor serve`` process on loopback (temporary SQLite database, a bench plan with no
   practical limits), warmed up, then every image posted at concurrency 1, 2 and 4 (one keep-alive
   client per concurrent caller). Reports p50/p95 latency, throughput, HTTP overhead per image at
   concurrency 1 (median of (http - engine) / engine over the images, and on the sums) and the
   distribution of tokens charged.

Usage (from the repository root)::

    .venv/bin/python scripts/bench_http.py                       # redact-image, dev set, c = 1,2,4
    .venv/bin/python scripts/bench_http.py --endpoint analyze-image --repeat 2 --markdown bench-http.md

Only loopback is used; every loop is bounded by the number of images and repeats.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from bench_service import (
    BENCH_PLANS,
    DEFAULT_DATA,
    REPO,
    bench_images,
    free_port,
    percentile,
    print_report,
    wait_for_demo_key,
)


def tokens_from_plans(plans_text: str) -> None:
    """Check that the bench plan prices like the repository's plans.yaml (same formula)."""
    import yaml

    ours = yaml.safe_load((REPO / "redactor" / "service" / "plans.yaml").read_text())["tokens"]
    bench = yaml.safe_load(plans_text)["tokens"]
    if ours != bench:
        print(f"note: plans.yaml's token formula {ours} differs from the bench's {bench}", file=sys.stderr)


def engine_runner(images: list[Path], endpoint: str) -> Callable[[bytes], object]:
    """The engine called in this process, warmed up on every image once."""
    from redactor import RedactOptions
    from redactor.engine.pipeline import analyze, default_engine, redact

    engine = default_engine()

    def run(data: bytes) -> object:
        if endpoint == "analyze-image":
            return analyze(data, RedactOptions(), engine=engine)
        return redact(data, RedactOptions(), engine=engine)

    for path in images:  # warm-up: Tesseract per thread, spaCy caches
        run(path.read_bytes())
    return run


class Server:
    """A `redactor serve` subprocess on a free loopback port."""

    def __init__(self, workers: int | None, tmp: Path) -> None:
        (tmp / "plans.yaml").write_text(BENCH_PLANS)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "REDACTOR_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "REDACTOR_PLANS_FILE": str(tmp / "plans.yaml"),
            "REDACTOR_QUEUE": "16",
        }
        command = [sys.executable, "-m", "redactor", "serve", "--port", str(self.port)]
        if workers:
            command += ["--workers", str(workers)]
        self.log = (tmp / "server.log").open("w+b")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=tmp)
        self.key = wait_for_demo_key(self.process, self.url, self.output, self.stop)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def http_pass(
    server: Server, images: list[Path], endpoint: str, concurrency: int
) -> tuple[list[tuple[str, float, int, int]], float]:
    """Post every image with ``concurrency`` callers; (name, seconds, status, tokens) per request and the wall time."""
    payloads = [(p.name, p.read_bytes()) for p in images]
    local = threading.local()
    clients: list[httpx.Client] = []

    def post(item: tuple[str, bytes]) -> tuple[str, float, int, int]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=server.url, timeout=300, headers={"X-API-Key": server.key})
            clients.append(local.client)
        name, data = item
        start = time.perf_counter()
        response = local.client.post(f"/v1/{endpoint}", files={"image": (name, data)})
        elapsed = time.perf_counter() - start
        return name, elapsed, response.status_code, int(response.headers.get("X-Tokens-Charged", 0))

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(post, payloads))
    wall = time.perf_counter() - start
    for client in clients:
        client.close()
    return results, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--endpoint", choices=("redact-image", "analyze-image"), default="redact-image")
    parser.add_argument("--concurrency", default="1,2,4")
    parser.add_argument("--workers", type=int, default=None, help="server OCR workers (default: CPUs)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the images per concurrency")
    parser.add_argument("--limit", type=int, default=None, help="first N images only")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()

    images = bench_images(args.data, args.limit)
    if not images:
        raise SystemExit(f"no images in {args.data}")
    tokens_from_plans(BENCH_PLANS)
    print(f"engine: warming up on {len(images)} images, {args.endpoint} ...", file=sys.stderr)
    run_engine = engine_runner(images, args.endpoint)
    engine: dict[str, list[float]] = {}

    levels = [int(c) for c in args.concurrency.split(",")]
    lines = [
        f"# HTTP benchmark: {args.endpoint}, {len(images)} images of {args.data.name}, x{args.repeat}",
        "",
        f"Machine: {os.cpu_count()} CPUs; server workers: {args.workers or 'default (CPUs)'}; "
        f"Python {sys.version.split()[0]}.",
        "",
        "| concurrency | requests | errors | p50 latency (s) | p95 latency (s) | throughput (images/s) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    per_image_c1: dict[str, list[float]] = {}
    tokens: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        server = Server(args.workers, Path(tmp))
        try:
            http_pass(server, images[: 2 * (args.workers or os.cpu_count() or 2)], args.endpoint, 4)  # warm-up
            for level in levels:
                print(f"http: concurrency {level} ...", file=sys.stderr)
                results: list[tuple[str, float, int, int]] = []
                wall = 0.0
                for _ in range(args.repeat):
                    if level == 1:
                        # Engine and HTTP alternate image by image, so both see the same machine load.
                        for path in images:
                            data = path.read_bytes()
                            start = time.perf_counter()
                            run_engine(data)
                            engine.setdefault(path.name, []).append(time.perf_counter() - start)
                            batch, seconds = http_pass(server, [path], args.endpoint, 1)
                            results += batch
                            wall += seconds
                        continue
                    batch, seconds = http_pass(server, images, args.endpoint, level)
                    results += batch
                    wall += seconds
                latencies = [r[1] for r in results]
                errors = sum(r[2] != 200 for r in results)
                lines.append(
                    f"| {level} | {len(results)} | {errors} | {percentile(latencies, 50):.3f} | "
                    f"{percentile(latencies, 95):.3f} | {len(results) / wall:.2f} |"
                )
                if level == 1:
                    for name, seconds, _status, charged in results:
                        per_image_c1.setdefault(name, []).append(seconds)
                        tokens[name] = charged
        finally:
            server.stop()

    engine_list = [t for times in engine.values() for t in times]
    lines += [
        "",
        "Engine alone (in process, one at a time, interleaved with the concurrency-1 requests): "
        f"p50 {percentile(engine_list, 50):.3f} s, "
        f"p95 {percentile(engine_list, 95):.3f} s, {len(engine_list) / sum(engine_list):.2f} images/s.",
    ]
    if per_image_c1:
        http_c1 = {name: statistics.median(v) for name, v in per_image_c1.items()}
        engine_c1 = {name: statistics.median(v) for name, v in engine.items()}
        ratios = [(http_c1[n] - engine_c1[n]) / engine_c1[n] for n in http_c1]
        engine_sum, http_sum = sum(engine_c1[n] for n in http_c1), sum(http_c1.values())
        lines.append(
            f"HTTP overhead at concurrency 1: median per image {statistics.median(ratios):+.1%}, "
            f"on the sum of times {(http_sum - engine_sum) / engine_sum:+.1%} "
            f"({(http_sum - engine_sum) / len(http_c1) * 1000:+.0f} ms per image)."
        )
    if tokens:
        values = sorted(tokens.values())
        counts = {v: values.count(v) for v in sorted(set(values))}
        lines.append(
            f"Tokens charged per image: min {values[0]}, median {statistics.median(values):g}, max {values[-1]}; "
            "distribution " + ", ".join(f"{v}: {n}" for v, n in counts.items()) + "."
        )
    print_report(lines, args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
