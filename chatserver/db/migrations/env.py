"""Alembic environment: migrations run on the async engine of the configured URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from chatserver.db.engine import make_engine
from chatserver.db.models import Base
from chatserver.db.registry import Schema

# Given by chatserver.db.migrate.alembic_config: the core's and the features' models.
schema = context.config.attributes.get("schema")
if not isinstance(schema, Schema):
    raise RuntimeError("run the migrations through chatserver.db.migrate.alembic_config (chatserver migrate)")
schema.import_models()

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _main() -> None:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


asyncio.run(_main())
