"""The send batch's lookups on SQLite search the unique index once per key.

Each send batch asks which (sender, client_msg_id) are stored already, which pairs are
contacts and which conversations exist. Written as a row-value ``IN (VALUES ...)``,
SQLite scanned the whole index instead: a cost that grew with every message ever
stored (23 ms per batch at 200,000 messages; docs/benchmarks.md, step 18). The plan is
what a user would feel as history grows, so the plan is what is checked here.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import chatserver
from chatserver import services
from chatserver.db.engine import make_engine
from chatserver.db.migrate import upgrade
from chatserver.db.prepared import Prepared
from chatserver.storage import accounts, chat_sends, contacts, directory, events, settings
from chatserver.storage.keylist import keys_param


async def _prepared_plan(url: str, stmt: Prepared, params: dict[str, Any]) -> list[str]:
    """The plan of the text a prepared statement runs on SQLite (db.prepared), bound as it is."""
    engine = make_engine(url)
    try:
        form = stmt.sqlite_form(engine.dialect)
        async with engine.connect() as conn:
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + form.sql, form.bind(params))
            return [str(r[3]) for r in rows]
    finally:
        await engine.dispose()


def _every_prepared() -> list[Prepared]:
    """The prepared statements of every module of the server."""
    found: list[Prepared] = []
    for info in pkgutil.walk_packages(chatserver.__path__, "chatserver."):
        if info.name.endswith("__main__"):  # runs the command line when imported
            continue
        module = importlib.import_module(info.name)
        found += [v for v in vars(module).values() if isinstance(v, Prepared)]
    return found


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# Every statement the send batch runs prepared, with parameters of its shape and the
# tables it reads or changes rows of by a search.
PREPARED: list[tuple[Prepared, dict[str, Any], list[str]]] = [
    (accounts._USER_BRIEFS, {"ids": [1, 2, 3]}, ["users"]),
    (settings._SOME_SETTINGS,
     {"tenant_id": 1, "names": ["chat.internal_enabled", "notify.chat_message"], "user_ids": [1, 2]}, ["setting_values"]),
    (contacts._ACCEPTED_PAIRS_SQLITE, {"keys": keys_param([(1, 2), (2, 1)])}, ["contact_requests"]),
    (chat_sends._CONVERSATIONS_BY_PAIR_SQLITE, {"keys": keys_param([(1, 2), (3, 4)])}, ["conversations"]),
    (settings._BLOCKING, {"tenant_ids": [1, 2]}, ["setting_values"]),
    (chat_sends._INSERT_CONVERSATION, {"user_low_id": 1, "user_high_id": 2, "created_at": NOW}, []),
    (chat_sends._INSERT_MEMBER, {"conversation_id": 1, "user_id": 2, "last_read_message_id": 0, "last_delivered_message_id": 0,
                          "unread_count": 0}, []),
    (chat_sends._MESSAGES_BY_KEY_SQLITE, {"keys": keys_param([(1, "a"), (2, "b")])}, ["messages"]),
    (chat_sends._INSERT_MESSAGE_SQLITE, {"conversation_id": 1, "sender_id": 2, "client_msg_id": "c1", "body": "hallo",
                                   "subject": "", "record_id": None, "created_at": NOW, "kind": "text",
                                   "meta": None}, []),
    (directory._RECORD_BRIEFS, {"ids": [1, 2]}, ["records"]),
    (directory._INSERT_TIMELINE, {"tenant_id": 1, "record_id": 1, "kind": "chat", "summary": "a to b: hallo",
                                  "ref_id": 1, "actor_user_id": 2, "created_at": NOW}, []),
    (chat_sends._TOUCH_CONVERSATIONS, {"cid": 1, "at": NOW}, ["conversations"]),
    (chat_sends._BUMP_UNREAD_SQLITE, {"adds": keys_param([(1, 2, 1), (1, 3, 2)])}, ["conversation_members"]),
    (events._BUMP_SEQ_SQLITE, {"counts": keys_param([(1, 2), (3, 1)])}, ["users"]),
    (events._INSERT_EVENTS, {"user_id": 1, "seq": 1, "type": "chat.message", "data": "{}", "created_at": NOW}, []),
]


async def test_each_key_is_searched_in_the_unique_index_not_the_table_scanned(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    await upgrade(url, services.schema())
    assert {id(p) for p in _every_prepared()} == {id(p) for p, _, _ in PREPARED}, "a prepared statement with no case"
    plans = [(await _prepared_plan(url, stmt, params), tables) for stmt, params, tables in PREPARED]
    for plan, tables in plans:
        # Only the list itself (json_each, a virtual table) is ever scanned.
        assert not [step for step in plan if step.startswith("SCAN") and "VIRTUAL TABLE" not in step], plan
        for table in tables:
            on_table = [step for step in plan if f" {table} " in f"{step} "]
            assert on_table and all(step.startswith("SEARCH") for step in on_table), (table, plan)


async def test_a_setting_for_some_users_reads_their_values_not_the_whole_tenants(tmp_path: Path) -> None:
    """Every send batch reads two settings for its senders and recipients."""
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    await upgrade(url, services.schema())
    plan = await _prepared_plan(url, settings._SOME_SETTINGS,
                                {"tenant_id": 1, "names": ["chat.internal_enabled", "notify.chat_message"],
                                 "user_ids": [1, 2]})
    assert plan and all("(tenant_id=? AND user_id=? AND name=?)" in step for step in plan if "setting_values" in step), plan
