"""The console's session is the browser's cookie, as the app's (docs/security.md, "Web
session"): a new tab is signed in, a reload stays signed in, no script can read the
token, and logging out in one tab shows the login form in the other at once."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.livechat.browser.conftest import console_login

pytestmark = pytest.mark.browser


async def test_a_new_console_tab_is_signed_in_and_logout_signs_every_tab_out(server, livechat, open_page):
    olga = await livechat.make_operator(server, "Olga Bakker")
    tab1 = await open_page(server.url + "/console")
    await console_login(tab1, livechat.tenant["slug"], olga.user["username"], online=False)
    cookie = next(c for c in await tab1.context.cookies() if c["name"] == "chat_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert await tab1.evaluate("document.cookie") == ""
    assert cookie["value"] not in await tab1.evaluate("JSON.stringify([{...localStorage}, {...sessionStorage}])")

    tab2 = await tab1.context.new_page()
    errors: list[str] = []
    tab2.on("pageerror", lambda exc: errors.append(str(exc)))
    await tab2.goto(server.url + "/console")
    await expect(tab2.get_by_test_id("console")).to_have_attribute("data-ready", "true")
    await expect(tab2.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(tab2.get_by_test_id("me-name")).to_have_text("Olga Bakker")
    # A change signed by the cookie (the CSRF token goes along): going online, seen in the other tab's list.
    await tab2.get_by_test_id("availability").click()
    await expect(tab2.get_by_test_id("availability")).to_have_attribute("data-online", "true")
    await tab1.reload()
    await expect(tab1.get_by_test_id("console")).to_have_attribute("data-ready", "true")
    await expect(tab1.get_by_test_id("availability")).to_have_attribute("data-online", "true")

    await tab1.get_by_test_id("logout").click()
    await expect(tab1.get_by_test_id("login-form")).to_be_visible()
    await expect(tab2.get_by_test_id("login-form")).to_be_visible()
    await expect(tab2.get_by_test_id("console")).to_be_hidden()
    await tab2.reload()
    await expect(tab2.get_by_test_id("login-form")).to_be_visible()
    assert [c for c in await tab2.context.cookies() if c["name"] == "chat_session"] == []
    assert tab1.js_errors == [] and errors == []
