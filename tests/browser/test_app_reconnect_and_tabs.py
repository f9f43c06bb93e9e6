"""The app stays right across a dropped connection (nothing lost, nothing shown twice)
and across two tabs of one user (what one does, the other shows)."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD, two_contacts

pytestmark = pytest.mark.browser


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
