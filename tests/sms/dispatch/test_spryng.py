"""Spryng through a local fake speaking its REST API: exact requests, reports live, retries, rate."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx

from chatserver.clock import FakeClock
from chatserver.config import Config
from sms.config import SmsConfig
from sms.dispatcher import wake
from sms.gateways.base import DeliveryStatus, Outcome, Submit
from sms.gateways.spryng import SpryngGateway
from tests.fakes.spryng import FakeSpryng
from tests.helpers import Server, make_tenant, make_user, running_server, wait_for
from tests.sms.dispatch.helpers import message_status, numbers, released_message, rows, sms_config
from tests.sms.service.helpers import make_org


@asynccontextmanager
async def spryng_hub(config: Config, *, clock: FakeClock | None = None, rate: float = 0.0,
                     reports: bool = True, worker: str = "embedded",
                     **fake_options: Any) -> AsyncIterator[tuple[Server, FakeSpryng]]:
    """A hub whose in-process dispatcher sends through a fake Spryng that calls the hub back."""
    with FakeSpryng(**fake_options) as fake:
        cfg = sms_config(config, gateway="spryng", spryng_url=fake.url, spryng_token=fake.token,
                         spryng_route="business", rate_per_second=rate, worker=worker)
        async with running_server(cfg, clock=clock) as server:
            if reports:
                fake.report_url = f"{server.url}/api/sms/reports/spryng?secret={cfg.section(SmsConfig).report_secret}"
            yield server, fake


async def test_fake_spryng_receives_exactly_the_expected_requests_and_reports_update_live(config: Config) -> None:
    """Composed through the REST API, released by CORE, sent by the hub's dispatcher."""
    async with spryng_hub(config) as (server, fake):
        org = await make_org(server, sender="JobGenius")
        await org.anna.connect()
        await org.sam.connect()  # the SMS-admin follows it too
        typed = ["06-12345678", "+31 6 2345 6789", "0031-6-34567890"]
        answer = await org.anna.rest("POST", "/api/sms/messages", {
            "subject": "Gesprek", "body": "Sollicitatie morgen € 10",
            "recipients": [{"type": "number", "number": n} for n in typed]})
        message_id = answer["message"]["id"]

        for client in (org.anna, org.sam):
            # 'sent' comes once every row is submitted; the reports then make them delivered.
            final: dict[int, str] = {}
            status = ""
            while status != "sent" or len(final) < 3 or any(s != "delivered" for s in final.values()):
                ev = await client.next_event(timeout=20)
                if ev["type"] == "sms.recipient":
                    assert ev["data"]["message_id"] == message_id
                    final[ev["data"]["recipient"]["id"]] = ev["data"]["recipient"]["state"]
                elif ev["type"] == "sms.message" and ev["data"]["message"]["id"] == message_id:
                    status = ev["data"]["message"]["status"]

        outbox = await rows(server.services, message_id)
        sent = fake.message_requests()
        assert len(sent) == 3
        assert all(r.authorization == f"Bearer {fake.token}" and r.status == 200 for r in sent)
        assert sorted((r.json for r in sent), key=lambda j: j["reference"]) == sorted((
            {"encoding": "plain", "body": "Sollicitatie morgen € 10", "route": "business",
             "originator": "JobGenius", "recipients": [row.number.removeprefix("+")], "reference": row.reference}
            for row in outbox if row.number
        ), key=lambda j: j["reference"])
        assert sorted(row.number for row in outbox) == ["+31612345678", "+31623456789", "+31634567890"]
        by_ref = {m["reference"]: m["id"] for m in fake.accepted()}
        for row in outbox:
            assert row.state == "delivered" and row.attempts == 1 and row.provider_id == by_ref[row.reference]
        await wait_for(lambda: {r["REFERENCE"] for r in fake.reports_sent} == set(by_ref))


async def _status(svc: object, message_id: int, status: str) -> bool:
    return await message_status(svc, message_id) == status  # type: ignore[arg-type]


async def _state_of(svc: object, message_id: int) -> list[tuple[str, int]]:
    return [(r.state, r.attempts) for r in await rows(svc, message_id)]  # type: ignore[arg-type]


