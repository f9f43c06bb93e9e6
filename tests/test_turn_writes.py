"""Frames written without waiting (ws_protocol.send_now) leave at the end of the event
loop's turn, one write per socket, or sooner when many sockets have frames waiting
(ws_protocol.TurnWrites): a status change to a thousand contacts must not hold the first
recipient's frame until the loop has written to all the others (docs/benchmarks.md, step 44).

The server here is uvicorn with the hub's own socket settings and a small ASGI app, in a
thread of its own: its loop can then be held on purpose while the test's clients read."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
import websockets

from chatserver.config import Config
from chatserver.ws_protocol import SEND_NOW, TurnWrites, uvicorn_options

pytestmark = pytest.mark.dbindependent
FRAMES = ("1", "2", "3")
SOCKETS = TurnWrites.CHUNK * 2 + 22  # two whole chunks and a rest written at the turn's end


class FanOut:
    """An ASGI app: on "go" from any socket, every socket gets FRAMES by send_now in the
    same turn; the turn then waits (blocking the loop's thread) until the test says the
    first socket has read its frames, or 5 s."""

    def __init__(self) -> None:
        self.senders: list[Any] = []
        self.first_read = threading.Event()
        self.seen_while_turn_ran: list[bool] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        self.senders.append(scope["extensions"][SEND_NOW])
        while (message := await receive())["type"] != "websocket.disconnect":
            if message.get("text") == "go":
                for send_now in self.senders:
                    for frame in FRAMES:
                        assert send_now(frame)
                # Held on purpose: nothing else runs on this loop until the first socket read.
                self.seen_while_turn_ran.append(self.first_read.wait(5))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(app: FanOut, config: Config) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                                           **uvicorn_options(config)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)
    try:
        yield f"ws://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


async def test_a_fan_out_reaches_the_first_sockets_before_its_turn_ends_and_every_socket_in_order() -> None:
    app = FanOut()
    with _serving(app, Config.from_env()) as url:
        clients = [await websockets.connect(url) for _ in range(SOCKETS)]
        try:
            async def read(i: int) -> list[str]:
                got = [str(await clients[i].recv()) for _ in FRAMES]
                if i == 0:
                    app.first_read.set()
                return got

            async with asyncio.timeout(30):
                await clients[-1].send("go")
                received = await asyncio.gather(*(read(i) for i in range(SOCKETS)))
        finally:
            await asyncio.gather(*(c.close() for c in clients))
    assert received == [list(FRAMES)] * SOCKETS
    # The first socket read its frames while the server's turn still ran: they were
    # written when the first chunk of sockets was full, not at the end of the turn.
    assert app.seen_while_turn_ran == [True]
