"""/shop, /buy, /inventory, /use"""

from __future__ import annotations

import logging

import interactions
from interactions import AutocompleteContext, OptionType, SlashContext, slash_option

from guildkit.core.errors import UserError

from .. import service
from .common import GOLD, context, money

log = logging.getLogger("guildkit.economy")


def _can_grant(ctx: SlashContext, role_id: int) -> str | None:
    """Why the bot cannot give this role, or None."""
    guild = ctx.guild
    role = guild.get_role(role_id) if guild else None
    if role is None:
        return "its role no longer exists"
    me = guild.me
    if me is None:
        return "I cannot see my own member"
    if not me.has_permission(interactions.Permissions.MANAGE_ROLES):
        return "I need the **Manage Roles** permission"
    if me.top_role is None or me.top_role.position <= role.position:
        return f"my highest role must be above {role.mention}"
    return None


class EconomyShopCommands(interactions.Extension):
    @interactions.slash_command(name="shop", description="What you can buy here")
    async def shop(self, ctx: SlashContext) -> None:
        _, guild_id, settings = await context(ctx)
        items = await service.shop_items(guild_id)
        if not items:
            await ctx.send("The shop is empty. A server manager can add items with `/eco item add`.")
            return
        lines = []
        for item in items[:25]:
            extras = []
            if item.stock is not None:
                extras.append(f"{item.stock} left" if item.stock else "sold out")
            if item.role_id:
                extras.append(f"gives <@&{item.role_id}>")
            if item.per_member_limit:
                extras.append(f"limit {item.per_member_limit} per member")
            if item.consumable:
                extras.append("usable")
            line = f"**{item.name}** — {money(settings, item.price)}"
            if extras:
                line += f" ({', '.join(extras)})"
            if item.description:
                line += f"\n{item.description}"
            lines.append(line)
        embed = interactions.Embed(title="Shop", description="\n".join(lines)[:4000], color=GOLD)
        embed.set_footer("Buy with /buy item")
        await ctx.send(embeds=embed, allowed_mentions=interactions.AllowedMentions.none())

    @interactions.slash_command(name="buy", description="Buy an item from the shop")
    @slash_option("item", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True)
    @slash_option("quantity", "How many (default 1)", opt_type=OptionType.INTEGER)
    async def buy(self, ctx: SlashContext, item: str, quantity: int = 1) -> None:
        runtime, guild_id, settings = await context(ctx)
        user_id = int(ctx.author_id)
        wanted = await service.find_item(guild_id, item)
        if wanted.role_id is not None:
            if ctx.author.has_role(wanted.role_id):
                raise UserError(f"You already have the role of **{wanted.name}**.")
            problem = _can_grant(ctx, wanted.role_id)
            if problem:
                raise UserError(f"**{wanted.name}** cannot be bought right now: {problem}.")
        purchase = await service.buy(runtime, guild_id, user_id, item, quantity)
        if wanted.role_id is not None:
            try:
                await ctx.author.add_role(wanted.role_id, reason=f"bought {wanted.name} in the shop")
            except Exception as error:
                log.warning("could not grant role %s for %s: %s", wanted.role_id, wanted.name, error)
                await service.refund(runtime, guild_id, user_id, purchase, f"refund: role of {wanted.name} not granted")
                raise UserError(
                    f"Discord refused to give you the role of **{wanted.name}**; your money was refunded."
                ) from None
        cost = money(settings, -purchase.receipt.wallet_delta)
        text = f"You bought {purchase.quantity} **{purchase.item.name}** for {cost}."
        if wanted.role_id is not None:
            text += f" You now have <@&{wanted.role_id}>."
        elif purchase.item.consumable:
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
        _, guild_id, _ = await context(ctx)
        target = member or ctx.author
        holdings = await service.inventory(guild_id, int(target.id))
        if not holdings:
            who = "You own" if member is None else f"{target.display_name} owns"
            await ctx.send(f"{who} nothing yet. See `/shop`.")
            return
        lines = [f"**{h.item.name}** x {h.quantity}" + (" (usable)" if h.item.consumable else "") for h in holdings]
        embed = interactions.Embed(title=f"{target.display_name}'s inventory", description="\n".join(lines), color=GOLD)
        await ctx.send(embeds=embed)

    @interactions.slash_command(name="use", description="Use one of your consumable items")
    @slash_option("item", "Item name", opt_type=OptionType.STRING, required=True, autocomplete=True)
    async def use(self, ctx: SlashContext, item: str) -> None:
        runtime, guild_id, _ = await context(ctx)
        used, left = await service.use_item(runtime, guild_id, int(ctx.author_id), item)
        message = used.use_message or f"You used a **{used.name}**."
        await ctx.send(f"{message} ({left} left)")

    @use.autocomplete("item")
    async def _owned_names(self, ctx: AutocompleteContext) -> None:
        names = await service.search_items(int(ctx.guild_id), ctx.input_text or "", user_id=int(ctx.author_id))
        await ctx.send(choices=[{"name": n, "value": n} for n in names])
