"""/richest [by]: the economy leaderboard, with Previous/Next buttons"""

from __future__ import annotations

import re

import interactions
from interactions import ComponentContext, OptionType, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.errors import UserError

from .. import service
from .common import GOLD, context, money

BY = ("wallet", "bank", "total")


async def _page(ctx, by: str, page: int) -> tuple[interactions.Embed, list[interactions.ActionRow]]:
    _, guild_id, settings = await context(ctx)
    rows, pages = await service.leaderboard(guild_id, by, page, settings.leaderboard_page_size)
    page = min(max(page, 1), pages)
    if rows:
        lines = [f"**{rank}.** <@{user_id}> — {money(settings, value)}" for rank, user_id, value, _ in rows]
    else:
        lines = ["Nobody has any money yet. Try `/daily`."]
    embed = interactions.Embed(title=f"Richest members by {by}", description="\n".join(lines), color=GOLD)
    embed.set_footer(f"Page {page} of {pages}")
    buttons = [
        interactions.Button(
            style=interactions.ButtonStyle.SECONDARY,
            label="Previous",
            custom_id=f"economy:lb:{by}:{page - 1}",
            disabled=page <= 1,
        ),
        interactions.Button(
            style=interactions.ButtonStyle.SECONDARY,
            label="Next",
            custom_id=f"economy:lb:{by}:{page + 1}",
            disabled=page >= pages,
        ),
    ]
    return embed, [interactions.ActionRow(*buttons)]


class EconomyLeaderboardCommands(interactions.Extension):
    @interactions.slash_command(
        name="richest", description="The richest members here (leaderboard by wallet, bank or total)"
    )
    @slash_option(
        "by",
        "Rank by wallet, bank or total (default total)",
        opt_type=OptionType.STRING,
        choices=[SlashCommandChoice(name=b, value=b) for b in BY],
    )
    @slash_option("page", "Page number", opt_type=OptionType.INTEGER, min_value=1)
    async def leaderboard(self, ctx: SlashContext, by: str = "total", page: int = 1) -> None:
        if by not in BY:
            raise UserError("Rank by `wallet`, `bank` or `total`.")
        embed, components = await _page(ctx, by, page)
        await ctx.send(embeds=embed, components=components)

    @interactions.component_callback(re.compile(r"^economy:lb:(wallet|bank|total):-?\d+$"))
    async def turn(self, ctx: ComponentContext) -> None:
        _, _, by, page = ctx.custom_id.split(":")
        embed, components = await _page(ctx, by, int(page))
        await ctx.edit_origin(embeds=embed, components=components)
