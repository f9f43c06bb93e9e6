"""What a live-chat report costs: ``python -m bench.reportprobe URL [--chats N] [--days D]``.

Seeds a fresh database with one organisation's ``--chats`` chats over ``--days`` days
(a visitor's question, an operator's answer, a resolution, every other one rated; three
operators) and as many of another organisation's, so the tenant filter has something to
skip; then times the report's queries (per day and per operator) for the last 7, 30 and
366 days, ``--repeat`` times each, and prints the median wall and CPU milliseconds as JSON.

URL: ``sqlite`` (a fresh file in a temporary folder) or a PostgreSQL admin URL (a fresh
database ``reportprobe_<pid>`` is made there and dropped at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from bench.batchprobe import _admin  # the same admin connection for a fresh database
from chatserver import services
from chatserver.db.engine import make_engine, make_sessionmaker
from chatserver.db.migrate import upgrade
from chatserver.db.models import Tenant, User
from livechat.models import LiveConversation, LiveMessage, LiveOpening, LiveRating, Site, Visitor
from livechat.storage import reports

NOW = datetime(2026, 12, 7, tzinfo=UTC)


async def _organisation(s: Any, slug: str, chats: int, days: int, rng: random.Random) -> int:
    tenant = (await s.execute(insert(Tenant).values(slug=slug, name=slug, created_at=NOW).returning(Tenant.id))).scalar()
    site = (await s.execute(insert(Site).values(tenant_id=tenant, name=slug, origins=[], greeting={},
                                                created_at=NOW).returning(Site.id))).scalar()
    ops = [(await s.execute(insert(User).values(
        tenant_id=tenant, username=f"op{i}", display_name=f"Operator {i}", password_hash="!", role="user", event_epoch="bench",
        created_at=NOW).returning(User.id))).scalar() for i in range(3)]
    for start in range(0, chats, 1000):
        n = min(1000, chats - start)
        visitors = (await s.execute(insert(User).returning(User.id), [
            {"tenant_id": tenant, "username": f"v{start + i}", "display_name": "Visitor", "password_hash": "!",
             "role": "visitor", "event_epoch": "bench", "created_at": NOW} for i in range(n)])).scalars().all()
        await s.execute(insert(Visitor), [
            {"user_id": v, "tenant_id": tenant, "site_id": site, "created_at": NOW, "last_seen_at": NOW}
            for v in visitors])
        rows = []
        for v in visitors:
            opened = NOW - timedelta(seconds=rng.randint(0, days * 86400))
            rows.append((v, opened, opened + timedelta(seconds=rng.randint(10, 600)),
                         opened + timedelta(seconds=rng.randint(700, 3600)), rng.choice(ops)))
        convs = (await s.execute(insert(LiveConversation).returning(LiveConversation.id), [
            {"tenant_id": tenant, "site_id": site, "visitor_user_id": v, "state": "resolved", "operator_id": op,
             "created_at": o, "opened_at": o, "resolved_at": r, "last_message_at": a, "unread": 0}
            for v, o, a, r, op in rows])).scalars().all()
        await s.execute(insert(LiveMessage), [
            m for c, (v, o, a, _, op) in zip(convs, rows, strict=True) for m in (
                {"conversation_id": c, "sender": "visitor", "sender_user_id": v, "sender_name": "", "body": "?",
                 "created_at": o},
                {"conversation_id": c, "sender": "operator", "sender_user_id": op, "sender_name": "", "body": "!",
                 "created_at": a})])
        await s.execute(insert(LiveOpening), [
            {"tenant_id": tenant, "conversation_id": c, "opened_at": o, "resolved_at": r, "operator_id": op}
            for c, (_, o, _, r, op) in zip(convs, rows, strict=True)])
        await s.execute(insert(LiveRating), [
            {"tenant_id": tenant, "conversation_id": c, "operator_id": op, "score": rng.randint(1, 5), "comment": "",
             "created_at": r} for i, (c, (_, _, _, r, op)) in enumerate(zip(convs, rows, strict=True)) if i % 2])
    return int(tenant)


async def probe(url: str, chats: int, days: int, repeat: int) -> dict[str, Any]:
    await upgrade(url, services.schema())
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    rng = random.Random(14)
    async with sessions() as s, s.begin():
        tenant = await _organisation(s, "measured", chats, days, rng)
        await _organisation(s, "other", chats, days, rng)
    out: dict[str, Any] = {"database": engine.dialect.name, "chats": chats, "days": days}
    async with sessions() as s:
        assert (await s.execute(select(Tenant.id).where(Tenant.id == tenant))).scalar() == tenant
        for span in (7, 30, 366):
            today = NOW.replace(hour=0, minute=0, second=0, microsecond=0)
            bounds = [today - timedelta(days=span - 1 - i) for i in range(span + 1)]
            walls, cpus = [], []
            for _ in range(repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                daily = await reports.by_day(s, tenant, bounds, ZoneInfo("Europe/Amsterdam"))
                await reports.by_operator(s, tenant, bounds)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            out[f"{span}_days"] = {"chats_counted": sum(x.rows for x in daily.started.values()),
                                   "wall_ms": round(statistics.median(walls), 1),
                                   "process_cpu_ms": round(statistics.median(cpus), 1)}
    await engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.reportprobe", description=__doc__)
    ap.add_argument("url", help="'sqlite' or a PostgreSQL admin URL")
    ap.add_argument("--chats", type=int, default=20_000, help="chats of the measured organisation")
    ap.add_argument("--days", type=int, default=400, help="over how many days before now")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    if args.url == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            result = asyncio.run(probe(f"sqlite+aiosqlite:///{tmp}/probe.db", args.chats, args.days, args.repeat))
    else:
        name = f"reportprobe_{os.getpid()}"
        asyncio.run(_admin(args.url, f"CREATE DATABASE {name}"))
        try:
            result = asyncio.run(probe(args.url.rsplit("/", 1)[0] + "/" + name, args.chats, args.days, args.repeat))
        finally:
            asyncio.run(_admin(args.url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
