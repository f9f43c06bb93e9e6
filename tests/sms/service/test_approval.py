"""Over the recipient limit (SM-7): queued, the author told, only an SMS-admin approves,
release writes one outbox row per recipient and charges parts x recipients (SM-17)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chatserver.client import ClientError
from sms.actions import lifecycle as sms
from tests.helpers import running_server
from tests.sms.service.helpers import make_org, outbox, without_dispatcher

LONG_TEXT = "Beste kandidaat, " + "we hebben deze week extra diensten in het magazijn. " * 3


async def test_150_recipients_wait_for_an_admin_then_go_out_once(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server, credits=100)
        await org.setting("sms.allow_long", True)
        acme = await org.key.rest("POST", "/api/organisations", {"name": "Acme Logistics"})
        await org.people(150, prefix="Acme", organisation_id=acme["id"])
        await org.anna.connect()
        await org.sam.connect()

        preview = await org.anna.rest("POST", "/api/sms/preview", {
            "body": LONG_TEXT, "recipients": [{"type": "organisation", "id": acme["id"]}]})
        assert (preview["parts"], preview["recipients"]) == (2, 150)
        assert preview["cost"] == 300 and preview["needs_approval"] is True

        created = await org.anna.rest("POST", "/api/sms/messages", {
            "subject": "Extra diensten", "body": LONG_TEXT,
            "recipients": [{"type": "organisation", "id": acme["id"]}]})
        msg = created["message"]
        # The author is told, in the answer and on every device.
        assert created["needs_approval"] is True
        assert "150 recipients, more than the limit of 100" in created["notice"]
        assert msg["status"] == "awaiting_approval" and msg["approved"] is False
        assert msg["recipients_planned"] == 150 and msg["sms_count"] == 300
        event = await org.anna.next_event("sms.message")
        assert event["data"]["message"]["status"] == "awaiting_approval"
        assert event["data"]["notice"] == created["notice"]
        admin_event = await org.sam.next_event("sms.message")
        assert admin_event["data"]["message"]["id"] == msg["id"]

        # Nothing resolved or charged while it waits, even when the dispatcher looks.
        assert await sms.release_due(server.services) == []
        assert await outbox(server, msg["id"]) == []
        assert await org.balance() == 100

        queue = await org.sam.rest("GET", "/api/sms/queue")
        row = next(item for item in queue["items"] if item["id"] == msg["id"])
        assert (row["name"], row["status"], row["user_name"], row["approved"]) == (
            "Extra diensten", "awaiting_approval", "Anna de Vries", False)

        # The author is no SMS-admin: 403, and it still waits.
        with pytest.raises(ClientError) as err:
            await org.anna.rest("POST", f"/api/sms/messages/{msg['id']}/approve")
        assert (err.value.status, err.value.code) == (403, "not_sms_admin")
        with pytest.raises(ClientError) as err:
            await org.anna.rest("GET", "/api/sms/queue")
        assert err.value.status == 403

        approved = await org.sam.rest("POST", f"/api/sms/messages/{msg['id']}/approve")
        assert approved["message"]["approved"] is True
        assert approved["message"]["approved_by"] == org.sam.user["id"]
        # Due ("send now"): released at once on approval.
        assert approved["message"]["status"] == "sending"
        rows = await outbox(server, msg["id"])
        assert len(rows) == 150
        assert all(r.state == "pending" and r.included for r in rows)
        assert len({r.number for r in rows}) == 150
        assert len({r.reference for r in rows}) == 150 and all(len(r.reference) == 32 for r in rows)
        assert await org.balance() == 100 - 300  # may go negative

        detail = await org.anna.rest("GET", f"/api/sms/messages/{msg['id']}")
        assert detail["recipients_sent"] == 150 and detail["credits_charged"] == 300
        assert detail["counts"]["pending"] == 150
        ledger = await org.key.rest("GET", "/api/sms/credits")
        assert ledger["entries"][0]["delta"] == -300 and ledger["entries"][0]["message_id"] == msg["id"]

        # Released once: a second look finds nothing, approving again is refused.
        assert await sms.release_due(server.services) == []
        assert len(await outbox(server, msg["id"])) == 150
        with pytest.raises(ClientError) as err:
            await org.sam.rest("POST", f"/api/sms/messages/{msg['id']}/approve")
        assert err.value.code == "not_awaiting_approval"

        # The author saw every step live.
        statuses = []
        while "sending" not in statuses:
            statuses.append((await org.anna.next_event("sms.message"))["data"]["message"]["status"])
        assert statuses[0] == "scheduled"


async def test_under_the_limit_goes_out_at_once(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server, credits=10)
        created = await org.anna.rest("POST", "/api/sms/messages", {
            "body": "Succes morgen!", "recipients": [{"type": "number", "number": "06-12345678"}]})
        assert created["needs_approval"] is False
        assert created["message"]["status"] == "sending"
        assert created["message"]["originator"] == "JobGenius"
        rows = await outbox(server, created["message"]["id"])
        assert [(r.number, r.state) for r in rows] == [("+31612345678", "pending")]
        assert await org.balance() == 9


async def test_an_edit_over_the_limit_needs_approval_again(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server, credits=10)
        await org.setting("sms.recipient_limit", 2)
        crew = await org.people(3, prefix="Crew")
        picks = [{"type": "person", "id": p["id"]} for p in crew]
        created = await org.anna.rest("POST", "/api/sms/messages", {
            "body": "Vrijdag borrel", "recipients": picks[:2],
            "send_at": (server.services.clock.now().replace(microsecond=0) + timedelta(days=1)).isoformat()})
        mid = created["message"]["id"]
        assert created["message"]["status"] == "scheduled"
        over = await org.anna.rest("PATCH", f"/api/sms/messages/{mid}", {"recipients": picks})
        assert over["needs_approval"] is True and over["message"]["status"] == "awaiting_approval"
        await org.sam.rest("POST", f"/api/sms/messages/{mid}/approve")
        # An admin's own edit keeps the approval; the author's edit while over the limit does not.
        kept = await org.sam.rest("PATCH", f"/api/sms/messages/{mid}", {"priority": 3})
        assert kept["message"]["status"] == "scheduled" and kept["message"]["approved"] is True
        again = await org.anna.rest("PATCH", f"/api/sms/messages/{mid}", {"body": "Vrijdag borrel om 5"})
        assert again["message"]["status"] == "awaiting_approval" and again["message"]["approved"] is False
        back = await org.anna.rest("PATCH", f"/api/sms/messages/{mid}", {"recipients": picks[:1]})
        assert back["message"]["status"] == "scheduled" and back["needs_approval"] is False
        assert await outbox(server, mid) == [] and await org.balance() == 10


async def test_a_scheduled_message_whose_group_grew_past_the_limit_waits_for_approval_at_release(config):
    from chatserver.clock import FakeClock

    clock = FakeClock()
    async with running_server(without_dispatcher(config), clock=clock) as server:
        org = await make_org(server, credits=100)
        await org.setting("sms.recipient_limit", 3)
        drivers = await org.key.rest("POST", "/api/sms/dynamic-groups", {
            "name": "Drivers", "rules": [{"field": "function", "op": "equals", "value": "Chauffeur"}]})
        await org.people(3, prefix="Driver", function="Chauffeur")
        await org.anna.connect()
        await org.sam.connect()
        created = await org.anna.rest("POST", "/api/sms/messages", {
            "subject": "Rijders", "body": "Wie kan zaterdag rijden?",
            "send_at": (clock.now() + timedelta(hours=1)).isoformat(),
            "recipients": [{"type": "dynamic_group", "id": drivers["id"]}]})
        msg = created["message"]
        assert (msg["status"], msg["recipients_planned"], created["needs_approval"]) == ("scheduled", 3, False)
        await org.anna.next_event("sms.message")
        await org.sam.next_event("sms.message")

        # Two more drivers join before it is due: 5, over the limit of 3.
        for i in (1, 2):
            await org.person(f"Late driver {i}", f"06-3000000{i}", function="Chauffeur")
        clock.advance(3600)
        assert await sms.release_due(server.services) == []
        assert await outbox(server, msg["id"]) == []
        assert await org.balance() == 100

        # The sender (and the SMS-admins) are told; the message is in the approval queue.
        notice = ("When it was due, this message had 5 recipients, more than the limit of 3: it was not sent "
                  "and waits in the queue until an SMS-admin approves it.")
        for client in (org.anna, org.sam):
            event = await client.next_event("sms.message")
            assert event["data"]["message"]["status"] == "awaiting_approval"
            assert event["data"]["message"]["recipients_planned"] == 5
            assert event["data"]["notice"] == notice
        detail = await org.anna.rest("GET", f"/api/sms/messages/{msg['id']}")
        assert detail["status"] == "awaiting_approval" and detail["approved"] is False
        queue = await org.sam.rest("GET", "/api/sms/queue")
        assert [i["status"] for i in queue["items"] if i["id"] == msg["id"]] == ["awaiting_approval"]

        # Approved for 5, it goes out to the 5; one more joining after the approval sends it back again.
        await org.person("Later driver", "06-30000003", function="Chauffeur")
        approved = await org.sam.rest("POST", f"/api/sms/messages/{msg['id']}/approve")
        assert approved["message"]["status"] == "awaiting_approval"  # 6 now: more than the 5 approved
        approved = await org.sam.rest("POST", f"/api/sms/messages/{msg['id']}/approve")
        assert approved["message"]["status"] == "sending"
        assert len([r for r in await outbox(server, msg["id"]) if r.included]) == 6
