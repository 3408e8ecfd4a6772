"""/purge count [member] [contains]: bulk-delete recent messages of this channel."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from . import format
from .options import MODERATOR_PERMISSIONS


class PurgeCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="purge",
        description="Delete recent messages here (Discord allows it for messages under 14 days)",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option(
        "count", "How many matching messages", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=100
    )
    @interactions.slash_option("member", "Only this member's messages", opt_type=OptionType.USER)
    @interactions.slash_option(
        "contains", "Only messages containing this text", opt_type=OptionType.STRING, max_length=100
    )
    async def purge(
        self, ctx: SlashContext, count: int, member: interactions.User | None = None, contains: str | None = None
    ) -> None:
        await ctx.defer(ephemeral=True)
        reason = f"/purge by {ctx.author.username}"
        plan, deleted = await effects.purge(
            ctx.client.runtime, int(ctx.channel_id), count, int(member.id) if member else None, contains, reason
        )
        await ctx.send(format.purge_result(plan, deleted), ephemeral=True, allowed_mentions=format.NO_PINGS)
