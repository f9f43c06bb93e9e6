"""Over the recipient limit the message waits; an SMS-admin approves it in the queue and
both screens see it go out live (SM-5, SM-7, SM-12, seed 000 §3.3 and §4.2).

The sender composes in the browser with typed numbers, is told the message waits for
approval, and keeps its detail open; the admin approves it in the queue screen. The
embedded gateway sends it and reports delivery, and the events of the app's socket
move the status on both screens without a reload.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms

pytestmark = pytest.mark.browser

NUMBERS = ["06-12345671", "0612 345 672", "+31 6 12345673"]


async def test_over_the_limit_waits_and_an_admin_approves_it_in_the_queue(server, open_app, sms_team, artifacts):
    await sms_team.tenant_setting("sms.recipient_limit", 2)
    anna = await open_app()
    await open_sms(anna, sms_team.tenant["slug"], sms_team.sender.user["username"], "new")

    picker = anna.get_by_test_id("sms-picker-input")
    for number in NUMBERS:
        await picker.fill(number)
        await picker.press("Enter")
    await expect(anna.get_by_test_id("sms-chip")).to_have_count(3)
    await expect(anna.get_by_test_id("sms-sender")).to_have_text("Sender: JobGenius")
    await anna.get_by_test_id("sms-subject").fill("Weekenddienst")
    await anna.get_by_test_id("sms-body").fill("Kun je zaterdag werken? Bel 012-3456789")
    # Before sending: the count, the cost and that it will wait.
    await expect(anna.get_by_test_id("sms-recipient-count")).to_have_text("3 recipients")
    await expect(anna.get_by_test_id("sms-cost")).to_have_text("Cost: 3 credits (1 × 3 recipients)")
    await expect(anna.get_by_test_id("sms-over-limit")).to_contain_text("more than the limit of 2")
    await anna.get_by_test_id("sms-send").click()

    notice = anna.get_by_test_id("sms-compose-notice")
    await expect(notice).to_be_visible()
    await expect(notice).to_contain_text(
        "This message has 3 recipients, more than the limit of 2: it waits in the queue until an SMS-admin approves it."
    )
    await shoot(anna, artifacts, "sms-02-waits-for-approval")
    # A colleague who is no SMS-admin has no queue and cannot approve.
    await expect(anna.get_by_test_id("sms-nav-queue")).to_have_count(0)
    await anna.get_by_test_id("sms-compose-open").click()
    await expect(anna.get_by_test_id("sms-detail-name")).to_have_text("Weekenddienst")
    status = anna.get_by_test_id("sms-detail-status")
    await expect(status).to_have_attribute("data-status", "awaiting_approval")
    await expect(anna.get_by_test_id("sms-approve")).to_have_count(0)
    await expect(anna.get_by_test_id("sms-recipients-none")).to_have_text(
        "The recipients are determined when the message is sent."
    )

    # The SMS-admin's queue: name, send date, status, user, approved no.
    olga = await open_app()
    await open_sms(olga, sms_team.tenant["slug"], sms_team.admin.user["username"], "queue")
    row = olga.get_by_test_id("sms-queue-row").filter(has_text="Weekenddienst")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("Anna Jansen")
    await expect(row).to_contain_text("as soon as possible")
    await expect(row.get_by_test_id("sms-queue-approved")).to_have_text("✗ no")
    await expect(row.get_by_test_id("sms-queue-status")).to_have_text("Waiting for approval")
    await shoot(olga, artifacts, "sms-03-queue")

    # The admin opens it (added, scheduled, priority, SMS count...) and edits its priority.
    await row.get_by_test_id("sms-queue-open").click()
    await expect(olga.get_by_test_id("sms-detail-sms-count")).to_have_text("3")
    await expect(olga.get_by_test_id("sms-detail-priority")).to_have_text("0")
    await olga.get_by_test_id("sms-edit").click()
    await expect(olga.get_by_test_id("sms-chip")).to_have_count(3)
    await expect(olga.get_by_test_id("sms-subject")).to_have_value("Weekenddienst")
    await olga.get_by_test_id("sms-priority").fill("25")
    await olga.get_by_test_id("sms-send").click()
    await expect(olga.get_by_test_id("sms-detail-priority")).to_have_text("25")
    await expect(olga.get_by_test_id("sms-detail-status")).to_have_attribute("data-status", "awaiting_approval")
    await olga.get_by_test_id("sms-nav-queue").click()

    await row.get_by_test_id("sms-queue-approve").click()
    await expect(row.get_by_test_id("sms-queue-approved")).to_have_text("✓ yes")
    # Released at once, sent through the embedded gateway: the row follows live.
    await expect(row).to_have_attribute("data-status", "sent", timeout=20_000)
    await expect(row.get_by_test_id("sms-queue-status")).to_have_text("Sent")
    await shoot(olga, artifacts, "sms-04-queue-sent")

    # The sender's open detail followed too: sent, three recipients delivered.
    await expect(status).to_have_attribute("data-status", "sent", timeout=20_000)
    recipients = anna.get_by_test_id("sms-recipient")
    await expect(recipients).to_have_count(3)
    for state in await anna.get_by_test_id("sms-recipient-state").all():
        await expect(state).to_have_attribute("data-state", "delivered", timeout=20_000)
    await expect(anna.get_by_test_id("sms-detail-credits")).to_have_text("3")
    await shoot(anna, artifacts, "sms-05-detail-delivered")
    assert anna.js_errors == [] and olga.js_errors == []


async def test_an_admin_cancels_and_deletes_queued_messages_and_the_author_sees_it_live(
    server, open_app, sms_team, artifacts
):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
    for subject in ("Uitgesteld een", "Uitgesteld twee"):
        await sms_team.sender.rest("POST", "/api/sms/messages", {
            "subject": subject, "body": "Morgen om 10:00 op kantoor", "send_at": tomorrow,
            "recipients": [{"type": "number", "number": "0612345674"}],
        })
    anna = await open_app()
    await open_sms(anna, sms_team.tenant["slug"], sms_team.sender.user["username"])
    anna_rows = anna.get_by_test_id("sms-row")
    await expect(anna_rows).to_have_count(2)
    await expect(anna_rows.filter(has_text="Uitgesteld een")).to_have_attribute("data-status", "scheduled")

    olga = await open_app()
    await open_sms(olga, sms_team.tenant["slug"], sms_team.admin.user["username"], "queue")
    queue = olga.get_by_test_id("sms-queue-row")
    await expect(queue).to_have_count(2)
    # Scheduled ones need no approval: approved yes, no approve button.
    await expect(queue.get_by_test_id("sms-queue-approve")).to_have_count(0)

    await queue.filter(has_text="Uitgesteld een").get_by_test_id("sms-queue-open").click()
    await olga.get_by_test_id("sms-cancel-message").click()
    await expect(olga.get_by_test_id("confirm-dialog")).to_contain_text("Cancel sending “Uitgesteld een”?")
    await olga.get_by_test_id("confirm-yes").click()
    await expect(olga.get_by_test_id("sms-detail-status")).to_have_attribute("data-status", "cancelled")
    await expect(anna_rows.filter(has_text="Uitgesteld een")).to_have_attribute("data-status", "cancelled")

    await olga.get_by_test_id("sms-nav-queue").click()
    await expect(queue).to_have_count(1)
    await queue.get_by_test_id("sms-queue-open").click()
    await olga.get_by_test_id("sms-delete").click()
    await olga.get_by_test_id("confirm-yes").click()
    # Back in the queue, now empty; the author's list lost the row live.
    await expect(olga.get_by_test_id("sms-queue-empty")).to_be_visible()
    await expect(anna_rows).to_have_count(1)
    await expect(anna_rows.first).to_contain_text("Uitgesteld een")
    assert anna.js_errors == [] and olga.js_errors == []
