"""Economy under concurrency: mixed operations from 100 members, N in flight, at the service level.

    /work/venv/bin/python bench/economy_concurrency.py [--n 10000] [--in-flight 50] [--postgres URL]

Runs the workload of ``economy_workload.py`` (pay 45%, buy 20%, daily 10%, admin add 10%, deposit
8%, withdraw 7%) on a fresh SQLite file, and on a fresh PostgreSQL database when ``--postgres`` (or
GUILDKIT_TEST_POSTGRES_URL) is given. Prints operations per second and this process's CPU time
per operation (the steadier figure on a shared machine; PostgreSQL's own CPU is not in it) with
the load average, what was done and refused, and checks that money equals the ledger, no balance
is negative and no stock oversold.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

from economy_workload import STOCK, check, open_runtime, prepare, run

from guildkit.core import clock
from guildkit.core.testing.databases import fresh_postgres


async def one_database(label: str, url: str, n: int, in_flight: int) -> bool:
    runtime = await open_runtime(url)
    try:
        users = await prepare(runtime)
        outcome = await run(runtime, users, n=n, in_flight=in_flight)
        figures = await check(runtime)
    finally:
        await runtime.close_database()
    ok = (
        figures["money"] == figures["ledger"]
        and figures["mismatched"] == 0
        and figures["negative"] == 0
        and figures["gem_sold"] + figures["gem_stock"] == STOCK
        and figures["gem_held"] == figures["gem_sold"]
        and figures["pie_over_limit"] == 0
    )
    load = f"{os.getloadavg()[0]:.2f}"
    print(
        f"{label}: {n} operations, {in_flight} in flight: {outcome.seconds:.2f} s, {outcome.per_second:,.0f} ops/s, "
        f"{outcome.cpu_ms_per_op:.2f} ms CPU per op (this process), load average {load}"
    )
    print(f"  done    {dict(sorted(outcome.done.items()))}")
    print(f"  refused {dict(sorted(outcome.refused.items()))}")
    print(
        f"  money {figures['money']:,} = ledger {figures['ledger']:,}; negative balances {figures['negative']}; "
        f"gems sold {figures['gem_sold']} of {STOCK}; {'OK' if ok else 'NOT CONSERVED'}"
    )
    return ok


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("GUILDKIT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    clock.use(clock.ManualClock())  # daily claims: one calendar day for the whole run
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        ok &= await one_database("SQLite", f"sqlite://{Path(tmp) / 'economy.db'}", args.n, args.in_flight)
    if args.postgres:
        async with fresh_postgres(args.postgres) as url:
            ok &= await one_database("PostgreSQL", url, args.n, args.in_flight)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(asyncio.run(main()))
