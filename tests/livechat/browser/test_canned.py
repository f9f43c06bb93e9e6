"""Canned responses in Chromium: kept on their screen, inserted with /shortcut in the
reply box (arrows, Enter, Escape), received by the visitor's widget on another origin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_livechat import send_from_widget, widget

pytestmark = pytest.mark.browser


async def visitor_writes_and_is_taken(
    console: Page, open_page: Any, site_pages: Any, text: str, locale: str = "en-US"
) -> Page:
    """A visitor writes from the site's page (another origin); the console's operator
    assigns the chat to themselves and has it open. Returns the visitor's page."""
    visitor = await open_page(site_pages.origin + "/index.html", locale=locale)
    await expect(widget(visitor)).to_have_attribute("data-state", "ready")
    await visitor.get_by_test_id("lc-launcher").click()
    await send_from_widget(visitor, text)
    await console.get_by_test_id("nav-incoming").click()
    await console.get_by_test_id("list-incoming").get_by_test_id(re.compile(r"^assign-\d+$")).click()
    await expect(console.get_by_test_id("chat-window")).to_have_attribute("data-state", "active")
    return visitor


async def test_canned_screen_and_shortcut_in_the_reply_box(server, livechat, site_pages, open_page, artifacts):
    olga = await livechat.make_operator(server, "Olga Bakker")
    bram = await livechat.make_operator(server, "Bram de Vries")
    await livechat.key.rest("POST", "/api/livechat/canned", {
        "scope": "organisation", "shortcut": "welkom", "text": "Welkom bij Job Genius! Waarmee kan ik u helpen?",
    })
    await livechat.key.rest("POST", "/api/livechat/canned", {
        "scope": "organisation", "shortcut": "openingstijden", "text": "Wij zijn open van 9 tot 17 uur.",
    })
    await bram.rest("POST", "/api/livechat/canned", {"scope": "personal", "shortcut": "wel-bram", "text": "Van Bram"})

    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    await console.get_by_test_id("nav-canned").click()
    organisation = console.get_by_test_id("canned-organisation")
    await expect(organisation.locator(".canned-shortcut")).to_have_text(["/openingstijden", "/welkom"])
    # An operator does not change the organisation's list, and never sees Bram's own.
    await expect(organisation.get_by_role("button")).to_have_count(0)
    await expect(console.get_by_test_id("canned-personal")).to_have_text("None yet.")
    await expect(console.get_by_test_id("canned-scope").locator("option[value=organisation]")).to_be_disabled()

    # A bad shortcut: the server's reason (by its code and field), nothing stored; then a good one.
    await console.get_by_test_id("canned-shortcut").fill("met spatie")
    await console.get_by_test_id("canned-text").fill("Groetjes, Olga")
    await console.get_by_test_id("canned-submit").click()
    await expect(console.get_by_test_id("canned-error")).to_have_text(
        "Failed: Shortcut: 1 to 40 letters, digits, - or _, starting with a letter or digit.")
    await console.get_by_test_id("canned-shortcut").fill("welgroet")
    await console.get_by_test_id("canned-submit").click()
    personal = console.get_by_test_id("canned-personal")
    await expect(personal.locator(".canned-shortcut")).to_have_text(["/welgroet"])
    await expect(console.get_by_test_id("canned-error")).to_have_text("")
    # Edit it.
    await personal.get_by_role("button", name="Edit").click()
    await console.get_by_test_id("canned-text").fill("Met vriendelijke groet,\nOlga")
    await console.get_by_test_id("canned-submit").click()
    await expect(personal.locator(".canned-text")).to_have_text(["Met vriendelijke groet,\nOlga"])
    await shoot(console, artifacts, "lc-canned-01-screen-en")

    # A visitor writes from the site (another origin); Olga takes the chat.
    visitor = await visitor_writes_and_is_taken(console, open_page, site_pages, "Hallo, wanneer zijn jullie open?")

    box = console.get_by_test_id("composer-input")
    popup = console.get_by_test_id("canned-popup")
    await box.press_sequentially("/wel")
    await expect(popup).to_be_visible()
    options = popup.get_by_test_id("canned-option")
    # Shortcuts that start with "wel" (not Bram's own); the first is chosen.
    await expect(options.locator(".canned-shortcut")).to_have_text(["/welgroet", "/welkom"])
    await expect(options.first).to_have_attribute("aria-selected", "true")
    await shoot(console, artifacts, "lc-canned-02-picker-en")
    await box.press("ArrowDown")
    await expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    await box.press("Enter")  # inserts, does not send
    await expect(popup).to_be_hidden()
    await expect(box).to_have_value("Welkom bij Job Genius! Waarmee kan ik u helpen?")
    await expect(console.get_by_test_id("messages").get_by_test_id("message-body")).to_have_count(1)

    # Later in a line, after a space; matching the text too; Escape closes and keeps the text.
    await box.press_sequentially(" /open")
    await expect(options.locator(".canned-shortcut")).to_have_text(["/openingstijden"])
    await box.press("Escape")
    await expect(popup).to_be_hidden()
    await expect(box).to_have_value("Welkom bij Job Genius! Waarmee kan ik u helpen? /open")
    await expect(console.get_by_test_id("chat-window")).to_be_visible()  # Escape did not close the tab
    await box.press("Backspace")
    await expect(popup).to_be_visible()
    await box.press("Tab")
    await expect(box).to_have_value("Welkom bij Job Genius! Waarmee kan ik u helpen? Wij zijn open van 9 tot 17 uur.")
    await box.press("Enter")  # the picker is closed: this sends
    sent = "Welkom bij Job Genius! Waarmee kan ik u helpen? Wij zijn open van 9 tot 17 uur."
    await expect(visitor.get_by_test_id("lc-message-body").last).to_have_text(sent)
    await box.press_sequentially("/zzz")
    await expect(popup.get_by_test_id("canned-none")).to_have_text("No canned response matches.")
    await box.fill("")
    await box.press_sequentially("/")
    await expect(popup).to_be_visible()
    await box.press("Backspace")
    await expect(popup).to_be_hidden()
    assert console.js_errors == [] and visitor.js_errors == []


