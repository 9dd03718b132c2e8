"""End-to-end fixtures for the review page: a real `redactor serve`, headless Debian Chromium via Playwright.

The tests skip, saying why, when Playwright or Chromium is missing (scripts/install_browser.sh installs
Chromium; Playwright comes with the dev extra). Screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving import free_port, redactor_serve

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "web"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# Plans of the e2e service: pro for the happy paths, the others to provoke each plan error.
E2E_PLANS = """
tokens: {per_call: 2, per_page: 1, per_1000_characters: 6, per_entity: 0.2, minimum: 1}
demo_plan: pro
plans:
  pro:   {title: Pro, image_redaction: true, max_file_bytes: 10000000, max_pixels: 80000000, max_pages: 20,
          monthly_tokens: 100000, requests_per_minute: 1000}
  free:  {title: Free, image_redaction: false, max_file_bytes: 2000000, max_pixels: 25000000, max_pages: 1,
          monthly_tokens: 10000, requests_per_minute: 1000}
  small: {title: Small, image_redaction: true, max_file_bytes: 60000, max_pixels: 1000000, max_pages: 2,
          monthly_tokens: 10000, requests_per_minute: 1000}
  tiny:  {title: Tiny, image_redaction: true, max_file_bytes: 10000000, max_pixels: 80000000, max_pages: 20,
          monthly_tokens: 3, requests_per_minute: 1000}
"""


def chromium_path() -> str | None:
    """Debian's Chromium (or REDACTOR_CHROMIUM), None when absent."""
    for candidate in (os.environ.get("REDACTOR_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ours = [item for item in items if {"browser", "make_tab"} & set(getattr(item, "fixturenames", ()))]
    if not ours:
        return
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright is not installed (pip install -e '.[dev]')"
    if reason is None and chromium_path() is None:
        reason = "Chromium not found at /usr/bin/chromium (run scripts/install_browser.sh, or set REDACTOR_CHROMIUM)"
    if reason:
        for item in ours:
            item.add_marker(pytest.mark.skip(reason=f"web e2e: {reason}"))


# ----------------------------------------------------------------------------------------- the service


@dataclass
class Server:
    url: str
    db_url: str
    plans_file: Path
    log: Path
    keys: dict[str, str] = field(default_factory=dict)

    def key(self, plan: str = "pro") -> str:
        """A key on ``plan``, made once with `redactor keys create` like an operator would."""
        if plan not in self.keys:
            done = subprocess.run(
                [sys.executable, "-m", "redactor", "keys", "create", "--plan", plan, "--name", f"e2e-{plan}"],
                env=_env(self.db_url, self.plans_file),
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            self.keys[plan] = done.stdout.strip()
        return self.keys[plan]

    def usage(self, plan: str = "pro") -> dict[str, Any]:
        response = httpx.get(f"{self.url}/v1/usage", headers={"X-API-Key": self.key(plan)}, timeout=10)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def analyze(self, image: bytes, filename: str = "letter.png", plan: str = "pro") -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/v1/analyze-image",
            files={"image": (filename, image)},
            headers={"X-API-Key": self.key(plan)},
            timeout=60,
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


def _env(db_url: str, plans_file: Path) -> dict[str, str]:
    return {**os.environ, "REDACTOR_DATABASE_URL": db_url, "REDACTOR_PLANS_FILE": str(plans_file)}


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`redactor serve` on a free loopback port, with its own SQLite database and plans."""
    tmp = tmp_path_factory.mktemp("web-e2e")
    plans_file = tmp / "plans.yaml"
    plans_file.write_text(E2E_PLANS)
    db_url = f"sqlite:///{tmp / 'e2e.db'}"
    port = free_port()
    log = tmp / "server.log"
    srv = Server(f"http://127.0.0.1:{port}", db_url, plans_file, log)
    srv.key("pro")  # an active key before start: no demo key is made
    with redactor_serve(port, workers=2, env=_env(db_url, plans_file), cwd=tmp, log=log):
        yield srv


# ----------------------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    assert path is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Tab:
    """A page of the site in a fresh browser context, with the console problems it logged."""

    page: Any
    server: Server
    problems: list[str]

    def open(self, key: str | None = None) -> None:
        self.page.goto(self.server.url + "/")
        self.page.wait_for_selector("#entity-list input[type=checkbox]", state="attached")
        if key is not None:
            self.page.fill("#api-key", key)
            self.page.click("#use-key")
            self.page.wait_for_selector("#account:not([hidden])")

    def add_files(self, *files: tuple[str, str, bytes]) -> None:
        self.page.set_input_files(
            "#file-input", files=[{"name": name, "mimeType": mime, "buffer": data} for name, mime, data in files]
        )

    def card(self, name: str) -> Any:
        return self.page.locator("li.file", has=self.page.locator(".file-name", has_text=name))

    def wait_status(self, name: str, status: str, timeout: float = 60_000) -> Any:
        card = self.card(name)
        card.and_(self.page.locator(f"li.file[data-status={status}]")).wait_for(timeout=timeout)
        return card

    def files(self) -> list[dict[str, Any]]:
        files: list[dict[str, Any]] = self.page.evaluate("window.redactorPage.files()")
        return files

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def make_tab(browser: Any, server: Server) -> Iterator[Callable[..., Tab]]:
    """``make_tab(**context_options) -> Tab``; fails the test if the page logged a script error."""
    contexts: list[Any] = []
    tabs: list[Tab] = []

    def make(**options: Any) -> Tab:
        context = browser.new_context(accept_downloads=True, **(options or DESKTOP))
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []

        def on_console(message: Any) -> None:
            # The API's own 4xx answers are logged by Chromium as failed resources: expected in error tests.
            if message.type == "error" and "Failed to load resource" not in message.text:
                problems.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        tab = Tab(page, server, problems)
        tabs.append(tab)
        return tab

    yield make
    try:
        for tab in tabs:
            assert tab.problems == [], f"the page logged errors: {tab.problems}"
    finally:
        for context in contexts:
            context.close()
