"""/richest [by] [page]: the economy leaderboard, on the core's paginator"""

from __future__ import annotations

from typing import Any

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.commands.access import require_guild
from guildkit.core.pagination import PageSource, PageView

from .. import service
from ..limits import PAGE_MAX
from .format import GOLD, mention, money, settings_here


async def render_richest(ctx: Any, page: int, by: str) -> PageView:
    guild_id = require_guild(ctx)
    settings = await settings_here(ctx)
    board = await service.leaderboard(guild_id, by, page, settings.leaderboard_page_size)
    if board.rows:
        lines = [f"**{row.rank}.** {mention(row.user_id)} — {money(settings, row.value)}" for row in board.rows]
    else:
        lines = ["Nobody has any money yet. Try `/daily`."]
    embed = interactions.Embed(title=f"Richest members by {by}", description="\n".join(lines), color=GOLD)
    embed.set_footer(f"Page {board.page} of {board.pages}")
    return PageView(page=board.page, pages=board.pages, embeds=[embed])


richest_pages = PageSource("economy", "richest", render_richest)


class RichestCommands(interactions.Extension):
    @interactions.slash_command(
        name="richest", description="The richest members here (leaderboard by wallet, bank or total)"
    )
    @slash_option(
        "by",
        "Rank by wallet, bank or total (default total)",
        opt_type=OptionType.STRING,
        choices=[SlashCommandChoice(name=b, value=b) for b in service.ORDERS],
    )
    @slash_option("page", "Page number", opt_type=OptionType.INTEGER, min_value=1, max_value=PAGE_MAX)
    async def richest(self, ctx: SlashContext, by: str = "total", page: int = 1) -> None:
        await richest_pages.send(ctx, page=page, arg=by)
