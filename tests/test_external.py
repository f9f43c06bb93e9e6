"""External chat between organisations, and blocking it (IC-1, AC-2; seed 001 section 2.1).

Users of two tenants find each other and chat, unless either tenant set
``chat.block_external`` ("Chat - Externe chat blokkeren"): then they are not found,
requests are refused with a clear error, and existing external contacts cannot chat.
"""

from __future__ import annotations

from typing import Any

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import Server, make_tenant, make_user, unique


async def two_orgs(server: Server) -> dict[str, Any]:
    """Two organisations, each with a key-user and two colleagues with unique names."""
    out: dict[str, Any] = {}
    for side in ("one", "two"):
        org = await make_tenant(server, f"org{side}")
        out[f"org_{side}"] = org
        out[f"key_{side}"] = await make_user(server, org, f"Key {side}", role="key_user")
        out[f"a_{side}"] = await make_user(server, org, unique(f"Extern{side}A"))
        out[f"b_{side}"] = await make_user(server, org, unique(f"Extern{side}B"))
    return out


async def search(client: ChatClient, who: ChatClient) -> list[dict[str, Any]]:
    results = (await client.rest("GET", "/api/people/search", q=who.user["name"]))["results"]
    return [r for r in results if r["id"] == who.user["id"]]


async def block(key: ChatClient, value: bool) -> None:
    put = await key.rest("PUT", "/api/settings/tenant/chat.block_external", {"value": value})
    assert put == {"name": "chat.block_external", "value": value}


async def test_users_of_two_tenants_find_request_accept_and_chat(server):
    o = await two_orgs(server)
    anna, xavi = o["a_one"], o["a_two"]
    await anna.connect()
    await xavi.connect()

    found = await search(anna, xavi)
    assert len(found) == 1 and found[0]["external"] is True and found[0]["is_contact"] is False
    assert found[0]["tenant_id"] == o["org_two"]["id"]
    # Name, function and organisation only: another organisation's address is not handed out.
    assert "email" not in found[0] and found[0]["name"] and "tenant" in found[0]
    colleague = await search(anna, o["b_one"])
    assert colleague[0]["external"] is False and "email" in colleague[0]

    req = await anna.rest("POST", "/api/contact-requests", {"user_id": xavi.user["id"]})
    ev = await xavi.next_event("contact.request")
    assert ev["data"]["id"] == req["id"] and ev["data"]["from"]["id"] == anna.user["id"]
    assert "email" not in ev["data"]["from"] and "email" in ev["data"]["to"]  # Xavi's own is his to see
    await xavi.rest("POST", f"/api/contact-requests/{req['id']}/accept")
    await anna.next_event("contact.accepted")

    contacts = (await anna.rest("GET", "/api/contacts"))["contacts"]
    assert [(c["id"], c["external"], c["status"]) for c in contacts] == [(xavi.user["id"], True, "online")]
    assert "email" not in contacts[0]
    assert (await search(anna, xavi))[0]["is_contact"] is True

    await anna.send_message(xavi.user["id"], "Hallo van de andere kant")
    got = await xavi.next_event("chat.message")
    assert got["data"]["message"]["body"] == "Hallo van de andere kant"
    await xavi.send_message(anna.user["id"], "Hoi!")
    while (ev := await anna.next_event("chat.message"))["data"]["message"]["sender_id"] != xavi.user["id"]:
        pass
    assert ev["data"]["message"]["body"] == "Hoi!"


@pytest.mark.parametrize("blocker", ["one", "two"])
async def test_block_by_either_tenant_hides_and_refuses(server, blocker):
    o = await two_orgs(server)
    anna, bert = o["a_one"], o["b_one"]
    xavi, yara = o["a_two"], o["b_two"]
    await anna.connect()
    await xavi.connect()
    # Anna and Xavi became contacts before the block; Bert asked Yara, no answer yet.
    req = await anna.rest("POST", "/api/contact-requests", {"user_id": xavi.user["id"]})
    await xavi.rest("POST", f"/api/contact-requests/{req['id']}/accept")
    pending = await bert.rest("POST", "/api/contact-requests", {"user_id": yara.user["id"]})

    await block(o[f"key_{blocker}"], True)
    assert (await o[f"key_{blocker}"].rest("GET", "/api/settings/tenant"))["values"]["chat.block_external"] is True

    # Not found by search, from either side; colleagues still are.
    for me, them in ((anna, xavi), (xavi, anna), (bert, yara), (yara, bert)):
        assert await search(me, them) == []
    assert len(await search(anna, bert)) == 1 and len(await search(xavi, yara)) == 1

    # Requests either way are refused with a clear 404, as for an unknown id.
    for me, them in ((bert, xavi), (yara, anna)):
        with pytest.raises(ClientError) as err:
            await me.rest("POST", "/api/contact-requests", {"user_id": them.user["id"]})
        assert err.value.status == 404 and err.value.code == "external_chat_blocked"
        assert str(them.user["id"]) in err.value.message

    # A request made before the block cannot be accepted now.
    with pytest.raises(ClientError) as err:
        await yara.rest("POST", f"/api/contact-requests/{pending['id']}/accept")
    assert err.value.status == 404 and err.value.code == "external_chat_blocked"

    # Existing external contacts cannot chat while blocked (the seed: the block stops
    # users chatting with anyone outside the organisation), over WS and REST; nothing stored.
    with pytest.raises(ClientError) as err:
        await anna.send_message(xavi.user["id"], "mag niet meer")
    assert err.value.code == "external_chat_blocked"
    with pytest.raises(ClientError) as err:
        await xavi.rest("POST", "/api/messages", {"to": anna.user["id"], "body": "ook niet", "client_msg_id": "e1"})
    assert err.value.code == "external_chat_blocked" and err.value.status == 403
    assert (await anna.rest("GET", "/api/conversations"))["conversations"] == []

    # Lifting the block: found again, and chat works again.
    await block(o[f"key_{blocker}"], False)
    assert len(await search(bert, xavi)) == 1
    await anna.send_message(xavi.user["id"], "weer open")
    assert (await xavi.next_event("chat.message"))["data"]["message"]["body"] == "weer open"


async def test_only_a_key_user_can_block_external_chat(server):
    o = await two_orgs(server)
    with pytest.raises(ClientError) as err:
        await block(o["a_one"], True)
    assert err.value.status == 403
    with pytest.raises(ClientError) as err:
        await o["key_one"].rest("PUT", "/api/settings/tenant/chat.block_external", {"value": "yes"})
    assert err.value.status == 400 and err.value.code == "invalid_setting"
    assert len(await search(o["a_one"], o["a_two"])) == 1
