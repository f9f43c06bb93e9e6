"""Business hours in the widget, from the site's own (second) origin: outside them the
visitor reads the away text and gets the offline form although an operator is online;
with the hours cleared the live chat is back. The server runs on a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from playwright.async_api import expect

from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.browser_livechat.conftest import shoot
from tests.helpers import Server, running_server

pytestmark = pytest.mark.browser

HOURS = {"zone": "Europe/Amsterdam", "weekly": {"mon": [["09:00", "17:30"]]},
         "away": {"nl": "Wij zijn gesloten.", "en": "We are closed."}}


@pytest.fixture
async def server(config: Config) -> AsyncIterator[Server]:
    # Monday 30 March 2026, 06:30 UTC: 08:30 in Amsterdam, half an hour before opening.
    async with running_server(config, clock=FakeClock(datetime(2026, 3, 30, 6, 30, tzinfo=UTC))) as srv:
        yield srv


async def test_outside_hours_the_widget_shows_the_away_text_and_the_offline_form(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    await olga.connect()
    await olga.rest("PUT", "/api/livechat/availability", {"online": True})
    site = {k: livechat.site[k] for k in ("name", "origins", "greeting")}
    await livechat.key.rest("PUT", f"/api/livechat/sites/{livechat.site['id']}", {**site, "hours": HOURS})

    for locale, away, opens in [("nl-NL", "Wij zijn gesloten.", "We zijn weer open op maandag"),
                                ("en-US", "We are closed.", "We are open again Monday")]:
        visitor = await open_page(site_pages.origin + "/index.html", locale=locale)
        widget = visitor.locator("#chatserver-livechat")
        await expect(widget).to_have_attribute("data-state", "closed")
        await visitor.get_by_test_id("lc-launcher").click()
        notice = visitor.get_by_test_id("lc-notice")
        await expect(notice).to_contain_text(away)
        await expect(notice).to_contain_text(opens)
        await expect(visitor.get_by_test_id("lc-composer")).to_be_hidden()
        await expect(visitor.get_by_test_id("lc-leave-form")).to_be_visible()
        await shoot(visitor, artifacts, f"lc-hours-closed-{locale[:2]}")
        assert visitor.js_errors == []  # type: ignore[attr-defined]

    # The left message reaches the online operator.
    await visitor.get_by_test_id("lc-leave-name").fill("Pietje Puk")
    await visitor.get_by_test_id("lc-leave-email").fill("pietje.puk@example.nl")
    await visitor.get_by_test_id("lc-leave-body").fill("Call me tomorrow please")
    await visitor.get_by_test_id("lc-leave-send").click()
    await expect(visitor.get_by_test_id("lc-notice")).to_contain_text("Thank you")
    msg = await olga.next_event("livechat.message")
    assert msg["data"]["message"]["body"] == "Call me tomorrow please"

    # Hours cleared: always open, the live chat is back for a new visitor.
    await livechat.key.rest("PUT", f"/api/livechat/sites/{livechat.site['id']}", {**site, "hours": {}})
    later = await open_page(site_pages.origin + "/index.html", locale="nl-NL")
    await expect(later.locator("#chatserver-livechat")).to_have_attribute("data-state", "ready")
    await later.get_by_test_id("lc-launcher").click()
    await expect(later.get_by_test_id("lc-composer")).to_be_visible()
    await expect(later.get_by_test_id("lc-leave-form")).to_be_hidden()
