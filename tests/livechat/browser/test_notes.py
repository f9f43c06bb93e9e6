"""Private notes in Chromium: written in the console's "Private note" mode, shown apart
from messages to every operator, never in the visitor's widget (another origin)."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_canned import visitor_writes_and_is_taken

pytestmark = pytest.mark.browser

NOTE = "Bel haar morgen terug over de vacature monteur"


async def test_private_note_seen_by_operators_never_by_the_visitor(server, livechat, site_pages, open_page, artifacts):
    olga = await livechat.make_operator(server, "Olga Bakker")
    bram = await livechat.make_operator(server, "Bram de Vries")
    c_olga = await open_page(server.url + "/console")
    await console_login(c_olga, livechat.tenant["slug"], olga.user["username"])
    c_bram = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(c_bram, livechat.tenant["slug"], bram.user["username"], online=False)
    visitor = await visitor_writes_and_is_taken(c_olga, open_page, site_pages, "Kunt u mij terugbellen?")
    conv_id = (await olga.rest("GET", "/api/livechat/conversations", state="active"))["conversations"][0]["id"]
    await c_bram.get_by_test_id("nav-active").click()
    await c_bram.get_by_test_id(f"conv-open-{conv_id}").click()

    # Olga writes a note: her reply box turns into a note box, and typing is not shown
    # to the visitor.
    await c_olga.get_by_test_id("mode-note").click()
    await expect(c_olga.get_by_test_id("composer")).to_have_attribute("data-mode", "note")
    await expect(c_olga.get_by_test_id("composer-send")).to_have_text("Add note")
    box = c_olga.get_by_test_id("composer-input")
    await box.press_sequentially(NOTE)
    await box.press("Enter")
    notes = c_olga.get_by_test_id("messages").get_by_test_id("note")
    await expect(notes.get_by_test_id("note-body")).to_have_text([NOTE])
    await expect(notes).not_to_have_class("pending")
    await expect(notes).to_contain_text("Private note · Olga Bakker")
    # A note looks unlike a reply: another background.
    note_bg = await notes.evaluate("(n) => getComputedStyle(n).backgroundColor")
    reply_bg = "rgb(220, 233, 251)"  # --operator
    assert note_bg != reply_bg
    await expect(visitor.get_by_test_id("lc-typing")).to_have_text("")

    # Bram sees it at once, in Dutch, beside the visitor's message.
    b_notes = c_bram.get_by_test_id("messages").get_by_test_id("note")
    await expect(b_notes.get_by_test_id("note-body")).to_have_text([NOTE])
    await expect(b_notes).to_contain_text("Privénotitie · Olga Bakker")
    await expect(c_bram.get_by_test_id("messages").get_by_test_id("message-body")).to_have_text(["Kunt u mij terugbellen?"])
    await shoot(c_bram, artifacts, "lc-notes-01-colleague-nl")

    # Back to replying: the visitor gets the reply and never the note, not after a reload either.
    await c_olga.get_by_test_id("mode-reply").click()
    await box.fill("Ik bel u morgen terug.")
    await box.press("Enter")
    await expect(visitor.get_by_test_id("lc-message-body")).to_have_text(["Kunt u mij terugbellen?", "Ik bel u morgen terug."])
    await shoot(c_olga, artifacts, "lc-notes-02-console-en")
    await shoot(visitor, artifacts, "lc-notes-03-widget-without-note")
    assert NOTE not in await visitor.evaluate("document.querySelector('#chatserver-livechat').shadowRoot.innerHTML")
    await visitor.reload()
    await expect(visitor.get_by_test_id("lc-message-body")).to_have_count(2)
    assert NOTE not in await visitor.evaluate("document.querySelector('#chatserver-livechat').shadowRoot.innerHTML")

    # A resolved chat takes notes only (the visitor's side is read-only).
    await c_olga.get_by_test_id("resolve").click()
    await c_olga.get_by_test_id("confirm-ok").click()
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "resolved")
    await expect(c_olga.get_by_test_id("mode-reply")).to_be_hidden()
    await expect(c_olga.get_by_test_id("composer")).to_have_attribute("data-mode", "note")
    await box.fill("Opgelost: terugbelafspraak gemaakt")
    await box.press("Enter")
    await expect(notes.get_by_test_id("note-body")).to_have_text([NOTE, "Opgelost: terugbelafspraak gemaakt"])
    await expect(b_notes).to_have_count(2)
    await shoot(c_olga, artifacts, "lc-notes-04-resolved-en")
    assert c_olga.js_errors == [] and c_bram.js_errors == [] and visitor.js_errors == []
