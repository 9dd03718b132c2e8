"""Batches of ``redact``: which files a folder holds, where each output goes, atomic writes, the run's summary."""

from __future__ import annotations

import logging
import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from redactor.errors import ExitCode, InputError, InvalidOptionError, RedactorError

if TYPE_CHECKING:
    from redactor.engine.models import RedactionResult

log = logging.getLogger("redactor")

# Files of a folder are taken by name; their bytes still decide the format (a misnamed file fails).
EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".gif", ".pdf"})


@dataclass(frozen=True)
class Task:
    """One input file and the path its redacted copy is written to."""

    source: Path
    target: Path


@dataclass(frozen=True)
class Plan:
    """The files to redact, in order, and the folders' files left alone (hidden, or not an image or PDF by name)."""

    tasks: tuple[Task, ...]
    skipped: tuple[Path, ...]


@dataclass(frozen=True)
class Outcome:
    """What became of one task: the counts of its result, or the error that stopped it (nothing written then)."""

    task: Task
    pages: int = 0
    found: int = 0
    regions: int = 0
    remaining: int | None = None  # entities and objects still found after painting; None without --verify
    error: RedactorError | None = None


def plan_folder(inputs: Sequence[Path], out_dir: Path, *, with_text: bool = False) -> Plan:
    """Each file input to ``out_dir``/its name; each folder walked, its files under their sub-folders in ``out_dir``.

    Hidden files and folders, and ``out_dir`` where it lies inside an input folder, are never read.
    Raises InvalidOptionError when ``out_dir`` is an input folder, an output would replace an input,
    or two inputs would share an output.
    """
    out = out_dir.resolve()
    tasks: list[Task] = []
    skipped: list[Path] = []
    for path in inputs:
        if not path.is_dir():
            tasks.append(Task(path, out_dir / path.name))  # a missing file fails when it is read
            continue
        if path.resolve() == out:
            raise InvalidOptionError(f"The output folder is the input folder {path}; choose another.")
        for folder, dirs, files in os.walk(path):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != out)
            for name in sorted(files):
                source = here / name
                if name.startswith(".") or source.suffix.lower() not in EXTENSIONS:
                    skipped.append(source)
                else:
                    tasks.append(Task(source, out_dir / source.relative_to(path)))
    check_targets(tasks, with_text=with_text)
    return Plan(tuple(tasks), tuple(skipped))


def check_targets(tasks: Sequence[Task], *, with_text: bool = False) -> None:
    """Refuse a run in which an output would replace an input, or two inputs would share an output.

    ``with_text``: each output has its anonymized text beside it (``letter.png`` and ``letter.jpg``
    would share ``letter.txt``).
    """
    sources = {task.source.resolve() for task in tasks}
    outputs = [[task.target] + ([text_path(task.target)] if with_text else []) for task in tasks]
    targets = Counter(path.resolve() for paths in outputs for path in paths)
    for paths in outputs:
        for path in paths:
            if path.resolve() in sources:
                raise InvalidOptionError(f"The output {path} would replace an input; choose another.")
            if targets[path.resolve()] > 1:
                raise InvalidOptionError(f"Several inputs would be written to {path}; redact them separately.")


def text_path(target: Path) -> Path:
    """Where a file's anonymized text is written: beside its output, with the suffix ``.txt``."""
    return target.with_suffix(".txt")


def read_input(path: Path) -> bytes:
    """The file's bytes; an unreadable file raises InputError (exit 2)."""
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"Cannot read {path}: {e.strerror}.") from e


def write_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write each file under a temporary name beside it, then rename all into place; on failure no temporary stays.

    A reader never sees a half-written output, and a failed write leaves what was there before.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
            temps.append((temp, target))
            with temp.open("xb") as out:  # mode 0o666 less the umask, like any new file
                out.write(data)
        for temp, target in temps:
            temp.replace(target)
    except OSError as e:
        raise RedactorError(f"Cannot write {e.filename or 'the output'}: {e.strerror}.") from e
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)


