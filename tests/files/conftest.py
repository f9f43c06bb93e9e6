"""A server whose media directory is the test's own, with a small file limit."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from chatserver.config import Config
from tests.helpers import Server, running_server

LIMIT = 256 * 1024


@pytest.fixture
async def fserver(config: Config, tmp_path: Path) -> AsyncIterator[Server]:
    cfg = dataclasses.replace(config, media_dir=str(tmp_path / "media"), max_file_bytes=LIMIT,
                              max_image_pixels=4_000_000)
    async with running_server(cfg) as srv:
        yield srv
