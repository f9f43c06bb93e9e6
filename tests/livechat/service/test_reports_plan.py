"""The reports' SQL reads a date range through the indexes of migrations 0180 and 0190, on SQLite and
on PostgreSQL (with sequential scans switched off, since a planner rightly scans a tiny
test table whole: what is checked is that an index path exists for the range)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from chatserver.db.engine import make_engine, make_sessionmaker
from livechat.storage import reports

BOUNDS = [datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=i) for i in range(32)]
SOURCES = {
    "ix_livechat_openings_tenant_opened": "SELECT d.day AS grp, x.first_s AS v FROM chats x "
                                               + reports._day("x.opened_at"),
    "ix_livechat_openings_tenant_resolved": "SELECT d.day AS grp, x.resolution_s AS v FROM resolved x "
                                                 + reports._day("x.resolved_at"),
    "ix_livechat_ratings_tenant_created": "SELECT d.day AS grp, x.score AS v FROM rated x "
                                          + reports._day("x.created_at"),
}


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[Any]:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as s:
        yield s
    await engine.dispose()


@pytest.mark.parametrize("index", sorted(SOURCES))
async def test_a_date_range_is_read_through_its_index(session, index):
    dialect = session.get_bind().dialect.name
    q = reports._Query(dialect, 1, BOUNDS)
    sql = f"WITH {q.ctes}, src AS ({SOURCES[index]}) SELECT * FROM src"
    if dialect == "sqlite":
        plan = [row[-1] for row in (await session.execute(q._text("EXPLAIN QUERY PLAN " + sql), q.params)).all()]
    else:
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = [row[0] for row in (await session.execute(q._text("EXPLAIN " + sql), q.params)).all()]
    assert any(index in line for line in plan), "\n".join(plan)
    # The messages of each chat through their conversation's index, never a scan of all.
    if "opened" in index:
        assert any("ix_livechat_messages_conversation_id_id" in line for line in plan), "\n".join(plan)
