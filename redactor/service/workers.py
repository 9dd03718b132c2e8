"""The OCR worker pool: CPU-bound engine calls run off the event loop, with a bounded queue (503 when full)."""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from redactor.errors import OverloadedError

T = TypeVar("T")


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class WorkerPool:
    """Threads for the engine (Tesseract releases the GIL while it reads), at most ``workers + queue`` jobs admitted.

    A job past that is refused at once with OverloadedError instead of waiting: latency stays bounded by
    ``(queue / workers + 1) x`` the time of one job. A slot is freed when the job really ends, even if
    the client that asked for it has gone.
    """

    def __init__(self, workers: int, queue: int) -> None:
        if workers < 1 or queue < 0:
            raise ValueError("workers must be >= 1 and queue >= 0")
        self.workers = workers
        self.queue = queue
        self.capacity = workers + queue
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="redactor-ocr")
        self._lock = threading.Lock()
        self._admitted = 0
        self._mean_seconds = 1.0

    @property
    def admitted(self) -> int:
        """Jobs running or waiting."""
        return self._admitted

    def _release(self, started: float) -> None:
        with self._lock:
            self._admitted -= 1
            self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * (time.perf_counter() - started)

    def retry_after(self) -> int:
        """Seconds after which a slot is likely free."""
        return max(1, math.ceil(self._mean_seconds * (self.queue + self.workers) / self.workers))

    async def run(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on a worker thread; raise OverloadedError at once if every slot is taken."""
        with self._lock:
            if self._admitted >= self.capacity:
                raise OverloadedError(
                    f"All {self.workers} workers are busy and {self.queue} requests are waiting; retry shortly.",
                    retry_after=self.retry_after(),
                )
            self._admitted += 1
        started = time.perf_counter()
        try:
            future: Future[T] = self._executor.submit(fn)
        except BaseException:
            self._release(started)
            raise
        future.add_done_callback(lambda _: self._release(started))
        return await asyncio.wrap_future(future)

    def shutdown(self) -> None:
        """Stop taking jobs; queued jobs are cancelled, running ones finish."""
        self._executor.shutdown(wait=False, cancel_futures=True)
