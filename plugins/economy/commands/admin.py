"""/eco add | remove | set | history | audit, /eco item add | remove | stock, /eco bonus set | list

Server managers only (Manage Server), checked again in code: Discord's default permissions can be
changed per server.
"""

from __future__ import annotations

import interactions
from interactions import AutocompleteContext, OptionType, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.commands.access import MANAGE_GUILD
from guildkit.core.errors import UserError

from .. import service
from .common import GOLD, context, history_lines, is_bot, money, require_manage_guild

POCKETS = [SlashCommandChoice(name="wallet", value="wallet"), SlashCommandChoice(name="bank", value="bank")]


def _member_check(member: interactions.Member) -> int:
    if is_bot(member):
        raise UserError("Bots have no wallet.")
    return int(member.id)


class EconomyAdminCommands(interactions.Extension):
    @interactions.slash_command(
        name="eco",
        description="Economy administration",
        sub_cmd_name="add",
        sub_cmd_description="Give a member money",
        default_member_permissions=MANAGE_GUILD,
        dm_permission=False,
    )
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much", opt_type=OptionType.INTEGER, required=True)
    @slash_option("reason", "Why (kept in the ledger)", opt_type=OptionType.STRING, required=True, max_length=200)
    @slash_option("pocket", "Wallet (default) or bank", opt_type=OptionType.STRING, choices=POCKETS)
    async def eco_add(
        self, ctx: SlashContext, member: interactions.Member, amount: int, reason: str, pocket: str = "wallet"
    ) -> None:
        require_manage_guild(ctx)
        runtime, guild_id, settings = await context(ctx)
        user_id = _member_check(member)
        if pocket == "bank":
            receipt = await service.credit_bank(
                runtime, guild_id, user_id, amount, reason=reason, actor_id=int(ctx.author_id), settings=settings
            )
        else:
            receipt = await service.credit(
                runtime,
                guild_id,
                user_id,
                amount,
                kind="admin",
                reason=reason,
                actor_id=int(ctx.author_id),
                settings=settings,
            )
        await ctx.send(
            f"Gave {member.mention} {money(settings, amount)} ({pocket}). "
            f"Wallet {money(settings, receipt.wallet)}, bank {money(settings, receipt.bank)}.",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @eco_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Take money from a member")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much", opt_type=OptionType.INTEGER, required=True)
    @slash_option("reason", "Why (kept in the ledger)", opt_type=OptionType.STRING, required=True, max_length=200)
    @slash_option("pocket", "Wallet (default) or bank", opt_type=OptionType.STRING, choices=POCKETS)
    async def eco_remove(
        self, ctx: SlashContext, member: interactions.Member, amount: int, reason: str, pocket: str = "wallet"
    ) -> None:
        require_manage_guild(ctx)
        runtime, guild_id, settings = await context(ctx)
        receipt = await service.debit(
            runtime,
            guild_id,
            _member_check(member),
            amount,
            kind="admin",
            reason=reason,
            actor_id=int(ctx.author_id),
            pocket=pocket,
            settings=settings,
            who=member.display_name,
        )
        await ctx.send(
            f"Took {money(settings, amount)} from {member.mention} ({pocket}). "
            f"Wallet {money(settings, receipt.wallet)}, bank {money(settings, receipt.bank)}.",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @eco_add.subcommand(sub_cmd_name="set", sub_cmd_description="Set a member's wallet")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "The new wallet", opt_type=OptionType.INTEGER, required=True)
    @slash_option("reason", "Why (kept in the ledger)", opt_type=OptionType.STRING, required=True, max_length=200)
    async def eco_set(self, ctx: SlashContext, member: interactions.Member, amount: int, reason: str) -> None:
        require_manage_guild(ctx)
        runtime, guild_id, settings = await context(ctx)
        receipt = await service.set_wallet(
            runtime, guild_id, _member_check(member), amount, reason=reason, actor_id=int(ctx.author_id)
        )
        await ctx.send(
            f"{member.mention}'s wallet is now {money(settings, receipt.wallet)} "
            f"({'+' if receipt.wallet_delta > 0 else ''}{receipt.wallet_delta:,}).",
            allowed_mentions=interactions.AllowedMentions.none(),
        )

    @eco_add.subcommand(sub_cmd_name="history", sub_cmd_description="A member's transactions, newest first")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("page", "Page number", opt_type=OptionType.INTEGER, min_value=1)
    async def eco_history(self, ctx: SlashContext, member: interactions.Member, page: int = 1) -> None:
        require_manage_guild(ctx)
        _, guild_id, settings = await context(ctx)
        entries, pages = await service.history(guild_id, int(member.id), page)
        page = min(max(page, 1), pages)
        if not entries:
            await ctx.send(f"{member.display_name} has no transactions.", ephemeral=True)
            return
        lines = history_lines(entries, int(member.id))
        embed = interactions.Embed(
            title=f"{member.display_name}'s transactions", description="\n".join(lines)[:4000], color=GOLD
        )
        embed.set_footer(f"Page {page} of {pages} · amounts in {settings.currency_name}")
        await ctx.send(embeds=embed, ephemeral=True)

    @eco_add.subcommand(sub_cmd_name="audit", sub_cmd_description="Check that every balance equals its ledger")
    async def eco_audit(self, ctx: SlashContext) -> None:
        require_manage_guild(ctx)
        _, guild_id, _ = await context(ctx)
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
    @slash_option("name", "Item name", opt_type=OptionType.STRING, required=True, max_length=50)
    @slash_option("price", "Price", opt_type=OptionType.INTEGER, required=True)
    @slash_option("description", "Shown in the shop", opt_type=OptionType.STRING, max_length=200)
    @slash_option("stock", "How many can be sold (default unlimited)", opt_type=OptionType.INTEGER)
    @slash_option("role", "Role given on purchase", opt_type=OptionType.ROLE)
    @slash_option("limit", "How many one member may buy", opt_type=OptionType.INTEGER)
    @slash_option("consumable", "Can be used with /use", opt_type=OptionType.BOOLEAN)
    @slash_option("use_message", "What /use answers", opt_type=OptionType.STRING, max_length=200)
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
        require_manage_guild(ctx)
        _, guild_id, settings = await context(ctx)
        if role is not None and (role.default or role.managed):
            raise UserError("That role cannot be given by the bot; pick a normal role.")
        item = await service.add_item(
            guild_id,
            name,
            price,
            description=description,
            stock=stock,
            role_id=int(role.id) if role else None,
            per_member_limit=limit,
            consumable=consumable,
            use_message=use_message,
            settings=settings,
        )
        await ctx.send(f"Added **{item.name}** to the shop for {money(settings, item.price)}.", ephemeral=True)

    @eco_add.subcommand(group_name="item", sub_cmd_name="remove", sub_cmd_description="Stop selling an item")
    @slash_option("name", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True)
    async def item_remove(self, ctx: SlashContext, name: str) -> None:
        require_manage_guild(ctx)
        _, guild_id, _ = await context(ctx)
        item = await service.remove_item(guild_id, name)
        await ctx.send(f"**{item.name}** is no longer sold. Members keep what they bought.", ephemeral=True)

    @eco_add.subcommand(group_name="item", sub_cmd_name="stock", sub_cmd_description="Set how many are left")
    @slash_option("name", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True)
    @slash_option("stock", "Items left (leave out for unlimited)", opt_type=OptionType.INTEGER)
    async def item_stock(self, ctx: SlashContext, name: str, stock: int | None = None) -> None:
        require_manage_guild(ctx)
        _, guild_id, _ = await context(ctx)
        item = await service.restock(guild_id, name, stock)
        left = "unlimited" if item.stock is None else f"{item.stock} left"
        await ctx.send(f"**{item.name}**: {left}.", ephemeral=True)

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
    @slash_option("percent", "Extra pay in percent", opt_type=OptionType.INTEGER, required=True)
    async def bonus_set(self, ctx: SlashContext, role: interactions.Role, percent: int) -> None:
        require_manage_guild(ctx)
        _, guild_id, _ = await context(ctx)
        await service.set_role_bonus(guild_id, int(role.id), percent)
        text = f"{role.mention} has no bonus now." if percent == 0 else f"{role.mention} earns **+{percent}%**."
        await ctx.send(text + " The largest bonus of a member's roles applies.", ephemeral=True)

    @eco_add.subcommand(group_name="bonus", sub_cmd_name="list", sub_cmd_description="Role bonuses here")
    async def bonus_list(self, ctx: SlashContext) -> None:
        require_manage_guild(ctx)
        _, guild_id, _ = await context(ctx)
        bonuses = await service.role_bonuses(guild_id)
        if not bonuses:
            await ctx.send("No role bonuses. Add one with `/eco bonus set`.", ephemeral=True)
            return
        await ctx.send("\n".join(f"<@&{b.role_id}>: +{b.percent}%" for b in bonuses), ephemeral=True)
