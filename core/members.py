"""One member converter for every plugin: a USER option must be someone in this server.

Discord's USER option accepts any user: one who left, one who was never here, a bot, the member
themselves. ``resolve_member`` refuses those where they make no sense, with the same wording in
every plugin, before anything is written (no account opened for someone who is not here).
"""

from __future__ import annotations

from typing import Any

import interactions

from guildkit.core import ipy
from guildkit.core.errors import DomainError


def _name(user: Any) -> str:
    name = getattr(user, "display_name", None) or getattr(user, "username", None) or str(getattr(user, "id", user))
    return str(name).replace("*", "").replace("`", "")[:64]


class MemberRefused(DomainError):
    """A USER option the command cannot use; ``user_id`` names who was chosen, ``rule`` why."""

    rule = "member"

    def __init__(self, user: Any, message: str) -> None:
        self.user_id = int(user.id)
        super().__init__(message)


class NotAMember(MemberRefused):
    rule = "not_in_guild"

    def __init__(self, user: Any) -> None:
        super().__init__(user, f"**{_name(user)}** is not a member of this server. Pick someone who is.")


class BotNotAllowed(MemberRefused):
    rule = "bot"

    def __init__(self, user: Any) -> None:
        super().__init__(user, f"**{_name(user)}** is a bot; this command is for people. Pick a member.")


class SelfNotAllowed(MemberRefused):
    rule = "self"

    def __init__(self, user: Any) -> None:
        super().__init__(user, "You can't pick yourself here. Pick another member.")


def resolve_member(
    ctx: interactions.BaseContext,
    user: interactions.Member | interactions.User,
    *,
    allow_bots: bool = False,
    allow_self: bool = True,
) -> interactions.Member:
    """The member of ``ctx``'s server that a USER option chose, or a :class:`MemberRefused`.

    Discord sends a Member only for someone in the server; anyone else arrives as a User.
    """
    if not isinstance(user, interactions.Member) or ctx.guild_id is None or ipy.guild_id_of(user) != int(ctx.guild_id):
        raise NotAMember(user)
    if user.bot and not allow_bots:
        raise BotNotAllowed(user)
    if not allow_self and int(user.id) == int(ctx.author_id):
        raise SelfNotAllowed(user)
    return user
