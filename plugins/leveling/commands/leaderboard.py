"""/leaderboard, paginated with buttons, by XP or by an activity counter."""

from __future__ import annotations

import re

import interactions
from interactions import ComponentContext, OptionType, SlashCommandChoice, SlashContext, slash_option

from .. import service
from ..curve import Curve
from ._common import engine_of, runtime_of

LABELS = {
    "xp": "XP",
    "messages": "messages",
    "reactions": "reactions",
    "voice_seconds": "seconds in voice",
    "commands_used": "commands",
}


async def _page(ctx: SlashContext | ComponentContext, by: str, page: int) -> dict:
    guild_id = int(ctx.guild_id)
    rows, pages = await service.leaderboard(guild_id, by, page)
    page = max(0, min(page, pages - 1))
    settings = await runtime_of(ctx).settings.get(guild_id, "leveling")
    curve = Curve.of(settings)
    lines = [f"**Leaderboard** by {LABELS[by]} — page {page + 1}/{pages}"]
    if not rows:
        lines.append("Nobody has earned anything yet.")
    for index, (user_id, value) in enumerate(rows, start=page * service.PAGE_SIZE + 1):
        extra = f" · level {curve.level(value)}" if by == "xp" else ""
        lines.append(f"{index}. <@{user_id}> — {value:,} {LABELS[by]}{extra}")
    buttons = [
        interactions.Button(
            style=interactions.ButtonStyle.SECONDARY,
            label="Previous",
            custom_id=f"leveling:lb:{by}:{page - 1}",
            disabled=page == 0,
        ),
        interactions.Button(
            style=interactions.ButtonStyle.SECONDARY,
            label="Next",
            custom_id=f"leveling:lb:{by}:{page + 1}",
            disabled=page >= pages - 1,
        ),
    ]
    return {
        "content": "\n".join(lines),
        "components": [interactions.ActionRow(*buttons)],
        "allowed_mentions": {"parse": []},
    }


class LeaderboardCommands(interactions.Extension):
    @interactions.slash_command(name="leaderboard", description="Top members by XP or activity")
    @slash_option(
        "by",
        "What to rank by",
        opt_type=OptionType.STRING,
        choices=[SlashCommandChoice(name=label, value=key) for key, label in LABELS.items()],
    )
    async def leaderboard(self, ctx: SlashContext, by: str = "xp") -> None:
        await engine_of(ctx).flush()
        await ctx.send(**await _page(ctx, by, 0))

    @interactions.component_callback(re.compile(r"^leveling:lb:"))
    async def turn(self, ctx: ComponentContext) -> None:
        _, _, by, page = ctx.custom_id.split(":")
        await ctx.edit_origin(**await _page(ctx, by, int(page)))
