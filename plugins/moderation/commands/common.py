"""What every action command shares: the reason option and one call into the case pipeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import interactions
from interactions import OptionType, Permissions, SlashContext

from guildkit.core.durations import parse_duration

from ..errors import DurationTooLong
from ..service import CaseRequest
from ..service.cases import MAX_REASON
from . import format

MODERATOR_PERMISSIONS = Permissions.KICK_MEMBERS | Permissions.BAN_MEMBERS | Permissions.MODERATE_MEMBERS
NO_PINGS: dict[str, Any] = {"parse": []}
MAX_TIMEOUT = timedelta(days=28)
#: Temporary bans: long enough for any "ban for a year", short enough to stay a date.
MAX_TEMPBAN = timedelta(days=3650)


def reason_option(required: bool = True) -> Any:
    return interactions.slash_option(
        "reason",
        "Why (shown in the case, the audit log and the member's DM)",
        opt_type=OptionType.STRING,
        required=required,
        max_length=MAX_REASON,
    )


def parse_limited(text: str, what: str, maximum: timedelta) -> timedelta:
    value = parse_duration(text, minimum=timedelta(seconds=1))
    if value > maximum:
        raise DurationTooLong(what, maximum)
    return value


def name_of(user: Any) -> str:
    return str(getattr(user, "username", None) or getattr(user, "display_name", None) or user.id)


async def act(ctx: SlashContext, kind: str, target: Any, reason: str | None, **details: Any) -> None:
    """Run one case through the pipeline for this interaction and answer with its outcome."""
    from .. import effects  # effects imports this package's format module

    guild_id = int(ctx.guild_id)
    request = CaseRequest(
        guild_id=guild_id,
        kind=kind,
        target_id=int(target.id),
        target_name=name_of(target),
        moderator_id=int(ctx.author.id),
        moderator_name=name_of(ctx.author),
        reason=reason,
        key=f"interaction:{ctx.id}",
        **details,
    )

    async def defer() -> None:
        await ctx.defer(ephemeral=kind == "note")  # a DM and a ban may take longer than Discord's 3 s

    outcome = await effects.run_case(ctx.client.runtime, request, actor_id=int(ctx.author.id), checked=defer)
    await ctx.send(format.action_reply(outcome.case, outcome.escalation, outcome.repeated), allowed_mentions=NO_PINGS)
