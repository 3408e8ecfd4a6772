"""/softban member reason: ban and unban at once, deleting a day of their messages."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from . import format
from .options import MODERATOR_PERMISSIONS, reason_option

SOFTBAN_DELETE_SECONDS = 86400


class SoftbanCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="softban",
        description="Kick a member and delete their last day of messages",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Who to softban", opt_type=OptionType.USER, required=True)
    @reason_option()
    async def softban(self, ctx: SlashContext, member: interactions.Member, reason: str) -> None:
        outcome = await effects.run_interaction_case(
            ctx, "softban", member, reason, delete_message_seconds=SOFTBAN_DELETE_SECONDS
        )
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
