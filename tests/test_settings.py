"""Typed settings (AC-2): defaults from the registry, tenant values, user overrides,
validation with clear errors, who may change what, and the effects of chat.internal_enabled.
"""

from __future__ import annotations

import pytest

from chatserver import settings_registry as registry
from chatserver.client import ChatClient, ClientError
from tests.helpers import befriend, make_tenant, make_user


async def _expect(client: ChatClient, status: int, method: str, path: str, body=None, code: str | None = None):
    with pytest.raises(ClientError) as err:
        await client.rest(method, path, body)
    assert err.value.status == status, (method, path, body, err.value)
    if code is not None:
        assert err.value.code == code, (method, path, body, err.value)
    return err.value


async def _mine(client: ChatClient) -> dict:
    return (await client.rest("GET", f"/api/users/{client.user['id']}/settings"))["values"]


async def _put_user(actor: ChatClient, target: ChatClient, name: str, value):
    return await actor.rest("PUT", f"/api/users/{target.user['id']}/settings/{name}", {"value": value})


@pytest.fixture
async def org(server):
    tenant = await make_tenant(server)
    key = await make_user(server, tenant, "Karin Sleutel", role="key_user")
    anna = await make_user(server, tenant, "Anna de Vries")
    bram = await make_user(server, tenant, "Bram Jansen")
    return {"tenant": tenant, "key": key, "anna": anna, "bram": bram}


# --- defaults, tenant values and user overrides --------------------------------------


async def test_the_catalogue_is_the_registry(org):
    catalogue = (await org["anna"].rest("GET", "/api/settings"))["settings"]
    assert catalogue == [s.describe() for s in registry.SETTINGS.values()]
    by_name = {s["name"]: s for s in catalogue}
    # The seed's settings with the seed's defaults (AC-2).
    assert by_name["chat.block_external"]["default"] is False
    assert by_name["sms.allow_long"]["default"] is False
    assert by_name["sms.recipient_limit"]["default"] == 100
    assert by_name["sms.enabled"]["default"] is True
    assert by_name["sms.admin"]["default"] is False
    assert by_name["chat.internal_enabled"]["default"] is True
    assert {n for n in by_name if n.startswith("notify.")} == {
        "notify.contact_request", "notify.contact_approved", "notify.status_change",
        "notify.chat_message", "notify.livechat_message",
    }
    assert all(by_name[n]["choices"] == [0, 1, 2] and by_name[n]["level"] == "both"
               for n in by_name if n.startswith("notify."))
    assert by_name["sms.admin"]["label"] == {"en": "SMS - administrator", "nl": "SMS - Beheerder"}


async def test_a_new_tenant_and_user_get_the_registry_defaults(org):
    anna = org["anna"]
    tenant = (await anna.rest("GET", "/api/settings/tenant"))["values"]
    assert tenant == {s.name: s.default for s in registry.tenant_settings()}
    mine = await anna.rest("GET", f"/api/users/{anna.user['id']}/settings")
    assert mine["values"] == {s.name: s.default for s in registry.user_settings()}
    assert mine["overridden"] == []
    me = await anna.rest("GET", "/api/me")
    assert me["settings"] == {s.name: s.default for s in registry.SETTINGS.values()}


async def test_tenant_value_overrides_the_default_and_a_user_value_overrides_the_tenant(org):
    key, anna, bram = org["key"], org["anna"], org["bram"]
    changed = await key.rest("PUT", "/api/settings/tenant/notify.chat_message", {"value": 2})
    assert changed == {"name": "notify.chat_message", "value": 2}
    assert (await anna.rest("GET", "/api/settings/tenant"))["values"]["notify.chat_message"] == 2
    assert (await _mine(anna))["notify.chat_message"] == 2
    assert (await _mine(bram))["notify.chat_message"] == 2

    # Anna overrides it for herself; Bram keeps the organisation's value.
    assert await _put_user(anna, anna, "notify.chat_message", 0) == {"name": "notify.chat_message", "value": 0}
    mine = await anna.rest("GET", f"/api/users/{anna.user['id']}/settings")
    assert mine["values"]["notify.chat_message"] == 0 and mine["overridden"] == ["notify.chat_message"]
    assert (await _mine(bram))["notify.chat_message"] == 2
    assert (await anna.rest("GET", "/api/me"))["settings"]["notify.chat_message"] == 0

    # The organisation changes again: the override still wins.
    await key.rest("PUT", "/api/settings/tenant/notify.chat_message", {"value": 1})
    assert (await _mine(anna))["notify.chat_message"] == 0
    assert (await _mine(bram))["notify.chat_message"] == 1

    # null removes the override: the organisation's value applies again, and is returned.
    assert await _put_user(anna, anna, "notify.chat_message", None) == {"name": "notify.chat_message", "value": 1}
    mine = await anna.rest("GET", f"/api/users/{anna.user['id']}/settings")
    assert mine["values"]["notify.chat_message"] == 1 and mine["overridden"] == []
    # Removing an override that is not there is harmless.
    assert (await _put_user(anna, anna, "notify.chat_message", None))["value"] == 1


