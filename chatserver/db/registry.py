"""Every module that declares tables on :class:`chatserver.db.models.Base`.

Alembic's autogenerate sees only the tables of imported modules: a domain that adds
models (live chat, SMS, signaling) lists its module here.
"""

from __future__ import annotations

import importlib
from pathlib import Path

MODEL_MODULES: list[str] = [
    "chatserver.db.models",
    "livechat.models",
    "sms.models",
    "sms.gateways.models",
    "chatserver.mail",
    "chatserver.webhooks.models",
    "chatserver.files.models",
    "signaling.models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)


# Feature packages keep their migrations beside their models, as a branch of their own
# (alembic's version_locations; ``chatserver migrate`` upgrades every head).
MIGRATION_PACKAGES: list[str] = ["livechat", "signaling", "sms", "chatserver.webhooks", "chatserver.files"]


def migration_dirs() -> list[Path]:
    dirs = [Path(__file__).parent / "migrations" / "versions"]
    for name in MIGRATION_PACKAGES:
        module = importlib.import_module(name)
        assert module.__file__ is not None
        dirs.append(Path(module.__file__).parent / "migrations")
    return dirs
