"""10,000 mixed operations from 100 members, 50 in flight, on SQLite and PostgreSQL: no money is
created or lost, no balance goes negative, no stock is oversold. (Speed: bench/economy_concurrency.py.)"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

from economy_workload import STOCK, check, open_runtime, prepare, run


async def test_ten_thousand_mixed_operations_conserve_money(gk_database_url, gk_clock) -> None:
    runtime = await open_runtime(gk_database_url)
    try:
        users = await prepare(runtime)
        outcome = await run(runtime, users, n=10_000, in_flight=50)
        assert sum(outcome.done.values()) + sum(outcome.refused.values()) == 10_000
        assert outcome.done["pay"] > 1000 and outcome.done["buy"] > 100 and outcome.refused["buy"] > 0
        figures = await check(runtime)
        assert figures["money"] == figures["ledger"]
        assert figures["mismatched"] == 0 and figures["negative"] == 0
        assert figures["gem_stock"] >= 0 and figures["gem_sold"] + figures["gem_stock"] == STOCK
        assert figures["gem_held"] == figures["gem_sold"] and figures["pie_held"] == figures["pie_sold"]
        assert figures["pie_over_limit"] == 0
    finally:
        await runtime.close_database()
