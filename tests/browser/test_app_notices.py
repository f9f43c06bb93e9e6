"""In-page notices and notification settings (issue 18).

Without permission for browser notifications, the app tells news in the page: one notice
per conversation (a newer message replaces the older notice), a click opens the
conversation, and a notice never lies over the contact list and its unread counts. A
"wants to add you" notice goes once the request is answered, here or on another device.
The notification settings speak in words: Off, Always, Only while the app is open.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, make_user, two_contacts

pytestmark = pytest.mark.browser


def notice(page: Page, tag: str) -> Locator:
    return page.locator(f'[data-testid="toast"][data-tag="{tag}"]')


async def apart(a: Locator, b: Locator) -> None:
    """The two boxes do not overlap."""
    box_a, box_b = await a.bounding_box(), await b.bounding_box()
    assert box_a is not None and box_b is not None
    overlap_x = min(box_a["x"] + box_a["width"], box_b["x"] + box_b["width"]) - max(box_a["x"], box_b["x"])
    overlap_y = min(box_a["y"] + box_a["height"], box_b["y"] + box_b["height"]) - max(box_a["y"], box_b["y"])
    assert overlap_x <= 0 or overlap_y <= 0, (box_a, box_b)


async def three_messages(anna: Any, to: int) -> int:
    sent = [await anna.send_message(to, text) for text in ("Hoi", "Ben je er?", "Bel me even")]
    return int(sent[-1]["message"]["conversation_id"])


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 860}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
async def test_one_notice_per_conversation_that_opens_it_and_leaves_the_list_free(
        server, open_app, artifacts, viewport):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    a_id, b_id = anna.user["id"], bram.user["id"]
    page = await open_app(record_notifications=False, viewport=viewport)
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    await anna.connect()
    conversation = await three_messages(anna, b_id)

    news = notice(page, f"conv-{conversation}")
    await expect(news).to_have_count(1)
    await expect(news).to_have_text("New message from Anna Jansen: Bel me even")
    await expect(page.get_by_test_id(f"contact-unread-{a_id}")).to_have_text("3")
    await apart(news, page.get_by_test_id("contact-list"))
    await apart(news, page.get_by_test_id(f"contact-unread-{a_id}"))
    if viewport["width"] > 760:
        await apart(news, page.get_by_test_id("side-panel"))
    await shoot(page, artifacts, f"notice-01-one-per-conversation-{viewport['width']}")

    # A click opens the conversation; the notice is gone.
    await news.click()
    window = page.get_by_test_id(f"chat-window-{a_id}")
    await expect(window.get_by_test_id("message-body")).to_have_text(["Hoi", "Ben je er?", "Bel me even"])
    await expect(news).to_have_count(0)
    await expect(page.get_by_test_id("chat-badge")).to_be_hidden()
    assert page.js_errors == []


async def test_a_request_notice_goes_once_the_request_is_answered(server, open_app, artifacts):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    carla = await make_user(server, tenant, "Carla Smit")
    dirk = await make_user(server, tenant, "Dirk Bos")
    page = await open_app(record_notifications=False)
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)

    # Answered here: Accept takes the notice away at once (not after its six seconds).
    request = await carla.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    news = notice(page, f"request-{request['id']}")
    await expect(news).to_have_text("Carla Smit wants to add you as a contact")
    await shoot(page, artifacts, "notice-02-request")
    await page.get_by_test_id(f"request-accept-{carla.user['id']}").click()
    await expect(page.get_by_test_id(f"contact-{carla.user['id']}")).to_be_visible()
    await expect(news).to_have_count(0, timeout=1500)

    # Answered on another device of Bram's: the notice goes here too.
    request = await dirk.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    news = notice(page, f"request-{request['id']}")
    await expect(news).to_have_text("Dirk Bos wants to add you as a contact")
    await bram.rest("POST", f"/api/contact-requests/{request['id']}/accept")
    await expect(page.get_by_test_id(f"contact-{dirk.user['id']}")).to_be_visible()
    await expect(news).to_have_count(0, timeout=1500)
    assert page.js_errors == []


@pytest.mark.parametrize(("locale", "words"), [
    ("en-GB", ["As the organisation chose (Always)", "Off", "Always", "Only while the app is open"]),
    ("nl-NL", ["Zoals de organisatie koos (Altijd)", "Uit", "Altijd", "Alleen als de app open is"]),
])
async def test_notification_settings_are_in_words(server, open_app, artifacts, locale, words):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    page = await open_app(locale)
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    await page.get_by_test_id("prefs-open").click()
    dialog = page.get_by_test_id("prefs-dialog")
    select = page.get_by_test_id("pref-notify.chat_message")
    await expect(select.locator("option")).to_have_text(words)
    await expect(dialog).not_to_contain_text("Go!")
    await expect(dialog).not_to_contain_text("0 =")
    label = "A new chat message" if locale == "en-GB" else "Een nieuw chatbericht"
    await expect(page.get_by_label(label)).to_have_count(1)
    await select.select_option("2")
    await expect(page.get_by_test_id("prefs-status")).to_have_text("Saved." if locale == "en-GB" else "Opgeslagen.")
    values = await bram.rest("GET", f"/api/users/{bram.user['id']}/settings")
    assert values["values"]["notify.chat_message"] == 2
    await shoot(page, artifacts, f"prefs-in-words-{locale}")
    assert page.js_errors == []
