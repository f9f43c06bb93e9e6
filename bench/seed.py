"""Seed a hub database for the benchmark: one tenant, N users with tokens, contacts.

Run as ``python -m bench.seed URL USERS FANOUT PAIRS OUT.json [HISTORY]``. Users are made with the
hub's own migrations and storage functions (the admin path, not REST: logging 10,000 users
in over REST costs an argon2 verify each). Every user gets the same password hash, made
once with cheap argon2 parameters; the hub verifies any argon2 hash by its own parameters.

Contacts: user 0 (the "star") has users 1..FANOUT as contacts (presence fan-out); pairs
(1,2), (3,4), ... up to PAIRS pairs are contacts of each other (one-to-one traffic).
HISTORY messages are stored before the run, spread over the pairs' conversations: a hub
in use has a history, and a lookup that grows with it must show in the figures.
The output lists user ids and tokens by index, and the contact lists the peers load.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver import services
from chatserver.clock import SystemClock
from chatserver.db.engine import make_engine, make_sessionmaker
from chatserver.db.migrate import upgrade
from chatserver.db.models import ContactRequest, Message
from chatserver.storage import accounts, chat


def contact_pairs(users: int, fanout: int, pairs: int) -> list[tuple[int, int]]:
    """Contact relations by user index; the same for the hub and for every peer."""
    out = [(0, i) for i in range(1, min(fanout, users - 1) + 1)]
    for p in range(pairs):
        a, b = 2 * p + 1, 2 * p + 2
        if b < users:
            out.append((a, b))
    return out


async def seed(url: str, users: int, fanout: int, pairs: int, history: int = 0) -> dict[str, object]:
    await upgrade(url, services.schema())
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    now = SystemClock().now()
    pw_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("bench-password")
    ids: list[int] = []
    tokens: list[str] = []
    async with sessions() as s, s.begin():
        tenant = await accounts.create_tenant(s, f"bench-{now.timestamp():.0f}", "Bench", now)
        for i in range(users):
            user = await accounts.create_user(
                s, tenant.id, username=f"u{i}", display_name=f"User {i}", password_hash=pw_hash, now=now
            )
            ids.append(user.id)
            tokens.append(await accounts.issue_token(s, user.id, now, timedelta(days=1)))
        for a, b in contact_pairs(users, fanout, pairs):
            s.add(ContactRequest(from_user_id=ids[a], to_user_id=ids[b], status="accepted", created_at=now,
                                 responded_at=now))
        await s.flush()
        if history:
            await _history(s, [(ids[a], ids[b]) for a, b in contact_pairs(users, 0, pairs)], history, now)
    await engine.dispose()
    return {"tenant": tenant.slug, "ids": ids, "tokens": tokens}


async def _history(s: AsyncSession, pairs: list[tuple[int, int]], count: int, now: datetime) -> None:
    """``count`` messages, taking turns over the pairs and their two directions."""
    convs = [(await chat.get_or_create_conversation(s, a, b, now)).id for a, b in pairs]
    conn = await s.connection()
    for start in range(0, count, 5000):
        rows = []
        for i in range(start, min(count, start + 5000)):
            k = i % len(pairs)
            rows.append({"conversation_id": convs[k], "sender_id": pairs[k][i // len(pairs) % 2],
                         "client_msg_id": f"history-{i}", "body": f"an earlier message ({i})", "subject": "",
                         "record_id": None, "created_at": now})
        await conn.execute(insert(Message), rows)


def main() -> None:
    url, users, fanout, pairs, out = sys.argv[1:6]
    history = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    result = asyncio.run(seed(url, int(users), int(fanout), int(pairs), history))
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
