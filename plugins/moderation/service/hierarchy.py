"""The role hierarchy, as Discord applies it, plus the bot's own rules (no owner, no bot, no self)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import AdministratorTimeout, HierarchyError, ProtectedTarget

#: Kinds that need the target to be a member of the guild right now.
MEMBER_ONLY = frozenset({"timeout", "untimeout", "kick", "softban"})


@dataclass(frozen=True)
class Standing:
    """Where someone stands in a guild: their top role's position (0 = @everyone only)."""

    user_id: int
    top_position: int
    is_owner: bool = False
    is_admin: bool = False


#: Kinds that lift a punishment: allowed on anyone, the bot's owners included.
LIFTS = frozenset({"unban", "untimeout"})


def check(
    kind: str,
    actor: Standing | None,
    target: Standing | None,
    target_id: int,
    bot: Standing,
    bot_owner_ids: frozenset[int] = frozenset(),
) -> None:
    """Raise when ``actor`` (None: the bot itself, e.g. an escalation or an expiry) may not do
    ``kind`` to the target (None: not a member, e.g. banning by id). ``bot_owner_ids``: the
    owners of the bot's application, on whom the bot never acts (it would lock them out)."""
    if target_id == bot.user_id:
        raise ProtectedTarget(target_id, "bot")
    if actor is not None and target_id == actor.user_id:
        raise ProtectedTarget(target_id, "self")
    if target_id in bot_owner_ids and kind not in LIFTS:
        raise ProtectedTarget(target_id, "bot_owner")
    if target is None or kind == "unban":
        return
    if target.is_owner:
        raise ProtectedTarget(target_id, "owner")
    if actor is not None and not actor.is_owner and target.top_position >= actor.top_position:
        raise HierarchyError(target_id, "you")
    if kind in ("note", "warn"):
        return  # nothing for Discord to do: only the moderator's rank matters
    if not bot.is_owner and target.top_position >= bot.top_position:
        raise HierarchyError(target_id, "bot")
    if kind == "timeout" and target.is_admin:
        raise AdministratorTimeout(target_id)
