"""The app on a phone, the status picker by keyboard, and a login that outlives a tab (issue 18).

On a 390x844 screen the app is one column: the contact list, then a conversation that fills
the screen with a back button; the top bar wraps so every tool stays on screen. Arrowing
through the status picker tells nobody anything until Enter. A new tab is signed in, and a
reload keeps the open conversation and a half-typed message, until logout.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, two_contacts

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


async def on_screen(locator: Locator, page: Page) -> None:
    """The element is wholly inside the viewport (not cut off, not scrolled away sideways)."""
    await expect(locator).to_be_visible()
    box = await locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] + 0.5, box
    assert box["y"] + box["height"] <= size["height"] + 0.5, box


async def test_a_phone_shows_the_list_then_the_conversation_full_screen_with_back(server, open_app, artifacts):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await anna.connect()
    a_id, b_id = anna.user["id"], bram.user["id"]
    page = await open_app("nl-NL", viewport=PHONE)
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)

    # Nothing sticks out sideways; every tool of the top bar can be reached.
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for testid in ("status-select", "chat-icon", "prefs-open", "app-lang", "logout"):
        await on_screen(page.get_by_test_id(testid), page)
    await on_screen(page.get_by_test_id(f"contact-{a_id}"), page)
    await expect(page.get_by_test_id(f"chat-back-{a_id}")).to_have_count(0)
    await shoot(page, artifacts, "phone-01-list-nl")

    # The conversation covers the screen: back, close, the field and Send all on it.
    await page.get_by_test_id(f"contact-{a_id}").click()
    window = page.get_by_test_id(f"chat-window-{a_id}")
    await expect(window).to_be_visible()
    box = await window.bounding_box()
    assert box is not None and (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    for testid in (f"chat-back-{a_id}", f"chat-close-{a_id}", "message-input", "send"):
        await on_screen(window.get_by_test_id(testid), page)
    await expect(window.get_by_test_id(f"chat-back-{a_id}")).to_have_accessible_name("Terug naar contactpersonen")
    await window.get_by_test_id("message-input").fill("Hoi Anna, vanaf mijn telefoon")
    await window.get_by_test_id("send").click()
    await expect(window.get_by_test_id("message-body")).to_have_text(["Hoi Anna, vanaf mijn telefoon"])
    got = await anna.next_event("chat.message")
    assert got["data"]["message"]["body"] == "Hoi Anna, vanaf mijn telefoon"
    await anna.send_message(b_id, "Top, ik bel je zo")
    await expect(window.get_by_test_id("message-body")).to_have_text(
        ["Hoi Anna, vanaf mijn telefoon", "Top, ik bel je zo"])
    await shoot(page, artifacts, "phone-02-conversation-nl")

    # Back: the list again, the conversation closed.
    await window.get_by_test_id(f"chat-back-{a_id}").click()
    await expect(window).to_have_count(0)
    await on_screen(page.get_by_test_id(f"contact-{a_id}"), page)
    await expect(page.get_by_test_id(f"contact-{a_id}")).to_be_focused()
    assert page.js_errors == []


async def test_on_a_phone_the_sms_screen_takes_the_column_and_the_chat_icon_leads_back(server, open_app, artifacts):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    page = await open_app(viewport=PHONE)
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    await page.get_by_test_id("sms-open").click()
    await expect(page.get_by_test_id("sms-section")).to_be_visible()
    await expect(page.get_by_test_id("contact-list")).to_be_hidden()
    await page.get_by_test_id("sms-nav-credits").click()
    await expect(page.get_by_test_id("sms-credits-balance")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await shoot(page, artifacts, "phone-03-sms")
    await page.get_by_test_id("chat-icon").click()
    await expect(page.get_by_test_id("sms-section")).to_be_hidden()
    await on_screen(page.get_by_test_id(f"contact-{anna.user['id']}"), page)
    assert page.js_errors == []


async def test_on_a_wide_screen_the_chat_has_no_back_button(server, open_app):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    page = await open_app()
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    await page.get_by_test_id(f"contact-{anna.user['id']}").click()
    window = page.get_by_test_id(f"chat-window-{anna.user['id']}")
    await expect(window.get_by_test_id("send")).to_be_visible()
    await expect(window.get_by_test_id(f"chat-back-{anna.user['id']}")).to_be_hidden()


async def no_event(client: Any, type_: str, wait: float = 1.5) -> None:
    with pytest.raises(TimeoutError):
        frame = await client.next_event(type_, timeout=wait)
        raise AssertionError(f"unexpected {type_}: {frame}")


async def test_arrowing_through_the_status_picker_applies_only_on_enter(server, open_app, artifacts):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await anna.connect()
    a_id, b_id = anna.user["id"], bram.user["id"]
    page = await open_app()
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    online = await anna.next_event("presence.changed")
    assert online["data"]["status"] == "online"

    select = page.get_by_test_id("status-select")
    await select.focus()
    await select.press("ArrowDown")  # Away
    await select.press("ArrowDown")  # Do not disturb
    await expect(select).to_have_value("dnd")
    await expect(page.get_by_test_id("status-hint")).to_have_text("Press Enter to apply")
    await expect(page.get_by_test_id("own-status")).to_have_attribute("data-status", "online")
    await shoot(page, artifacts, "status-01-arrowed-not-applied")
    await no_event(anna, "presence.changed")

    await select.press("Enter")
    changed = await anna.next_event("presence.changed")
    assert (changed["data"]["user_id"], changed["data"]["status"]) == (b_id, "dnd")
    await expect(page.get_by_test_id("own-status")).to_have_attribute("data-status", "dnd")
    await expect(page.get_by_test_id("status-hint")).to_be_hidden()

    # Escape after arrowing puts the applied status back, and nothing is sent.
    await select.press("ArrowDown")
    await expect(select).to_have_value("invisible")
    await select.press("Escape")
    await expect(select).to_have_value("dnd")
    await expect(page.get_by_test_id("status-hint")).to_be_hidden()
    await no_event(anna, "presence.changed")

    # A pick from the list (what select_option does, like a mouse) applies at once.
    await select.select_option("away")
    changed = await anna.next_event("presence.changed")
    assert changed["data"]["status"] == "away"
    await expect(page.get_by_test_id(f"contact-presence-{a_id}")).to_have_attribute("data-status", "online")
    assert page.js_errors == []


async def test_a_new_tab_is_signed_in_and_a_reload_keeps_the_conversation_and_draft(server, open_app, artifacts):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    a_id = anna.user["id"]
    tab1 = await open_app()
    await log_in(tab1, tenant["slug"], bram.user["username"], PASSWORD)
    await tab1.get_by_test_id(f"contact-{a_id}").click()
    window1 = tab1.get_by_test_id(f"chat-window-{a_id}")
    await window1.get_by_test_id("message-input").press_sequentially("Half getypt bericht")

    # The login token is in an httpOnly cookie: no script of the page can read it or find it stored.
    token = await _session_cookie(tab1)
    assert token["httpOnly"] and token["sameSite"] == "Strict" and len(token["value"]) >= 40
    assert await tab1.evaluate("document.cookie") == ""
    stored = await tab1.evaluate("JSON.stringify([{...localStorage}, {...sessionStorage}])")
    assert token["value"] not in stored and "token" not in stored.lower()

    # A new tab: no login form, the conversation open with the draft in it.
    tab2 = await tab1.context.new_page()
    await tab2.goto(server.url + "/app")
    await expect(tab2.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(tab2.get_by_test_id("login-form")).to_be_hidden()
    await expect(tab2.get_by_test_id(f"chat-window-{a_id}").get_by_test_id("message-input")).to_have_value(
        "Half getypt bericht")

    # A reload keeps the conversation open and the half-typed message.
    await tab1.reload()
    await expect(tab1.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(window1.get_by_test_id("message-input")).to_have_value("Half getypt bericht")
    await shoot(tab1, artifacts, "session-01-after-reload")

    # Closed by the user: it stays closed after a reload (the draft waits for the next time).
    await window1.get_by_test_id(f"chat-close-{a_id}").click()
    await tab1.reload()
    await expect(tab1.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(window1).to_have_count(0)
    await tab1.get_by_test_id(f"contact-{a_id}").click()
    await expect(window1.get_by_test_id("message-input")).to_have_value("Half getypt bericht")

    # Log out in one tab: the other goes to the login form; logging in again finds nothing left.
    await tab2.get_by_test_id("logout").click()
    await expect(tab2.get_by_test_id("login-form")).to_be_visible()
    await expect(tab1.get_by_test_id("login-form")).to_be_visible()
    await asyncio.sleep(0.2)
    assert await tab1.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('chat.u'))") == []
    # The cookie is gone, and the session it held ended on the server: a reload shows the login form.
    assert await _session_cookie(tab1) is None
    async with httpx.AsyncClient(base_url=server.url) as http:
        r = await http.get("/api/me", headers={"Cookie": f"chat_session={token['value']}"})
    assert r.status_code == 401
    await tab1.reload()
    await expect(tab1.get_by_test_id("login-form")).to_be_visible()
    await log_in(tab1, tenant["slug"], bram.user["username"], PASSWORD)
    await expect(window1).to_have_count(0)
    await tab1.get_by_test_id(f"contact-{a_id}").click()
    await expect(window1.get_by_test_id("message-input")).to_have_value("")
    assert tab1.js_errors == []


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
async def test_on_a_phone_the_top_bar_shows_the_users_whole_name(server, open_app, artifacts, locale):
    """The name was cut to "A…" beside the screens' links; now it has the first row (a long
    one wraps), the links the second, the tools the third, all on the screen."""
    name = "Anna-Maria van den Berg-Jansen"
    tenant, _anna, bram = await two_contacts(server, name, "Bram de Vries")
    page = await open_app(locale, viewport=PHONE)
    await log_in(page, tenant["slug"], _anna.user["username"], PASSWORD)
    me = page.get_by_test_id("me-name")
    await expect(me).to_have_text(name)
    await on_screen(me, page)
    # Not clipped: the box holds all of its text.
    assert await me.evaluate("(e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    for testid in ("directory-open", "sms-open", "agenda-open", "status-select", "chat-icon", "prefs-open",
                   "app-lang", "logout"):
        if await page.get_by_test_id(testid).is_visible():
            await on_screen(page.get_by_test_id(testid), page)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    bar = await page.locator(".topbar").bounding_box()
    assert bar is not None and bar["height"] < 160, bar  # three rows at most, not a screenful
    await shoot(page, artifacts, f"phone-04-top-bar-{locale[:2]}")
    assert page.js_errors == []


async def _session_cookie(page: Page) -> dict[str, Any] | None:
    """The browser's session cookie (the browser's own store, out of the page's reach)."""
    cookies = [c for c in await page.context.cookies() if c["name"] == "chat_session"]
    return dict(cookies[0]) if cookies else None
