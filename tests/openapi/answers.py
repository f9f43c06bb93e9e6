"""Calls a route as a client and checks its answer against /openapi.json's schema for it
(tests/openapi/test_answers*.py)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import jsonschema_rs

from chatserver.client import ChatClient
from tests.helpers import Server


class Answers:
    """Calls routes as a client and checks each answer against the document."""

    def __init__(self, server: Server, doc: dict[str, Any]) -> None:
        self.server = server
        self.doc = doc
        self.checked: set[str] = set()

    def schema(self, method: str, path: str, status: int) -> dict[str, Any]:
        path = path.split("?", 1)[0]
        for template, ops in self.doc["paths"].items():
            if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path) and method.lower() in ops:
                self.checked.add(f"{method} {template}")
                answer = ops[method.lower()]["responses"][str(status)]
                return dict(answer["content"]["application/json"]["schema"])
        raise AssertionError(f"{method} {path} is not in the document")

    async def call(self, who: ChatClient | None, method: str, path: str, body: Any = None,
                   headers: dict[str, str] | None = None) -> dict[str, Any]:
        headers = {**({"Authorization": f"Bearer {who.token}"} if who else {}), **(headers or {})}
        async with httpx.AsyncClient(base_url=self.server.url, headers=headers) as http:
            r = await http.request(method, path, json=body)
        return self.check(method, path, r)

    def check(self, method: str, path: str, r: httpx.Response) -> dict[str, Any]:
        """The answer to a request made otherwise (a file's bytes as the body)."""
        assert r.status_code < 300, (method, path, r.status_code, r.text)
        data = r.json()
        schema = self.schema(method, path, r.status_code)
        assert "properties" in schema, f"{method} {path}: the document does not describe its answer"
        # Every field sent is declared (an answer of {} declares none).
        assert set(data) <= set(schema["properties"]), (method, path, set(data) - set(schema["properties"]))
        errors = [str(e) for e in jsonschema_rs.validator_for(schema).iter_errors(data)]
        assert errors == [], (method, path, errors, data)
        return dict(data)
