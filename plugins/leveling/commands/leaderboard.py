"""/leaderboard: members ranked by XP or an activity counter, on the core's paginator."""

from __future__ import annotations

from typing import Any

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.pagination import PageSource, PageView

from .. import service
from ..curve import Curve
from ..state import LevelingState
from . import format


async def render(ctx: Any, page: int, by: str) -> PageView:
    state = ctx.client.runtime.state(LevelingState)
    guild_id = int(ctx.guild_id)
    curve = Curve.of(await state.settings(guild_id))
    board = await service.leaderboard_page(guild_id, by, page, curve, state.ranked_counts)
    return format.leaderboard(board)


pages = PageSource("leveling", "leaderboard", render)


class LeaderboardCommands(interactions.Extension):
    @interactions.slash_command(name="leaderboard", description="Top members by XP or activity")
    @slash_option(
        "by",
        "What to rank by",
        opt_type=OptionType.STRING,
        choices=[SlashCommandChoice(name=label, value=key) for key, label in format.LEADERBOARD_LABELS.items()],
    )
    async def leaderboard(self, ctx: SlashContext, by: str = "xp") -> None:
        await ctx.client.runtime.state(LevelingState).flush_guild(int(ctx.guild_id))
        await pages.send(ctx, page=1, arg=by)
