"""A page left open since before closing time, from the site's own (second) origin: the
visitor writes after the desk closed, the server refuses the chat message (outside_hours),
and the widget shows the away text and the offline form with what they typed, in Dutch and
English; the left message reaches the operator. The server runs on a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from playwright.async_api import expect

from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.helpers import Server, running_server
from tests.livechat.browser.conftest import shoot

pytestmark = pytest.mark.browser

HOURS = {"zone": "Europe/Amsterdam", "weekly": {"mon": [["09:00", "17:30"]]},
         "away": {"nl": "Wij zijn gesloten.", "en": "We are closed."}}


@pytest.fixture
async def server(config: Config) -> AsyncIterator[Server]:
    # Monday 30 March 2026, 06:30 UTC: 08:30 in Amsterdam, closed until 09:00.
    async with running_server(config, clock=FakeClock(datetime(2026, 3, 30, 6, 30, tzinfo=UTC))) as srv:
        yield srv


@pytest.mark.parametrize(("locale", "away"), [("nl-NL", "Wij zijn gesloten."), ("en-US", "We are closed.")])
async def test_a_message_after_closing_time_becomes_the_offline_form(
    server, livechat, site_pages, open_page, artifacts, locale, away
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    await olga.connect()
    await olga.rest("PUT", "/api/livechat/availability", {"online": True})
    visitor = await open_page(site_pages.origin + "/index.html", locale=locale)
    await expect(visitor.locator("#chatserver-livechat")).to_have_attribute("data-state", "ready")
    await visitor.get_by_test_id("lc-launcher").click()
    await expect(visitor.get_by_test_id("lc-composer")).to_be_visible()

    # The desk closes (hours set that leave it closed now) while the page stays open.
    site = {k: livechat.site[k] for k in ("name", "origins", "greeting")}
    await livechat.key.rest("PUT", f"/api/livechat/sites/{livechat.site['id']}", {**site, "hours": HOURS})
    await visitor.get_by_test_id("lc-input").fill("Kunt u mij terugbellen?")
    await visitor.get_by_test_id("lc-send").click()
    await expect(visitor.get_by_test_id("lc-leave-form")).to_be_visible()
    await expect(visitor.get_by_test_id("lc-composer")).to_be_hidden()
    await expect(visitor.get_by_test_id("lc-leave-body")).to_have_value("Kunt u mij terugbellen?")
    await expect(visitor.get_by_test_id("lc-notice")).to_contain_text(away)
    assert await visitor.get_by_test_id("lc-message").count() == 0  # nothing stored, nothing shown as sent
    await shoot(visitor, artifacts, f"lc-after-hours-refused-{locale[:2]}")
    assert (await olga.rest("GET", "/api/livechat/conversations?state=incoming"))["conversations"] == []

    await visitor.get_by_test_id("lc-leave-name").fill("Jan de Vries")
    await visitor.get_by_test_id("lc-leave-email").fill("jan@example.nl")
    await visitor.get_by_test_id("lc-leave-send").click()
    await expect(visitor.get_by_test_id("lc-message-body")).to_have_text("Kunt u mij terugbellen?")
    (conv,) = (await olga.rest("GET", "/api/livechat/conversations?state=incoming"))["conversations"]
    assert conv["last_message"]["body"] == "Kunt u mij terugbellen?"
    assert visitor.js_errors == []  # type: ignore[attr-defined]
