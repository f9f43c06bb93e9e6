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
from tests.helpers import Server, running_server
from tests.livechat.browser.conftest import console_login, shoot

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


async def test_a_key_user_sets_the_hours_in_the_console_and_the_visitor_meets_them(
    server, livechat, site_pages, open_page, artifacts
):
    key = livechat.key
    await key.rest("PUT", f"/api/users/{key.user['id']}/settings/livechat.enabled", {"value": True})
    console = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(console, livechat.tenant["slug"], livechat.key.user["username"], online=False)
    await console.get_by_test_id("nav-sites").click()
    sid = livechat.site["id"]
    await console.get_by_test_id(f"site-edit-{sid}").click()  # hours are edited in the site's editor
    hid = lambda k: console.get_by_test_id(f"hours-{sid}-{k}")  # noqa: E731
    await hid("zone").fill("Europe/Amsterdam")
    await hid("tue").fill("17:30-09:00")
    await hid("save").click()
    toasts = console.get_by_test_id("toast")
    # Refused by the server, said in Dutch beside the form.
    await expect(hid("error")).to_have_text(
        "Openingstijden: per dag hoogstens 4 tijden zoals 09:00-12:00, 13:00-17:30, sluiten na openen en niet overlappend.")
    await hid("tue").fill("")
    await hid("mon").fill("09:00-12:00, 13:00-17:30")
    await hid("holidays").fill("2026-12-25 2026-12-26")
    await hid("away-nl").fill("Wij zijn gesloten; laat een bericht achter.")
    await hid("away-en").fill("We are closed; leave a message.")
    await hid("save").click()
    await expect(toasts.filter(has_text="Openingstijden opgeslagen")).to_be_visible()
    await expect(hid("mon")).to_have_value("09:00-12:00, 13:00-17:30")  # as stored, reloaded
    await hid("form").scroll_into_view_if_needed()
    await shoot(console, artifacts, "lc-hours-console-nl")
    sites = await livechat.key.rest("GET", "/api/livechat/sites")
    assert sites["sites"][0]["hours"] == {
        "zone": "Europe/Amsterdam", "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:30"]]},
        "holidays": ["2026-12-25", "2026-12-26"],
        "away": {"nl": "Wij zijn gesloten; laat een bericht achter.", "en": "We are closed; leave a message."}}

    # 08:30 on a Monday in Amsterdam: closed, the away text from the console.
    visitor = await open_page(site_pages.origin + "/index.html", locale="en-US")
    await expect(visitor.locator("#chatserver-livechat")).to_have_attribute("data-state", "closed")
    await visitor.get_by_test_id("lc-launcher").click()
    await expect(visitor.get_by_test_id("lc-notice")).to_contain_text("We are closed; leave a message.")
    assert console.js_errors == [] and visitor.js_errors == []  # type: ignore[attr-defined]
