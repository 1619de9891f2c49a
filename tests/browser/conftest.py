"""Fixtures for the browser tests: live servers, Debian's Chromium, axe-core and screenshots.

The tests need /usr/bin/chromium (Debian package ``chromium``) and axe-core from
``npm ci``. Without them every test here is skipped with the reason, unless
``ILS_BROWSER_TESTS=required`` is set (as CI does): then each test errors instead.
``make browser-deps`` installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import BrowserContext, Page
from werkzeug.serving import make_server

from config import BASE_DIR
from tests.conftest import make_app

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = BASE_DIR / "test-artifacts" / "browser"
REQUIRED_SETTING = "ILS_BROWSER_TESTS"
PAGE_TIMEOUT_MS = 5_000

# One stored nomination per client address a day: the next POST gets the "try again later" page.
LOW_NOMINATION_LIMIT = "1 per day"


def missing_prerequisites() -> list[str]:
    """Return what the browser tests need and this machine lacks, each with where it comes from."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(
            f"{CHROMIUM} not found (Debian packages chromium, fonts-noto-core, fonts-noto-cjk)"
        )
    if not AXE_SCRIPT.exists():
        missing.append(f"{AXE_SCRIPT.relative_to(BASE_DIR)} not found (npm ci)")
    return missing


@pytest.fixture(scope="session", autouse=True)
def _browser_prerequisites() -> None:
    """Skip every browser test when Chromium or axe-core is missing, or fail when required."""
    missing = missing_prerequisites()
    if not missing:
        return
    problem = "; ".join(missing) + ". Run make browser-deps to install them"
    if os.environ.get(REQUIRED_SETTING) == "required":
        pytest.fail(f"{REQUIRED_SETTING}=required, but {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium, because Playwright's own browser downloads are not used."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    """Wait at most 5 s for an element or a page: the server is local, so more means a failure."""
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    return context


def _serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1 in a thread and yield its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _live_app(database_url: str, **overrides) -> Flask:
    """Create an app for a real browser, with CSRF checks on.

    Without ``SERVER_NAME`` (the suite sets "localhost"), full URLs use the address the
    browser requested, 127.0.0.1 and the server's port.
    """
    return make_app(database_url, WTF_CSRF_ENABLED=True, SERVER_NAME=None, **overrides)


@pytest.fixture(scope="session")
def base_url(app, database_url) -> Iterator[str]:
    """Return the address of the live server that Playwright's pages open relative URLs on.

    It depends on ``app``, which migrates and seeds the test database, and so brings the
    per-test emptying of the program tables from tests/conftest.py to every browser test.
    """
    yield from _serve(_live_app(database_url))


@pytest.fixture(scope="session")
def rate_limited_url(app, database_url) -> Iterator[str]:
    """Return the address of a second live server whose nomination limit is one a day."""
    limited = _live_app(
        database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        ILS_NOMINATION_RATE_LIMIT=LOW_NOMINATION_LIMIT,
    )
    yield from _serve(limited)


@pytest.fixture(scope="session")
def axe_script() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def translate(app) -> Callable[..., str]:
    """Return a function that translates an English message with the app's catalogs."""

    def translate_message(language: str, message: str, **variables) -> str:
        with app.test_request_context(), force_locale(language):
            return gettext(message, **variables)

    return translate_message


@pytest.fixture(scope="session", autouse=True)
def _screenshot_dir() -> Path:
    """Empty the screenshot folder before the first browser test, removing old screenshots."""
    shutil.rmtree(SCREENSHOT_DIR, ignore_errors=True)
    SCREENSHOT_DIR.mkdir(parents=True)
    return SCREENSHOT_DIR


@pytest.fixture
def save_screenshot(request, _screenshot_dir: Path) -> Callable[[Page, str, str], Path]:
    """Return a function that saves a full-page screenshot named by test, view and language."""
    test_name = request.node.originalname

    def save(page: Page, view: str, language: str) -> Path:
        name = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{test_name}-{view}-{language}")
        path = _screenshot_dir / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return save
