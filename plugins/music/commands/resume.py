"""/resume"""

import interactions
from interactions import SlashContext

from .common import in_voice


class ResumeCommands(interactions.Extension):
    @interactions.slash_command(name="resume", description="Resume the music", dm_permission=False)
    async def resume(self, ctx: SlashContext) -> None:
        music = await in_voice(ctx)
        track = await music.state.pause(music.guild_id, False)
        await ctx.send(f"▶️ Resumed **{track.title}**.")
