"""/balance, /deposit, /withdraw, /pay, /transactions"""

from __future__ import annotations

from typing import Any

import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.commands.access import require_guild, runtime_of
from guildkit.core.members import resolve_member
from guildkit.core.pagination import PageSource, PageView

from .. import service
from ..limits import AMOUNT_MAX, AMOUNT_TEXT_MAX, PAGE_MAX, TEXT_MAX
from .format import GOLD, ledger_lines, mention, money, settings_here


async def render_transactions(ctx: Any, page: int, arg: str) -> PageView:
    """The invoking member's own ledger (the reply is ephemeral: only they can turn its pages)."""
    guild_id, user_id = require_guild(ctx), int(ctx.author_id)
    settings = await settings_here(ctx)
    history = await service.history(guild_id, user_id, page)
    if not history.entries:
        return PageView(page=1, pages=1, content="You have no transactions yet.")
    embed = interactions.Embed(
        title="Your transactions", description="\n".join(ledger_lines(history.entries, user_id))[:4000], color=GOLD
    )
    embed.set_footer(f"Page {history.page} of {history.pages} · amounts in {settings.currency_name}")
    return PageView(page=history.page, pages=history.pages, embeds=[embed])


transaction_pages = PageSource("economy", "transactions", render_transactions)


class MoneyCommands(interactions.Extension):
    @interactions.slash_command(name="balance", description="Your wallet and bank, or another member's")
    @slash_option("member", "Whose balance", opt_type=OptionType.USER)
    async def balance(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        guild_id = require_guild(ctx)
        settings = await settings_here(ctx)
        target = resolve_member(ctx, member) if member is not None else ctx.author
        acct = await service.account(runtime_of(ctx), guild_id, int(target.id), settings)
        embed = interactions.Embed(title=f"{target.display_name}'s balance", color=GOLD)
        embed.add_field("Wallet", money(settings, acct.wallet), inline=True)
        embed.add_field("Bank", money(settings, acct.bank), inline=True)
        embed.add_field("Total", money(settings, acct.total), inline=True)
        if acct.daily_streak:
            embed.set_footer(f"Daily streak: {acct.daily_streak}")
        await ctx.send(embeds=embed)

    @interactions.slash_command(name="deposit", description="Move money from your wallet to the bank")
    @slash_option("amount", "How much, or `all`", opt_type=OptionType.STRING, required=True, max_length=AMOUNT_TEXT_MAX)
    async def deposit(self, ctx: SlashContext, amount: str) -> None:
        guild_id = require_guild(ctx)
        receipt = await service.bank_move(runtime_of(ctx), guild_id, int(ctx.author_id), amount, deposit=True)
        settings = await settings_here(ctx)
        await ctx.send(
            f"Deposited {money(settings, receipt.bank_delta)}. Wallet {money(settings, receipt.wallet)}, "
            f"bank {money(settings, receipt.bank)}."
        )

    @interactions.slash_command(name="withdraw", description="Move money from the bank to your wallet")
    @slash_option("amount", "How much, or `all`", opt_type=OptionType.STRING, required=True, max_length=AMOUNT_TEXT_MAX)
    async def withdraw(self, ctx: SlashContext, amount: str) -> None:
        guild_id = require_guild(ctx)
        receipt = await service.bank_move(runtime_of(ctx), guild_id, int(ctx.author_id), amount, deposit=False)
        settings = await settings_here(ctx)
        await ctx.send(
            f"Withdrew {money(settings, receipt.wallet_delta)}. Wallet {money(settings, receipt.wallet)}, "
            f"bank {money(settings, receipt.bank)}."
        )

    @interactions.slash_command(name="pay", description="Give money from your wallet to another member")
    @slash_option("member", "Who to pay", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=AMOUNT_MAX)
    @slash_option("note", "What it is for", opt_type=OptionType.STRING, max_length=TEXT_MAX)
    async def pay(self, ctx: SlashContext, member: interactions.Member, amount: int, note: str | None = None) -> None:
        guild_id = require_guild(ctx)
        member = resolve_member(ctx, member)  # someone in this server, not a bot: nobody else gets an account
        sent, _ = await service.transfer(
            runtime_of(ctx),
            guild_id,
            int(ctx.author_id),
            int(member.id),
            amount,
            note=note,
            key=f"pay:{ctx.id}",
            to_is_bot=member.bot,
        )
        settings = await settings_here(ctx)
        text = f"You paid {mention(int(member.id))} {money(settings, amount)}"
        text += f" for *{note}*." if note else "."
        await ctx.send(
            f"{text} Your wallet: {money(settings, sent.wallet)}.",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @interactions.slash_command(name="transactions", description="Your recent transactions, newest first")
    @slash_option("page", "Page number", opt_type=OptionType.INTEGER, min_value=1, max_value=PAGE_MAX)
    async def transactions(self, ctx: SlashContext, page: int = 1) -> None:
        await transaction_pages.send(ctx, page=page, ephemeral=True)
