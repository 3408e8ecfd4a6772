"""/untimeout member reason"""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from . import format
from .options import MODERATOR_PERMISSIONS, reason_option


class UntimeoutCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="untimeout",
        description="Lift a member's timeout",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Whose timeout to lift", opt_type=OptionType.USER, required=True)
    @reason_option()
    async def untimeout(self, ctx: SlashContext, member: interactions.Member, reason: str) -> None:
        outcome = await effects.run_interaction_case(ctx, "untimeout", member, reason)
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
