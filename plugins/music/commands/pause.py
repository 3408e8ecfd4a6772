"""/pause"""

import interactions
from interactions import SlashContext

from .common import in_voice


class PauseCommands(interactions.Extension):
    @interactions.slash_command(name="pause", description="Pause the music", dm_permission=False)
    async def pause(self, ctx: SlashContext) -> None:
        music = await in_voice(ctx)
        track = await music.state.pause(music.guild_id, True)
        await ctx.send(f"⏸️ Paused **{track.title}**.")
