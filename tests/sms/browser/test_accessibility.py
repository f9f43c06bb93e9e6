"""Every SMS screen passes axe-core's checks (labels, names, headers, contrast, ARIA use),
in a state with content: messages in the list and queue, a chip in the composer, a
message's detail and a group with a member. The keyboard path through the composer's
picker (type, arrow down, Enter) is the one a mouse-less user takes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from tests.sms.browser.ui import open_sms, violations

pytestmark = pytest.mark.browser


async def test_the_sms_screens_pass_axe_and_work_by_keyboard(server, open_app, sms_team):
    await sms_team.tenant_setting("sms.recipient_limit", 1)
    two = [{"type": "number", "number": "0612345676"}, {"type": "number", "number": "0612345677"}]
    for subject in ("Ochtendploeg", "Avondploeg"):
        await sms_team.sender.rest("POST", "/api/sms/messages", {"subject": subject, "body": "Wie kan er?",
                                                                 "recipients": two})
    group = await sms_team.sender.rest("POST", "/api/sms/groups", {"name": "Invallers"})
    await sms_team.sender.rest("POST", f"/api/sms/groups/{group['id']}/members",
                               {"members": [{"name": "Jan", "number": "0612345678"}]})

    page = await open_app()
    await open_sms(page, sms_team.tenant["slug"], sms_team.admin.user["username"])
    found: dict[str, list[dict[str, Any]]] = {}
    await expect(page.get_by_test_id("sms-row")).to_have_count(2)
    found["list"] = await violations(page)

    # The composer by keyboard: type a name, arrow down to the suggestion, Enter adds it.
    await page.get_by_test_id("sms-nav-new").click()
    picker = page.get_by_test_id("sms-picker-input")
    await picker.press_sequentially("Anna")
    await expect(page.get_by_test_id("sms-picker-result")).to_have_count(1)
    await picker.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("sms-chip")).to_contain_text(["Colleague: Anna Jansen"])
    await expect(picker).to_be_focused()
    found["composer"] = await violations(page)

    await page.get_by_test_id("sms-nav-queue").click()
    await expect(page.get_by_test_id("sms-queue-row")).to_have_count(2)
    found["queue"] = await violations(page)
    await page.get_by_test_id("sms-queue-open").first.click()
    await expect(page.get_by_test_id("sms-detail-status")).to_be_visible()
    found["detail"] = await violations(page)
    await page.get_by_test_id("sms-nav-groups").click()
    await page.get_by_test_id("sms-group-link").click()
    await expect(page.get_by_test_id("sms-member")).to_have_count(1)
    found["groups"] = await violations(page)

    assert found == {name: [] for name in found}
    assert page.js_errors == []
