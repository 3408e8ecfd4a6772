"""/seek position"""

import interactions
from interactions import OptionType, SlashContext

from . import format
from .common import in_voice


class SeekCommands(interactions.Extension):
    @interactions.slash_command(name="seek", description="Jump to a position in the track", dm_permission=False)
    @interactions.slash_option(
        "position", "Where, as m:ss (1:30)", opt_type=OptionType.STRING, required=True, max_length=10
    )
    async def seek(self, ctx: SlashContext, position: str) -> None:
        music = await in_voice(ctx)
        track, at = await music.state.seek(music.guild_id, position)
        await ctx.send(f"⏩ **{track.title}** from {format.clock_time(at)}.")
