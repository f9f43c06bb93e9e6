"""Client side of each server's protocol, on the ``websockets`` client, for the load generator.

One class per protocol with the same small surface: ``connect()``, ``send(to, cid, body)``,
``presence(status)``, ``abort()`` and ``close()``; what arrives goes to the callbacks
``on_msg(client, from_uid, cid, body)``, ``on_presence(client, user, status)`` and
``on_ack(client, cid)``. Source addresses rotate over 127.0.0.2-127.0.0.9 so that no one
(source, destination) pair runs out of ephemeral ports.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect

SOURCES = [f"127.0.0.{i}" for i in range(2, 10)]
_source = itertools.cycle(SOURCES)

Callback = Callable[..., None]


# BENCH_WS_COMPRESSION=deflate: offer permessage-deflate as browsers do (bench.memprobe
# --offer-deflate); by default none, so a server's compression setting costs nothing here.
_COMPRESSION = "deflate" if os.environ.get("BENCH_WS_COMPRESSION") == "deflate" else None


def _nop(*_: Any) -> None:
    return None


class Client:
    """Base: one WebSocket, one reader task; subclasses speak the protocol."""

    path = "/ws"
    subprotocols: list[str] | None = None

    def __init__(self, base: str, idx: int, uid: int, token: str = "") -> None:
        self.base, self.idx, self.uid, self.token = base, idx, uid, token
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None
        self.on_msg: Callback = _nop
        self.on_presence: Callback = _nop
        self.on_ack: Callback = _nop
        self.errors: dict[str, int] = {}
        self.connected = False

    def url(self) -> str:
        return self.base + self.path

    async def connect(self) -> None:
        self.ws = await connect(
            self.url(), subprotocols=self.subprotocols, local_addr=(next(_source), 0),  # type: ignore[arg-type]
            ping_interval=None, compression=_COMPRESSION, open_timeout=60, max_queue=None, close_timeout=1,
        )
        await self.handshake()
        self.connected = True
        self.reader = asyncio.create_task(self._read())

    async def handshake(self) -> None:
        return None

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                self.handle(raw)
        except Exception:  # noqa: BLE001 - a dropped connection ends its reader
            pass
        finally:
            self.connected = False

    def handle(self, raw: str | bytes) -> None:
        raise NotImplementedError

    async def _write(self, frame: str) -> None:
        assert self.ws is not None
        await self.ws.send(frame)

    async def send(self, to: int, cid: str, body: str) -> None:
        raise NotImplementedError

    async def presence(self, status: str) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        """Drop the connection at once, as a network failure would (no close frame)."""
        self.connected = False
        if self.ws is not None:
            self.ws.transport.abort()
        if self.reader is not None:
            self.reader.cancel()

    async def close(self) -> None:
        self.connected = False
        if self.reader is not None:
            self.reader.cancel()
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 1)
            except Exception:  # noqa: BLE001
                self.ws.transport.abort()


class HubClient(Client):
    """The hub: token, ``hello`` with last seq and epoch, durable events deduplicated by seq."""

    subprotocols = ["chatserver.v1.json"]

    def __init__(self, base: str, idx: int, uid: int, token: str = "") -> None:
        super().__init__(base, idx, uid, token)
        self.last_seq: int | None = None
        self.epoch: str | None = None
        self.seq_dups = 0  # replayed overlap the protocol tells clients to drop
        self._hello: asyncio.Future[dict[str, Any]] | None = None

    def url(self) -> str:
        return f"{self.base}/ws?token={self.token}"

    async def handshake(self) -> None:
        assert self.ws is not None
        data: dict[str, Any] = {}
        if self.last_seq is not None:
            data = {"last_seq": self.last_seq, "epoch": self.epoch}
        await self.ws.send(orjson.dumps({"type": "hello", "id": "hello", "data": data}).decode())
        # Events may come before the ack only for a resumed stream after it; read until the ack.
        while True:
            frame = orjson.loads(await asyncio.wait_for(self.ws.recv(), 60))
            if frame.get("type") == "ack" and frame.get("id") == "hello":
                ack = frame["data"]
                self.epoch = ack["epoch"]
                if self.last_seq is None or not ack.get("resumed"):
                    self.last_seq = ack["seq"]
                return
            self.handle(frame)

    def handle(self, raw: str | bytes | dict[str, Any]) -> None:
        frame = raw if isinstance(raw, dict) else orjson.loads(raw)
        kind = frame.get("type")
        seq = frame.get("seq")
        if seq is not None:
            if self.last_seq is not None and seq <= self.last_seq:
                self.seq_dups += 1
                return
            self.last_seq = seq
        if kind == "chat.message":
            msg = frame["data"]["message"]
            if msg["sender_id"] != self.uid:
                self.on_msg(self, msg["sender_id"], msg["client_msg_id"], msg["body"])
        elif kind == "ack":
            # A chat.send ack with a seq stands for our own chat.message event (docs/protocol.md).
            own = (frame.get("data") or {}).get("seq")
            if own is not None and (self.last_seq is None or own > self.last_seq):
                self.last_seq = own
            self.on_ack(self, frame.get("id"))
        elif kind == "presence.changed":
            data = frame["data"]
            self.on_presence(self, data["user_id"], data["status"])
        elif kind == "error":
            code = frame["error"]["code"]
            self.errors[code] = self.errors.get(code, 0) + 1

    async def send(self, to: int, cid: str, body: str) -> None:
        await self._write(orjson.dumps(
            {"type": "chat.send", "id": cid, "data": {"to": to, "body": body, "client_msg_id": cid}}
        ).decode())

    async def presence(self, status: str) -> None:
        await self._write(orjson.dumps({"type": "presence.set", "id": "p", "data": {"status": status}}).decode())


class RelayClient(Client):
    """``bench.peers.ws_relay`` and ``bench.peers.channels_app``: plain JSON frames."""

    def url(self) -> str:
        return f"{self.base}/ws?uid={self.uid}"

    def handle(self, raw: str | bytes) -> None:
        frame = orjson.loads(raw)
        kind = frame["type"]
        if kind == "msg":
            self.on_msg(self, frame["from"], frame["cid"], frame["body"])
        elif kind == "ack":
            self.on_ack(self, frame["cid"])
        elif kind == "presence":
            self.on_presence(self, frame["user"], frame["status"])

    async def send(self, to: int, cid: str, body: str) -> None:
        await self._write(orjson.dumps({"type": "send", "to": to, "cid": cid, "body": body}).decode())

    async def presence(self, status: str) -> None:
        await self._write(orjson.dumps({"type": "presence", "status": status, "cid": "p"}).decode())


class SocketIOClient(Client):
    """Socket.IO v5 over Engine.IO v4, WebSocket transport only, spoken by hand."""

    path = "/socket.io/?EIO=4&transport=websocket"

    def __init__(self, base: str, idx: int, uid: int, token: str = "") -> None:
        super().__init__(base, idx, uid, token)
        self._ack_ids = itertools.count(1)
        self._acks: dict[int, str] = {}

    async def handshake(self) -> None:
        assert self.ws is not None
        opened = await asyncio.wait_for(self.ws.recv(), 60)
        assert str(opened).startswith("0"), opened
        await self.ws.send("40" + orjson.dumps({"uid": self.uid}).decode())
        while True:
            reply = str(await asyncio.wait_for(self.ws.recv(), 60))
            if reply.startswith("40"):
                return
            if reply.startswith("44"):
                raise ConnectionError(reply)

    def handle(self, raw: str | bytes) -> None:
        text = raw if isinstance(raw, str) else raw.decode()
        if text == "2":
            asyncio.ensure_future(self._write("3"))
        elif text.startswith("42"):
            name, data = orjson.loads(text[2:])
            if name == "msg":
                self.on_msg(self, data["from"], data["cid"], data["body"])
            elif name == "presence":
                self.on_presence(self, data["user"], data["status"])
        elif text.startswith("43"):
            i = 2
            while text[i].isdigit():
                i += 1
            cid = self._acks.pop(int(text[2:i]), None)
            self.on_ack(self, cid)

    async def _emit(self, name: str, data: dict[str, Any], cid: str) -> None:
        ack_id = next(self._ack_ids)
        self._acks[ack_id] = cid
        await self._write(f"42{ack_id}" + orjson.dumps([name, data]).decode())

    async def send(self, to: int, cid: str, body: str) -> None:
        await self._emit("send", {"to": to, "cid": cid, "body": body}, cid)

    async def presence(self, status: str) -> None:
        await self._emit("presence", {"status": status}, "p")


KINDS: dict[str, type[Client]] = {
    "hub": HubClient,
    "relay": RelayClient,
    "channels": RelayClient,
    "socketio": SocketIOClient,
}
