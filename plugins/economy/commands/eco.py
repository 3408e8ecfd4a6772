"""/eco add | remove | set | history | audit, /eco item add | remove | stock, /eco bonus set | list

Server managers only: Discord hides /eco from members without Manage Server, and every
subcommand checks the "manager" level again (an owner can open a command's permissions per server).
"""

from __future__ import annotations

from typing import Any

import interactions
from interactions import AutocompleteContext, OptionType, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.commands.access import runtime_of
from guildkit.core.members import resolve_member
from guildkit.core.pagination import PageSource, PageView
from guildkit.core.permissions import MANAGER, Permissions, require_level
from guildkit.core.roles import check_role_assignable

from .. import service
from ..limits import AMOUNT_MAX, BONUS_PERCENT_MAX, COUNT_MAX, ITEM_NAME_MAX, PAGE_MAX, TEXT_MAX
from .format import GOLD, item_name, ledger_lines, mention, money, role_mention, settings_here, signed

POCKETS = [SlashCommandChoice(name="wallet", value="wallet"), SlashCommandChoice(name="bank", value="bank")]


def member_id(ctx: SlashContext, member: interactions.Member | interactions.User) -> int:
    """The chosen member's id: someone in this server and not a bot (no account for anyone else)."""
    return int(resolve_member(ctx, member).id)


async def display_name(ctx: Any, user_id: int) -> str:
    """The member's name in this server, or their user name once they left."""
    member = await ctx.client.fetch_member(user_id, ctx.guild_id)
    if member is not None:
        return member.display_name
    user = await ctx.client.fetch_user(user_id)
    return user.username if user is not None else str(user_id)


async def render_history(ctx: Any, page: int, arg: str) -> PageView:
    """A member's ledger for a manager (``arg``: the member's id); checked again on every page."""
    guild_id = await require_level(ctx, MANAGER.name)
    user_id = int(arg)
    history = await service.history(guild_id, user_id, page)
    name = await display_name(ctx, user_id)
    if not history.entries:
        return PageView(page=1, pages=1, content=f"{name} has no transactions.")
    settings = await settings_here(ctx)
    embed = interactions.Embed(
        title=f"{name}'s transactions", description="\n".join(ledger_lines(history.entries, user_id))[:4000], color=GOLD
    )
    embed.set_footer(f"Page {history.page} of {history.pages} · amounts in {settings.currency_name}")
    return PageView(page=history.page, pages=history.pages, embeds=[embed])


history_pages = PageSource("economy", "history", render_history)


