"""The colleague web app at /app, driven in a real Chromium (issue 2, point 10).

Two colleagues, each in their own browser context: search, request, accept, chat,
unread badge, typing, status changes seen live; user text always shown as text.
"""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, befriend, make_tenant, make_user, two_contacts

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


async def test_reconnect_loses_nothing_and_shows_nothing_twice(server, open_app):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await anna.connect()
    a_id, b_id = anna.user["id"], bram.user["id"]

    page = await open_app()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    await page.get_by_test_id(f"contact-{a_id}").click()
    window = page.get_by_test_id(f"chat-window-{a_id}")
    await expect(window.get_by_test_id("message-input")).to_be_focused()
    await anna.send_message(b_id, "voor")
    await expect(window.get_by_test_id("message-body")).to_have_text(["voor"])

    # The server drops the browser's connection; messages are sent while it is away.
    hub = server.app.state.hub
    for conn in hub.connections(b_id):
        await conn.close(1001, "server shutting down")
    sent = [f"tijdens {i}" for i in range(5)]
    for body in sent:
        await anna.send_message(b_id, body)
    await expect(page.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(window.get_by_test_id("message-body")).to_have_text(["voor", *sent])

    # A reload keeps the session (sessionStorage) and shows the history once.
    await page.reload()
    await expect(page.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await page.get_by_test_id(f"contact-{a_id}").click()
    await anna.send_message(b_id, "na")
    await expect(window.get_by_test_id("message-body")).to_have_text(["voor", *sent, "na"])
    assert page.js_errors == []
    # Each connection (the first, the reconnect, the reload's) opened with a ticket of its
    # own; the token never stood in a URL (docs/security.md).
    assert len(sockets) >= 3 and len(set(sockets)) == len(sockets), sockets
    assert all("/ws?ticket=" in url and bram.token not in url for url in sockets), sockets


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


async def test_history_loads_older_pages(server, open_app):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await anna.connect()
    bodies = [f"bericht {i:02d}" for i in range(45)]
    for body in bodies:
        await anna.send_message(bram.user["id"], body)

    page = await open_app()
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    await page.get_by_test_id(f"contact-{anna.user['id']}").click()
    window = page.get_by_test_id(f"chat-window-{anna.user['id']}")
    await expect(window.get_by_test_id("message-body")).to_have_text(bodies[-30:])
    older = window.get_by_test_id("load-older")
    await older.click()
    await expect(window.get_by_test_id("message-body")).to_have_text(bodies)
    await expect(older).to_be_hidden()
    await expect(page.get_by_test_id("chat-badge")).to_be_hidden()


async def test_decline_and_decline_and_block(server, open_app):
    tenant = await make_tenant(server)
    anna = await make_user(server, tenant, "Anna Jansen")
    bram = await make_user(server, tenant, "Bram de Vries")
    a_id, b_id = anna.user["id"], bram.user["id"]
    page_a = await open_app()
    page_b = await open_app()
    await log_in(page_a, tenant["slug"], anna.user["username"], PASSWORD)
    await log_in(page_b, tenant["slug"], bram.user["username"], PASSWORD)

    async def ask() -> None:
        if await page_a.get_by_test_id("add-panel").is_hidden():
            await page_a.get_by_test_id("add-contact-open").click()
            await page_a.get_by_test_id("add-search").fill("Bram")
        await page_a.get_by_test_id(f"suggestion-{b_id}").click()

    await ask()
    await expect(page_a.get_by_test_id("add-message")).to_have_text("Contact request sent to Bram de Vries.")
    await page_b.get_by_test_id(f"request-decline-{a_id}").click()
    await expect(page_b.get_by_test_id(f"request-{a_id}")).to_have_count(0)
    await expect(page_b.get_by_test_id("requests")).to_be_hidden()

    # Declined is not blocked: A may ask again; now B declines and blocks.
    await page_a.get_by_test_id("add-message").evaluate("node => node.textContent = ''")
    await ask()
    await expect(page_a.get_by_test_id("add-message")).to_have_text("Contact request sent to Bram de Vries.")
    await page_b.get_by_test_id(f"request-block-{a_id}").click()
    await expect(page_b.get_by_test_id(f"request-{a_id}")).to_have_count(0)
    await ask()
    await expect(page_a.get_by_test_id("add-message")).to_have_text(
        "This person does not accept contact requests from you."
    )
    await expect(page_a.get_by_test_id(f"contact-{b_id}")).to_have_count(0)
    await expect(page_b.get_by_test_id(f"contact-{a_id}")).to_have_count(0)


async def test_two_tabs_of_one_user_stay_in_step(server, open_app):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await anna.connect()
    a_id, b_id = anna.user["id"], bram.user["id"]
    tab1 = await open_app()
    tab2 = await open_app()
    for tab in (tab1, tab2):
        await log_in(tab, tenant["slug"], bram.user["username"], PASSWORD)

    await anna.send_message(b_id, "aan beide tabs")
    for tab in (tab1, tab2):
        await expect(tab.get_by_test_id("chat-badge")).to_have_text("1")
    await tab2.get_by_test_id(f"contact-{a_id}").click()
    await tab1.get_by_test_id(f"contact-{a_id}").click()
    window1 = tab1.get_by_test_id(f"chat-window-{a_id}")
    window2 = tab2.get_by_test_id(f"chat-window-{a_id}")
    await expect(window1.get_by_test_id("message-body")).to_have_text(["aan beide tabs"])
    # Read in one tab: the badge clears in both.
    for tab in (tab1, tab2):
        await expect(tab.get_by_test_id("chat-badge")).to_be_hidden()

    # Sent from one tab: shown once in the other.
    await window1.get_by_test_id("message-input").fill("vanuit tab 1")
    await window1.get_by_test_id("send").click()
    await expect(window2.get_by_test_id("message-body")).to_have_text(["aan beide tabs", "vanuit tab 1"])
    await expect(window1.get_by_test_id("message-body")).to_have_text(["aan beide tabs", "vanuit tab 1"])

    # Status chosen in one tab is followed by the other.
    await tab1.get_by_test_id("status-select").select_option("away")
    await expect(tab2.get_by_test_id("own-status")).to_have_attribute("data-status", "away")
    await expect(tab2.get_by_test_id("status-select")).to_have_value("away")
    assert tab1.js_errors == [] and tab2.js_errors == []
