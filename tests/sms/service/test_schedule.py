"""A scheduled message is resolved when it goes out, not when it was written (SM-16):
who joined a dynamic group meanwhile receives it, who opted out does not, and credits
are charged only for what is sent, past zero (SM-17, seed 002). Time is a FakeClock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from chatserver.clock import FakeClock
from sms.actions import lifecycle as sms
from tests.helpers import running_server
from tests.sms.service.helpers import make_org, outbox, without_dispatcher


async def test_scheduled_message_is_resolved_and_charged_at_its_time(config):
    clock = FakeClock()
    async with running_server(without_dispatcher(config), clock=clock) as server:
        org = await make_org(server, credits=2)
        await org.anna.connect()
        # Drivers, found by a rule over the directory; and a newsletter to opt in to.
        drivers = await org.key.rest("POST", "/api/sms/dynamic-groups", {
            "name": "Drivers", "rules": [{"field": "function", "op": "equals", "value": "Chauffeur"}]})
        news = await org.key.rest("POST", "/api/sms/subscriptions", {"name": "Vacancy alerts"})
        jan = await org.person("Jan de Boer", "06-34567890", function="Chauffeur")
        eva = await org.person("Eva Smit", "06-45678901", function="Chauffeur")
        lotte = await org.person("Lotte Mulder", "020-1234567", function="Chauffeur")  # a landline
        await org.key.rest("POST", f"/api/sms/subscriptions/{news['id']}/join",
                           {"person_ids": [jan["id"], eva["id"], lotte["id"]]})

        send_at = (clock.now() + timedelta(hours=1)).isoformat()
        created = await org.anna.rest("POST", "/api/sms/messages", {
            "subject": "Rijders gezocht", "body": "Wie kan er zaterdag rijden?", "send_at": send_at,
            "subscription_id": news["id"], "recipients": [{"type": "dynamic_group", "id": drivers["id"]}]})
        msg = created["message"]
        assert msg["status"] == "scheduled" and msg["send_at"] == "2026-01-01T10:00:00Z"
        assert msg["recipients_planned"] == 2  # Jan and Eva; Lotte's landline cannot receive

        # Between scheduling and sending: Piet becomes a driver and subscribes; Eva opts out.
        piet = await org.person("Piet Pieters", "+31 6 56789012", function="Chauffeur")
        await org.key.rest("POST", f"/api/sms/subscriptions/{news['id']}/join", {"person_ids": [piet["id"]]})
        await org.key.rest("POST", f"/api/sms/subscriptions/{news['id']}/opt-out", {"person_ids": [eva["id"]]})

        # Not yet: a minute early nothing goes.
        clock.advance(59 * 60)
        assert await sms.release_due(server.services) == []
        assert await outbox(server, msg["id"]) == []
        clock.advance(60)
        assert await sms.release_due(server.services) == [msg["id"]]

        rows = {r.name: r for r in await outbox(server, msg["id"])}
        assert set(rows) == {"Jan de Boer", "Eva Smit", "Lotte Mulder", "Piet Pieters"}
        assert (rows["Jan de Boer"].state, rows["Jan de Boer"].number) == ("pending", "+31634567890")
        assert (rows["Piet Pieters"].state, rows["Piet Pieters"].number) == ("pending", "+31656789012")
        assert (rows["Eva Smit"].state, rows["Eva Smit"].reason) == ("skipped", "not_subscribed")
        assert "opted out on 2026-01-01" in rows["Eva Smit"].reason_text
        assert (rows["Lotte Mulder"].state, rows["Lotte Mulder"].reason) == ("skipped", "no_valid_mobile")
        assert "not a mobile number" in rows["Lotte Mulder"].reason_text

        # Two sent, one part each: 2 credits of the 2 there were... and nothing more.
        assert await org.balance() == 0
        detail = await org.anna.rest("GET", f"/api/sms/messages/{msg['id']}")
        assert (detail["status"], detail["recipients_sent"], detail["credits_charged"]) == ("sending", 2, 2)

        # Why did Eva not receive it? Lotte? And someone never selected?
        why = await org.anna.rest("GET", f"/api/sms/messages/{msg['id']}/why", person_id=eva["id"])
        assert (why["released"], why["received"], why["reason"]) == (True, False, "not_subscribed")
        why = await org.anna.rest("GET", f"/api/sms/messages/{msg['id']}/why", q="lotte")
        assert why["reason"] == "no_valid_mobile" and why["recipient"]["raw_number"] == "020-1234567"
        why = await org.anna.rest("GET", f"/api/sms/messages/{msg['id']}/why", number="06-56789012")
        assert why["received"] is True and why["reason"] is None
        why = await org.anna.rest("GET", f"/api/sms/messages/{msg['id']}/why", q="nobody")
        assert why["reason"] == "not_selected"


async def test_balance_goes_negative_when_more_join_than_were_planned(config):
    clock = FakeClock()
    async with running_server(without_dispatcher(config), clock=clock) as server:
        org = await make_org(server, credits=1)
        folder = await org.key.rest("POST", "/api/folders", {"name": "Zomerkrachten"})
        await org.person("Kim", "06-11122233", folder_id=folder["id"])
        created = await org.anna.rest("POST", "/api/sms/messages", {
            "body": "Morgen om 8 uur verzamelen.", "send_at": (clock.now() + timedelta(minutes=30)).isoformat(),
            "recipients": [{"type": "folder", "id": folder["id"]}]})
        assert created["message"]["recipients_planned"] == 1
        for name, number in (("Tom", "06-22233344"), ("Sara", "06-33344455")):
            await org.person(name, number, folder_id=folder["id"])
        clock.advance(30 * 60)
        assert await sms.release_due(server.services) == [created["message"]["id"]]
        assert await org.balance() == 1 - 3
        credits = await org.key.rest("GET", "/api/sms/credits")
        assert [e["balance_after"] for e in credits["entries"]] == [-2, 1]


async def test_exclusions_duplicates_and_countries(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server, credits=50)
        await org.setting("sms.allowed_countries", "NL,BE")
        acme = await org.key.rest("POST", "/api/organisations", {"name": "Acme"})
        boss = await org.person("Boss", "06-10000001", organisation_id=acme["id"])
        await org.person("Worker", "06-10000002", organisation_id=acme["id"])
        await org.person("Worker Twin", "06-10000002", organisation_id=acme["id"])  # the same phone, later by name
        await org.person("Hans", "+49 151 23456789", organisation_id=acme["id"])  # Germany: not allowed here
        await org.person("Lucas", "+32 470 12 34 56", organisation_id=acme["id"])  # Belgium: allowed
        await org.user_setting(org.sam, "user.mobile", "+31 6 10000009")
        created = await org.anna.rest("POST", "/api/sms/messages", {"body": "Vergadering om 9:00", "recipients": [
            {"type": "organisation", "id": acme["id"]},
            {"type": "person", "id": boss["id"], "mode": "exclude"},
            {"type": "user", "id": org.sam.user["id"]},
            {"type": "user", "id": org.key.user["id"]},  # no mobile number set
        ]})
        rows = {r.name: r for r in await outbox(server, created["message"]["id"])}
        assert rows["Boss"].reason == "excluded" and "excluded selection" in rows["Boss"].reason_text
        assert rows["Worker"].state == "pending"
        assert rows["Worker Twin"].reason == "duplicate_number" and "as Worker)" in rows["Worker Twin"].reason_text
        assert rows["Hans"].reason == "country_not_allowed"
        assert (rows["Lucas"].state, rows["Lucas"].number) == ("pending", "+32470123456")
        assert (rows["Sam Visser"].state, rows["Sam Visser"].user_id) == ("pending", org.sam.user["id"])
        assert rows["Kees Keyuser"].reason == "no_valid_mobile"
        assert rows["Kees Keyuser"].reason_text == "Kees Keyuser has no mobile number."
        assert created["message"]["recipients_planned"] == 3
        assert await org.balance() == 47


async def test_two_dispatchers_releasing_at_once_release_once(config):
    clock = FakeClock()
    async with running_server(without_dispatcher(config), clock=clock) as server:
        org = await make_org(server, credits=100)
        crew = await org.people(20, prefix="Crew")
        created = await org.anna.rest("POST", "/api/sms/messages", {
            "body": "Dienst om 7:00", "send_at": (clock.now() + timedelta(minutes=5)).isoformat(),
            "recipients": [{"type": "person", "id": p["id"]} for p in crew]})
        clock.advance(5 * 60)
        results = await asyncio.gather(*(sms.release_due(server.services) for _ in range(4)))
        assert sorted(mid for released in results for mid in released) == [created["message"]["id"]]
        assert len(await outbox(server, created["message"]["id"])) == 20
        credits = await org.key.rest("GET", "/api/sms/credits")
        assert [e["delta"] for e in credits["entries"]] == [-20, 100]


async def test_concurrent_first_credit_changes_all_count(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server)
        await asyncio.gather(*(org.key.rest("POST", "/api/sms/credits", {"amount": 10}) for _ in range(5)))
        credits = await org.key.rest("GET", "/api/sms/credits")
        assert credits["balance"] == 50
        assert sorted(e["balance_after"] for e in credits["entries"]) == [10, 20, 30, 40, 50]
