"""/stats [member]"""

import interactions
from interactions import OptionType, SlashContext

from ..service import history
from . import format
from .common import settings_here


class StatsCommands(interactions.Extension):
    @interactions.slash_command(name="stats", description="Listening stats of a member", dm_permission=False)
    @interactions.slash_option("member", "Whose stats (yours by default)", opt_type=OptionType.USER)
    async def stats(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        await settings_here(ctx)
        user_id = int((member or ctx.author).id)
        await ctx.send(embeds=[format.user_stats(user_id, await history.user_stats(int(ctx.guild_id), user_id))])
