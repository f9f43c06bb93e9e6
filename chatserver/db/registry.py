"""What a database holds: the modules that declare tables on
:class:`chatserver.db.models.Base` and the directories of the migrations that make them.

The core's own are here; each feature declares its own (``Feature.models``,
``Feature.migrations``) and the composition root (:func:`chatserver.services.schema`) puts
them together. The db layer names no feature.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = ["CORE", "Schema", "SchemaPart", "combine"]


class SchemaPart(Protocol):
    """What a feature (chatserver.features.Feature) declares of the database."""

    @property
    def models(self) -> Sequence[str]: ...

    @property
    def migrations(self) -> Path | None: ...


@dataclass(frozen=True)
class Schema:
    # Modules by name, imported when alembic looks at the tables (autogenerate sees only
    # the tables of imported modules).
    models: tuple[str, ...]
    # Each a branch of its own (alembic's version_locations); ``heads`` upgrades them all.
    migrations: tuple[Path, ...]

    def import_models(self) -> None:
        for name in self.models:
            importlib.import_module(name)


CORE = Schema(
    models=("chatserver.db.models", "chatserver.mail"),
    migrations=(Path(__file__).parent / "migrations" / "versions",),
)


def combine(core: Schema, parts: Iterable[SchemaPart]) -> Schema:
    """The core's schema and the features' parts, in the features' order."""
    models, migrations = list(core.models), list(core.migrations)
    for part in parts:
        models.extend(part.models)
        if part.migrations is not None:
            migrations.append(part.migrations)
    return Schema(models=tuple(models), migrations=tuple(migrations))
