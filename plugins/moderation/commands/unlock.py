"""/unlock [channel]: give @everyone back the permissions the channel had before /lock."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from ..service.cases import MAX_REASON
from . import format
from .options import MODERATOR_PERMISSIONS


class UnlockCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="unlock",
        description="Unlock a channel locked with /lock",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option(
        "channel",
        "Channel (default: this one)",
        opt_type=OptionType.CHANNEL,
        channel_types=[interactions.ChannelType.GUILD_TEXT],
    )
    @interactions.slash_option("reason", "Why (for the audit log)", opt_type=OptionType.STRING, max_length=MAX_REASON)
    async def unlock(
        self, ctx: SlashContext, channel: interactions.GuildChannel | None = None, reason: str | None = None
    ) -> None:
        target = int(channel.id) if channel else int(ctx.channel_id)
        await effects.unlock(ctx.client.runtime, int(ctx.guild_id), target, reason)
        await ctx.send(f"Unlocked <#{target}>.", allowed_mentions=format.NO_PINGS)
