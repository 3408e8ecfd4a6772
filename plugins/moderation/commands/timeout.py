"""/timeout member duration reason"""

from datetime import timedelta

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.durations import parse_duration
from guildkit.core.permissions import requires

from .. import effects
from ..service import punishments
from . import format
from .options import MODERATOR_PERMISSIONS, reason_option


class TimeoutCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="timeout",
        description="Time a member out with Discord's timeout (at most 28 days)",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Who to time out", opt_type=OptionType.USER, required=True)
    @interactions.slash_option(
        "duration",
        "How long, like 10m, 1h30m, 2d (at most 28d)",
        opt_type=OptionType.STRING,
        required=True,
        max_length=40,
    )
    @reason_option()
    async def timeout(self, ctx: SlashContext, member: interactions.Member, duration: str, reason: str) -> None:
        outcome = await effects.run_interaction_case(
            ctx,
            "timeout",
            member,
            reason,
            duration=parse_duration(duration, minimum=timedelta(seconds=1), maximum=punishments.MAX_TIMEOUT),
        )
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
