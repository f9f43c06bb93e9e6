"""Private notes: operators of the organisation see them; the visitor's socket and the
widget's history never carry one; another organisation cannot write or read them."""

from __future__ import annotations

import json
import uuid

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import exact_events, make_user
from tests.livechat.service.helpers import make_org, reply, write
from tests.livechat.service.test_canned import refused

SECRET = "Let op: deze kandidaat solliciteerde vorig jaar al, niet aannemen"


async def note(op: ChatClient, conv_id: int, body: str, client_msg_id: str | None = None) -> dict:
    return await op.rest("POST", f"/api/livechat/conversations/{conv_id}/notes",
                         {"body": body, "client_msg_id": client_msg_id or uuid.uuid4().hex})


async def test_a_note_reaches_operators_and_never_the_visitor(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    bram = await org.operator("Bram de Vries")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Ik zoek werk"))["conversation"]["id"]
    await reply(olga, conv_id, "Welkom!")

    async with exact_events({olga: ["livechat.note"], bram: ["livechat.note"], vis: []}) as got:
        answer = await note(olga, conv_id, SECRET)
    assert answer["duplicate"] is False
    n = answer["note"]
    assert (n["author_name"], n["body"], n["conversation_id"]) == ("Olga Bakker", SECRET, conv_id)
    assert got[bram][0]["data"] == {"conversation_id": conv_id, "note": n}

    # The operators' view of the conversation has it, beside (not among) the messages.
    conv = await bram.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert [x["body"] for x in conv["notes"]] == [SECRET]
    assert [m["body"] for m in conv["messages"]] == ["Ik zoek werk", "Welkom!"]
    assert conv["last_message"]["body"] == "Welkom!"
    listed = (await bram.rest("GET", "/api/livechat/conversations", state="active"))["conversations"]
    assert SECRET not in json.dumps(listed)

    # The widget's history: not a trace of it.
    history = await vis.rest("GET", "/api/livechat/visitor/conversation")
    assert [m["body"] for m in history["messages"]] == ["Ik zoek werk", "Welkom!"]
    assert SECRET not in json.dumps(history) and "notes" not in history
    # Nor after a reconnect that replays the visitor's stream from the start.
    replay = ChatClient(server.url, vis.token)
    replay.user, replay.last_seq, replay.epoch = vis.user, 0, vis.epoch
    server.clients.append(replay)
    seen: list[dict] = []
    replay.listeners.append(seen.append)
    assert (await replay.connect())["resumed"]
    await replay.request("ping")
    assert "livechat.message" in [e["type"] for e in seen] and SECRET not in json.dumps(seen)


async def test_notes_are_idempotent_and_leave_a_resolved_chat_resolved(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve", {})
    first = await note(olga, conv_id, "Teruggebeld, opgelost", "n-1")
    again = await note(olga, conv_id, "Teruggebeld, opgelost", "n-1")
    assert again == {"note": first["note"], "duplicate": True}
    conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert conv["state"] == "resolved" and [x["body"] for x in conv["notes"]] == ["Teruggebeld, opgelost"]
    for body, field, code in (
        ({"body": "   ", "client_msg_id": "n-2"}, None, "empty_message"),
        ({"body": "x"}, "client_msg_id", "missing_field"),
        ({"body": 5, "client_msg_id": "n-3"}, "body", "wrong_type"),
        ({"body": "x", "client_msg_id": "c" * 65}, "client_msg_id", "too_long"),
    ):
        status, error = await refused(olga, "POST", f"/api/livechat/conversations/{conv_id}/notes", body)
        assert (status, error["code"], error.get("details", {}).get("field")) == (400, code, field)
    status, _ = await refused(olga, "POST", f"/api/livechat/conversations/{conv_id}/notes",
                              {"body": "x" * 100_000, "client_msg_id": "n-4"})
    assert status in (400, 413)
    assert len((await olga.rest("GET", f"/api/livechat/conversations/{conv_id}"))["notes"]) == 1


async def test_nobody_else_writes_or_reads_them(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await note(olga, conv_id, SECRET)
    other = await make_org(server, "concurrent")
    tom = await other.operator("Tom Anders")
    plain = await make_user(server, org.tenant, "Gewone Collega")  # live chat not enabled
    for client, status, code in ((tom, 404, "not_found"), (plain, 403, "livechat_disabled"),
                                 (vis, 403, "visitor_token")):
        got = await refused(client, "POST", f"/api/livechat/conversations/{conv_id}/notes",
                            {"body": "ingebroken", "client_msg_id": uuid.uuid4().hex})
        assert (got[0], got[1]["code"]) == (status, code), client
        got = await refused(client, "GET", f"/api/livechat/conversations/{conv_id}")
        assert got[0] == status
    # The visitor's socket has no way to write one either.
    async with exact_events({olga: [], vis: []}):
        with pytest.raises(ClientError) as err:
            await vis.request("livechat.note", {"conversation_id": conv_id, "body": "x", "client_msg_id": "v-1"})
    assert err.value.code == "unknown_type"
    conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert [x["body"] for x in conv["notes"]] == [SECRET]
