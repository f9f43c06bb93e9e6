"""The agenda of video interviews in Chromium (VC-2): plan one from a candidate's record,
see it, start the call from it, move it and cancel it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from signaling.appointments import when_text
from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, make_tenant, make_user


async def test_plan_start_move_and_cancel_an_interview(server, media_browser, artifacts):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna Jansen")
    bram = await make_user(server, org, "Bram de Boer")
    person = await anna.rest("POST", "/api/people", {"kind": "candidate", "name": "Jan de Vries",
                                                      "email": "jan@example.nl"})
    await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Jan de Vries",
                                             "person_id": person["id"]})
    zone = "Europe/Amsterdam"
    context = await media_browser.new_context(locale="nl-NL", timezone_id=zone, viewport={"width": 1100, "height": 900})
    # A month ahead, at 10:00 there: what the page shows, in Dutch (as the invitation's text).
    day = (datetime.now(UTC) + timedelta(days=30)).astimezone(ZoneInfo(zone))
    start = day.replace(hour=10, minute=0, second=0, microsecond=0)
    moved = (start + timedelta(days=1)).replace(hour=14, minute=30)
    try:
        app = await context.new_page()
        await app.goto(server.url + "/app")
        await log_in(app, org["slug"], anna.user["username"], PASSWORD)
        async with context.expect_page() as agenda_info:
            await app.get_by_test_id("agenda-open").click()
        page = await agenda_info.value
        await expect(page.get_by_role("heading", name="Video-interviews")).to_be_visible()
        await expect(page.get_by_test_id("appointments")).to_have_text("Niets gepland.")

        await page.get_by_test_id("plan-record").select_option(label="Jan de Vries (candidate)")
        await page.get_by_test_id("plan-start").fill(start.strftime("%Y-%m-%dT%H:%M"))
        await page.get_by_test_id("plan-minutes").fill("45")
        await page.get_by_test_id(f"colleague-{bram.user['id']}").check()
        await page.get_by_test_id("plan-recorded").check()
        await page.get_by_test_id("plan-submit").click()
        await expect(page.get_by_test_id("agenda-message")).to_have_text(
            "Gepland; de uitnodiging is verstuurd naar jan@example.nl.")
        item = page.get_by_test_id("appointment")
        await expect(item).to_have_count(1)
        await expect(item.get_by_test_id("appointment-when")).to_have_text(when_text(start, 45, zone))
        await expect(item).to_contain_text("met Bram de Boer")
        await expect(item).to_contain_text("opname")
        await shoot(page, artifacts, "video-agenda-nl")
        # Bram sees it in his agenda too.
        (seen,) = (await bram.rest("GET", "/api/video/appointments"))["appointments"]
        assert seen["title"] == "Videogesprek Jan de Vries"

        # The call starts from the appointment, and it says it is recorded.
        async with context.expect_page() as call_info:
            await item.get_by_test_id("start-call").click()
        call = await call_info.value
        await expect(call.get_by_test_id("recorded-notice")).to_be_visible()
        await expect(call.get_by_test_id("alone")).to_be_visible()
        await call.close()

        await item.get_by_test_id("move").click()
        await page.get_by_test_id("move-start").fill(moved.strftime("%Y-%m-%dT%H:%M"))
        await page.get_by_test_id("move-minutes").fill("30")
        await page.get_by_test_id("move-save").click()
        await expect(page.get_by_test_id("appointment-when")).to_have_text(when_text(moved, 30, zone))
        await item.get_by_test_id("cancel").click()
        await page.get_by_test_id("cancel-yes").click()
        await expect(page.get_by_test_id("agenda-message")).to_have_text(
            "Geannuleerd; jan@example.nl heeft bericht gekregen.")
        await expect(item).to_contain_text("geannuleerd")
        await expect(item.get_by_test_id("start-call")).to_have_count(0)
    finally:
        await context.close()
