"""The engine works with no network: a fresh interpreter whose sockets refuse to connect redacts an e-mail.

Every connection attempt is recorded, so the test fails if anything merely *tries* the network
(tldextract refreshing its public-suffix list would fall back silently, and still be caught here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

GUARD = textwrap.dedent(
    """
    import socket

    ATTEMPTS = []


    def refuse(*args, **kwargs):
        ATTEMPTS.append(repr(args[1:3] if args and isinstance(args[0], socket.socket) else args[:2]))
        raise OSError("network disabled by test_offline")


    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.socket.sendto = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.gethostbyname = refuse
    socket.gethostbyname_ex = refuse
    """
)

SCRIPT = GUARD + textwrap.dedent(
    """
    import io, json, sys
    from PIL import Image, ImageDraw, ImageFont

    font_path = sys.argv[1]
    font = ImageFont.truetype(font_path, 32) if font_path else ImageFont.load_default(size=32)
    image = Image.new("RGB", (700, 140), "white")
    draw = ImageDraw.Draw(image)
    draw.text((30, 25), "Invoice 2291", font=font, fill="black")
    draw.text((30, 80), "Email: jane.doe@example.co.uk", font=font, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")

    from redactor.engine.pipeline import redact

    result = redact(buffer.getvalue())
    during = list(ATTEMPTS)

    # Control: the guard does see a library that wants the network (tldextract's default extractor).
    import tldextract
    tldextract.TLDExtract(cache_dir=None)("www.example.co.uk")

    print(json.dumps({
        "entities": [[e.entity_type, e.text] for e in result.entities],
        "attempts_during_redact": during,
        "control_attempts": len(ATTEMPTS) - len(during),
    }))
    """
)


@pytest.mark.tesseract
def test_redaction_needs_no_network(tmp_path: Path, font_path: Path | None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDACTOR_", "TLDEXTRACT_"))}
    # A fresh HOME and cache: no public-suffix list fetched by an earlier run can hide an attempt.
    env |= {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "TLDEXTRACT_CACHE": str(tmp_path / "tld")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(font_path or "")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert ["EMAIL_ADDRESS", "jane.doe@example.co.uk"] in report["entities"]
    assert report["attempts_during_redact"] == []
    assert report["control_attempts"] > 0  # the guard works: a library that does fetch is caught
    assert not (tmp_path / "tld").exists() or not any((tmp_path / "tld").rglob("*.tld_set*"))
