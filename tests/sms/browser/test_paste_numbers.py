"""A list of numbers pasted into the recipient picker (issue 18): one per line or separated
by commas, each number checked by the server as a typed one is; what is refused stays in
the field with the reason, so the user corrects it and presses Enter."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms, violations

pytestmark = pytest.mark.browser

PASTED = "06-12345671\n020 123 4567\r\n+31 6 1234 5672, Jan\n\n0612345673\n"
TEXTS = {
    "en-GB": {"added": "3 of 5 numbers added.", "landline": "“020 123 4567” is not a mobile number",
              "name": "“Jan” is not a phone number.", "again": "2 of 2 numbers added."},
    "nl-NL": {"added": "3 van 5 nummers toegevoegd.", "landline": "“020 123 4567” is geen mobiel nummer",
              "name": "“Jan” is geen telefoonnummer.", "again": "2 van 2 nummers toegevoegd."},
}

# English on a desktop, Dutch on a phone: the one layout each user has.
VIEWPORT = {"en-GB": {"width": 1280, "height": 860}, "nl-NL": {"width": 390, "height": 844}}


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
async def test_pasting_a_list_of_numbers_adds_each_good_one(server, open_app, sms_team, artifacts, locale):
    t = TEXTS[locale]
    page = await open_app(locale=locale, viewport=VIEWPORT[locale])
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "new")
    picker = page.get_by_test_id("sms-picker-input")
    await page.evaluate("(text) => navigator.clipboard.writeText(text)", PASTED)
    await picker.focus()
    await page.keyboard.press("ControlOrMeta+V")

    chips = page.get_by_test_id("sms-chip")
    await expect(page.get_by_test_id("sms-picker-hint")).to_have_text(t["added"])
    await expect(chips).to_have_count(3)
    for number in ("+31612345671", "+31612345672", "+31612345673"):
        await expect(chips.filter(has_text=number)).to_have_count(1)
    error = page.get_by_test_id("sms-picker-error")
    await expect(error).to_contain_text(t["landline"])
    await expect(error).to_contain_text(t["name"])
    # The refused ones are left to correct.
    await expect(picker).to_have_value("020 123 4567, Jan")
    await shoot(page, artifacts, f"sms-23-pasted-list-{locale}")
    assert await violations(page) == []

    # Corrected by hand, a comma-separated line goes in with Enter; the error goes.
    await picker.fill("0612345674, 06 1234 5675")
    await expect(error).to_have_text("")
    await picker.press("Enter")
    await expect(page.get_by_test_id("sms-picker-hint")).to_have_text(t["again"])
    await expect(chips).to_have_count(5)
    await expect(picker).to_have_value("")
    await expect(error).to_have_text("")
    assert page.js_errors == []
