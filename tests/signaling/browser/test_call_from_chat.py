"""A video call started from the chat (VC-1): the colleague's tabs ring, one accepts, the
two see each other; a declined call tells the caller."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, two_contacts
from tests.signaling.browser.test_call import media_flowing


async def test_call_from_the_chat_rings_every_tab_and_connects_on_accept(server, media_browser, artifacts):
    org, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Boer")
    ctx_a = await media_browser.new_context(viewport={"width": 1280, "height": 860})
    ctx_b = await media_browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        page_a = await ctx_a.new_page()
        await page_a.goto(server.url + "/app")
        await log_in(page_a, org["slug"], anna.user["username"], PASSWORD)
        tabs_b = [await ctx_b.new_page()]  # Bram has two tabs open: both ring
        await tabs_b[0].goto(server.url + "/app")
        await log_in(tabs_b[0], org["slug"], bram.user["username"], PASSWORD)
        tabs_b.append(await ctx_b.new_page())
        await tabs_b[1].goto(server.url + "/app")  # the same login in every tab
        await expect(tabs_b[1].get_by_test_id("conn-state")).to_have_attribute("data-state", "online")

        await page_a.get_by_test_id(f"contact-{bram.user['id']}").click()
        async with ctx_a.expect_page() as call_a_info:
            await page_a.get_by_test_id(f"video-call-{bram.user['id']}").click()
        call_a = await call_a_info.value
        for tab in tabs_b:
            await expect(tab.get_by_test_id("video-ring")).to_contain_text("Anna Jansen is calling you")
        await shoot(tabs_b[0], artifacts, "video-ringing")

        async with ctx_b.expect_page() as call_b_info:
            await tabs_b[0].get_by_test_id("video-accept").click()
        call_b = await call_b_info.value
        # Answered on one tab: the other stops ringing.
        await expect(tabs_b[1].get_by_test_id("video-ring")).to_have_count(0)
        await expect(call_a.get_by_test_id("tile-name")).to_have_text(["Bram de Boer"])
        await expect(call_b.get_by_test_id("tile-name")).to_have_text(["Anna Jansen"])
        await media_flowing(call_a, ["Bram de Boer"])
        await media_flowing(call_b, ["Anna Jansen"])
        await shoot(call_a, artifacts, "video-call-from-chat")

        # Hung up: the chat notes the call and its length.
        await call_b.get_by_test_id("leave").click()
        await call_a.get_by_test_id("leave").click()
        window = page_a.get_by_test_id(f"chat-window-{bram.user['id']}")
        await expect(window.get_by_test_id("message-body").last).to_contain_text("Video call · 0:")

        # A second call, declined: the caller's call page says so.
        async with ctx_a.expect_page() as call_a2_info:
            await page_a.get_by_test_id(f"video-call-{bram.user['id']}").click()
        call_a2 = await call_a2_info.value
        await expect(call_a2.get_by_test_id("alone")).to_be_visible()  # in the call, waiting
        await tabs_b[1].get_by_test_id("video-decline").click()
        await expect(call_a2.get_by_test_id("call-message")).to_have_text("Bram de Boer declined the call.")
        await expect(tabs_b[0].get_by_test_id("video-ring")).to_have_count(0)
    finally:
        await ctx_a.close()
        await ctx_b.close()
