"""The SMS list on a phone and its days in the viewer's time zone (issue 18).

On a 390 px screen the message list and the queue were tables wider than the screen (the
list scrolled sideways); now each message is a card with each value beside its column's
name, and nothing is wider than the screen. The date filter takes the viewer's days: at
00:30 in Amsterdam (23:30 UTC) a message written now belongs to today there, not to UTC's
yesterday. The server runs on a fake clock at that moment, the browser on the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from playwright.async_api import Locator, Page, expect

from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.browser.ui import shoot
from tests.helpers import Server, running_server
from tests.sms.browser.ui import open_sms, violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NOW = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 7 December, 00:30 in Amsterdam
ZONE = "Europe/Amsterdam"
TWO = [{"type": "number", "number": "0612345671"}, {"type": "number", "number": "0612345672"}]
LABELS = {"nl-NL": ("Verzenddatum", "Status", "Goedgekeurd"), "en-GB": ("Send date", "Status", "Approved")}


@pytest.fixture
async def server(config: Config) -> AsyncIterator[Server]:
    async with running_server(config, clock=FakeClock(NOW)) as srv:
        yield srv


async def label(cell: Locator) -> str:
    """The column's name a card shows beside a value (CSS generated text from data-label)."""
    return str(await cell.evaluate("(c) => getComputedStyle(c, '::before').content.replace(/^\"|\"$/g, '')"))


async def fits(page: Page, testid: str) -> None:
    """Nothing sideways: the page, the list's column and the table are no wider than the screen."""
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    widths = await page.get_by_test_id(testid).evaluate(
        "(t) => [t.getBoundingClientRect().right, t.closest('.sms-list-main, #sms-view').scrollWidth,"
        " t.closest('.sms-list-main, #sms-view').clientWidth]")
    assert widths[0] <= PHONE["width"] and widths[1] <= widths[2], widths


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
async def test_on_a_phone_the_list_and_the_queue_are_cards_that_fit(server, open_app, sms_team, artifacts, locale):
    await sms_team.tenant_setting("sms.recipient_limit", 1)  # two recipients: the queue holds them
    for subject in ("Ochtendploeg magazijn Utrecht", "Avondploeg"):
        await sms_team.sender.rest("POST", "/api/sms/messages", {"subject": subject, "body": "Wie kan er?",
                                                                 "recipients": TWO})
    send_at, status, approved = LABELS[locale]
    page = await open_app(locale, viewport=PHONE, timezone_id=ZONE, clock=NOW)
    await open_sms(page, sms_team.tenant["slug"], sms_team.admin.user["username"])
    rows = page.get_by_test_id("sms-row")
    await expect(rows).to_have_count(2)
    await fits(page, "sms-table")
    first = rows.first
    await expect(first.locator("th")).to_have_text("Avondploeg")
    assert [await label(c) for c in await first.locator("td").all()][:2] == [send_at, status]
    box = await first.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"] and box["height"] > 60, box  # a card, not a line
    await first.scroll_into_view_if_needed()
    await shoot(page, artifacts, f"sms-30-phone-list-cards-{locale}")
    found = {"list": await violations(page)}

    await page.get_by_test_id("sms-nav-queue").click()
    queue = page.get_by_test_id("sms-queue-row")
    await expect(queue).to_have_count(2)
    await fits(page, "sms-queue")
    assert await label(queue.first.get_by_test_id("sms-queue-approved")) == approved
    await on_screen(queue.first.get_by_test_id("sms-queue-approve"), page)
    await queue.first.get_by_test_id("sms-queue-approve").click()
    await expect(queue.first.get_by_test_id("sms-queue-approved").locator(".sms-yes")).to_have_count(1)
    await shoot(page, artifacts, f"sms-31-phone-queue-cards-{locale}")
    found["queue"] = await violations(page)
    assert found == {"list": [], "queue": []}
    assert page.js_errors == []  # type: ignore[attr-defined]


async def on_screen(locator: Locator, page: Page) -> None:
    await locator.scroll_into_view_if_needed()
    box = await locator.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], box


async def test_the_date_filter_takes_the_viewers_days(server, open_app, sms_team, artifacts):
    await sms_team.sender.rest("POST", "/api/sms/messages", {"subject": "Nachtdienst", "body": "Wie kan er?",
                                                             "recipients": TWO[:1]})
    page = await open_app("nl-NL", timezone_id=ZONE, clock=NOW)
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"])
    rows = page.get_by_test_id("sms-row")
    await expect(rows).to_have_count(1)

    async def between(start: str, end: str) -> None:
        await page.get_by_test_id("sms-filter-from").fill(start)
        await page.get_by_test_id("sms-filter-to").fill(end)
        await page.get_by_test_id("sms-search-submit").click()

    # Written at 00:30 on 7 December here (23:30 on the 6th in UTC): today, not yesterday.
    await between("2026-12-07", "2026-12-07")
    await expect(rows).to_have_count(1)
    await expect(rows.first.locator("th")).to_have_text("Nachtdienst")
    await shoot(page, artifacts, "sms-32-filter-viewers-day")
    await between("2026-12-06", "2026-12-06")
    await expect(rows).to_have_count(0)
    await expect(page.get_by_test_id("sms-empty")).to_be_visible()
    await between("2026-12-06", "2026-12-07")
    await expect(rows).to_have_count(1)
    assert page.js_errors == []  # type: ignore[attr-defined]
