"""The ceiling: a relay written directly on ``websockets``. No persistence, no auth, no replay.

``python -m bench.peers.ws_relay PORT``. Connect to ``/ws?uid=N``; frames are JSON:
``{"type": "send", "to", "cid", "body"}`` is relayed as ``{"type": "msg", "from", "cid",
"body"}`` and acked ``{"type": "ack", "cid"}``; ``{"type": "presence", "status", "cid"}``
goes to the subscribers as ``{"type": "presence", "user", "status"}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.peers import load_subscribers

SUBS = load_subscribers()
CONNS: dict[int, set[ServerConnection]] = defaultdict(set)


async def handler(ws: ServerConnection) -> None:
    assert ws.request is not None
    uid = int(parse_qs(urlsplit(ws.request.path).query)["uid"][0])
    CONNS[uid].add(ws)
    try:
        async for raw in ws:
            msg = json.loads(raw)
            kind = msg.get("type")
            if kind == "send":
                out = json.dumps({"type": "msg", "from": uid, "cid": msg["cid"], "body": msg["body"]})
                broadcast(CONNS.get(msg["to"], ()), out)
            elif kind == "presence":
                out = json.dumps({"type": "presence", "user": uid, "status": msg["status"]})
                broadcast([c for s in SUBS.get(uid, ()) for c in CONNS.get(s, ())], out)
            await ws.send(json.dumps({"type": "ack", "cid": msg.get("cid")}))
    except Exception:  # noqa: BLE001 - a dropped client ends its handler only
        pass
    finally:
        CONNS[uid].discard(ws)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, ping_interval=None, compression=None, backlog=2048):
        print("ready", flush=True)
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
