"""Jobs benchmark: the dev set submitted as asynchronous jobs at concurrency 4, on both engines.

For each engine a real ``redactor serve`` runs on loopback (temporary SQLite database, a bench plan
with no practical limits); for ``dramatiq`` also ``redactor worker`` processes on the
local Redis (a namespace of its own, deleted afterwards). Each of ``--concurrency`` callers submits an
image (``POST /v1/jobs``), polls ``GET /v1/jobs/{id}`` every ``--poll`` seconds until it is
ReadyToDownload, downloads the result once, and takes the next image. After a warm-up pass, reports
per engine: submission latency (POST to 202), completion latency (POST to ReadyToDownload seen),
end-to-end latency (POST to result downloaded), throughput, failures; and, on the same server,
the synchronous ``/v1/redact-image`` at the same concurrency for reference.

Usage (from the repository root; Redis on 127.0.0.1:6379 for the dramatiq engine)::

    .venv/bin/python scripts/bench_jobs.py
    .venv/bin/python scripts/bench_jobs.py --engines embedded --repeat 2 --markdown bench-jobs.md

Only loopback is used; every loop is bounded by the number of images, repeats and a timeout.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench_service import (
    BENCH_PLANS,
    DEFAULT_DATA,
    bench_images,
    free_port,
    percentile,
    print_report,
    wait_for_demo_key,
)

REDIS_URL = "redis://127.0.0.1:6379/0"
JOB_TIMEOUT = 300.0


class Processes:
    """``redactor serve`` (and the workers of the scale-out engine) as subprocesses, stopped with SIGINT/SIGTERM."""

    def __init__(self, engine: str, tmp: Path, *, workers: int, worker_processes: int, worker_threads: int) -> None:
        (tmp / "plans.yaml").write_text(BENCH_PLANS)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = f"bench-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "REDACTOR_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "REDACTOR_PLANS_FILE": str(tmp / "plans.yaml"),
            "REDACTOR_QUEUE": "16",
            "REDACTOR_JOBS_ENGINE": engine,
            "REDACTOR_REDIS_URL": REDIS_URL,
            "REDACTOR_REDIS_PREFIX": self.prefix,
            "REDACTOR_JOB_TIMEOUT": str(JOB_TIMEOUT),
            "REDACTOR_JOB_BACKLOG": "1000",
        }
        self.tmp = tmp
        self.logs: list[Path] = []
        self.children: list[subprocess.Popen[bytes]] = []
        self.server = self._spawn(
            "server", [sys.executable, "-m", "redactor", "serve", "--port", str(self.port), "--workers", str(workers)]
        )
        self.key = wait_for_demo_key(self.server, self.url, lambda: self.output("server"), self.stop)
        if engine == "dramatiq":
            for n in range(worker_processes):
                self._spawn(
                    f"worker{n}",
                    [sys.executable, "-m", "redactor", "worker", "--threads", str(worker_threads)],
                )

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = self.tmp / f"{name}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=self.tmp)
        self.children.append(child)
        return child

    def output(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for child in self.children:
            child.send_signal(signal.SIGINT if child is self.server else signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
        try:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{self.prefix}*"))
            if keys:
                client.delete(*keys)
            client.close()
        except Exception:  # Redis not used or gone: nothing to clean
            pass


@dataclass
class Outcome:
    """One image through the jobs API (seconds from the POST)."""

    name: str
    status: str
    submit: float
    completed: float
    downloaded: float


def job_pass(procs: Processes, images: list[Path], concurrency: int, poll: float) -> tuple[list[Outcome], float]:
    """Every image as a job, ``concurrency`` callers each with one job in flight; outcomes and wall time."""
    payloads = [(p.name, p.read_bytes()) for p in images]
    local = threading.local()
    clients: list[httpx.Client] = []

    def one(item: tuple[str, bytes]) -> Outcome:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=procs.url, timeout=60, headers={"X-API-Key": procs.key})
            clients.append(local.client)
        client: httpx.Client = local.client
        name, data = item
        start = time.perf_counter()
        submitted = client.post("/v1/jobs", files={"image": (name, data)})
        submit = time.perf_counter() - start
        if submitted.status_code != 202:
            return Outcome(name, f"http_{submitted.status_code}", submit, submit, submit)
        job = submitted.json()["jobId"]
        deadline = start + JOB_TIMEOUT + 30
        while True:
            status = client.get(f"/v1/jobs/{job}").json()["status"]
            if status not in ("Pending", "InProgress") or time.perf_counter() > deadline:
                break
            time.sleep(poll)
        completed = time.perf_counter() - start
        if status != "ReadyToDownload":
            return Outcome(name, status, submit, completed, completed)
        result = client.get(f"/v1/jobs/{job}/result")
        downloaded = time.perf_counter() - start
        return Outcome(
            name, "ok" if result.status_code == 200 else f"http_{result.status_code}", submit, completed, downloaded
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(one, payloads))
    wall = time.perf_counter() - start
    for client in clients:
        client.close()
    return outcomes, wall


def sync_pass(procs: Processes, images: list[Path], concurrency: int) -> tuple[list[float], int, float]:
    """The same images through POST /v1/redact-image: latencies, errors, wall time."""
    payloads = [(p.name, p.read_bytes()) for p in images]
    local = threading.local()

    def one(item: tuple[str, bytes]) -> tuple[float, int]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=procs.url, timeout=300, headers={"X-API-Key": procs.key})
        start = time.perf_counter()
        response = local.client.post("/v1/redact-image", files={"image": item})
        return time.perf_counter() - start, response.status_code

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, payloads))
    wall = time.perf_counter() - start
    return [r[0] for r in results], sum(r[1] != 200 for r in results), wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--engines", default="embedded,dramatiq")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="OCR threads of the service")
    parser.add_argument("--worker-processes", type=int, default=1, help="dramatiq worker processes")
    parser.add_argument("--worker-threads", type=int, default=os.cpu_count() or 2, help="threads per worker")
    parser.add_argument("--poll", type=float, default=0.02, help="seconds between status polls")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the images")
    parser.add_argument("--limit", type=int, default=None, help="first N images only")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()

    images = bench_images(args.data, args.limit)
    if not images:
        raise SystemExit(f"no images in {args.data}")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    lines = [
        f"# Jobs benchmark: {len(images)} images of {args.data.name} x{args.repeat}, concurrency {args.concurrency}",
        "",
        f"Machine: {os.cpu_count()} CPUs; service OCR threads {args.workers}; dramatiq: {args.worker_processes} "
        f"worker process(es) x {args.worker_threads} threads; status polled every {args.poll * 1000:.0f} ms; "
        f"Python {sys.version.split()[0]}.",
        "",
        "| engine | jobs | failed | submit p50 (ms) | completion p50 (s) | completion p95 (s) "
        "| end-to-end p50 (s) | end-to-end p95 (s) | throughput (images/s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sync_lines: list[str] = []
    for engine in engines:
        print(f"{engine}: starting ...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix=f"bench-jobs-{engine}-") as tmp:
            procs = Processes(
                engine,
                Path(tmp),
                workers=args.workers,
                worker_processes=args.worker_processes,
                worker_threads=args.worker_threads,
            )
            try:
                job_pass(procs, images[: 2 * args.concurrency], args.concurrency, args.poll)  # warm-up
                outcomes: list[Outcome] = []
                wall = 0.0
                for _ in range(args.repeat):
                    print(f"{engine}: {len(images)} jobs at concurrency {args.concurrency} ...", file=sys.stderr)
                    batch, seconds = job_pass(procs, images, args.concurrency, args.poll)
                    outcomes += batch
                    wall += seconds
                latencies, errors, sync_wall = [], 0, 0.0
                for _ in range(args.repeat):
                    batch_latencies, batch_errors, seconds = sync_pass(procs, images, args.concurrency)
                    latencies += batch_latencies
                    errors += batch_errors
                    sync_wall += seconds
            finally:
                procs.stop()
        ok = [o for o in outcomes if o.status == "ok"]
        failed = len(outcomes) - len(ok)
        if not ok:
            lines.append(f"| {engine} | {len(outcomes)} | {failed} | - | - | - | - | - | - |")
            continue
        completion = [o.completed for o in ok]
        end_to_end = [o.downloaded for o in ok]
        lines.append(
            f"| {engine} | {len(outcomes)} | {failed} | {percentile([o.submit for o in ok], 50) * 1000:.0f} | "
            f"{percentile(completion, 50):.2f} | {percentile(completion, 95):.2f} | "
            f"{percentile(end_to_end, 50):.2f} | {percentile(end_to_end, 95):.2f} | {len(ok) / wall:.2f} |"
        )
        sync_lines.append(
            f"| {engine} service | {len(latencies)} | {errors} | {percentile(latencies, 50):.2f} | "
            f"{percentile(latencies, 95):.2f} | {len(latencies) / sync_wall:.2f} |"
        )
    lines += [
        "",
        f"Reference, the synchronous `POST /v1/redact-image` on the same service at concurrency {args.concurrency}:",
        "",
        "| server | requests | errors | latency p50 (s) | latency p95 (s) | throughput (images/s) |",
        "|---|---:|---:|---:|---:|---:|",
        *sync_lines,
    ]
    print_report(lines, args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
