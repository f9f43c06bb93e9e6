"""A visitor's data on request (GDPR, issue 14): exported whole, erased everywhere (the
conversation, its messages and notes, operators' replayable events, webhook deliveries, the
visitor's socket), by conversation or by e-mail, by key-users of that organisation only;
and resolved conversations forgotten after the organisation's retention days."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from chatserver.client import ChatClient
from livechat.actions import privacy as livechat_privacy
from livechat.models import LiveConversation
from tests.helpers import rows_of_users, wait_for
from tests.livechat.service.helpers import make_org, reply, write


async def replayed(server: Any, op: ChatClient) -> list[dict[str, Any]]:
    """Everything the operator's stream holds, as a client resuming from 0 gets it."""
    fresh = ChatClient(server.url, op.token)
    fresh.user, fresh.last_seq, fresh.epoch = op.user, 0, op.epoch
    server.clients.append(fresh)
    await fresh.connect()
    frames = []
    while True:
        try:
            frames.append(await fresh.next_event(timeout=1.0))
        except TimeoutError:
            break
    await fresh.close()
    return frames


async def refused(client: ChatClient, path: str, body: Any) -> tuple[int, str]:
    r = await client._http.post(path, json=body)
    assert r.status_code >= 400, r.text
    return r.status_code, r.json()["error"]["code"]


