"""PostgreSQL's send statements on asyncpg directly (db.pg_direct; docs/benchmarks.md, step 31).

They run inside the session's transaction (a rollback leaves nothing of them), or, for a
batch of sends whose only write is its one statement, outside any (two round trips, and
a message that statement cannot give its events stores nothing of the batch); they search
indexes rather than read whole tables, lock the rows they change in key order so that
two nodes' batches of sends never deadlock, and a pooled connection that died while it
sat idle is replaced before anyone uses it. On SQLite there is nothing of this to check.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import pkgutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import chatserver.storage
from chatserver import services
from chatserver.actions.chat_batch import SendBatcher, SendRequest, send_many
from chatserver.actions.context import Services
from chatserver.bus.memory import MemoryBus
from chatserver.clock import SystemClock
from chatserver.config import Config
from chatserver.db import engine as engine_module
from chatserver.db import pg_direct, prepared
from chatserver.db.engine import make_engine, make_sessionmaker
from chatserver.db.models import ContactRequest, User, UserEvent
from chatserver.presence.memory import MemoryPresence
from chatserver.storage import accounts, chat_sends, events
from tests.helpers import wait_for

pytestmark = pytest.mark.postgres  # scripts/test.sh runs these in its PostgreSQL pass only
NOW = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
DB = tuple[AsyncEngine, async_sessionmaker[AsyncSession]]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[DB]:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's own statements (CHATSERVER_TEST_DB=postgres)")
    engine = make_engine(database_url)
    yield engine, make_sessionmaker(engine)
    await engine.dispose()


async def _users(sessions: async_sessionmaker[AsyncSession], n: int) -> list[User]:
    """``n`` users of a new organisation, each a contact of every other."""
    async with sessions() as s, s.begin():
        tenant = await accounts.create_tenant(s, f"pgd-{uuid.uuid4().hex[:12]}", "Direct", NOW)
        users = [await accounts.create_user(s, tenant.id, username=f"d{i}", display_name=f"D {i}",
                                            password_hash="x", now=NOW) for i in range(n)]
        for i, a in enumerate(users):
            for b in users[i + 1:]:
                s.add(ContactRequest(from_user_id=a.id, to_user_id=b.id, status="accepted", created_at=NOW))
    return users


def _services_logging_queries(database_url: str) -> tuple[AsyncEngine, Services, list[str]]:
    """Services on an engine of their own, and every statement its connections send
    (asyncpg's query logger: each one a round trip, BEGIN and COMMIT included)."""
    engine = make_engine(database_url)
    sent: list[str] = []

    @event.listens_for(engine.sync_engine, "connect")
    def log_queries(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.driver_connection.add_query_logger(lambda q: sent.append(q.query.strip()))

    svc = services.build(Config(database_url=database_url, create_schema=False), engine, MemoryBus("logged"),
                         MemoryPresence(), SystemClock())
    return engine, svc, sent


async def _events_of(sessions: async_sessionmaker[AsyncSession], uid: int) -> list[tuple[int, Any]]:
    async with sessions() as s:
        rows = await s.execute(select(UserEvent.seq, UserEvent.data).where(UserEvent.user_id == uid)
                               .order_by(UserEvent.id))
        return [(int(seq), data) for seq, data in rows]


async def test_statements_run_in_the_sessions_transaction(db: DB) -> None:
    _, sessions = db
    a, b = await _users(sessions, 2)
    items = [(a.id, "t", {"n": 1, "text": "héllo"}), (b.id, "t", {"n": 2}), (a.id, "t", {"n": 3, "x": None})]
    with pytest.raises(RuntimeError, match="after the writes"):
        async with sessions() as s, s.begin():
            await prepared.run_plan(s, events.append_many_plan(items, NOW))
            raise RuntimeError("after the writes")
    assert await _events_of(sessions, a.id) == []  # rolled back with the session
    async with sessions() as s, s.begin():
        seqs = await prepared.run_plan(s, events.append_many_plan(items, NOW), commit=True)
    assert seqs == [1, 1, 2]  # each user's stream numbered in list order, from where it stood
    assert await _events_of(sessions, a.id) == [(1, {"n": 1, "text": "héllo"}), (2, {"n": 3, "x": None})]
    assert await _events_of(sessions, b.id) == [(1, {"n": 2})]
    async with sessions() as s:
        assert (await s.get(User, a.id)).event_seq == 2  # type: ignore[union-attr]


async def test_a_sessions_next_transaction_runs_on_its_own_connection(db: DB) -> None:
    """The asyncpg connection is looked up once per session transaction (step 40): one
    session's second transaction, after the first was rolled back, keeps what it writes."""
    _, sessions = db
    a, _ = await _users(sessions, 2)
    items = [(a.id, "t", {"n": 1})]
    async with sessions() as s:
        async with s.begin():
            await prepared.run_plan(s, events.append_many_plan(items, NOW))
            await s.rollback()
        async with s.begin():
            assert await prepared.run_plan(s, events.append_many_plan(items, NOW)) == [1]
    assert await _events_of(sessions, a.id) == [(1, {"n": 1})]


def _pg_statements() -> dict[str, str]:
    """Every PostgreSQL text of the storage modules (the ``_PG`` constants), by name."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(chatserver.storage.__path__, "chatserver.storage."):
        module = importlib.import_module(info.name)
        found |= {f"{info.name}.{k}": v for k, v in vars(module).items() if k.endswith("_PG") and isinstance(v, str)}
    return found


# Parameters of each statement's shape (nothing is written: EXPLAIN only plans).
ARGS: dict[str, list[Any]] = {
    "chatserver.storage.accounts._USER_BRIEFS_PG": [[1, 2]],
    "chatserver.storage.contacts._ACCEPTED_PAIRS_PG": [[1, 2], [2, 1]],
    "chatserver.storage.settings._SOME_SETTINGS_PG": [1, ["chat.internal_enabled"], [1, 2]],
    "chatserver.storage.settings._BLOCKING_PG": [[1, 2]],
    "chatserver.storage.directory._RECORD_BRIEFS_PG": [[1]],
    "chatserver.storage.chat_sends._STORE_SENDS_PG": [[1], [1], [2], ["c"], ["b"], [""], [None], ["text"], ["null"],
                                                      [", \"x\": 1}"], [", \"notify\": 1}"], [", \"notify\": 0}"], NOW,
                                                      "chat.message"],
    "chatserver.storage.chat_sends._MESSAGES_BY_KEY_PG": [[1, 2], ["a", "b"]],
    "chatserver.storage.chat_sends._CONVERSATIONS_BY_PAIR_PG": [[1, 3], [2, 4]],
    "chatserver.storage.events._APPEND_PG": [[1, 2], [2, 1], [1, 2, 1], [1, 1, 2], ["t"] * 3, ["{}"] * 3, NOW],
}


def _scans(plan: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Each table read in the plan: (node, table, searched by an index condition)."""
    out = []
    if "Relation Name" in plan and plan["Node Type"] != "ModifyTable":
        out.append((plan["Node Type"], plan["Relation Name"], "Index Cond" in plan))
    if plan["Node Type"] == "Bitmap Heap Scan":  # its search is in the Bitmap Index Scan below
        out[-1] = (plan["Node Type"], plan["Relation Name"], all("Index Cond" in p for p in plan["Plans"]))
    for child in plan.get("Plans", []):
        out += _scans(child)
    return out


async def test_each_statement_searches_an_index_never_the_whole_table(db: DB) -> None:
    engine, _ = db
    assert set(_pg_statements()) == set(ARGS), "a PostgreSQL statement with no case here"
    async with engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        async with driver.transaction():
            # The test's tables are small: a scan would be cheapest, so the planner is told
            # to avoid one wherever an index can answer (where none can, it scans anyway).
            await driver.execute("SET LOCAL enable_seqscan = off")
            # And the reads a batch of sends asks together (db.prepared, pg_direct.fetch_together).
            joint = ["accounts._USER_BRIEFS_PG", "contacts._ACCEPTED_PAIRS_PG", "chat_sends._CONVERSATIONS_BY_PAIR_PG",
                     "directory._RECORD_BRIEFS_PG"]
            texts = _pg_statements()
            parts = [(texts[f"chatserver.storage.{n}"], ARGS[f"chatserver.storage.{n}"]) for n in joint]
            cases = [(name, sql, ARGS[name]) for name, sql in texts.items()]
            cases.append(("joint", pg_direct.joint_text([(sql, len(args)) for sql, args in parts]),
                          [arg for _, args in parts for arg in args]))
            for name, sql, args in cases:
                (plan,) = await driver.fetchrow("EXPLAIN (FORMAT JSON) " + sql, *args)
                scans = _scans(json.loads(plan)[0]["Plan"] if isinstance(plan, str) else plan[0]["Plan"])
                assert all(searched for _, _, searched in scans), (name, scans)
                assert scans, name  # (a plan that reads nothing says nothing)


def _loops_over_withs(plan: dict[str, Any]) -> list[str]:
    """Each nested loop in the plan whose two sides both read WITHs (CTE Scans): a join of
    row to row, which for a batch's rows costs their square."""
    def reads_with(node: dict[str, Any]) -> bool:
        return node["Node Type"] == "CTE Scan" or any(reads_with(c) for c in node.get("Plans", [])
                                                      if c.get("Parent Relationship") != "InitPlan")
    def one_row(node: dict[str, Any]) -> bool:  # an aggregate of no groups: a count
        return node["Node Type"] == "Aggregate" and node.get("Strategy") == "Plain"
    out = []
    children = [c for c in plan.get("Plans", []) if c.get("Parent Relationship") in ("Outer", "Inner")]
    if (plan["Node Type"] == "Nested Loop" and len(children) == 2
            and all(reads_with(c) and not one_row(c) for c in children)):
        out.append(" x ".join(f"{c['Node Type']} {c.get('Relation Name') or c.get('CTE Name', '')}" for c in children))
    for child in plan.get("Plans", []):
        out += _loops_over_withs(child)
    return out


async def test_the_batchs_one_statement_joins_no_rows_to_rows_by_nested_loops(db: DB) -> None:
    """The planner takes each WITH for a row or so, and joined two of them by a nested loop:
    at batches of 128 PostgreSQL's CPU per message went from 57 to 158 us
    (docs/benchmarks.md, step 47). The generic plan, which a prepared statement runs."""
    engine, _ = db
    sql = chat_sends._STORE_SENDS_PG
    args = ARGS["chatserver.storage.chat_sends._STORE_SENDS_PG"]
    async with engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        async with driver.transaction():
            await driver.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            (plan,) = await driver.fetchrow("EXPLAIN (FORMAT JSON) " + sql, *args)
    tree = json.loads(plan)[0]["Plan"] if isinstance(plan, str) else plan[0]["Plan"]
    assert _loops_over_withs(tree) == []


async def test_two_nodes_batches_on_the_same_users_never_deadlock(database_url: str, db: DB) -> None:
    """Two processes' send batches over the same conversations, in opposite orders, at once:
    each batch stores all its messages (a deadlock would fail one as a whole)."""
    _, sessions = db
    users = await _users(sessions, 6)
    nodes = []
    for k in range(2):
        engine = make_engine(database_url)
        nodes.append((engine, services.build(Config(database_url=database_url, create_schema=False), engine,
                                             MemoryBus(f"n{k}"), MemoryPresence(), SystemClock())))
    pairs = [(users[i], users[j]) for i in range(6) for j in range(6) if i != j]
    try:
        for rnd in range(6):
            batches = []
            for k, (_, svc) in enumerate(nodes):
                order = pairs if k == 0 else pairs[::-1]
                reqs = [SendRequest(a, b.id, f"{rnd}", f"dl-{rnd}-{k}-{a.id}-{b.id}", "") for a, b in order]
                batches.append(send_many(svc, reqs))
            for out in await asyncio.gather(*batches):
                assert all(isinstance(o, dict) and not o["duplicate"] for o in out), out
    finally:
        for engine, _ in nodes:
            await engine.dispose()
    # Every message counted unread once: 6 rounds x 2 nodes x 5 senders to each user.
    async with sessions() as s:
        unread = (await s.execute(text(
            "SELECT sum(unread_count) FROM conversation_members WHERE user_id = ANY(:ids)"),
            {"ids": [u.id for u in users]})).scalar_one()
    assert unread == 6 * 2 * len(pairs)


async def test_a_batch_of_sends_is_two_round_trips(database_url: str, db: DB) -> None:
    """The users, contacts, conversations and settings in one statement (the settings with
    them once the users' tenants are known from an earlier batch); the messages with all
    they change (their conversations' last message time, the unread counts, the events),
    outside a transaction: no BEGIN, no COMMIT (docs/benchmarks.md, steps 32, 47, 48 and
    49). A first message's conversation is made in a transaction, which the messages'
    statement joins."""
    _, sessions = db
    users = await _users(sessions, 4)
    engine, svc, sent = _services_logging_queries(database_url)
    try:
        rounds = []
        for rnd in range(2):  # the first makes the conversations
            sent.clear()
            reqs = [SendRequest(a, b.id, "hi", f"rt-{rnd}-{a.id}-{b.id}", "") for a in users for b in users if a != b]
            out = await send_many(svc, reqs)
            assert all(isinstance(o, dict) and not o["duplicate"] for o in out), out
            rounds.append([q.strip().split("\n")[0] for q in sent])
        counted = list(sent)
        # Resends only: nothing stored, so no conversation's last message time moves.
        out = await send_many(svc, reqs)
        assert all(isinstance(o, dict) and o["duplicate"] for o in out), out
    finally:
        await engine.dispose()
    assert len(counted) == 2, "\n".join(q.split("\n")[0][:80] for q in counted)
    assert "BEGIN;" in rounds[0] and rounds[0][-1] == "COMMIT;", rounds[0]  # the conversations made
    assert len(rounds[0]) > len(rounds[1]) + 2, rounds  # the first batch read the settings on their own
    assert "BEGIN;" not in rounds[1] and "COMMIT;" not in rounds[1], rounds[1]
    async with sessions() as s:  # each conversation's last message time is its last message's
        off = (await s.execute(text(
            "SELECT c.id FROM conversations c WHERE c.user_low_id = ANY(:ids) AND c.last_message_at IS DISTINCT FROM "
            "(SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = c.id)"),
            {"ids": [u.id for u in users]})).all()
    assert off == []


async def test_a_message_whose_membership_is_gone_is_not_stored_at_all(database_url: str, db: DB) -> None:
    """The batch's one statement runs outside a transaction, so a message it cannot give
    its events (the recipient's membership row deleted meanwhile, as erasing a user does)
    must fail the whole statement: nothing of the batch stored, not even the others."""
    engine, sessions = db
    a, b, c = await _users(sessions, 3)
    svc = services.build(Config(database_url=database_url, create_schema=False), engine, MemoryBus("gone"),
                         MemoryPresence(), SystemClock())
    first = await send_many(svc, [SendRequest(a, b.id, "one", "g-1", ""), SendRequest(a, c.id, "one", "g-2", "")])
    assert isinstance(first[0], dict) and isinstance(first[1], dict), first
    conv = first[0]["message"]["conversation_id"]
    async with sessions() as s, s.begin():
        await s.execute(text("DELETE FROM conversation_members WHERE conversation_id = :c AND user_id = :u"),
                        {"c": conv, "u": b.id})
    with pytest.raises(asyncpg.InvalidTextRepresentationError, match="no events for"):
        await send_many(svc, [SendRequest(a, c.id, "two", "g-3", ""), SendRequest(a, b.id, "two", "g-4", "")])
    async with sessions() as s:
        bodies = (await s.execute(text("SELECT client_msg_id FROM messages WHERE sender_id = :a ORDER BY id"),
                                  {"a": a.id})).scalars().all()
        events_of_c = (await s.execute(text("SELECT count(*) FROM user_events WHERE user_id = :c"),
                                       {"c": c.id})).scalar_one()
    assert bodies == ["g-1", "g-2"]  # neither of the failed batch's messages, though one had its membership
    assert events_of_c == 1


async def test_a_connection_that_died_while_idle_is_replaced_before_use(db: DB,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    engine, sessions = db
    async with sessions() as s:
        pid = (await s.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    # The server restarts, say: the pooled connection is gone.
    admin = await asyncpg.connect(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)  # every connection counts as idle
    for _ in range(3):  # whichever pooled connection comes out, it answers
        async with sessions() as s:
            assert (await s.execute(text("SELECT 1"))).scalar_one() == 1


async def test_the_batchers_sends_run_on_kept_connections_without_a_session(
        database_url: str, db: DB, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Through the send batcher a batch that writes only its messages runs on a connection
    the batcher keeps, without a session: still two statements, no BEGIN, no COMMIT
    (docs/benchmarks.md, step 51). A first message's conversation needs the ORM: that batch
    runs again in a session, having only read. A kept connection that died (the server
    restarted, say) fails its batch, which is retried on fresh ones: every send is stored,
    once. Idle, the connections go back to the pool."""
    _, sessions = db
    users = await _users(sessions, 4)
    engine, svc, sent = _services_logging_queries(database_url)
    batcher = svc.get(SendBatcher)
    batcher.HOLD_SECONDS = 0.5
    pairs = [(a, b) for a in users for b in users if a != b]

    async def send_round(rnd: int) -> list[dict[str, Any]]:
        # Each sender's sends queued at once: one batch each at most, two batches at a time.
        futures = [batcher.enqueue(a, b.id, f"round {rnd}", f"kept-{rnd}-{a.id}-{b.id}", "") for a, b in pairs]
        return list(await asyncio.gather(*futures))

    try:
        first = await send_round(0)  # the conversations made, in a session's transaction
        assert all(not o["duplicate"] for o in first)
        assert "BEGIN;" in sent and "COMMIT;" in sent
        sent.clear()
        second = await send_round(1)
        assert [o["message"]["body"] for o in second] == ["round 1"] * len(pairs)
        assert "BEGIN;" not in sent and "COMMIT;" not in sent, [q.split("\n")[0] for q in sent]
        kept = engine.pool.checkedout()  # type: ignore[attr-defined]
        assert 1 <= kept <= svc.config.send_batches
        # The server restarts: every connection of this database is gone, the kept ones too.
        admin = await asyncpg.connect(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
        try:
            await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        finally:
            await admin.close()
        monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)  # the pool's own are checked on the way out
        third = await send_round(2)
        assert [o["message"]["body"] for o in third] == ["round 2"] * len(pairs)
        assert any("failed; retrying one by one" in r.getMessage() for r in caplog.records)  # on a dead one
        await wait_for(lambda: engine.pool.checkedout() == 0)  # type: ignore[attr-defined]
    finally:
        await batcher.aclose()
        await engine.dispose()
    async with sessions() as s:
        stored = (await s.execute(text("SELECT body, count(*) FROM messages WHERE sender_id = ANY(:ids) "
                                       "GROUP BY body ORDER BY body"), {"ids": [u.id for u in users]})).all()
    assert [tuple(r) for r in stored] == [(f"round {rnd}", len(pairs)) for rnd in range(3)]
