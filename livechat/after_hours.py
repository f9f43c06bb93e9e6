"""What the server does with a visitor's chat message outside the site's business hours.

The widget shows the away text and the offline form outside the hours, unless the visitor
is in an active chat (an operator is still on it). The server holds to the same rule, so
a page left open since before closing time, or a client of its own, cannot start a chat
nobody is there to take: ``livechat.send`` is refused with ``outside_hours`` (409, with
``opens_at`` and the away text in the visitor's language), nothing is stored, and the widget answers by showing the offline form with
the text the visitor typed. A left message (``livechat.leave_message``) is taken at any
hour: it waits for the operators, which is what an operator expects of a closed desk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chatserver.errors import Conflict
from livechat.hours import is_open, status

__all__ = ["refuse_when_closed"]


def refuse_when_closed(hours: dict[str, Any] | None, at: datetime, *, active: bool, language: str) -> None:
    """Raise ``outside_hours`` when the site is closed at ``at`` and the chat is not active;
    its details say when it opens and the away text, as the visit would have."""
    if active or is_open(hours, at):
        return
    now = status(hours, at, language)
    raise Conflict("the site is closed now (outside its business hours): leave a message instead",
                   code="outside_hours", opens_at=now["opens_at"], away=now["away"])
