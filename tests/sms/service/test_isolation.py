"""Rights (SM-1): the module off per user, own messages only, SMS-admins see the tenant's,
nobody sees another tenant's (404, never 403, so ids do not leak)."""

from __future__ import annotations

import pytest

from chatserver.client import ClientError
from tests.helpers import make_user, running_server
from tests.sms.service.helpers import make_org, without_dispatcher

NUMBER = [{"type": "number", "number": "06-12345678"}]


async def _status(coro) -> int:  # type: ignore[no-untyped-def]
    with pytest.raises(ClientError) as err:
        await coro
    return err.value.status or 0


async def test_users_see_their_own_admins_the_tenants_and_strangers_nothing(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server, credits=10)
        bram = await make_user(server, org.tenant, "Bram Jansen")
        other = await make_org(server, credits=10)
        mine = (await org.anna.rest("POST", "/api/sms/messages",
                                    {"subject": "Anna's", "body": "Hoi", "recipients": NUMBER}))["message"]
        theirs = (await other.anna.rest("POST", "/api/sms/messages", {"body": "Elders", "recipients": NUMBER}))["message"]
        group = await other.key.rest("POST", "/api/sms/groups", {"name": "Theirs"})
        their_sub = await other.key.rest("POST", "/api/sms/subscriptions", {"name": "Theirs"})
        their_dyn = await other.key.rest("POST", "/api/sms/dynamic-groups", {
            "name": "Theirs", "rules": [{"field": "function", "op": "contains", "value": "a"}]})
        their_filter = await other.anna.rest("POST", "/api/sms/filters", {"name": "Theirs"})
        saved = await org.anna.rest("POST", "/api/sms/filters", {"name": "Mine", "query": {"status": "sending"}})

        # Anna sees hers; Bram (same tenant) sees nothing of hers; Sam (SMS-admin) sees it.
        assert [m["id"] for m in (await org.anna.rest("GET", "/api/sms/messages"))["items"]] == [mine["id"]]
        assert (await bram.rest("GET", "/api/sms/messages"))["items"] == []
        assert await _status(bram.rest("GET", f"/api/sms/messages/{mine['id']}")) == 404
        assert await _status(bram.rest("POST", f"/api/sms/messages/{mine['id']}/cancel")) == 404
        assert await _status(bram.rest("GET", f"/api/sms/messages/{mine['id']}/why", q="x")) == 404
        assert await _status(bram.rest("PATCH", f"/api/sms/filters/{saved['id']}", {"name": "x"})) == 404
        # Even asking for Anna's messages by user_id gives Bram only his own.
        assert (await bram.rest("GET", "/api/sms/messages", user_id=org.anna.user["id"]))["items"] == []
        admin_view = await org.sam.rest("GET", "/api/sms/messages", user_id=org.anna.user["id"])
        assert [m["id"] for m in admin_view["items"]] == [mine["id"]]
        assert (await org.sam.rest("GET", f"/api/sms/messages/{mine['id']}"))["user_name"] == "Anna de Vries"

        # Another tenant's ids are 404 for everyone, admins and key-users included.
        for client in (org.anna, org.sam, org.key):
            assert await _status(client.rest("GET", f"/api/sms/messages/{theirs['id']}")) == 404
            assert await _status(client.rest("DELETE", f"/api/sms/messages/{theirs['id']}")) == 404
            assert await _status(client.rest("GET", f"/api/sms/messages/{theirs['id']}/recipients")) == 404
            assert await _status(client.rest("GET", f"/api/sms/groups/{group['id']}")) == 404
            assert await _status(client.rest("PATCH", f"/api/sms/groups/{group['id']}", {"name": "Mine now"})) == 404
            assert await _status(client.rest("DELETE", f"/api/sms/groups/{group['id']}")) == 404
            assert await _status(client.rest("GET", f"/api/sms/subscriptions/{their_sub['id']}")) == 404
            assert await _status(client.rest("POST", f"/api/sms/subscriptions/{their_sub['id']}/opt-out",
                                             {"person_ids": [1]})) == 404
            assert await _status(client.rest("GET", f"/api/sms/dynamic-groups/{their_dyn['id']}/members")) == 404
            assert await _status(client.rest("DELETE", f"/api/sms/filters/{their_filter['id']}")) == 404
            assert await _status(client.rest("GET", "/api/sms/messages", filter_id=their_filter["id"])) == 404
        assert await _status(org.sam.rest("POST", f"/api/sms/messages/{theirs['id']}/approve")) == 404
        assert all(m["id"] != theirs["id"] for m in (await org.sam.rest("GET", "/api/sms/messages"))["items"])
        assert (await other.key.rest("GET", f"/api/sms/groups/{group['id']}"))["name"] == "Theirs"
        assert await other.balance() == 9 and await org.balance() == 9


async def test_module_switched_off_for_a_user(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server, credits=10)
        await org.user_setting(org.anna, "sms.enabled", False)
        for method, path, body in (("GET", "/api/sms/messages", None), ("GET", "/api/sms/config", None),
                                   ("POST", "/api/sms/messages", {"body": "Hoi", "recipients": NUMBER}),
                                   ("GET", "/api/sms/groups", None), ("POST", "/api/sms/preview", {"body": "x"})):
            with pytest.raises(ClientError) as err:
                await org.anna.rest(method, path, body)
            assert (err.value.status, err.value.code) == (403, "sms_disabled")
        assert await org.balance() == 10
        await org.user_setting(org.anna, "sms.enabled", True)
        assert (await org.anna.rest("GET", "/api/sms/config"))["enabled"] is True
