"""/timer duration [label]: a countdown, delivered like a reminder."""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.commands.access import require_guild, runtime_of

from ..service import requests
from . import format


class TimerCommands(interactions.Extension):
    @interactions.slash_command(name="timer", description="Start a countdown; I ping you when it ends")
    @slash_option("duration", "How long: 10m, 1h30m, 90 seconds", OptionType.STRING, required=True, max_length=80)
    @slash_option("label", "What it is for", OptionType.STRING, max_length=200)
    async def timer(self, ctx: SlashContext, duration: str, label: str | None = None) -> None:
        view = await requests.timer(
            runtime_of(ctx),
            guild_id=require_guild(ctx),
            user_id=int(ctx.author_id),
            channel_id=int(ctx.channel_id),
            duration=duration,
            label=label,
        )
        await ctx.send(format.reminder_set(view), ephemeral=True)
