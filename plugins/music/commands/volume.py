"""/volume level"""

import interactions
from interactions import OptionType, SlashContext

from .common import in_voice


class VolumeCommands(interactions.Extension):
    @interactions.slash_command(name="volume", description="Set the volume", dm_permission=False)
    @interactions.slash_option(
        "level", "0 to 1000 (100 is normal)", opt_type=OptionType.INTEGER, required=True, min_value=0, max_value=1000
    )
    async def volume(self, ctx: SlashContext, level: int) -> None:
        music = await in_voice(ctx)
        await music.state.set_volume(music.guild_id, level, music.settings.volume_limit)
        await ctx.send(f"🔊 Volume {level}.")
