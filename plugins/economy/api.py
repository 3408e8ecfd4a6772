"""The economy's API for other plugins, bound to one running bot.

A plugin that names economy in ``requires`` (or ``uses``) gets it from its state::

    economy = self.api(EconomyAPI)
    await economy.pay(guild_id, user_id, 50, reason="song request", key=f"song:{request_id}")

Every method raises :class:`guildkit.core.state.PluginUnavailable` where economy is off.

Amounts go to and from the wallet. ``key`` makes a retried call a no-op that returns the first
receipt (``receipt.duplicate`` is then True). Refusals (not enough money, over the maximum, a zero
or negative amount) raise :class:`guildkit.core.errors.UserError` subclasses with a message fit
for the member, and write nothing.
"""

from __future__ import annotations

import contextlib

from guildkit.core.state import PluginAPI

from . import service
from .service import InsufficientFunds, Receipt

__all__ = ["EconomyAPI", "InsufficientFunds", "Receipt"]


class EconomyAPI(PluginAPI):
    InsufficientFunds = InsufficientFunds

    async def balance(self, guild_id: int, user_id: int) -> tuple[int, int]:
        """``(wallet, bank)``; opens the account with the starting balance if needed."""
        acct = await service.account(self.runtime, guild_id, user_id)
        return acct.wallet, acct.bank

    async def pay(
        self,
        guild_id: int,
        user_id: int,
        amount: int,
        *,
        reason: str,
        key: str | None = None,
        kind: str = "reward",
    ) -> Receipt:
        """Give ``amount`` to the member's wallet."""
        return await service.credit(self.runtime, guild_id, user_id, amount, kind=kind[:20], reason=reason, key=key)

    async def charge(
        self,
        guild_id: int,
        user_id: int,
        amount: int,
        *,
        reason: str,
        key: str | None = None,
        kind: str = "charge",
    ) -> Receipt:
        """Take ``amount`` from the member's wallet; raises InsufficientFunds if it holds less."""
        return await service.debit(self.runtime, guild_id, user_id, amount, kind=kind[:20], reason=reason, key=key)

    async def transfer(
        self,
        guild_id: int,
        from_user: int,
        to_user: int,
        amount: int,
        *,
        note: str | None = None,
        key: str | None = None,
    ) -> tuple[Receipt, Receipt]:
        """Move ``amount`` between two members' wallets, both sides or neither."""
        return await service.transfer(self.runtime, guild_id, from_user, to_user, amount, note=note, key=key)

    async def reward_level_up(self, guild_id: int, user_id: int, old_level: int, new_level: int) -> int:
        """Pay ``coins_per_level_up`` per level gained (leveling calls it after a durable level
        change); returns the coins paid. Each level pays once, whatever calls repeat."""
        settings = await service.settings_for(self.runtime, guild_id)
        if settings.coins_per_level_up <= 0 or new_level <= old_level:
            return 0
        paid = 0
        # One entry per level, each with its own key: a repeated or overlapping call (1->3, then 2->3
        # after a demotion) never pays a level twice.
        for level in range(max(old_level, 0) + 1, new_level + 1):
            with contextlib.suppress(service.UserError):  # at the maximum balance: no reward, nothing written
                receipt = await service.credit(
                    self.runtime,
                    guild_id,
                    user_id,
                    settings.coins_per_level_up,
                    kind="levelup",
                    reason=f"reached level {level}",
                    key=f"levelup:{guild_id}:{user_id}:{level}",
                    settings=settings,
                )
                if not receipt.duplicate:
                    paid += settings.coins_per_level_up
        return paid
