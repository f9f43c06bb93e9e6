"""The widget's "Send me the transcript" in Chromium, from the site's second origin: the
mail reaches a real SMTP server on loopback; a bad address and asking too often get a
clear message; English and Dutch."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.async_api import Page, expect

from chatserver.config import Config
from tests.livechat.browser.conftest import shoot
from tests.mail_server import Inbox, smtp  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def config(config: Config, smtp: tuple[Inbox, int]) -> Config:  # noqa: F811 (the fixtures it builds on)
    return replace(config, smtp_url=f"smtp://127.0.0.1:{smtp[1]}", mail_from="chat@jobgenius.example")


async def leave_message(visitor: Page, name: str, email: str, body: str) -> None:
    """No operator online: the visitor leaves a message (their chat's first)."""
    await visitor.get_by_test_id("lc-launcher").click()
    await visitor.get_by_test_id("lc-leave-name").fill(name)
    await visitor.get_by_test_id("lc-leave-email").fill(email)
    await visitor.get_by_test_id("lc-leave-body").fill(body)
    await visitor.get_by_test_id("lc-leave-send").click()
    await expect(visitor.get_by_test_id("lc-leave-form")).to_be_hidden()


async def test_the_visitor_mails_themselves_the_transcript(server, livechat, site_pages, open_page, artifacts,
                                                          smtp):  # noqa: F811 (the fixture)
    inbox, _ = smtp
    visitor = await open_page(site_pages.origin + "/index.html")
    button = visitor.get_by_test_id("lc-transcript")
    await visitor.get_by_test_id("lc-launcher").click()
    await expect(button).to_be_hidden()  # nothing to send yet
    await visitor.get_by_test_id("lc-launcher").click()
    await leave_message(visitor, "Pietje Puk", "pietje.puk@example.nl", "Call me about the mechanic vacancy")

    await expect(button).to_have_text("Send me the transcript")
    await button.click()
    email = visitor.get_by_test_id("lc-transcript-email")
    await expect(email).to_have_value("pietje.puk@example.nl")  # the address they gave
    await email.fill("not an address")
    await visitor.get_by_test_id("lc-transcript-send").click()
    status = visitor.get_by_test_id("lc-transcript-status")
    await expect(status).to_have_text("Please enter a valid e-mail address.")
    await email.fill("pietje@example.org")
    await shoot(visitor, artifacts, "lc-transcript-01-widget-en")
    await visitor.get_by_test_id("lc-transcript-send").click()
    await expect(status).to_have_text("The transcript has been sent to pietje@example.org.")
    await expect(visitor.get_by_test_id("lc-transcript-form")).to_be_hidden()
    await shoot(visitor, artifacts, "lc-transcript-02-sent-en")
    (mail,) = inbox.messages
    assert mail["To"] == "pietje@example.org"
    assert mail["Subject"] == "Transcript of your chat with Job Genius"
    assert "] Pietje Puk:" in mail.get_content() and "Call me about the mechanic vacancy" in mail.get_content()

    # In Dutch; the fourth in an hour is refused, in words.
    other = await open_page(site_pages.origin + "/other.html", locale="nl-NL")
    await leave_message(other, "Jan", "jan@example.nl", "Bel mij terug")
    for _ in range(3):
        await other.get_by_role("button", name="Stuur mij het gespreksverslag").click()
        await other.get_by_test_id("lc-transcript-send").click()
        await expect(other.get_by_test_id("lc-transcript-status")).to_have_text(
            "Het gespreksverslag is verstuurd naar jan@example.nl.")
    await other.get_by_test_id("lc-transcript").click()
    await other.get_by_test_id("lc-transcript-send").click()
    await expect(other.get_by_test_id("lc-transcript-status")).to_have_text(
        "U heeft het verslag te vaak opgevraagd; probeer het later opnieuw.")
    await shoot(other, artifacts, "lc-transcript-03-too-often-nl")
    assert [m["To"] for m in inbox.messages] == ["pietje@example.org"] + ["jan@example.nl"] * 3
    assert "Verslag van uw chat met Job Genius" == inbox.messages[-1]["Subject"]
    assert visitor.js_errors == [] and other.js_errors == []
