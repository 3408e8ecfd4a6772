"""/rank and /rankcard."""

from __future__ import annotations

import io

import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.errors import UserError

from .. import card, service
from ..curve import Curve
from ._common import engine_of, runtime_of, target_member


class RankCommands(interactions.Extension):
    @interactions.slash_command(name="rank", description="Your level and XP, or another member's")
    @slash_option("member", "Whose rank", opt_type=OptionType.USER)
    async def rank(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        runtime = runtime_of(ctx)
        target = target_member(ctx, member)
        guild_id, user_id = int(ctx.guild_id), int(target.id)
        await engine_of(ctx).flush()
        settings = await runtime.settings.get(guild_id, "leveling")
        row = await service.member_row(guild_id, user_id)
        xp = row.xp if row else 0
        curve = Curve.of(settings)
        level, into, need = curve.progress(xp)
        position = await service.rank_of(guild_id, xp)
        text = (
            f"**{target.display_name}** — Level {level} · {xp:,} XP"
            + (f" ({into:,}/{need:,} to level {level + 1})" if need else " (max level)")
            + f" · rank #{position} · {await service.global_xp(user_id):,} XP across servers"
        )
        if settings.rank_card == "image":
            colors = await service.card_for(guild_id, user_id)
            try:
                png = card.render(target.display_name, level, xp, into, need, position, colors)
            except Exception:
                png = None
            if png is not None:
                await ctx.send(text, file=interactions.File(io.BytesIO(png), file_name="rank.png"))
                return
        await ctx.send(text)

    @interactions.slash_command(name="rankcard", description="Colours of your rank card (hex, e.g. #5865f2)")
    @slash_option("primary", "Bar colour", opt_type=OptionType.STRING)
    @slash_option("secondary", "Bar background colour", opt_type=OptionType.STRING)
    @slash_option("text", "Text colour", opt_type=OptionType.STRING)
    @slash_option("background", "Card background colour", opt_type=OptionType.STRING)
    async def rankcard(
        self,
        ctx: SlashContext,
        primary: str | None = None,
        secondary: str | None = None,
        text: str | None = None,
        background: str | None = None,
    ) -> None:
        colors = {
            "primary_color": primary,
            "secondary_color": secondary,
            "text_color": text,
            "background_color": background,
        }
        if not any(colors.values()):
            raise UserError("Give at least one colour, e.g. `primary:#ff0000`.")
        saved = await service.set_card(int(ctx.guild_id), int(ctx.author.id), colors)
        shown = ", ".join(f"{k.removesuffix('_color')} {getattr(saved, k)}" for k in service.CARD_FIELDS)
        await ctx.send(f"Rank card saved: {shown}.", ephemeral=True)
