"""/rankcard: the colours of your rank card in this server."""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashContext, slash_option

from .. import service
from ..service import COLOUR_LENGTH


class RankCardCommands(interactions.Extension):
    @interactions.slash_command(name="rankcard", description="Colours of your rank card (hex, e.g. #5865f2)")
    @slash_option("primary", "Bar colour", opt_type=OptionType.STRING, max_length=COLOUR_LENGTH)
    @slash_option("secondary", "Bar background colour", opt_type=OptionType.STRING, max_length=COLOUR_LENGTH)
    @slash_option("text", "Text colour", opt_type=OptionType.STRING, max_length=COLOUR_LENGTH)
    @slash_option("background", "Card background colour", opt_type=OptionType.STRING, max_length=COLOUR_LENGTH)
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
        saved = await service.set_card(int(ctx.guild_id), int(ctx.author.id), colors)
        shown = ", ".join(f"{k.removesuffix('_color')} {getattr(saved, k)}" for k in service.CARD_FIELDS)
        await ctx.send(f"Rank card saved: {shown}.", ephemeral=True)
