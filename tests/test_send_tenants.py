"""A batch of sends reads the settings its checks need with its first reads when it knows
every user's tenant from earlier batches (chat_batch.UserTenants: on PostgreSQL a round
trip fewer, tests/test_pg_direct.py counts them). That knowledge is a guess the batch
checks against the users it reads: a wrong one never decides a send."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from chatserver import services
from chatserver.actions.chat_batch import SendRequest, UserTenants, send_many, user_tenants
from chatserver.actions.context import Services
from chatserver.bus.memory import MemoryBus
from chatserver.clock import SystemClock
from chatserver.config import Config
from chatserver.db.engine import make_engine
from chatserver.db.models import ContactRequest, User
from chatserver.errors import Forbidden
from chatserver.presence.memory import MemoryPresence
from chatserver.storage import accounts
from chatserver.storage import settings as settings_store

NOW = datetime(2026, 12, 7, 21, 0, tzinfo=UTC)


@pytest.fixture
async def svc(database_url: str) -> AsyncIterator[Services]:
    engine = make_engine(database_url)
    yield services.build(Config(database_url=database_url, create_schema=False), engine, MemoryBus("tenants"),
                         MemoryPresence(), SystemClock())
    await engine.dispose()


async def _organisation(svc: Services, names: list[str], *, chat: bool) -> list[User]:
    """Users of a new organisation, contacts of each other; ``chat``: their internal chat on or off."""
    async with svc.sessions() as s, s.begin():
        tenant = await accounts.create_tenant(s, f"t-{uuid.uuid4().hex[:12]}", "Org", NOW)
        users = [await accounts.create_user(s, tenant.id, username=n, display_name=n.title(), password_hash="x",
                                            now=NOW) for n in names]
        for i, a in enumerate(users):
            for b in users[i + 1:]:
                s.add(ContactRequest(from_user_id=a.id, to_user_id=b.id, status="accepted", created_at=NOW))
        for user in users:  # a key-user's switch, per colleague
            await settings_store.put(s, tenant.id, user.id, "chat.internal_enabled", chat)
    return users


async def test_the_tenants_of_a_batchs_users_are_remembered(svc: Services) -> None:
    anna, bram = await _organisation(svc, ["anna", "bram"], chat=True)
    out = await send_many(svc, [SendRequest(anna, bram.id, "hoi", "c-1", "")])
    assert isinstance(out[0], dict) and not out[0]["duplicate"], out
    assert user_tenants(svc) == {anna.id: anna.tenant_id, bram.id: bram.tenant_id}
    # Known now: the next batch reads the settings with its first reads, and stores as before.
    out = await send_many(svc, [SendRequest(bram, anna.id, "hallo", "c-2", "")])
    assert isinstance(out[0], dict) and out[0]["message"]["body"] == "hallo", out


async def test_a_wrong_guess_of_a_tenant_never_decides_a_send(svc: Services) -> None:
    closed = await _organisation(svc, ["carla", "dirk"], chat=False)
    open_ = await _organisation(svc, ["eva", "frits"], chat=True)
    carla, dirk = closed
    tenants = user_tenants(svc)
    assert isinstance(tenants, UserTenants)
    # Guessed in the organisation whose chat is on: its settings would let Carla send.
    tenants.update({carla.id: open_[0].tenant_id, dirk.id: open_[0].tenant_id})
    out = await send_many(svc, [SendRequest(carla, dirk.id, "mag dit?", "w-1", "")])
    assert isinstance(out[0], Forbidden) and out[0].code == "chat_disabled", out
    assert tenants[carla.id] == carla.tenant_id  # put right by what the batch read
    # And the other way: guessed in the closed organisation, Eva still sends.
    eva, frits = open_
    tenants.update({eva.id: carla.tenant_id, frits.id: carla.tenant_id})
    out = await send_many(svc, [SendRequest(eva, frits.id, "gewoon", "w-2", "")])
    assert isinstance(out[0], dict) and out[0]["message"]["body"] == "gewoon", out


def test_the_remembered_tenants_are_bounded() -> None:
    from chatserver.storage.accounts import UserBrief

    tenants = UserTenants()
    tenants.LIMIT = 3
    brief = {uid: UserBrief(id=uid, tenant_id=7, status="online", display_name="x") for uid in range(1, 4)}
    tenants.remember(brief)
    assert len(tenants) == 3
    tenants.remember({9: UserBrief(id=9, tenant_id=8, status="online", display_name="y")})
    assert tenants == {9: 8}  # forgotten all at once, then the new one
