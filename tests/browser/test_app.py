"""The colleague web app at /app, driven in a real Chromium (issue 2, point 10).

Two colleagues, each in their own browser context: search, request, accept, chat,
unread badge, typing, status changes seen live; user text always shown as text. The
rest of the app has a file each here (test_app_*.py).
"""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, befriend, make_tenant, make_user

pytestmark = pytest.mark.browser


async def test_two_colleagues_request_accept_chat_and_see_each_other_live(server, open_app, artifacts):
    tenant = await make_tenant(server, "werving")
    anna = await make_user(server, tenant, "Anna Jansen", function="Recruiter")
    bram = await make_user(server, tenant, "Bram de Vries", function="Account manager")
    a_id, b_id = anna.user["id"], bram.user["id"]

    page_a = await open_app()
    page_b = await open_app()
    await log_in(page_a, tenant["slug"], anna.user["username"], PASSWORD)
    await log_in(page_b, tenant["slug"], bram.user["username"], PASSWORD)
    await expect(page_a.get_by_test_id("me-name")).to_have_text("Anna Jansen")
    await expect(page_a.get_by_test_id("chat-badge")).to_be_hidden()

    # A finds B by typing part of the name; the function filter is filled from /api/functions.
    await page_a.get_by_test_id("add-contact-open").click()
    await expect(
        page_a.get_by_test_id("add-function").locator("option", has_text="Account manager")
    ).to_have_count(1)
    await page_a.get_by_test_id("add-search").press_sequentially("Vri")
    suggestion = page_a.get_by_test_id(f"suggestion-{b_id}")
    await expect(suggestion).to_contain_text("Bram de Vries")
    await page_a.get_by_test_id("add-function").select_option("Recruiter")
    await expect(suggestion).to_have_count(0)
    await page_a.get_by_test_id("add-function").select_option("Account manager")
    await expect(page_a.get_by_test_id("add-hint")).to_have_text("1 suggestion")
    await shoot(page_a, artifacts, "01-a-search-suggestions")
    # One step: the click sends the request and the panel closes, saying so.
    await suggestion.click()
    await expect(page_a.get_by_test_id("add-panel")).to_be_hidden()
    await expect(page_a.get_by_test_id("add-message")).to_have_text("Contact request sent to Bram de Vries.")
    await expect(page_a.get_by_test_id("add-contact-open")).to_be_focused()
    await expect(page_a.get_by_test_id(f"outgoing-{b_id}")).to_be_visible()

    # B is told live and accepts.
    request = page_b.get_by_test_id(f"request-{a_id}")
    await expect(request).to_contain_text("Anna Jansen wants to add you as a contact")
    await shoot(page_b, artifacts, "02-b-incoming-request")
    await page_b.get_by_test_id(f"request-accept-{a_id}").click()
    await expect(request).to_have_count(0)
    await expect(page_b.get_by_test_id(f"contact-{a_id}")).to_be_visible()

    # A sees B as a contact, online (green check).
    await expect(page_a.get_by_test_id(f"contact-presence-{b_id}")).to_have_attribute("data-status", "online")
    await expect(page_a.get_by_test_id(f"outgoing-{b_id}")).to_have_count(0)
    await expect(page_b.get_by_test_id(f"contact-presence-{a_id}")).to_have_attribute("data-status", "online")

    # A writes; B has not opened the conversation: the badge on the chat icon appears.
    await page_a.get_by_test_id(f"contact-{b_id}").click()
    window_a = page_a.get_by_test_id(f"chat-window-{b_id}")
    await expect(window_a).to_be_visible()
    await window_a.get_by_test_id("message-input").fill("Hallo Bram, heb je de vacature gezien?")
    await window_a.get_by_test_id("message-input").press("Enter")
    await expect(window_a.get_by_test_id("message-body")).to_have_text(
        ["Hallo Bram, heb je de vacature gezien?"]
    )

    badge = page_b.get_by_test_id("chat-badge")
    await expect(badge).to_be_visible()
    await expect(badge).to_have_text("1")
    await expect(page_b.get_by_test_id(f"recent-{a_id}")).to_be_visible()
    await expect(page_b.get_by_test_id(f"contact-unread-{a_id}")).to_have_text("1")
    await shoot(page_b, artifacts, "03-b-unread-badge")

    # B opens the conversation: the message is there and the badge clears.
    await page_b.get_by_test_id(f"contact-{a_id}").click()
    window_b = page_b.get_by_test_id(f"chat-window-{a_id}")
    await expect(window_b.get_by_test_id("message-body")).to_have_text(
        ["Hallo Bram, heb je de vacature gezien?"]
    )
    await expect(badge).to_be_hidden()
    await expect(page_b.get_by_test_id(f"contact-unread-{a_id}")).to_have_count(0)
    # ... and A sees that B read it.
    await expect(window_a.get_by_test_id("ticks")).to_have_attribute("data-state", "read")

    # Typing: B types, A sees "... is typing"; B sends, A gets the message and the line goes.
    await window_b.get_by_test_id("message-input").press_sequentially("Ja, ")
    typing = window_a.get_by_test_id("typing")
    await expect(typing).to_have_text("Bram de Vries is typing…")
    await shoot(page_a, artifacts, "04-a-typing")
    await window_b.get_by_test_id("message-input").press_sequentially("ik bel de kandidaat.")
    await window_b.get_by_test_id("send").click()
    await expect(window_a.get_by_test_id("message-body")).to_have_text(
        ["Hallo Bram, heb je de vacature gezien?", "Ja, ik bel de kandidaat."]
    )
    await expect(typing).to_have_text("")
    # A has the window open and looks at it: nothing stays unread.
    await expect(page_a.get_by_test_id("chat-badge")).to_be_hidden()

    # B goes Away: A sees it live, in the list and in the chat window.
    await page_b.get_by_test_id("status-select").select_option("away")
    await expect(page_a.get_by_test_id(f"contact-presence-{b_id}")).to_have_attribute("data-status", "away")
    await expect(window_a.get_by_test_id(f"chat-presence-{b_id}")).to_have_attribute("data-status", "away")
    await shoot(page_a, artifacts, "05-a-sees-b-away")

    # Invisible shows as offline to A; B can still write.
    await page_b.get_by_test_id("status-select").select_option("invisible")
    await expect(page_a.get_by_test_id(f"contact-presence-{b_id}")).to_have_attribute(
        "data-status", "offline"
    )
    await window_b.get_by_test_id("message-input").fill("Onzichtbaar maar hier")
    await window_b.get_by_test_id("message-input").press("Enter")
    await expect(window_a.get_by_test_id("message-body").last).to_have_text("Onzichtbaar maar hier")

    # Offline: B cannot send, and is told why (seed 3.2.2).
    await page_b.get_by_test_id("status-select").select_option("offline")
    await expect(window_b.get_by_test_id("offline-note")).to_be_visible()
    await expect(window_b.get_by_test_id("offline-note")).to_contain_text("you cannot send messages")
    await expect(window_b.get_by_test_id("message-input")).to_be_disabled()
    await expect(window_b.get_by_test_id("send")).to_be_disabled()
    await shoot(page_b, artifacts, "06-b-offline")

    # Messages to B while Offline wait; back Online, they arrive.
    await window_a.get_by_test_id("message-input").fill("Ben je er weer?")
    await window_a.get_by_test_id("message-input").press("Enter")
    await expect(window_a.get_by_test_id("message-body").last).to_have_text("Ben je er weer?")
    await expect(window_b.get_by_test_id("message-body")).to_have_count(3)
    await page_b.get_by_test_id("status-select").select_option("online")
    await expect(window_b.get_by_test_id("message-body").last).to_have_text("Ben je er weer?")
    await expect(page_a.get_by_test_id(f"contact-presence-{b_id}")).to_have_attribute("data-status", "online")

    assert page_a.js_errors == [] and page_b.js_errors == []


