"""A live-chat site's pre-chat form and proactive messages: the settings checked once, and
the visitor's answers to the form.

Stored on the site as JSON (``None``: off, the behaviour before they existed)::

    prechat   = {"fields": {"name": "required", "email": "optional"}}   # asked before the first question
    proactive = [{"url": "/vacatures/*", "seconds": 20, "message": {"nl": "...", "en": "..."}}]

A rule's ``url`` is a glob on the page's path (``*`` any run of characters), never a
regular expression: the widget matches it in linear time, so a site cannot hand visitors'
browsers a pattern that backtracks for ever.
"""

from __future__ import annotations

import re
from typing import Any

from chatserver.errors import BadRequest
from chatserver.mail_address import check_address

__all__ = ["FIELDS", "MAX_RULES", "MODES", "answers", "check_prechat", "check_proactive", "proactive_for"]

FIELDS = ("name", "email", "phone")
MODES = ("required", "optional")
MAX_RULES = 10
# A path glob: starts with "/", printable URL characters and "*" only, at most 200.
_GLOB = re.compile(r"/[A-Za-z0-9\-._~%/*!$&'()+,;=:@]{0,199}")


def _bad(field: str, message: str, code: str = "invalid_value") -> BadRequest:
    return BadRequest(f"{field}: {message}", code=code, field=field)


def check_prechat(value: Any) -> dict[str, Any] | None:
    """The site's ``prechat`` as stored, or a 400 naming the field; ``None`` or ``{}`` turns it off."""
    if value is None or value == {}:
        return None
    fields = value.get("fields") if isinstance(value, dict) else None
    if not isinstance(fields, dict) or not fields:
        raise _bad("prechat.fields", f"at least one of {', '.join(FIELDS)}, each \"required\" or \"optional\"")
    for name, mode in fields.items():
        if name not in FIELDS or mode not in MODES:
            raise _bad(f"prechat.fields.{name}", f"a field among {', '.join(FIELDS)}, \"required\" or \"optional\"")
    return {"fields": {f: fields[f] for f in FIELDS if f in fields}}


def _message(value: Any, field: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        k in ("nl", "en") and isinstance(v, str) and len(v) <= 500 for k, v in value.items()
    ) or not any(str(v).strip() for v in value.values()):
        raise _bad(field, "{\"nl\": text, \"en\": text}, at least one given, at most 500 characters each")
    return {k: v.strip() for k, v in value.items() if v.strip()}


def check_proactive(value: Any) -> list[dict[str, Any]] | None:
    """The site's proactive rules as stored, or a 400 naming the field; ``None`` or ``[]`` clears them."""
    if value is None or value == []:
        return None
    if not isinstance(value, list) or len(value) > MAX_RULES:
        raise _bad("proactive", f"a list of at most {MAX_RULES} rules")
    rules = []
    for i, rule in enumerate(value):
        at = f"proactive[{i}]"
        if not isinstance(rule, dict):
            raise _bad(at, "a rule {url, seconds, message}")
        url = rule.get("url")
        if not isinstance(url, str) or not _GLOB.fullmatch(url):
            raise _bad(f"{at}.url", "a page path such as /vacatures/* (\"*\" matches any text; no spaces, at most 200)")
        seconds = rule.get("seconds")
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not 1 <= seconds <= 600:
            raise _bad(f"{at}.seconds", "whole seconds on the page, 1 to 600")
        rules.append({"url": url, "seconds": seconds, "message": _message(rule.get("message"), f"{at}.message")})
    return rules


def proactive_for(rules: list[dict[str, Any]] | None, language: str) -> list[dict[str, Any]]:
    """The rules as the widget needs them: the message in the visitor's language."""
    lang = "nl" if language.lower().startswith("nl") else "en"
    return [{"url": r["url"], "seconds": r["seconds"],
             "message": r["message"].get(lang) or r["message"].get("en") or r["message"].get("nl", "")}
            for r in rules or []]


def answers(prechat: dict[str, Any] | None, known: Any, data: dict[str, Any], *, first: bool) -> dict[str, str]:
    """The details a visitor gives with a message (name, e-mail, phone), checked.

    ``known``: the visitor's record (what they or an operator gave already). On the first message of a site with
    a pre-chat form, every required field must be given now or known; a 400 names the first
    one missing. An e-mail address must be plausible wherever it is given.
    """
    given = {f: str(data[f]).strip() for f in FIELDS if isinstance(data.get(f), str) and str(data[f]).strip()}
    if "email" in given:
        given["email"] = check_address(given["email"], "email")
    if first and prechat:
        for name, mode in prechat["fields"].items():
            if mode == "required" and not (given.get(name) or getattr(known, name, None)):
                raise _bad(name, "required by this site's pre-chat form", code="missing_field")
    return given