async def test_canned_in_dutch_and_for_a_key_user(server, livechat, site_pages, open_page, artifacts):
    kees = livechat.key
    for setting in ("livechat.enabled", "livechat.reachable"):
        await kees.rest("PUT", f"/api/users/{kees.user['id']}/settings/{setting}", {"value": True})
    console = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(console, livechat.tenant["slug"], kees.user["username"])
    await console.get_by_test_id("nav-canned").click()
    await expect(console.get_by_test_id("view-canned").locator("h1")).to_have_text("Standaardantwoorden")
    # A key-user adds to the organisation's list.
    await console.get_by_test_id("canned-scope").select_option("organisation")
    await console.get_by_test_id("canned-shortcut").fill("/Bedankt")
    await console.get_by_test_id("canned-text").fill("Bedankt voor uw bericht!")
    await console.get_by_role("button", name="Toevoegen").click()
    organisation = console.get_by_test_id("canned-organisation")
    await expect(organisation.locator(".canned-shortcut")).to_have_text(["/bedankt"])
    await shoot(console, artifacts, "lc-canned-03-screen-nl")
    # Its delete asks first.
    console.once("dialog", lambda d: d.accept())
    await organisation.get_by_role("button", name="Verwijderen").click()
    await expect(organisation).to_have_text("Nog geen.")
    assert (await kees.rest("GET", "/api/livechat/canned"))["canned"] == []

    await kees.rest("POST", "/api/livechat/canned", {"scope": "organisation", "shortcut": "bedankt", "text": "Dank!"})
    await visitor_writes_and_is_taken(console, open_page, site_pages, "Goedemiddag", locale="nl-NL")
    box = console.get_by_test_id("composer-input")
    await box.press_sequentially("/be")
    await expect(console.get_by_test_id("canned-option")).to_have_count(1)
    await expect(console.get_by_test_id("canned-option").locator(".canned-scope")).to_have_text("organisatie")
    await shoot(console, artifacts, "lc-canned-04-picker-nl")
    # A click inserts too.
    await console.get_by_test_id("canned-option").click()
    await expect(box).to_have_value("Dank!")
    assert console.js_errors == []
