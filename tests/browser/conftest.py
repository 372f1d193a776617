"""Real-browser tests: Playwright's sync API driving Debian's Chromium against ``live_server``.

The browser is never downloaded: Playwright launches the system Chromium at
:data:`CHROMIUM` (``apt-get install chromium`` on Debian). Without it, or without the
``playwright`` package, the tests skip; with ALMA_REQUIRE_SERVICES=1 (CI) they fail instead.

Playwright's sync API keeps an asyncio event loop running in the test's thread while it is
started, and Django refuses ORM calls from a thread with a running loop
(``SynchronousOnlyOperation``). The ``browser`` fixture allows them with
DJANGO_ALLOW_ASYNC_UNSAFE only while Playwright runs: the test's own ORM calls are plain
synchronous code, nothing runs concurrently with them in this thread. While Playwright runs,
these calls use database connections of their own (see the fixture), committed at once: the
tests are transactional anyway, as ``live_server`` needs.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections

from tests.conftest import _unavailable

CHROMIUM = "/usr/bin/chromium"
# Headless, as root (no sandbox), with nothing that phones home: this machine (and CI) refuses
# Chromium's background connections, and they would only slow the tests down.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's per-action timeout; a test takes about 10 s, so a missing element fails fast.
TIMEOUT_MS = 15_000


def _browser_unavailable_reason():
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401 (only checks that it imports)
    except ImportError as exc:
        return f"playwright is not installed ({exc}; pip install -e '.[dev]')"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and (reason := _browser_unavailable_reason()):
        _unavailable(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # A failed browser test leaves a screenshot of the page as the failure saw it (the page
    # is still open: fixtures are torn down after this report).
    session = getattr(item, "funcargs", {}).get("browser")
    if report.when == "call" and report.failed and isinstance(session, BrowserSession):
        report.sections.append(("screenshot", session.screenshot("failure.png")))
    return report


@dataclass
class BrowserSession:
    """A Playwright ``page`` in a fresh Chromium, and what went wrong in it beyond what a test
    looks at: server errors and missing static files (``failed_responses``, as
    "500 GET http://...") and uncaught JavaScript errors (``page_errors``)."""

    page: object
    artifacts_dir: Path
    failed_responses: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)

    def record_response(self, response):
        if response.status >= 500 or (response.status >= 400 and "/static/" in response.url):
            self.failed_responses.append(
                f"{response.status} {response.request.method} {response.url}"
            )

    def screenshot(self, name):
        """Save a full-page screenshot as ``artifacts_dir/name``; return a line saying where
        (or why not)."""
        path = self.artifacts_dir / name
        try:
            self.page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # a crashed page must not hide the test's own failure
            return f"no screenshot: {exc}"
        return f"{path} (of {self.page.url})"


@pytest.fixture
def browser(live_server, monkeypatch, tmp_path):
    """A :class:`BrowserSession` on ``live_server`` (relative URLs go there). On failure a
    full-page screenshot is saved in the test's ``tmp_path`` and its path shown in the report."""
    # Imported here: without playwright the tests skip (or fail in CI) instead of the whole
    # directory failing to import.
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = chromium.new_context(
                base_url=live_server.url, viewport={"width": 1400, "height": 1000}, locale="en"
            )
            context.set_default_timeout(TIMEOUT_MS)
            session = BrowserSession(page=context.new_page(), artifacts_dir=tmp_path)
            session.page.on("response", session.record_response)
            session.page.on("pageerror", lambda error: session.page_errors.append(str(error)))
            yield session
            context.close()
        finally:
            chromium.close()
            # With Playwright's loop running, Django keeps this thread's database connections
            # apart from the usual ones (asgiref's Local acts per context then): close them
            # while it runs, or they stay open and block dropping the test database.
            connections.close_all()
    finally:
        playwright.stop()
