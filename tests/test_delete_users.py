"""Deleting users (accounts.delete_users) takes everything of theirs: messages and stream
events have no foreign key to cascade from (models.Message says why), so the function
deletes them itself; and it deletes only the tenant's users of the role it is given."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from sqlalchemy import func, or_, select, text

from chatserver.client import ClientError
from chatserver.db.models import Message, User
from chatserver.storage import accounts, events
from tests.helpers import befriend, make_tenant, make_user, rows_of_users


async def test_a_deleted_user_leaves_no_messages_events_or_conversations(server):
    alpha, beta = await make_tenant(server, "alpha"), await make_tenant(server, "beta")
    alice = await make_user(server, alpha, "Alice Aalders")
    anton = await make_user(server, alpha, "Anton Achterberg")
    carla = await make_user(server, alpha, "Carla Claes")
    bob = await make_user(server, beta, "Bob Bakker")
    await befriend(alice, anton)
    await befriend(anton, carla)
    with_alice = (await alice.rest("POST", "/api/messages", {"to": anton.user["id"], "body": "Hoi Anton",
                                                             "client_msg_id": "a1"}))["message"]["conversation_id"]
    await anton.rest("POST", "/api/messages", {"to": alice.user["id"], "body": "Dag Alice", "client_msg_id": "b1"})
    with_carla = (await anton.rest("POST", "/api/messages", {"to": carla.user["id"], "body": "Hoi Carla",
                                                             "client_msg_id": "c1"}))["message"]["conversation_id"]
    before = await rows_of_users(server, [alice.user["id"]])
    assert before["users"] == 1 and before["events"] > 0 and before["messages"] == 1

    async with server.services.transaction() as tx:
        # Bob is of another tenant, Carla has another role: neither goes.
        deleted = await accounts.delete_users(tx.session, alpha["id"], [alice.user["id"], bob.user["id"]], role="user")
        assert await accounts.delete_users(tx.session, alpha["id"], [carla.user["id"]], role="key_user") == []
    assert deleted == [alice.user["id"]]

    assert await rows_of_users(server, [alice.user["id"]]) == {"users": 0, "events": 0, "messages": 0}
    async with server.services.read() as s:  # Anton's reply to her went with their conversation
        assert await s.scalar(select(func.count()).where(Message.conversation_id == with_alice)) == 0
    # Anton sees his conversation with Carla only, its message kept; his own with Alice is gone.
    listed = (await anton.rest("GET", "/api/conversations"))["conversations"]
    assert [(c["id"], c["last_message"]["body"]) for c in listed] == [(with_carla, "Hoi Carla")]
    with pytest.raises(ClientError) as err:
        await anton.rest("GET", f"/api/conversations/{with_alice}/messages")
    assert err.value.status == 404
    # The others are whole: Bob's account and Carla's messages.
    assert (await bob.rest("GET", "/api/me"))["user"]["id"] == bob.user["id"]
    kept = await rows_of_users(server, [anton.user["id"], carla.user["id"], bob.user["id"]])
    assert kept["users"] == 3 and kept["messages"] == 1  # Anton's to Carla; his reply to Alice went
    async with server.services.read() as s:
        stray = await s.scalar(select(func.count()).select_from(Message).where(
            or_(Message.sender_id.not_in(select(User.id)), Message.conversation_id == with_alice)))
    assert stray == 0


@pytest.mark.dbindependent
def test_users_are_deleted_only_through_delete_users():
    """Nothing else deletes users: it would leave their messages and events behind."""
    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for package in ("chatserver", "livechat", "sms", "signaling", "widget")
        for path in sorted((root / package).rglob("*.py"))
        if re.search(r"delete\(\s*(models\.)?User\s*\)|DELETE\s+FROM\s+users\b", path.read_text(), re.IGNORECASE)
        and path != root / "chatserver" / "storage" / "accounts.py"
    ]
    assert offenders == []


@pytest.mark.postgres
async def test_an_event_appended_while_its_user_is_deleted_goes_too(server):
    """On PostgreSQL an event may be in flight (its transaction open) while its user is deleted:
    the delete waits for it and then takes it (no foreign key refuses it any more)."""
    svc = server.services
    if svc.engine.dialect.name != "postgresql":
        pytest.skip("two writing transactions at once: PostgreSQL's (SQLite has one writer)")
    tenant = await make_tenant(server)
    alice = await make_user(server, tenant, "Alice Aalders")
    a_id = alice.user["id"]

    async def delete_alice() -> list[int]:
        async with svc.transaction() as tx:
            return await accounts.delete_users(tx.session, tenant["id"], [a_id], role="user")

    async with svc.sessions() as appending, appending.begin():  # an event for her, not committed yet
        await events.append(appending, [a_id], "test.note", {"text": "in flight"}, svc.clock.now())
        deleting = asyncio.create_task(delete_alice())

        async def delete_waits() -> bool:
            async with svc.read() as s:
                return bool(await s.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE 'DELETE%'")))

        for _ in range(200):
            if await delete_waits():
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the delete did not wait for the append's lock")
    assert await deleting == [a_id]
    assert await rows_of_users(server, [a_id]) == {"users": 0, "events": 0, "messages": 0}
