"""Test helper: run a scale-out worker or ``redactor serve`` whose pipeline takes 60 s per job (a long scan).

``python tests/jobs/slow_process.py worker|serve ARGS...``; settings come from the environment. The
tests kill it with SIGKILL in the middle of a job.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from redactor.engine import pipeline

original = pipeline.redact


def slow_redact(*args: Any, **kwargs: Any) -> Any:
    time.sleep(60)
    return original(*args, **kwargs)


pipeline.redact = slow_redact  # type: ignore[assignment]

if __name__ == "__main__":
    from redactor.cli import main

    sys.exit(main(sys.argv[1:]))
