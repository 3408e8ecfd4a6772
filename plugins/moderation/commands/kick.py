"""/kick member reason"""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from . import format
from .options import MODERATOR_PERMISSIONS, reason_option


class KickCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="kick",
        description="Kick a member (they are told first)",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Who to kick", opt_type=OptionType.USER, required=True)
    @reason_option()
    async def kick(self, ctx: SlashContext, member: interactions.Member, reason: str) -> None:
        outcome = await effects.run_interaction_case(ctx, "kick", member, reason)
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
