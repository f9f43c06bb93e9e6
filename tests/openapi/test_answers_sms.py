"""SMS's answers are what /openapi.json describes (see test_answers.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import Server
from tests.openapi.answers import Answers
from tests.sms.service.helpers import make_org as make_sms_org


async def test_sms_credit_and_filter_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_sms_org(server)
    topped = await answers.call(org.key, "POST", "/api/sms/credits", {"amount": 25, "note": "start"})
    assert topped["balance"] == 25 and topped["entry"]["reason"] == "top_up"
    ledger = await answers.call(org.key, "GET", "/api/sms/credits")
    assert ledger["balance"] == 25 and [e["delta"] for e in ledger["entries"]] == [25]

    made = await answers.call(org.sam, "POST", "/api/sms/filters", {"name": "Mijn berichten"})
    changed = await answers.call(org.sam, "PATCH", f"/api/sms/filters/{made['id']}", {"name": "Alles"})
    assert changed["name"] == "Alles"
    listed = await answers.call(org.sam, "GET", "/api/sms/filters")
    assert [f["name"] for f in listed["items"]] == ["Alles"] and listed["columns"]
    assert await answers.call(org.sam, "DELETE", f"/api/sms/filters/{made['id']}") == {"deleted": made["id"]}
    assert len(answers.checked) == 6, answers.checked


async def test_sms_message_and_group_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_sms_org(server, credits=100)
    await org.setting("sms.recipient_limit", 1)
    jan = await org.person("Jan de Vries", "0612345671")
    later = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
    two = [{"type": "number", "number": "0612345672", "name": "Piet"}, {"type": "person", "id": jan["id"]}]
    made = await answers.call(org.anna, "POST", "/api/sms/messages",
                              {"subject": "Rooster", "body": "Zie de app", "send_at": later, "recipients": two})
    msg = made["message"]
    assert made["needs_approval"] is True and msg["status"] == "awaiting_approval" and made["notice"]
    changed = await answers.call(org.anna, "PATCH", f"/api/sms/messages/{msg['id']}", {"subject": "Rooster week 2"})
    assert changed["message"]["name"] == "Rooster week 2"
    detail = await answers.call(org.anna, "GET", f"/api/sms/messages/{msg['id']}")
    assert detail["editable"] is True and detail["approver_name"] is None
    listed = await answers.call(org.anna, "GET", "/api/sms/messages")
    assert [m["id"] for m in listed["items"]] == [msg["id"]] and listed["total"] == 1
    assert (await answers.call(org.sam, "GET", "/api/sms/queue"))["total"] == 1
    assert (await answers.call(org.anna, "GET", f"/api/sms/messages/{msg['id']}/recipients"))["items"] == []
    why = await answers.call(org.anna, "GET", f"/api/sms/messages/{msg['id']}/why?person_id={jan['id']}")
    assert why["released"] is False and why["received"] is True and why["recipient"] is None
    person = await org.key.rest("POST", "/api/people", {"kind": "candidate", "name": "Kim"})
    record = await org.key.rest("POST", "/api/records", {"kind": "candidate", "title": "Kim", "person_id": person["id"]})
    related = await answers.call(org.anna, "POST", f"/api/sms/messages/{msg['id']}/records",
                                 {"record_ids": [record["id"]]})
    assert [r["title"] for r in related["records"]] == ["Kim"]
    assert await answers.call(org.anna, "DELETE", f"/api/sms/messages/{msg['id']}/records/{record['id']}") == {
        "records": []}
    approved = await answers.call(org.sam, "POST", f"/api/sms/messages/{msg['id']}/approve")
    assert approved["message"]["approved"] is True and approved["message"]["status"] == "scheduled"
    cancelled = await answers.call(org.anna, "POST", f"/api/sms/messages/{msg['id']}/cancel")
    assert cancelled["message"]["status"] == "cancelled"
    assert await answers.call(org.anna, "DELETE", f"/api/sms/messages/{msg['id']}") == {"deleted": msg["id"]}

    group = await answers.call(org.anna, "POST", "/api/sms/groups", {"name": "Ploeg"})
    grown = await answers.call(org.anna, "POST", f"/api/sms/groups/{group['id']}/members",
                               {"members": [{"person_id": jan["id"]}, {"name": "Piet", "number": "0612345672"}]})
    assert sorted(m["kind"] for m in grown["members"]) == ["custom", "person"]
    assert (await answers.call(org.anna, "GET", f"/api/sms/groups/{group['id']}"))["member_count"] == 2
    assert [g["name"] for g in (await answers.call(org.anna, "GET", "/api/sms/groups"))["items"]] == ["Ploeg"]
    assert (await answers.call(org.anna, "PATCH", f"/api/sms/groups/{group['id']}", {"name": "Ploeg B"}))["name"]
    member = grown["members"][0]["id"]
    assert (await answers.call(org.anna, "DELETE", f"/api/sms/groups/{group['id']}/members/{member}"))[
        "member_count"] == 1
    assert await answers.call(org.anna, "DELETE", f"/api/sms/groups/{group['id']}") == {"deleted": group["id"]}

    news = await answers.call(org.key, "POST", "/api/sms/subscriptions", {"name": "Nieuws"})
    joined = await answers.call(org.key, "POST", f"/api/sms/subscriptions/{news['id']}/join",
                                {"person_ids": [jan["id"]]})
    assert joined["member_count"] == 1 and joined["members"][0]["opted_out_at"] is None
    left = await answers.call(org.key, "POST", f"/api/sms/subscriptions/{news['id']}/opt-out",
                              {"person_ids": [jan["id"]]})
    assert left["member_count"] == 0 and left["members"][0]["opted_out_at"]
    assert (await answers.call(org.key, "GET", f"/api/sms/subscriptions/{news['id']}"))["name"] == "Nieuws"
    assert (await answers.call(org.key, "GET", "/api/sms/subscriptions"))["items"][0]["member_count"] == 0
    assert (await answers.call(org.key, "PATCH", f"/api/sms/subscriptions/{news['id']}", {"name": "Nieuwsbrief"}))[
        "name"] == "Nieuwsbrief"
    assert await answers.call(org.key, "DELETE", f"/api/sms/subscriptions/{news['id']}") == {"deleted": news["id"]}

    drivers = await answers.call(org.key, "POST", "/api/sms/dynamic-groups", {
        "name": "Rijders", "rules": [{"field": "function", "op": "equals", "value": "Chauffeur"}]})
    await org.people(2, prefix="Driver", function="Chauffeur")
    assert (await answers.call(org.key, "GET", f"/api/sms/dynamic-groups/{drivers['id']}/members"))["total"] == 2
    assert (await answers.call(org.key, "GET", f"/api/sms/dynamic-groups/{drivers['id']}"))["rules"]
    assert len((await answers.call(org.key, "GET", "/api/sms/dynamic-groups"))["items"]) == 1
    assert (await answers.call(org.key, "PATCH", f"/api/sms/dynamic-groups/{drivers['id']}", {"name": "Chauffeurs"}))[
        "name"] == "Chauffeurs"
    assert await answers.call(org.key, "DELETE", f"/api/sms/dynamic-groups/{drivers['id']}") == {
        "deleted": drivers["id"]}
    assert len(answers.checked) == 32, answers.checked


async def test_sms_composer_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_sms_org(server, credits=10)
    jan = await org.person("Jan de Vries", "0612345671")
    record = await org.key.rest("POST", "/api/records", {"kind": "candidate", "title": "Jan", "person_id": jan["id"]})
    config = await answers.call(org.anna, "GET", "/api/sms/config")
    assert config["balance"] == 10 and config["default_sender"] == "JobGenius"
    preview = await answers.call(org.anna, "POST", "/api/sms/preview", {
        "body": "Hoi Jan", "recipients": [{"type": "person", "id": jan["id"]}]})
    assert preview["recipients"] == 1 and preview["parts"] == 1
    (found,) = (await answers.call(org.anna, "GET", "/api/sms/search?q=jan&types=person"))["items"]
    assert found["number"] == "+31612345671"
    start = await answers.call(org.anna, "GET", f"/api/sms/records/{record['id']}/compose")
    assert [r["id"] for r in start["recipients"]] == [jan["id"]] and start["record_ids"] == [record["id"]]
    assert len(answers.checked) == 4, answers.checked
