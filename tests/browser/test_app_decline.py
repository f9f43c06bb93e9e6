"""A contact request declined, and declined with the sender blocked: what each side sees."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD, make_tenant, make_user

pytestmark = pytest.mark.browser


async def test_decline_and_decline_and_block(server, open_app):
    tenant = await make_tenant(server)
    anna = await make_user(server, tenant, "Anna Jansen")
    bram = await make_user(server, tenant, "Bram de Vries")
    a_id, b_id = anna.user["id"], bram.user["id"]
    page_a = await open_app()
    page_b = await open_app()
    await log_in(page_a, tenant["slug"], anna.user["username"], PASSWORD)
    await log_in(page_b, tenant["slug"], bram.user["username"], PASSWORD)

    async def ask() -> None:
        if await page_a.get_by_test_id("add-panel").is_hidden():
            await page_a.get_by_test_id("add-contact-open").click()
            await page_a.get_by_test_id("add-search").fill("Bram")
        await page_a.get_by_test_id(f"suggestion-{b_id}").click()

    await ask()
    await expect(page_a.get_by_test_id("add-message")).to_have_text("Contact request sent to Bram de Vries.")
    await page_b.get_by_test_id(f"request-decline-{a_id}").click()
    await expect(page_b.get_by_test_id(f"request-{a_id}")).to_have_count(0)
    await expect(page_b.get_by_test_id("requests")).to_be_hidden()

    # Declined is not blocked: A may ask again; now B declines and blocks.
    await page_a.get_by_test_id("add-message").evaluate("node => node.textContent = ''")
    await ask()
    await expect(page_a.get_by_test_id("add-message")).to_have_text("Contact request sent to Bram de Vries.")
    await page_b.get_by_test_id(f"request-block-{a_id}").click()
    await expect(page_b.get_by_test_id(f"request-{a_id}")).to_have_count(0)
    await ask()
    await expect(page_a.get_by_test_id("add-message")).to_have_text(
        "This person does not accept contact requests from you."
    )
    await expect(page_a.get_by_test_id(f"contact-{b_id}")).to_have_count(0)
    await expect(page_b.get_by_test_id(f"contact-{a_id}")).to_have_count(0)
