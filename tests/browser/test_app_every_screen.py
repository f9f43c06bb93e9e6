"""Every screen of the colleague app, walked on the seeded demo as its users would (issue 18):
at desktop and phone size, in Dutch and English, the viewer in Amsterdam at 00:30 while the
server's clock says 23:30 UTC. On each screen axe-core finds nothing serious or critical
(nor the two findings the issue named), nothing sticks out past the screen's right edge, and
a screenshot is kept in artifacts/. The screens: login, the list with a request, a
conversation, adding a contact, notification settings, the directory, a record, and every
SMS screen (list, new, a message, groups, subscriptions, dynamic groups, credits, the queue
as a colleague and as the SMS-admin)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.browser.test_app_accessibility import serious
from tests.browser.ui import log_in, shoot
from tests.helpers import Server, running_server

pytestmark = pytest.mark.browser

NOW = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # 00:30 on 7 December in Amsterdam
ZONE = "Europe/Amsterdam"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Visible elements whose right edge is past the window's (a phone would scroll sideways or cut them).
STICKING_OUT = """() => [...document.querySelectorAll('body *')].filter((e) => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.right > innerWidth + 1 && e.checkVisibility() && !e.closest('.sr-only');
}).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`)"""


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    config = Config(database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}", demo=True,
                    rate_per_second=1000, rate_burst=2000, time_zone=ZONE, media_dir=str(tmp_path / "media"),
                    password_hashing="cheapest")
    async with running_server(config, clock=FakeClock(NOW)) as demo:
        yield demo


@pytest.mark.parametrize(("size", "locale"), [("desktop", "en-GB"), ("desktop", "nl-NL"), ("phone", "en-GB"),
                                              ("phone", "nl-NL")], ids=["desktop-en", "desktop-nl", "phone-en", "phone-nl"])
async def test_every_screen_passes_axe_and_fits(server, open_app, artifacts, size, locale):
    page = await open_app(locale, viewport=SIZES[size], timezone_id=ZONE, clock=NOW)
    found: dict[str, Any] = {}
    n = 0

    async def look(name: str) -> None:
        nonlocal n
        n += 1
        found[name] = await serious(page)
        out = await page.evaluate(STICKING_OUT)
        if out:
            found[f"{name}: past the edge"] = out
        await shoot(page, artifacts, f"every-{size}-{locale[:2]}-{n:02d}-{name}")

    async def screen(route: str, name: str, ready: str) -> None:
        await page.goto(f"{server.url}/app#/{route}")
        await expect(page.get_by_test_id(ready).first).to_be_visible()
        await look(name)

    await expect(page.get_by_test_id("login-form")).to_be_visible()
    await look("login")
    await log_in(page, "demo", "anna", "demo-password")
    await expect(page.get_by_test_id("requests")).to_be_visible()
    await look("list")

    bram = page.locator("[data-testid^='recent-']").filter(has_text="Bram Jansen").first
    await bram.click()
    pane = page.locator("[data-testid^='chat-window-']").first
    await expect(pane.get_by_test_id("message-body")).to_have_count(9)
    await look("conversation")
    if size == "phone":
        await pane.locator("[data-testid^='chat-back-']").click()

    await page.get_by_test_id("add-contact-open").click()
    await page.get_by_test_id("add-search").press_sequentially("Kee")
    await expect(page.locator("[data-testid^='suggestion-']").first).to_be_visible()
    await look("add-contact")
    await page.get_by_test_id("add-contact-open").click()

    await page.get_by_test_id("prefs-open").click()
    await expect(page.get_by_test_id("prefs-dialog")).to_be_visible()
    await look("settings")
    await page.get_by_test_id("prefs-close").click()

    await page.goto(f"{server.url}/app#/directory")
    await page.get_by_test_id("dir-search").press_sequentially("Piet")
    piet = page.locator("[data-testid^='dir-candidate-']").filter(has_text="Piet Pieters").first
    await expect(piet).to_be_visible()
    await look("directory")
    await piet.click()
    await expect(page.get_by_test_id("tl-player")).to_be_visible()
    await look("record")

    await screen("sms", "sms-list", "sms-row")
    await screen("sms/new", "sms-new", "sms-picker-input")
    await screen("sms/m/1", "sms-message", "sms-detail-status")
    await screen("sms/groups/1", "sms-group", "sms-member")
    await screen("sms/subscriptions/1", "sms-subscription", "sms-nav-subscriptions")
    await screen("sms/dynamic/1", "sms-dynamic-group", "sms-nav-dynamic")
    await screen("sms/credits", "sms-credits", "sms-credits-balance")
    await screen("sms/queue", "sms-queue-not-admin", "sms-queue-admins-only")

    # The SMS-admin's queue (sam), with tomorrow's message in it.
    await page.get_by_test_id("logout").click()
    await log_in(page, "demo", "sam", "demo-password")
    await screen("sms/queue", "sms-queue", "sms-queue-row")

    assert found == {name: [] for name in found}
    assert page.js_errors == []  # type: ignore[attr-defined]
