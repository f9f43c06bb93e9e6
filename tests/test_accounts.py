"""Login, logout, tokens, event retention, and the search filter by function."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chatserver.client import ChatClient, ClientError
from chatserver.maintenance import prune_once
from tests.helpers import PASSWORD, make_tenant, make_user, running_server, two_contacts, unique, wait_for


async def test_wrong_password_and_unknown_user_get_the_same_answer(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    for username, password in ((anna.user["username"], "wrong-password"), ("nobody", PASSWORD)):
        with pytest.raises(ClientError) as err:
            await ChatClient.login(server.url, org["slug"], username, password)
        assert err.value.status == 401 and err.value.code == "bad_credentials"


async def test_logout_revokes_the_token_and_closes_its_socket(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    await anna.connect()
    await anna.rest("POST", "/api/auth/logout")
    closed = await anna.next_event("_closed")
    assert closed["data"]["code"] == 4009
    with pytest.raises(ClientError) as err:
        await anna.rest("GET", "/api/me")
    assert err.value.status == 401


async def test_a_socket_closes_when_its_token_expires(config):
    # Tokens are checked at the handshake; the socket must not outlive its token.
    async with running_server(replace(config, token_ttl_hours=2 / 3600)) as srv:
        org = await make_tenant(srv)
        anna = await make_user(srv, org, "Anna")
        await anna.connect()
        assert (await anna.request("ping", {}))["pong"] is True  # open and working
        closed = await anna.next_event("_closed", timeout=15)
        assert closed["data"]["code"] == 4001
        with pytest.raises(ClientError) as err:
            await anna.rest("GET", "/api/me")
        assert err.value.status == 401


async def test_key_user_creates_a_colleague_who_can_log_in(server):
    org = await make_tenant(server)
    kees = await make_user(server, org, "Kees", role="key_user")
    anna = await make_user(server, org, "Anna")
    body = {"username": "nieuw", "password": "long-enough-pw", "name": "Nieuwe Collega", "function": "Recruiter"}
    created = await kees.rest("POST", "/api/users", body)
    assert created["user"]["name"] == "Nieuwe Collega"
    new = await ChatClient.login(server.url, org["slug"], "nieuw", "long-enough-pw")
    server.clients.append(new)
    assert (await new.rest("GET", "/api/me"))["user"]["username"] == "nieuw"
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/users", {**body, "username": "other"})
    assert err.value.status == 403


async def test_search_suggests_by_name_and_filters_by_function(server):
    # Names no other test or the demo uses: people of other organisations are found too (IC-1).
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    await make_user(server, org, "Quirina Recruiter", function="Recruiter")
    await make_user(server, org, "Quinten Sales", function="Accountmanager")
    names = [r["name"] for r in (await anna.rest("GET", "/api/people/search", q="qui"))["results"]]
    assert names == ["Quinten Sales", "Quirina Recruiter"]
    only = await anna.rest("GET", "/api/people/search", q="qui", function="Accountmanager")
    assert [r["name"] for r in only["results"]] == ["Quinten Sales"]
    assert "Accountmanager" in (await anna.rest("GET", "/api/functions"))["functions"]
    with pytest.raises(ClientError) as err:
        await anna.rest("GET", "/api/people/search", q="p")
    assert err.value.code == "query_too_short"


async def test_search_finds_people_by_their_function_or_lists_a_function(server):
    """Search by function (issue 18): typing part of a function finds the people who have it,
    and a function chosen with nothing typed lists them all: another organisation's people
    too, as a name search finds them, but never those of an organisation that blocks
    external chat."""
    org, partner, closed = await make_tenant(server), await make_tenant(server, "partner"), await make_tenant(server, "closed")
    anna = await make_user(server, org, "Anna")
    fn = unique("Zorgplanner")  # a function nobody else in the shared database has
    await make_user(server, org, "Wies Wolters", function=fn)
    await make_user(server, org, "Xander Xu", function=fn)
    await make_user(server, org, "Yara Yilmaz", function="Recruiter")
    await make_user(server, partner, "Zeno Zaal", function=fn)
    key = await make_user(server, closed, "Kees Key", role="key_user")
    await key.rest("PUT", "/api/settings/tenant/chat.block_external", {"value": True})
    await make_user(server, closed, "Vera Verborgen", function=fn)

    typed = await anna.rest("GET", "/api/people/search", q=fn[2:9].lower())
    assert {r["name"] for r in typed["results"]} == {"Wies Wolters", "Xander Xu", "Zeno Zaal"}
    listed = await anna.rest("GET", "/api/people/search", q="", function=fn)
    assert [r["name"] for r in listed["results"]] == ["Wies Wolters", "Xander Xu", "Zeno Zaal"]
    with pytest.raises(ClientError) as err:
        await anna.rest("GET", "/api/people/search", q="")
    assert err.value.code == "query_too_short"


async def test_a_gap_older_than_retention_asks_for_resync(database_url):
    from chatserver.config import Config
    from tests.helpers import running_server

    config = Config(database_url=database_url, create_schema=False, event_retention_per_user=3,
                    password_hashing="cheapest")
    async with running_server(config) as srv:
        _, anna, bram = await two_contacts(srv)
        hello = await bram.connect()
        await bram.close()
        for i in range(6):
            await anna.rest("POST", "/api/messages", {"to": bram.user["id"], "body": f"m{i}", "client_msg_id": f"g{i}"})
        assert await prune_once(srv.services) > 0
        # What a client can tell from any hello ack: how far back replay reaches. A fresh
        # connection's ack shows Bram's last seq is below it, so a resume must resync.
        probe = ChatClient(srv.url, bram.token)
        srv.clients.append(probe)
        reach = await probe.connect()
        assert reach["oldest"] == reach["seq"] - 2  # the last 3 kept
        assert hello["seq"] < reach["oldest"] - 1
        again = ChatClient(srv.url, bram.token)
        srv.clients.append(again)
        again.last_seq, again.epoch = hello["seq"], hello["epoch"]
        ack = await again.connect()
        assert ack["resync"] is True and ack["resumed"] is False
        assert ack["oldest"] == reach["oldest"]
        await wait_for(lambda: again.last_seq == ack["seq"])