async def test_null_on_a_user_level_setting_returns_to_the_default(org):
    key, anna = org["key"], org["anna"]
    await _put_user(key, anna, "sms.admin", True)
    assert (await _mine(anna))["sms.admin"] is True
    assert await _put_user(key, anna, "sms.admin", None) == {"name": "sms.admin", "value": False}
    assert (await _mine(anna))["sms.admin"] is False


async def test_tenant_settings_stay_in_their_tenant(server, org):
    other = await make_tenant(server)
    stranger = await make_user(server, other, "Sven Anders")
    await org["key"].rest("PUT", "/api/settings/tenant/sms.allow_long", {"value": True})
    await org["key"].rest("PUT", "/api/settings/tenant/notify.status_change", {"value": 0})
    assert (await stranger.rest("GET", "/api/settings/tenant"))["values"]["sms.allow_long"] is False
    assert (await _mine(stranger))["notify.status_change"] == 2


async def test_settings_are_set_at_their_own_level_only(org):
    key, anna = org["key"], org["anna"]
    err = await _expect(key, 400, "PUT", "/api/settings/tenant/sms.admin", {"value": True}, code="wrong_level")
    assert "per user" in err.message
    err = await _expect(key, 400, "PUT", f"/api/users/{anna.user['id']}/settings/sms.allow_long", {"value": True},
                        code="wrong_level")
    assert "for the organisation" in err.message
    err = await _expect(key, 404, "PUT", "/api/settings/tenant/chat.colour", {"value": 1}, code="unknown_setting")
    assert "chat.colour" in err.message
    await _expect(anna, 404, "PUT", f"/api/users/{anna.user['id']}/settings/chat.colour", {"value": 1},
                  code="unknown_setting")
    await _expect(anna, 400, "PUT", f"/api/users/{anna.user['id']}/settings/notify.chat_message", {}, code="missing_field")


# --- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("notify.chat_message", True, "notify.chat_message must be a whole number"),
        ("notify.chat_message", "1", "notify.chat_message must be a whole number"),
        ("notify.chat_message", 1.0, "notify.chat_message must be a whole number"),
        ("notify.chat_message", 3, "notify.chat_message must be one of 0, 1, 2"),
        ("notify.contact_request", -1, "notify.contact_request must be one of 0, 1, 2"),
        ("sms.recipient_limit", "100", "sms.recipient_limit must be a whole number"),
        ("sms.recipient_limit", None, "sms.recipient_limit must be a whole number"),
        ("sms.recipient_limit", -5, "sms.recipient_limit must be between 0 and 1000000"),
        ("sms.recipient_limit", 10**15, "sms.recipient_limit must be between 0 and 1000000"),
        ("livechat.max_chats", -1, "livechat.max_chats must be between 0 and 1000"),
        # Past 64 bits the input layer refuses it before any setting's own rule (out_of_range).
        ("livechat.max_chats", 2**63, "'value' is out of range"),
        ("sms.allow_long", 1, "sms.allow_long must be true or false"),
        ("chat.block_external", "yes", "chat.block_external must be true or false"),
        ("sms.default_sender", 12345, "sms.default_sender must be text"),
        ("sms.default_sender", "Recruiter123", "at most 11 letters and digits, or at most 14 digits"),
        ("sms.default_sender", "ABCDEFGHIJKL", "at most 11 letters and digits"),
        ("sms.default_sender", "316123456789012", "sms.default_sender is longer than 14 characters"),
        ("sms.default_sender", "My Firm", "no spaces or special characters"),
        ("sms.default_sender", "Firm-NL", "no spaces or special characters"),
        ("sms.default_sender", "Firmä", "no spaces or special characters"),
        ("sms.default_sender", "+3161234567", "no spaces or special characters"),
    ],
)
async def test_invalid_tenant_values_are_refused_with_a_clear_message(org, name, value, text):
    key = org["key"]
    before = (await key.rest("GET", "/api/settings/tenant"))["values"]
    code = "out_of_range" if isinstance(value, int) and value >= 2**63 else "invalid_setting"
    err = await _expect(key, 400, "PUT", f"/api/settings/tenant/{name}", {"value": value}, code=code)
    assert text in err.message
    assert (await key.rest("GET", "/api/settings/tenant"))["values"] == before


