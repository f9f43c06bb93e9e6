"""Notification levels in events (IC-8): tenant default, user override, per event.

0 = off, 1 = always, 2 = only while the app is active. The level travels in the event
as ``notify``; the client decides from it whether to show a notification.
"""

from __future__ import annotations

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import befriend, make_tenant, make_user, two_contacts


async def message_notify(sender: ChatClient, to: ChatClient, body: str) -> int:
    await sender.send_message(to.user["id"], body)
    while True:
        ev = await to.next_event("chat.message")
        if ev["data"]["message"]["body"] == body:
            return int(ev["data"]["notify"])


async def test_chat_message_level_follows_tenant_default_and_user_override(server):
    org = await make_tenant(server)
    key = await make_user(server, org, "Karin Key", role="key_user")
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    await befriend(anna, bram)
    await anna.connect()
    await bram.connect()
    bid = bram.user["id"]

    assert await message_notify(anna, bram, "default") == 1

    # The key-user turns chat message notifications off for the organisation.
    put = await key.rest("PUT", "/api/settings/tenant/notify.chat_message", {"value": 0})
    assert put == {"name": "notify.chat_message", "value": 0}
    assert (await key.rest("GET", "/api/settings/tenant"))["values"]["notify.chat_message"] == 0
    assert await message_notify(anna, bram, "tenant off") == 0
    # Anna's own copy never notifies her.
    assert (await anna.next_event("chat.message"))["data"]["notify"] == 0

    # A user-level value overrides the tenant's (set here by the key-user for Bram).
    await key.rest("PUT", f"/api/users/{bid}/settings/notify.chat_message", {"value": 2})
    changed = await bram.next_event("settings.changed")
    assert changed["data"] == {"name": "notify.chat_message", "value": 2}
    mine = await bram.rest("GET", f"/api/users/{bid}/settings")
    assert mine["values"]["notify.chat_message"] == 2 and "notify.chat_message" in mine["overridden"]
    assert await message_notify(anna, bram, "only while active") == 2
    # Anna has no override: the tenant's 0 still applies to her.
    assert await message_notify(bram, anna, "to anna") == 0

    # Bram removes his override himself (null): the tenant's value applies again.
    back = await bram.rest("PUT", f"/api/users/{bid}/settings/notify.chat_message", {"value": None})
    assert back["value"] == 0
    assert await message_notify(anna, bram, "tenant again") == 0

    # Another organisation is untouched by this tenant's settings.
    _, xavi, yara = await two_contacts(server, "Xavi", "Yara")
    await xavi.connect()
    await yara.connect()
    assert await message_notify(xavi, yara, "elsewhere") == 1


async def test_contact_request_and_approval_carry_their_levels(server):
    org = await make_tenant(server)
    key = await make_user(server, org, "Karin Key", role="key_user")
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    carla = await make_user(server, org, "Carla")
    for c in (anna, bram, carla):
        await c.connect()

    # Defaults: both 1 (always).
    req = await anna.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    ev = await bram.next_event("contact.request")
    assert ev["data"]["id"] == req["id"] and ev["data"]["notify"] == 1
    assert (await anna.next_event("contact.request"))["data"]["notify"] == 0  # the requester's copy
    await bram.rest("POST", f"/api/contact-requests/{req['id']}/accept")
    ev = await anna.next_event("contact.accepted")
    assert ev["data"]["id"] == req["id"] and ev["data"]["notify"] == 1
    assert (await bram.next_event("contact.accepted"))["data"]["notify"] == 0  # the accepter's copy

    # Tenant: incoming requests only while active; Anna: approvals off.
    await key.rest("PUT", "/api/settings/tenant/notify.contact_request", {"value": 2})
    await anna.rest("PUT", f"/api/users/{anna.user['id']}/settings/notify.contact_approved", {"value": 0})
    req = await anna.rest("POST", "/api/contact-requests", {"user_id": carla.user["id"]})
    ev = await carla.next_event("contact.request")
    assert ev["data"]["id"] == req["id"] and ev["data"]["notify"] == 2
    await carla.rest("POST", f"/api/contact-requests/{req['id']}/accept")
    ev = await anna.next_event("contact.accepted")
    assert ev["data"]["id"] == req["id"] and ev["data"]["notify"] == 0


async def test_status_change_level_follows_settings(server):
    org = await make_tenant(server)
    key = await make_user(server, org, "Karin Key", role="key_user")
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    await befriend(anna, bram)
    await anna.connect()

    async def bram_comes_online() -> int:
        """Bram appears (from Invisible, or by connecting); the level Anna's event carries."""
        ev = await anna.next_event("presence.changed")
        assert (ev["data"]["user_id"], ev["data"]["status"]) == (bram.user["id"], "online")
        # Going away from view is never a notification.
        await bram.set_status("invisible")
        off = await anna.next_event("presence.changed")
        assert (off["data"]["status"], off["data"]["notify"]) == ("offline", 0)
        return int(ev["data"]["notify"])

    await bram.connect()
    assert await bram_comes_online() == 2  # default: only while the app is active

    await key.rest("PUT", "/api/settings/tenant/notify.status_change", {"value": 1})
    await bram.set_status("online")
    assert await bram_comes_online() == 1

    await anna.rest("PUT", f"/api/users/{anna.user['id']}/settings/notify.status_change", {"value": 0})
    await bram.set_status("online")
    assert await bram_comes_online() == 0


async def test_who_may_change_notification_settings(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    other = await make_tenant(server)
    xavi = await make_user(server, other, "Xavi", role="key_user")

    with pytest.raises(ClientError) as err:
        await anna.rest("PUT", "/api/settings/tenant/notify.chat_message", {"value": 0})
    assert err.value.status == 403
    with pytest.raises(ClientError) as err:
        await anna.rest("PUT", f"/api/users/{bram.user['id']}/settings/notify.chat_message", {"value": 0})
    assert err.value.status == 403
    with pytest.raises(ClientError) as err:
        await anna.rest("PUT", f"/api/users/{anna.user['id']}/settings/notify.chat_message", {"value": 3})
    assert err.value.status == 400 and err.value.code == "invalid_setting"
    # A key-user of another organisation does not even see Anna.
    with pytest.raises(ClientError) as err:
        await xavi.rest("PUT", f"/api/users/{anna.user['id']}/settings/notify.chat_message", {"value": 0})
    assert err.value.status == 404
    values = (await anna.rest("GET", f"/api/users/{anna.user['id']}/settings"))["values"]
    assert values["notify.chat_message"] == 1 and values["notify.status_change"] == 2
