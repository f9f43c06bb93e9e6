"""The dispatcher as its own process, killed with SIGKILL halfway through 400 recipients.

The fake Spryng takes the first 160 messages normally; from then on it takes each
message but answers nobody (a provider that got the request while the sender died).
The worker is killed in that state and restarted. Each recipient must reach Spryng
exactly once; the rows the kill interrupted become 'unknown' (Spryng cannot be asked
by reference) and are settled by their delivery reports, never sent again.
"""

from __future__ import annotations

import asyncio
import signal

from chatserver.config import Config
from sms.config import SmsConfig
from tests.fakes.spryng import FakeSpryng
from tests.helpers import make_tenant, make_user, running_server, wait_for
from tests.sms.dispatch.helpers import numbers, released_message, rows, sms_config, states, worker_process

TOTAL = 400
BEFORE_KILL = 160
CONCURRENCY = 8


async def test_worker_killed_halfway_sends_each_recipient_exactly_once(config: Config) -> None:
    # Reports are kept back until the sending is done: with SQLite, a hub applying a
    # report per HTTP call and a worker writing at full speed starve each other.
    with FakeSpryng(auto_report=False) as fake:
        cfg = sms_config(config, gateway="spryng", spryng_url=fake.url, spryng_token=fake.token,
                         worker="off")
        async with running_server(cfg) as server:
            fake.report_url = f"{server.url}/api/sms/reports/spryng?secret={cfg.section(SmsConfig).report_secret}"
            svc = server.services
            tenant = await make_tenant(server)
            anna = await make_user(server, tenant, "Anna Author")
            message_id, refs = await released_message(svc, tenant["id"], anna.user["id"],
                                                      numbers(TOTAL, start=20000))
            env = {
                "CHATSERVER_DATABASE_URL": cfg.database_url, "CHATSERVER_SMS_GATEWAY": "spryng",
                "CHATSERVER_SPRYNG_URL": fake.url, "CHATSERVER_SPRYNG_TOKEN": fake.token,
                "CHATSERVER_SMS_RATE_PER_SECOND": "5000", "CHATSERVER_SMS_CONCURRENCY": str(CONCURRENCY),
                "CHATSERVER_SMS_POLL_SECONDS": "0.2",
            }
            fake.hold_after(BEFORE_KILL)
            worker = worker_process(env)
            try:
                await wait_for(lambda: len(fake.held()) >= 1, timeout=180)
                await asyncio.sleep(0.5)  # the rest of the batch in flight reaches Spryng too
                worker.send_signal(signal.SIGKILL)
                assert await asyncio.to_thread(worker.wait, 30) == -signal.SIGKILL

                held = {m["reference"] for m in fake.held()}
                interrupted = {r.reference for r in await rows(svc, message_id) if r.state == "submitting"}
                assert held and held <= interrupted and len(interrupted) <= CONCURRENCY
                assert len(fake.accepted()) == BEFORE_KILL + len(held)

                fake.release()
                worker = worker_process(env)
                await wait_for(lambda: _all_in(svc, message_id, interrupted, "unknown"), timeout=60)
                # The rest is sent; then Spryng's reports settle everything it took,
                # the interrupted rows among them.
                await wait_for(lambda: _done_sending(svc, message_id, TOTAL - len(interrupted)), timeout=180)
                answers = await asyncio.to_thread(fake.send_reports)
                assert set(answers) == {200}
                never_left = interrupted - held  # claimed, killed before the request went out
                await wait_for(lambda: _settled(svc, message_id, TOTAL - len(never_left)), timeout=120)
            finally:
                worker.send_signal(signal.SIGTERM)
                exit_code = await asyncio.to_thread(worker.wait, 30)
            assert exit_code == 0  # a clean shutdown on SIGTERM (the restarted worker)

            at_spryng = fake.submits_by_reference()
            assert set(at_spryng.values()) == {1}  # nobody twice
            assert set(at_spryng) == set(refs) - never_left
            final = {r.reference: r.state for r in await rows(svc, message_id)}
            assert {ref for ref, state in final.items() if state == "unknown"} == never_left
            assert all(final[ref] == "delivered" for ref in at_spryng)


async def _all_in(svc: object, message_id: int, refs: set[str], state: str) -> bool:
    return all(r.state == state for r in await rows(svc, message_id) if r.reference in refs)  # type: ignore[arg-type]


async def _done_sending(svc: object, message_id: int, submitted: int) -> bool:
    return (await states(svc, message_id)).get("submitted", 0) == submitted  # type: ignore[arg-type]


async def _settled(svc: object, message_id: int, delivered: int) -> bool:
    return (await states(svc, message_id)).get("delivered", 0) == delivered  # type: ignore[arg-type]
