"""Prepared statements (db.prepared) write and read what SQLAlchemy would.

On SQLite they bypass SQLAlchemy's execution, so the values must come out as the ORM
writes and reads them (timestamps with their zone, JSON), inside the session's own
transaction; on PostgreSQL SQLAlchemy runs them. The suite runs this on both.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chatserver.db import prepared
from chatserver.db.engine import make_engine, make_sessionmaker
from chatserver.db.models import ContactRequest, User, UserEvent
from chatserver.db.prepared import Prepared
from chatserver.storage import accounts, chat, chat_sends, contacts, settings

_EVENTS_OF = Prepared(
    select(UserEvent.user_id, UserEvent.seq, UserEvent.data, UserEvent.created_at)
    .where(UserEvent.user_id.in_(bindparam("ids", expanding=True)))
    .order_by(UserEvent.user_id, UserEvent.seq)
)
_ADD_EVENT = Prepared(insert(UserEvent), columns=["user_id", "seq", "type", "data", "created_at"])


DB = tuple[AsyncEngine, async_sessionmaker[AsyncSession]]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[DB]:
    engine = make_engine(database_url)
    yield engine, make_sessionmaker(engine)
    await engine.dispose()


async def _two_users(sessions, now: datetime) -> list[int]:  # type: ignore[no-untyped-def]
    async with sessions() as s, s.begin():
        tenant = await accounts.create_tenant(s, f"prep-{uuid.uuid4().hex[:12]}", "Prepared", now)
        users = [await accounts.create_user(s, tenant.id, username=f"p{i}", display_name=f"P {i}",
                                            password_hash="x", now=now) for i in range(2)]
        return [u.id for u in users]


async def test_rows_written_and_read_prepared_are_what_the_orm_writes_and_reads(db: DB) -> None:
    _, sessions = db
    now = datetime(2026, 11, 23, 17, 5, 4, 123456, tzinfo=UTC)
    a, b = await _two_users(sessions, now)
    data = [{"text": "héllo 👋", "n": 1, "nested": {"ok": True, "none": None}}, {"list": [1, "2"]}]
    async with sessions() as s, s.begin():
        await _ADD_EVENT.run_many(s, [
            {"user_id": a, "seq": 1, "type": "t", "data": data[0], "created_at": now},
            {"user_id": b, "seq": 1, "type": "t", "data": data[1], "created_at": now},  # the same object
            {"user_id": b, "seq": 2, "type": "t", "data": {}, "created_at": now + timedelta(seconds=1)},
        ])
    async with sessions() as s:
        # The ORM reads what was written prepared.
        stored = (await s.execute(select(UserEvent).where(UserEvent.user_id.in_([a, b]))
                                  .order_by(UserEvent.user_id, UserEvent.seq))).scalars().all()
        assert [(e.user_id, e.seq, e.data, e.created_at) for e in stored] == [
            (a, 1, data[0], now), (b, 1, data[1], now), (b, 2, {}, now + timedelta(seconds=1))]
        # A prepared read gives what SQLAlchemy's own execution of the statement gives.
        prepared = [tuple(r) for r in await _EVENTS_OF.rows(s, {"ids": [b, a]})]
        plain = [tuple(r) for r in (await s.execute(_EVENTS_OF.stmt, {"ids": [b, a]})).all()]
        assert prepared == plain == [(a, 1, data[0], now), (b, 1, data[1], now),
                                     (b, 2, {}, now + timedelta(seconds=1))]
        assert prepared[0][3].tzinfo is not None
        assert await _EVENTS_OF.rows(s, {"ids": []}) == []


async def test_a_prepared_write_is_part_of_the_sessions_transaction(db: DB) -> None:
    _, sessions = db
    now = datetime(2026, 11, 23, 17, 6, tzinfo=UTC)
    a, _ = await _two_users(sessions, now)
    async with sessions() as s:
        async with s.begin():
            await _ADD_EVENT.run_many(s, [{"user_id": a, "seq": 7, "type": "t", "data": {}, "created_at": now}])
            # The ORM in the same transaction sees it ...
            assert (await s.execute(select(UserEvent.seq).where(UserEvent.user_id == a))).scalars().all() == [7]
            await s.rollback()
    async with sessions() as s:
        # ... and a rollback takes it back with the rest.
        assert (await s.execute(select(UserEvent.seq).where(UserEvent.user_id == a))).scalars().all() == []
        assert (await s.get(User, a)) is not None


async def test_insert_each_gives_each_rows_id_in_order_and_none_where_it_was_there_already(db: DB) -> None:
    engine, sessions = db
    now = datetime(2026, 11, 23, 17, 7, tzinfo=UTC)
    dialect_insert = sqlite_insert if engine.dialect.name == "sqlite" else pg_insert
    add_once = Prepared(dialect_insert(UserEvent).on_conflict_do_nothing(index_elements=["user_id", "seq"]),
                        columns=["user_id", "seq", "type", "data", "created_at"])
    a, b = await _two_users(sessions, now)
    rows = [{"user_id": u, "seq": seq, "type": "t", "data": {"n": n}, "created_at": now}
            for n, (u, seq) in enumerate([(a, 1), (b, 1), (a, 1), (a, 2)])]  # the third is there already
    async with sessions() as s, s.begin():
        ids = await add_once.insert_each(s, rows)
    assert ids[2] is None and None not in (ids[0], ids[1], ids[3])
    assert ids[0] < ids[1] < ids[3]  # in the order given
    async with sessions() as s:
        stored = (await s.execute(select(UserEvent.id, UserEvent.user_id, UserEvent.seq, UserEvent.data)
                                  .where(UserEvent.user_id.in_([a, b])).order_by(UserEvent.id))).all()
    assert [tuple(r) for r in stored] == [(ids[0], a, 1, {"n": 0}), (ids[1], b, 1, {"n": 1}), (ids[3], a, 2, {"n": 3})]


async def test_reads_together_answer_each_in_order_as_alone(db: DB) -> None:
    _, sessions = db
    now = datetime(2026, 11, 23, 17, 8, tzinfo=UTC)
    a, b = await _two_users(sessions, now)
    async with sessions() as s, s.begin():  # a and b become contacts and talk
        s.add(ContactRequest(from_user_id=b, to_user_id=a, status="accepted", created_at=now))
        conv = await chat.get_or_create_conversation(s, a, b, now)
        tenant = (await s.get(User, a)).tenant_id  # type: ignore[union-attr]
        # JSON values, read back as such (on PostgreSQL from inside the joint statement's records).
        await settings.put(s, tenant, b, "notify.chat_message", 2)
        await settings.put(s, tenant, None, "chat.block_external", True)
    low, high = sorted((a, b))
    async with sessions() as s:
        queries = [accounts.user_briefs_query([b, a, -1]), contacts.accepted_pairs_query({(a, b), (a, -1)}),
                   contacts.accepted_pairs_query(set()), chat_sends.conversation_ids_query({(low, high), (-2, -1)}),
                   settings.effective_for_query(tenant, [a, b], ["notify.chat_message"]),
                   settings.tenants_blocking_external_query([tenant, -1])]
        together = await prepared.together(s, *queries)
        alone = [await q.run(s) for q in queries]
    assert together == alone
    users, friends, nobody, convs, notify, blocking = together
    assert sorted(users) == [a, b] and users[a].display_name == "P 0"
    assert friends == {frozenset((a, b))} and nobody == set() and convs == {(low, high): conv.id}
    assert notify["notify.chat_message"][b] == 2 and blocking == {tenant}



NOW = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)


def _add_events(a: int, seqs: list[int]) -> prepared.Query[None]:
    rows = [{"user_id": a, "seq": n, "type": "t", "data": {"n": n}, "created_at": NOW} for n in seqs]
    return prepared.Query(_ADD_EVENT, rows, lambda _: None, how="many")


def _seqs_of(a: int) -> prepared.Query[list[int]]:
    return prepared.Query(_EVENTS_OF, {"ids": [a]}, lambda rows: [r[1] for r in rows])


def _numbered(a: int, first: list[int]) -> prepared.Plan[list[int]]:
    """A plan whose second write depends on what its read gave back."""
    yield _add_events(a, first)
    seqs: list[int] = yield _seqs_of(a)
    yield _add_events(a, [max(seqs) + 1])
    if max(seqs) >= 99:
        raise ValueError("a plan that fails")
    return [*seqs, max(seqs) + 1]


async def test_a_plan_answers_each_step_in_order_and_its_commit_is_the_transactions(db: DB) -> None:
    _, sessions = db
    a, _ = await _two_users(sessions, NOW)
    async with sessions() as s:
        async with s.begin():
            got = await prepared.run_plan(s, _numbered(a, [3, 1]), commit=True)
        assert got == [1, 3, 4]  # the read saw the plan's own writes, in order
    async with sessions() as s:  # committed: another session sees all of it
        assert await _seqs_of(a).run(s) == [1, 3, 4]


async def test_a_plan_that_fails_leaves_nothing_of_its_writes(db: DB) -> None:
    _, sessions = db
    a, _ = await _two_users(sessions, NOW)
    with pytest.raises(ValueError, match="a plan that fails"):
        async with sessions() as s, s.begin():
            await prepared.run_plan(s, _numbered(a, [99]), commit=True)
    async with sessions() as s:
        assert await _seqs_of(a).run(s) == []
    # The pooled connection goes on: a plan after the failure runs and commits.
    async with sessions() as s, s.begin():
        assert await prepared.run_plan(s, _numbered(a, [5]), commit=True) == [5, 6]
