"""A conversation's older messages load page by page as the user asks for them."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD, two_contacts

pytestmark = pytest.mark.browser


async def test_history_loads_older_pages(server, open_app):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await anna.connect()
    bodies = [f"bericht {i:02d}" for i in range(45)]
    for body in bodies:
        await anna.send_message(bram.user["id"], body)

    page = await open_app()
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    await page.get_by_test_id(f"contact-{anna.user['id']}").click()
    window = page.get_by_test_id(f"chat-window-{anna.user['id']}")
    await expect(window.get_by_test_id("message-body")).to_have_text(bodies[-30:])
    older = window.get_by_test_id("load-older")
    await older.click()
    await expect(window.get_by_test_id("message-body")).to_have_text(bodies)
    await expect(older).to_be_hidden()
    await expect(page.get_by_test_id("chat-badge")).to_be_hidden()
