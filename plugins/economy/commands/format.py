"""The only formatters of the economy's replies: money, times, mentions, ledger lines, and
:func:`describe_error`, which words the service's errors for members (with Discord markup)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from guildkit.core.commands.access import runtime_of
from guildkit.core.inputs import quote

from .. import errors, service
from ..service import Entry
from ..settings import EconomySettings

GOLD = 0xF1C40F
GREEN = 0x2ECC71


async def settings_here(ctx: Any) -> EconomySettings:
    """The economy settings of the invoking channel (defaults outside a server)."""
    if ctx.guild_id is None:
        return EconomySettings()
    channel_id = int(ctx.channel_id) if ctx.channel_id else None
    return await service.settings_for(runtime_of(ctx), int(ctx.guild_id), channel_id)


def money(settings: EconomySettings, amount: int, *, bold: bool = True) -> str:
    """``🪙 **1,500** coins``; ``bold=False`` in refusals, where nothing else is bold either."""
    number = f"**{amount:,}**" if bold else f"{amount:,}"
    return f"{settings.currency_symbol} {number} {settings.currency_name}"


def signed(amount: int) -> str:
    """A change of a balance: ``+30``, ``-1,200``."""
    return f"{amount:+,}"


def relative_time(moment: datetime) -> str:
    """Discord renders it in the reader's language and timezone: "in 5 minutes"."""
    return f"<t:{int(moment.timestamp())}:R>"


def short_date(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:d>"


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def role_mention(role_id: int) -> str:
    return f"<@&{role_id}>"


def item_name(name: str) -> str:
    return f"**{name}**"


def ledger_lines(entries: Sequence[Entry], owner_id: int) -> list[str]:
    """Ledger entries as lines: id, date, kind, deltas, reason, who did it, with whom."""
    lines = []
    for entry in entries:
        parts = []
        if entry.wallet_delta:
            parts.append(f"wallet {signed(entry.wallet_delta)}")
        if entry.bank_delta:
            parts.append(f"bank {signed(entry.bank_delta)}")
        line = f"`#{entry.id}` {short_date(entry.at)} **{entry.kind}** {', '.join(parts) or '0'}"
        if entry.reason:
            line += f" — {entry.reason}"
        if entry.actor_id and entry.actor_id != owner_id:
            line += f" (by {mention(entry.actor_id)})"
        if entry.counterparty_id:
            line += f" (with {mention(entry.counterparty_id)})"
        lines.append(line)
    return lines


async def describe_error(ctx: Any, error: Exception) -> str | None:
    """The member's reply to one of the economy's errors; None leaves it to the core (``str``)."""
    if not isinstance(error, errors.EconomyError):
        return None
    settings = await settings_here(ctx)

    def coins(amount: int) -> str:
        return money(settings, amount, bold=False)

    match error:
        case errors.AmountTooLarge(limit=limit):
            return f"The amount can be at most {coins(limit)}."
        case errors.NotAnAmount(text=text):
            return f"`{text}` is not an amount. Use a whole number like `250`, or `all`."
        case errors.CannotAfford(needed=needed, available=available, item=item, quantity=quantity):
            return f"You have only {coins(available)} in the wallet; {quantity} {item_name(item)} cost {coins(needed)}."
        case errors.BetTooHigh(needed=needed, available=available):
            return f"You have only {coins(available)} in the wallet; you cannot bet {coins(needed)}."
        case errors.InsufficientFunds(needed=needed, available=available, where=where, who=who):
            subject = "You have" if who is None else f"{who} has"
            return f"{subject} only {coins(available)} in the {where}; that needs {coins(needed)}."
        case errors.OverMaximum(limit=limit, own=own):
            whose = "your" if own else "their"
            return f"That would take {whose} balance over the maximum of {coins(limit)}; nothing was changed."
        case errors.AlreadyHolds(amount=amount):
            return f"The wallet already holds {coins(amount)}."
        case errors.DailyAlreadyClaimed(until=until, timezone=timezone):
            return (
                f"You already claimed your daily today. The next one is ready {relative_time(until)} "
                f"(midnight in {timezone})."
            )
        case errors.WorkCooldown(until=until):
            return f"You are tired. You can work again {relative_time(until)}."
        case errors.GameCooldown(until=until):
            return f"Slow down! You can flip again {relative_time(until)}."
        case errors.InvalidSide():
            return "Pick `heads` or `tails`."
        case errors.BetOutOfRange(low=low, high=high):
            return f"Bets here are between {coins(low)} and {coins(high)}."
        case errors.InvalidOrder(choices=choices):
            return "Rank by " + ", ".join(f"`{c}`" for c in choices[:-1]) + f" or `{choices[-1]}`."
        case errors.InvalidItem(problem="price", max_price=max_price):
            return f"The price must be between 0 and {coins(max_price or 0)}."
        case errors.DuplicateItem(name=name):
            return f"There is already an item called {item_name(name)}. Remove it first or pick another name."
        case errors.ItemNotFound(name=name):
            return f"There is no item called {quote(name, 60)} in the shop. See `/shop`."
        case errors.ItemNotSold(item=item):
            return f"{item_name(item)} is no longer sold."
        case errors.OutOfStock(item=item, left=left):
            return f"{item_name(item)} is sold out." if left == 0 else f"Only {left} {item_name(item)} left in stock."
        case errors.LimitReached(item=item, limit=limit, bought=bought):
            return f"Each member may buy at most {limit} {item_name(item)}; you have bought {bought}."
        case errors.NotUsable(item=item):
            return f"{item_name(item)} is not something you can use."
        case errors.NoneOwned(item=item):
            return f"You have no {item_name(item)}. Buy one with `/buy`."
        case errors.AlreadyHasRole(item=item):
            return f"You already have the role of {item_name(item)}."
        case errors.RoleNotGrantable(item=item, reason=reason):
            return f"{item_name(item)} cannot be bought right now: {reason}"
        case errors.RoleRefused(item=item, reason=reason):
            why = f" ({reason})" if reason else ""
            return f"I could not give you the role of {item_name(item)}{why}; your money was refunded."
    # The rest carry no amounts, names or times: their plain text is the reply.
    return str(error)
