"""The conversation view as Teams and Slack show it, on the seeded demo (issue 18): the list
of conversations (last message, time, unread count, typing) beside a full-height pane;
initials avatars with presence; day separators; the sender's name for another
organisation's person; sent / delivered / read ticks. Desktop and phone, Dutch and English,
axe-core on each screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import expect

from chatserver.client import ChatClient
from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.browser.test_app_accessibility import serious
from tests.browser.ui import log_in, shoot
from tests.helpers import Server, running_server

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WORDS = {
    "en": {"today": "Today", "yesterday": "Yesterday", "typing": "typing…", "external": "External · Partner Uitzendbureau",
           "you": "You: Dank u, Eva.", "back": "Back to contacts"},
    "nl": {"today": "Vandaag", "yesterday": "Gisteren", "typing": "typt…", "external": "Extern · Partner Uitzendbureau",
           "you": "U: Dank u, Eva.", "back": "Terug naar contactpersonen"},
}


# 23:30 UTC is 00:30 on Monday 7 December in Amsterdam, where the viewer sits: UTC's day and
# the viewer's differ, so a day taken in the wrong zone shows.
NOW = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
ZONE = "Europe/Amsterdam"
FIRST_DAY = {"en": "Saturday 5 December", "nl": "zaterdag 5 december"}


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    """`serve --demo` on a database of its own (open_app opens the app on it): each run
    starts from the seeded demo, seeded at NOW on the organisation's clocks (Amsterdam)."""
    config = Config(database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}", demo=True,
                    rate_per_second=1000, rate_burst=2000, time_zone=ZONE, password_hashing="cheapest")
    async with running_server(config, clock=FakeClock(NOW)) as demo:
        yield demo


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-GB"), (DESKTOP, "nl-NL"), (PHONE, "en-GB"),
                                                  (PHONE, "nl-NL")], ids=["desktop-en", "desktop-nl", "phone-en", "phone-nl"])
