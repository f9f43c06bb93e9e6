"""Bad input gets a clear error, stores nothing and charges nothing: numbers, senders,
texts, dates in the past or malformed, unknown groups, another tenant's ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import running_server
from tests.sms.service.helpers import make_org, message_count, without_dispatcher

NUMBER = [{"type": "number", "number": "06-12345678"}]


async def _refused(client: ChatClient, body: dict[str, Any], status: int, code: str, words: str) -> dict[str, Any]:
    with pytest.raises(ClientError) as err:
        await client.rest("POST", "/api/sms/messages", body)
    assert (err.value.status, err.value.code) == (status, code), err.value
    assert words in str(err.value), str(err.value)
    return {}


@pytest.fixture
async def sms_server(config):
    async with running_server(without_dispatcher(config)) as server:
        yield server


async def test_refused_messages_store_and_charge_nothing(sms_server):
    server = sms_server
    org = await make_org(server, credits=10)
    other = await make_org(server)
    foreign_group = await other.key.rest("POST", "/api/sms/groups", {"name": "Theirs"})
    foreign_person = await other.person("Stranger", "06-87654321")
    body = {"body": "Hallo", "recipients": NUMBER}
    cases = [
        ({**body, "recipients": [{"type": "number", "number": "020-1234567"}]}, 400, "invalid_number",
         "not a mobile number"),
        ({**body, "recipients": [{"type": "number", "number": "06-123"}]}, 400, "invalid_number", "recipient 1"),
        ({**body, "recipients": [{"type": "number", "number": "+1 202 555 0100"}]}, 400, "invalid_number",
         "not among the countries"),
        ({**body, "recipients": [{"type": "number", "number": "call me"}]}, 400, "invalid_number",
         "not a phone number"),
        ({**body, "recipients": [{"type": "sms_group", "id": 999999999}]}, 404, "unknown_selection",
         "no SMS group with id 999999999"),
        ({**body, "recipients": [{"type": "sms_group", "id": foreign_group["id"]}]}, 404, "unknown_selection",
         "no SMS group"),
        ({**body, "recipients": [{"type": "person", "id": foreign_person["id"]}]}, 404, "unknown_selection",
         "no person"),
        # The route's declaration (api.contract) names the place.
        ({**body, "recipients": [{"type": "planet", "id": 1}]}, 400, "invalid_value", "recipients[0].type' must be one of"),
        ({**body, "recipients": [{"type": "number", "number": "06-12345678", "mode": "exclude"}]}, 400,
         "no_recipients", "at least one recipient"),
        ({**body, "recipients": []}, 400, "no_recipients", "at least one recipient"),
        ({**body, "send_at": "2025-12-31T10:00:00+01:00"}, 400, "date_in_past", "in the past"),
        ({**body, "send_at": "NaN-NaN-NaN NaN:NaN"}, 400, "invalid_date", "not a valid date"),
        ({**body, "send_at": "2099-13-45T25:61:00Z"}, 400, "invalid_date", "not a valid date"),
        ({**body, "send_at": "2030-01-01T10:00:00"}, 400, "invalid_date", "no time zone"),
        ({**body, "send_at": 1767261600}, 400, "wrong_type", "send_at' must be a string"),
        ({**body, "send_at": "2099-01-01T10:00:00Z"}, 400, "invalid_date", "two years"),
        ({**body, "body": ""}, 400, "invalid_text", "empty"),
        ({**body, "body": "x" * 141}, 400, "invalid_text", "1 character too long"),
        ({**body, "from_own_number": True}, 400, "invalid_sender", "no mobile number set"),
        ({**body, "priority": 1000}, 400, "out_of_range", "priority"),
        ({**body, "record_ids": [999999999]}, 404, "not_found", "no record"),
        ({**body, "subscription_id": 999999999}, 404, "unknown_selection", "no SMS subscription"),
        ({**body, "colour": "red"}, 400, "unknown_field", "colour"),
    ]
    for case, status, code, words in cases:
        await _refused(org.anna, case, status, code, words)
    assert await message_count(server, org.tenant["id"]) == 0
    assert await org.balance() == 10


async def test_invalid_senders_are_refused(sms_server):
    server = sms_server
    org = await make_org(server, sender="")
    await _refused(org.anna, {"body": "Hallo", "recipients": NUMBER}, 400, "invalid_sender", "no default SMS sender")
    # The setting itself refuses bad names, so a bad default can never be stored.
    with pytest.raises(ClientError) as err:
        await org.key.rest("PUT", "/api/settings/tenant/sms.default_sender", {"value": "Job Genius&Co"})
    assert err.value.code == "invalid_setting"
    await org.user_setting(org.anna, "user.mobile", "020-1234567")
    await _refused(org.anna, {"body": "Hallo", "recipients": NUMBER, "from_own_number": True}, 400,
                   "invalid_sender", "cannot be used as the sender")
    await org.user_setting(org.anna, "user.mobile", "+31 6 11111111")
    created = await org.anna.rest("POST", "/api/sms/messages",
                                  {"body": "Hallo", "recipients": NUMBER, "from_own_number": True})
    assert (created["message"]["originator"], created["message"]["sender_kind"]) == ("31611111111", "own_number")
    assert await message_count(server, org.tenant["id"]) == 1


async def test_edit_rules_and_bad_edits_change_nothing(sms_server):
    server = sms_server
    org = await make_org(server, credits=5)
    local = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).astimezone(timezone(timedelta(hours=2)))
    when = local.isoformat()
    created = await org.anna.rest("POST", "/api/sms/messages",
                                  {"subject": "Later", "body": "Tot dan", "send_at": when, "recipients": NUMBER})
    mid = created["message"]["id"]
    for patch, code in (({"send_at": "yesterday"}, "invalid_date"), ({"body": "y" * 200}, "invalid_text"),
                        ({"recipients": [{"type": "number", "number": "0"}]}, "invalid_number")):
        with pytest.raises(ClientError) as err:
            await org.anna.rest("PATCH", f"/api/sms/messages/{mid}", patch)
        assert err.value.code == code
    detail = await org.anna.rest("GET", f"/api/sms/messages/{mid}")
    utc = local.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert (detail["body"], detail["send_at"], detail["status"]) == ("Tot dan", utc, "scheduled")

    edited = await org.anna.rest("PATCH", f"/api/sms/messages/{mid}", {"body": "Tot morgen", "priority": 5})
    assert (edited["message"]["body"], edited["message"]["priority"]) == ("Tot morgen", 5)
    cancelled = await org.anna.rest("POST", f"/api/sms/messages/{mid}/cancel")
    assert cancelled["message"]["status"] == "cancelled"
    with pytest.raises(ClientError) as err:
        await org.anna.rest("PATCH", f"/api/sms/messages/{mid}", {"body": "Toch wel"})
    assert (err.value.status, err.value.code) == (409, "not_editable")
    assert (await org.anna.rest("DELETE", f"/api/sms/messages/{mid}")) == {"deleted": mid}
    assert await message_count(server, org.tenant["id"]) == 0
    assert await org.balance() == 5

    # Sending cannot be deleted until it is done.
    sent = await org.anna.rest("POST", "/api/sms/messages", {"body": "Nu", "recipients": NUMBER})
    with pytest.raises(ClientError) as err:
        await org.anna.rest("DELETE", f"/api/sms/messages/{sent['message']['id']}")
    assert (err.value.status, err.value.code) == (409, "still_sending")


async def test_bad_group_members_and_credit_top_ups(sms_server):
    org = await make_org(sms_server)
    group = await org.anna.rest("POST", "/api/sms/groups", {"name": "Crew"})
    with pytest.raises(ClientError) as err:
        await org.anna.rest("POST", f"/api/sms/groups/{group['id']}/members",
                            {"members": [{"name": "Ok", "number": "06-12345678"}, {"name": "Bad", "number": "12"}]})
    assert err.value.code == "invalid_number" and "recipient 2" in str(err.value)
    assert (await org.anna.rest("GET", f"/api/sms/groups/{group['id']}"))["members"] == []  # all or nothing
    with pytest.raises(ClientError) as err:
        await org.anna.rest("POST", "/api/sms/credits", {"amount": 100})
    assert (err.value.status, err.value.code) == (403, "not_key_user")
    for amount in (0, -5, "100", 1.5, True):
        with pytest.raises(ClientError) as err:
            await org.key.rest("POST", "/api/sms/credits", {"amount": amount})
        # The route's declaration (api.contract): a whole number from 1 to MAX_TOP_UP.
        assert err.value.code in ("out_of_range", "wrong_type") and "'amount'" in err.value.message, err.value
    assert await org.balance() == 0
    with pytest.raises(ClientError) as err:
        await org.key.rest("POST", "/api/sms/dynamic-groups",
                           {"name": "Bad", "rules": [{"field": "salary", "op": "equals", "value": "1"}]})
    assert err.value.code == "invalid_value"
