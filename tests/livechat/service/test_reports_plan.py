"""The reports' SQL reads a date range through the indexes of migrations 0180 and 0190, on SQLite and
on PostgreSQL (with sequential scans switched off, since a planner rightly scans a tiny
test table whole: what is checked is that an index path exists for the range)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from chatserver.db.engine import make_engine, make_sessionmaker
from livechat.storage import reports

BOUNDS = [datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=i) for i in range(32)]
SOURCES = {
    "ix_livechat_openings_tenant_opened": "SELECT x.opened_at AS grp, x.first_s AS v FROM chats x",
    "ix_livechat_openings_tenant_resolved": "SELECT x.resolved_at AS grp, x.resolution_s AS v FROM resolved x",
    "ix_livechat_ratings_tenant_created": "SELECT x.created_at AS grp, x.score AS v FROM rated x",
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


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "Pacific/Auckland", "Australia/Lord_Howe", "UTC"])
async def test_an_instant_falls_on_its_local_day_across_summer_time(session, zone):
    """The day arithmetic against zoneinfo: a local midnight, midday and the last
    millisecond before the next midnight, on the days around both of the year's changes
    (Lord Howe moves by half an hour)."""
    tz = ZoneInfo(zone)
    first = date(2026, 1, 1)
    bounds = [datetime.combine(first + timedelta(days=i), time(0), tzinfo=tz).astimezone(UTC) for i in range(366)]
    q = reports._Query(session.get_bind().dialect.name, 1, bounds, tz)
    q.instants.append("t")
    sql = q._text(f"SELECT {q.day(':t')}")
    days = [i for i in range(365) if bounds[i + 1] - bounds[i] != timedelta(days=1)]
    for i in sorted({0, 364, *days, *(d - 1 for d in days), *(d + 1 for d in days)}):
        for at in (bounds[i], bounds[i] + (bounds[i + 1] - bounds[i]) / 2, bounds[i + 1] - timedelta(milliseconds=1)):
            got = (await session.execute(sql, {**q.params, "t": at})).scalar()
            assert got == i, (zone, at.astimezone(tz).isoformat(), got, i)
