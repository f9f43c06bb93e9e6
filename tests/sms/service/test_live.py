"""End to end with the hub's embedded dispatcher and gateway: the author's and the
SMS-admin's connected clients see the message and each recipient move to delivered."""

from __future__ import annotations

from sms.config import SmsConfig
from tests.helpers import running_server, with_section
from tests.sms.service.helpers import make_org


async def test_sent_message_reaches_delivered_live(config):
    config = with_section(config, SmsConfig, worker="embedded", embedded_report_seconds=0.1, poll_seconds=0.2)
    async with running_server(config) as server:
        org = await make_org(server, credits=10)
        await org.anna.connect()
        await org.sam.connect()
        created = await org.anna.rest("POST", "/api/sms/messages", {"body": "Hallo!", "recipients": [
            {"type": "number", "number": "06-12345678", "name": "Piet"},
            {"type": "number", "number": "06-23456789", "name": "Fatima"}]})
        mid = created["message"]["id"]
        for client in (org.anna, org.sam):
            states: dict[str, str] = {}
            status = None
            while status != "sent" or set(states.values()) != {"delivered"} or len(states) < 2:
                event = await client.next_event(timeout=30)
                if event["type"] == "sms.recipient":
                    assert event["data"]["message_id"] == mid
                    states[event["data"]["recipient"]["name"]] = event["data"]["recipient"]["state"]
                elif event["type"] == "sms.message":
                    status = event["data"]["message"]["status"]
        detail = await org.anna.rest("GET", f"/api/sms/messages/{mid}")
        assert detail["status"] == "sent" and detail["counts"]["delivered"] == 2
        assert await org.balance() == 8
