"""The SMS screens in Dutch say everything in Dutch (issue 18): a search result or chip names
a candidate's kind in Dutch and does not repeat an organisation's kind in English, and the
reason someone did not receive a message is Dutch in the list and in the "why not" answer
(the server's own sentence is English, so only English readers get it)."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


async def test_chips_and_reasons_are_dutch_for_a_dutch_user(server, open_app, sms_team, artifacts):
    api = sms_team.sender.rest
    org = await api("POST", "/api/organisations", {"name": "Bouwbedrijf Noord"})
    await api("POST", "/api/people", {"kind": "candidate", "name": "Piet Pieters", "mobile": "06-12345670",
                                      "organisation_id": org["id"]})
    await api("POST", "/api/people", {"kind": "candidate", "name": "Karel Vast", "phone": "020 123 4567",
                                      "organisation_id": org["id"]})

    page = await open_app("nl-NL")
    await log_in(page, sms_team.tenant["slug"], sms_team.sender.user["username"], PASSWORD)
    await page.goto(page.url.split("#")[0] + "#/sms/new")
    picker = page.get_by_test_id("sms-picker-input")
    await picker.press_sequentially("Piet")
    await expect(page.get_by_test_id("sms-picker-result")).to_have_text(
        ["Kandidaat/persoon: Piet Pieters (+31612345670) · kandidaat"])
    await picker.fill("")
    await picker.press_sequentially("Bouwbedrijf")
    result = page.get_by_test_id("sms-picker-result").filter(has_text="Bouwbedrijf Noord")
    await expect(result).to_have_text("Organisatie: Bouwbedrijf Noord")
    await result.click()
    await expect(page.get_by_test_id("sms-chip")).to_have_count(1)
    await expect(page.get_by_test_id("sms-chip")).not_to_contain_text("Organisation")
    await page.get_by_test_id("sms-body").fill("Morgen om 7:00 beginnen?")
    await page.get_by_test_id("sms-send").click()
    await page.get_by_test_id("sms-compose-open").click()

    rows = page.get_by_test_id("sms-recipient")
    await expect(rows).to_have_count(2)
    await expect(rows.filter(has_text="Karel Vast").get_by_test_id("sms-recipient-why")).to_have_text(
        "Geen geldig mobiel nummer")
    await page.get_by_test_id("sms-why-input").fill("Karel")
    await page.get_by_test_id("sms-why-ask").click()
    answer = page.get_by_test_id("sms-why-answer")
    await expect(answer).to_contain_text("Karel Vast")
    await expect(answer).to_contain_text("Geen geldig mobiel nummer")
    await expect(answer).not_to_contain_text("mobile number")
    await shoot(page, artifacts, "sms-nl-why-not")
    assert page.js_errors == []
