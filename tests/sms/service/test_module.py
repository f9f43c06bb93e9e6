"""The rest of the module over REST: groups (SM-11), list with search, filters, saved
filters and columns (SM-9), the queue's detail (SM-12), records and timelines (SM-8,
SM-10), the picker, and events equal to what a fresh fetch shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatserver.client import ClientError
from tests.helpers import running_server
from tests.sms.service.helpers import make_org, outbox, without_dispatcher


@pytest.fixture
async def sms_server(config):
    async with running_server(without_dispatcher(config)) as server:
        yield server


def _later(days: int = 1) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0).isoformat()


async def test_sms_groups_create_fill_rename_remove_delete_and_send(sms_server):
    org = await make_org(sms_server, credits=10)
    piet = await org.person("Piet Pieters", "06-12345678")
    await org.user_setting(org.sam, "user.mobile", "06-55555555")
    group = await org.anna.rest("POST", "/api/sms/groups", {"name": "Weekend crew"})
    assert (group["name"], group["members"]) == ("Weekend crew", [])
    group = await org.anna.rest("POST", f"/api/sms/groups/{group['id']}/members", {"members": [
        {"name": "Reception", "number": "0612 345 679"}, {"user_id": org.sam.user["id"]}, {"person_id": piet["id"]},
        {"person_id": piet["id"]}]})  # twice is once
    assert [(m["kind"], m["name"], m["number"]) for m in group["members"]] == [
        # A colleague's and a person's number as the send reads it (issue 18: shown in the group).
        ("custom", "Reception", "+31612345679"), ("user", "Sam Visser", "06-55555555"),
        ("person", "Piet Pieters", "06-12345678")]
    renamed = await org.anna.rest("PATCH", f"/api/sms/groups/{group['id']}", {"name": "Zaterdagploeg"})
    assert renamed["name"] == "Zaterdagploeg"
    listed = await org.sam.rest("GET", "/api/sms/groups", q="zater")
    assert [(g["name"], g["member_count"]) for g in listed["items"]] == [("Zaterdagploeg", 3)]

    sent = await org.anna.rest("POST", "/api/sms/messages", {
        "body": "Zaterdag om 8:00", "recipients": [{"type": "sms_group", "id": group["id"]}]})
    assert sorted(r.number for r in await outbox(sms_server, sent["message"]["id"])) == [
        "+31612345678", "+31612345679", "+31655555555"]

    reception = group["members"][0]["id"]
    group = await org.anna.rest("DELETE", f"/api/sms/groups/{group['id']}/members/{reception}")
    assert [m["name"] for m in group["members"]] == ["Sam Visser", "Piet Pieters"]
    assert await org.anna.rest("DELETE", f"/api/sms/groups/{group['id']}") == {"deleted": group["id"]}
    assert (await org.anna.rest("GET", "/api/sms/groups"))["items"] == []
    # The message sent to it keeps its recipients.
    assert len(await outbox(sms_server, sent["message"]["id"])) == 3


async def test_list_search_filters_saved_filters_and_queue(sms_server):
    org = await make_org(sms_server, credits=10)
    number = [{"type": "number", "number": "06-12345678"}]
    a = (await org.anna.rest("POST", "/api/sms/messages",
                             {"subject": "Interview", "body": "Succes morgen", "recipients": number}))["message"]
    b = (await org.anna.rest("POST", "/api/sms/messages", {
        "body": "Vergeet je pasje niet voor de nieuwe locatie", "recipients": number, "send_at": _later(2),
        "priority": 25}))["message"]
    c = (await org.sam.rest("POST", "/api/sms/messages", {
        "subject": "Rooster", "body": "Nieuw rooster", "recipients": number, "send_at": _later(1)}))["message"]

    mine = await org.anna.rest("GET", "/api/sms/messages")
    assert [m["id"] for m in mine["items"]] == [b["id"], a["id"]] and mine["total"] == 2
    assert [m["id"] for m in (await org.anna.rest("GET", "/api/sms/messages", q="PASJE"))["items"]] == [b["id"]]
    assert [m["id"] for m in (await org.anna.rest("GET", "/api/sms/messages", status="sending"))["items"]] == [a["id"]]
    everyone = await org.sam.rest("GET", "/api/sms/messages", status="scheduled,sending")
    assert {m["id"] for m in everyone["items"]} == {a["id"], b["id"], c["id"]}
    today = datetime.now(UTC).date()
    assert (await org.anna.rest("GET", "/api/sms/messages", to=(today - timedelta(days=1)).isoformat()))["total"] == 0
    assert (await org.anna.rest("GET", "/api/sms/messages", **{"from": today.isoformat()}))["total"] == 2
    with pytest.raises(ClientError) as err:
        await org.anna.rest("GET", "/api/sms/messages", status="lost")
    assert err.value.code == "invalid_value"

    saved = await org.anna.rest("POST", "/api/sms/filters", {
        "name": "Gepland", "query": {"status": "scheduled"}, "columns": ["name", "send_at", "status"]})
    filters = await org.anna.rest("GET", "/api/sms/filters")
    assert [(f["name"], f["columns"]) for f in filters["items"]] == [("Gepland", ["name", "send_at", "status"])]
    assert "credits_charged" in filters["columns"]
    by_filter = await org.anna.rest("GET", "/api/sms/messages", filter_id=saved["id"])
    assert [m["id"] for m in by_filter["items"]] == [b["id"]]
    await org.anna.rest("PATCH", f"/api/sms/filters/{saved['id']}", {"columns": ["status", "name"]})
    assert (await org.anna.rest("GET", "/api/sms/filters"))["items"][0]["columns"] == ["status", "name"]
    for bad in ({"columns": ["password"]}, {"query": {"from": "gisteren"}}, {"query": {"user_id": "anna"}},
                {"query": {"status": "lost"}}, {"query": {"colour": "red"}}):
        with pytest.raises(ClientError) as err:
            await org.anna.rest("POST", "/api/sms/filters", {"name": "x", **bad})
        assert err.value.status == 400, bad
    assert len((await org.anna.rest("GET", "/api/sms/filters"))["items"]) == 1

    queue = await org.sam.rest("GET", "/api/sms/queue")
    assert [m["id"] for m in queue["items"]] == [c["id"], b["id"]]  # the soonest first
    row = queue["items"][1]
    assert row["name"] == "Vergeet je pasje niet voor de …"
    assert (row["status"], row["user_name"], row["approved"], row["priority"], row["sms_count"]) == (
        "scheduled", "Anna de Vries", True, 25, 1)
    assert row["created_at"].endswith("Z") and row["send_at"].endswith("Z")


async def test_records_timeline_and_send_from_a_dossier(sms_server):
    org = await make_org(sms_server, credits=10)
    piet = await org.person("Piet Pieters", "06-12345678")
    dossier = await org.key.rest("POST", "/api/records", {"kind": "candidate", "title": "Piet Pieters",
                                                          "person_id": piet["id"]})
    vacancy = await org.key.rest("POST", "/api/records", {"kind": "vacancy", "title": "Monteur Utrecht"})
    start = await org.anna.rest("GET", f"/api/sms/records/{dossier['id']}/compose")
    assert start["recipients"] == [{"type": "person", "id": piet["id"], "name": "Piet Pieters",
                                    "number": "+31612345678", "mode": "include"}]
    sent = await org.anna.rest("POST", "/api/sms/messages", {
        "subject": "Succes", "body": "Succes met je gesprek!", "recipients": start["recipients"],
        "record_ids": start["record_ids"]})
    mid = sent["message"]["id"]
    related = await org.anna.rest("POST", f"/api/sms/messages/{mid}/records", {"record_ids": [vacancy["id"]]})
    assert [r["title"] for r in related["records"]] == ["Piet Pieters", "Monteur Utrecht"]
    for record in (dossier, vacancy):
        timeline = await org.anna.rest("GET", f"/api/records/{record['id']}/timeline")
        assert [(e["kind"], e["ref_id"], e["summary"]) for e in timeline["entries"]] == [("sms", mid, "SMS: Succes")]
    await org.anna.rest("DELETE", f"/api/sms/messages/{mid}/records/{vacancy['id']}")
    assert (await org.anna.rest("GET", f"/api/records/{vacancy['id']}/timeline"))["entries"] == []
    detail = await org.anna.rest("GET", f"/api/sms/messages/{mid}")
    assert detail["record_ids"] == [dossier["id"]]
    assert [r["name"] for r in detail["recipients"]] == ["Piet Pieters"]


async def test_picker_preview_and_config(sms_server):
    org = await make_org(sms_server, credits=7)
    await org.person("Piet Pieters", "06-12345678")
    await org.anna.rest("POST", "/api/sms/groups", {"name": "Pietjes"})
    found = await org.anna.rest("GET", "/api/sms/search", q="piet")
    assert [(i["type"], i["name"], i["number"]) for i in found["items"]] == [
        ("person", "Piet Pieters", "+31612345678"), ("sms_group", "Pietjes", None)]
    cfg = await org.anna.rest("GET", "/api/sms/config")
    assert (cfg["default_sender"], cfg["recipient_limit"], cfg["max_single"], cfg["balance"]) == (
        "JobGenius", 100, 140, 7)
    assert cfg["own_number"] is None and cfg["admin"] is False and "NL" in cfg["allowed_countries"]
    p = await org.anna.rest("POST", "/api/sms/preview", {"body": "€" * 10})
    assert (p["encoding"], p["units"], p["remaining"], p["parts"], p["cost"]) == ("gsm7", 20, 120, 1, 0)
    p = await org.anna.rest("POST", "/api/sms/preview", {"body": "Hoi 😀"})
    assert (p["encoding"], p["remaining"]) == ("ucs2", 64)
    spec = await org.anna.rest("GET", "/openapi.json")
    assert {"/api/sms/messages", "/api/sms/messages/{message_id}/approve", "/api/sms/queue", "/api/sms/credits"} <= set(
        spec["paths"])


async def test_events_match_a_fresh_fetch(sms_server):
    org = await make_org(sms_server, credits=10)
    await org.anna.connect()
    await org.sam.connect()
    created = await org.anna.rest("POST", "/api/sms/messages", {
        "body": "Later meer", "recipients": [{"type": "number", "number": "06-12345678"}], "send_at": _later()})
    mid = created["message"]["id"]
    event = await org.anna.next_event("sms.message")
    fresh = (await org.anna.rest("GET", "/api/sms/messages"))["items"][0]
    assert event["data"]["message"] == fresh
    await org.anna.rest("POST", f"/api/sms/messages/{mid}/cancel")
    for client in (org.anna, org.sam):
        seen = []
        while "cancelled" not in seen:
            seen.append((await client.next_event("sms.message"))["data"]["message"]["status"])
    await org.anna.rest("DELETE", f"/api/sms/messages/{mid}")
    for client in (org.anna, org.sam):
        while True:
            data = (await client.next_event("sms.message"))["data"]["message"]
            if data.get("deleted"):
                assert data == {"id": mid, "deleted": True}
                break


async def test_a_subscription_in_use_is_kept_and_bad_query_parameters_are_400(sms_server):
    org = await make_org(sms_server, credits=10)
    piet = await org.person("Piet Pieters", "06-12345678")
    news = await org.key.rest("POST", "/api/sms/subscriptions", {"name": "Nieuwsbrief"})
    await org.key.rest("POST", f"/api/sms/subscriptions/{news['id']}/join", {"person_ids": [piet["id"]]})
    waiting = (await org.anna.rest("POST", "/api/sms/messages", {
        "body": "Nieuws", "subscription_id": news["id"], "send_at": _later(),
        "recipients": [{"type": "person", "id": piet["id"]}]}))["message"]
    # Before release "why" answers what would happen now.
    why = await org.anna.rest("GET", f"/api/sms/messages/{waiting['id']}/why", number="+31612345678")
    assert (why["released"], why["received"]) == (False, True)
    with pytest.raises(ClientError) as err:
        await org.key.rest("DELETE", f"/api/sms/subscriptions/{news['id']}")
    assert (err.value.status, err.value.code) == (409, "in_use")
    await org.anna.rest("POST", f"/api/sms/messages/{waiting['id']}/cancel")
    renamed = await org.key.rest("PATCH", f"/api/sms/subscriptions/{news['id']}", {"name": "Weekbrief"})
    assert (renamed["name"], renamed["member_count"]) == ("Weekbrief", 1)
    assert renamed["members"][0]["name"] == "Piet Pieters" and renamed["members"][0]["opted_out_at"] is None
    assert await org.key.rest("DELETE", f"/api/sms/subscriptions/{news['id']}") == {"deleted": news["id"]}
    assert (await org.key.rest("GET", "/api/sms/subscriptions"))["items"] == []

    for params in ({"limit": "abc"}, {"filter_id": "x"}, {"offset": "-1"}, {"from": "gisteren"}):
        with pytest.raises(ClientError) as err:
            await org.anna.rest("GET", "/api/sms/messages", **params)
        assert err.value.status == 400, params
    with pytest.raises(ClientError) as err:
        await org.anna.rest("GET", f"/api/sms/messages/{waiting['id']}/why", person_id="piet")
    assert err.value.code == "invalid_value"
    with pytest.raises(ClientError) as err:
        await org.anna.rest("GET", f"/api/sms/messages/{waiting['id']}/why")
    assert err.value.code == "missing_field"
