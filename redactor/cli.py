"""Command line: ``redactor analyze``, ``redact``, ``check`` and ``serve``; errors become exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from redactor.errors import ExitCode, InputError, RedactorError
from redactor.models import AnalysisResult, RedactOptions

if TYPE_CHECKING:
    from redactor.config import Settings
    from redactor.store import Store

log = logging.getLogger("redactor")


def _comma_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _add_detection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", default="en", help="ISO (en, de) or Tesseract (eng, deu+eng) code")
    parser.add_argument("--entities", type=_comma_list, default=None, help="comma list of entity types")
    parser.add_argument("--threshold", type=float, default=0.3, help="minimum score, 0..1 (default 0.3)")
    parser.add_argument("--allow", action="append", default=[], help="term never redacted (repeatable)")
    parser.add_argument("--deny", action="append", default=[], help="term always redacted (repeatable)")
    parser.add_argument("--faces", action="store_true", help="also find faces")
    parser.add_argument("--humans", action="store_true", help="also find whole people")
    parser.add_argument("--plates", action="store_true", help="also find licence plates (needs the plates extra)")
    parser.add_argument("--method", choices=("fill", "blur"), default="fill", help="hide regions by fill or blur")
    parser.add_argument("--shape", choices=("rectangle", "mask"), default="rectangle", help="rectangle or soft mask")
    parser.add_argument("--blur-strength", type=float, default=30.0, help="0-100 (default 30)")
    parser.add_argument("--edge-blur", type=float, default=0.2, help="softness of a mask's edge, 0-1 (default 0.2)")


def _options(args: argparse.Namespace) -> RedactOptions:
    return RedactOptions(
        language=args.language,
        entities=args.entities,
        score_threshold=args.threshold,
        allow_list=tuple(args.allow),
        deny_list=tuple(args.deny),
        fill_color=getattr(args, "fill_color", "black"),
        verify=getattr(args, "verify", False),
        faces=args.faces,
        humans=args.humans,
        license_plates=args.plates,
        method=args.method,
        shape=args.shape,
        blur_strength=args.blur_strength,
        edge_blur=args.edge_blur,
    )


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
    _add_detection_options(analyze)

    redact = commands.add_parser("redact", help="paint out PII; same format out")
    redact.add_argument("files", type=Path, nargs="+")
    target = redact.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, help="output file (one input only)")
    target.add_argument("--out-dir", type=Path, help="directory for outputs, same file names")
    redact.add_argument("--fill-color", default="black", help="black, white, red, blue, green, yellow or #RRGGBB")
    redact.add_argument("--verify", action="store_true", help="OCR the output again and report what remains")
    _add_detection_options(redact)

    commands.add_parser("check", help="check that Tesseract, languages and the spaCy model load")

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="OCR worker threads (default: CPU count)")

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


def analysis_json(result: AnalysisResult) -> dict[str, object]:
    """The analysis as plain JSON data (the same shape the HTTP API answers)."""
    return {
        "entities": [
            {
                "entity_type": e.entity_type,
                "text": e.text,
                "score": e.score,
                "page": e.page,
                "bbox": e.bbox.as_dict(),
                "boxes": [b.as_dict() for b in e.boxes],
                "color": e.color,
            }
            for e in result.entities
        ],
        "objects": [
            {
                "entity_type": o.entity_type,
                "score": o.score,
                "page": o.page,
                "bbox": o.box.as_dict(),
                "normalized_bbox": o.normalized.as_dict(),
                "color": o.color,
            }
            for o in result.objects
        ],
        "ocr_text": result.ocr_text,
        "anonymized_text": result.anonymized_text,
        "image_dimensions": {"width": result.image_dimensions.width, "height": result.image_dimensions.height},
        "pages": len(result.pages),
        "characters_read": result.characters_read,
    }


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"Cannot read {path}: {e.strerror}.") from e


def _run_analyze(args: argparse.Namespace) -> int:
    from redactor.pipeline import analyze, default_engine
    from redactor.visual import with_visual

    result = analyze(_read(args.file), _options(args), engine=with_visual(default_engine()))
    if args.json:
        print(json.dumps(analysis_json(result), indent=2, ensure_ascii=False))
    else:
        for e in result.entities:
            box = e.bbox
            print(f"{e.entity_type:<18} {e.score:.2f}  p{e.page} ({box.x0},{box.y0})-({box.x1},{box.y1})  {e.text!r}")
        print(f"{len(result.entities)} entities", file=sys.stderr)
    return ExitCode.ok


def _run_redact(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from redactor.pipeline import default_engine, redact
    from redactor.visual import with_visual

    if args.output and len(args.files) > 1:
        raise InputError("-o takes one input file; use --out-dir for several.")
    if args.out_dir:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    options = _options(args)
    engine = with_visual(default_engine())
    worst = ExitCode.ok
    for path in tqdm(args.files, unit="file", disable=len(args.files) < 2 or not sys.stderr.isatty()):
        try:
            result = redact(_read(path), options, engine=engine)
        except RedactorError as e:
            if len(args.files) == 1:
                raise
            print(f"{path}: {e.code}: {e.message}", file=sys.stderr)
            worst = max(worst, e.exit_code)
            continue
        target = args.output or args.out_dir / path.name
        target.write_bytes(result.data)
        summary = f"{path} -> {target}: {result.regions} regions, {len(result.entities)} entities"
        if result.verification is not None:
            remaining = len(result.verification.entities_remaining)
            summary += f", verification {'passed' if remaining == 0 else f'found {remaining} still readable'}"
        print(summary, file=sys.stderr)
    return int(worst)


def _run_check() -> int:
    from redactor.pipeline import default_engine

    engine = default_engine()
    info = engine.tesseract
    print(f"tesseract {info.version}, {len(info.languages)} languages in {info.tessdata_dir}")
    print(f"spaCy model {engine.settings.spacy_model}; {len(engine.analyzer.entity_types)} entity types")
    return ExitCode.ok


def _run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from redactor.api.app import create_app
    from redactor.keys import ensure_demo_key

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
    from redactor import keys
    from redactor.config import get_settings
    from redactor.plans import load_plans
    from redactor.store import open_store

    settings = get_settings()
    store = open_store(settings.database_url)
    try:
        if args.keys_command == "create":
            key, secret = keys.create_key(store, load_plans(settings.plans_file), name=args.name, plan=args.plan)
            print(f"created {key.id} for {key.name!r} on plan '{key.plan}'; the key is shown once:", file=sys.stderr)
            print(secret)
        elif args.keys_command == "list":
            for key in store.list_keys():
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
    from redactor.jobs.delivery import register_webhook
    from redactor.webhooks import parse_networks

    if store.get_key(args.key_id) is None:
        raise InvalidOptionError(f"No key with id {args.key_id!r}; see `redactor keys list`.")
    if args.remove:
        removed = store.delete_webhook(args.key_id)
        print(f"{args.key_id}: webhook {'removed' if removed else 'was not set'}", file=sys.stderr)
        return
    if not args.url:
        raise InvalidOptionError("Give the webhook URL, or --remove.")
    networks = parse_networks(settings.webhook_allow_networks)
    hook = register_webhook(store, args.key_id, args.url, allow_networks=networks, now=datetime.now(UTC))
    print(f"{args.key_id}: deliveries go to {hook.url}; the signing secret is shown once:", file=sys.stderr)
    print(hook.secret)


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
