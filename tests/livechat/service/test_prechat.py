"""Pre-chat form and proactive messages over REST and the socket: stored per site, checked
with 400s naming the field, another organisation's site out of reach, the visit handing the
widget both, and the form's answers checked when the first message comes."""

from __future__ import annotations

import uuid

import pytest

from chatserver.client import ClientError
from tests.livechat.service.helpers import make_org, put_site

PRECHAT = {"fields": {"name": "required", "email": "required", "phone": "optional"}}
RULES = [{"url": "/vacatures/*", "seconds": 20, "message": {"nl": "Hulp nodig bij solliciteren?", "en": "Need help applying?"}}]


async def test_settings_are_stored_checked_and_kept_to_the_organisation(server):
    org = await make_org(server)
    site = {k: org.site[k] for k in ("name", "origins", "greeting")}
    saved = await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**site, "prechat": PRECHAT, "proactive": RULES})
    assert saved["prechat"] == PRECHAT and saved["proactive"] == RULES
    # A PUT without them keeps them.
    kept = await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", site)
    assert kept["prechat"] == PRECHAT and kept["proactive"] == RULES

    rule = RULES[0]
    for bad, field in [
        ({"prechat": {"fields": {"name": "sometimes"}}}, "prechat.fields.name"),
        ({"prechat": {"fields": {"age": "required"}}}, "prechat.fields.age"),
        ({"prechat": {"fields": {}}}, "prechat.fields"),
        ({"proactive": [{**rule, "url": "vacatures"}]}, "proactive[0].url"),
        ({"proactive": [{**rule, "url": "/a b"}]}, "proactive[0].url"),
        ({"proactive": [rule, {**rule, "seconds": 0}]}, "proactive[1].seconds"),
        ({"proactive": [{**rule, "seconds": 601}]}, "proactive[0].seconds"),
        ({"proactive": [{**rule, "message": {"nl": " "}}]}, "proactive[0].message"),
        ({"proactive": [rule] * 11}, "proactive"),
    ]:
        r = await put_site(server, org.key, org.site, {**site, "name": "Changed", **bad})
        assert r.status_code == 400, (bad, r.text)
        assert field in r.json()["error"]["message"], r.text
    listed = (await org.key.rest("GET", "/api/livechat/sites"))["sites"][0]
    assert listed["name"] == "Job Genius" and listed["prechat"] == PRECHAT  # nothing half-stored

    other = await make_org(server, "ander-bureau")
    r = await put_site(server, other.key, org.site, {**site, "prechat": {}, "proactive": []})
    assert r.status_code == 404
    assert (await org.key.rest("GET", "/api/livechat/sites"))["sites"][0]["proactive"] == RULES
    cleared = await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**site, "prechat": {}, "proactive": []})
    assert cleared["prechat"] is None and cleared["proactive"] == []


async def _send(vis, body, **details):
    return await vis.request("livechat.send", {"body": body, "client_msg_id": uuid.uuid4().hex, **details})


async def test_the_visit_hands_out_the_settings_and_the_form_is_checked_on_the_first_message(server):
    org = await make_org(server)
    site = {k: org.site[k] for k in ("name", "origins", "greeting")}
    await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**site, "prechat": PRECHAT, "proactive": RULES})
    olga = await org.operator("Olga Bakker")
    vis, answer = await org.visitor()
    assert answer["prechat"] == PRECHAT
    assert answer["proactive"] == [{"url": "/vacatures/*", "seconds": 20, "message": "Hulp nodig bij solliciteren?"}]
    _, english = await org.visitor(language="en-GB", connect=False)
    assert english["proactive"][0]["message"] == "Need help applying?"

    with pytest.raises(ClientError) as err:
        await _send(vis, "Ik heb een vraag", name="Sanne de Vries")
    assert err.value.code == "missing_field" and "email" in err.value.message
    with pytest.raises(ClientError) as err:
        await _send(vis, "Ik heb een vraag", name="Sanne de Vries", email="sanne-at-example")
    assert err.value.code == "invalid_value" and "email" in err.value.message
    # Nothing stored by a refused form.
    assert (await vis.rest("GET", "/api/livechat/visitor/conversation"))["conversation"] is None

    sent = await _send(vis, "Ik heb een vraag", name=" Sanne de Vries ", email="sanne@example.nl")
    conv = await olga.rest("GET", f"/api/livechat/conversations/{sent['conversation']['id']}")
    assert conv["visitor"]["name"] == "Sanne de Vries" and conv["visitor"]["email"] == "sanne@example.nl"
    assert conv["visitor"]["phone"] == ""
    # Later messages need no form.
    await _send(vis, "En nog iets")


async def test_an_operators_entry_wins_over_the_form(server):
    org = await make_org(server)
    site = {k: org.site[k] for k in ("name", "origins", "greeting")}
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    # No form on the site: the details are still taken, nothing is required.
    first = await _send(vis, "Hallo", name="Sanne")
    conv_id = first["conversation"]["id"]
    await olga.rest("PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"name": "Sanne de Vries"})
    await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**site, "prechat": PRECHAT})
    await _send(vis, "Nog een vraag", name="S.", email="sanne@example.nl")
    v = (await olga.rest("GET", f"/api/livechat/conversations/{conv_id}"))["visitor"]
    assert v["name"] == "Sanne de Vries" and v["email"] == "sanne@example.nl"
