"""Tenant and user isolation: another tenant's or another user's ids give a clear 404
(or 403 where the caller may know the thing exists but not touch it), over REST and
over the WebSocket, and nothing changes.
"""

from __future__ import annotations

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import befriend, make_tenant, make_user


async def _expect(client: ChatClient, status: int, method: str, path: str, body=None, code: str | None = None):
    with pytest.raises(ClientError) as err:
        await client.rest(method, path, body)
    assert err.value.status == status, (method, path, err.value)
    if code is not None:
        assert err.value.code == code, (method, path, err.value)
    assert err.value.message
    return err.value


@pytest.fixture
async def world(server):
    """Tenant A with a conversation, a pending request and directory items; tenant B beside it."""
    org_a = await make_tenant(server, "alpha")
    org_b = await make_tenant(server, "beta")
    alice = await make_user(server, org_a, "Alice Aalders")
    anton = await make_user(server, org_a, "Anton Achterberg")
    carla = await make_user(server, org_a, "Carla Claes")
    akey = await make_user(server, org_a, "Akke Sleutel", role="key_user")
    bob = await make_user(server, org_b, "Bob Bakker")
    bkey = await make_user(server, org_b, "Bea Sleutel", role="key_user")
    await befriend(alice, anton)
    sent = await alice.rest("POST", "/api/messages", {"to": anton.user["id"], "body": "geheim", "client_msg_id": "s1"})
    conv_id = sent["message"]["conversation_id"]
    request = await anton.rest("POST", "/api/contact-requests", {"user_id": akey.user["id"]})
    org = await alice.rest("POST", "/api/organisations", {"name": "Alpha Klant"})
    folder = await alice.rest("POST", "/api/folders", {"name": "Alpha map"})
    person = await alice.rest("POST", "/api/people", {"name": "Piet Kandidaat", "organisation_id": org["id"]})
    group = await alice.rest("POST", "/api/groups", {"name": "Alpha groep"})
    await alice.rest("POST", f"/api/groups/{group['id']}/members", {"person_ids": [person["id"]]})
    record = await alice.rest("POST", "/api/records", {"kind": "candidate", "title": "Piet", "person_id": person["id"]})
    return {
        "alice": alice, "anton": anton, "carla": carla, "akey": akey, "bob": bob, "bkey": bkey,
        "conv": conv_id, "message": sent["message"]["id"], "request": request["id"],
        "org": org["id"], "folder": folder["id"], "person": person["id"], "group": group["id"], "record": record["id"],
    }


# --- another tenant over REST --------------------------------------------------------


async def test_another_tenants_directory_ids_are_not_found(world):
    for who in ("bob", "bkey"):
        c = world[who]
        for kind, key in [("records", "record"), ("people", "person"), ("groups", "group"),
                          ("organisations", "org"), ("folders", "folder")]:
            err = await _expect(c, 404, "GET", f"/api/{kind}/{world[key]}", code="not_found")
            assert "Piet" not in err.message and "Alpha" not in err.message
        await _expect(c, 404, "GET", f"/api/records/{world['record']}/timeline", code="not_found")
        await _expect(c, 404, "POST", f"/api/groups/{world['group']}/members", {"person_ids": []}, code="not_found")
        # Listings show only the caller's own organisation.
        for kind in ("records", "people", "groups", "organisations", "folders"):
            assert (await c.rest("GET", f"/api/{kind}"))["total"] == 0
        users = {u["id"] for u in (await c.rest("GET", "/api/users"))["users"]}
        assert users == {world["bob"].user["id"], world["bkey"].user["id"]}
    # The owner still sees everything, unchanged.
    assert (await world["alice"].rest("GET", f"/api/groups/{world['group']}"))["person_ids"] == [world["person"]]


async def test_another_tenants_ids_cannot_be_referenced_when_creating(world):
    bob = world["bob"]
    await _expect(bob, 404, "POST", "/api/people", {"name": "Spion", "organisation_id": world["org"]}, code="not_found")
    await _expect(bob, 404, "POST", "/api/people", {"name": "Spion", "folder_id": world["folder"]}, code="not_found")
    await _expect(bob, 404, "POST", "/api/records", {"kind": "candidate", "title": "x", "person_id": world["person"]},
                  code="not_found")
    await _expect(bob, 404, "POST", "/api/people/import",
                  {"people": [{"name": "Ok"}, {"name": "Spion", "organisation_id": world["org"]}]}, code="not_found")
    own_group = await bob.rest("POST", "/api/groups", {"name": "Beta groep"})
    await _expect(bob, 400, "POST", f"/api/groups/{own_group['id']}/members", {"person_ids": [world["person"]]},
                  code="unknown_person")
    assert (await bob.rest("GET", f"/api/groups/{own_group['id']}"))["person_ids"] == []
    assert (await bob.rest("GET", "/api/people"))["total"] == 0  # the import stored nothing


