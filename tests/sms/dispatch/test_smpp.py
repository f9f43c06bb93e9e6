"""SMPP against a local fake SMSC: submit_sm as the SMSC sees it, receipts settle rows live."""

from __future__ import annotations

import asyncio

from chatserver.clock import FakeClock
from chatserver.config import Config
from sms.actions import outbox as sms_outbox
from sms.dispatcher import wake
from sms.gateways.base import DeliveryReport, DeliveryStatus, Outcome, Submit
from sms.gateways.smpp import SmppGateway
from tests.fakes.smsc import FakeSmsc
from tests.helpers import make_tenant, make_user, running_server, wait_for
from tests.sms.dispatch.helpers import message_status, numbers, released_message, rows, sms_config

LONG_UCS2 = "Uw sollicitatiegesprek is morgen om 10:00 😀 " * 4  # 3 parts of at most 67 UTF-16 units


async def test_smpp_sends_through_an_smsc_and_receipts_update_statuses_live(config: Config) -> None:
    with FakeSmsc() as smsc:
        cfg = sms_config(config, gateway="smpp", smpp_host="127.0.0.1", smpp_port=smsc.port,
                         smpp_system_id=smsc.system_id, smpp_password=smsc.password)
        async with running_server(cfg) as server:
            tenant = await make_tenant(server)
            anna = await make_user(server, tenant, "Anna Author")
            await anna.connect()
            svc = server.services
            to = numbers(2, start=600)
            short_id, _ = await released_message(svc, tenant["id"], anna.user["id"], to[:1], body="Hoi € [x]",
                                                 originator="DemoStaff")
            long_id, _ = await released_message(svc, tenant["id"], anna.user["id"], to[1:], body=LONG_UCS2,
                                                encoding="ucs2", originator="31612345678")
            await wake(svc)
            delivered: set[int] = set()
            while len(delivered) < 2:
                ev = await anna.next_event("sms.recipient", timeout=20)
                if ev["data"]["recipient"]["state"] == "delivered":
                    delivered.add(ev["data"]["recipient"]["id"])
            for message_id in (short_id, long_id):
                await wait_for(lambda m=message_id: _status(svc, m, "sent"), timeout=20)

            assert smsc.binds == [smsc.system_id]
            short, *parts = smsc.submits
            assert (short.destination_addr, short.source_addr, short.data_coding, short.esm_class) == (
                to[0][1:], "DemoStaff", 0, 0)
            assert short.registered_delivery == 1
            assert short.short_message == b"Hoi \x1be \x1b<x\x1b>"  # GSM 03.38 with its extension table
            assert len(parts) == 3 and all(p.data_coding == 8 and p.esm_class == 0x40 for p in parts)
            udh = [p.short_message[:6] for p in parts]
            assert [h[5] for h in udh] == [1, 2, 3] and len({h[3] for h in udh}) == 1 and udh[0][4] == 3
            assert b"".join(p.short_message[6:] for p in parts).decode("utf-16-be") == LONG_UCS2
            (row,) = await rows(svc, long_id)
            assert row.provider_id == parts[0].message_id and row.attempts == 1
        assert smsc.receipts_acked == 4  # every receipt answered with deliver_sm_resp


async def _status(svc: object, message_id: int, status: str) -> bool:
    return await message_status(svc, message_id) == status  # type: ignore[arg-type]


async def test_smpp_errors_payload_mode_and_a_receipt_matched_by_message_id(config: Config) -> None:
    with FakeSmsc() as smsc:
        gw = SmppGateway("127.0.0.1", smsc.port, system_id=smsc.system_id, password=smsc.password,
                         long_messages="payload")
        await gw.start()
        submit = Submit(reference="d" * 32, recipient="+31612345678", originator="Demo", body="x" * 200,
                        encoding="gsm7")
        smsc.fail_next(1, 0x58)  # ESME_RTHROTTLED: try again later
        assert (await gw.send(submit)).outcome is Outcome.TRANSIENT
        smsc.fail_next(1, 0x0B)  # ESME_RINVDSTADR: never
        refused = await gw.send(submit)
        assert refused.outcome is Outcome.PERMANENT and "0x0b" in (refused.error or "")
        accepted = await gw.send(submit)
        assert accepted.outcome is Outcome.ACCEPTED
        (sent,) = smsc.submits
        assert sent.message_payload == b"x" * 200 and sent.short_message == b""
        await gw.aclose()
    gw = SmppGateway("127.0.0.1", smsc.port, system_id="esme", password="secret", timeout=0.5)
    await gw.start()  # nobody listens: it keeps trying in the background
    assert (await gw.send(submit)).outcome is Outcome.TRANSIENT
    await gw.aclose()

    # After a restart the gateway no longer knows the reference: the row's provider id finds it.
    async with running_server(sms_config(config, worker="off")) as server:
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        message_id, _ = await released_message(server.services, tenant["id"], anna.user["id"], numbers(1, 700))
        (claimed,) = await sms_outbox.claim(server.services, "smpp", 1)
        await sms_outbox.submitted(server.services, claimed.id, "smsc-id-1")
        report = DeliveryReport(reference=None, status=DeliveryStatus.FAILED, reason="EXPIRED (err 001)",
                                provider_id="smsc-id-1")
        assert await sms_outbox.apply_report(server.services, report)
        (row,) = await rows(server.services, message_id)
        assert (row.state, row.error) == ("failed", "EXPIRED (err 001)")


async def test_the_smpp_rate_limit_counts_each_submitted_part(config: Config) -> None:
    """5 a second and 6 SMS of 3 parts: never more than 5 + 5 per second submit_sm, counted on a fake clock."""
    clock = FakeClock()
    with FakeSmsc() as smsc:
        cfg = sms_config(config, gateway="smpp", smpp_host="127.0.0.1", smpp_port=smsc.port,
                         smpp_system_id=smsc.system_id, smpp_password=smsc.password, rate_per_second=5)
        async with running_server(cfg, clock=clock) as server:
            tenant = await make_tenant(server)
            anna = await make_user(server, tenant, "Anna Author")
            message_id, _ = await released_message(server.services, tenant["id"], anna.user["id"],
                                                   numbers(6, start=800), body=LONG_UCS2, encoding="ucs2")
            seen = []
            for expected in (5, 10, 15, 18):  # 5 parts a second, the 6th SMS's 3 in the last
                await wake(server.services)
                await wait_for(lambda n=expected: len(smsc.submits) >= n, timeout=20)
                for _ in range(3):  # and no more, however long the dispatcher keeps trying
                    await asyncio.sleep(0.2)
                seen.append(len(smsc.submits))
                clock.advance(1)
            assert seen == [5, 10, 15, 18]
            await wait_for(lambda: _status(server.services, message_id, "sent"), timeout=20)