async def test_transient_errors_are_retried_with_backoff_and_permanent_ones_are_not(config: Config) -> None:
    clock = FakeClock()
    async with spryng_hub(config, clock=clock, reports=False) as (server, fake):
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        svc = server.services
        fake.fail_next(2, 503)
        retried, _ = await released_message(svc, tenant["id"], anna.user["id"], numbers(1, start=200))
        await wake(svc)
        await wait_for(lambda: _is(svc, retried, [("pending", 1)]))
        (row,) = await rows(svc, retried)
        assert row.next_attempt_at == clock.now() + timedelta(seconds=5) and "503" in (row.error or "")

        # Not before its time: several dispatcher rounds pass, nothing is sent.
        for _ in range(3):
            await wake(svc)
            await asyncio.sleep(0.3)
        assert len(fake.message_requests()) == 1

        clock.advance(5)
        await wake(svc)
        await wait_for(lambda: _is(svc, retried, [("pending", 2)]))
        (row,) = await rows(svc, retried)
        assert row.next_attempt_at == clock.now() + timedelta(seconds=10)  # doubled
        clock.advance(10)
        await wake(svc)
        await wait_for(lambda: _is(svc, retried, [("submitted", 3)]))
        assert [r.status for r in fake.message_requests()] == [503, 503, 200]

        # 422 (an originator Spryng refuses) fails at once and is never tried again.
        refused, _ = await released_message(svc, tenant["id"], anna.user["id"], numbers(1, start=300),
                                            originator="Not Valid!")
        await wake(svc)
        await wait_for(lambda: _is(svc, refused, [("failed", 1)]))
        clock.advance(3600)
        for _ in range(3):
            await wake(svc)
            await asyncio.sleep(0.3)
        assert [r.status for r in fake.message_requests()] == [503, 503, 200, 422]
        (row,) = await rows(svc, refused)
        assert "422" in (row.error or "") and "originator" in (row.error or "")
        await wait_for(lambda: _status(svc, refused, "failed"))


async def _is(svc: object, message_id: int, expected: list[tuple[str, int]]) -> bool:
    return await _state_of(svc, message_id) == expected


async def test_the_rate_limit_is_kept(config: Config) -> None:
    """Counted on a fake clock: 5 a second means 5 sent until the clock moves a second on."""
    clock = FakeClock()
    async with spryng_hub(config, clock=clock, rate=5, reports=False) as (server, fake):
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        await released_message(server.services, tenant["id"], anna.user["id"], numbers(12, start=400))
        for expected in (5, 10, 12):
            await wake(server.services)
            await wait_for(lambda n=expected: len(fake.message_requests()) >= n, timeout=20)
            for _ in range(3):  # and no more, however long the dispatcher keeps trying
                await asyncio.sleep(0.2)
            assert len(fake.message_requests()) == expected
            clock.advance(1)


async def test_delivery_report_callbacks_are_authenticated_idempotent_and_leak_nothing(config: Config) -> None:
    # No dispatcher here (a worker elsewhere would send): the hub still takes the reports.
    async with spryng_hub(config, worker="off") as (server, fake):
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        svc = server.services
        message_id, (ref,) = await released_message(svc, tenant["id"], anna.user["id"], numbers(1, start=500))
        secret = server.config.section(SmsConfig).report_secret
        url = f"{server.url}/api/sms/reports/spryng"
        async with httpx.AsyncClient() as http:
            for params in ({"secret": "wrong"}, {}):
                r = await http.get(url, params={**params, "REFERENCE": ref, "STATUS": "Delivered"})
                assert r.status_code == 403 and r.json()["error"]["code"] == "bad_report_secret"
            r = await http.get(url, params={"secret": secret, "REFERENCE": "f" * 32, "STATUS": "Delivered"})
            assert r.status_code == 404 and r.json() == {"error": {"code": "not_found", "message": "no such message"}}
            r = await http.get(url, params={"secret": secret, "REFERENCE": ref, "STATUS": "Sometimes"})
            assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_report"
            assert await _state_of(svc, message_id) == [("pending", 0)]

            # A report may overtake the submit's answer: the row is settled either way.
            await anna.connect()
            r = await http.post(url + f"?secret={secret}", data={"REFERENCE": ref, "STATUS": "Not Delivered",
                                                                  "REASON": "absent subscriber"})
            assert r.status_code == 200
            ev = await anna.next_event("sms.recipient", timeout=10)
            assert ev["data"]["recipient"]["state"] == "failed"
            assert ev["data"]["recipient"]["error"] == "absent subscriber"
            for status in ("Not Delivered", "Delivered"):  # repeated or late: nothing changes
                r = await http.get(url, params={"secret": secret, "REFERENCE": ref, "STATUS": status})
                assert r.status_code == 200
        assert await _state_of(svc, message_id) == [("failed", 0)]
        await wait_for(lambda: _status(svc, message_id, "failed"))
        assert anna.events.empty() or all(
            e.get("type") != "sms.recipient" for e in list(anna.events._queue)  # type: ignore[attr-defined]
        )