async def test_another_tenants_conversations_and_requests_are_not_found(world):
    bob = world["bob"]
    conv = world["conv"]
    await _expect(bob, 404, "GET", f"/api/conversations/{conv}/messages", code="not_found")
    await _expect(bob, 404, "POST", f"/api/conversations/{conv}/read", {"message_id": world["message"]}, code="not_found")
    for answer in ("accept", "decline", "block"):
        await _expect(bob, 404, "POST", f"/api/contact-requests/{world['request']}/{answer}", code="not_found")
    await _expect(bob, 404, "POST", "/api/conversations", {"user_id": world["alice"].user["id"]}, code="not_a_contact")
    await _expect(bob, 404, "POST", "/api/messages",
                  {"to": world["alice"].user["id"], "body": "hoi", "client_msg_id": "b1"}, code="not_a_contact")
    await _expect(bob, 404, "DELETE", f"/api/contacts/{world['anton'].user['id']}", code="not_found")
    # Nothing changed: the request is still pending for its addressee, the conversation unread.
    incoming = (await world["akey"].rest("GET", "/api/contact-requests"))["incoming"]
    assert [(r["id"], r["status"]) for r in incoming] == [(world["request"], "pending")]
    convs = await world["anton"].rest("GET", "/api/conversations")
    assert convs["badge"] == 1 and convs["conversations"][0]["unread"] == 1
    assert (await world["alice"].rest("GET", "/api/contacts"))["contacts"][0]["id"] == world["anton"].user["id"]


async def test_another_tenants_user_settings_are_not_found_even_for_a_key_user(world):
    alice_id = world["alice"].user["id"]
    for who in ("bob", "bkey"):
        c = world[who]
        await _expect(c, 404, "GET", f"/api/users/{alice_id}/settings", code="not_found")
        await _expect(c, 404, "PUT", f"/api/users/{alice_id}/settings/notify.chat_message", {"value": 0}, code="not_found")
        await _expect(c, 404, "PUT", f"/api/users/{alice_id}/settings/chat.internal_enabled", {"value": False},
                      code="not_found")
    own = await world["alice"].rest("GET", f"/api/users/{alice_id}/settings")
    assert own["values"]["notify.chat_message"] == 1 and own["values"]["chat.internal_enabled"] is True
    assert own["overridden"] == []
    # A key-user's tenant setting changes their own organisation only.
    await world["bkey"].rest("PUT", "/api/settings/tenant/sms.recipient_limit", {"value": 5})
    assert (await world["alice"].rest("GET", "/api/settings/tenant"))["values"]["sms.recipient_limit"] == 100
    assert (await world["bob"].rest("GET", "/api/settings/tenant"))["values"]["sms.recipient_limit"] == 5


async def test_an_external_contact_still_cannot_reach_the_other_tenants_records(world):
    alice, bob = world["alice"], world["bob"]
    await befriend(bob, alice)  # external chat is allowed by default (IC-1)
    await _expect(bob, 404, "GET", f"/api/records/{world['record']}", code="not_found")
    await _expect(bob, 404, "POST", "/api/messages",
                  {"to": alice.user["id"], "body": "over Piet", "client_msg_id": "x1", "record_id": world["record"]},
                  code="not_found")
    await _expect(bob, 404, "POST", f"/api/records/{world['record']}/chat",
                  {"to": alice.user["id"], "body": "over Piet", "client_msg_id": "x2"}, code="not_found")
    await _expect(bob, 404, "GET", f"/api/conversations/{world['conv']}/messages", code="not_found")
    timeline = await alice.rest("GET", f"/api/records/{world['record']}/timeline")
    assert timeline["entries"] == []
    # Nothing was stored between them either.
    conv = await bob.rest("POST", "/api/conversations", {"user_id": alice.user["id"]})
    assert (await bob.rest("GET", f"/api/conversations/{conv['id']}/messages"))["messages"] == []


