"""/eq preset"""

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext

from ..service.presets import PRESET_NAMES
from .common import in_voice


class EqCommands(interactions.Extension):
    @interactions.slash_command(name="eq", description="Equalizer presets", dm_permission=False)
    @interactions.slash_option(
        "preset",
        "The equalizer preset",
        opt_type=OptionType.STRING,
        required=True,
        max_length=32,
        choices=[SlashCommandChoice(name=name.replace("_", " "), value=name) for name in PRESET_NAMES],
    )
    async def eq(self, ctx: SlashContext, preset: str) -> None:
        music = await in_voice(ctx)
        await music.state.set_eq(music.guild_id, preset)
        await ctx.send(f"🎚️ Equalizer: {preset.replace('_', ' ')}.")
