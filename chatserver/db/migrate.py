"""Run the Alembic migrations programmatically (``chatserver migrate`` and at start-up)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

from chatserver.db.engine import normalise_url
from chatserver.db.registry import Schema

HERE = Path(__file__).parent


def alembic_config(url: str, schema: Schema) -> AlembicConfig:
    """Alembic's configuration for this database and schema (the composition root's
    :func:`chatserver.services.schema`: the core's and every feature's)."""
    cfg = AlembicConfig()
    # env.py imports the schema's model modules (autogenerate compares their tables).
    cfg.attributes["schema"] = schema
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    # Paths joined by the OS separator (alembic's default for version_locations): a
    # space in a path would split it otherwise.
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(d) for d in schema.migrations))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


async def upgrade(url: str, schema: Schema, revision: str = "heads") -> None:
    # "heads": each domain (hub, live chat, SMS) may keep its own branch of revisions.
    # Alembic's env.py runs its own event loop for the async engine: keep it off ours.
    await asyncio.to_thread(command.upgrade, alembic_config(url, schema), revision)
