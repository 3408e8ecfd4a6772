"""/leave: DJs, or a member alone with the bot, send it out of voice."""

import interactions
from interactions import SlashContext

from guildkit.core.permissions import require_level

from ..errors import NotConnected
from .common import in_voice, listeners


class LeaveCommands(interactions.Extension):
    @interactions.slash_command(name="leave", description="Stop and leave the voice channel", dm_permission=False)
    async def leave(self, ctx: SlashContext) -> None:
        music = await in_voice(ctx, control=False)
        if not await music.state.connected(music.guild_id):
            raise NotConnected()
        if not music.is_dj and listeners(ctx, music.channel_id) - {int(ctx.author.id)}:
            await require_level(ctx, "dj")  # others are listening: only a DJ may end it for them
        await music.state.leave(music.guild_id)
        await ctx.send("👋 Left the voice channel.")
