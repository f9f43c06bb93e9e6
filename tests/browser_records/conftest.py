"""The app's browser fixtures (tests/browser/conftest.py), with a media folder of the test's own
for the recordings a record's page plays."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatserver.config import Config
from tests.browser.conftest import artifacts, browser, open_app  # noqa: F401 - the fixtures


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> Config:
    return Config(database_url=database_url, create_schema=False, rate_per_second=1000, rate_burst=2000,
                  media_dir=str(tmp_path / "media"), password_hashing="cheapest")
