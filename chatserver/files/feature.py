"""Files as a feature of the hub (chatserver.features): its routes, its disk, its tables.

Its links are signed by the core's signer (chatserver.signed_links, provided by
chatserver.services.build)."""

from __future__ import annotations

from pathlib import Path

from chatserver.actions.context import Services
from chatserver.features import Feature
from chatserver.files import api
from chatserver.files.access import FileAccess
from chatserver.files.actions import in_chat
from chatserver.files.blobs import BlobStore

__all__ = ["FEATURE"]


def _setup(svc: Services) -> None:
    svc.get(FileAccess).register("conversation_id", in_chat)
    svc.provide(BlobStore(svc.config.media_dir))


FEATURE = Feature(name="files", routes=api.routes, setup=_setup, models=("chatserver.files.models",),
                  migrations=Path(__file__).parent / "migrations")
