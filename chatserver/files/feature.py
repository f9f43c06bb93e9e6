"""Files as a feature of the hub (chatserver.features): its routes, its disk and its links."""

from __future__ import annotations

from pathlib import Path

from chatserver.actions.context import Services
from chatserver.features import Feature
from chatserver.files import api
from chatserver.files.access import FileAccess
from chatserver.files.actions import in_chat
from chatserver.files.blobs import BlobStore
from chatserver.files.links import FileLinks

__all__ = ["FEATURE"]


def _setup(svc: Services) -> None:
    svc.get(FileAccess).register("conversation_id", in_chat)
    svc.provide(BlobStore(svc.config.media_dir))
    svc.provide(FileLinks.from_secret(svc.config.secret_key, svc.config.media_link_seconds))


FEATURE = Feature(name="files", routes=api.routes, setup=_setup, models=("chatserver.files.models",),
                  migrations=Path(__file__).parent / "migrations")
