"""The console's Webhooks screen in Chromium (issue 14): a key-user adds one, sees its secret
once, a visitor's conversation reaches a real receiver on loopback signed with that secret,
the delivery log shows it, pause and delete work, in English and Dutch; an operator who is
not a key-user has no such screen."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace

import pytest
from playwright.async_api import expect

from chatserver.webhooks import signing
from tests.browser.test_app_accessibility import serious
from tests.helpers import make_user, running_server, wait_for
from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.service.helpers import make_org, make_visitor, write
from tests.webhooks.receiver import receiver

pytestmark = pytest.mark.browser


async def test_a_key_user_keeps_webhooks_in_the_console(config, open_page, artifacts):
    # Not beside the `server` fixture: every node posts the outbox, and that one refuses loopback.
    async with running_server(replace(config, webhook_allow_private=True)) as srv, receiver() as rec:
        org = await make_org(srv)
        await org.key.rest("PUT", f"/api/users/{org.key.user['id']}/settings/livechat.enabled", {"value": True})
        console = await open_page(srv.url + "/console")
        await console_login(console, org.tenant["slug"], org.key.user["username"])
        await console.get_by_test_id("nav-webhooks").click()
        await expect(console.get_by_test_id("list-webhooks")).to_have_text("No webhooks yet.")

        # A bad address: the server's reason, nothing kept.
        await console.get_by_test_id("webhook-url").fill("ftp://crm.example/hook")
        await console.get_by_test_id("webhook-submit").click()
        await expect(console.get_by_test_id("webhook-error")).to_contain_text("http")
        await expect(console.get_by_test_id("list-webhooks")).to_have_text("No webhooks yet.")

        # New conversations and messages only; the secret is shown once.
        await console.get_by_test_id("webhook-url").fill(rec.url)
        await console.get_by_test_id("webhook-event-conversation-updated").uncheck()
        await console.get_by_test_id("webhook-submit").click()
        secret = await console.get_by_test_id("webhook-secret-value").text_content()
        assert secret and re.fullmatch(r"[0-9a-f]{64}", secret)
        await expect(console.get_by_test_id("webhook-error")).to_have_text("")
        card = console.get_by_test_id("list-webhooks").locator(".webhook")
        await expect(card).to_have_count(1)
        await expect(card).to_contain_text("Active · New conversations, Messages")

        visitor, _ = await make_visitor(srv, org.site["id"])
        await write(visitor, "Hallo, ik zoek werk in de zorg")
        await wait_for(lambda: len(rec.received) == 2, timeout=15)
        assert [json.loads(r.body)["event"] for r in rec.received] == ["conversation.created", "message.created"]
        for r in rec.received:
            assert signing.verify(secret, r.headers[signing.HEADER.lower()], r.body, time.time())

        # The log says what went out.
        await card.get_by_role("button", name="Deliveries").click()
        rows = card.locator("table.deliveries tbody tr")
        await expect(rows).to_have_count(2)
        await expect(rows.first).to_contain_text("delivered · 1 × tried")
        await expect(rows.first).to_contain_text("HTTP 200")
        await shoot(console, artifacts, "lc-webhooks-01-en")
        assert await serious(console) == []

        # Paused, in Dutch.
        await card.get_by_role("button", name="Pause").click()
        await expect(card).to_have_attribute("data-active", "false")
        await console.get_by_test_id("app-lang").select_option("nl")
        await expect(card).to_contain_text("Gepauzeerd · Nieuwe gesprekken, Berichten")
        await expect(card.locator("table.deliveries tbody tr").first).to_contain_text("afgeleverd")
        await expect(console.get_by_test_id("webhook-secret")).to_contain_text("niet opnieuw getoond")
        await shoot(console, artifacts, "lc-webhooks-02-nl")
        visitor2, _ = await make_visitor(srv, org.site["id"])
        await write(visitor2, "Nog een vraag")

        # Deleted, after the confirmation.
        console.once("dialog", lambda dialog: dialog.accept())
        await card.get_by_role("button", name="Verwijderen").click()
        await expect(console.get_by_test_id("list-webhooks")).to_have_text("Nog geen webhooks.")
        assert len(rec.received) == 2  # nothing for the paused webhook's time
        assert (await org.key.rest("GET", "/api/webhooks"))["webhooks"] == []
        assert console.js_errors == []

        # An operator who is not a key-user has no Webhooks screen.
        olga = await make_user(srv, org.tenant, "Olga Bakker", function="Operator")
        await org.key.rest("PUT", f"/api/users/{olga.user['id']}/settings/livechat.enabled", {"value": True})
        other = await open_page(srv.url + "/console")
        await console_login(other, org.tenant["slug"], olga.user["username"])
        await expect(other.get_by_test_id("nav-webhooks")).to_be_hidden()