async def test_spryng_gateway_classifies_answers(config: Config) -> None:
    submit = Submit(reference="c" * 32, recipient="+31612345678", originator="Demo", body="Hoi", encoding="ucs2")
    with FakeSpryng() as fake:
        gw = SpryngGateway(fake.url, "wrong-token")
        result = await gw.send(submit)
        assert result.outcome is Outcome.PERMANENT and "401" in (result.error or "")
        await gw.aclose()
        gw = SpryngGateway(fake.url, fake.token, route="1234")
        fake.fail_next(1, 429)
        assert (await gw.send(submit)).outcome is Outcome.TRANSIENT
        accepted = await gw.send(submit)
        assert accepted.outcome is Outcome.ACCEPTED and accepted.provider_id == fake.accepted()[0]["id"]
        assert fake.message_requests()[-1].json["encoding"] == "unicode"
        assert fake.message_requests()[-1].json["route"] == "1234"
        assert await gw.balance() == 999.0
        await gw.aclose()
        port = fake.port
    gw = SpryngGateway(f"http://127.0.0.1:{port}/v1", "t")  # nobody listens any more
    assert (await gw.send(submit)).outcome is Outcome.TRANSIENT
    await gw.aclose()
    with FakeSpryng(response_delay=2) as slow:
        gw = SpryngGateway(slow.url, slow.token, timeout=0.3)
        result = await gw.send(submit)
        assert result.outcome is Outcome.AMBIGUOUS  # it may have been taken: never resent
        await gw.aclose()


async def test_numeric_reports_of_the_rest_platform_settle_rows_as_the_words_do(config: Config) -> None:
    """STATUS 10 / 20 with REASONCODE: the same states and reasons as Delivered / Not Delivered."""
    async with spryng_hub(config, worker="off") as (server, fake):
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        svc = server.services
        message_id, refs = await released_message(svc, tenant["id"], anna.user["id"], numbers(6, start=600),
                                                  state="submitted")
        sent = [("words", "Delivered", {}), ("numbers", "Delivered", {}),
                ("words", "Not Delivered", {"REASONCODE": "7"}), ("numbers", "Not Delivered", {}),
                ("words", "Not Delivered", {"REASONCODE": "0"}), ("numbers", "Not Delivered", {})]
        for ref, (form, status, extra) in zip(refs, sent, strict=True):
            fake.report_format = form
            fake.report_reason_code = "7" if ref != refs[5] else "0"
            assert await fake.areport(ref, status, **extra) == 200
        assert [r["STATUS"] for r in fake.reports_sent] == ["Delivered", "10", "Not Delivered", "20",
                                                            "Not Delivered", "20"]
        assert [(r.state, r.error) for r in await rows(svc, message_id)] == [
            ("delivered", None), ("delivered", None), ("failed", "reason code 7"), ("failed", "reason code 7"),
            ("failed", "unknown reason"), ("failed", "unknown reason"),
        ]
        url = f"{server.url}/api/sms/reports/spryng"
        async with httpx.AsyncClient() as http:
            for params, field in (({"STATUS": "30"}, "STATUS"), ({"STATUS": "20", "REASONCODE": "x"}, "REASONCODE")):
                r = await http.get(url, params={"secret": server.config.section(SmsConfig).report_secret, "REFERENCE": refs[0],
                                                **params})
                assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_report"
                assert field in r.json()["error"]["message"]


