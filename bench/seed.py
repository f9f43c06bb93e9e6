"""Seed a hub database for the benchmark: one tenant, N users with tokens, contacts.

Run as ``python -m bench.seed URL USERS FANOUT PAIRS OUT.json``. Users are made with the
hub's own migrations and storage functions (the admin path, not REST: logging 10,000 users
in over REST costs an argon2 verify each). Every user gets the same password hash, made
once with cheap argon2 parameters; the hub verifies any argon2 hash by its own parameters.

Contacts: user 0 (the "star") has users 1..FANOUT as contacts (presence fan-out); pairs
(1,2), (3,4), ... up to PAIRS pairs are contacts of each other (one-to-one traffic).
The output lists user ids and tokens by index, and the contact lists the peers load.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta

from argon2 import PasswordHasher

from chatserver.clock import SystemClock
from chatserver.db.engine import make_engine, make_sessionmaker
from chatserver.db.migrate import upgrade
from chatserver.db.models import ContactRequest
from chatserver.storage import accounts


def contact_pairs(users: int, fanout: int, pairs: int) -> list[tuple[int, int]]:
    """Contact relations by user index; the same for the hub and for every peer."""
    out = [(0, i) for i in range(1, min(fanout, users - 1) + 1)]
    for p in range(pairs):
        a, b = 2 * p + 1, 2 * p + 2
        if b < users:
            out.append((a, b))
    return out


async def seed(url: str, users: int, fanout: int, pairs: int) -> dict[str, object]:
    await upgrade(url)
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
    await engine.dispose()
    return {"tenant": tenant.slug, "ids": ids, "tokens": tokens}


def main() -> None:
    url, users, fanout, pairs, out = sys.argv[1:6]
    result = asyncio.run(seed(url, int(users), int(fanout), int(pairs)))
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
