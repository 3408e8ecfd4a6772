"""/history [limit] [member]"""

import interactions
from interactions import OptionType, SlashContext

from ..service import history
from . import format
from .common import settings_here


class HistoryCommands(interactions.Extension):
    @interactions.slash_command(name="history", description="Recently played tracks", dm_permission=False)
    @interactions.slash_option("limit", "How many (default 10)", opt_type=OptionType.INTEGER, min_value=1, max_value=25)
    @interactions.slash_option("member", "Only what this member asked for", opt_type=OptionType.USER)
    async def history(self, ctx: SlashContext, limit: int = 10, member: interactions.Member | None = None) -> None:
        await settings_here(ctx)
        rows = await history.history(int(ctx.guild_id), user_id=int(member.id) if member else None, limit=limit)
        await ctx.send(embeds=[format.history(rows)])
