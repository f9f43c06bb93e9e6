"""Playwright fixtures: Debian's Chromium (never a downloaded browser), one per test.

``open_app`` gives a fresh browser context (its own storage, so its own login)
with the app loaded. Browser notifications are recorded in ``window.__notes`` instead
of being shown, so tests can see which ones the app decided to show; with
``record_notifications=False`` the browser has no permission and the app shows its
in-page notices instead. ``clock=`` starts the browser's time at a moment (a test whose
server runs on a FakeClock shows the same day), ``timezone_id=`` sets the viewer's zone.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from tests.helpers import Server

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Replaces the Notification API with a recorder that behaves as if permission was granted.
RECORD_NOTIFICATIONS = """
(() => {
  window.__notes = [];
  class RecordedNotification {
    constructor(title, options = {}) {
      window.__notes.push({ title, body: options.body || "", tag: options.tag || "" });
      this.onclick = null;
    }
    close() {}
    static requestPermission() { return Promise.resolve("granted"); }
  }
  RecordedNotification.permission = "granted";
  window.Notification = RecordedNotification;
})();
"""

OpenApp = Callable[..., Awaitable[Page]]


async def sign_in(context: BrowserContext, url: str, token: str) -> None:
    """Sign the browser in as our pages' login does (an API login's token in the session
    cookie, chatserver/api/web_session.py), without going through the login form."""
    await context.add_cookies([{"name": "chat_session", "value": token, "url": url, "httpOnly": True,
                                "sameSite": "Strict"}])


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium(timeout=10_000) as launched:
        yield launched


@contextlib.asynccontextmanager
async def chromium(*, timeout: int, extra_args: tuple[str, ...] = ()) -> AsyncIterator[Browser]:
    """Debian's Chromium under Playwright (browsers are never downloaded)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise RuntimeError(
            "Chromium is not installed: apt-get install chromium (browsers are never downloaded)"
        )
    expect.set_options(timeout=timeout)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def open_app(browser: Browser, server: Server) -> AsyncIterator[OpenApp]:
    contexts: list[BrowserContext] = []

    async def open_(locale: str = "en-US", *, record_notifications: bool = True, clock: datetime | None = None,
                    **options: Any) -> Page:
        options.setdefault("viewport", {"width": 1280, "height": 860})
        context = await browser.new_context(locale=locale, **options)
        contexts.append(context)
        if record_notifications:
            await context.add_init_script(RECORD_NOTIFICATIONS)
        if clock is not None:  # the browser's time starts there and runs on (timers too)
            await context.clock.install(time=clock)
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        await page.goto(server.url + "/app")
        return page

    yield open_
    for context in contexts:
        await context.close()
