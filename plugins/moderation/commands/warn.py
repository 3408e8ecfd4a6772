"""/warn member reason [points]"""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from . import format
from .options import MODERATOR_PERMISSIONS, reason_option


class WarnCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="warn",
        description="Warn a member; their points may trigger an escalation",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Who to warn", opt_type=OptionType.USER, required=True)
    @reason_option()
    @interactions.slash_option(
        "points", "Points of this warning (default 1)", opt_type=OptionType.INTEGER, min_value=1, max_value=100
    )
    async def warn(self, ctx: SlashContext, member: interactions.Member, reason: str, points: int = 1) -> None:
        outcome = await effects.run_interaction_case(ctx, "warn", member, reason, points=points)
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