# --- another tenant over the WebSocket -----------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
async def test_another_tenants_ids_over_the_websocket(server, fmt):
    org_a = await make_tenant(server, "alpha")
    org_b = await make_tenant(server, "beta")
    alice = await make_user(server, org_a, "Alice")
    anton = await make_user(server, org_a, "Anton")
    bob = await make_user(server, org_b, "Bob", fmt=fmt)
    await befriend(alice, anton)
    sent = await alice.rest("POST", "/api/messages", {"to": anton.user["id"], "body": "geheim", "client_msg_id": "s1"})
    await bob.connect()
    await alice.connect()
    with pytest.raises(ClientError) as err:
        await bob.request("chat.read", {"conversation_id": sent["message"]["conversation_id"],
                                        "message_id": sent["message"]["id"]})
    assert err.value.code == "not_found"
    with pytest.raises(ClientError) as err:
        await bob.send_message(alice.user["id"], "hallo vreemde")
    assert err.value.code == "not_a_contact"
    with pytest.raises(ClientError) as err:
        await bob.request("chat.typing", {"to": alice.user["id"], "typing": True})
    assert err.value.code == "not_a_contact"
    with pytest.raises(ClientError) as err:
        await bob.send_message(999_999_999, "niemand")
    assert err.value.code == "not_a_contact"
    # Alice got nothing, and Anton's unread count is untouched.
    assert alice.events.empty()
    convs = await anton.rest("GET", "/api/conversations")
    assert convs["conversations"][0]["unread"] == 1
    assert await bob.request("ping") == {"pong": True}


# --- another user of the same tenant --------------------------------------------------


async def test_a_colleague_cannot_read_or_mark_someone_elses_conversation(world):
    carla = world["carla"]
    conv = world["conv"]
    await _expect(carla, 404, "GET", f"/api/conversations/{conv}/messages", code="not_found")
    await _expect(carla, 404, "POST", f"/api/conversations/{conv}/read", {"message_id": world["message"]}, code="not_found")
    await carla.connect()
    with pytest.raises(ClientError) as err:
        await carla.request("chat.read", {"conversation_id": conv, "message_id": world["message"]})
    assert err.value.code == "not_found"
    with pytest.raises(ClientError) as err:
        await carla.send_message(world["alice"].user["id"], "mag ik meelezen?")
    assert err.value.code == "not_a_contact"
    assert (await world["anton"].rest("GET", "/api/conversations"))["conversations"][0]["unread"] == 1
    # Even the key-user cannot read colleagues' conversations.
    await _expect(world["akey"], 404, "GET", f"/api/conversations/{conv}/messages", code="not_found")


async def test_a_colleague_cannot_answer_a_request_addressed_to_someone_else(world):
    req = world["request"]  # from Anton to Akke
    for who in ("carla", "alice", "anton"):  # anton made it: he cannot accept it himself
        for answer in ("accept", "decline", "block"):
            await _expect(world[who], 404, "POST", f"/api/contact-requests/{req}/{answer}", code="not_found")
    await _expect(world["akey"], 400, "POST", f"/api/contact-requests/{req}/maybe", code="invalid_value")
    answered = await world["akey"].rest("POST", f"/api/contact-requests/{req}/accept")
    assert answered["status"] == "accepted"


async def test_a_plain_user_cannot_see_or_change_a_colleagues_settings_but_a_key_user_can(world):
    alice, anton, akey = world["alice"], world["anton"], world["akey"]
    anton_id = anton.user["id"]
    await _expect(alice, 403, "GET", f"/api/users/{anton_id}/settings", code="forbidden")
    for name, value in [("notify.chat_message", 0), ("user.mobile", "+31612345678"), ("chat.internal_enabled", False)]:
        await _expect(alice, 403, "PUT", f"/api/users/{anton_id}/settings/{name}", {"value": value}, code="forbidden")
    assert (await anton.rest("GET", f"/api/users/{anton_id}/settings"))["overridden"] == []
    # The key-user of the same organisation can.
    seen = await akey.rest("GET", f"/api/users/{anton_id}/settings")
    assert seen["user_id"] == anton_id
    changed = await akey.rest("PUT", f"/api/users/{anton_id}/settings/notify.chat_message", {"value": 2})
    assert changed == {"name": "notify.chat_message", "value": 2}
    await akey.rest("PUT", f"/api/users/{anton_id}/settings/sms.admin", {"value": True})
    values = (await anton.rest("GET", f"/api/users/{anton_id}/settings"))["values"]
    assert values["notify.chat_message"] == 2 and values["sms.admin"] is True


async def test_unknown_ids_are_404_like_other_tenants_ids(world):
    bob = world["bob"]
    missing = 2_000_000_000
    for path in (f"/api/records/{missing}", f"/api/records/{missing}/timeline", f"/api/groups/{missing}",
                 f"/api/conversations/{missing}/messages", f"/api/users/{missing}/settings"):
        await _expect(bob, 404, "GET", path, code="not_found")
    # Another tenant's record and a record that does not exist read the same way.
    gone = await _expect(bob, 404, "GET", f"/api/records/{missing}")
    theirs = await _expect(bob, 404, "GET", f"/api/records/{world['record']}")
    assert gone.message.replace(str(missing), "N") == theirs.message.replace(str(world["record"]), "N")
