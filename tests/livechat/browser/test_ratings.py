"""Ratings (CSAT) in Chromium: the widget (another origin) asks for a rating once the
operator resolves the chat; the console shows it on the chat and the mean in the overview."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_canned import visitor_writes_and_is_taken

pytestmark = pytest.mark.browser


async def resolve(console: Page) -> None:
    await console.get_by_test_id("resolve").click()
    await console.get_by_test_id("confirm-ok").click()
    await expect(console.get_by_test_id("chat-window")).to_have_attribute("data-state", "resolved")


async def test_visitor_rates_after_resolve_and_the_console_shows_it(server, livechat, site_pages, open_page, artifacts):
    olga = await livechat.make_operator(server, "Olga Bakker")
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    visitor = await visitor_writes_and_is_taken(console, open_page, site_pages, "Waar kan ik mijn cv sturen?")
    rate = visitor.get_by_test_id("lc-rate")
    await expect(rate).to_be_hidden()  # not while the chat is open
    await resolve(console)

    await expect(visitor.get_by_test_id("lc-resolved")).to_be_visible()
    await expect(rate).to_be_visible()
    await expect(rate).to_contain_text("How would you rate this chat?")
    await expect(visitor.get_by_test_id("lc-rate-send")).to_be_disabled()
    await visitor.get_by_test_id("lc-rate-4").click()
    await expect(visitor.get_by_test_id("lc-rate-4")).to_have_attribute("aria-pressed", "true")
    await visitor.get_by_test_id("lc-rate-comment").fill("Vriendelijk en snel")
    await shoot(visitor, artifacts, "lc-rating-01-widget-en")
    await visitor.get_by_test_id("lc-rate-send").click()
    await expect(visitor.get_by_test_id("lc-rated")).to_have_text("Thank you for your rating!")
    await expect(rate).to_be_hidden()
    # Rated stays rated on the next page.
    await visitor.reload()  # the panel stays open across pages
    await expect(visitor.get_by_test_id("lc-rated")).to_be_visible()
    await expect(rate).to_be_hidden()

    await expect(console.get_by_test_id("chat-rating")).to_have_text("★ 4/5 · “Vriendelijk en snel”")
    await shoot(console, artifacts, "lc-rating-02-console-en")

    # A second visitor, in Dutch, rates 2: the overview shows the mean.
    other = await visitor_writes_and_is_taken(console, open_page, site_pages, "Zijn jullie open?", locale="nl-NL")
    await resolve(console)
    await expect(other.get_by_test_id("lc-rate")).to_contain_text("Hoe beoordeelt u dit gesprek?")
    await other.get_by_test_id("lc-rate-2").click()
    await other.get_by_role("button", name="Beoordeling versturen").click()
    await expect(other.get_by_test_id("lc-rated")).to_have_text("Bedankt voor uw beoordeling!")
    await shoot(other, artifacts, "lc-rating-03-widget-nl")
    # History lists the ratings with the chats.
    await console.get_by_test_id("nav-history").click()
    await expect(console.get_by_test_id("list-history").locator(".conv-meta")).to_contain_text(["★ 2", "★ 4"])
    await console.get_by_test_id("nav-operators").click()
    await expect(console.get_by_test_id(f"operator-{olga.user['id']}").get_by_test_id("operator-rating")).to_have_text(
        " · ★ 3.0 (2×)"
    )
    await console.get_by_test_id("nav-overview").click()
    await expect(console.get_by_test_id("stat-rating-value")).to_have_text("3.0 (2×)")
    await console.get_by_test_id("app-lang").select_option("nl")
    await expect(console.get_by_test_id("stat-rating")).to_contain_text("Gemiddelde beoordeling")
    await shoot(console, artifacts, "lc-rating-04-overview-nl")
    assert console.js_errors == [] and visitor.js_errors == [] and other.js_errors == []