async def test_numeric_settings_take_their_bounds_and_every_one_declares_them(org):
    key = org["key"]
    for value in (0, 1_000_000):
        assert (await key.rest("PUT", "/api/settings/tenant/sms.recipient_limit", {"value": value}))["value"] == value
    err = await _expect(key, 400, "PUT", "/api/settings/tenant/sms.recipient_limit", {"value": 1_000_001},
                        code="invalid_setting")
    assert err.message == "sms.recipient_limit must be between 0 and 1000000"
    assert (await key.rest("GET", "/api/settings/tenant"))["values"]["sms.recipient_limit"] == 1_000_000
    numeric = [s for s in registry.SETTINGS.values() if s.type is int]
    assert numeric and all(s.minimum is not None and s.maximum is not None for s in numeric)
    with pytest.raises(TypeError, match="must declare minimum and maximum"):
        registry.Setting("x.count", int, 1, "tenant", False, "X", "X")


@pytest.mark.parametrize("sender", ["Recruit4U", "ABCDEFGHIJK", "A", "31612345678901", "0612345678", ""])
async def test_valid_default_senders(org, sender):
    key = org["key"]
    assert (await key.rest("PUT", "/api/settings/tenant/sms.default_sender", {"value": sender}))["value"] == sender
    assert (await key.rest("GET", "/api/settings/tenant"))["values"]["sms.default_sender"] == sender


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("notify.livechat_message", 5, "must be one of 0, 1, 2"),
        ("notify.livechat_message", False, "must be a whole number"),
        ("user.mobile", 31612345678, "user.mobile must be text"),
        ("user.mobile", "bel me", "a phone number such as +31612345678"),
        ("user.mobile", "+31 6 1234 5678 9012 345", "longer than 20 characters"),
    ],
)
async def test_invalid_user_values_are_refused_with_a_clear_message(org, name, value, text):
    anna = org["anna"]
    err = await _expect(anna, 400, "PUT", f"/api/users/{anna.user['id']}/settings/{name}", {"value": value},
                        code="invalid_setting")
    assert text in err.message
    assert (await anna.rest("GET", f"/api/users/{anna.user['id']}/settings"))["overridden"] == []


async def test_key_only_user_settings_are_validated_too(org):
    key, anna = org["key"], org["anna"]
    err = await _expect(key, 400, "PUT", f"/api/users/{anna.user['id']}/settings/sms.enabled", {"value": "off"},
                        code="invalid_setting")
    assert "sms.enabled must be true or false" in err.message


# --- who may change what --------------------------------------------------------------


async def test_a_plain_user_cannot_change_tenant_settings(org):
    anna = org["anna"]
    for name, value in [("chat.block_external", True), ("notify.chat_message", 0), ("sms.default_sender", "Anna")]:
        err = await _expect(anna, 403, "PUT", f"/api/settings/tenant/{name}", {"value": value}, code="forbidden")
        assert "key-users" in err.message
    assert (await anna.rest("GET", "/api/settings/tenant"))["values"] == {
        s.name: s.default for s in registry.tenant_settings()
    }


async def test_a_plain_user_changes_own_notifications_and_mobile_but_not_key_user_settings(org):
    anna = org["anna"]
    for name, value in [("sms.admin", True), ("chat.internal_enabled", False), ("livechat.enabled", True),
                        ("livechat.reachable", True), ("sms.enabled", False)]:
        err = await _expect(anna, 403, "PUT", f"/api/users/{anna.user['id']}/settings/{name}", {"value": value},
                            code="forbidden")
        assert name in err.message and "key-user" in err.message
    for name in ("notify.contact_request", "notify.contact_approved", "notify.status_change",
                 "notify.chat_message", "notify.livechat_message"):
        assert (await _put_user(anna, anna, name, 0))["value"] == 0
    assert (await _put_user(anna, anna, "user.mobile", "+31612345678"))["value"] == "+31612345678"
    values = await _mine(anna)
    assert values["user.mobile"] == "+31612345678"
    assert all(values[n] == 0 for n in values if n.startswith("notify."))
    assert values["sms.admin"] is False and values["chat.internal_enabled"] is True


