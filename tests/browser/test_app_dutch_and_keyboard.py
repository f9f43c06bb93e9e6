"""A Dutch browser gets the app in Dutch, the whole way is done with the keyboard only, and
the user switches to English."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.helpers import PASSWORD, two_contacts

pytestmark = pytest.mark.browser


async def test_dutch_by_default_for_dutch_browsers_keyboard_only_and_switch_to_english(
    server, open_app, artifacts
):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await bram.connect()
    b_id = bram.user["id"]

    page = await open_app(locale="nl-NL")
    await expect(page.get_by_role("heading", name="Inloggen op de chat")).to_be_visible()
    # Keyboard only: labels name the fields, Tab moves, Enter submits.
    await page.get_by_label("Organisatie").focus()
    await page.keyboard.type(tenant["slug"])
    await page.keyboard.press("Tab")
    await page.keyboard.type(anna.user["username"])
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Contactpersonen")).to_be_visible()
    await expect(page.get_by_test_id("status-select").locator("option")).to_have_text(
        ["Online", "Afwezig", "Niet storen", "Onzichtbaar", "Offline"]
    )
    contact = page.get_by_test_id(f"contact-{b_id}")
    await contact.focus()
    await page.keyboard.press("Enter")
    window = page.get_by_test_id(f"chat-window-{b_id}")
    await expect(window.get_by_label("Bericht aan Bram de Vries")).to_be_focused()
    await page.keyboard.type("Hoi Bram")
    await page.keyboard.press("Enter")
    event = await bram.next_event("chat.message")
    assert event["data"]["message"]["body"] == "Hoi Bram"
    await bram.request("chat.typing", {"to": anna.user["id"], "typing": True})
    await expect(window.get_by_test_id("typing")).to_have_text("Bram de Vries is aan het typen…")
    await shoot(page, artifacts, "30-dutch")
    # Not refreshed: the indicator goes after about 5 seconds.
    await expect(window.get_by_test_id("typing")).to_have_text("", timeout=9000)
    # Escape closes the chat window and focus returns to the contact.
    await page.keyboard.press("Escape")
    await expect(window).to_have_count(0)
    await expect(contact).to_be_focused()

    await page.get_by_test_id("app-lang").select_option("en")
    await expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()
    await expect(page.get_by_test_id("status-select").locator("option").nth(1)).to_have_text("Away")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.js_errors == []
