"""Small things in the SMS screens that read wrong (issue 18): the counter of a text that
may not be sent, a picker error that outlives its input, "as soon as possible" on a
message already sent, and the queue opened by someone who is not an SMS-admin."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms, violations

pytestmark = pytest.mark.browser

TEXTS = {
    "en-GB": {"too_many": "45 characters too many", "not_mobile": "not a mobile", "cost": "Cost: 2 credits",
              "queue": "The SMS queue is for SMS admins."},
    "nl-NL": {"too_many": "45 karakters te veel", "not_mobile": "geen mobiel nummer", "cost": "Kosten: 2 credits",
              "queue": "De SMS-wachtrij is voor SMS-beheerders."},
}


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
async def test_counter_and_picker_error_say_only_what_holds(server, open_app, sms_team, artifacts, locale):
    t = TEXTS[locale]
    page = await open_app(locale=locale)
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "new")
    picker = page.get_by_test_id("sms-picker-input")
    error = page.get_by_test_id("sms-picker-error")

    # A refused number's error goes once the field is emptied (and when it is edited).
    await picker.fill("020 123 4567")
    await picker.press("Enter")
    await expect(error).to_contain_text(t["not_mobile"])
    await picker.fill("")
    await expect(error).to_have_text("")
    await picker.fill("020 123 4567")
    await picker.press("Enter")
    await expect(error).to_contain_text(t["not_mobile"])
    await picker.press("Backspace")
    await expect(error).to_have_text("")
    await picker.fill("06-12345677")
    await picker.press("Enter")
    await expect(page.get_by_test_id("sms-chip")).to_have_count(1)

    # Long messages off: 185 characters are 45 too many, and that is all the counter says.
    parts, cost = page.get_by_test_id("sms-parts"), page.get_by_test_id("sms-cost")
    body = page.get_by_test_id("sms-body")
    await body.fill("x" * 185)
    await expect(page.get_by_test_id("sms-chars-left")).to_have_text(t["too_many"])
    await expect(parts).to_be_hidden()
    await expect(cost).to_have_text("")
    await expect(page.get_by_test_id("sms-counter")).not_to_contain_text("2 SMS", use_inner_text=True)
    await shoot(page, artifacts, f"sms-20-counter-too-long-{locale}")
    assert await violations(page) == []

    # Within the limit again: parts and cost are back.
    await body.fill("x" * 100)
    await expect(parts).to_be_visible()
    await expect(parts).to_have_text("1 SMS")
    await sms_team.tenant_setting("sms.allow_long", True)
    await page.reload()
    await page.get_by_test_id("sms-picker-input").fill("06-12345677")
    await page.get_by_test_id("sms-picker-input").press("Enter")
    await page.get_by_test_id("sms-body").fill("y" * 185)
    await expect(page.get_by_test_id("sms-parts")).to_have_text("2 SMS")
    await expect(page.get_by_test_id("sms-cost")).to_contain_text(t["cost"])
    assert page.js_errors == []


async def test_a_sent_message_has_no_send_date_to_come(server, open_app, sms_team, artifacts):
    sent = (await sms_team.sender.rest("POST", "/api/sms/messages", {
        "subject": "Al weg", "body": "Tot morgen", "recipients": [{"type": "number", "number": "0612345676"}],
    }))["message"]
    page = await open_app()
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"])
    row = page.get_by_test_id("sms-row").filter(has_text="Al weg")
    await expect(row).to_have_attribute("data-status", "sent", timeout=20_000)
    await expect(row).not_to_contain_text("as soon as possible")
    await page.get_by_test_id("sms-row-link").click()
    await expect(page).to_have_url(f"{page.url.split('#')[0]}#/sms/m/{sent['id']}")
    await expect(page.get_by_test_id("sms-detail-status")).to_have_attribute("data-status", "sent")
    await expect(page.get_by_test_id("sms-detail-send-at")).to_have_count(0)
    await expect(page.get_by_test_id("sms-section")).not_to_contain_text("as soon as possible")
    await shoot(page, artifacts, "sms-21-sent-detail")
    assert page.js_errors == []


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
async def test_a_colleague_opening_the_queue_is_told_it_is_for_sms_admins(server, open_app, sms_team, artifacts, locale):
    page = await open_app(locale=locale)
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"])
    await page.goto(page.url.split("#")[0] + "#/sms/queue")
    await expect(page.get_by_test_id("sms-queue-admins-only")).to_contain_text(TEXTS[locale]["queue"])
    await expect(page.get_by_test_id("sms-queue")).to_have_count(0)
    await shoot(page, artifacts, f"sms-22-queue-not-admin-{locale}")
    assert await violations(page) == []
    assert page.js_errors == []
