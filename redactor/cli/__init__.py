"""Command line: ``analyze``, ``redact``, ``check``, ``serve``, ``worker`` and ``keys``; errors become exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from redactor.cli.batch import (
    Outcome,
    Plan,
    Task,
    check_targets,
    describe,
    exit_code,
    plan_folder,
    read_input,
    redact_file,
    run_tasks,
    summarize,
    summary_dict,
    write_atomically,
)
from redactor.cli.options import add_options, options_from, regions_from
from redactor.errors import ExitCode, InputError, RedactorError
from redactor.service.options import AnalyzeOptions, RedactRequestOptions

if TYPE_CHECKING:
    from redactor.engine.models import RedactionResult
    from redactor.service.config import Settings
    from redactor.service.store import Store

log = logging.getLogger("redactor")


class _Parser(argparse.ArgumentParser):
    """Usage errors exit with ``bad_args`` (1), not argparse's 2, which means a bad input file here."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitCode.bad_args, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = _Parser(prog="redactor", description="Find and paint out PII in document images.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True)

    analyze = commands.add_parser("analyze", help="list the PII found in an image")
    analyze.add_argument("file", type=Path)
    analyze.add_argument("--json", action="store_true", help="print the full analysis as JSON")
    add_options(analyze, AnalyzeOptions)

    redact = commands.add_parser("redact", help="paint out PII in files or folders; same format out")
    redact.add_argument("files", type=Path, nargs="+", metavar="PATH", help="image or PDF files, or folders")
    target = redact.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, help="output file, or folder if the one input is a folder")
    target.add_argument("--out-dir", type=Path, help="folder for outputs: same names, folders' sub-folders kept")
    redact.add_argument("--jobs", type=_positive, default=1, help="files redacted at once (default 1)")
    redact.add_argument("--fail-fast", action="store_true", help="stop at the first file that fails")
    redact.add_argument("--summary-json", type=Path, metavar="FILE", help="also write the run's summary as JSON")
    add_options(redact, RedactRequestOptions)

    commands.add_parser("check", help="check that Tesseract, languages and the spaCy model load")

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="OCR worker threads (default: CPU count)")

    worker = commands.add_parser(
        "worker", help="run a scale-out job worker (REDACTOR_JOBS_ENGINE=dramatiq, REDACTOR_REDIS_URL)"
    )
    worker.add_argument("--threads", type=int, default=None, help="jobs run at once (default: CPUs)")

    keys = commands.add_parser("keys", help="manage API keys of the HTTP service (REDACTOR_DATABASE_URL)")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create a key and print it (shown once)")
    create.add_argument("--plan", required=True, help="plan name from plans.yaml (free, basic, pro, business)")
    create.add_argument("--name", required=True, help="account name")
    key_commands.add_parser("list", help="list keys (never their secrets)")
    revoke = key_commands.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id", help="key id as shown by `keys list` (key_...)")
    hook = key_commands.add_parser("set-webhook", help="register a key's webhook URL; prints its secret (shown once)")
    hook.add_argument("key_id", help="key id as shown by `keys list` (key_...)")
    hook.add_argument("url", nargs="?", help="http(s) URL receiving the job deliveries")
    hook.add_argument("--remove", action="store_true", help="remove the key's webhook instead")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _run_analyze(args: argparse.Namespace) -> int:
    from redactor.engine.pipeline import analyze, default_engine

    options = options_from(AnalyzeOptions, args).to_redact_options()
    result = analyze(read_input(args.file), options, engine=default_engine())
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        for e in result.entities:
            box = e.bbox
            print(f"{e.entity_type:<18} {e.score:.2f}  p{e.page} ({box.x0},{box.y0})-({box.x1},{box.y1})  {e.text!r}")
        print(f"{len(result.entities)} entities", file=sys.stderr)
    return ExitCode.ok


def _run_redact(args: argparse.Namespace) -> int:
    """One file raises its error as any command does; several files, a folder or --summary-json make a batch."""
    from functools import partial

    from redactor.engine.pipeline import default_engine, redact

    started = time.monotonic()
    if args.output and len(args.files) > 1:
        raise InputError("-o takes one input file or folder; use --out-dir for several.")
    one_file = len(args.files) == 1 and not args.files[0].is_dir()
    form = options_from(RedactRequestOptions, args)
    if one_file and args.output:
        plan = Plan((Task(args.files[0], args.output),), ())
        check_targets(plan.tasks, with_text=form.anonymize_text)
    else:
        plan = plan_folder(args.files, args.output or args.out_dir, with_text=form.anonymize_text)
    regions = regions_from(form)
    redact_bytes = partial(redact, options=form.to_redact_options(), engine=default_engine(), regions=regions)
    if one_file and not args.summary_json:
        print(describe(redact_file(plan.tasks[0], redact_bytes)), file=sys.stderr)
        return ExitCode.ok
    outcomes = _run_batch(plan, redact_bytes, jobs=args.jobs, fail_fast=args.fail_fast, verbose=args.verbose)
    seconds = time.monotonic() - started
    for line in summarize(plan, outcomes, seconds):
        print(line, file=sys.stderr)
    if args.summary_json:
        text = json.dumps(summary_dict(plan, outcomes, seconds), indent=2, ensure_ascii=False)
        write_atomically([(args.summary_json, text.encode())])
    return exit_code(outcomes)


