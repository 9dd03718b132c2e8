"""Guard test: no document text or entity value reaches the logs or error messages, even at DEBUG."""

from __future__ import annotations

import logging

import pytest

from redactor.engine import ocr
from redactor.engine.models import RedactOptions
from redactor.engine.pipeline import redact
from redactor.errors import OcrError, RedactorError

NAME = "Jonathan Pemberton"
EMAIL = "j.pemberton@example.com"
PHONE = "+1 212 555 0187"
SECRETS = [NAME, "Pemberton", EMAIL, "pemberton@", "212 555 0187", "5550187", "Springfield", "Maple Street"]
LINES = ["Invoice 4471", f"Name: {NAME}", f"Email: {EMAIL}", f"Phone: {PHONE}", "Address: 42 Maple Street, Springfield"]


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = [caplog.text]
    for record in caplog.records:
        parts += [record.getMessage(), repr(record.args), str(record.exc_text or "")]
    return "\n".join(parts)


def assert_nothing_leaked(text: str) -> None:
    squashed = text.replace(" ", "").lower()
    for secret in SECRETS:
        assert secret.replace(" ", "").lower() not in squashed, f"{secret!r} reached the log"


@pytest.fixture
def document(render) -> bytes:
    return render(LINES, size=(900, 330)).encode("PNG")


def test_no_pii_in_debug_logs_of_a_redaction(engine, document: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="redactor")
    result = redact(document, RedactOptions(verify=True), engine=engine)
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER"} <= {e.entity_type for e in result.entities}  # PII was handled
    assert caplog.records  # DEBUG capture is live (Pillow logs its chunks at DEBUG)
    assert_nothing_leaked(logged_text(caplog))


def test_the_capture_would_see_a_leak(engine, document: bytes, caplog: pytest.LogCaptureFixture) -> None:
    """Control: Presidio logs its context words at DEBUG; the engine keeps its logger at ERROR for this reason."""
    presidio = logging.getLogger("presidio-analyzer")
    assert presidio.getEffectiveLevel() >= logging.WARNING
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="presidio-analyzer")  # undone by caplog after the test
    redact(document, engine=engine)
    with pytest.raises(AssertionError, match="reached the log"):
        assert_nothing_leaked(logged_text(caplog))


def test_no_pii_in_logs_or_messages_when_ocr_fails(engine, document: bytes, caplog, monkeypatch) -> None:
    real = ocr.read_words
    calls = []

    def fail_on_verification(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise OcrError()
        return real(*args, **kwargs)

    monkeypatch.setattr(ocr, "read_words", fail_on_verification)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(RedactorError) as info:
        redact(document, RedactOptions(verify=True), engine=engine)
    assert_nothing_leaked(logged_text(caplog) + info.value.message + str(info.value))


def test_cli_verbose_redact_logs_no_pii(engine, render, tmp_path, caplog, capsys) -> None:
    from redactor.cli import main

    source = tmp_path / "letter.png"
    source.write_bytes(render(LINES, size=(900, 330)).encode("PNG"))
    caplog.set_level(logging.DEBUG)
    assert main(["-v", "redact", str(source), "-o", str(tmp_path / "out.png"), "--verify"]) == 0
    captured = capsys.readouterr()
    assert_nothing_leaked(logged_text(caplog) + captured.out + captured.err)
