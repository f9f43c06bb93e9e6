"""The WebSocket endpoint at ``/ws``: it moves frames between a socket and a Session.

Handshake: the Origin is checked, the subprotocol chosen (``chatserver.v1.json`` or
``chatserver.v1.msgpack``; JSON when none is offered), the caller known by a one-use
``ticket`` query parameter (a browser's: ``chatserver.actions.tickets``), the
``Authorization: Bearer`` header, or the deprecated ``token`` query parameter. Then the
client sends ``hello`` with its last seen ``seq`` and ``epoch`` and gets what it missed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from chatserver import ws_auth
from chatserver.actions import chat, connections, presence
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import ChatError, Forbidden, TicketRefused, Unauthorized
from chatserver.features import Feature, Handler
from chatserver.forwarded import is_secure
from chatserver.hub import Connection, Hub
from chatserver.logs import bind_connection
from chatserver.metrics import HELLOS, HOT
from chatserver.protocol import SUBPROTOCOLS, CloseCode, Session
from chatserver.protocol.frames import ack, error
from chatserver.protocol.in_flight import InFlight
from chatserver.protocol.session import Request
from chatserver.ws_protocol import SEND_NOW, abort

log = logging.getLogger(__name__)



def origin_allowed(origin: str, host: str, allowed: tuple[str, ...], *, secure: bool = False) -> bool:
    """Listed in CHATSERVER_ALLOWED_ORIGINS ("*" for any), or the server's own host and scheme.

    Over TLS (``secure``) only an https page of this host may open the socket: an http
    page of the same host name is not the same origin and could be anyone's on the way.
    Over plain ws an https origin is allowed too, since a browser never lets an https
    page open ws://: the TLS ended at a proxy not listed in CHATSERVER_TRUSTED_PROXIES.
    """
    if "*" in allowed or origin in allowed:
        return True
    parts = urlsplit(origin)
    schemes = ("https",) if secure else ("http", "https")
    return parts.netloc == host and parts.scheme in schemes


async def _hello(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    pos = await connections.stream_position(svc, user.id)
    last = data.get("last_seq")
    # oldest: the first seq still stored. A client that will come back with a last_seq below
    # oldest - 1 has lost events for good and must resync (docs/protocol.md).
    result: dict[str, Any] = {"epoch": pos.epoch, "seq": pos.seq, "oldest": pos.oldest, "status": pos.status,
                              "conn_id": conn.id}
    if last is not None and data.get("epoch") == pos.epoch and pos.oldest - 1 <= last <= pos.seq:
        conn.delivered_seq = last
        result.update(resumed=True, resync=False, missed=pos.seq - last)
        HELLOS.labels("resumed").inc()
    else:
        # Nothing to resume, or a gap storage no longer holds: start live from now.
        conn.delivered_seq = pos.seq
        result.update(resumed=False, resync=last is not None)
        HELLOS.labels("resync" if last is not None else "fresh").inc()
    conn.tip = max(conn.tip, pos.seq)
    conn.hold = pos.status == "offline"
    result["held"] = conn.hold
    return result


async def _ping(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return {"pong": True}


_OWN_EVENT = ("seq", "unread", "from", "notify")


def _own_event(conn: Connection, result: dict[str, Any]) -> dict[str, Any]:
    """A send's ack data, written right after this with nothing in between: it carries
    the sender's own chat.message event if this connection absorbed it (docs/protocol.md)."""
    seq = result.get("seq")
    if seq is not None and not conn.take_absorbed(seq):
        result = {k: v for k, v in result.items() if k not in _OWN_EVENT}
    return result


