"""/lock [channel] [duration] [reason]: @everyone cannot talk there until /unlock (or the duration ends)."""

from datetime import timedelta

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.durations import parse_duration
from guildkit.core.permissions import requires

from .. import effects
from ..service.cases import MAX_REASON
from ..service.channels import MAX_LOCK
from . import format
from .options import MODERATOR_PERMISSIONS


class LockCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="lock",
        description="Stop @everyone from talking in a channel",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option(
        "channel",
        "Channel (default: this one)",
        opt_type=OptionType.CHANNEL,
        channel_types=[interactions.ChannelType.GUILD_TEXT],
    )
    @interactions.slash_option(
        "duration", "Unlock by itself after, like 30m or 2h", opt_type=OptionType.STRING, max_length=40
    )
    @interactions.slash_option("reason", "Why (for the audit log)", opt_type=OptionType.STRING, max_length=MAX_REASON)
    async def lock(
        self,
        ctx: SlashContext,
        channel: interactions.GuildChannel | None = None,
        duration: str | None = None,
        reason: str | None = None,
    ) -> None:
        length = parse_duration(duration, minimum=timedelta(seconds=1), maximum=MAX_LOCK) if duration else None
        target = int(channel.id) if channel else int(ctx.channel_id)
        await effects.lock(ctx.client.runtime, int(ctx.guild_id), target, int(ctx.author.id), length, reason)
        text = f"Locked <#{target}>" + (f" for {format.duration(length)}." if length else ".")
        await ctx.send(text, allowed_mentions=format.NO_PINGS)
