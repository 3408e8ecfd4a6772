"""/loop off|track|queue"""

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext

from .common import in_voice

MODES = {"off": 0, "track": 1, "queue": 2}


class LoopCommands(interactions.Extension):
    @interactions.slash_command(name="loop", description="Repeat the track or the queue", dm_permission=False)
    @interactions.slash_option(
        "mode",
        "What to repeat",
        opt_type=OptionType.STRING,
        required=True,
        max_length=5,
        choices=[SlashCommandChoice(name=name, value=name) for name in MODES],
    )
    async def loop(self, ctx: SlashContext, mode: str) -> None:
        music = await in_voice(ctx)
        await music.state.set_loop(music.guild_id, MODES.get(mode, 0))
        await ctx.send(f"🔁 Loop: {mode}.")
