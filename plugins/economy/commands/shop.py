"""/shop, /buy, /inventory, /use"""

from __future__ import annotations

import interactions
from interactions import AutocompleteContext, OptionType, SlashContext, slash_option

from guildkit.core.commands.access import require_guild, runtime_of
from guildkit.core.members import resolve_member

from .. import effects, service
from ..errors import RoleRefused
from ..limits import ITEM_NAME_MAX, QUANTITY_MAX
from .format import GOLD, item_name, money, role_mention, settings_here


class ShopCommands(interactions.Extension):
    @interactions.slash_command(name="shop", description="What you can buy here")
    async def shop(self, ctx: SlashContext) -> None:
        guild_id = require_guild(ctx)
        items = await service.shop_items(guild_id)
        if not items:
            await ctx.send("The shop is empty. A server manager can add items with `/eco item add`.")
            return
        settings = await settings_here(ctx)
        lines = []
        for item in items[:25]:
            extras = []
            if item.stock is not None:
                extras.append(f"{item.stock} left" if item.stock else "sold out")
            if item.role_id:
                extras.append(f"gives {role_mention(item.role_id)}")
            if item.per_member_limit:
                extras.append(f"limit {item.per_member_limit} per member")
            if item.consumable:
                extras.append("usable")
            line = f"{item_name(item.name)} — {money(settings, item.price)}"
            if extras:
                line += f" ({', '.join(extras)})"
            if item.description:
                line += f"\n{item.description}"
            lines.append(line)
        embed = interactions.Embed(title="Shop", description="\n".join(lines)[:4000], color=GOLD)
        embed.set_footer("Buy with /buy item")
        await ctx.send(embeds=embed, allowed_mentions=interactions.AllowedMentions.none())

    @interactions.slash_command(name="buy", description="Buy an item from the shop")
    @slash_option(
        "item", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=ITEM_NAME_MAX
    )
    @slash_option("quantity", "How many (default 1)", opt_type=OptionType.INTEGER, min_value=1, max_value=QUANTITY_MAX)
    async def buy(self, ctx: SlashContext, item: str, quantity: int = 1) -> None:
        guild_id = require_guild(ctx)
        runtime = runtime_of(ctx)
        await effects.check_role_item(ctx.author, await service.find_item(guild_id, item))
        channel_id = int(ctx.channel_id) if ctx.channel_id else None
        purchase = await service.buy(runtime, guild_id, int(ctx.author_id), item, quantity, channel_id=channel_id)
        pending = False
        if purchase.grant is not None:
            settlement = await effects.settle_now(runtime, purchase, purchase.grant)
            if settlement.outcome == "refunded":
                raise RoleRefused(purchase.item.name, purchase.grant.role_id, settlement.reason)
            pending = settlement.outcome == "pending"
        settings = await settings_here(ctx)
        bought = purchase.item
        text = f"You bought {purchase.quantity} {item_name(bought.name)} for {money(settings, purchase.cost)}."
        if bought.role_id is not None and pending:
            text += (
                f" Discord did not answer, so {role_mention(bought.role_id)} follows shortly; "
                "if it cannot be given, your money comes back."
            )
        elif bought.role_id is not None:
            text += f" You now have {role_mention(bought.role_id)}."
        elif bought.consumable:
            text += f" You have {purchase.owned}; use one with `/use`."
        text += f" Wallet: {money(settings, purchase.receipt.wallet)}."
        await ctx.send(text, allowed_mentions=interactions.AllowedMentions.none())

    @buy.autocomplete("item")
    async def _shop_names(self, ctx: AutocompleteContext) -> None:
        names = await service.search_items(int(ctx.guild_id), ctx.input_text or "")
        await ctx.send(choices=[{"name": n, "value": n} for n in names])

    @interactions.slash_command(name="inventory", description="What you (or another member) own")
    @slash_option("member", "Whose inventory", opt_type=OptionType.USER)
    async def inventory(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        guild_id = require_guild(ctx)
        target = resolve_member(ctx, member) if member is not None else ctx.author
        holdings = await service.inventory(guild_id, int(target.id))
        if not holdings:
            who = "You own" if member is None else f"{target.display_name} owns"
            await ctx.send(f"{who} nothing yet. See `/shop`.")
            return
        lines = [
            f"{item_name(h.item.name)} x {h.quantity}" + (" (usable)" if h.item.consumable else "") for h in holdings
        ]
        embed = interactions.Embed(title=f"{target.display_name}'s inventory", description="\n".join(lines), color=GOLD)
        await ctx.send(embeds=embed)

    @interactions.slash_command(name="use", description="Use one of your consumable items")
    @slash_option(
        "item", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=ITEM_NAME_MAX
    )
    async def use(self, ctx: SlashContext, item: str) -> None:
        guild_id = require_guild(ctx)
        used = await service.use_item(runtime_of(ctx), guild_id, int(ctx.author_id), item)
        message = used.item.use_message or f"You used a {item_name(used.item.name)}."
        await ctx.send(f"{message} ({used.left} left)")

    @use.autocomplete("item")
    async def _owned_names(self, ctx: AutocompleteContext) -> None:
        names = await service.search_items(int(ctx.guild_id), ctx.input_text or "", user_id=int(ctx.author_id))
        await ctx.send(choices=[{"name": n, "value": n} for n in names])
