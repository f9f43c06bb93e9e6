"""Directory and records over REST (AC-4): bulk import, paging, search, organisations,
folders, groups with members, records with their timeline, and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import make_tenant, make_user, two_contacts

TOTAL = 5000


def person(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "candidate" if i % 3 else "contact_person",
        "name": f"Kandidaat {i:05d}",
        "function": "Monteur" if i % 2 else "Planner",
        "phone": f"020-{i:07d}",
        "mobile": f"+316{i:08d}",
        "email": f"kandidaat{i:05d}@example.org",
        "external_ref": f"ext-{i}",
        **extra,
    }


async def count(client: ChatClient, collection: str = "people", **params: Any) -> int:
    return int((await client.rest("GET", f"/api/{collection}", limit=1, **params))["total"])


async def test_bulk_import_of_5000_people_then_page_and_search(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    rows = [person(i) for i in range(TOTAL)]
    # Shuffle the input order a little: the listing orders by name, whatever came first.
    rows = rows[1::2] + rows[::2]
    result = await anna.rest("POST", "/api/people/import", {"people": rows})
    assert result == {"imported": TOTAL}

    # Every page of 500, in name order, no one twice, no one missing.
    seen: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = await anna.rest("GET", "/api/people", limit=500, offset=offset)
        assert page["total"] == TOTAL
        if not page["items"]:
            break
        assert len(page["items"]) <= 500
        seen.extend(page["items"])
        offset += 500
    assert len(seen) == TOTAL
    assert [p["name"] for p in seen] == [f"Kandidaat {i:05d}" for i in range(TOTAL)]
    assert len({p["id"] for p in seen}) == TOTAL
    first = seen[0]
    assert first["kind"] == "contact_person" and first["function"] == "Planner"
    assert first["email"] == "kandidaat00000@example.org" and first["mobile"] == "+31600000000"
    assert first["tenant_id"] == org["id"] and first["external_ref"] == "ext-0"

    # Search by name and by e-mail, case-insensitively, with paging of the matches.
    hits = await anna.rest("GET", "/api/people", q="KANDIDAAT 0004", limit=4)
    assert hits["total"] == 10
    assert [p["name"] for p in hits["items"]] == [f"Kandidaat {i:05d}" for i in range(40, 44)]
    rest = await anna.rest("GET", "/api/people", q="kandidaat 0004", limit=4, offset=8)
    assert [p["name"] for p in rest["items"]] == ["Kandidaat 00048", "Kandidaat 00049"]
    by_mail = await anna.rest("GET", "/api/people", q="kandidaat04999@example")
    assert [p["name"] for p in by_mail["items"]] == ["Kandidaat 04999"] and by_mail["total"] == 1
    assert (await anna.rest("GET", "/api/people", q="niemand"))["items"] == []

    # One person by id.
    one = await anna.rest("GET", f"/api/people/{seen[123]['id']}")
    assert one["name"] == "Kandidaat 00123"

    # Paging parameters are checked.
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "veel"}):
        with pytest.raises(ClientError) as err:
            await anna.rest("GET", "/api/people", **params)
        assert err.value.status == 400

    # Another organisation sees none of them, by list, search or id.
    other = await make_user(server, await make_tenant(server), "Xavi")
    assert await count(other) == 0
    assert await count(other, q="kandidaat") == 0
    with pytest.raises(ClientError) as err:
        await other.rest("GET", f"/api/people/{seen[0]['id']}")
    assert err.value.status == 404


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"name": ""}, "name' is required"),
        ({"name": 42}, "name' must be a string"),
        ({"kind": "alien"}, "kind' must be one of"),
        ({"shoe_size": 44}, "shoe_size' is unknown"),
        ({"email": "x" * 300}, "email' is longer than"),
        ({"organisation_id": "seven"}, "organisation_id' must be an integer"),
    ],
)
async def test_one_bad_row_rejects_the_import_and_names_the_row(server, bad, words):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    rows = [person(i) for i in range(3000)]
    rows[2345] = {**rows[2345], **bad}
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/people/import", {"people": rows})
    assert err.value.status == 400
    # The input layer names the row and its field (api.contract, the route's declaration).
    assert "'people[2345]." in err.value.message and words in err.value.message, err.value.message
    assert await count(anna) == 0, "a rejected import stored people"
    # The same rows without the bad one import in full.
    rows[2345] = person(2345)
    assert (await anna.rest("POST", "/api/people/import", {"people": rows}))["imported"] == 3000
    assert await count(anna) == 3000


async def test_import_input_shape_is_checked(server):
    anna = await make_user(server, await make_tenant(server), "Anna")
    for body in ({}, {"people": []}, {"people": "everyone"}, {"people": [person(0), "not an object"]}):
        with pytest.raises(ClientError) as err:
            await anna.rest("POST", "/api/people/import", body)
        assert err.value.status == 400
    assert await count(anna) == 0


async def test_import_refers_only_to_own_organisations_and_folders(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    xavi = await make_user(server, await make_tenant(server), "Xavi")
    mine = await anna.rest("POST", "/api/organisations", {"name": "Bouwbedrijf De Vries"})
    folder = await anna.rest("POST", "/api/folders", {"name": "Zomer 2024"})
    theirs = await xavi.rest("POST", "/api/organisations", {"name": "Elders BV"})

    rows = [person(i, organisation_id=mine["id"], folder_id=folder["id"]) for i in range(50)]
    rows[30] = person(30, organisation_id=theirs["id"])
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/people/import", {"people": rows})
    assert err.value.status == 404
    assert await count(anna) == 0

    rows[30] = person(30, organisation_id=mine["id"], folder_id=folder["id"])
    assert (await anna.rest("POST", "/api/people/import", {"people": rows}))["imported"] == 50
    items = (await anna.rest("GET", "/api/people", limit=100))["items"]
    assert {(p["organisation_id"], p["folder_id"]) for p in items} == {(mine["id"], folder["id"])}


async def test_organisations_folders_groups_and_members(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    xavi = await make_user(server, await make_tenant(server), "Xavi")

    made = {}
    for collection, name in (("organisations", "Transport Noord"), ("folders", "Pool"), ("groups", "Heftruck")):
        created = await anna.rest("POST", f"/api/{collection}", {"name": f"  {name}  "})
        assert created["name"] == name and created["tenant_id"] == org["id"]
        assert (await anna.rest("GET", f"/api/{collection}/{created['id']}"))["name"] == name
        listed = await anna.rest("GET", f"/api/{collection}", q=name[:4].lower())
        assert [i["id"] for i in listed["items"]] == [created["id"]]
        with pytest.raises(ClientError) as err:
            await anna.rest("POST", f"/api/{collection}", {"name": " "})
        assert err.value.status == 400 and err.value.code == "missing_field"
        # Another tenant: not found, not listed.
        with pytest.raises(ClientError) as err:
            await xavi.rest("GET", f"/api/{collection}/{created['id']}")
        assert err.value.status == 404
        assert (await xavi.rest("GET", f"/api/{collection}"))["total"] == 0
        made[collection] = created

    await anna.rest("POST", "/api/people/import", {"people": [person(i) for i in range(5)]})
    people = (await anna.rest("GET", "/api/people"))["items"]
    ids = [p["id"] for p in people]
    group = made["groups"]["id"]
    added = await anna.rest("POST", f"/api/groups/{group}/members", {"person_ids": ids[:3]})
    assert added == {"group_id": group, "person_ids": sorted(ids[:3])}
    # Adding again is harmless; the group holds each person once.
    added = await anna.rest("POST", f"/api/groups/{group}/members", {"person_ids": ids[2:5]})
    assert added["person_ids"] == sorted(ids)
    assert (await anna.rest("GET", f"/api/groups/{group}"))["person_ids"] == sorted(ids)

    # Another tenant's people cannot be added; another tenant cannot touch the group.
    await xavi.rest("POST", "/api/people", {"name": "Vreemde"})
    foreign = (await xavi.rest("GET", "/api/people"))["items"][0]["id"]
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", f"/api/groups/{group}/members", {"person_ids": [ids[0], foreign]})
    assert err.value.status == 400 and err.value.code == "unknown_person"
    with pytest.raises(ClientError) as err:
        await xavi.rest("POST", f"/api/groups/{group}/members", {"person_ids": [foreign]})
    assert err.value.status == 404
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", f"/api/groups/{group}/members", {"person_ids": "all"})
    assert err.value.status == 400
    assert (await anna.rest("GET", f"/api/groups/{group}"))["person_ids"] == sorted(ids)

    # Unknown collections and malformed ids are clear errors.
    with pytest.raises(ClientError) as err:
        await anna.rest("GET", "/api/spaceships")
    assert err.value.status == 404  # no such path: only the collections match /api/{kind}
    with pytest.raises(ClientError) as err:
        await anna.rest("GET", f"/api/groups/{2**63}")
    assert err.value.status == 400 and err.value.code == "out_of_range"
    with pytest.raises(ClientError) as err:
        # No item's path: /api/{kind}/{id} takes digits (so /api/people/import is not an item).
        await anna.rest("GET", "/api/groups/abc")
    assert err.value.status == 404


async def test_records_with_timeline_and_isolation(server):
    _, anna, bram = await two_contacts(server)
    _, xavi, yara = await two_contacts(server, "Xavi", "Yara")

    cand = await anna.rest("POST", "/api/people", {"name": "Sanne Bakker", "kind": "candidate"})
    record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Sanne Bakker", "person_id": cand["id"]})
    assert record["person_id"] == cand["id"] and record["kind"] == "candidate"
    timeline = await anna.rest("GET", f"/api/records/{record['id']}/timeline")
    assert timeline["record"]["id"] == record["id"] and timeline["entries"] == []

    for i, body in enumerate(("Zij kan maandag beginnen", "Contract is getekend")):
        sent = await anna.rest(
            "POST", f"/api/records/{record['id']}/chat",
            {"to": bram.user["id"], "body": body, "client_msg_id": f"rec-{i}"},
        )
        assert sent["message"]["subject"] == "Candidate: Sanne Bakker"
        assert sent["message"]["record_id"] == record["id"]
    entries = (await anna.rest("GET", f"/api/records/{record['id']}/timeline"))["entries"]
    assert [e["kind"] for e in entries] == ["chat", "chat"]
    assert "Contract is getekend" in entries[0]["summary"] and "maandag" in entries[1]["summary"]
    assert entries[0]["actor_user_id"] == anna.user["id"]
    # Bram, a colleague, sees the same dossier.
    assert len((await bram.rest("GET", f"/api/records/{record['id']}/timeline"))["entries"]) == 2

    # Bad input.
    for body in ({"kind": "spaceship", "title": "x"}, {"kind": "vacancy"}, {"kind": "vacancy", "title": "x", "person_id": "y"}):
        with pytest.raises(ClientError) as err:
            await anna.rest("POST", "/api/records", body)
        assert err.value.status == 400

    # Another tenant: the record, its timeline and chatting about it are all 404,
    # and a record cannot point at another tenant's person.
    for method, path, body in (
        ("GET", f"/api/records/{record['id']}", None),
        ("GET", f"/api/records/{record['id']}/timeline", None),
        ("POST", "/api/records", {"kind": "candidate", "title": "Stiekem", "person_id": cand["id"]}),
    ):
        with pytest.raises(ClientError) as err:
            await xavi.rest(method, path, body)
        assert err.value.status == 404
    with pytest.raises(ClientError) as err:
        await xavi.rest(
            "POST", f"/api/records/{record['id']}/chat",
            {"to": yara.user["id"], "body": "over hun dossier", "client_msg_id": "steal"},
        )
    assert err.value.status == 404
    assert (await yara.rest("GET", "/api/conversations"))["conversations"] == []
    with pytest.raises(ClientError) as err:
        await anna.rest(
            "POST", f"/api/records/{record['id'] + 10_000_000}/chat",
            {"to": bram.user["id"], "body": "x", "client_msg_id": "nope"},
        )
    assert err.value.status == 404
    assert (await xavi.rest("GET", "/api/records"))["total"] == 0
    assert len((await anna.rest("GET", f"/api/records/{record['id']}/timeline"))["entries"]) == 2
