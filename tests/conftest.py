"""Fixtures: one database per test run (SQLite, or PostgreSQL with CHATSERVER_TEST_DB=postgres).

Tests isolate themselves by creating their own tenants, so the schema is migrated
once per run and no test sees another's data.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from chatserver import services
from chatserver.client import ChatClient
from chatserver.config import Config
from chatserver.protocol import events
from tests.helpers import Server, running_server

# Property tests check what is generated, not how fast: on a loaded 2-core machine a draw
# can take over Hypothesis' 200 ms deadline or its one-second health check, and the test
# would fail for the machine's sake.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

PG_ADMIN_URL = os.environ.get("CHATSERVER_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_url(db: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{db}"


async def _pg(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    from chatserver.db.migrate import alembic_config

    backend = os.environ.get("CHATSERVER_TEST_DB", "sqlite")
    if backend == "postgres":
        name = f"cs_test_{uuid.uuid4().hex[:10]}"
        asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
        url = _pg_url(name)
        _migrate(url)
        yield url
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'test.db'}"
            _migrate(url)
            yield url
    del alembic_config


def _migrate(url: str) -> None:
    from alembic import command

    from chatserver.db.migrate import alembic_config

    command.upgrade(alembic_config(url, services.schema()), "heads")


@pytest.fixture
def config(database_url: str) -> Config:
    # The cheapest argon2: the suite creates and logs in thousands of users, each a standard
    # hash and verify (~0.4 s of CPU); tests/test_login_guard.py runs the standard cost.
    return Config(database_url=database_url, create_schema=False, rate_per_second=1000, rate_burst=2000,
                  password_hashing="cheapest")


@pytest.fixture
async def server(config: Config) -> AsyncIterator[Server]:
    async with running_server(config) as srv:
        yield srv


@pytest.fixture(scope="session")
def _features_declared() -> None:
    for feature in services.features():
        events.register(feature.events)


@pytest.fixture(autouse=True)
def event_contract(_features_declared: None) -> Iterator[list[str]]:
    """Every event a ChatClient receives during a test must fit the event contract
    (chatserver.protocol.events): an undeclared type or field fails the test."""
    found: list[str] = []
    ChatClient.event_check = lambda frame: found.extend(events.problems(frame))
    yield found
    ChatClient.event_check = None
    assert not found, "events that break the contract (chatserver/protocol/events.py):\n" + "\n".join(found)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under a ``browser*`` folder is a browser test (marker ``browser``): the
    screens do not depend on the database, so scripts/test.sh runs them on SQLite only."""
    for item in items:
        if any(part.startswith("browser") for part in item.path.parent.parts[-1:]):
            item.add_marker(pytest.mark.browser)
