"""An SMS-admin sees how many messages wait for approval (issue 18): a count on the SMS link
and the queue tab, as a chat app shows unread messages, following live as messages come
in and are approved; nothing when none wait, and never for a colleague who is no admin."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms, violations

pytestmark = pytest.mark.browser

TWO = [{"type": "number", "number": "0612345671"}, {"type": "number", "number": "0612345672"}]
WORDS = {"en-GB": "waiting for approval: {n}", "nl-NL": "wachtend op goedkeuring: {n}"}

# English on a desktop, Dutch on a phone: the one layout each user has.
VIEWPORT = {"en-GB": {"width": 1280, "height": 860}, "nl-NL": {"width": 390, "height": 844}}


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
async def test_the_sms_admin_sees_how_many_wait_for_approval(server, open_app, sms_team, artifacts, locale):
    await sms_team.tenant_setting("sms.recipient_limit", 1)
    olga = await open_app(locale=locale, viewport=VIEWPORT[locale])
    await open_sms(olga, sms_team.tenant["slug"], sms_team.admin.user["username"])
    link, tab = olga.get_by_test_id("sms-open"), olga.get_by_test_id("sms-nav-queue")
    await expect(tab).to_be_visible()
    await expect(olga.get_by_test_id("sms-open-waiting")).to_have_count(0)

    # Two messages over the limit come in: the count follows live.
    for subject in ("Eerste", "Tweede"):
        await sms_team.sender.rest("POST", "/api/sms/messages", {"subject": subject, "body": "Hoi", "recipients": TWO})
    await expect(olga.get_by_test_id("sms-open-waiting")).to_have_text("2")
    await expect(olga.get_by_test_id("sms-queue-waiting")).to_have_text("2")
    await expect(link).to_contain_text(WORDS[locale].format(n=2))
    await expect(tab).to_contain_text(WORDS[locale].format(n=2))
    await shoot(olga, artifacts, f"sms-24-queue-count-{locale}")

    # Approved in the queue: one left.
    await tab.click()
    await olga.get_by_test_id("sms-queue-row").filter(has_text="Eerste").get_by_test_id("sms-queue-approve").click()
    await expect(olga.get_by_test_id("sms-open-waiting")).to_have_text("1")
    await expect(olga.get_by_test_id("sms-queue-waiting")).to_have_text("1")
    assert await violations(olga) == []

    # The colleague who sent them is no admin: no count.
    anna = await open_app(locale=locale)
    await open_sms(anna, sms_team.tenant["slug"], sms_team.sender.user["username"])
    await expect(anna.get_by_test_id("sms-row")).to_have_count(2)
    await expect(anna.get_by_test_id("sms-open-waiting")).to_have_count(0)
    assert olga.js_errors == [] and anna.js_errors == []
