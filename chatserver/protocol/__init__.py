"""The WebSocket protocol without sockets: frames in, requests and frames out.

``frames`` encodes and decodes envelopes in JSON or msgpack, ``schema`` validates each
message type's data, ``session`` is the per-connection state machine with its rate
limit. The gateway only moves bytes between a socket and a :class:`Session`.
"""

from chatserver.protocol.frames import SUBPROTOCOLS, Envelope, decode, encode
from chatserver.protocol.session import CloseCode, Session, SessionState

__all__ = ["SUBPROTOCOLS", "CloseCode", "Envelope", "Session", "SessionState", "decode", "encode"]
