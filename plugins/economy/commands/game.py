"""/coinflip"""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext, slash_option

from .. import service
from .common import context, money


class EconomyGameCommands(interactions.Extension):
    @interactions.slash_command(name="coinflip", description="Bet wallet money on a coin flip")
    @slash_option("bet", "How much to bet", opt_type=OptionType.INTEGER, required=True)
    @slash_option(
        "side",
        "Heads or tails",
        opt_type=OptionType.STRING,
        required=True,
        choices=[SlashCommandChoice(name="heads", value="heads"), SlashCommandChoice(name="tails", value="tails")],
    )
    async def coinflip(self, ctx: SlashContext, bet: int, side: str) -> None:
        runtime, guild_id, settings = await context(ctx)
        result = await service.coinflip(runtime, guild_id, int(ctx.author_id), bet, side)
        outcome = f"You won {money(settings, bet)}!" if result.won else f"You lost {money(settings, bet)}."
        await ctx.send(
            f"🪙 The coin landed on **{result.landed}**. {outcome} Wallet: {money(settings, result.receipt.wallet)}."
        )
