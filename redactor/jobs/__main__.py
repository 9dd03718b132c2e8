"""``python -m redactor.jobs worker``: a scale-out worker process (Dramatiq on Redis)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from types import FrameType

from redactor.errors import ExitCode, RedactorError

log = logging.getLogger("redactor.jobs")


def _now() -> datetime:
    return datetime.now(UTC)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a worker until SIGTERM or SIGINT; bad settings or an unreachable Redis exit with their code."""
    parser = argparse.ArgumentParser(prog="python -m redactor.jobs", description="Scale-out job worker.")
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="consume the job queues (REDACTOR_REDIS_URL, REDACTOR_DATABASE_URL)")
    worker.add_argument("--threads", type=int, default=None, help="jobs run at once (default: CPUs)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("dramatiq").setLevel(logging.WARNING)

    from redactor.api.workers import default_workers
    from redactor.config import get_settings
    from redactor.jobs.payloads import RedisPayloads
    from redactor.jobs.runner import DRAMATIQ, JobContext, new_runner_id
    from redactor.jobs.scaleout import run_worker
    from redactor.pipeline import load_engine
    from redactor.plans import load_plans
    from redactor.store import open_store
    from redactor.visual import with_visual

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: finishing the jobs running, then stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        settings = get_settings()
        plans = load_plans(settings.plans_file)
        store = open_store(settings.database_url)
        try:
            ctx = JobContext(
                settings=settings,
                store=store,
                plans=plans,
                payloads=RedisPayloads(settings.redis_url, settings.redis_prefix),
                engine_name=DRAMATIQ,
                runner_id=new_runner_id("worker"),
                clock=_now,
                engine=with_visual(load_engine(settings)),
            )
            threads = args.threads or settings.workers or default_workers()
            run_worker(ctx, threads=threads, stop=stop)
        finally:
            store.close()
    except RedactorError as e:
        sys.stderr.write(f"error: {e.code}: {e.message}\n")
        return int(e.exit_code)
    return int(ExitCode.ok)


if __name__ == "__main__":
    sys.exit(main())
