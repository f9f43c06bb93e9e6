"""A chat call's note in the user's language (VC-1): the server stores the call as data
(kind "call", meta) and the app says it in Dutch or English, in the conversation and in
the conversation list; the English body stays for clients that do not know the kind."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, two_contacts

pytestmark = pytest.mark.browser


async def test_a_dutch_user_reads_a_missed_and_an_answered_call_in_dutch(server, open_app, artifacts):
    org, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Boer")
    await anna.connect()
    await bram.connect()
    # Bram on Do not disturb: nothing rings, the missed call is noted at once.
    await bram.set_status("dnd")
    await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]})
    await bram.next_event("chat.message", timeout=5)
    # Then a call he answers, and both hang up: noted with its length.
    await bram.set_status("online")
    room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
    await anna.request("video.join", {"room": room["token"]})
    await bram.request("video.join", {"room": room["token"]})
    await bram.request("video.leave", {})
    await anna.request("video.leave", {})
    note = await bram.next_event("chat.message", timeout=5)
    assert note["data"]["message"]["body"].startswith("📹 Video call · 0:0")  # the fallback stays English

    page = await open_app("nl-NL")
    await log_in(page, org["slug"], bram.user["username"], PASSWORD)
    anna_id = anna.user["id"]
    # The conversation list's preview: the last message, the answered call, in Dutch.
    await expect(page.get_by_test_id(f"recent-preview-{anna_id}")).to_have_text("Videogesprek · 0:00")
    await expect(page.get_by_test_id(f"recent-{anna_id}").locator(".call-icon")).to_have_count(1)
    await page.get_by_test_id(f"recent-{anna_id}").click()
    window = page.get_by_test_id(f"chat-window-{anna_id}")
    bodies = window.get_by_test_id("message-body")
    await expect(bodies).to_have_text(["Gemist videogesprek", "Videogesprek · 0:00"])
    await expect(window.locator(".call-note .call-icon")).to_have_count(2)
    await shoot(page, artifacts, "video-call-notes-nl")

    # The same conversation in English, after switching the app's language.
    await page.get_by_test_id("app-lang").select_option("en")
    await expect(bodies).to_have_text(["Missed video call", "Video call · 0:00"])
    await expect(page.get_by_test_id(f"recent-preview-{anna_id}")).to_have_text("Video call · 0:00")
    assert page.js_errors == []
