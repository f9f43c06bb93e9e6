"""The answers checker every test_answers*.py here takes, given the served document."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import Server
from tests.openapi.answers import Answers


@pytest.fixture
async def answers(server: Server) -> Answers:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return Answers(server, (await http.get("/openapi.json")).json())
