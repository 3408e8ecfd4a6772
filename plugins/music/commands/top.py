"""/top [days]"""

import interactions
from interactions import OptionType, SlashContext

from ..service import history
from . import format
from .common import settings_here


class TopCommands(interactions.Extension):
    @interactions.slash_command(name="top", description="Most played tracks here", dm_permission=False)
    @interactions.slash_option(
        "days", "Over how many days (default 7)", opt_type=OptionType.INTEGER, min_value=1, max_value=365
    )
    async def top(self, ctx: SlashContext, days: int = 7) -> None:
        await settings_here(ctx)
        await ctx.send(embeds=[format.top(await history.guild_analytics(int(ctx.guild_id), days))])
