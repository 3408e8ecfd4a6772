"""The mixed economy workload shared by the concurrency test and ``economy_concurrency.py``.

100 members of one guild run ``n`` operations (pay, buy, daily, admin add, deposit, withdraw) at
the service level, at most ``in_flight`` at a time, against a real database. Refusals (not enough
money, sold out, daily already claimed) are normal outcomes; anything else is an error.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from guildkit.core.config import parse_config
from guildkit.core.errors import UserError
from guildkit.core.runtime import Runtime
from guildkit.plugins.economy import service
from guildkit.plugins.economy.models import Account, InventoryItem, LedgerDaily, LedgerEntry, ShopItem

GUILD = 1_000_000_000_000_001
ADMIN = 2_000_000_000_000_000
STOCK = 400
MIX = (("pay", 45), ("buy", 20), ("daily", 10), ("admin_add", 10), ("deposit", 8), ("withdraw", 7))


@dataclass
class Outcome:
    ops: int = 0
    seconds: float = 0.0
    #: CPU time of this process during the run (the bot's share; PostgreSQL's server is not in it).
    cpu_seconds: float = 0.0
    done: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)

    @property
    def per_second(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_op(self) -> float:
        return self.cpu_seconds * 1000 / self.ops if self.ops else 0.0


async def open_runtime(database_url: str) -> Runtime:
    config = parse_config({"database": {"url": database_url}})
    runtime = Runtime(config)
    await runtime.open_database()
    await runtime.set_plugin_enabled(GUILD, "economy", True, actor_id=None)
    for key, value in {"starting_balance": "1000", "max_balance": "1000000000"}.items():
        await runtime.settings.set(GUILD, "economy", key, value, channel_id=None, actor_id=None)
    return runtime


async def prepare(runtime: Runtime, members: int = 100) -> list[int]:
    settings = await service.settings_for(runtime, GUILD)
    await service.add_item(GUILD, "Gem", 30, stock=STOCK, settings=settings)
    await service.add_item(GUILD, "Pie", 5, per_member_limit=3, settings=settings)
    users = [3_000_000_000_000_000 + i for i in range(members)]
    for user_id in users:
        await service.account(runtime, GUILD, user_id, settings)
    return users


async def run(runtime: Runtime, users: list[int], n: int = 10_000, in_flight: int = 50, seed: int = 7) -> Outcome:
    rng = random.Random(seed)
    kinds = [k for k, weight in MIX for _ in range(weight)]
    plan = [(rng.choice(kinds), rng.choice(users), rng.choice(users), rng.randint(1, 60)) for _ in range(n)]
    outcome = Outcome(ops=n)
    gate = asyncio.Semaphore(in_flight)

    async def one(index: int, kind: str, user: int, other: int, amount: int) -> None:
        async with gate:
            try:
                if kind == "pay":
                    if other == user:
                        other = users[(users.index(user) + 1) % len(users)]
                    await service.transfer(runtime, GUILD, user, other, amount, key=f"bench:{index}")
                elif kind == "buy":
                    await service.buy(runtime, GUILD, user, "Gem" if amount % 2 else "Pie", 1 + amount % 2)
                elif kind == "daily":
                    await service.claim_daily(runtime, GUILD, user)
                elif kind == "admin_add":
                    await service.credit(runtime, GUILD, user, amount, kind="admin", reason="bench", actor_id=ADMIN)
                elif kind == "deposit":
                    await service.bank_move(runtime, GUILD, user, amount, deposit=True)
                else:
                    await service.bank_move(runtime, GUILD, user, amount, deposit=False)
                outcome.done[kind] += 1
            except UserError:
                outcome.refused[kind] += 1

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i, *step) for i, step in enumerate(plan)))
    outcome.seconds = time.perf_counter() - started
    outcome.cpu_seconds = time.process_time() - cpu
    return outcome


async def check(runtime: Runtime) -> dict[str, Any]:
    """Everything the workload must conserve; returns the figures (asserts nothing itself)."""
    accounts = await Account.filter(guild_id=GUILD).values("wallet", "bank")
    ledger_rows = await LedgerEntry.filter(guild_id=GUILD).values_list("wallet_delta", "bank_delta")
    archive_rows = await LedgerDaily.filter(guild_id=GUILD).values_list("wallet_delta", "bank_delta")
    gem = await ShopItem.get(guild_id=GUILD, key="gem")
    pie = await ShopItem.get(guild_id=GUILD, key="pie")
    held = {
        item.id: sum(await InventoryItem.filter(item_id=item.id).values_list("bought", flat=True))
        for item in (gem, pie)
    }
    over_limit = await InventoryItem.filter(item_id=pie.id, bought__gt=3).count()
    return {
        "money": sum(a["wallet"] + a["bank"] for a in accounts),
        "ledger": sum(w + b for w, b in ledger_rows) + sum(w + b for w, b in archive_rows),
        "negative": sum(1 for a in accounts if a["wallet"] < 0 or a["bank"] < 0),
        "mismatched": len(await service.audit(GUILD)),
        "gem_stock": gem.stock,
        "gem_sold": gem.sold,
        "gem_held": held[gem.id],
        "pie_sold": pie.sold,
        "pie_held": held[pie.id],
        "pie_over_limit": over_limit,
    }
