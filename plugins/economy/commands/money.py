"""/balance, /deposit, /withdraw, /pay, /transactions"""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.errors import UserError

from .. import service
from .common import GOLD, context, history_lines, is_bot, money


class EconomyMoneyCommands(interactions.Extension):
    @interactions.slash_command(name="balance", description="Your wallet and bank, or another member's")
    @slash_option("member", "Whose balance", opt_type=OptionType.USER)
    async def balance(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        runtime, guild_id, settings = await context(ctx)
        target = member or ctx.author
        if is_bot(target):
            raise UserError("Bots have no wallet.")
        acct = await service.account(runtime, guild_id, int(target.id), settings)
        embed = interactions.Embed(title=f"{target.display_name}'s balance", color=GOLD)
        embed.add_field("Wallet", money(settings, acct.wallet), inline=True)
        embed.add_field("Bank", money(settings, acct.bank), inline=True)
        embed.add_field("Total", money(settings, acct.wallet + acct.bank), inline=True)
        if acct.daily_streak:
            embed.set_footer(f"Daily streak: {acct.daily_streak}")
        await ctx.send(embeds=embed)

    @interactions.slash_command(name="deposit", description="Move money from your wallet to the bank")
    @slash_option("amount", "How much, or `all`", opt_type=OptionType.STRING, required=True)
    async def deposit(self, ctx: SlashContext, amount: str) -> None:
        runtime, guild_id, settings = await context(ctx)
        receipt = await service.bank_move(runtime, guild_id, int(ctx.author_id), amount, deposit=True)
        await ctx.send(
            f"Deposited {money(settings, receipt.bank_delta)}. Wallet {money(settings, receipt.wallet)}, "
            f"bank {money(settings, receipt.bank)}."
        )

    @interactions.slash_command(name="withdraw", description="Move money from the bank to your wallet")
    @slash_option("amount", "How much, or `all`", opt_type=OptionType.STRING, required=True)
    async def withdraw(self, ctx: SlashContext, amount: str) -> None:
        runtime, guild_id, settings = await context(ctx)
        receipt = await service.bank_move(runtime, guild_id, int(ctx.author_id), amount, deposit=False)
        await ctx.send(
            f"Withdrew {money(settings, receipt.wallet_delta)}. Wallet {money(settings, receipt.wallet)}, "
            f"bank {money(settings, receipt.bank)}."
        )

    @interactions.slash_command(name="pay", description="Give money from your wallet to another member")
    @slash_option("member", "Who to pay", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much", opt_type=OptionType.INTEGER, required=True)
    @slash_option("note", "What it is for", opt_type=OptionType.STRING, max_length=200)
    async def pay(self, ctx: SlashContext, member: interactions.Member, amount: int, note: str | None = None) -> None:
        runtime, guild_id, settings = await context(ctx)
        sent, _ = await service.transfer(
            runtime,
            guild_id,
            int(ctx.author_id),
            int(member.id),
            amount,
            note=note,
            key=f"pay:{ctx.id}",
            to_is_bot=is_bot(member),
        )
        text = f"You paid {member.mention} {money(settings, amount)}"
        text += f" for *{note}*." if note else "."
        await ctx.send(
            f"{text} Your wallet: {money(settings, sent.wallet)}.",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @interactions.slash_command(name="transactions", description="Your recent transactions, newest first")
    @slash_option("page", "Page number", opt_type=OptionType.INTEGER, min_value=1)
    async def transactions(self, ctx: SlashContext, page: int = 1) -> None:
        _, guild_id, settings = await context(ctx)
        entries, pages = await service.history(guild_id, int(ctx.author_id), page)
        if not entries:
            await ctx.send("You have no transactions yet.", ephemeral=True)
            return
        lines = history_lines(entries, int(ctx.author_id))
        embed = interactions.Embed(title="Your transactions", description="\n".join(lines)[:4000], color=GOLD)
        embed.set_footer(f"Page {min(max(page, 1), pages)} of {pages} · amounts in {settings.currency_name}")
        await ctx.send(embeds=embed, ephemeral=True)
