"""Today becomes Yesterday at the viewer's midnight (issue 18): a conversation read at 23:50
in Amsterdam shows the message's hour in the list and "Today" over it; left open past
midnight, the list says "Yesterday" and so does the separator, as Teams and Slack do,
instead of what was drawn before midnight. The server says 22:50 UTC; the browser's clock
runs from 23:50 in Amsterdam and is moved on 11 minutes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from playwright.async_api import expect

from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, Server, running_server, two_contacts

pytestmark = pytest.mark.browser

NOW = datetime(2026, 12, 6, 22, 50, tzinfo=UTC)  # 23:50 on Sunday 6 December in Amsterdam
WORDS = {"nl-NL": ("Vandaag", "Gisteren"), "en-GB": ("Today", "Yesterday")}


@pytest.fixture
async def server(config: Config) -> AsyncIterator[Server]:
    async with running_server(config, clock=FakeClock(NOW)) as srv:
        yield srv


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
async def test_today_becomes_yesterday_at_the_viewers_midnight(server, open_app, artifacts, locale):
    today, yesterday = WORDS[locale]
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await bram.rest("POST", "/api/messages", {"to": anna.user["id"], "body": "Nog even dit: morgen om 9 uur?",
                                              "client_msg_id": "late-1"})
    page = await open_app(locale, timezone_id="Europe/Amsterdam", clock=NOW)
    await log_in(page, tenant["slug"], anna.user["username"], PASSWORD)
    b_id = bram.user["id"]
    when = page.get_by_test_id(f"recent-time-{b_id}")
    await expect(when).to_have_text("23:50")
    await page.get_by_test_id(f"recent-{b_id}").click()
    pane = page.get_by_test_id(f"chat-window-{b_id}")
    await expect(pane.get_by_test_id("day-separator")).to_have_text([today])

    await page.clock.fast_forward("11:00")  # 00:01 on Monday in Amsterdam
    await expect(when).to_have_text(yesterday)
    await expect(pane.get_by_test_id("day-separator")).to_have_text([yesterday])
    await expect(pane.get_by_test_id("message").locator("time")).to_have_text("23:50")
    await shoot(page, artifacts, f"midnight-after-{locale[:2]}")
    assert page.js_errors == []  # type: ignore[attr-defined]
