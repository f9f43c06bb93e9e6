"""Fixtures for the live-chat browser tests: Debian's Chromium, a second origin serving
pages with the embed snippet, and a tenant with a key-user, a site and an operator.

The site's pages are served by a tiny ``http.server`` on another port of 127.0.0.1: a
different origin from the chat server, as a customer's web site is. A second page server
on yet another port plays a site that is not among the site's allowed origins.
"""

from __future__ import annotations

import html
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import artifacts, browser  # noqa: F401 (fixtures: one Chromium setup for every screen)
from tests.helpers import PASSWORD, Server, make_tenant, make_user

# Records browser notifications in window.__notes instead of showing them.
RECORD_NOTIFICATIONS = """
(() => {
  window.__notes = [];
  class RecordedNotification {
    constructor(title, options = {}) {
      window.__notes.push({ title, body: options.body || "" });
      this.onclick = null;
    }
    close() {}
    static requestPermission() { return Promise.resolve("granted"); }
  }
  RecordedNotification.permission = "granted";
  window.Notification = RecordedNotification;
})();
"""

# A host page that tries hard to break embedded widgets: the Shadow DOM must shrug it off.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
  body {{ font: 40px/3 serif; color: hotpink; }}
  button, input, textarea, form, ol, li, p {{ display: none !important; color: red !important; }}
  div {{ position: static !important; background: yellow !important; }}
</style></head>
<body>
  <h1>{title}</h1>
  <a href="/other.html" data-testid="to-other">Other page</a>
  <a href="/index.html" data-testid="to-index">Home</a>
  {snippet}
</body></html>
"""


class SitePages:
    """Serves index.html and other.html with a snippet, from its own port (its own origin)."""

    def __init__(self) -> None:
        self.snippet = ""
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                name = self.path.split("?")[0].strip("/") or "index.html"
                if name not in ("index.html", "other.html"):
                    self.send_error(404)
                    return
                title = "Vacatures" if name == "index.html" else "Over ons"
                data = PAGE.format(title=html.escape(title), snippet=pages.snippet).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="site-pages", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def site_pages() -> Iterator[SitePages]:
    pages = SitePages()
    yield pages
    pages.close()


@pytest.fixture
def foreign_pages() -> Iterator[SitePages]:
    """Pages of an origin that is not among the site's allowed origins."""
    pages = SitePages()
    yield pages
    pages.close()


OpenPage = Callable[..., Awaitable[Page]]


@pytest.fixture
async def open_page(browser: Browser) -> AsyncIterator[OpenPage]:  # noqa: F811 (the imported fixture)
    """A page in a fresh browser context (own storage: another person, another browser)."""
    contexts: list[BrowserContext] = []

    async def open_(url: str | None, locale: str = "en-US") -> Page:
        context = await browser.new_context(locale=locale, viewport={"width": 1280, "height": 860})
        contexts.append(context)
        await context.add_init_script(RECORD_NOTIFICATIONS)
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        if url is not None:
            await page.goto(url)
        return page

    yield open_
    for context in contexts:
        await context.close()


@dataclass
class LiveChat:
    tenant: dict[str, Any]
    key: Any  # ChatClient of the key-user
    site: dict[str, Any]
    operators: list[Any] = field(default_factory=list)

    async def make_operator(self, server: Server, name: str) -> Any:
        op = await make_user(server, self.tenant, name, function="Operator")
        for setting in ("livechat.enabled", "livechat.reachable"):
            await self.key.rest("PUT", f"/api/users/{op.user['id']}/settings/{setting}", {"value": True})
        self.operators.append(op)
        return op


@pytest.fixture
async def livechat(server: Server, site_pages: SitePages) -> LiveChat:
    tenant = await make_tenant(server, "uitzendbureau")
    key = await make_user(server, tenant, "Kees Keyuser", role="key_user")
    site = await key.rest(
        "POST",
        "/api/livechat/sites",
        {
            "name": "Job Genius",
            "origins": [site_pages.origin],
            "greeting": {"nl": "Welkom bij Job Genius!", "en": "Welcome at Job Genius!"},
        },
    )
    # The page carries the snippet the console shows for copying.
    site_pages.snippet = site["snippet"]
    return LiveChat(tenant=tenant, key=key, site=site)


async def console_login(page: Page, tenant: str, username: str, online: bool = True) -> None:
    """Log in to the console at /console; optionally set availability to online."""
    await page.get_by_test_id("login-tenant").fill(tenant)
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill(PASSWORD)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("console")).to_be_visible()
    await expect(page.get_by_test_id("console")).to_have_attribute("data-ready", "true")
    await expect(page.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    toggle = page.get_by_test_id("availability")
    if (await toggle.get_attribute("data-online") == "true") != online:
        await toggle.click()
    await expect(toggle).to_have_attribute("data-online", "true" if online else "false")


async def shoot(page: Page, artifacts: Path, name: str) -> None:  # noqa: F811 (a path, not the fixture)
    await page.screenshot(path=str(artifacts / f"{name}.png"))
