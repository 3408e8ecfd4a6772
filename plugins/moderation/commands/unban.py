"""/unban user reason (also ends a temporary ban early)."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from . import format
from .options import MODERATOR_PERMISSIONS, reason_option


class UnbanCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="unban",
        description="Lift a ban",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("user", "Who to unban (their id works too)", opt_type=OptionType.USER, required=True)
    @reason_option()
    async def unban(self, ctx: SlashContext, user: interactions.User, reason: str) -> None:
        outcome = await effects.run_interaction_case(ctx, "unban", user, reason)
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