async def test_a_key_user_changes_key_user_settings_of_a_colleague(org):
    key, anna = org["key"], org["anna"]
    for name, value in [("sms.admin", True), ("livechat.enabled", True), ("sms.enabled", False),
                        ("user.mobile", "0612345678"), ("notify.chat_message", 2)]:
        assert (await _put_user(key, anna, name, value))["value"] == value
    values = await _mine(anna)
    assert (values["sms.admin"], values["livechat.enabled"], values["sms.enabled"]) == (True, True, False)
    assert (values["user.mobile"], values["notify.chat_message"]) == ("0612345678", 2)


# --- effects -----------------------------------------------------------------------------


async def test_a_user_with_internal_chat_disabled_is_not_found_and_cannot_send(org):
    key, anna, bram = org["key"], org["anna"], org["bram"]
    await befriend(anna, bram)
    await anna.connect()
    await bram.connect()
    found = await anna.rest("GET", "/api/people/search", q="Bram Jansen")
    assert bram.user["id"] in [r["id"] for r in found["results"]]

    await _put_user(key, bram, "chat.internal_enabled", False)
    found = await anna.rest("GET", "/api/people/search", q="Bram Jansen")
    assert bram.user["id"] not in [r["id"] for r in found["results"]]
    with pytest.raises(ClientError) as err:
        await bram.send_message(anna.user["id"], "mag dit?")
    assert err.value.code == "chat_disabled"
    await _expect(bram, 403, "POST", "/api/messages",
                  {"to": anna.user["id"], "body": "en zo?", "client_msg_id": "r1"}, code="chat_disabled")
    await _expect(bram, 403, "GET", "/api/people/search?q=Anna", code="chat_disabled")
    conv = await anna.rest("POST", "/api/conversations", {"user_id": bram.user["id"]})
    assert (await anna.rest("GET", f"/api/conversations/{conv['id']}/messages"))["messages"] == []

    # Enabled again: found and able to send.
    await _put_user(key, bram, "chat.internal_enabled", None)
    found = await anna.rest("GET", "/api/people/search", q="Bram Jansen")
    assert bram.user["id"] in [r["id"] for r in found["results"]]
    await bram.send_message(anna.user["id"], "weer terug")
    got = await anna.next_event("chat.message")
    assert got["data"]["message"]["body"] == "weer terug"


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
async def test_settings_changed_reaches_the_users_sockets(server, org, fmt):
    key = org["key"]
    anna = await make_user(server, org["tenant"], "Anna Tweede", fmt=fmt)
    other_device = ChatClient(server.url, anna.token)
    server.clients.append(other_device)
    await anna.connect()
    await other_device.connect()
    await key.connect()

    await _put_user(key, anna, "notify.chat_message", 2)
    for device in (anna, other_device):
        ev = await device.next_event("settings.changed")
        assert ev["data"] == {"name": "notify.chat_message", "value": 2}
        assert isinstance(ev["seq"], int)
    # Her own change reaches her other device too; removing an override sends the value now in force.
    await _put_user(anna, anna, "user.mobile", "+31611111111")
    ev = await other_device.next_event("settings.changed")
    assert ev["data"] == {"name": "user.mobile", "value": "+31611111111"}
    await _put_user(anna, anna, "notify.chat_message", None)
    ev = await other_device.next_event("settings.changed")
    assert ev["data"] == {"name": "notify.chat_message", "value": 1}
    # The key-user who made the change is not told about Anna's settings.
    assert await key.request("ping") == {"pong": True}
    assert all(e["type"] != "settings.changed" for e in list(key.events._queue))  # type: ignore[attr-defined]


async def test_a_new_organisation_default_reaches_those_without_their_own_value(server, org):
    key, anna, bram = org["key"], org["anna"], org["bram"]
    await _put_user(bram, bram, "notify.status_change", 0)  # Bram keeps his own value
    await anna.connect()
    await bram.connect()

    await key.rest("PUT", "/api/settings/tenant/notify.status_change", {"value": 2})
    ev = await anna.next_event("settings.changed")
    assert ev["data"] == {"name": "notify.status_change", "value": 2}
    await key.rest("PUT", "/api/settings/tenant/sms.allow_long", {"value": True})
    # A setting of the organisation only: everyone has it, Bram too.
    ev = await anna.next_event("settings.changed")
    assert ev["data"] == {"name": "sms.allow_long", "value": True}
    ev = await bram.next_event("settings.changed")
    assert ev["data"] == {"name": "sms.allow_long", "value": True}, "Bram was told of a default he overrides"
