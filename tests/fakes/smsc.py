"""A minimal SMSC speaking SMPP 3.4 over TCP on a free loopback port, built on smpplib's PDUs.

What an ESME (our SMPP gateway) meets at a real SMSC, and no more:

* ``bind_transceiver``: system_id and password checked (ESME_RINVPASWD otherwise);
* ``submit_sm``: recorded (:attr:`FakeSmsc.submits`), answered with ``submit_sm_resp``
  and a message id, or with an error status the test asked for (:meth:`fail_next`);
  with ``registered_delivery`` a ``deliver_sm`` receipt follows (``stat:DELIVRD`` or the
  state set in :attr:`receipt_state`), text and TLVs as SMSCs send them;
* ``enquire_link`` answered; ``unbind`` answered and the connection closed;
* ``deliver_sm_resp`` from the ESME recorded (:attr:`receipts_acked`).

One thread per connection; a receipt is written from a timer thread under the
connection's write lock.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import smpplib.client
import smpplib.consts
import smpplib.smpp

_RINVPASWD = 0x0E


@dataclass
class Submitted:
    message_id: str
    source_addr: str
    destination_addr: str
    data_coding: int
    esm_class: int
    registered_delivery: int
    short_message: bytes
    message_payload: bytes | None


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else ("" if value is None else str(value))


class FakeSmsc:
    def __init__(self, system_id: str = "esme", password: str = "secret", *, receipt_delay: float = 0.05) -> None:
        self.system_id, self.password = system_id, password
        self.receipt_delay = receipt_delay
        self.receipt_state = "DELIVRD"
        self.submits: list[Submitted] = []
        self.binds: list[str] = []
        self.enquire_links = 0
        self.receipts_acked = 0
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server: socketserver.ThreadingTCPServer | None = None
        self.port = 0

    def fail_next(self, count: int, status: int) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def start(self) -> FakeSmsc:
        smsc = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                _Connection(smsc, self.request).serve()

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, name="fake-smsc", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeSmsc:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Connection:
    def __init__(self, smsc: FakeSmsc, sock: socket.socket) -> None:
        self.smsc = smsc
        self.sock = sock
        self.seq = smpplib.client.SimpleSequenceGenerator()
        self.write_lock = threading.Lock()
        self.open = True

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def _write(self, pdu: Any) -> None:
        with self.write_lock:
            if self.open:
                self.sock.sendall(pdu.generate())

    def _answer(self, command: str, request: Any, status: int = 0, **fields: Any) -> None:
        resp = smpplib.smpp.make_pdu(command, client=self.seq, status=status, **fields)
        resp.sequence = request.sequence
        self._write(resp)

    def serve(self) -> None:
        try:
            while True:
                raw_len = self._read(4)
                (length,) = struct.unpack(">L", raw_len)
                raw = raw_len + self._read(length - 4)
                pdu = smpplib.smpp.parse_pdu(raw, client=self.seq, allow_unknown_opt_params=True)
                if pdu.command == "bind_transceiver":
                    ok = _text(pdu.system_id) == self.smsc.system_id and _text(pdu.password) == self.smsc.password
                    self.smsc.binds.append(_text(pdu.system_id))
                    self._answer("bind_transceiver_resp", pdu, 0 if ok else _RINVPASWD, system_id="fakesmsc")
                elif pdu.command == "submit_sm":
                    self._submit(pdu)
                elif pdu.command == "enquire_link":
                    self.smsc.enquire_links += 1
                    self._answer("enquire_link_resp", pdu)
                elif pdu.command == "deliver_sm_resp":
                    self.smsc.receipts_acked += 1
                elif pdu.command == "unbind":
                    self._answer("unbind_resp", pdu)
                    return
        except (ConnectionError, OSError):
            return
        finally:
            self.open = False
            self.sock.close()

    def _submit(self, pdu: Any) -> None:
        with self.smsc._lock:
            failure = self.smsc._failures.pop(0) if self.smsc._failures else None
        if failure is not None:
            self._answer("submit_sm_resp", pdu, failure)
            return
        message_id = uuid.uuid4().hex[:16]
        payload = getattr(pdu, "message_payload", None)
        sub = Submitted(
            message_id=message_id, source_addr=_text(pdu.source_addr), destination_addr=_text(pdu.destination_addr),
            data_coding=int(pdu.data_coding or 0), esm_class=int(pdu.esm_class or 0),
            registered_delivery=int(pdu.registered_delivery or 0), short_message=pdu.short_message or b"",
            message_payload=payload or None,
        )
        with self.smsc._lock:
            self.smsc.submits.append(sub)
        self._answer("submit_sm_resp", pdu, message_id=message_id)
        if sub.registered_delivery:
            threading.Timer(self.smsc.receipt_delay, self._receipt, args=(sub,)).start()

    def _receipt(self, sub: Submitted) -> None:
        now = datetime.now(UTC).strftime("%y%m%d%H%M")
        state = self.smsc.receipt_state
        err = "000" if state == "DELIVRD" else "001"
        text = (f"id:{sub.message_id} sub:001 dlvrd:{'001' if state == 'DELIVRD' else '000'} "
                f"submit date:{now} done date:{now} stat:{state} err:{err} text:")
        states = {"DELIVRD": 2, "EXPIRED": 3, "UNDELIV": 5, "REJECTD": 8}
        pdu = smpplib.smpp.make_pdu(
            "deliver_sm", client=self.seq, source_addr=sub.destination_addr, destination_addr=sub.source_addr,
            esm_class=0x04, short_message=text.encode(),  # 0x04: an SMSC delivery receipt
            receipted_message_id=sub.message_id, message_state=states.get(state, 7),
        )
        try:
            self._write(pdu)
        except OSError:
            pass
