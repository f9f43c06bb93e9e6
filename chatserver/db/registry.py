"""Every module that declares tables on :class:`chatserver.db.models.Base`.

Alembic's autogenerate sees only the tables of imported modules: a domain that adds
models (live chat, SMS, signaling) lists its module here.
"""

from __future__ import annotations

import importlib

MODEL_MODULES: list[str] = [
    "chatserver.db.models",
    "chatserver.db.models_livechat",
    "chatserver.db.models_sms",
    "chatserver.db.models_sms_gateway",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