def _run_batch(
    plan: Plan, redact_bytes: Callable[[bytes], RedactionResult], *, jobs: int, fail_fast: bool, verbose: bool
) -> list[Outcome]:
    """Run the plan with a progress bar on a terminal, else (or with -v) a line per file; failures always get one."""
    from tqdm import tqdm

    outcomes: list[Outcome] = []
    with tqdm(total=len(plan.tasks), unit="file", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        for outcome in run_tasks(plan.tasks, redact_bytes, jobs=jobs, fail_fast=fail_fast):
            outcomes.append(outcome)
            bar.set_postfix_str(outcome.task.source.name, refresh=False)
            bar.update()
            if outcome.error is not None or verbose or bar.disable:
                bar.write(describe(outcome), file=sys.stderr)
    return outcomes


def _run_check() -> int:
    from redactor.engine.pipeline import default_engine

    engine = default_engine()
    info = engine.tesseract
    print(f"tesseract {info.version}, {len(info.languages)} languages in {info.tessdata_dir}")
    print(f"spaCy model {engine.settings.spacy_model}; {len(engine.analyzer.entity_types)} entity types")
    return ExitCode.ok


def _run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from redactor.api.app import create_app
    from redactor.service.keys import ensure_demo_key

    app = create_app(workers=args.workers)
    services = app.state.services
    demo = ensure_demo_key(services.store, services.plans)
    if demo is not None:
        key, secret = demo
        print(f"No API key yet: created demo key {key.id} on plan '{key.plan}' (shown once):", flush=True)
        print(f"  export REDACTOR_KEY={secret}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, access_log=False)  # our log line replaces it
    return ExitCode.ok


def _run_keys(args: argparse.Namespace) -> int:
    from redactor.service import keys
    from redactor.service.config import get_settings
    from redactor.service.plans import load_plans
    from redactor.service.store import open_store

    settings = get_settings()
    store = open_store(settings.database_url)
    try:
        if args.keys_command == "create":
            key, secret = keys.create_key(store, load_plans(settings.plans_file), name=args.name, plan=args.plan)
            print(f"created {key.id} for {key.name!r} on plan '{key.plan}'; the key is shown once:", file=sys.stderr)
            print(secret)
        elif args.keys_command == "list":
            for key in store.keys.all():
                state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
                print(f"{key.id}  {key.plan:<10} {key.created_at:%Y-%m-%d %H:%M}  {state:<24} {key.name}")
        elif args.keys_command == "set-webhook":
            _set_webhook(store, settings, args)
        else:
            key = keys.revoke_key(store, args.key_id)
            print(f"{key.id} revoked ({key.name!r}, plan '{key.plan}')", file=sys.stderr)
    finally:
        store.close()
    return ExitCode.ok


def _set_webhook(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    from datetime import UTC, datetime

    from redactor.errors import InvalidOptionError
    from redactor.service.jobs.delivery import register_webhook
    from redactor.service.webhooks import parse_networks

    if store.keys.get(args.key_id) is None:
        raise InvalidOptionError(f"No key with id {args.key_id!r}; see `redactor keys list`.")
    if args.remove:
        removed = store.webhooks.delete(args.key_id)
        print(f"{args.key_id}: webhook {'removed' if removed else 'was not set'}", file=sys.stderr)
        return
    if not args.url:
        raise InvalidOptionError("Give the webhook URL, or --remove.")
    networks = parse_networks(settings.webhook_allow_networks)
    hook = register_webhook(store, args.key_id, args.url, allow_networks=networks, now=datetime.now(UTC))
    print(f"{args.key_id}: deliveries go to {hook.url}; the signing secret is shown once:", file=sys.stderr)
    print(hook.secret)


def _run_worker(args: argparse.Namespace) -> int:
    import signal
    import threading
    from datetime import UTC, datetime
    from functools import partial
    from types import FrameType

    from redactor.engine.pipeline import load_engine
    from redactor.service.config import get_settings
    from redactor.service.jobs import scaleout_context
    from redactor.service.jobs.scaleout import run_worker
    from redactor.service.plans import load_plans
    from redactor.service.store import open_store
    from redactor.service.workers import default_workers

    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger("dramatiq").setLevel(logging.WARNING)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: finishing the jobs running, then stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    settings = get_settings()
    plans = load_plans(settings.plans_file)
    store = open_store(settings.database_url)
    try:
        engine = load_engine(settings)
        clock = partial(datetime.now, UTC)
        ctx = scaleout_context(settings, store=store, plans=plans, clock=clock, role="worker", engine=engine)
        run_worker(ctx, threads=args.threads or settings.workers or default_workers(), stop=stop)
    finally:
        store.close()
    return ExitCode.ok


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a RedactorError prints its code and message and returns its exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        if args.command == "analyze":
            return _run_analyze(args)
        if args.command == "redact":
            return _run_redact(args)
        if args.command == "check":
            return _run_check()
        if args.command == "keys":
            return _run_keys(args)
        if args.command == "worker":
            return _run_worker(args)
        return _run_serve(args)
    except RedactorError as e:
        print(f"error: {e.code}: {e.message}", file=sys.stderr)
        return int(e.exit_code)
    except KeyboardInterrupt:
        return int(ExitCode.ctrl_c)
    except Exception:
        log.exception("internal error")
        print("error: internal_error: unexpected failure (see log)", file=sys.stderr)
        return int(ExitCode.other_error)
