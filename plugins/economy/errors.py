"""The economy's refusals: data, not wording.

Each error carries what the member needs to know (amounts, limits, the time a cooldown ends, the
item) and a plain-text ``str()`` for logs and callers without Discord. The member's reply is
written by ``commands/format.describe_error`` with the server's currency, bold names and
Discord timestamps. Raising any of them writes nothing: the transaction is rolled back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from guildkit.core.errors import DomainError

from .limits import COUNT_MAX

Pocket = Literal["wallet", "bank"]


class EconomyError(DomainError):
    """Base of the economy's refusals. Subclasses set attributes and implement ``__str__``."""

    def __init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:  # pragma: no cover - every subclass words itself
        return "The economy refused that."


# -- amounts and balances ------------------------------------------------------------------------


class AmountNotPositive(EconomyError):
    def __init__(self, amount: int) -> None:
        self.amount = amount
        super().__init__()

    def __str__(self) -> str:
        return "The amount must be a positive whole number."


class AmountTooLarge(EconomyError):
    def __init__(self, amount: int, limit: int) -> None:
        self.amount, self.limit = amount, limit
        super().__init__()

    def __str__(self) -> str:
        return f"The amount can be at most {self.limit:,}."


class NotAnAmount(EconomyError):
    """Text that is neither a number (``1,500``, ``2k``) nor ``all`` / ``half``."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()

    def __str__(self) -> str:
        return f"{self.text!r} is not an amount. Use a whole number like 250, or all."


class EmptyPocket(EconomyError):
    """``all`` or ``half`` of an empty wallet or bank."""

    def __init__(self, where: Pocket) -> None:
        self.where = where
        super().__init__()

    def __str__(self) -> str:
        return f"Your {self.where} is empty."


class InsufficientFunds(EconomyError):
    """A wallet (or bank) holds less than asked; nothing was written.

    ``who`` names the member when it is not the one asking (an admin taking money)."""

    def __init__(self, needed: int, available: int, where: Pocket = "wallet", who: str | None = None) -> None:
        self.needed, self.available, self.where, self.who = needed, available, where, who
        super().__init__()

    def __str__(self) -> str:
        subject = "You have" if self.who is None else f"{self.who} has"
        return f"{subject} only {self.available:,} in the {self.where}; that needs {self.needed:,}."


class CannotAfford(InsufficientFunds):
    """Not enough in the wallet for ``quantity`` of a shop item."""

    def __init__(self, needed: int, available: int, item: str, quantity: int) -> None:
        self.item, self.quantity = item, quantity
        super().__init__(needed, available)

    def __str__(self) -> str:
        return f"You have only {self.available:,} in the wallet; {self.quantity} {self.item} cost {self.needed:,}."


class BetTooHigh(InsufficientFunds):
    """A coin flip bet larger than the wallet."""

    def __str__(self) -> str:
        return f"You have only {self.available:,} in the wallet; you cannot bet {self.needed:,}."


class OverMaximum(EconomyError):
    """The change would take a balance (wallet and bank together) over ``limit``.

    ``own`` is False when it is someone else's balance (the receiver of a payment)."""

    def __init__(self, limit: int, own: bool = True) -> None:
        self.limit, self.own = limit, own
        super().__init__()

    def __str__(self) -> str:
        whose = "your" if self.own else "their"
        return f"That would take {whose} balance over the maximum of {self.limit:,}; nothing was changed."


class NegativeBalance(EconomyError):
    def __init__(self, amount: int) -> None:
        self.amount = amount
        super().__init__()

    def __str__(self) -> str:
        return "A balance cannot be negative."


class AlreadyHolds(EconomyError):
    """Setting a wallet to what it already holds."""

    def __init__(self, amount: int) -> None:
        self.amount = amount
        super().__init__()

    def __str__(self) -> str:
        return f"The wallet already holds {self.amount:,}."


class AccountGone(EconomyError):
    def __str__(self) -> str:
        return "That account no longer exists; nothing was changed."


class Contended(EconomyError):
    """The balance kept changing under a read-compare-write; the member may simply retry."""

    def __str__(self) -> str:
        return "The balance kept changing; try again."


class NothingChanged(EconomyError):
    """A conditional update matched nothing for a reason no check recognised."""

    def __str__(self) -> str:
        return "That did not work; nothing was changed. Try again."


# -- members ---------------------------------------------------------------------------------------


class SelfPayment(EconomyError):
    def __str__(self) -> str:
        return "You cannot pay yourself."


class BotHasNoWallet(EconomyError):
    """Bots hold no money; ``paying`` when someone tried to pay one."""

    def __init__(self, paying: bool = False) -> None:
        self.paying = paying
        super().__init__()

    def __str__(self) -> str:
        return "Bots have no wallet; pay a member instead." if self.paying else "Bots have no wallet."


# -- earning and games -----------------------------------------------------------------------------


class OnCooldown(EconomyError):
    """Too soon: the action is possible again at ``until``."""

    action = "do that"

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__()

    def __str__(self) -> str:
        return f"You can {self.action} again at {self.until:%Y-%m-%d %H:%M %Z}."


class DailyAlreadyClaimed(OnCooldown):
    """Today's daily is claimed; the next is ready at midnight in ``timezone``."""

    action = "claim your daily"

    def __init__(self, until: datetime, timezone: str) -> None:
        self.timezone = timezone
        super().__init__(until)

    def __str__(self) -> str:
        return f"You already claimed your daily today. The next one is ready at midnight in {self.timezone}."


class WorkCooldown(OnCooldown):
    action = "work"


class GameCooldown(OnCooldown):
    action = "flip"


