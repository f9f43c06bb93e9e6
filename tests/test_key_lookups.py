"""The send batch's lookups on SQLite search the unique index once per key.

Each send batch asks which (sender, client_msg_id) are stored already, which pairs are
contacts and which conversations exist. Written as a row-value ``IN (VALUES ...)``,
SQLite scanned the whole index instead: a cost that grew with every message ever
stored (23 ms per batch at 200,000 messages; docs/benchmarks.md, step 18). The plan is
what a user would feel as history grows, so the plan is what is checked here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.sql import Executable

from chatserver.db.engine import make_engine
from chatserver.db.migrate import upgrade
from chatserver.storage import chat, contacts, events, settings
from chatserver.storage.keylist import keys_param


async def _plan(url: str, stmt: Executable, params: dict[str, Any]) -> list[str]:
    engine = make_engine(url)
    try:
        state = stmt.compile(dialect=engine.dialect).construct_expanded_state(params)
        async with engine.connect() as conn:
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + state.statement, tuple(state.positional_parameters))
            return [str(r[3]) for r in rows]
    finally:
        await engine.dispose()


async def test_each_key_is_searched_in_the_unique_index_not_the_table_scanned(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    await upgrade(url)
    cases = [
        (chat._MESSAGES_BY_KEY_SQLITE, [(1, "a"), (2, "b")], "messages"),
        (chat._CONVERSATIONS_BY_PAIR_SQLITE, [(1, 2), (3, 4)], "conversations"),
        (contacts._ACCEPTED_PAIRS_SQLITE, [(1, 2), (2, 1)], "contact_requests"),
    ]
    updates = [  # each row moved on by its own amount and read back: UPDATE ... FROM the list
        (events._BUMP_SEQ_SQLITE, "counts", [(1, 2), (3, 1)], "users"),
        (chat._BUMP_UNREAD_SQLITE, "adds", [(1, 2, 1), (1, 3, 2)], "conversation_members"),
    ]
    for stmt, name, keys, table in [(st, "keys", k, t) for st, k, t in cases] + updates:
        plan = await _plan(url, stmt, {name: keys_param(keys)})
        on_table = [step for step in plan if f" {table} " in f"{step} "]
        assert on_table and all(step.startswith("SEARCH") for step in on_table), (table, plan)


async def test_a_setting_for_some_users_reads_their_values_not_the_whole_tenants(tmp_path: Path) -> None:
    """Every send batch reads two settings for its senders and recipients."""
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    await upgrade(url)
    plan = await _plan(url, settings._SOME_SETTINGS,
                       {"tenant_id": 1, "names": ["chat.internal_enabled", "notify.chat_message"], "user_ids": [1, 2]})
    assert plan and all("(tenant_id=? AND user_id=? AND name=?)" in step for step in plan if "setting_values" in step), plan
