"""/kick member reason"""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .common import MODERATOR_PERMISSIONS, act, reason_option


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
        await act(ctx, "kick", member, reason)
