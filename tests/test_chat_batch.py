"""Group commit of chat.send (actions.chat_batch): sends that share a transaction keep
every promise of the single path: each stored once, unread counted per message, events
numbered in order, and a refused send refused alone."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatserver.actions import chat
from chatserver.client import ChatClient
from chatserver.db.models import User
from chatserver.errors import ChatError
from chatserver.storage import accounts
from tests.helpers import make_user, two_contacts


async def _contacts(server: Any) -> tuple[dict[str, Any], User, ChatClient, ChatClient]:
    """An organisation with Anna and Bram, contacts; Anna's User row to send as."""
    org, anna, bram = await two_contacts(server, "Anna de Vries", "Bram Jansen")
    async with server.services.read() as s:
        return org, await accounts.get_user(s, anna.user["id"]), anna, bram


async def test_concurrent_sends_share_a_batch_and_keep_their_promises(server):
    org, a, anna, bram = await _contacts(server)
    cees = await make_user(server, org, "Cees Smit")
    svc = server.services
    async with svc.read() as s:
        c = await accounts.get_user(s, cees.user["id"])
    # Client ids that sort against the order of sending: the stored order must be the sending order.
    jobs = [chat.send(svc, a, bram.user["id"], f"m{i}", f"cid-{99 - i}") for i in range(10)]
    jobs.append(chat.send(svc, a, bram.user["id"], "again", "cid-96"))  # a resend (of m3) in the same batch
    jobs.append(chat.send(svc, c, bram.user["id"], "not a contact", "cid-x"))
    results = await asyncio.gather(*jobs, return_exceptions=True)

    stored = results[:10]
    assert all(isinstance(r, dict) and r["duplicate"] is False for r in stored), results
    assert [r["message"]["body"] for r in stored] == [f"m{i}" for i in range(10)]
    assert results[10]["duplicate"] is True and results[10]["message"]["id"] == stored[3]["message"]["id"]
    assert isinstance(results[11], ChatError) and results[11].code == "not_a_contact"

    await bram.connect()
    history = await bram.rest("GET", f"/api/conversations/{stored[0]['message']['conversation_id']}/messages")
    assert [m["body"] for m in history["messages"]] == [f"m{i}" for i in range(10)]
    convs = await bram.rest("GET", "/api/conversations")
    assert convs["conversations"][0]["unread"] == 10
    # Bram's stream holds one event per message, numbered in send order, unread rising by one.
    await bram.close()
    async with svc.read() as s:
        from chatserver.storage import events

        rows = await events.since(s, bram.user["id"], 0)
    msgs = [r for r in rows if r.type == "chat.message"]
    assert [r.data["message"]["body"] for r in msgs] == [f"m{i}" for i in range(10)]
    assert [r.data["unread"] for r in msgs] == list(range(1, 11))
    assert [r.seq for r in msgs] == sorted(r.seq for r in msgs)


async def test_resends_in_a_later_batch_get_the_stored_message_and_write_nothing(server):
    """Idempotency comes from the insert (ON CONFLICT DO NOTHING): a batch mixing resends of
    stored messages with new ones stores only the new, counts unread and numbers events for
    them only; a resend after the contact ended still gets its message back."""
    _, a, anna, bram = await _contacts(server)
    svc = server.services
    first = await asyncio.gather(*(chat.send(svc, a, bram.user["id"], f"m{i}", f"cid-{i}") for i in range(3)))
    mixed = await asyncio.gather(
        chat.send(svc, a, bram.user["id"], "changed text is ignored", "cid-1"),
        chat.send(svc, a, bram.user["id"], "m3", "cid-3"),
        chat.send(svc, a, bram.user["id"], "m0 again", "cid-0"),
    )
    assert [r["duplicate"] for r in mixed] == [True, False, True]
    assert mixed[0]["message"] == first[1]["message"] and mixed[2]["message"] == first[0]["message"]

    await bram.connect()
    conv = mixed[1]["message"]["conversation_id"]
    history = await bram.rest("GET", f"/api/conversations/{conv}/messages")
    assert [m["body"] for m in history["messages"]] == ["m0", "m1", "m2", "m3"]
    assert (await bram.rest("GET", "/api/conversations"))["conversations"][0]["unread"] == 4
    async with svc.read() as s:
        from chatserver.storage import events

        rows = await events.since(s, bram.user["id"], 0)
    assert [r.data["message"]["body"] for r in rows if r.type == "chat.message"] == ["m0", "m1", "m2", "m3"]

    await bram.rest("DELETE", f"/api/contacts/{anna.user['id']}")
    late = await chat.send(svc, a, bram.user["id"], "m2", "cid-2")
    assert late["duplicate"] is True and late["message"] == first[2]["message"]
    try:
        await chat.send(svc, a, bram.user["id"], "new after the end", "cid-9")
        raise AssertionError("a new message to someone no longer a contact was stored")
    except ChatError as exc:
        assert exc.code == "not_a_contact"
    await bram.close()


