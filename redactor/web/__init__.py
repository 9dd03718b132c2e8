"""The review page: static files served at ``/`` (the page) and ``/web/<file>`` (its script and styles).

The page is plain HTML, CSS and JavaScript (no build step) and calls only the public API with the
user's key. Only the files listed in ``FILES`` are served, so nothing else in this folder (or
outside it) can be reached, and every other path keeps the API's own 404/405 problem answers.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

HERE = Path(__file__).resolve().parent

FILES = {
    "app.js": "text/javascript; charset=utf-8",
    "zip.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

# The page handles an API key and private documents: it loads nothing from elsewhere and may not be framed.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
async def page() -> FileResponse:
    """The review page."""
    return FileResponse(HERE / "index.html", media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)


@router.get("/web/{name}")
async def asset(name: str) -> FileResponse:
    """One of the page's files; anything else is 404."""
    media_type = FILES.get(name)
    if media_type is None:
        raise HTTPException(status_code=404)
    return FileResponse(HERE / name, media_type=media_type, headers=SECURITY_HEADERS)
