"""/musicprefs [volume] [eq]: applied when this member starts playback."""

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext

from ..service.presets import PRESET_NAMES
from . import format
from .common import music_state, settings_here


class MusicprefsCommands(interactions.Extension):
    @interactions.slash_command(
        name="musicprefs", description="Your volume and equalizer when you start the music", dm_permission=False
    )
    @interactions.slash_option("volume", "Your volume", opt_type=OptionType.INTEGER, min_value=0, max_value=1000)
    @interactions.slash_option(
        "eq",
        "Your equalizer preset",
        opt_type=OptionType.STRING,
        max_length=32,
        choices=[SlashCommandChoice(name=name.replace("_", " "), value=name) for name in PRESET_NAMES],
    )
    async def musicprefs(self, ctx: SlashContext, volume: int | None = None, eq: str | None = None) -> None:
        await settings_here(ctx)
        guild_id, user_id = int(ctx.guild_id), int(ctx.author.id)
        cache = music_state(ctx).preferences
        if volume is None and eq is None:
            prefs = await cache.get(guild_id, user_id)
        else:
            prefs = await cache.set(guild_id, user_id, volume=volume, eq_preset=eq)
        await ctx.send(format.preferences(prefs), ephemeral=True)
