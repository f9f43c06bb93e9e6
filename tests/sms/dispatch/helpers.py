"""SMS dispatch test helpers: outbox rows as CORE's release writes them, and reading them back."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

from sqlalchemy import func, select

from chatserver.actions.context import Services
from chatserver.config import Config
from sms.config import SmsConfig
from sms.models import SmsMessage, SmsRecipient
from tests.helpers import with_section


def sms_config(config: Config, **overrides: Any) -> Config:
    """The test config with a quick dispatcher: short polls, reports a moment after a submit."""
    values: dict[str, Any] = {"poll_seconds": 0.2, "embedded_report_seconds": 0.2,
                              "report_secret": "report-secret-" + uuid.uuid4().hex[:8]}
    return with_section(config, SmsConfig, **{**values, **overrides})


def numbers(n: int, start: int = 0) -> list[str]:
    return [f"+3161{start + i:07d}" for i in range(n)]


async def released_message(
    svc: Services, tenant_id: int, user_id: int, recipients: list[str], *, body: str = "Hallo, dit is een test.",
    originator: str = "DemoStaff", encoding: str = "gsm7", skipped: int = 0, state: str = "pending",
    gateway: str = "embedded",
) -> tuple[int, list[str]]:
    """A message in 'sending' with one ``state`` row per number (and ``skipped`` skipped rows).

    Written as CORE's release_due writes them, for the tests that exercise the dispatcher
    alone; returns the message id and the rows' references in order.
    """
    async with svc.transaction() as tx:
        now = tx.now
        msg = SmsMessage(
            tenant_id=tenant_id, user_id=user_id, subject="", body=body, originator=originator,
            sender_kind="default", encoding=encoding, parts=1, priority=0, send_at=None, status="sending",
            needs_approval=False, selection=[], recipients_planned=len(recipients),
            recipients_sent=len(recipients), credits_charged=len(recipients), created_at=now, updated_at=now,
        )
        tx.session.add(msg)
        await tx.session.flush()
        refs = [uuid.uuid4().hex for _ in recipients]
        for i, (number, ref) in enumerate(zip(recipients, refs, strict=True)):
            tx.session.add(SmsRecipient(
                tenant_id=tenant_id, message_id=msg.id, name=f"Recipient {i}", number=number, raw_number=number,
                included=True, reference=ref, state=state, attempts=int(state != "pending"), updated_at=now,
                gateway=None if state == "pending" else gateway,
            ))
        for i in range(skipped):
            tx.session.add(SmsRecipient(
                tenant_id=tenant_id, message_id=msg.id, name=f"Skipped {i}", number=None, raw_number="0101234567",
                included=False, reason="no_valid_mobile", reason_text="No valid mobile number.",
                reference=uuid.uuid4().hex, state="skipped", attempts=0, updated_at=now,
            ))
        message_id = msg.id
    return message_id, refs


async def rows(svc: Services, message_id: int) -> list[SmsRecipient]:
    async with svc.read() as s:
        q = select(SmsRecipient).where(SmsRecipient.message_id == message_id).order_by(SmsRecipient.id)
        return list((await s.execute(q)).scalars())


async def states(svc: Services, message_id: int) -> dict[str, int]:
    async with svc.read() as s:
        q = (select(SmsRecipient.state, func.count()).where(SmsRecipient.message_id == message_id)
             .group_by(SmsRecipient.state))
        return {state: int(n) for state, n in (await s.execute(q)).all()}


async def message_status(svc: Services, message_id: int) -> str:
    async with svc.read() as s:
        return str(await s.scalar(select(SmsMessage.status).where(SmsMessage.id == message_id)))


def worker_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``chatserver sms-worker`` as its own process, as the Procfile's ``sms`` line runs it."""
    return subprocess.Popen([sys.executable, "-m", "chatserver", "sms-worker"], env={**os.environ, **env})
