"""Regression tests, in Chromium, for the live-chat defects of issue 14: what the visitor
and the operator see in the widget (on a page of another origin) and in the console."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login, shoot

pytestmark = pytest.mark.browser


def widget(page: Page):
    return page.locator("#chatserver-livechat")


async def send_from_widget(page: Page, text: str) -> None:
    box = page.get_by_test_id("lc-input")
    await box.fill(text)
    await box.press("Enter")
    await expect(page.get_by_test_id("lc-message-body").filter(has_text=text).last).to_be_visible()


async def open_chat(console: Page, list_id: str, text: str) -> None:
    await console.get_by_test_id(f"nav-{list_id}").click()
    item = console.get_by_test_id(f"list-{list_id}").locator("li", has_text=text)
    await item.get_by_role("button").first.click()
    await expect(console.get_by_test_id("chat-window")).to_be_visible()
    # Loaded (its messages shown): the visitor's fields are filled in, not refilled later.
    await expect(console.get_by_test_id("messages")).to_contain_text(text)


async def test_a_left_message_keeps_the_operators_entries_and_shows_the_visitors_beside_them(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    visitor = await open_page(site_pages.origin + "/index.html", locale="nl-NL")
    await expect(widget(visitor)).to_have_attribute("data-state", "ready")
    await visitor.get_by_test_id("lc-launcher").click()
    await send_from_widget(visitor, "Ik zoek werk als monteur")

    await open_chat(console, "incoming", "monteur")
    await console.get_by_test_id("assign-me").click()
    await console.get_by_test_id("visitor-name").fill("Pieter Puk (monteur)")
    await console.get_by_test_id("visitor-email").fill("p.puk@werk.nl")
    await console.get_by_test_id("visitor-save").click()
    await expect(console.get_by_test_id("visitor-saved")).to_have_text("Saved.")
    await console.get_by_test_id("resolve").click()
    await console.get_by_test_id("confirm-ok").click()
    await expect(console.get_by_test_id("chat-window")).to_have_attribute("data-state", "resolved")
    await console.get_by_test_id("availability").click()
    await expect(console.get_by_test_id("availability")).to_have_attribute("data-online", "false")

    # Nobody online: the visitor leaves a message under another name and address.
    await expect(visitor.get_by_test_id("lc-leave-form")).to_be_visible()
    await visitor.get_by_test_id("lc-leave-name").fill("Pietje")
    await visitor.get_by_test_id("lc-leave-email").fill("pietje@hotmail.com")
    await visitor.get_by_test_id("lc-leave-body").fill("Bel me terug")
    await visitor.get_by_test_id("lc-leave-send").click()
    await expect(visitor.get_by_test_id("lc-notice")).to_contain_text("Bedankt")

    await open_chat(console, "incoming", "Bel me terug")
    await expect(console.get_by_test_id("visitor-name")).to_have_value("Pieter Puk (monteur)")
    await expect(console.get_by_test_id("visitor-email")).to_have_value("p.puk@werk.nl")
    await expect(console.get_by_test_id("visitor-name-suggestion")).to_have_text("The visitor gave: Pietje Use")
    await expect(console.get_by_test_id("visitor-email-suggestion")).to_contain_text("pietje@hotmail.com")
    await expect(console.get_by_test_id("visitor-phone-suggestion")).to_be_hidden()
    await shoot(console, artifacts, "lc-defect-suggested-details")
    # One click takes the visitor's e-mail; saved, the suggestion is gone.
    await console.get_by_test_id("visitor-email-use").click()
    await expect(console.get_by_test_id("visitor-email")).to_have_value("pietje@hotmail.com")
    await console.get_by_test_id("visitor-save").click()
    await expect(console.get_by_test_id("visitor-email-suggestion")).to_be_hidden()
    await expect(console.get_by_test_id("visitor-name-suggestion")).to_be_visible()
    assert console.js_errors == []  # type: ignore[attr-defined]
    assert visitor.js_errors == []  # type: ignore[attr-defined]


async def test_resolved_page_changes_and_friendly_names(server, livechat, site_pages, open_page, artifacts):
    olga = await livechat.make_operator(server, "Olga Bakker")
    piet = await livechat.make_operator(server, "Piet Jansen")
    c_olga = await open_page(server.url + "/console")
    await console_login(c_olga, livechat.tenant["slug"], olga.user["username"])
    c_piet = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(c_piet, livechat.tenant["slug"], piet.user["username"])
    visitor = await open_page(site_pages.origin + "/index.html", locale="nl-NL")
    other = await open_page(site_pages.origin + "/index.html")
    for page, text in ((visitor, "Ik zoek werk als monteur"), (other, "Do you have jobs in Utrecht?")):
        await expect(widget(page)).to_have_attribute("data-state", "ready")
        await page.get_by_test_id("lc-launcher").click()
        await send_from_widget(page, text)

    # Each visitor has an own colour-and-animal name, in the console's language.
    for _ in range(50):
        convs = (await olga.rest("GET", "/api/livechat/conversations", state="incoming"))["conversations"]
        if len(convs) == 2 and all(c["last_message"] for c in convs):
            break
        await asyncio.sleep(0.1)
    alias = {c["last_message"]["body"]: c["visitor"]["alias"] for c in convs}
    ids = {c["last_message"]["body"]: c["id"] for c in convs}
    mine, theirs = alias["Ik zoek werk als monteur"], alias["Do you have jobs in Utrecht?"]
    assert mine["en"] != theirs["en"]
    await c_olga.get_by_test_id("nav-incoming").click()
    await expect(c_olga.get_by_test_id("list-incoming")).to_contain_text(mine["en"])
    await expect(c_olga.get_by_test_id("list-incoming")).to_contain_text(theirs["en"])
    await expect(c_olga.get_by_test_id("list-incoming")).not_to_contain_text("Visitor")
    await c_piet.get_by_test_id("nav-incoming").click()
    await expect(c_piet.get_by_test_id("list-incoming")).to_contain_text(mine["nl"])
    await expect(c_piet.get_by_test_id("list-incoming")).not_to_contain_text("Visitor")

    # By its id: the list redraws as events come, and items may move under the pointer.
    await c_olga.get_by_test_id(f"conv-open-{ids['Ik zoek werk als monteur']}").click()
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute(
        "data-conversation", str(ids["Ik zoek werk als monteur"]))
    await expect(c_olga.get_by_test_id("chat-title")).to_have_text(mine["en"])
    await expect(c_olga.get_by_test_id("messages").locator(".who").first).to_contain_text(mine["en"])
    await c_olga.get_by_test_id("assign-me").click()
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "active")
    await expect(c_olga.get_by_test_id("visitor-url")).to_have_text(site_pages.origin + "/index.html")

    # The visitor goes to another page: the console shows it at once, chat still open.
    await visitor.get_by_test_id("to-other").click()
    await expect(visitor).to_have_title("Over ons")
    await expect(c_olga.get_by_test_id("visitor-url")).to_have_text(site_pages.origin + "/other.html")
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "active")

    # Resolved: the widget says so, in the visitor's language.
    await c_olga.get_by_test_id("resolve").click()
    await c_olga.get_by_test_id("confirm-ok").click()
    await expect(visitor.get_by_test_id("lc-resolved")).to_have_text(
        "Dit gesprek is afgesloten. Schrijf gerust opnieuw als u nog een vraag heeft.")
    await expect(visitor.get_by_test_id("lc-operator")).to_be_hidden()
    await shoot(visitor, artifacts, "lc-defect-widget-resolved")
    # Writing again reopens it, and the note goes.
    await send_from_widget(visitor, "Toch nog een vraag")
    await expect(visitor.get_by_test_id("lc-resolved")).to_have_count(0)
    await expect(visitor.get_by_test_id("lc-operator")).to_contain_text("Olga Bakker")
    for page in (visitor, other, c_olga, c_piet):
        assert page.js_errors == []  # type: ignore[attr-defined]


async def test_a_refused_origin_shows_no_launcher_and_no_greeting(
    server, livechat, site_pages, foreign_pages, open_page, artifacts
):
    await livechat.make_operator(server, "Olga Bakker")
    foreign_pages.snippet = livechat.site["snippet"]
    page = await open_page(foreign_pages.origin + "/index.html")
    await expect(widget(page)).to_have_attribute("data-state", "unavailable")
    await expect(page.get_by_test_id("lc-launcher")).to_be_hidden()
    await expect(page.get_by_test_id("lc-greeting")).to_be_hidden()
    await expect(page.get_by_test_id("lc-panel")).to_be_hidden()
    await shoot(page, artifacts, "lc-defect-refused-origin")
    # The allowed origin still has its launcher.
    allowed = await open_page(site_pages.origin + "/index.html")
    await expect(allowed.get_by_test_id("lc-launcher")).to_be_visible()
    assert page.js_errors == []  # type: ignore[attr-defined]


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


LONG_NAME = "Wilhelmina Johanna Theodora van Oldenbarnevelt-Schimmelpenninck tot Nijenrode"


async def test_console_layout_badge_toasts_long_names_narrow_top_bar(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    visitor = await open_page(site_pages.origin + "/index.html")
    await expect(widget(visitor)).to_have_attribute("data-state", "ready")
    await visitor.get_by_test_id("lc-launcher").click()
    await send_from_widget(visitor, "Hello, a question about the vacancy")
    await open_chat(console, "incoming", "vacancy")
    await console.get_by_test_id("assign-me").click()
    await expect(console.get_by_test_id("chat-window")).to_have_attribute("data-state", "active")
    await console.get_by_test_id("visitor-name").fill(LONG_NAME)
    await console.get_by_test_id("visitor-save").click()
    await expect(console.get_by_test_id("chat-title")).to_have_text(LONG_NAME)

    # A long name stays inside the sidebar, cut with an ellipsis.
    nav = await console.locator("nav.nav").bounding_box()
    item = console.get_by_test_id("nav-chats").get_by_role("button", name=LONG_NAME)
    box = await item.bounding_box()
    assert nav and box and box["x"] + box["width"] <= nav["x"] + nav["width"] + 0.5, (nav, box)
    label = item.locator(".name")
    assert await label.evaluate("n => getComputedStyle(n).textOverflow") == "ellipsis"
    assert await label.evaluate("n => n.scrollWidth > n.clientWidth")

    # Unread while the operator looks elsewhere: a small badge, not a bar.
    await console.get_by_test_id("nav-active").click()
    await send_from_widget(visitor, "Are you there?")
    badge = console.get_by_test_id("list-active").get_by_test_id("conv-unread")
    await expect(badge).to_have_text("1")
    b = await badge.bounding_box()
    assert b and b["width"] < 40 and b["height"] < 30, b
    await shoot(console, artifacts, "lc-layout-unread-badge")

    # A toast does not cover the chat's buttons nor the visitor's fields.
    await console.get_by_test_id("nav-sites").click()
    await console.get_by_test_id(f"copy-{livechat.site['id']}").click()
    toast = console.get_by_test_id("toast")
    await expect(toast).to_be_visible()
    await console.get_by_test_id("nav-chats").get_by_role("button").first.click()
    await expect(console.get_by_test_id("chat-window")).to_be_visible()
    await expect(toast).to_be_visible()
    t = await toast.bounding_box()
    assert t
    for testid in ("take-over", "resolve", "assign-to", "assign-colleague", "visitor-name", "visitor-email",
                   "visitor-phone", "visitor-save", "composer-input", "composer-send"):
        target = console.get_by_test_id(testid)
        if await target.is_visible():
            r = await target.bounding_box()
            assert r and not _overlap(t, r), (testid, t, r)
    await shoot(console, artifacts, "lc-layout-toast")

    # At 800 px wide the top bar stays one row.
    await console.set_viewport_size({"width": 800, "height": 860})
    bar = await console.locator("header.topbar").bounding_box()
    logout = await console.get_by_test_id("logout").bounding_box()
    brand = await console.locator("header.topbar .brand").bounding_box()
    assert bar and logout and brand
    assert bar["height"] < 60, bar
    assert abs((logout["y"] + logout["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 6, (logout, brand)
    assert logout["x"] + logout["width"] <= 800
    await shoot(console, artifacts, "lc-layout-800px")
    assert console.js_errors == []  # type: ignore[attr-defined]


async def test_on_a_phone_the_widget_panel_is_full_screen(server, livechat, site_pages, open_page, artifacts):
    await livechat.make_operator(server, "Olga Bakker")
    phone = await open_page(None)
    await phone.set_viewport_size({"width": 390, "height": 844})
    await phone.goto(site_pages.origin + "/index.html")
    await expect(widget(phone)).to_have_attribute("data-state", "offline")
    await phone.get_by_test_id("lc-launcher").click()
    panel = await phone.get_by_test_id("lc-panel").bounding_box()
    assert panel == {"x": 0, "y": 0, "width": 390, "height": 844}, panel
    # Closing is still at hand, and the form fits.
    await expect(phone.get_by_test_id("lc-close")).to_be_visible()
    await shoot(phone, artifacts, "lc-layout-phone-panel")
    await phone.get_by_test_id("lc-close").click()
    await expect(phone.get_by_test_id("lc-panel")).to_be_hidden()
    await expect(phone.get_by_test_id("lc-launcher")).to_be_visible()
    # A desktop keeps the floating panel.
    desk = await open_page(site_pages.origin + "/index.html")
    await desk.get_by_test_id("lc-launcher").click()
    floating = await desk.get_by_test_id("lc-panel").bounding_box()
    assert floating and floating["width"] == 360


async def test_a_reopened_chat_of_an_operator_who_logged_out_goes_to_one_online(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    bram = await livechat.make_operator(server, "Bram de Vries")
    c_olga = await open_page(server.url + "/console")
    await console_login(c_olga, livechat.tenant["slug"], olga.user["username"])
    c_bram = await open_page(server.url + "/console")
    await console_login(c_bram, livechat.tenant["slug"], bram.user["username"])
    visitor = await open_page(site_pages.origin + "/index.html")
    await expect(widget(visitor)).to_have_attribute("data-state", "ready")
    await visitor.get_by_test_id("lc-launcher").click()
    await send_from_widget(visitor, "A question about the vacancy")

    await open_chat(c_olga, "incoming", "vacancy")
    await c_olga.get_by_test_id("assign-me").click()
    await expect(visitor.get_by_test_id("lc-operator")).to_have_text("You are chatting with Olga Bakker")
    await c_olga.get_by_test_id("resolve").click()
    await c_olga.get_by_test_id("confirm-ok").click()
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "resolved")
    await c_olga.get_by_test_id("logout").click()
    await expect(c_olga.get_by_test_id("login-form")).to_be_visible()

    # The visitor writes again: not Olga's (gone), back in Incoming where Bram sees it.
    await send_from_widget(visitor, "One more question")
    await c_bram.get_by_test_id("nav-incoming").click()
    await expect(c_bram.get_by_test_id("list-incoming")).to_contain_text("One more question")
    await expect(visitor.get_by_test_id("lc-operator")).to_be_hidden()
    await expect(visitor.get_by_test_id("lc-panel")).not_to_contain_text("Olga Bakker")
    await shoot(visitor, artifacts, "lc-defect-reopen-not-offline-operator")
    assert visitor.js_errors == []  # type: ignore[attr-defined]
