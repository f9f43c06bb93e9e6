"""The SMS section is there only for users whose SMS module is on (SM-1, seed 000 §2.4)."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


async def test_a_user_without_sms_sees_no_sms_section(server, open_app, sms_team):
    await sms_team.user_setting(sms_team.sender, "sms.enabled", False)
    page = await open_app()
    await log_in(page, sms_team.tenant["slug"], sms_team.sender.user["username"], PASSWORD)
    await expect(page.get_by_test_id("side-panel")).to_be_visible()
    await expect(page.get_by_test_id("sms-open")).to_be_hidden()
    # Not even through a bookmarked address.
    await page.goto(page.url.split("#")[0] + "#/sms/new")
    await expect(page.get_by_test_id("me-name")).to_have_text("Anna Jansen")
    # Connected again (a navigation may reload the app) before the setting changes.
    await expect(page.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(page.get_by_test_id("sms-section")).to_be_hidden()
    await expect(page.get_by_test_id("sms-composer")).to_have_count(0)

    # Switched on by the key-user: the section appears without logging in again.
    await sms_team.user_setting(sms_team.sender, "sms.enabled", True)
    await expect(page.get_by_test_id("sms-section")).to_be_visible()
    await expect(page.get_by_test_id("sms-composer")).to_be_visible()
    # The queue is for SMS-admins only.
    await expect(page.get_by_test_id("sms-nav-queue")).to_have_count(0)

    # And off again while it is open: it goes away.
    await sms_team.user_setting(sms_team.sender, "sms.enabled", False)
    await expect(page.get_by_test_id("sms-section")).to_be_hidden()
    await expect(page.get_by_test_id("sms-open")).to_be_hidden()
    assert page.js_errors == []
