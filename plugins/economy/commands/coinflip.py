"""/coinflip"""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.commands.access import require_guild, runtime_of

from .. import service
from ..limits import AMOUNT_MAX
from .format import money, settings_here


class CoinflipCommands(interactions.Extension):
    @interactions.slash_command(name="coinflip", description="Bet wallet money on a coin flip")
    @slash_option(
        "bet", "How much to bet", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=AMOUNT_MAX
    )
    @slash_option(
        "side",
        "Heads or tails",
        opt_type=OptionType.STRING,
        required=True,
        choices=[SlashCommandChoice(name=side, value=side) for side in service.SIDES],
    )
    async def coinflip(self, ctx: SlashContext, bet: int, side: str) -> None:
        guild_id = require_guild(ctx)
        result = await service.coinflip(runtime_of(ctx), guild_id, int(ctx.author_id), bet, side)
        settings = await settings_here(ctx)
        outcome = f"You won {money(settings, bet)}!" if result.won else f"You lost {money(settings, bet)}."
        await ctx.send(
            f"🪙 The coin landed on **{result.landed}**. {outcome} Wallet: {money(settings, result.receipt.wallet)}."
        )
