"""The default gateway: records each SMS in the database and reports it delivered itself.

No provider account anywhere: the demo and the tests send through it. It behaves
like a careful provider so the dispatcher's guarantees can be tested against it:

* a submit is one row in ``sms_gateway_log``, unique on the reference, so a
  repeated submit is recognised (counted in ``repeats``) and never recorded twice;
* :meth:`lookup` answers from that table, so after a crash the dispatcher learns
  whether an interrupted submit got through (SENT) or not (NOT_SENT);
* every row carries when its delivery report is due; a loop reports due rows to
  ``on_report`` and marks them, so a report promised before a restart is still
  made after it (reported first and marked after: at least once, and applying a
  report is idempotent).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from sms.gateways.base import BaseGateway, DeliveryReport, DeliveryStatus, Lookup, Submit, SubmitResult
from sms.gateways.models import SmsGatewayLog

if TYPE_CHECKING:
    from chatserver.actions.context import Services

__all__ = ["EmbeddedGateway"]

log = logging.getLogger(__name__)


class EmbeddedGateway(BaseGateway):
    name = "embedded"

    def __init__(
        self, services: Services, *, rate_per_second: float = 50.0, report_seconds: float = 1.0,
        poll_seconds: float = 0.1,
    ) -> None:
        super().__init__()
        self._svc = services
        self.rate_per_second = rate_per_second
        self._report_after = timedelta(seconds=report_seconds)
        self._poll = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._report_loop(), name="sms-embedded-reports")

    async def send(self, submit: Submit) -> SubmitResult:
        now = self._svc.clock.now()
        provider_id = uuid.uuid4().hex
        try:
            async with self._svc.transaction() as tx:
                tx.session.add(SmsGatewayLog(
                    reference=submit.reference, provider_id=provider_id, recipient=submit.recipient,
                    originator=submit.originator, body=submit.body, encoding=submit.encoding, repeats=0,
                    created_at=now, report_due_at=(submit.scheduled_at or now) + self._report_after,
                ))
        except IntegrityError:
            # Seen before: the same message, not a new one. Say so and answer as the first time.
            async with self._svc.transaction() as tx:
                await tx.session.execute(
                    update(SmsGatewayLog).where(SmsGatewayLog.reference == submit.reference)
                    .values(repeats=SmsGatewayLog.repeats + 1)
                )
                existing = await tx.session.scalar(
                    select(SmsGatewayLog.provider_id).where(SmsGatewayLog.reference == submit.reference)
                )
            return SubmitResult.accepted(existing)
        self._wake.set()
        return SubmitResult.accepted(provider_id)

    async def lookup(self, reference: str) -> Lookup:
        async with self._svc.read() as s:
            found = await s.scalar(select(SmsGatewayLog.id).where(SmsGatewayLog.reference == reference))
        return Lookup.SENT if found is not None else Lookup.NOT_SENT

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def report_due(self, limit: int = 200) -> int:
        """Report every row whose report is due; returns how many. The loop calls this."""
        now = self._svc.clock.now()
        async with self._svc.read() as s:
            rows = (await s.execute(
                select(SmsGatewayLog.id, SmsGatewayLog.reference, SmsGatewayLog.provider_id)
                .where(SmsGatewayLog.reported_at.is_(None), SmsGatewayLog.report_due_at <= now)
                .order_by(SmsGatewayLog.report_due_at).limit(limit)
            )).all()
        if not rows or self.on_report is None:
            return 0
        for row in rows:
            await self._report(DeliveryReport(
                reference=row.reference, status=DeliveryStatus.DELIVERED, at=now, provider_id=row.provider_id,
            ))
        async with self._svc.transaction() as tx:
            await tx.session.execute(
                update(SmsGatewayLog).where(SmsGatewayLog.id.in_([r.id for r in rows])).values(reported_at=now)
            )
        return len(rows)

    async def _next_wait(self) -> float:
        # Idle hubs should not query five times a second: sleep until the next report
        # is due (a send wakes us), looking again at least every second while one waits.
        async with self._svc.read() as s:
            due = await s.scalar(select(func.min(SmsGatewayLog.report_due_at))
                                 .where(SmsGatewayLog.reported_at.is_(None)))
        if due is None:
            return 5.0
        return min(max((due - self._svc.clock.now()).total_seconds(), self._poll), 1.0)

    async def _report_loop(self) -> None:
        while True:
            wait = self._poll
            try:
                if await self.report_due():
                    continue
                wait = await self._next_wait()
            except asyncio.CancelledError:
                raise
            except Exception:
                # A database blip must not end the reports for good: log loudly, go on.
                log.exception("embedded gateway: reporting failed; trying again")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
