"""The directory (AC-4) and a record's page: colleagues, candidates, contact persons and records
found by a piece of the name, one organisation only; a record with its person and a timeline
whose entries say what the page shows of them (IC-7's chat, an SMS, a call)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatserver.client import ClientError
from tests.helpers import befriend, make_tenant, make_user


async def test_the_directory_finds_each_kind_in_the_callers_organisation_only(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna Jansen", function="Recruiter")
    bram = await make_user(server, org, "Bram de Vries", function="Planner")
    await befriend(anna, bram)
    acme = await anna.rest("POST", "/api/organisations", {"name": "Acme Bouw"})
    piet = await anna.rest("POST", "/api/people", {"kind": "candidate", "name": "Piet de Vries", "function": "Monteur"})
    await anna.rest("POST", "/api/people", {"kind": "contact_person", "name": "Rita Vries",
                                                   "organisation_id": acme["id"]})
    piet_record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Piet de Vries",
                                                           "person_id": piet["id"]})
    vacancy = await anna.rest("POST", "/api/records", {"kind": "vacancy", "title": "Monteur Vries"})
    outsider = await make_user(server, await make_tenant(server, "other"), "Vries Buiten")
    await outsider.rest("POST", "/api/people", {"kind": "candidate", "name": "Karel Vries"})

    found = (await anna.rest("GET", "/api/directory?q=vries"))["results"]
    assert [(c["name"], c["is_contact"]) for c in found["colleague"]] == [("Bram de Vries", True)]
    assert [(c["name"], c["record_id"]) for c in found["candidate"]] == [("Piet de Vries", piet_record["id"])]
    assert [(c["name"], c["organisation"]) for c in found["contact_person"]] == [("Rita Vries", "Acme Bouw")]
    # A person's record is reached by the person; other records are listed themselves.
    assert [(r["name"], r["kind"]) for r in found["record"]] == [("Monteur Vries", "vacancy")]
    assert vacancy["id"] == found["record"][0]["record_id"]

    by_function = (await anna.rest("GET", "/api/directory?q=plann&kind=colleague"))["results"]
    assert list(by_function) == ["colleague"] and [c["name"] for c in by_function["colleague"]] == ["Bram de Vries"]
    everything = (await anna.rest("GET", "/api/directory"))["results"]
    assert {c["name"] for c in everything["colleague"]} == {"Anna Jansen", "Bram de Vries"}
    assert [c["me"] for c in everything["colleague"] if c["name"] == "Anna Jansen"] == [True]
    assert (await anna.rest("GET", "/api/directory?q=100%25"))["results"]["candidate"] == []  # % is a character

    theirs = (await outsider.rest("GET", "/api/directory?q=vries"))["results"]
    assert [c["name"] for c in theirs["candidate"]] == ["Karel Vries"] and theirs["contact_person"] == []
    assert [c["name"] for c in theirs["colleague"]] == ["Vries Buiten"]
    for bad, field in (("kind=dossier", "kind"), ("limit=0", "limit"), ("q=" + "x" * 101, "q")):
        with pytest.raises(ClientError) as err:
            await anna.rest("GET", f"/api/directory?{bad}")
        assert err.value.status == 400 and err.value.message.startswith(field), bad


async def test_a_records_page_has_its_person_and_a_timeline_with_details(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna Jansen")
    bram = await make_user(server, org, "Bram de Vries")
    carla = await make_user(server, org, "Carla Smit")
    await befriend(anna, bram)
    piet = await anna.rest("POST", "/api/people", {"kind": "candidate", "name": "Piet de Vries",
                                                   "mobile": "06-12345678", "email": "piet@example.nl"})
    record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Piet de Vries",
                                                      "person_id": piet["id"]})
    await anna.rest("POST", f"/api/records/{record['id']}/chat",
                    {"to": bram.user["id"], "body": "Kun jij Piet bellen?", "client_msg_id": "r-1"})
    room = (await anna.rest("POST", "/api/video/rooms", {"record_id": record["id"]}))["room"]

    page = await anna.rest("GET", f"/api/records/{record['id']}/timeline")
    assert page["record"]["title"] == "Piet de Vries"
    assert page["person"]["mobile"] == "06-12345678" and page["person"]["email"] == "piet@example.nl"
    call, chat = page["entries"]  # newest first
    assert chat["kind"] == "chat" and chat["actor_name"] == "Anna Jansen"
    assert chat["details"] == {"from": "Anna Jansen", "to": "Bram de Vries", "body": "Kun jij Piet bellen?",
                               "subject": "Candidate: Piet de Vries", "open_with": bram.user["id"]}
    assert call["kind"] == "video" and call["details"]["room"] == room["token"] and call["details"]["open"]

    # Bram wrote nothing but is the other party; Carla is neither and gets no conversation to open,
    # and no call's link (the link lets one in).
    assert (await bram.rest("GET", f"/api/records/{record['id']}/timeline"))["entries"][1]["details"][
        "open_with"] == anna.user["id"]
    theirs = (await carla.rest("GET", f"/api/records/{record['id']}/timeline"))["entries"]
    assert theirs[1]["details"]["open_with"] is None and theirs[0]["details"]["room"] is None

    # A planned interview (VC-2): when, how long, recorded; its call for the colleagues in it.
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    await anna.rest("POST", "/api/video/appointments", {
        "record_id": record["id"], "starts_at": starts.isoformat(), "minutes": 45,
        "colleagues": [bram.user["id"]], "recorded": True})
    for who, takes_part in ((bram, True), (carla, False)):
        planned = (await who.rest("GET", f"/api/records/{record['id']}/timeline"))["entries"][0]
        assert planned["kind"] == "appointment"
        d = planned["details"]
        assert (d["candidate"], d["minutes"], d["recorded"], d["cancelled"]) == ("Piet de Vries", 45, True, False)
        assert datetime.fromisoformat(d["starts_at"]) == starts
        assert (d["room"] is not None) is takes_part


async def test_the_demo_has_records_with_timelines(config, tmp_path):
    """``serve --demo``: the directory has candidates, contact persons and vacancies, and Piet's
    record shows a chat about it, an SMS, a planned interview, a call and a recording to play."""
    from dataclasses import replace

    from chatserver.client import ChatClient
    from chatserver.demo import seed
    from tests.helpers import running_server

    # A database of its own: the shared one may hold a demo organisation already (other tests seed it).
    own = replace(config, database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}", create_schema=True,
                  media_dir=str(tmp_path / "media"))
    async with running_server(own) as srv:
        password = await seed(srv.services)
        anna = await ChatClient.login(srv.url, "demo", "anna", password)
        try:
            found = (await anna.rest("GET", "/api/directory"))["results"]
            assert {len(found[k]) > 0 for k in ("colleague", "candidate", "contact_person", "record")} == {True}
            piet = next(c for c in found["candidate"] if c["name"] == "Piet Pieters")
            page = await anna.rest("GET", f"/api/records/{piet['record_id']}/timeline")
            kinds = [e["kind"] for e in page["entries"]]
            assert sorted(set(kinds)) == ["appointment", "chat", "recording", "sms", "video"], kinds
            played = next(e for e in page["entries"] if e["kind"] == "recording")["details"]
            assert played["seconds"] == 4 and played["media_url"]
        finally:
            await anna.close()