class EcoCommands(interactions.Extension):
    @interactions.slash_command(
        name="eco",
        description="Economy administration",
        sub_cmd_name="add",
        sub_cmd_description="Give a member money",
        default_member_permissions=Permissions.MANAGE_GUILD,
        dm_permission=False,
    )
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=AMOUNT_MAX)
    @slash_option("reason", "Why (kept in the ledger)", opt_type=OptionType.STRING, required=True, max_length=TEXT_MAX)
    @slash_option("pocket", "Wallet (default) or bank", opt_type=OptionType.STRING, choices=POCKETS)
    async def eco_add(
        self, ctx: SlashContext, member: interactions.Member, amount: int, reason: str, pocket: str = "wallet"
    ) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        runtime = runtime_of(ctx)
        settings = await settings_here(ctx)
        receipt = await service.credit(
            runtime,
            guild_id,
            member_id(ctx, member),
            amount,
            kind="admin",
            reason=reason,
            actor_id=int(ctx.author_id),
            pocket="bank" if pocket == "bank" else "wallet",
            settings=settings,
            who=member.display_name,
        )
        await ctx.send(
            f"Gave {mention(int(member.id))} {money(settings, amount)} ({pocket}). "
            f"Wallet {money(settings, receipt.wallet)}, bank {money(settings, receipt.bank)}.",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @eco_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Take money from a member")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=AMOUNT_MAX)
    @slash_option("reason", "Why (kept in the ledger)", opt_type=OptionType.STRING, required=True, max_length=TEXT_MAX)
    @slash_option("pocket", "Wallet (default) or bank", opt_type=OptionType.STRING, choices=POCKETS)
    async def eco_remove(
        self, ctx: SlashContext, member: interactions.Member, amount: int, reason: str, pocket: str = "wallet"
    ) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        runtime = runtime_of(ctx)
        settings = await settings_here(ctx)
        receipt = await service.debit(
            runtime,
            guild_id,
            member_id(ctx, member),
            amount,
            kind="admin",
            reason=reason,
            actor_id=int(ctx.author_id),
            pocket="bank" if pocket == "bank" else "wallet",
            settings=settings,
            who=member.display_name,
        )
        await ctx.send(
            f"Took {money(settings, amount)} from {mention(int(member.id))} ({pocket}). "
            f"Wallet {money(settings, receipt.wallet)}, bank {money(settings, receipt.bank)}.",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @eco_add.subcommand(sub_cmd_name="set", sub_cmd_description="Set a member's wallet")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option(
        "amount", "The new wallet", opt_type=OptionType.INTEGER, required=True, min_value=0, max_value=AMOUNT_MAX
    )
    @slash_option("reason", "Why (kept in the ledger)", opt_type=OptionType.STRING, required=True, max_length=TEXT_MAX)
    async def eco_set(self, ctx: SlashContext, member: interactions.Member, amount: int, reason: str) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        runtime = runtime_of(ctx)
        settings = await settings_here(ctx)
        receipt = await service.set_wallet(
            runtime, guild_id, member_id(ctx, member), amount, reason=reason, actor_id=int(ctx.author_id)
        )
        await ctx.send(
            f"{mention(int(member.id))}'s wallet is now {money(settings, receipt.wallet)} "
            f"({signed(receipt.wallet_delta)}).",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @eco_add.subcommand(sub_cmd_name="history", sub_cmd_description="A member's transactions, newest first")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("page", "Page number", opt_type=OptionType.INTEGER, min_value=1, max_value=PAGE_MAX)
    async def eco_history(self, ctx: SlashContext, member: interactions.Member, page: int = 1) -> None:
        await require_level(ctx, MANAGER.name)
        await history_pages.send(ctx, page=page, arg=str(member.id), ephemeral=True)

    @eco_add.subcommand(sub_cmd_name="audit", sub_cmd_description="Check that every balance equals its ledger")
    async def eco_audit(self, ctx: SlashContext) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        wrong = await service.audit(guild_id)
        if not wrong:
            await ctx.send("Every balance equals the sum of its ledger entries.", ephemeral=True)
            return
        lines = [
            f"account {m.account_id}: wallet {m.wallet} vs {m.ledger_wallet}, bank {m.bank} vs {m.ledger_bank}"
            for m in wrong[:20]
        ]
        await ctx.send(f"{len(wrong)} account(s) differ from the ledger:\n" + "\n".join(lines), ephemeral=True)

    # -- shop items ------------------------------------------------------------------------

    @eco_add.subcommand(
        group_name="item", group_description="Shop items", sub_cmd_name="add", sub_cmd_description="Add a shop item"
    )
    @slash_option("name", "Item name", opt_type=OptionType.STRING, required=True, max_length=ITEM_NAME_MAX)
    @slash_option("price", "Price", opt_type=OptionType.INTEGER, required=True, min_value=0, max_value=AMOUNT_MAX)
    @slash_option("description", "Shown in the shop", opt_type=OptionType.STRING, max_length=TEXT_MAX)
    @slash_option(
        "stock",
        "How many can be sold (default unlimited)",
        opt_type=OptionType.INTEGER,
        min_value=0,
        max_value=COUNT_MAX,
    )
    @slash_option("role", "Role given on purchase", opt_type=OptionType.ROLE)
    @slash_option("limit", "How many one member may buy", opt_type=OptionType.INTEGER, min_value=1, max_value=COUNT_MAX)
    @slash_option("consumable", "Can be used with /use", opt_type=OptionType.BOOLEAN)
    @slash_option("use_message", "What /use answers", opt_type=OptionType.STRING, max_length=TEXT_MAX)
    async def item_add(
        self,
        ctx: SlashContext,
        name: str,
        price: int,
        description: str = "",
        stock: int | None = None,
        role: interactions.Role | None = None,
        limit: int | None = None,
        consumable: bool = False,
        use_message: str = "",
    ) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        settings = await settings_here(ctx)
        if role is not None:
            # Below the bot and below the manager, not managed, no permission they lack (core/roles.py).
            check_role_assignable(ctx.guild, role, ctx.author)
        item = await service.add_item(
            guild_id,
            name,
            price,
            description=description,
            stock=stock,
            role_id=int(role.id) if role else None,
            role_set_by=int(ctx.author_id) if role else None,
            per_member_limit=limit,
            consumable=consumable,
            use_message=use_message,
            settings=settings,
        )
        await ctx.send(f"Added {item_name(item.name)} to the shop for {money(settings, item.price)}.", ephemeral=True)

    @eco_add.subcommand(group_name="item", sub_cmd_name="remove", sub_cmd_description="Stop selling an item")
    @slash_option(
        "name", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=ITEM_NAME_MAX
    )
    async def item_remove(self, ctx: SlashContext, name: str) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        item = await service.remove_item(guild_id, name)
        await ctx.send(f"{item_name(item.name)} is no longer sold. Members keep what they bought.", ephemeral=True)

    @eco_add.subcommand(group_name="item", sub_cmd_name="stock", sub_cmd_description="Set how many are left")
    @slash_option(
        "name", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=ITEM_NAME_MAX
    )
    @slash_option(
        "stock", "Items left (leave out for unlimited)", opt_type=OptionType.INTEGER, min_value=0, max_value=COUNT_MAX
    )
    async def item_stock(self, ctx: SlashContext, name: str, stock: int | None = None) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        item = await service.restock(guild_id, name, stock)
        left = "unlimited" if item.stock is None else f"{item.stock} left"
        await ctx.send(f"{item_name(item.name)}: {left}.", ephemeral=True)

    @item_remove.autocomplete("name")
    async def _names(self, ctx: AutocompleteContext) -> None:
        names = await service.search_items(int(ctx.guild_id), ctx.input_text or "")
        await ctx.send(choices=[{"name": n, "value": n} for n in names])

    @item_stock.autocomplete("name")
    async def _names_stock(self, ctx: AutocompleteContext) -> None:
        await self._names(ctx)

    # -- role bonuses ----------------------------------------------------------------------

    @eco_add.subcommand(
        group_name="bonus",
        group_description="Extra pay on /work and /daily for roles",
        sub_cmd_name="set",
        sub_cmd_description="Set a role's bonus in percent (0 removes it)",
    )
    @slash_option("role", "Role", opt_type=OptionType.ROLE, required=True)
    @slash_option(
        "percent",
        "Extra pay in percent (0 removes it)",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=0,
        max_value=BONUS_PERCENT_MAX,
    )
    async def bonus_set(self, ctx: SlashContext, role: interactions.Role, percent: int) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        await service.set_role_bonus(guild_id, int(role.id), percent)
        who = role_mention(int(role.id))
        text = f"{who} has no bonus now." if percent == 0 else f"{who} earns **+{percent}%**."
        await ctx.send(text + " The largest bonus of a member's roles applies.", ephemeral=True)

    @eco_add.subcommand(group_name="bonus", sub_cmd_name="list", sub_cmd_description="Role bonuses here")
    async def bonus_list(self, ctx: SlashContext) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        bonuses = await service.role_bonuses(guild_id)
        if not bonuses:
            await ctx.send("No role bonuses. Add one with `/eco bonus set`.", ephemeral=True)
            return
        await ctx.send("\n".join(f"{role_mention(b.role_id)}: +{b.percent}%" for b in bonuses), ephemeral=True)