async def test_sends_about_a_record_share_the_batch_with_the_others(server):
    """One send path (issue 17): a send about a record (record_id) goes through the batch
    like any other: the record's name as subject, a line in its timeline, another
    organisation's record refused alone, a resend stored (and written in the timeline) once."""
    _, a, anna, bram = await _contacts(server)
    _, xavi, _ = await two_contacts(server, "Xavi", "Yara")
    foreign = await xavi.rest("POST", "/api/records", {"kind": "vacancy", "title": "Elders"})
    record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Sanne Bakker"})
    svc, to = server.services, bram.user["id"]
    results = await asyncio.gather(
        chat.send(svc, a, to, "gewoon", "plain-1"),
        chat.send(svc, a, to, "over Sanne", "rec-1", record_id=record["id"]),
        chat.send(svc, a, to, "met onderwerp", "rec-2", record_id=record["id"], subject="Eigen onderwerp"),
        chat.send(svc, a, to, "over Sanne", "rec-1", record_id=record["id"]),  # a resend in the batch
        chat.send(svc, a, to, "stiekem", "rec-x", record_id=foreign["id"]),
        return_exceptions=True,
    )
    plain, rec1, rec2, again, refused = results
    assert isinstance(plain, dict) and plain["message"]["record_id"] is None and plain["message"]["subject"] == ""
    assert isinstance(rec1, dict) and rec1["message"]["record_id"] == record["id"]
    assert rec1["message"]["subject"] == "Candidate: Sanne Bakker"
    assert isinstance(rec2, dict) and rec2["message"]["subject"] == "Eigen onderwerp"
    assert isinstance(again, dict) and again["duplicate"] is True and again["message"]["id"] == rec1["message"]["id"]
    assert isinstance(refused, ChatError) and refused.code == "not_found"
    later = await chat.send(svc, a, to, "over Sanne", "rec-1", record_id=record["id"])  # a later batch
    assert later["duplicate"] is True

    entries = (await anna.rest("GET", f"/api/records/{record['id']}/timeline"))["entries"]
    assert sorted(e["summary"] for e in entries) == ["Anna de Vries to Bram Jansen: met onderwerp",
                                                     "Anna de Vries to Bram Jansen: over Sanne"]
    assert {e["actor_user_id"] for e in entries} == {anna.user["id"]}
    assert (await xavi.rest("GET", f"/api/records/{foreign['id']}/timeline"))["entries"] == []
    history = await bram.rest("GET", f"/api/conversations/{plain['message']['conversation_id']}/messages")
    assert [m["body"] for m in history["messages"]] == ["gewoon", "over Sanne", "met onderwerp"]


async def test_a_replayed_message_event_is_the_one_sent_live(server):
    """Each message's events are stored as one JSON text built around the message's own
    encoding (step 33): what a reconnecting tab replays equals what was pushed live, for
    text and names that JSON escapes (quotes, backslashes, newlines, accents, emoji)."""
    org, sender, receiver = await two_contacts(server, 'Zoe "Zoë" Ångström', "Bram \\ Jansen")
    await sender.connect()
    hello = await receiver.connect()
    bodies = ['say "hi"', "back\\slash\nnew line", "Grüße \u2028 🙂", "</script>"]
    for k, body in enumerate(bodies):
        await sender.send_message(receiver.user["id"], body, client_msg_id=f"esc-{k}")
    live = [await receiver.next_event("chat.message") for _ in bodies]
    assert [e["data"]["message"]["body"] for e in live] == bodies
    assert {e["data"]["from"] for e in live} == {'Zoe "Zoë" Ångström'}

    again = ChatClient(server.url, receiver.token)
    server.clients.append(again)
    again.last_seq, again.epoch = hello["seq"], hello["epoch"]
    assert (await again.connect())["resumed"] is True
    replayed = [await again.next_event("chat.message") for _ in bodies]
    assert [(e["seq"], e["data"]) for e in replayed] == [(e["seq"], e["data"]) for e in live]
    assert [e["data"]["unread"] for e in replayed] == [1, 2, 3, 4]


def test_a_message_is_stored_in_the_text_json_dumps_writes():
    """storage.chat.message_json writes a message's JSON itself (step 34): the same text as
    json.dumps for every shape a message takes, and json.dumps's own for any other."""
    import json

    from chatserver.storage.chat import message_fields, message_json

    messages = [
        message_fields(1, 2, 3, "cid", "Hoi Bram!", "", None, "2026-12-07T06:30:00.123456+00:00", None, None),
        message_fields(10**15, 7, 8, 'c"\\\n', "Grüße \u2028 🙂 </script>", "Dossier Ångström", 42,
                       "2026-12-07T06:30:00+00:00", "call", {"duration": 61.5, "peer": "Zoë", "ok": True, "n": None}),
        {**message_fields(1, 2, 3, "c", "b", "s", None, "t", None, None), "extra": 1.5},  # another shape
        message_fields(True, 2, 3, "c", "b", "s", None, "t", None, None),  # another type
    ]
    for m in messages:
        assert message_json(m) == json.dumps(m)
        assert json.loads(message_json(m)) == m


_text = st.text(st.characters(codec="utf-8"), max_size=40)  # any text a frame may carry (no lone surrogates)
_id = st.integers(min_value=1, max_value=2**63 - 1)


@pytest.mark.dbindependent
@settings(max_examples=300)
@given(mid=_id, cid=_id, sender=_id, cmid=_text, body=_text, subject=_text,
       record_id=st.none() | _id, created_at=_text, kind=st.none() | _text,
       meta=st.none() | st.dictionaries(_text, st.none() | st.booleans() | st.integers() | _text, max_size=3))
def test_message_json_writes_what_json_dumps_writes_for_any_message(mid, cid, sender, cmid, body, subject,
                                                                     record_id, created_at, kind, meta):
    """The hand-written encoder of step 34 against json.dumps itself, over any text and id."""
    import json

    from chatserver.storage.chat import message_fields, message_json

    m = message_fields(mid, cid, sender, cmid, body, subject, record_id, created_at, kind, meta)
    assert message_json(m) == json.dumps(m)
