"""The database's schema is the core's and every feature's (chatserver.db.registry):
migrated to every head, the tables are exactly what the models declare, so alembic's
autogenerate finds nothing to add, and each feature's migrations are a branch of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from chatserver import services
from chatserver.db import registry
from chatserver.db.engine import make_engine
from chatserver.db.migrate import alembic_config
from chatserver.db.models import Base


def _differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def _heads(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


async def test_the_migrated_database_is_what_the_models_declare(database_url: str) -> None:
    schema = services.schema()
    schema.import_models()
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
            heads = await connection.run_sync(_heads)
    finally:
        await engine.dispose()
    assert differences == [], "tables the migrations and the models disagree on"
    # Every branch's newest revision is applied: no feature's branch was left out.
    assert heads == set(ScriptDirectory.from_config(alembic_config(database_url, schema)).get_heads())


@pytest.mark.dbindependent
def test_each_feature_brings_its_own_tables_and_migrations() -> None:
    schema = services.schema()
    for feature in services.features():
        assert feature.models and feature.migrations is not None, feature.name
        assert set(feature.models) <= set(schema.models)
        assert feature.migrations in schema.migrations and feature.migrations.is_dir()
    assert schema.models[: len(registry.CORE.models)] == registry.CORE.models
    # Every table that is declared is declared by a module the schema names.
    schema.import_models()
    declared = {m.class_.__module__ for m in Base.registry.mappers}
    assert declared <= set(schema.models), declared - set(schema.models)


@pytest.mark.dbindependent
def test_migrations_run_only_with_the_composition_roots_schema(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = alembic_config(f"sqlite:///{tmp_path / 'x.db'}", services.schema())
    bare = AlembicConfig()
    for key in ("script_location", "path_separator", "version_locations", "sqlalchemy.url"):
        bare.set_main_option(key, cfg.get_main_option(key) or "")
    with pytest.raises(RuntimeError, match="alembic_config"):
        command.upgrade(bare, "heads")
