"""The read-through caches of flags, settings and permission roles never keep a value that was
read before a write they did not see (the race that left a plugin on but without its commands)."""

from __future__ import annotations

import asyncio

from guildkit.core.caching import ReadThroughCache


async def test_a_load_that_overlaps_an_invalidation_is_not_kept() -> None:
    cache: ReadThroughCache[int, str] = ReadThroughCache(maxsize=10, ttl=60)
    database = {1: "off"}
    query_sent = asyncio.Event()
    commit_done = asyncio.Event()

    async def slow_read() -> str:
        value = database[1]  # the query sees the row before the write commits
        query_sent.set()
        await commit_done.wait()
        return value

    reader = asyncio.create_task(cache.get_or_load(1, slow_read))
    await query_sent.wait()
    database[1] = "on"  # another task writes and invalidates while the read is in flight
    cache.invalidate(1)
    commit_done.set()
    assert await reader == "off"  # that caller got what it read...
    assert cache.get(1) is None  # ...but the cache did not keep it

    async def read() -> str:
        return database[1]

    assert await cache.get_or_load(1, read) == "on"
    assert cache.get(1) == "on"


async def test_loads_without_writes_are_cached_and_invalidation_drops_them() -> None:
    cache: ReadThroughCache[tuple[int, str], int] = ReadThroughCache(maxsize=10, ttl=60)
    loads = 0

    async def load() -> int:
        nonlocal loads
        loads += 1
        return loads

    assert await cache.get_or_load((1, "a"), load) == 1
    assert await cache.get_or_load((1, "a"), load) == 1
    await cache.get_or_load((2, "a"), load)
    cache.invalidate_where(lambda key: key[0] == 1)
    assert cache.get((1, "a")) is None and cache.get((2, "a")) == 2
    cache.clear()
    assert len(cache) == 0


def test_ttl_map_forgets_entries_after_their_ttl_and_the_oldest_when_full() -> None:
    from guildkit.core.caching import TTLMap
    from guildkit.core.clock import ManualClock

    time = ManualClock()
    entries: TTLMap[str, int] = TTLMap(maxsize=3, ttl=10, timer=time.monotonic)
    entries["a"] = 1
    time.advance(seconds=5)
    entries["b"] = 2
    assert entries.get("a") == 1 and "b" in entries
    time.advance(seconds=5)  # "a" is 10 s old: gone; "b" has 5 s left
    assert entries.get("a") is None and "a" not in entries
    assert entries.get("b") == 2 and len(entries) == 1
    entries["c"], entries["d"] = 3, 4
    entries["b"] = 20  # stored again: it is now the newest
    entries["e"] = 5  # full: the oldest ("c") leaves
    assert sorted(entries) == ["b", "d", "e"]
    assert entries.pop("d") == 4 and entries.pop("d", None) is None
    time.advance(seconds=10)
    assert len(entries) == 0 and entries.get("b") is None