class WorkPaysNothing(EconomyError):
    def __str__(self) -> str:
        return "Work pays nothing here at the moment."


class InvalidSide(EconomyError):
    def __init__(self, side: str) -> None:
        self.side = side
        super().__init__()

    def __str__(self) -> str:
        return "Pick heads or tails."


class BetOutOfRange(EconomyError):
    def __init__(self, bet: int, low: int, high: int) -> None:
        self.bet, self.low, self.high = bet, low, high
        super().__init__()

    def __str__(self) -> str:
        return f"Bets here are between {self.low:,} and {self.high:,}."


class BonusOutOfRange(EconomyError):
    def __init__(self, percent: int, low: int = 0, high: int = 1000) -> None:
        self.percent, self.low, self.high = percent, low, high
        super().__init__()

    def __str__(self) -> str:
        return f"A bonus is between {self.low} and {self.high} percent (0 removes it)."


class InvalidOrder(EconomyError):
    """A leaderboard order that is not one of ``choices``."""

    def __init__(self, by: str, choices: tuple[str, ...]) -> None:
        self.by, self.choices = by, choices
        super().__init__()

    def __str__(self) -> str:
        return f"Rank by {', '.join(self.choices[:-1])} or {self.choices[-1]}."


# -- shop ------------------------------------------------------------------------------------------


class InvalidItem(EconomyError):
    """A shop item's definition is not acceptable; ``problem`` says which part."""

    def __init__(
        self,
        problem: Literal["name", "price", "stock", "limit", "role_consumable"],
        *,
        max_price: int | None = None,
    ) -> None:
        self.problem, self.max_price = problem, max_price
        super().__init__()

    def __str__(self) -> str:
        return {
            "name": "An item name needs 1 to 50 characters.",
            "price": f"The price must be between 0 and {self.max_price or 0:,}.",
            "stock": f"Stock is between 0 and {COUNT_MAX:,}; leave it out for unlimited.",
            "limit": f"The per-member limit is between 1 and {COUNT_MAX:,}; leave it out for no limit.",
            "role_consumable": "A role item cannot be consumable: the role is granted when it is bought.",
        }[self.problem]


class DuplicateItem(EconomyError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__()

    def __str__(self) -> str:
        return f"There is already an item called {self.name}. Remove it first or pick another name."


class ItemNotFound(EconomyError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__()

    def __str__(self) -> str:
        return f"There is no item called {self.name} in the shop."


class ItemNotSold(EconomyError):
    """The item was removed from the shop between finding and buying it."""

    def __init__(self, item: str) -> None:
        self.item = item
        super().__init__()

    def __str__(self) -> str:
        return f"{self.item} is no longer sold."


class OutOfStock(EconomyError):
    """Fewer than wanted left: ``left`` (0 when sold out)."""

    def __init__(self, item: str, left: int) -> None:
        self.item, self.left = item, left
        super().__init__()

    def __str__(self) -> str:
        return f"{self.item} is sold out." if self.left == 0 else f"Only {self.left} {self.item} left in stock."


class LimitReached(EconomyError):
    """The per-member limit of an item: ``limit`` in total, ``bought`` so far."""

    def __init__(self, item: str, limit: int, bought: int) -> None:
        self.item, self.limit, self.bought = item, limit, bought
        super().__init__()

    def __str__(self) -> str:
        return f"Each member may buy at most {self.limit} {self.item}; you have bought {self.bought}."


class InvalidQuantity(EconomyError):
    def __init__(self, quantity: int, low: int, high: int) -> None:
        self.quantity, self.low, self.high = quantity, low, high
        super().__init__()

    def __str__(self) -> str:
        return f"You can buy between {self.low:,} and {self.high:,} at a time."


class RoleItemQuantity(EconomyError):
    def __init__(self, item: str) -> None:
        self.item = item
        super().__init__()

    def __str__(self) -> str:
        return "A role item can only be bought once at a time."


class CostOverMaximum(EconomyError):
    def __init__(self, cost: int, limit: int) -> None:
        self.cost, self.limit = cost, limit
        super().__init__()

    def __str__(self) -> str:
        return "That costs more than anyone can hold."


class NotUsable(EconomyError):
    def __init__(self, item: str) -> None:
        self.item = item
        super().__init__()

    def __str__(self) -> str:
        return f"{self.item} is not something you can use."


class NoneOwned(EconomyError):
    def __init__(self, item: str) -> None:
        self.item = item
        super().__init__()

    def __str__(self) -> str:
        return f"You have no {self.item}."


# -- role items (Discord) --------------------------------------------------------------------------


class AlreadyHasRole(EconomyError):
    def __init__(self, item: str, role_id: int) -> None:
        self.item, self.role_id = item, role_id
        super().__init__()

    def __str__(self) -> str:
        return f"You already have the role of {self.item}."


class RoleNotGrantable(EconomyError):
    """The bot must not give the item's role now (core/roles.py says why), so it is not sold:
    checked before paying."""

    def __init__(self, item: str, role_id: int, reason: str) -> None:
        self.item, self.role_id, self.reason = item, role_id, reason
        super().__init__()

    def __str__(self) -> str:
        return f"{self.item} cannot be bought right now: {self.reason}"


class RoleRefused(EconomyError):
    """The role could not be granted after the purchase (``reason``); the purchase was refunded."""

    def __init__(self, item: str, role_id: int, reason: str | None = None) -> None:
        self.item, self.role_id, self.reason = item, role_id, reason
        super().__init__()

    def __str__(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f"Discord refused to give you the role of {self.item}{why}; your money was refunded."
