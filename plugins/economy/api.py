"""The economy's service for other plugins: ``runtime.api("economy")``.

    economy = runtime.api("economy")
    if economy is not None:
        await economy.pay(runtime, guild_id, user_id, 50, reason="song request", key=f"song:{request_id}")

Amounts go to and from the wallet. ``key`` makes a retried call a no-op that returns the first
receipt (``receipt.duplicate`` is then True). Refusals (not enough money, over the maximum, a zero
or negative amount) raise :class:`guildkit.core.errors.UserError` subclasses with a message fit
for the member, and write nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import service
from .service import InsufficientFunds, Receipt

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

__all__ = ["EconomyAPI", "InsufficientFunds", "Receipt"]


class EconomyAPI:
    InsufficientFunds = InsufficientFunds

    async def balance(self, runtime: Runtime, guild_id: int, user_id: int) -> tuple[int, int]:
        """``(wallet, bank)``; opens the account with the starting balance if needed."""
        acct = await service.account(runtime, guild_id, user_id)
        return acct.wallet, acct.bank

    async def pay(
        self,
        runtime: Runtime,
        guild_id: int,
        user_id: int,
        amount: int,
        *,
        reason: str,
        key: str | None = None,
        kind: str = "reward",
    ) -> Receipt:
        """Give ``amount`` to the member's wallet."""
        return await service.credit(runtime, guild_id, user_id, amount, kind=kind[:20], reason=reason, key=key)

    async def charge(
        self,
        runtime: Runtime,
        guild_id: int,
        user_id: int,
        amount: int,
        *,
        reason: str,
        key: str | None = None,
        kind: str = "charge",
    ) -> Receipt:
        """Take ``amount`` from the member's wallet; raises InsufficientFunds if it holds less."""
        return await service.debit(runtime, guild_id, user_id, amount, kind=kind[:20], reason=reason, key=key)

    async def transfer(
        self,
        runtime: Runtime,
        guild_id: int,
        from_user: int,
        to_user: int,
        amount: int,
        *,
        note: str | None = None,
        key: str | None = None,
    ) -> tuple[Receipt, Receipt]:
        """Move ``amount`` between two members' wallets, both sides or neither."""
        return await service.transfer(runtime, guild_id, from_user, to_user, amount, note=note, key=key)