async def test_a_visitors_data_is_exported_whole_and_erased_everywhere(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    jan1, _ = await org.visitor()
    first = (await write(jan1, "Hallo, ik ben Jan, mijn BSN is 123456782"))["conversation"]["id"]
    await reply(olga, first, "Dag Jan, dat hoeft u hier niet te delen.")
    await olga.rest("POST", f"/api/livechat/conversations/{first}/notes",
                    {"body": "Jan deelde zijn BSN", "client_msg_id": uuid.uuid4().hex})
    await olga.rest("PUT", f"/api/livechat/conversations/{first}/visitor", {"email": "Jan@Example.com"})
    # The same man from his phone, later; and someone else.
    jan2, _ = await org.visitor()
    second = (await write(jan2, "Nog een vraag van Jan"))["conversation"]["id"]
    await olga.rest("PUT", f"/api/livechat/conversations/{second}/visitor", {"email": "jan@example.com"})
    piet, _ = await org.visitor()
    other = (await write(piet, "Ik ben Piet"))["conversation"]["id"]
    await org.key.rest("POST", "/api/webhooks", {"url": "https://hooks.example/chat"})
    await write(jan1, "Nog iets")  # webhook deliveries about Jan
    hook = (await org.key.rest("GET", "/api/webhooks"))["webhooks"][0]
    log = (await org.key.rest("GET", f"/api/webhooks/{hook['id']}/deliveries"))["deliveries"]
    assert {d["conversation_id"] for d in log} == {first}

    # The export by conversation: details, messages both ways, the operators' note.
    one = await org.key.rest("POST", "/api/livechat/privacy/export", {"conversation_id": first})
    [conv] = one["conversations"]
    assert [m["body"] for m in conv["messages"]] == [
        "Hallo, ik ben Jan, mijn BSN is 123456782", "Dag Jan, dat hoeft u hier niet te delen.", "Nog iets"]
    assert [n["body"] for n in conv["notes"]] == ["Jan deelde zijn BSN"]
    assert conv["conversation"]["visitor"]["email"] == "Jan@Example.com"
    # By e-mail (any case): both of Jan's conversations, not Piet's.
    both = await org.key.rest("POST", "/api/livechat/privacy/export", {"email": " JAN@example.com "})
    assert [c["conversation"]["id"] for c in both["conversations"]] == [first, second]

    jans = [jan1.user["id"], jan2.user["id"]]
    assert (await rows_of_users(server, jans))["events"] > 0  # their own streams
    # Erased by e-mail: open consoles drop both, Jan's sockets close, nothing is left.
    answer = await org.key.rest("POST", "/api/livechat/privacy/erase", {"email": "jan@example.com"})
    assert answer == {"erased": 2}
    dropped = {(await olga.next_event("livechat.erased"))["data"]["conversation_id"] for _ in range(2)}
    assert dropped == {first, second}
    await wait_for(lambda: jan1.close_code is not None and jan2.close_code is not None, timeout=10)
    for conv_id in (first, second):
        with_err = await refused(olga, "/api/livechat/privacy/export", {"conversation_id": conv_id})
        assert with_err == (403, "key_user_only")
        r = await olga._http.get(f"/api/livechat/conversations/{conv_id}")
        assert r.status_code == 404
    assert (await org.key.rest("POST", "/api/livechat/privacy/export", {"email": "jan@example.com"}))[
        "conversations"] == []
    found = await olga.rest("GET", "/api/livechat/conversations", q="Jan")
    assert all(c["id"] not in (first, second) for c in found["conversations"])
    # An operator resuming from the start replays no word of it: tombstones instead.
    frames = await replayed(server, olga)
    text = json.dumps(frames)
    assert "BSN" not in text and "Nog een vraag van Jan" not in text and "jan@example.com" not in text.lower()
    assert {f["data"]["conversation_id"] for f in frames if f["type"] == "livechat.erased"} == {first, second}
    assert "Ik ben Piet" in text  # Piet's conversation is untouched
    assert (await org.key.rest("GET", f"/api/webhooks/{hook['id']}/deliveries"))["deliveries"] == []
    assert await rows_of_users(server, jans) == {"users": 0, "events": 0, "messages": 0}
    assert (await rows_of_users(server, [piet.user["id"]]))["users"] == 1
    assert (await org.key.rest("POST", "/api/livechat/privacy/export", {"conversation_id": other}))["conversations"]


async def test_only_the_organisations_key_users_reach_its_visitors_data(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    visitor, _ = await org.visitor()
    conv = (await write(visitor, "Hallo"))["conversation"]["id"]
    await olga.rest("PUT", f"/api/livechat/conversations/{conv}/visitor", {"email": "an@example.com"})
    stranger = await make_org(server, "ander")
    assert await refused(olga, "/api/livechat/privacy/erase", {"conversation_id": conv}) == (403, "key_user_only")
    assert await refused(stranger.key, "/api/livechat/privacy/erase", {"conversation_id": conv}) \
        == (404, "conversation_not_found")
    assert await stranger.key.rest("POST", "/api/livechat/privacy/erase", {"email": "an@example.com"}) == {"erased": 0}
    for body in ({}, {"conversation_id": conv, "email": "an@example.com"}, {"email": "geen-adres"},
                 {"conversation_id": 0}, {"conversation_id": 2**63}, {"email": 5}):
        status, _ = await refused(org.key, "/api/livechat/privacy/erase", body)
        assert status == 400, body
    assert (await org.key.rest("POST", "/api/livechat/privacy/export", {"conversation_id": conv}))["conversations"]


async def test_resolved_conversations_are_forgotten_after_the_retention_days(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    old_v, _ = await org.visitor()
    old = (await write(old_v, "Van vorige week"))["conversation"]["id"]
    new_v, _ = await org.visitor()
    new = (await write(new_v, "Van vandaag"))["conversation"]["id"]
    open_v, _ = await org.visitor()
    still_open = (await write(open_v, "Nog open"))["conversation"]["id"]
    for conv in (old, new):
        await olga.rest("POST", f"/api/livechat/conversations/{conv}/resolve")
    svc = server.services
    async with svc.transaction() as tx:  # resolved eight days ago
        await tx.session.execute(update(LiveConversation).where(LiveConversation.id.in_([old, still_open]))
                                 .values(resolved_at=svc.clock.now() - timedelta(days=8)))
    # Off (0) by default: nothing goes.
    await livechat_privacy.retention_once(svc)
    assert (await org.key.rest("POST", "/api/livechat/privacy/export", {"conversation_id": old}))["conversations"]
    r = await org.key._http.put("/api/settings/tenant/livechat.retention_days", json={"value": -1})
    assert r.status_code == 400
    await org.key.rest("PUT", "/api/settings/tenant/livechat.retention_days", {"value": 7})
    await livechat_privacy.retention_once(svc)
    assert (await olga.next_event("livechat.erased"))["data"]["conversation_id"] == old
    for conv, kept in ((old, False), (new, True), (still_open, True)):
        r = await olga._http.get(f"/api/livechat/conversations/{conv}")
        assert (r.status_code == 200) is kept, (conv, r.status_code)
