"""The embedded gateway end to end: dispatcher in the hub, reports made by the gateway, events live."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from chatserver.clock import FakeClock
from chatserver.config import Config
from sms.actions import outbox as sms_outbox
from sms.dispatcher import wake
from sms.gateways.base import Lookup, Submit
from sms.gateways.embedded import EmbeddedGateway
from sms.gateways.models import SmsGatewayLog
from sms.worker import DispatcherSlot
from tests.helpers import make_tenant, make_user, running_server, wait_for
from tests.sms.dispatch.helpers import message_status, numbers, released_message, rows, sms_config, states


async def test_embedded_sends_each_once_and_reports_delivered_live(config: Config) -> None:
    async with running_server(sms_config(config)) as server:
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        await anna.connect()
        svc = server.services
        message_id, refs = await released_message(svc, tenant["id"], anna.user["id"], numbers(5), skipped=1)
        await wake(svc)

        seen: dict[int, list[str]] = {}
        while not (len(seen) == 5 and all(v[-1] == "delivered" for v in seen.values())):
            ev = await anna.next_event("sms.recipient", timeout=20)
            rec = ev["data"]["recipient"]
            assert ev["data"]["message_id"] == message_id
            seen.setdefault(rec["id"], []).append(rec["state"])
        for history in seen.values():
            assert history == ["submitting", "submitted", "delivered"]
        await wait_for(lambda: _status_is(svc, message_id, "sent"), timeout=20)
        assert await states(svc, message_id) == {"delivered": 5, "skipped": 1}
        for row in await rows(svc, message_id):
            if row.included:
                assert row.attempts == 1 and row.gateway == "embedded" and row.provider_id
        async with svc.read() as s:
            logged = await s.scalar(select(func.count()).select_from(SmsGatewayLog)
                                    .where(SmsGatewayLog.reference.in_(refs)))
        assert logged == 5


async def _status_is(svc: object, message_id: int, status: str) -> bool:
    return await message_status(svc, message_id) == status  # type: ignore[arg-type]


async def test_a_repeated_submit_is_recognised_and_lookup_tells(config: Config) -> None:
    async with running_server(sms_config(config, worker="off")) as server:
        gw = EmbeddedGateway(server.services, report_seconds=60)
        submit = Submit(reference="ab" * 16, recipient="+31612345678", originator="Demo", body="Hoi",
                        encoding="gsm7")
        assert await gw.lookup(submit.reference) is Lookup.NOT_SENT
        first = await gw.send(submit)
        again = await gw.send(submit)
        assert first.provider_id == again.provider_id
        assert await gw.lookup(submit.reference) is Lookup.SENT
        async with server.services.read() as s:
            row = (await s.execute(select(SmsGatewayLog).where(SmsGatewayLog.reference == submit.reference))).scalar_one()
        assert row.repeats == 1
        await gw.aclose()


async def test_interrupted_rows_are_asked_about_and_never_sent_twice(config: Config) -> None:
    """A dispatcher died mid-call: the embedded gateway can tell which submits got through."""
    async with running_server(sms_config(config, worker="off")) as server:
        svc = server.services
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        message_id, refs = await released_message(svc, tenant["id"], anna.user["id"], numbers(3, start=800))
        claimed = await sms_outbox.claim(svc, "embedded", 3)
        gw = EmbeddedGateway(svc, report_seconds=60)
        await gw.send(claimed[0].submit)  # got through; then the process "died"
        recovered = await sms_outbox.recover_interrupted(svc, gw, claimed_before=svc.clock.now() + timedelta(1))
        assert recovered == {"submitted": 1, "pending": 2, "unknown": 0}
        assert [(r.state, r.attempts) for r in await rows(svc, message_id)] == [
            ("submitted", 1), ("pending", 1), ("pending", 1)]

        # Claimed for a gateway that cannot be asked (here: another one): unknown, never resent.
        again = await sms_outbox.claim(svc, "spryng", 5)
        assert [c.submit.reference for c in again] == refs[1:]
        recovered = await sms_outbox.recover_interrupted(svc, gw, claimed_before=svc.clock.now() + timedelta(1))
        assert recovered == {"submitted": 0, "pending": 0, "unknown": 2}
        assert await sms_outbox.claim(svc, "embedded", 5) == []
        await gw.aclose()


async def test_a_row_left_submitting_elsewhere_is_recovered_once_stale(config: Config) -> None:
    """Another dispatcher claimed a row and died while this one runs: settled after the stale time."""
    clock = FakeClock()
    cfg = sms_config(config, stale_seconds=60)
    async with running_server(cfg, clock=clock) as server:
        svc = server.services
        await svc.get(DispatcherSlot).started()
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        # Claimed by the "other" dispatcher, which is gone now.
        message_id, _ = await released_message(svc, tenant["id"], anna.user["id"], numbers(1, start=900),
                                               state="submitting")
        clock.advance(30)
        await wake(svc)
        await asyncio.sleep(0.5)
        assert [(r.state, r.attempts) for r in await rows(svc, message_id)] == [("submitting", 1)]
        clock.advance(31)  # older than the stale time: asked about, never got through, sent now
        await wake(svc)
        await wait_for(lambda: _row_is(svc, message_id, ("submitted", 2)), timeout=20)


async def _row_is(svc: object, message_id: int, expected: tuple[str, int]) -> bool:
    return [(r.state, r.attempts) for r in await rows(svc, message_id)] == [expected]  # type: ignore[arg-type]
