"""Steps a user takes in the SMS screens."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD


async def open_sms(page: Page, tenant: str, username: str, route: str = "") -> None:
    """Log in and open an SMS screen through the top bar's SMS link (as a user would)."""
    await log_in(page, tenant, username, PASSWORD)
    await page.get_by_test_id("sms-open").click()
    await expect(page.get_by_test_id("sms-section")).to_be_visible()
    if route:
        await page.get_by_test_id(f"sms-nav-{route}").click()
