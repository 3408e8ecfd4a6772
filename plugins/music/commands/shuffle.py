"""/shuffle"""

import interactions
from interactions import SlashContext

from .common import in_voice


class ShuffleCommands(interactions.Extension):
    @interactions.slash_command(name="shuffle", description="Shuffle the queue", dm_permission=False)
    async def shuffle(self, ctx: SlashContext) -> None:
        music = await in_voice(ctx)
        count = await music.state.shuffle(music.guild_id)
        await ctx.send(f"🔀 Shuffled {count} tracks.")
