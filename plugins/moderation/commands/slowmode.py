"""/slowmode duration [channel]: seconds between two messages of a member ("off" to end it)."""

from datetime import timedelta

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.durations import format_duration, parse_duration
from guildkit.core.permissions import requires

from .. import effects
from ..service.channels import MAX_SLOWMODE
from . import format
from .options import MODERATOR_PERMISSIONS


class SlowmodeCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="slowmode",
        description="Set how long members wait between messages (off, 10s, 5m, at most 6h)",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option(
        "duration", "Like 10s, 5m, 1h; off to end slowmode", opt_type=OptionType.STRING, required=True, max_length=40
    )
    @interactions.slash_option(
        "channel",
        "Channel (default: this one)",
        opt_type=OptionType.CHANNEL,
        channel_types=[interactions.ChannelType.GUILD_TEXT],
    )
    async def slowmode(
        self, ctx: SlashContext, duration: str, channel: interactions.GuildChannel | None = None
    ) -> None:
        seconds = (
            0
            if duration.strip().lower() in ("off", "0", "none")
            else int(parse_duration(duration, minimum=timedelta(seconds=1), maximum=MAX_SLOWMODE).total_seconds())
        )
        target = int(channel.id) if channel else int(ctx.channel_id)
        await effects.set_slowmode(ctx.client.runtime, target, seconds, f"/slowmode by {ctx.author.username}")
        text = (
            f"Slowmode in <#{target}> is off."
            if not seconds
            else f"Slowmode in <#{target}>: {format_duration(timedelta(seconds=seconds))}."
        )
        await ctx.send(text, allowed_mentions=format.NO_PINGS)
