"""Read receipts, times, links and emoji in Chromium: the widget on another origin shows
"Seen"/"Gezien" under the visitor's last line once an operator opened the chat, each line's
time, and http(s)/mailto links as links (a javascript: URL stays text), as does the console."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_canned import visitor_writes_and_is_taken
from tests.livechat.browser.test_livechat import reply_from_console, send_from_widget

pytestmark = pytest.mark.browser

REPLY = "Zie https://jobs.example/vacatures?stad=utrecht. Of mail mailto:jobs@jobs.example — niet javascript:alert(1) 😀"


async def links_of(page: Page, body) -> list[tuple[str | None, str | None, str | None]]:
    links = body.locator("a")
    return [(await a.get_attribute("href"), await a.get_attribute("rel"), await a.get_attribute("target"))
            for a in await links.all()]


async def test_seen_times_and_safe_links_in_widget_and_console(server, livechat, site_pages, open_page, artifacts):
    olga = await livechat.make_operator(server, "Olga Bakker")
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    visitor = await visitor_writes_and_is_taken(console, open_page, site_pages, "Mijn cv: https://cv.example/jan 😀")

    # Opened by Olga: "Seen" under the visitor's line, with its time.
    mine = visitor.get_by_test_id("lc-message").filter(has_text="Mijn cv")
    await expect(mine.get_by_test_id("lc-seen")).to_have_text("Seen")
    await expect(mine.get_by_test_id("lc-message-time")).to_have_text(re.compile(r"^\d{1,2}:\d{2}"))
    await expect(mine.get_by_test_id("lc-message-body")).to_have_text("Mijn cv: https://cv.example/jan 😀")
    assert await links_of(visitor, mine) == [("https://cv.example/jan", "noopener noreferrer", "_blank")]

    await reply_from_console(console, REPLY)
    answer = visitor.get_by_test_id("lc-message").filter(has_text="Zie https")
    await expect(answer.get_by_test_id("lc-message-body")).to_have_text(REPLY)
    assert await links_of(visitor, answer) == [
        ("https://jobs.example/vacatures?stad=utrecht", "noopener noreferrer", "_blank"),
        ("mailto:jobs@jobs.example", "noopener noreferrer", "_blank"),
    ]
    await expect(answer.get_by_test_id("lc-message-time")).to_have_text(re.compile(r"^\d{1,2}:\d{2}"))
    await expect(visitor.get_by_test_id("lc-seen")).to_have_count(0)  # the last line is Olga's
    await shoot(visitor, artifacts, "lc-receipts-01-widget-en")

    # The console makes the same links, and only those.
    line = console.get_by_test_id("message").filter(has_text="Zie https")
    await expect(line.get_by_test_id("message-body")).to_have_text(REPLY)
    assert [h for h, _, _ in await links_of(console, line)] == ["https://jobs.example/vacatures?stad=utrecht",
                                                               "mailto:jobs@jobs.example"]
    assert {(r, t) for _, r, t in await links_of(console, line)} == {("noopener noreferrer", "_blank")}
    await expect(console.get_by_test_id("message").filter(has_text="Mijn cv").locator("a")).to_have_attribute(
        "href", "https://cv.example/jan"
    )
    await shoot(console, artifacts, "lc-receipts-02-console-en")

    # In Dutch: not seen while the chat waits in Incoming, "Gezien" once Olga opens it.
    other = await open_page(site_pages.origin + "/index.html", locale="nl-NL")
    await other.get_by_test_id("lc-launcher").click()
    await send_from_widget(other, "Is er plek?")
    waiting = other.get_by_test_id("lc-message").filter(has_text="Is er plek?")
    await expect(waiting.get_by_test_id("lc-message-time")).to_have_text(re.compile(r"^\d{1,2}:\d{2}"))
    await expect(other.get_by_test_id("lc-seen")).to_have_count(0)
    await console.get_by_test_id("nav-incoming").click()
    await console.get_by_test_id("list-incoming").get_by_test_id(re.compile(r"^assign-\d+$")).click()
    await expect(waiting.get_by_test_id("lc-seen")).to_have_text("Gezien")
    await shoot(other, artifacts, "lc-receipts-03-widget-nl")
    assert console.js_errors == [] and visitor.js_errors == [] and other.js_errors == []

