"""An async Python client for the hub: REST login and a WebSocket that never loses an event.

    client = await ChatClient.login("http://127.0.0.1:8000", "demo", "anna", "demo-password")
    await client.connect()
    await client.send_message(to=2, body="Hello")
    event = await client.next_event("chat.message")
    await client.close()

The client remembers the last durable ``seq`` it saw; with ``reconnect=True`` it
reconnects after a drop and the server replays exactly what it missed. Events are
deduplicated by ``seq``, so every durable event is handed out once, in order; the one
exception is your own ``chat.message`` for a send, which rides on its ack and is handed
out when the ack comes, after any later events that came first (docs/protocol.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import httpx
import msgpack
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

__all__ = ["ChatClient", "ClientError"]


class ClientError(Exception):
    """The server answered a request with an error frame or an error status."""

    def __init__(self, code: str, message: str, status: int | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}  # what the error names (a field, a time)


EventListener = Callable[[dict[str, Any]], None]


class ChatClient:
    # Called with every event frame this process's clients receive, before it is queued:
    # the test suite checks each against the event contract (chatserver.protocol.events).
    event_check: ClassVar[EventListener | None] = None

    def __init__(self, base_url: str, token: str, *, fmt: str = "json", reconnect: bool = False) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.format = fmt
        self.reconnect = reconnect
        self.user: dict[str, Any] = {}
        self.last_seq: int | None = None
        self.epoch: str | None = None
        self.hello: dict[str, Any] = {}
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.close_code: int | None = None
        self.reconnects = 0
        self._ws: ClientConnection | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._sends: set[str] = set()  # ids of the chat.send requests waiting for their ack
        self._reader: asyncio.Task[None] | None = None
        self._closing = False
        self._connected = asyncio.Event()
        # Called with each event as it arrives (after dedupe, before it is queued).
        self.listeners: list[EventListener] = []
        self._http = httpx.AsyncClient(base_url=self.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    # --- REST -----------------------------------------------------------------------

    @classmethod
    async def login(
        cls, base_url: str, tenant: str, username: str, password: str, **kwargs: Any
    ) -> ChatClient:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            r = await http.post("/api/auth/login", json={"tenant": tenant, "username": username, "password": password})
        if r.status_code != 200:
            err = r.json().get("error", {})
            raise ClientError(err.get("code", "http"), err.get("message", r.text), r.status_code)
        body = r.json()
        client = cls(base_url, body["token"], **kwargs)
        client.user = body["user"]
        return client

    async def rest(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        r = await self._http.request(method, path, json=body, params=params or None)
        data = r.json() if r.content else {}
        if r.status_code >= 400:
            err = data.get("error", {}) if isinstance(data, dict) else {}
            raise ClientError(err.get("code", "http"), err.get("message", r.text), r.status_code)
        return data

    # --- WebSocket ------------------------------------------------------------------

    @property
    def ws_url(self) -> str:
        return "ws" + self.base_url[len("http") :] + "/ws"

    async def connect(self) -> dict[str, Any]:
        """Open the socket and say hello; returns the hello ack (``resumed``, ``resync``...)."""
        self._closing = False
        await self._open()
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read_loop())
        return await self._say_hello()

    async def _open(self) -> None:
        subprotocol = f"chatserver.v1.{self.format}"
        self._ws = await websockets.connect(
            self.ws_url,
            subprotocols=[Subprotocol(subprotocol)],
            additional_headers={"Authorization": f"Bearer {self.token}"},
            max_size=None,
            open_timeout=10,
        )
        self._connected.set()

    async def _say_hello(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.last_seq is not None:
            data = {"last_seq": self.last_seq, "epoch": self.epoch}
        self.hello = await self.request("hello", data)
        self.epoch = self.hello["epoch"]
        if self.last_seq is None or not self.hello["resumed"]:
            # Fresh start or resync: live from the server's current position.
            self.last_seq = self.hello["seq"]
        return self.hello

    def _encode(self, frame: dict[str, Any]) -> str | bytes:
        if self.format == "json":
            return json.dumps(frame)
        # Annotated, not ignored: msgpack ships no types today, and an ignore would fail the
        # strict check on the day it does.
        packed: bytes = msgpack.packb(frame, use_bin_type=True)
        return packed

    async def send_raw(self, payload: str | bytes) -> None:
        assert self._ws is not None
        await self._ws.send(payload)

    async def request(self, type_: str, data: dict[str, Any] | None = None, *, timeout: float = 30) -> dict[str, Any]:
        """Send one message and wait for its ack; raise ClientError on an error reply."""
        msg_id = f"c{next(self._ids)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        if type_ == "chat.send":
            self._sends.add(msg_id)
        try:
            await self._connected.wait()
            assert self._ws is not None
            await self._ws.send(self._encode({"type": type_, "id": msg_id, "data": data or {}}))
            return await asyncio.wait_for(future, timeout)
        finally:
            self._pending.pop(msg_id, None)
            self._sends.discard(msg_id)

    async def pipeline(self, requests: list[tuple[str, dict[str, Any]]], *,
                       timeout: float = 30) -> list[dict[str, Any] | ClientError]:
        """Send every request at once, in order, without waiting for answers (the server
        reads on while earlier sends wait for their batch: docs/protocol.md, "Pipelining");
        then each one's answer in the order sent: its data, or the ClientError."""
        ids = [f"c{next(self._ids)}" for _ in requests]
        futures: list[asyncio.Future[dict[str, Any]]] = []
        for msg_id, (type_, _) in zip(ids, requests, strict=True):
            futures.append(asyncio.get_running_loop().create_future())
            self._pending[msg_id] = futures[-1]
            if type_ == "chat.send":
                self._sends.add(msg_id)
        try:
            await self._connected.wait()
            assert self._ws is not None
            for msg_id, (type_, data) in zip(ids, requests, strict=True):
                await self._ws.send(self._encode({"type": type_, "id": msg_id, "data": data}))
            async with asyncio.timeout(timeout):
                answers = await asyncio.gather(*futures, return_exceptions=True)
        finally:
            for msg_id in ids:
                self._pending.pop(msg_id, None)
                self._sends.discard(msg_id)
        out: list[dict[str, Any] | ClientError] = []
        for answer in answers:
            if isinstance(answer, BaseException) and not isinstance(answer, ClientError):
                raise answer
            out.append(answer)
        return out

    def _own_event(self, ack: dict[str, Any]) -> None:
        """A chat.send ack with ``seq`` is also the sender's own chat.message event, which
        this connection does not get separately. It is handed out even if later events came
        first (it was never sent otherwise); the stream position only moves forward."""
        seq = ack["seq"]
        if self.last_seq is None or seq > self.last_seq:
            self.last_seq = seq
        self.events.put_nowait({"type": "chat.message", "seq": seq, "data": ack, "from_ack": True})

    async def send_message(self, to: int, body: str, *, client_msg_id: str | None = None, **extra: Any) -> dict[str, Any]:
        return await self.request(
            "chat.send", {"to": to, "body": body, "client_msg_id": client_msg_id or uuid.uuid4().hex, **extra}
        )

    async def set_status(self, status: str) -> dict[str, Any]:
        return await self.request("presence.set", {"status": status})

    async def next_event(self, type_: str | None = None, *, timeout: float = 10) -> dict[str, Any]:
        """The next event (of ``type_``, skipping others)."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.events.get()
                if type_ is None or frame["type"] == type_:
                    return frame

    async def iter_events(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            yield await self.events.get()

    async def _read_loop(self) -> None:
        while True:
            ws = self._ws
            assert ws is not None
            try:
                async for raw in ws:
                    frame = json.loads(raw) if isinstance(raw, str) else msgpack.unpackb(raw, raw=False)
                    self._handle(frame)
            except ConnectionClosed:
                pass
            self.close_code = ws.close_code
            self._connected.clear()
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(ClientError("disconnected", f"connection closed ({ws.close_code})"))
            if self._closing or not self.reconnect:
                await self.events.put({"type": "_closed", "data": {"code": ws.close_code}})
                return
            await self._reconnect()

    async def _reconnect(self) -> None:
        delay = 0.05
        while not self._closing:
            try:
                await self._open()
                self.reconnects += 1
                asyncio.get_running_loop().create_task(self._hello_after_reconnect())
                return
            except (TimeoutError, OSError, websockets.InvalidHandshake):
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    async def _hello_after_reconnect(self) -> None:
        with contextlib.suppress(ClientError, asyncio.TimeoutError):
            await self._say_hello()

    def _handle(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind in ("ack", "error"):
            future = self._pending.get(frame.get("id") or "")
            if future is not None and not future.done():
                if kind == "ack":
                    data = frame.get("data") or {}
                    if frame.get("id") in self._sends and data.get("seq") is not None:
                        self._own_event(data)
                    future.set_result(data)
                else:
                    err = frame.get("error") or {}
                    future.set_exception(ClientError(err.get("code", "error"), err.get("message", ""), details=err.get("details")))
            elif kind == "error":
                self.events.put_nowait(frame)
            return
        seq = frame.get("seq")
        if seq is not None:
            if self.last_seq is not None and seq <= self.last_seq:
                return  # already seen: a replay overlapping live delivery
            self.last_seq = seq
        if ChatClient.event_check is not None:
            ChatClient.event_check(frame)
        for listener in self.listeners:
            listener(frame)
        self.events.put_nowait(frame)

    async def drop(self) -> None:
        """Break the connection abruptly (tests: simulate a network drop)."""
        if self._ws is not None and self._ws.transport is not None:
            self._ws.transport.abort()

    async def close(self) -> None:
        """Close the socket and the HTTP client; safe to call twice."""
        self._closing = True
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 5)
        if not self._http.is_closed:
            await self._http.aclose()
