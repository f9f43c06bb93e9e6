"""SMPP 3.4 to an organisation's own SMSC, with smpplib, off the event loop.

smpplib is a blocking library, so one thread owns the connection: it connects,
binds as a transceiver, and reads PDUs (``submit_sm_resp``, ``deliver_sm`` receipts,
``enquire_link``), reconnecting with backoff when the link drops. :meth:`send` runs
the blocking write in an executor and awaits the matching ``submit_sm_resp`` as a
future the reader thread resolves, so the event loop never blocks.

* ``submit_sm`` with ``registered_delivery=1``; ``data_coding`` 0 (SMSC default
  alphabet, GSM 03.38) or 8 (UCS-2); international destination (TON 1, NPI 1),
  alphanumeric originators as TON 5.
* Long texts: ``udh`` (default) sends the parts :func:`sms.rules.segments.split` makes, each
  with a concatenation UDH (``esm_class`` 0x40); ``payload`` sends the whole text
  once in the ``message_payload`` TLV. The first part's message id is the provider id.
* ``deliver_sm`` with ``esm_class`` 0x04 is a delivery receipt: its ``id:`` (or the
  ``receipted_message_id`` TLV) and ``stat:`` become a :class:`DeliveryReport` for
  ``on_report``. DELIVRD is delivered; ENROUTE/ACCEPTD are interim; the rest failed.
* An error ``command_status`` is permanent (invalid address, ...), except throttling
  and a full queue, which are transient. A submit whose answer never came (the link
  dropped, or no answer in time) is ambiguous: it may have been sent.

An SMSC cannot be asked about a submit by our reference, so after a crash interrupted
rows become ``unknown`` until their receipts (matched by message id) settle them.
The id -> reference map is kept in memory; after a restart a receipt is matched on
the row's stored provider id instead.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import random
import re
import threading
from datetime import UTC, datetime
from typing import Any

import smpplib.client
import smpplib.consts
import smpplib.exceptions
import smpplib.gsm
import smpplib.smpp

from sms.gateways.base import BaseGateway, DeliveryReport, DeliveryStatus, Submit, SubmitResult
from sms.rules.segments import split

__all__ = ["SmppGateway", "encode_parts", "parse_receipt"]

log = logging.getLogger(__name__)

DEFAULT_RATE = 10.0
_TRANSIENT_STATUSES = {0x58, 0x14}  # ESME_RTHROTTLED, ESME_RMSGQFUL
_RECEIPT = 0x04  # esm_class bit: SMSC delivery receipt
_ROK: int = int(smpplib.consts.SMPP_ESME_ROK)  # the command status "no error"
_UDHI = 0x40
_STATES = {
    "DELIVRD": DeliveryStatus.DELIVERED,
    "ENROUTE": DeliveryStatus.BUFFERED,
    "ACCEPTD": DeliveryStatus.BUFFERED,
}
# message_state TLV values (SMPP 3.4, 5.2.28) when a receipt has no readable text.
_TLV_STATES = {1: "ENROUTE", 2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV", 6: "ACCEPTD", 7: "UNKNOWN",
               8: "REJECTD"}
_FIELD = re.compile(r"(id|stat|err|done date):(\S+)", re.IGNORECASE)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return "" if value is None else str(value)


def encode_parts(body: str, encoding: str, long_messages: str = "udh") -> list[tuple[bytes, int, bool]]:
    """The submit_sm payloads for ``body``: ``(octets, esm_class, as_payload)`` each."""
    def enc(text: str) -> bytes:
        return smpplib.gsm.gsm_encode(text) if encoding == "gsm7" else text.encode("utf-16-be")

    parts = split(body) or [""]
    if len(parts) == 1:
        return [(enc(parts[0]), 0, False)]
    if long_messages == "payload":
        return [(enc(body), 0, True)]
    ref = random.randint(0, 255)
    return [(bytes([5, 0, 3, ref, len(parts), i]) + enc(part), _UDHI, False)
            for i, part in enumerate(parts, start=1)]


def parse_receipt(short_message: bytes | str | None, receipted_id: Any = None,
                  message_state: int | None = None) -> tuple[str, DeliveryStatus, str | None, datetime | None] | None:
    """``(message id, status, reason, done at)`` from a delivery receipt, or None if it is none."""
    fields = {k.lower(): v for k, v in _FIELD.findall(_text(short_message))}
    message_id = _text(receipted_id) or fields.get("id", "")
    stat = fields.get("stat", "").upper() or _TLV_STATES.get(message_state or 0, "")
    if not message_id or not stat:
        return None
    status = _STATES.get(stat, DeliveryStatus.FAILED)
    reason = None if status is not DeliveryStatus.FAILED else f"{stat} (err {fields.get('err', '?')})"
    done = None
    if "done date" in fields:
        with contextlib.suppress(ValueError):
            done = datetime.strptime(fields["done date"][:10], "%y%m%d%H%M").replace(tzinfo=UTC)
    return message_id, status, reason, done


class _Client(smpplib.client.Client):  # type: ignore[misc]
    """smpplib's client with every write under one lock: the reader thread answers
    deliver_sm and sends enquire_link while sends are written from the executor."""

    write_lock: threading.RLock

    def send_pdu(self, p: Any) -> Any:
        with self.write_lock:
            return super().send_pdu(p)


class SmppGateway(BaseGateway):
    name = "smpp"

    def __init__(
        self, host: str, port: int, *, system_id: str, password: str, system_type: str = "",
        long_messages: str = "udh", rate_per_second: float | None = None, timeout: float = 10.0,
    ) -> None:
        super().__init__()
        self.rate_per_second = rate_per_second or DEFAULT_RATE
        self.host, self.port = host, port
        self.system_id, self.password, self.system_type = system_id, password, system_type
        self.long_messages = long_messages
        self.timeout = timeout
        self._client: smpplib.client.Client | None = None
        self._bound = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.RLock()  # sequence numbers, writes, and the pending map
        self._pending: dict[int, concurrent.futures.Future[tuple[int, str]]] = {}
        self._reference_of: dict[str, str] = {}  # any part's message id -> our reference
        self._first_of: dict[str, str] = {}  # any part's message id -> the first part's id
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- life cycle ------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="smpp-link", daemon=True)
            self._thread.start()
        # Not fatal when the SMSC is down: sends are transient errors until it binds.
        await asyncio.to_thread(self._bound.wait, self.timeout)

    async def aclose(self) -> None:
        self._stop.set()
        client = self._client
        if client is not None and self._bound.is_set():
            with contextlib.suppress(Exception), self._lock:
                client.send_pdu(smpplib.smpp.make_pdu("unbind", client=client))
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, self.timeout + 2)
            self._thread = None

    def _run(self) -> None:
        delay = 0.2
        while not self._stop.is_set():
            client = _Client(self.host, self.port, timeout=1.0, allow_unknown_opt_params=True)
            client.write_lock = self._lock
            client.set_message_sent_handler(self._on_submit_resp)
            client.set_message_received_handler(self._on_deliver)
            client.set_error_pdu_handler(lambda pdu: None)  # answered per request in _on_submit_resp
            try:
                client.connect()
                client.bind_transceiver(system_id=self.system_id, password=self.password,
                                        system_type=self.system_type)
            except Exception as exc:
                log.warning("smpp: cannot bind to %s:%s (%s); retrying", self.host, self.port, exc)
                with contextlib.suppress(Exception):
                    client.disconnect()
                self._stop.wait(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 0.2
            self._client = client
            self._bound.set()
            idle = 0
            try:
                while not self._stop.is_set():
                    try:
                        # Times out every second to look at _stop.
                        client.read_once(auto_send_enquire_link=False)
                        idle = 0
                    except TimeoutError:
                        idle += 1
                        if idle >= 30:  # keep the link alive, as SMSCs expect
                            idle = 0
                            with self._lock:
                                client.send_pdu(smpplib.smpp.make_pdu("enquire_link", client=client))
            except Exception as exc:
                if not self._stop.is_set():
                    log.warning("smpp: link to %s:%s lost (%s); reconnecting", self.host, self.port, exc)
            finally:
                self._bound.clear()
                self._fail_pending("the SMPP link dropped before the SMSC answered")
                with contextlib.suppress(Exception):
                    client.disconnect()
                self._client = None

    def _fail_pending(self, why: str) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(ConnectionError(why))

    # -- the reader thread's handlers ----------------------------------------------------------

    def _on_submit_resp(self, pdu: Any, **_: Any) -> None:
        with self._lock:
            future = self._pending.pop(pdu.sequence, None)
        if future is not None and not future.done():
            future.set_result((int(pdu.status), _text(pdu.message_id)))

    def _on_deliver(self, pdu: Any, **_: Any) -> int:
        if not (pdu.esm_class or 0) & _RECEIPT:
            return _ROK  # a mobile-originated SMS: not ours to handle
        parsed = parse_receipt(pdu.short_message, getattr(pdu, "receipted_message_id", None),
                               getattr(pdu, "message_state", None))
        if parsed is None:
            log.warning("smpp: a receipt we cannot read: %r", pdu.short_message)
            return _ROK
        message_id, status, reason, done = parsed
        first = self._first_of.get(message_id, message_id)
        report = DeliveryReport(reference=self._reference_of.get(message_id), status=status, reason=reason,
                                at=done, provider_id=first)
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._report(report), self._loop)
        return _ROK

    # -- sending -------------------------------------------------------------------------------

    def _submit_part(self, submit: Submit, octets: bytes, esm_class: int, as_payload: bool
                     ) -> concurrent.futures.Future[tuple[int, str]]:
        client = self._client
        if client is None or not self._bound.is_set():
            raise ConnectionRefusedError("not bound to the SMSC")
        alpha = not submit.originator.lstrip("+").isdigit()
        fields: dict[str, Any] = {
            "source_addr_ton": 5 if alpha else 1, "source_addr_npi": 0 if alpha else 1,
            "source_addr": submit.originator.lstrip("+"),
            "dest_addr_ton": 1, "dest_addr_npi": 1, "destination_addr": submit.recipient.lstrip("+"),
            "esm_class": esm_class, "registered_delivery": 1,
            "data_coding": 0 if submit.encoding == "gsm7" else 8,
        }
        if as_payload:
            fields["message_payload"] = octets
        else:
            fields["short_message"] = octets
        future: concurrent.futures.Future[tuple[int, str]] = concurrent.futures.Future()
        with self._lock:
            pdu = smpplib.smpp.make_pdu("submit_sm", client=client, **fields)
            # Registered before it is written: the answer may come at once.
            self._pending[pdu.sequence] = future
            try:
                client.send_pdu(pdu)
            except Exception:
                self._pending.pop(pdu.sequence, None)
                raise
        return future

    async def send(self, submit: Submit) -> SubmitResult:
        ids: list[str] = []
        for n, (octets, esm_class, as_payload) in enumerate(encode_parts(submit.body, submit.encoding,
                                                                         self.long_messages)):
            if n > 0:
                # Each part is its own submit_sm and the SMSC's throughput limit counts it.
                await self.pace()
            try:
                future = await asyncio.to_thread(self._submit_part, submit, octets, esm_class, as_payload)
            except (ConnectionError, OSError, smpplib.exceptions.ConnectionError) as exc:
                if n == 0:  # nothing went out
                    return SubmitResult.transient(f"SMSC unreachable: {exc}")
                return SubmitResult.ambiguous(f"link lost after part {n} of the message: {exc}")
            try:
                status, message_id = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
            except (TimeoutError, ConnectionError) as exc:
                return SubmitResult.ambiguous(f"no submit_sm_resp from the SMSC: {exc or 'timed out'}")
            if status != smpplib.consts.SMPP_ESME_ROK:
                why = f"SMSC refused the submit: 0x{status:02x} {smpplib.consts.DESCRIPTIONS.get(status, '')}"
                if n > 0:
                    return SubmitResult.ambiguous(f"{why} (after {n} parts went out)")
                if status in _TRANSIENT_STATUSES:
                    return SubmitResult.transient(why)
                return SubmitResult.permanent(why)
            ids.append(message_id)
            self._reference_of[message_id] = submit.reference
            self._first_of[message_id] = ids[0]
        return SubmitResult.accepted(ids[0] if ids else None)