async def test_conversations_beside_the_list_with_days_names_and_ticks(server, open_app, artifacts, viewport, locale):
    lang = locale[:2]
    words = WORDS[lang]
    phone = viewport is PHONE
    shot = f"conv-{'phone' if phone else 'desktop'}-{lang}"
    anna = await ChatClient.login(server.url, "demo", "anna", "demo-password")
    bram = await ChatClient.login(server.url, "demo", "bram", "demo-password")
    server.clients += [anna, bram]
    ids = {c["name"]: c["id"] for c in (await anna.rest("GET", "/api/contacts"))["contacts"]}
    a_id, b_id, e_id, o_id = anna.user["id"], ids["Bram Jansen"], ids["Eva Peters"], ids["Olga Bakker"]
    page = await open_app(locale, viewport=viewport, timezone_id=ZONE, clock=NOW)
    await log_in(page, "demo", "anna", "demo-password")

    # The list: who, their presence, the last message, its time, the unread count.
    row = page.get_by_test_id(f"recent-{b_id}")
    await expect(row).to_contain_text("Bram Jansen")
    await expect(page.get_by_test_id(f"recent-preview-{b_id}")).to_have_text("Kun jij de referenties nog nagaan?")
    await expect(page.get_by_test_id(f"recent-unread-{b_id}")).to_have_text("2")
    await expect(page.get_by_test_id(f"recent-presence-{b_id}")).to_have_attribute("data-status", "online")
    await expect(page.get_by_test_id(f"recent-presence-{o_id}")).to_have_attribute("data-status", "away")
    await expect(page.get_by_test_id(f"recent-preview-{e_id}")).to_contain_text(words["you"])
    await expect(page.get_by_test_id(f"recent-time-{e_id}")).to_have_text(words["yesterday"])
    await expect(page.get_by_test_id(f"recent-time-{b_id}")).to_have_text("00:06")  # 24 minutes ago, here
    await expect(row.locator(".initials")).to_have_text("BJ")
    found = {"list": await serious(page)}
    await shoot(page, artifacts, f"{shot}-01-list")

    # Eva is of another organisation: it says so, and her messages carry her name.
    await page.get_by_test_id(f"recent-{e_id}").click()
    eva = page.get_by_test_id(f"chat-window-{e_id}")
    await expect(eva.get_by_test_id(f"chat-sub-{e_id}")).to_have_text(f"Intercedent · {words['external']}")
    await expect(eva.locator(".message.theirs .sender").first).to_be_visible()
    await expect(eva.locator(".message.theirs .sender").first).to_have_text("Eva Peters")
    await expect(eva.get_by_test_id("ticks")).to_have_attribute("data-state", "delivered")
    if phone:
        await eva.get_by_test_id(f"chat-back-{e_id}").click()
        await expect(eva).to_have_count(0)

    # Bram's conversation: three days apart, Anna's messages read, the unread ones read now.
    await row.click()
    pane = page.get_by_test_id(f"chat-window-{b_id}")
    await expect(pane.get_by_test_id("message-body")).to_have_count(9)
    if not phone:
        await expect(eva).to_be_hidden()  # still open, a click in the list away
        box = await pane.bounding_box()
        assert box is not None and box["height"] > 0.8 * viewport["height"] and box["x"] > 300, box
    # The viewer's days and hours: Bram's first message at 09:12 two days ago, here.
    separators = await pane.get_by_test_id("day-separator").all_inner_texts()
    assert separators == [FIRST_DAY[lang], words["yesterday"], words["today"]], separators
    await expect(pane.get_by_test_id("message").first.locator(".meta")).to_contain_text("09:12")
    await expect(pane.get_by_test_id("ticks")).to_have_count(4)
    for state in await pane.get_by_test_id("ticks").evaluate_all("(ts) => ts.map((t) => t.dataset.state)"):
        assert state == "read"
    await expect(page.get_by_test_id(f"recent-unread-{b_id}")).to_have_count(0)
    await expect(pane.locator(".message.theirs .sender").first).to_be_hidden()  # a colleague: no names

    # Bram types: the list says so. Anna writes: sent, then delivered, then read.
    await bram.connect()
    await bram.request("chat.typing", {"to": a_id, "typing": True})
    if not phone:
        await expect(page.get_by_test_id(f"recent-preview-{b_id}")).to_have_text(words["typing"])
    await expect(pane.get_by_test_id("typing")).not_to_be_empty()
    await pane.get_by_test_id("message-input").fill("Doe ik vanmiddag.")
    await pane.get_by_test_id("message-input").press("Enter")
    mine = pane.get_by_test_id("ticks").last
    await expect(mine).to_have_attribute("data-state", "sent")
    got = await bram.next_event("chat.message")
    while got["data"]["message"]["sender_id"] != a_id:
        got = await bram.next_event("chat.message")
    msg = got["data"]["message"]
    await bram.request("chat.delivered", {"conversation_id": msg["conversation_id"], "message_id": msg["id"]})
    await expect(mine).to_have_attribute("data-state", "delivered")
    await shoot(page, artifacts, f"{shot}-02-conversation-delivered")
    await bram.request("chat.read", {"conversation_id": msg["conversation_id"], "message_id": msg["id"]})
    await expect(mine).to_have_attribute("data-state", "read")
    found["conversation"] = await serious(page)
    if phone:
        await expect(pane.get_by_test_id(f"chat-back-{b_id}")).to_have_accessible_name(words["back"])
        await pane.get_by_test_id(f"chat-back-{b_id}").click()
        await expect(page.get_by_test_id(f"recent-{b_id}")).to_be_focused()
    await expect(page.get_by_test_id(f"recent-preview-{b_id}")).to_have_text(
        ("U: " if lang == "nl" else "You: ") + "Doe ik vanmiddag.")
    await shoot(page, artifacts, f"{shot}-03-after")
    assert found == {name: [] for name in found}
    assert page.js_errors == []  # type: ignore[attr-defined]
