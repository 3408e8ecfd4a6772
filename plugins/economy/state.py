"""The economy's per-bot state: caches and the randomness of /work and /coinflip."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from cachetools import LRUCache

from guildkit.core.state import PluginState

if TYPE_CHECKING:
    from guildkit.core.plugin import Plugin
    from guildkit.core.runtime import Runtime

#: Account ids remembered per bot; one entry is a few dozen bytes.
ACCOUNT_ID_CACHE_SIZE = 50_000


class EconomyState(PluginState):
    """``account_ids``: (guild_id, user_id) -> account id. Ids never change; an account only
    disappears with a guild purge (a failed update then clears the cache) or loses its user on
    /privacy delete (which clears it too).

    ``rng``: the source of /work pay and coin flips. Tests seed it
    (``runtime.state(EconomyState).rng.seed(7)``) to know the outcomes."""

    def __init__(self, runtime: Runtime, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        self.account_ids: LRUCache[tuple[int, int], int] = LRUCache(maxsize=ACCOUNT_ID_CACHE_SIZE)
        self.rng = random.Random()

    def forget_accounts(self) -> None:
        self.account_ids.clear()

    async def stop(self) -> None:
        self.account_ids.clear()
