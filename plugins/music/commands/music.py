"""/music history|stats|top: seed 000's /history, /stats and /top, grouped because /history
(moderation) and /stats (the core) are taken."""

import interactions
from interactions import OptionType, SlashContext

from ..service import history
from . import format
from .common import music_state, settings_here


class MusicCommands(interactions.Extension):
    @interactions.slash_command(
        name="music",
        description="Music history and stats",
        sub_cmd_name="history",
        sub_cmd_description="Recently played tracks",
        dm_permission=False,
    )
    @interactions.slash_option("limit", "How many (default 10)", opt_type=OptionType.INTEGER, min_value=1, max_value=25)
    @interactions.slash_option("member", "Only what this member asked for", opt_type=OptionType.USER)
    async def history(self, ctx: SlashContext, limit: int = 10, member: interactions.Member | None = None) -> None:
        await settings_here(ctx)
        await music_state(ctx).flush_history()
        rows = await history.history(int(ctx.guild_id), user_id=int(member.id) if member else None, limit=limit)
        await ctx.send(embeds=[format.history(rows)])

    @history.subcommand(sub_cmd_name="stats", sub_cmd_description="Listening stats of a member")
    @interactions.slash_option("member", "Whose stats (yours by default)", opt_type=OptionType.USER)
    async def stats(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        await settings_here(ctx)
        await music_state(ctx).flush_history()
        user_id = int((member or ctx.author).id)
        await ctx.send(embeds=[format.user_stats(user_id, await history.user_stats(int(ctx.guild_id), user_id))])

    @history.subcommand(sub_cmd_name="top", sub_cmd_description="Most played tracks here")
    @interactions.slash_option(
        "days", "Over how many days (default 7)", opt_type=OptionType.INTEGER, min_value=1, max_value=365
    )
    async def top(self, ctx: SlashContext, days: int = 7) -> None:
        await settings_here(ctx)
        await music_state(ctx).flush_history()
        await ctx.send(embeds=[format.top(await history.guild_analytics(int(ctx.guild_id), days))])
