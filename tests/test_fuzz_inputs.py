"""Property-based fuzzing of REST bodies, path ids and socket frames (hypothesis, bounded to a
few seconds): whatever arrives, the answer is never a 5xx or an ``internal`` error frame,
and the socket stays open. Values include what broke the server before: integers past 64
bits, lone surrogates, NUL characters, nesting, lists where text is expected.

The server runs in its own thread and event loop, so hypothesis drives it synchronously.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.sync.client import connect

from chatserver.config import Config
from chatserver.protocol.schema import MESSAGES
from tests.helpers import Server, befriend, make_tenant, make_user, running_server

_nasty_text = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["\ud800", "a\udc00b", "\x00", "nul\x00", "😀", "", " ", "online", "equals", "name"]),
)
_nasty_int = st.one_of(
    st.integers(min_value=-3, max_value=50),
    st.sampled_from([2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**23, 2**64]),
)
_scalar = st.one_of(st.none(), st.booleans(), _nasty_int, st.floats(allow_nan=False, allow_infinity=False),
                    _nasty_text)
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_nasty_text, inner,
                                                                                           max_size=3),
                      max_leaves=8)


def _body(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with the fields a route reads (each present or not, any value) and stray ones."""
    return st.fixed_dictionaries({}, optional={n: _value for n in names}).flatmap(
        lambda d: st.dictionaries(_nasty_text, _value, max_size=2).map(lambda extra: {**extra, **d}))


ROUTES: list[tuple[str, str, list[str]]] = [
    ("POST", "/api/messages", ["to", "body", "client_msg_id", "subject", "record_id"]),
    ("POST", "/api/contact-requests", ["user_id"]),
    ("POST", "/api/conversations", ["user_id"]),
    ("POST", "/api/conversations/{id}/read", ["message_id"]),
    ("PUT", "/api/status", ["status"]),
    ("POST", "/api/auth/login", ["tenant", "username", "password"]),
    ("POST", "/api/livechat/visit", ["site_id", "token", "url", "referrer", "language"]),
    ("POST", "/api/sms/messages", ["body", "recipients", "subscription_id", "send_at", "subject"]),
    ("POST", "/api/sms/dynamic-groups", ["name", "rules"]),
    ("POST", "/api/records", ["kind", "title", "person_id"]),
    ("PUT", "/api/settings/tenant/sms.default_sender", ["value"]),
]
PATHS = ["/api/conversations/{id}/messages", "/api/people/{id}", "/api/sms/messages/{id}",
         "/api/contact-requests/{id}/accept", "/api/sms/groups/{id}", "/api/livechat/conversations/{id}"]
_ids = st.one_of(_nasty_int.map(str), st.sampled_from(["abc", "1e3", "-0", "99999999999999999999999", "%00"]))


class _Background:
    """A real server on loopback in a thread of its own; ``run`` runs a coroutine there."""

    def __init__(self, config: Config) -> None:
        self._ready: Future[tuple[asyncio.AbstractEventLoop, Server]] = Future()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(config),), daemon=True)
        self._thread.start()
        self.loop, self.server = self._ready.result(timeout=60)

    async def _main(self, config: Config) -> None:
        self._stop = asyncio.Event()
        async with running_server(config) as server:
            self._ready.set_result((asyncio.get_running_loop(), server))
            await self._stop.wait()

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def close(self) -> None:
        assert self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=60)


@pytest.fixture
def background(config: Config) -> Iterator[_Background]:
    bg = _Background(config)
    try:
        yield bg
    finally:
        bg.close()


FUZZ = settings(max_examples=120, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def test_rest_never_answers_5xx(background: _Background) -> None:
    async def setup() -> tuple[str, int]:
        org = await make_tenant(background.server)
        key = await make_user(background.server, org, "Kees", role="key_user")
        other = await make_user(background.server, org, "Bram")
        await befriend(key, other)
        return key.token, other.user["id"]

    token, other_id = background.run(setup())
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=background.server.url, headers=headers, timeout=30) as http:

        @FUZZ
        @given(route=st.sampled_from(ROUTES).flatmap(lambda r: st.tuples(st.just(r), _body(r[2]))),
               path_id=_ids)
        def body_fuzz(route: tuple[tuple[str, str, list[str]], dict[str, Any]], path_id: str) -> None:
            (method, path, _), data = route
            r = http.request(method, path.replace("{id}", path_id), content=json.dumps(data))
            assert r.status_code < 500, (method, path, data, r.text)

        @FUZZ
        @given(path=st.sampled_from(PATHS), path_id=_ids, offset=_ids)
        def path_fuzz(path: str, path_id: str, offset: str) -> None:
            r = http.get(path.replace("{id}", path_id), params={"offset": offset, "limit": offset})
            assert r.status_code < 500, (path, path_id, r.text)

        body_fuzz()
        path_fuzz()
        # Still serving, and the valid thing works.
        assert http.post("/api/conversations", json={"user_id": other_id}).status_code == 200


def test_socket_frames_never_get_an_internal_error_nor_a_dropped_connection(background: _Background) -> None:
    async def setup() -> tuple[str, int]:
        org = await make_tenant(background.server)
        anna = await make_user(background.server, org, "Anna")
        bram = await make_user(background.server, org, "Bram")
        await befriend(anna, bram)
        return anna.token, bram.user["id"]

    token, bram_id = background.run(setup())
    url = background.server.url.replace("http", "ws", 1) + "/ws"
    with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        ws.send(json.dumps({"type": "hello", "id": "h"}))
        assert json.loads(ws.recv(timeout=30))["type"] == "ack"
        types = sorted(MESSAGES)
        frames = st.one_of(
            st.tuples(st.sampled_from(types), _nasty_text | _nasty_int).flatmap(
                lambda t: _body(list(MESSAGES[t[0]])).map(lambda d: {"type": t[0], "id": t[1], "data": d})),
            st.dictionaries(_nasty_text, _value, max_size=4),
        )

        @FUZZ
        @given(frame=frames)
        def frame_fuzz(frame: dict[str, Any]) -> None:
            ws.send(json.dumps(frame))
            # Every frame gets one reply (an ack or an error) before anything of later frames.
            while True:
                reply = json.loads(ws.recv(timeout=30))
                if reply["type"] in ("ack", "error"):
                    break
            if reply["type"] == "error":
                assert reply["error"]["code"] != "internal", (frame, reply)

        frame_fuzz()
        ws.send(json.dumps({"type": "chat.send", "id": "last",
                            "data": {"to": bram_id, "body": "nog steeds", "client_msg_id": "fz-last"}}))
        while (reply := json.loads(ws.recv(timeout=30)))["type"] != "ack":
            assert reply["type"] != "error", reply
