"""/stop: DJs stop the music and clear the queue."""

import interactions
from interactions import SlashContext

from guildkit.core.permissions import requires

from .common import in_voice


class StopCommands(interactions.Extension):
    @requires("dj")
    @interactions.slash_command(name="stop", description="Stop the music and clear the queue", dm_permission=False)
    async def stop(self, ctx: SlashContext) -> None:
        music = await in_voice(ctx)
        await music.state.stop_playing(music.guild_id, int(ctx.author.id))
        await ctx.send("⏹️ Stopped, and the queue is empty.")
