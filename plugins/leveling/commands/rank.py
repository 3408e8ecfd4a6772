"""/rank: a member's level, XP, rank and XP across servers, on a PNG card or as text."""

from __future__ import annotations

import io

import interactions
from interactions import OptionType, SlashContext, slash_option

from .. import service
from ..curve import Curve
from ..state import LevelingState
from . import format


class RankCommands(interactions.Extension):
    @interactions.slash_command(name="rank", description="Your level and XP, or another member's")
    @slash_option("member", "Whose rank", opt_type=OptionType.USER)
    async def rank(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        target = format.target_member(ctx, member)
        state = ctx.client.runtime.state(LevelingState)
        guild_id = int(ctx.guild_id)
        await state.flush_member(guild_id, int(target.id))
        settings = await state.settings(guild_id)
        image = settings.rank_card == "image"
        summary = await service.rank_summary(guild_id, int(target.id), Curve.of(settings), with_card=image)
        text = format.rank(target.display_name, summary)
        if summary.card is not None:
            try:
                png = await state.render_card(target.display_name, summary)
            except Exception:  # a drawing problem falls back to the text answer
                png = None
            if png is not None:
                await ctx.send(text, file=interactions.File(io.BytesIO(png), file_name="rank.png"))
                return
        await ctx.send(text)