def redact_file(task: Task, redact: Callable[[bytes], RedactionResult]) -> Outcome:
    """Redact one file and write its output (and its anonymized text beside it, if asked for); errors propagate."""
    result = redact(read_input(task.source))
    files = [(task.target, result.data)]
    if result.analysis.anonymized_text is not None:
        files.append((text_path(task.target), result.analysis.anonymized_text.encode()))
    write_atomically(files)
    verification = result.verification
    remaining = None if verification is None else len(verification.entities_remaining + verification.objects_remaining)
    return Outcome(task, len(result.analysis.pages), result.analysis.found, result.regions, remaining)


def _guarded(task: Task, redact: Callable[[bytes], RedactionResult]) -> Outcome:
    try:
        return redact_file(task, redact)
    except RedactorError as e:
        return Outcome(task, error=e)
    except Exception:
        log.exception("internal error while redacting a file")
        return Outcome(task, error=RedactorError("Unexpected failure (see log)."))


def run_tasks(
    tasks: Sequence[Task], redact: Callable[[bytes], RedactionResult], *, jobs: int, fail_fast: bool
) -> Iterator[Outcome]:
    """Outcomes in the order files finish, ``jobs`` files at a time; a failure stops the rest only with ``fail_fast``.

    Files not started when the run stops are never read; the ones running finish (each writes whole or not at all).
    """
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="redactor-cli") as pool:
        futures = [pool.submit(_guarded, task, redact) for task in tasks]
        try:
            for future in as_completed(futures):
                outcome = future.result()
                yield outcome
                if fail_fast and outcome.error is not None:
                    return
        finally:
            for future in futures:
                future.cancel()


def describe(outcome: Outcome) -> str:
    """One line for a file: where it went and what was painted, or its error's code and message."""
    task = outcome.task
    if outcome.error is not None:
        return f"{task.source}: {outcome.error.code}: {outcome.error.message}"
    line = f"{task.source} -> {task.target}: {outcome.regions} regions, {outcome.found} entities"
    if outcome.remaining is not None:
        line += f", verification {'passed' if outcome.remaining == 0 else f'found {outcome.remaining} still readable'}"
    return line


def exit_code(outcomes: Sequence[Outcome]) -> int:
    """0 when every file was redacted (and passed --verify), else the highest exit code among the failures.

    A file whose output verification still read PII in counts as a failure with ``still_readable``.
    """
    codes = [o.error.exit_code for o in outcomes if o.error is not None]
    codes += [ExitCode.still_readable for o in outcomes if o.remaining]
    return int(max(codes, default=ExitCode.ok))


def summarize(plan: Plan, outcomes: Sequence[Outcome], seconds: float) -> list[str]:
    """The run's closing lines: counts, then each failed file with its error's code and message."""
    done = [o for o in outcomes if o.error is None]
    failed = sorted((o for o in outcomes if o.error is not None), key=lambda o: str(o.task.source))
    counts = [
        f"{len(done)} of {len(plan.tasks)} files redacted ({sum(o.pages for o in done)} pages, "
        f"{sum(o.found for o in done)} entities, {sum(o.regions for o in done)} regions painted)",
        f"{len(failed)} failed",
        f"{len(plan.skipped)} skipped (hidden, or not an image or PDF)",
    ]
    if len(outcomes) < len(plan.tasks):
        counts.append(f"{len(plan.tasks) - len(outcomes)} not run (--fail-fast)")
    return [", ".join(counts) + f" in {seconds:.1f} s", *(f"failed: {describe(o)}" for o in failed)]


def summary_dict(plan: Plan, outcomes: Sequence[Outcome], seconds: float) -> dict[str, object]:
    """The summary as JSON data for ``--summary-json``: every file's outcome, the skipped files, the exit code."""
    order = {task: index for index, task in enumerate(plan.tasks)}
    files: list[dict[str, object]] = []
    for o in sorted(outcomes, key=lambda o: order[o.task]):
        entry: dict[str, object] = {"input": str(o.task.source)}
        if o.error is None:
            entry |= {"output": str(o.task.target), "pages": o.pages, "entities": o.found, "regions": o.regions}
        else:
            entry |= {"error": {"code": o.error.code, "message": o.error.message}}
        files.append(entry)
    return {
        "files": files,
        "redacted": sum(o.error is None for o in outcomes),
        "failed": sum(o.error is not None for o in outcomes),
        "not_run": len(plan.tasks) - len(outcomes),
        "skipped": [str(path) for path in plan.skipped],
        "seconds": round(seconds, 3),
        "exit_code": exit_code(outcomes),
    }
