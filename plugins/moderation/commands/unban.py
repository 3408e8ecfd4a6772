"""/unban user reason (also ends a temporary ban early)."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .common import MODERATOR_PERMISSIONS, act, reason_option


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
        await act(ctx, "unban", user, reason)
