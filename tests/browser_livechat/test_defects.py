"""Regression tests, in Chromium, for the live-chat defects of issue 14: what the visitor
and the operator see in the widget (on a page of another origin) and in the console."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser_livechat.conftest import console_login, shoot

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
