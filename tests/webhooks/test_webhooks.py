"""Webhooks (issue 14): an organisation's live-chat conversations and messages posted to its
receivers, signed, retried with backoff, logged; kept by key-users of that organisation only.
A real HTTP server on loopback receives them and checks the signature."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from typing import Any

import pytest

from chatserver.client import ChatClient
from chatserver.webhooks import signing
from tests.helpers import running_server, wait_for
from tests.livechat.service.helpers import make_org, reply, write
from tests.webhooks.receiver import Received, receiver


def events_of(received: list[Received]) -> list[str]:
    return [json.loads(r.body)["event"] for r in received]


def verified(secret: str, r: Received) -> bool:
    return signing.verify(secret, r.headers[signing.HEADER.lower()], r.body, time.time())


async def refused(client: ChatClient, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
    r = await client._http.request(method, path, json=body)
    assert r.status_code >= 400, r.text
    return r.status_code, r.json()["error"]


# These servers start from the `config` fixture, not beside the `server` fixture's: every node
# posts the outbox, and that one would refuse the loopback receivers.
async def test_a_visitors_conversation_reaches_the_organisations_receiver_signed(config):
    async with running_server(replace(config, webhook_allow_private=True)) as srv, receiver() as rec, \
            receiver() as other_rec:
        org = await make_org(srv)
        olga = await org.operator("Olga Bakker")
        hook = await org.key.rest("POST", "/api/webhooks", {"url": rec.url})
        assert hook["events"] == ["conversation.created", "conversation.updated", "message.created"]
        assert len(hook["secret"]) == 64
        # Another organisation's receiver hears nothing of this one's visitors.
        other = await make_org(srv, "ander")
        await other.key.rest("POST", "/api/webhooks", {"url": other_rec.url})

        visitor, _ = await org.visitor()
        sent = await write(visitor, "Hallo, is de vacature nog open?")
        conv_id = sent["conversation"]["id"]
        await reply(olga, conv_id, "Ja, zeker!")
        await wait_for(lambda: events_of(rec.received).count("message.created") == 2, timeout=10)

        events = events_of(rec.received)
        assert events[0] == "conversation.created"
        assert "conversation.updated" in events
        for r in rec.received:
            assert verified(hook["secret"], r), r.headers
            body = json.loads(r.body)
            assert body["organisation_id"] == org.tenant["id"]
            assert r.headers["x-chatserver-event"] == body["event"]
        texts = [json.loads(r.body)["data"]["message"]["body"] for r in rec.received
                 if json.loads(r.body)["event"] == "message.created"]
        assert texts == ["Hallo, is de vacature nog open?", "Ja, zeker!"]
        # A body changed on the way, or a signature replayed after the window, does not verify.
        first = rec.received[0]
        assert not signing.verify(hook["secret"], first.headers[signing.HEADER.lower()], first.body + b" ", time.time())
        assert not signing.verify(hook["secret"], first.headers[signing.HEADER.lower()], first.body,
                                  time.time() + signing.REPLAY_WINDOW_SECONDS + 5)
        assert other_rec.received == []

        # The delivery log says what went out.
        log = (await org.key.rest("GET", f"/api/webhooks/{hook['id']}/deliveries"))["deliveries"]
        assert {d["status"] for d in log} == {"delivered"} and {d["last_status"] for d in log} == {200}

        # Events not asked for are not sent; an inactive webhook gets nothing.
        await org.key.rest("PUT", f"/api/webhooks/{hook['id']}", {"events": ["conversation.created"]})
        before = len(rec.received)
        await reply(olga, conv_id, "Nog iets?")
        await org.key.rest("PUT", f"/api/webhooks/{hook['id']}", {"active": False})
        visitor2, _ = await org.visitor()
        await write(visitor2, "Ik ben iemand anders")
        await org.key.rest("PUT", f"/api/webhooks/{hook['id']}", {"active": True})
        visitor3, _ = await org.visitor()
        await write(visitor3, "En ik nog")
        await wait_for(lambda: len(rec.received) == before + 1, timeout=10)
        assert events_of(rec.received[before:]) == ["conversation.created"]


async def test_a_failing_receiver_is_tried_again_with_backoff_and_its_key_never_logged(config, caplog):
    caplog.set_level(logging.INFO)  # (at DEBUG the database driver logs every statement)
    config = replace(config, webhook_allow_private=True, webhook_backoff_seconds=0.2)
    async with running_server(config) as srv, receiver(statuses=[500, 503]) as rec:
        org = await make_org(srv)
        await org.operator("Olga Bakker")
        hook = await org.key.rest("POST", "/api/webhooks", {"url": rec.url, "events": ["conversation.created"]})
        visitor, _ = await org.visitor()
        await write(visitor, "Hallo")
        await wait_for(lambda: len(rec.received) == 3, timeout=15)
        # The same event each time: one id, so the receiver can drop repeats.
        assert len({json.loads(r.body)["id"] for r in rec.received}) == 1
        [delivery] = (await org.key.rest("GET", f"/api/webhooks/{hook['id']}/deliveries"))["deliveries"]
        assert (delivery["status"], delivery["attempts"], delivery["last_status"]) == ("delivered", 3, 200)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "receiver-own-key" not in logged and hook["secret"] not in logged


async def test_webhooks_are_kept_by_key_users_of_their_own_organisation(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    other = await make_org(server, "ander")
    status, err = await refused(olga, "POST", "/api/webhooks", {"url": "https://hooks.example/x"})
    assert (status, err["code"]) == (403, "key_user_only")
    hook = await org.key.rest("POST", "/api/webhooks", {"url": "https://hooks.example/x"})
    listed = (await org.key.rest("GET", "/api/webhooks"))["webhooks"]
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    assert (await other.key.rest("GET", "/api/webhooks"))["webhooks"] == []
    for method, path, body in (("PUT", f"/api/webhooks/{hook['id']}", {"active": False}),
                               ("DELETE", f"/api/webhooks/{hook['id']}", None),
                               ("GET", f"/api/webhooks/{hook['id']}/deliveries", None)):
        status, err = await refused(other.key, method, path, body)
        assert (status, err["code"]) == (404, "webhook_not_found")
    assert (await org.key.rest("GET", "/api/webhooks"))["webhooks"][0]["active"] is True

    for body, field in (({"url": "ftp://hooks.example/x"}, "url"), ({"url": "https://"}, "url"),
                        ({"url": "https://user:pw@hooks.example/"}, "url"),
                        ({"url": "http://127.0.0.1:8080/"}, "url"), ({"url": "http://10.1.2.3/"}, "url"),
                        ({"url": "http://[::1]/"}, "url"), ({"url": "http://localhost/"}, "url"),
                        ({"url": "https://hooks.example/", "events": ["message.deleted"]}, "events"),
                        ({"url": "https://hooks.example/", "events": []}, "events"),
                        ({"url": "https://hooks.example/", "events": "message.created"}, "events"),
                        ({"url": 5}, "url"), ({"url": "https://hooks.example/" + "a" * 2000}, "url")):
        status, err = await refused(org.key, "POST", "/api/webhooks", body)
        assert status == 400 and err["details"]["field"] == field, (body, err)

    await org.key.rest("DELETE", f"/api/webhooks/{hook['id']}")
    assert (await org.key.rest("GET", "/api/webhooks"))["webhooks"] == []


@pytest.mark.parametrize(("host", "private"), [("127.0.0.1", True), ("localhost", True), ("10.0.0.7", True),
                                              ("169.254.169.254", True), ("93.184.216.34", False)])
async def test_where_a_name_resolves_is_checked_again_when_posting(host, private):
    """A name may resolve to a private address only later (DNS): the worker checks what it
    resolves to before each post, as well as the URL when the webhook is made."""
    from chatserver.webhooks import delivery

    assert await delivery._resolves_private(host) is private