async def _send(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    result = await chat.send(
        svc, user, data["to"], data["body"], data["client_msg_id"],
        subject=data.get("subject", ""), record_id=data.get("record_id"), origin=conn.id,
    )
    return _own_event(conn, result)


def _start_send(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> asyncio.Future[Any]:
    return chat.start_send(svc, user, data["to"], data["body"], data["client_msg_id"],
                           subject=data.get("subject", ""), record_id=data.get("record_id"), origin=conn.id)


# A request that starts now and is answered later, by its future. Keyed by the handler
# it stands in for.
Starter = Callable[[Services, Connection, User, dict[str, Any]], "asyncio.Future[Any]"]
# What may be pipelined (docs/protocol.md, "Pipelining"): a send is queued for its batch,
# in the order read, and the next frame read while it waits. Every other request is a
# barrier: it waits until nothing is in flight, then runs alone, so it sees what the
# frames before it did.
PIPELINED: dict[Handler, Starter] = {_send: _start_send}


async def _read(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await chat.mark_read(svc, user, data["conversation_id"], data["message_id"])


async def _delivered(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await chat.mark_delivered(svc, user, data["conversation_id"], data["message_id"])


async def _typing(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    await chat.typing(svc, user, data["to"], data["typing"])
    return {}


async def _status(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return {"status": await presence.set_status(svc, user, data["status"], origin=conn.id)}


HANDLERS: dict[str, Handler] = {
    "hello": _hello,
    "ping": _ping,
    "chat.send": _send,
    "chat.read": _read,
    "chat.delivered": _delivered,
    "chat.typing": _typing,
    "presence.set": _status,
}


# What a connection may send, by the role of its user; colleagues' table is "colleague".
HandlerTables = dict[str, dict[str, Handler]]


def handler_tables(features: Iterable[Feature]) -> HandlerTables:
    """The core's tables with every feature's types added (the app factory keeps the result)."""
    tables: HandlerTables = {"colleague": dict(HANDLERS)}
    for feature in features:
        tables["colleague"].update(feature.handlers)
        for role, handlers in feature.role_handlers.items():
            tables.setdefault(role, {"hello": _hello, "ping": _ping}).update(handlers)
    return tables


class WebSocketShortcut:
    """ASGI middleware: ``/ws`` straight to :func:`websocket_endpoint`.

    A socket's endpoint runs for the connection's whole life, and so does every frame
    of the call chain above it: through Starlette's exception middleware, router and
    route that is ten coroutines, ~4.5 KiB per idle connection (docs/benchmarks.md).
    Nothing in them acts on this endpoint: it answers every error itself, with a close
    code or an error frame. Any other path (or a ``/ws`` under a root path) goes
    through the router as before, to the same endpoint.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == "/ws":
            await websocket_endpoint(WebSocket(scope, receive, send))
        else:
            await self.app(scope, receive, send)


async def websocket_endpoint(ws: WebSocket) -> None:
    svc: Services = ws.app.state.services
    cfg = svc.config
    origin = ws.headers.get("origin")
    # Another origin may still be one a feature allows for the user's role (a live-chat
    # visitor's site): decided once the token is read.
    secure = is_secure(ws.url.scheme, ws.headers, ws.client.host if ws.client else "", cfg.trusted_proxies)
    foreign = bool(origin) and not origin_allowed(origin or "", ws.headers.get("host", ""), cfg.allowed_origins,
                                                  secure=secure)
    offered = ws.scope.get("subprotocols") or []
    chosen = next((p for p in offered if p in SUBPROTOCOLS), None)
    if offered and chosen is None:
        await ws.close(code=CloseCode.POLICY, reason="unsupported subprotocol")
        return
    fmt = SUBPROTOCOLS[chosen] if chosen else "json"
    await ws.accept(subprotocol=chosen)
    try:
        auth, digest = await ws_auth.authenticate(svc, ws)
    except TicketRefused as exc:
        # The token may be good: the client fetches another ticket (docs/protocol.md).
        await ws.close(code=CloseCode.TICKET_REFUSED, reason=exc.message[:120])
        return
    except Unauthorized as exc:
        await ws.close(code=CloseCode.UNAUTHORIZED, reason=exc.message[:120])
        return
    except Exception:
        log.exception("could not set up a connection")
        await ws.close(code=CloseCode.TRY_AGAIN_LATER, reason="busy; reconnect shortly")
        return
    user = auth.user
    check = svc.origin_checks.get(user.role)
    if foreign and not (check is not None and await check(svc, user, origin or "")):
        log.info("refused /ws from origin %s", origin)
        await ws.close(code=CloseCode.POLICY, reason="origin not allowed")
        return

    async def send(payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            await ws.send_bytes(payload)
        else:
            await ws.send_text(payload)

    send_now = (ws.scope.get("extensions") or {}).get(SEND_NOW)  # absent under other servers

    async def close(code: int, reason: str) -> None:
        try:
            # The close frame queues behind what the client has not read: a client that
            # never reads would hold the connection, and all it buffered, for ever.
            async with asyncio.timeout(cfg.close_timeout_seconds):
                await ws.close(code=code, reason=reason)
        except TimeoutError:
            log.warning("connection of user %s did not take its close (%s) in %s s; dropping it",
                        user.id, code, cfg.close_timeout_seconds)
            abort(send_now)
        except Exception:  # noqa: BLE001 - already closed
            pass

    hub: Hub = ws.app.state.hub
    conn = hub.connect(os.urandom(6).hex(), user.id, fmt, send, close, queue_limit=cfg.send_queue_limit,
                       send_now=send_now)
    conn.token_digest = digest
    # From here on every line this connection logs names it (chatserver.logs).
    bind_connection(conn.id, user.id)
    log.info("connection opened (%s, role %s)", fmt, user.role)
    # The token was checked once, now; the socket must not outlive it (4001 then).
    conn.expire_at((auth.expires_at - svc.clock.now()).total_seconds())
    session = Session(
        fmt, clock=svc.clock, max_frame_bytes=cfg.max_frame_bytes, rate=cfg.rate_per_second, burst=cfg.rate_burst
    )
    try:
        await connections.opened(svc, user, conn.id)
        tables: HandlerTables = ws.app.state.handlers
        await _serve(svc, ws, conn, session, user, tables.get(user.role) or tables["colleague"])
    finally:
        hub.remove(conn)
        await conn.stop()
        await connections.closed(svc, user, conn.id)
        log.info("connection closed")


async def _serve(svc: Services, ws: WebSocket, conn: Connection, session: Session, user: User,
                 handlers: dict[str, Handler]) -> None:
    flight = InFlight(svc.config.max_in_flight)
    try:
        await _read_frames(svc, ws, conn, session, user, handlers, flight)
    finally:
        # What was started is stored either way; its acks go out before the socket is let go.
        await flight.at_most(0)


def _answer(conn: Connection, msg_id: str | None) -> Callable[[asyncio.Future[Any]], None]:
    """The ack or error of a pipelined request, once its future is done."""
    def answer(fut: asyncio.Future[Any]) -> None:
        if fut.cancelled():
            return
        exc = fut.exception()
        if isinstance(exc, ChatError):
            conn.send_frame(error(exc.msg_id if exc.msg_id is not None else msg_id, exc.to_dict()))
        elif exc is not None:
            log.error("pipelined request failed", exc_info=exc)
            conn.send_frame(error(msg_id, {"code": "internal", "message": "internal error; nothing was changed"}))
        else:
            conn.send_frame(ack(msg_id, _own_event(conn, fut.result())))
    return answer


async def _read_frames(svc: Services, ws: WebSocket, conn: Connection, session: Session, user: User,
                       handlers: dict[str, Handler], flight: InFlight) -> None:
    while not conn.closed:
        if flight.full:
            # Backpressure: this socket is not read (uvicorn stops reading it from the
            # network) until a request in flight is answered. Nothing is refused or lost.
            await flight.at_most(flight.limit - 1)
        try:
            message = await ws.receive()
        except (WebSocketDisconnect, RuntimeError):
            return
        if message["type"] == "websocket.disconnect":
            return
        HOT.frames_in += 1
        raw = message.get("text")
        if raw is None:
            raw = message.get("bytes") or b""
        request: Request | None = None
        try:
            # Every frame's checks (size, rate, flood, schema, state) in the order read.
            request = session.receive(raw)
            handler = handlers.get(request.type)
            if handler is None:
                raise Forbidden(f"{request.type} is not available to this connection", code="not_allowed")
            start = PIPELINED.get(handler)
            if start is not None:
                flight.add(start(svc, conn, user, request.data), _answer(conn, request.id))
                continue
            if flight.count:
                await flight.at_most(0)  # a barrier: after everything read before it
            result = await handler(svc, conn, user, request.data)
        except ChatError as exc:
            msg_id = exc.msg_id if exc.msg_id is not None else (request.id if request else None)
            conn.send_frame(error(msg_id, exc.to_dict()))
            if session.flooding:
                await flight.at_most(0)
                await conn.close_after_flush(CloseCode.POLICY, "flood: too many messages refused")
                return
            continue
        except Exception:
            log.exception("handler failed")
            msg_id = request.id if request else None
            conn.send_frame(error(msg_id, {"code": "internal", "message": "internal error; nothing was changed"}))
            continue
        conn.send_frame(ack(request.id, result))
        if request.type == "hello":
            session.ready()
            conn.catch_up(if_behind=True)