async def test_user_text_is_shown_as_text_never_run(server, open_app, artifacts):
    tenant = await make_tenant(server)
    anna = await make_user(server, tenant, "Anna Jansen")
    # Names are user text too.
    mallory = await make_user(server, tenant, "Mal <img src=x onerror=window.__xss=2>")
    await befriend(anna, mallory)
    await mallory.connect()
    payloads = ["<img src=x onerror=window.__xss=1>", "<script>window.__xss=3</script>"]
    await mallory.send_message(anna.user["id"], payloads[0])

    page = await open_app()
    await log_in(page, tenant["slug"], anna.user["username"], PASSWORD)
    m_id = mallory.user["id"]
    contact = page.get_by_test_id(f"contact-{m_id}")
    await expect(contact).to_contain_text("Mal <img src=x onerror=window.__xss=2>")
    await contact.click()
    window = page.get_by_test_id(f"chat-window-{m_id}")
    # From history ...
    await expect(window.get_by_test_id("message-body")).to_have_text([payloads[0]])
    # ... and live.
    await mallory.send_message(anna.user["id"], payloads[1])
    await expect(window.get_by_test_id("message-body")).to_have_text(payloads)
    # And what the user types goes out as text too.
    await window.get_by_test_id("message-input").fill("<b onmouseover=window.__xss=4>bold</b>")
    await window.get_by_test_id("send").click()
    await expect(window.get_by_test_id("message-body").last).to_have_text(
        "<b onmouseover=window.__xss=4>bold</b>"
    )
    await shoot(page, artifacts, "10-xss-as-text")

    assert await page.locator("#app-view img, #app-view script, #app-view b").count() == 0
    assert await page.evaluate("window.__xss") is None
    assert page.js_errors == []
