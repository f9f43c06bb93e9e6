"""python-socketio AsyncServer under uvicorn; with ``BENCH_REDIS`` set, its AsyncRedisManager.

``python -m bench.peers.sio_server PORT``. The client connects with auth ``{"uid": N}``
and joins room ``N``; event ``send`` ``{to, cid, body}`` is emitted as ``msg`` to room
``to`` and acked by the event's callback; ``presence`` ``{status}`` is emitted to each
subscriber's room. No persistence, no auth, no replay: a message to a room with nobody
in it is gone.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import socketio
import uvicorn

from bench.peers import load_subscribers

SUBS = load_subscribers()
redis_url = os.environ.get("BENCH_REDIS")
manager = socketio.AsyncRedisManager(redis_url) if redis_url else None
sio = socketio.AsyncServer(async_mode="asgi", client_manager=manager, cors_allowed_origins="*")
app = socketio.ASGIApp(sio)


@sio.event
async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any]) -> None:
    uid = int(auth["uid"])
    await sio.save_session(sid, {"uid": uid})
    await sio.enter_room(sid, str(uid))


@sio.on("send")
async def send(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    session = await sio.get_session(sid)
    await sio.emit("msg", {"from": session["uid"], "cid": data["cid"], "body": data["body"]}, room=str(data["to"]))
    return {"cid": data["cid"]}


@sio.on("presence")
async def presence(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    uid = (await sio.get_session(sid))["uid"]
    body = {"user": uid, "status": data["status"]}
    for sub in SUBS.get(uid, ()):
        await sio.emit("presence", body, room=str(sub))
    return {"cid": data.get("cid")}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", backlog=2048,
                ws_ping_interval=None)
