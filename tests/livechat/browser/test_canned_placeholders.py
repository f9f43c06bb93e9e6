"""Placeholders in canned responses, in Chromium: {{visitor.name}}, {{operator.first_name}}
and {{site.name}} are filled in when the response is inserted; one without a value (a
visitor who gave no name yet) or unknown ({{ticket.id}}) stays as written and is
selected, so the operator types over it; the visitor's widget (another origin) gets what
was sent."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_canned import visitor_writes_and_is_taken

pytestmark = pytest.mark.browser

TEMPLATE = "Hallo {{visitor.name}}, ik ben {{ operator.first_name }} van {{site.name}}. Uw dossier: {{ticket.id}}"


async def _selected(box) -> str:  # noqa: ANN001 (a Locator)
    return str(await box.evaluate("b => b.value.slice(b.selectionStart, b.selectionEnd)"))


async def _insert(box, shortcut: str) -> None:  # noqa: ANN001
    await box.fill("")
    await box.press_sequentially(f"/{shortcut}")
    await box.press("Enter")


async def test_placeholders_are_filled_in_and_the_rest_is_left_selected(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    await olga.rest("POST", "/api/livechat/canned", {"scope": "personal", "shortcut": "hallo", "text": TEMPLATE})
    console: Page = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    await console.get_by_test_id("nav-canned").click()
    await expect(console.get_by_test_id("canned-placeholders")).to_contain_text(
        "{{visitor.name}}, {{visitor.first_name}}, {{visitor.email}}, {{visitor.phone}}, {{operator.name}}, "
        "{{operator.first_name}}, {{site.name}}. Any other stays as written.")
    visitor = await visitor_writes_and_is_taken(console, open_page, site_pages, "Goedemiddag, een vraag")

    # The visitor gave no name yet: that placeholder stays, selected; so does the unknown one.
    box = console.get_by_test_id("composer-input")
    await _insert(box, "hallo")
    await expect(box).to_have_value(
        "Hallo {{visitor.name}}, ik ben Olga van Job Genius. Uw dossier: {{ticket.id}}")
    assert await _selected(box) == "{{visitor.name}}"
    await expect(console.get_by_test_id("announcer")).to_have_text("Fill in {{visitor.name}} before sending.")
    await shoot(console, artifacts, "lc-canned-04-placeholder-left-en")

    # Named in the visitor panel: now it is filled in, and the unknown one is selected.
    await console.get_by_test_id("visitor-name").fill("Fatima El Amrani")
    await console.get_by_test_id("visitor-save").click()
    await expect(console.get_by_test_id("chat-title")).to_have_text("Fatima El Amrani")
    await _insert(box, "hallo")
    await expect(box).to_have_value("Hallo Fatima El Amrani, ik ben Olga van Job Genius. Uw dossier: {{ticket.id}}")
    assert await _selected(box) == "{{ticket.id}}"
    await box.press_sequentially("A-123")
    await box.press("Enter")
    sent = "Hallo Fatima El Amrani, ik ben Olga van Job Genius. Uw dossier: A-123"
    await expect(visitor.get_by_test_id("lc-message-body").last).to_have_text(sent)
    assert console.js_errors == [] and visitor.js_errors == []


async def test_the_placeholder_help_in_dutch(server, livechat, open_page):
    olga = await livechat.make_operator(server, "Olga Bakker")
    console: Page = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    await console.get_by_test_id("nav-canned").click()
    await expect(console.get_by_test_id("canned-placeholders")).to_have_text(
        "Invulvelden, ingevuld bij het invoegen: {{visitor.name}}, {{visitor.first_name}}, {{visitor.email}}, "
        "{{visitor.phone}}, {{operator.name}}, {{operator.first_name}}, {{site.name}}. "
        "Andere blijven staan zoals ze zijn geschreven.")
