"""SMS groups (SM-11, seed 000 §4.1) and the list with search, saved filters and chosen
columns (SM-9, seed 000 §3.1/3.2); a scheduled message refuses a moment in the past (SM-5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms

pytestmark = pytest.mark.browser


async def test_sms_groups_create_add_remove_rename_delete(server, open_app, sms_team, artifacts):
    page = await open_app()
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "groups")
    await page.get_by_test_id("sms-new-group-name").fill("Weekendploeg")
    await page.get_by_test_id("sms-new-group-add").click()
    # The new, empty group opens at once.
    await expect(page.get_by_test_id("sms-group-name")).to_have_value("Weekendploeg")
    await expect(page.get_by_test_id("sms-members-none")).to_be_visible()

    # A custom recipient: a wrong number is refused with the reason, a good one added.
    await page.get_by_test_id("sms-member-name").fill("Jan Invaller")
    await page.get_by_test_id("sms-member-number").fill("020 123 4567")
    await page.get_by_test_id("sms-member-add").click()
    await expect(page.get_by_test_id("sms-member-error")).to_contain_text("not a mobile")
    await page.get_by_test_id("sms-member-number").fill("06-12345677")
    await page.get_by_test_id("sms-member-add").click()
    members = page.get_by_test_id("sms-member")
    await expect(members).to_have_count(1)
    await expect(members.first).to_contain_text("+31612345677")

    # A colleague, found by name.
    await page.get_by_test_id("sms-member-picker-input").press_sequentially("Olga")
    await page.get_by_test_id("sms-member-picker-result").filter(has_text="Olga Overzicht").click()
    await expect(members).to_have_count(2)
    await expect(page.get_by_test_id("sms-group").filter(has_text="Weekendploeg")).to_contain_text("2 members")

    await members.filter(has_text="Jan Invaller").get_by_test_id("sms-member-remove").click()
    await expect(members).to_have_count(1)

    await page.get_by_test_id("sms-group-name").fill("Weekendploeg Noord")
    await page.get_by_test_id("sms-group-save").click()
    await expect(page.get_by_test_id("sms-group-status")).to_have_text("Saved.")
    await expect(page.get_by_test_id("sms-group")).to_contain_text("Weekendploeg Noord")
    await shoot(page, artifacts, "sms-07-group")

    # Delete asks first; "No" keeps it, "Yes" removes it.
    await page.get_by_test_id("sms-group-delete").click()
    await expect(page.get_by_test_id("confirm-dialog")).to_contain_text("Delete the group “Weekendploeg Noord”?")
    await page.get_by_test_id("confirm-no").click()
    await expect(page.get_by_test_id("sms-group")).to_have_count(1)
    await page.get_by_test_id("sms-group-delete").click()
    await page.get_by_test_id("confirm-yes").click()
    await expect(page.get_by_test_id("sms-group")).to_have_count(0)
    assert page.js_errors == []


async def test_list_search_saved_filter_columns_and_a_scheduled_message(server, open_app, sms_team, artifacts):
    for subject in ("Alpha rooster", "Beta rooster"):
        await sms_team.sender.rest("POST", "/api/sms/messages", {
            "subject": subject, "body": f"{subject}: zie de app", "recipients": [{"type": "number", "number": "0612345676"}],
        })
    me = sms_team.sender.user["id"]
    await sms_team.sender.rest("PUT", f"/api/users/{me}/settings/user.mobile", {"value": "06 12345600"})
    page = await open_app()
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "new")

    # From my own number, so replies come to my phone (seed 000 §2.2).
    sender = page.get_by_test_id("sms-sender")
    await expect(sender).to_have_text("Sender: JobGenius")
    await page.get_by_test_id("sms-own-number").check()
    await expect(sender).to_have_text("Sender: +31612345600")

    # Scheduling: a moment in the past is refused here, a future one goes to the queue.
    # A typed landline is refused at once with the reason; a local mobile becomes international.
    picker = page.get_by_test_id("sms-picker-input")
    await picker.fill("020 123 4567")
    await picker.press("Enter")
    await expect(page.get_by_test_id("sms-picker-error")).to_contain_text("not a mobile")
    await expect(page.get_by_test_id("sms-chip")).to_have_count(0)
    await picker.fill("06-12345675")
    await picker.press("Enter")
    await expect(page.get_by_test_id("sms-chip")).to_have_text(["Number: +31612345675IncludeExclude×"])
    await page.get_by_test_id("sms-subject").fill("Gamma later")
    await page.get_by_test_id("sms-body").fill("Morgen om tien uur")
    await page.get_by_test_id("sms-send-later").check()
    await page.get_by_test_id("sms-date").fill("2020-01-01")
    await page.get_by_test_id("sms-time").fill("10:00")
    await page.get_by_test_id("sms-send").click()
    await expect(page.get_by_test_id("sms-compose-error")).to_have_text(
        "This moment has passed; choose a time in the future.")
    await page.get_by_test_id("sms-date").fill("2099-06-30")
    await page.get_by_test_id("sms-send").click()
    await expect(page.get_by_test_id("sms-compose-error")).to_have_text(
        "This date is more than two years ahead; check the year.")
    later = date.today() + timedelta(days=30)
    await page.get_by_test_id("sms-date").fill(later.isoformat())
    await page.get_by_test_id("sms-send").click()
    await expect(page.get_by_test_id("sms-compose-notice")).to_contain_text("Your message is scheduled for")
    await expect(page.get_by_test_id("sms-compose-notice")).to_contain_text(str(later.year))

    await page.get_by_test_id("sms-nav-list").click()
    rows = page.get_by_test_id("sms-row")
    await expect(rows).to_have_count(3)
    # Two sent, one scheduled: two credits charged so far from an empty balance.
    await expect(page.get_by_test_id("sms-list-balance")).to_have_text("Balance: -2 credits")
    gamma = rows.filter(has_text="Gamma later")
    await expect(gamma.get_by_test_id("sms-row-status")).to_have_text("Scheduled")
    await page.get_by_test_id("sms-columns").locator("summary").click()
    await page.get_by_test_id("sms-col-originator").check()
    await expect(gamma).to_contain_text("31612345600")  # as the gateway sends it: digits only
    await page.get_by_test_id("sms-col-originator").uncheck()

    await page.get_by_test_id("sms-search").fill("alpha")
    await page.get_by_test_id("sms-search-submit").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Alpha rooster")

    # Chosen columns: the text instead of the user.
    await page.get_by_test_id("sms-col-user_name").uncheck()
    await page.get_by_test_id("sms-col-body").check()
    header = page.get_by_test_id("sms-table").locator("thead")
    await expect(header).to_contain_text("Text")
    await expect(header).not_to_contain_text("User")

    await page.get_by_test_id("sms-filter-name").fill("Alleen alpha")
    await page.get_by_test_id("sms-filter-save").click()
    await expect(page.get_by_test_id("sms-filter")).to_have_text("Alleen alpha×")
    await shoot(page, artifacts, "sms-08-list-filter")

    # The saved filter comes back after a reload, with its columns.
    await page.reload()
    await expect(rows).to_have_count(3)
    await page.get_by_test_id("sms-filter-apply").click()
    await expect(rows).to_have_count(1)
    await expect(page.get_by_test_id("sms-search")).to_have_value("alpha")
    await expect(header).to_contain_text("Text")
    assert page.js_errors == []
