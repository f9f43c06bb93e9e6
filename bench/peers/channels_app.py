"""Django Channels with channels_redis under uvicorn: the relay as a JSON consumer.

``python -m bench.peers.channels_app PORT`` with ``BENCH_REDIS`` naming the Redis the
channel layer uses (``RedisPubSubChannelLayer``). Each connection joins group ``u<uid>``;
``send`` is a ``group_send`` to ``u<to>``, ``presence`` one ``group_send`` per subscriber.
Same frames as ``ws_relay``. No persistence, no auth, no replay.
"""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import parse_qs

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench",
    INSTALLED_APPS=["channels"],
    CHANNEL_LAYERS={
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")]},
        }
    },
    ALLOWED_HOSTS=["*"],
)
django.setup()

import uvicorn  # noqa: E402
from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from bench.peers import load_subscribers  # noqa: E402

SUBS = load_subscribers()


class Relay(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        self.uid = int(parse_qs(self.scope["query_string"].decode())["uid"][0])
        await self.channel_layer.group_add(f"u{self.uid}", self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(f"u{self.uid}", self.channel_name)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "send":
            await self.channel_layer.group_send(
                f"u{content['to']}",
                {"type": "relay.msg", "from": self.uid, "cid": content["cid"], "body": content["body"]},
            )
        elif kind == "presence":
            for sub in SUBS.get(self.uid, ()):
                await self.channel_layer.group_send(
                    f"u{sub}", {"type": "relay.presence", "user": self.uid, "status": content["status"]}
                )
        await self.send_json({"type": "ack", "cid": content.get("cid")})

    async def relay_msg(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "msg", "from": event["from"], "cid": event["cid"], "body": event["body"]})

    async def relay_presence(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "presence", "user": event["user"], "status": event["status"]})


app = URLRouter([path("ws", Relay.as_asgi())])


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await app(scope, receive, send)


if __name__ == "__main__":
    uvicorn.run(application, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", backlog=2048,
                ws_ping_interval=None)