async def test_a_message_reported_in_numbers_is_delivered_end_to_end(config: Config) -> None:
    async with spryng_hub(config, report_format="numbers") as (server, fake):
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        message_id, _ = await released_message(server.services, tenant["id"], anna.user["id"], numbers(2, start=700))
        await wake(server.services)
        await wait_for(lambda: _is_states(server.services, message_id, ["delivered", "delivered"]), timeout=20)
        await wait_for(lambda: len(fake.reports_sent) == 2)
        assert {(r["STATUS"], r["answer"]) for r in fake.reports_sent} == {("10", "200")}


async def _is_states(svc: object, message_id: int, expected: list[str]) -> bool:
    return [state for state, _ in await _state_of(svc, message_id)] == expected


async def test_unknown_rows_are_looked_up_at_spryng_and_expire_when_nobody_can_tell(config: Config) -> None:
    """No answer and no report: the lookup settles what Spryng knows; the rest fails after the limit."""
    clock = FakeClock()
    cfg = sms_config(config, unknown_poll_seconds=60, unknown_expire_seconds=3600)
    async with spryng_hub(cfg, clock=clock, reports=False) as (server, fake):
        tenant = await make_tenant(server)
        anna = await make_user(server, tenant, "Anna Author")
        svc = server.services
        await anna.connect()
        # Three rows whose submit got no answer: Spryng took the first two, never saw the third.
        message_id, refs = await released_message(svc, tenant["id"], anna.user["id"], numbers(3, start=900),
                                                  state="unknown", gateway="spryng")
        gw = SpryngGateway(fake.url, fake.token)
        for ref, number in zip(refs[:2], numbers(2, start=900), strict=True):
            sent = await gw.send(Submit(reference=ref, recipient=number, originator="DemoStaff", body="Hallo",
                                        encoding="gsm7"))
            assert sent.outcome is Outcome.ACCEPTED
        fake.settle(refs[0], "Delivered")  # the report of the first is lost; the second has none yet
        by_id = await gw.delivery_status(refs[0], fake.accepted()[0]["id"])  # GET /messages/{id}
        assert by_id is not None and (by_id.status, by_id.reference) == (DeliveryStatus.DELIVERED, refs[0])
        assert await gw.delivery_status(refs[1], fake.accepted()[1]["id"]) is None
        await gw.aclose()

        await asyncio.sleep(0.5)
        assert await _state_of(svc, message_id) == [("unknown", 1)] * 3  # not before its time
        clock.advance(61)
        await wake(svc)
        await wait_for(lambda: _is_states(svc, message_id, ["delivered", "unknown", "unknown"]), timeout=20)
        # Looked up by reference (no id came back), each of the three (with any other test's left unknown).
        await wait_for(lambda: {r.json["filters[reference]"] for r in list(fake.requests)
                                if r.method == "GET" and r.path == "/v1/messages"} >= set(refs))
        ev = await anna.next_event("sms.recipient", timeout=10)
        assert ev["data"]["recipient"]["state"] == "delivered"

        # Spryng learns the second failed; the third stays unknown until the limit, then fails saying why.
        fake.settle(refs[1], "Not Delivered", "7")
        clock.advance(3600)
        await wake(svc)
        await wait_for(lambda: _is_states(svc, message_id, ["delivered", "failed", "failed"]), timeout=20)
        first, second, third = await rows(svc, message_id)
        assert second.error == "reason code 7"
        assert third.error == ("no word from the provider within 1 hour: it may or may not have arrived, "
                               "and is not sent again")
        assert third.final_at is not None and third.attempts == 1
        await wait_for(lambda: _status(svc, message_id, "sent"))
        assert len(fake.message_requests()) == 2  # nothing was sent again
