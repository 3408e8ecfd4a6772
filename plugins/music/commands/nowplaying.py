"""/nowplaying: the track, a position bar and the player's state."""

import interactions
from interactions import SlashContext

from . import format
from .common import music_state, settings_here


class NowplayingCommands(interactions.Extension):
    @interactions.slash_command(name="nowplaying", description="What is playing, and where in it", dm_permission=False)
    async def nowplaying(self, ctx: SlashContext) -> None:
        await settings_here(ctx)
        state = music_state(ctx)
        player, current = state.current(int(ctx.guild_id))
        eq = state.eq.get(int(ctx.guild_id), "flat")
        await ctx.send(embeds=[format.now_playing(player, current, state.position(player), eq)])
