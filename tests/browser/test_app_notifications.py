"""Browser notifications in the app follow the user's level (off, only while the app is
visible, also in the background), their status (silent on do-not-disturb) and the replay
after the socket was closed (a missed message is not notified, a live one is)."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, two_contacts

pytestmark = pytest.mark.browser


async def _notes(page) -> list[dict]:
    return await page.evaluate("window.__notes")


async def _set_level(page, name: str, value: str, artifacts=None) -> None:
    await page.get_by_test_id("prefs-open").click()
    dialog = page.get_by_test_id("prefs-dialog")
    await expect(dialog).to_be_visible()
    await page.get_by_test_id(f"pref-{name}").select_option(value)
    await expect(page.get_by_test_id("prefs-status")).to_have_text("Saved.")
    if artifacts is not None:
        await shoot(page, artifacts, "21-notification-settings")
    await page.get_by_test_id("prefs-close").click()
    await expect(dialog).to_be_hidden()


async def test_browser_notifications_follow_levels_status_and_replay(server, open_app, artifacts):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await anna.connect()
    a_id, b_id = anna.user["id"], bram.user["id"]

    page = await open_app()
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    unread = page.get_by_test_id(f"contact-unread-{a_id}")

    async def receive(body: str, count: int) -> None:
        await anna.send_message(b_id, body)
        await expect(unread).to_have_text(str(count))

    # Level 1 (the default for chat messages): a notification.
    await receive("een", 1)
    assert [(n["title"], n["body"]) for n in await _notes(page)] == [("New message from Anna Jansen", "een")]

    # The preferences screen: 0 turns it off.
    await _set_level(page, "notify.chat_message", "0", artifacts)
    await receive("twee", 2)
    assert len(await _notes(page)) == 1

    # 2: only while the app is visible.
    await _set_level(page, "notify.chat_message", "2")
    await receive("drie", 3)
    assert [n["body"] for n in await _notes(page)] == ["een", "drie"]
    await page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true})"
    )
    await receive("vier", 4)
    assert len(await _notes(page)) == 2

    # 1: also in the background.
    await page.evaluate("delete document.visibilityState")
    await _set_level(page, "notify.chat_message", "1")
    await page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true})"
    )
    await receive("vijf", 5)
    assert [n["body"] for n in await _notes(page)] == ["een", "drie", "vijf"]
    await page.evaluate("delete document.visibilityState")

    # Do not disturb: the message arrives, silently.
    await page.get_by_test_id("status-select").select_option("dnd")
    await expect(page.get_by_test_id("own-status")).to_have_attribute("data-status", "dnd")
    await receive("zes", 6)
    assert len(await _notes(page)) == 3
    await page.get_by_test_id("status-select").select_option("online")
    await expect(page.get_by_test_id("own-status")).to_have_attribute("data-status", "online")

    # Away from the app (socket closed), a message comes; back in the same tab the
    # missed event is replayed (no new login) and is not notified; a live one is.
    await page.goto("about:blank")
    await anna.send_message(b_id, "zeven")
    await page.goto(server.url + "/app")
    await expect(page.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(unread).to_have_text("7")
    await receive("acht", 8)
    assert [n["body"] for n in await _notes(page)] == ["acht"]
    await shoot(page, artifacts, "20-notifications")
    assert page.js_errors == []
