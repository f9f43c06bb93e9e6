"""An SMS group shows each member's number (issue 18): a typed one as typed, a colleague's
own mobile, a person's mobile (else phone), and says so when a member has none, so the
user sees who a message to the group will miss."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms, violations

pytestmark = pytest.mark.browser

NONE = {"en-GB": "no mobile number", "nl-NL": "geen mobiel nummer"}


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
async def test_group_members_show_their_numbers(server, open_app, sms_team, artifacts, locale):
    api = sms_team.sender.rest
    olga = sms_team.admin.user["id"]
    await sms_team.admin.rest("PUT", f"/api/users/{olga}/settings/user.mobile", {"value": "06 12345600"})
    piet = await api("POST", "/api/people", {"kind": "candidate", "name": "Piet Pieters", "mobile": "06-12345670"})
    karel = await api("POST", "/api/people", {"kind": "candidate", "name": "Karel Vast", "phone": "0612345680"})
    group = await api("POST", "/api/sms/groups", {"name": "Weekendploeg"})
    await api("POST", f"/api/sms/groups/{group['id']}/members", {"members": [
        {"user_id": olga}, {"user_id": sms_team.key.user["id"]}, {"person_id": piet["id"]},
        {"person_id": karel["id"]}, {"name": "Jan Invaller", "number": "06-12345677"},
    ]})

    page = await open_app(locale=locale)
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "groups")
    await page.get_by_test_id("sms-group").filter(has_text="Weekendploeg").get_by_role("link").first.click()
    members = page.get_by_test_id("sms-member")
    await expect(members).to_have_count(5)
    expected = {"Olga Overzicht": "06 12345600", "Kees Keyuser": NONE[locale], "Piet Pieters": "06-12345670",
                "Karel Vast": "0612345680", "Jan Invaller": "+31612345677"}
    for name, number in expected.items():
        await expect(members.filter(has_text=name).get_by_test_id("sms-member-phone")).to_have_text(number)
    await shoot(page, artifacts, f"sms-25-group-numbers-{locale}")
    assert await violations(page) == []
    assert page.js_errors == []
