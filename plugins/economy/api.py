"""The economy's API for other plugins, bound to one running bot.

A plugin that names economy in ``requires`` (or ``uses``) gets it from its state::

    economy = self.api(EconomyAPI)
    await economy.pay(guild_id, user_id, 50, reason="song request", key=f"song:{request_id}")

Every method raises :class:`guildkit.core.state.PluginUnavailable` where economy is off.

Amounts go to and from the wallet. ``key`` makes a retried call a no-op that returns the first
receipt (``receipt.duplicate`` is then True). Refusals (not enough money, over the maximum, a zero
or negative amount) raise the typed errors of ``economy/errors.py`` (DomainErrors carrying the
amounts) and write nothing; raised out of a command, economy words them for the member.
"""

from __future__ import annotations

from guildkit.core.state import PluginAPI

from . import service
from .errors import InsufficientFunds
from .service import Receipt

__all__ = ["EconomyAPI", "InsufficientFunds", "Receipt"]


class EconomyAPI(PluginAPI):
    InsufficientFunds = InsufficientFunds

    async def balance(self, guild_id: int, user_id: int) -> tuple[int, int]:
        """``(wallet, bank)``; opens the account with the starting balance if needed."""
        acct = await service.account(self.runtime, guild_id, user_id)
        return acct.wallet, acct.bank

    async def reward_level_up(self, guild_id: int, user_id: int, old_level: int, new_level: int) -> int:
        """Pay the server's ``coins_per_level_up`` for each level from ``old_level + 1`` to
        ``new_level``; returns the coins this call paid. One ledger entry per level, keyed
        ``levelup:GUILD:USER:LEVEL``, so a repeated or overlapping call never pays a level twice;
        a level that would go over the maximum balance pays nothing."""
        return await service.reward_level_up(self.runtime, guild_id, user_id, old_level, new_level)

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
