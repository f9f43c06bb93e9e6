"""Who may see a sent file: whoever may see its conversation, by that conversation's own
rule. Each kind of conversation registers its rule for the file row's column that names
it (the colleague chat ``conversation_id`` here, live chat ``livechat_conversation_id``
from its own package), so this package knows no conversation but the chat's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import User
from chatserver.files.models import SentFile

__all__ = ["Check", "FileAccess"]

# May this viewer see the conversation with this id? (Refusals are False, not raised.)
Check = Callable[[AsyncSession, User, int], Awaitable[bool]]


class FileAccess:
    """One per process (``Services.provide``): the rule of each kind of conversation."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def register(self, place: str, check: Check) -> None:
        """``place``: the column of :class:`SentFile` that names the conversation."""
        self._checks[place] = check

    async def may_see(self, s: AsyncSession, viewer: User, row: SentFile) -> bool:
        for place, check in self._checks.items():
            conversation_id = getattr(row, place)
            if conversation_id is not None:
                return await check(s, viewer, int(conversation_id))
        return False  # no conversation yet (its message not stored), or one nobody registered
