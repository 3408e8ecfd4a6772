"""Read-through TTL caches that never keep a value read before a write they did not see.

A plain "read, then store" races with writes: a load that queried before another task's write
committed can finish after that write invalidated the cache, and would then store the old value
for the whole TTL (seen as a plugin enabled in the database but not in its guild's commands).
Every invalidation bumps a generation; a load stores its result only if no invalidation happened
while it ran. Invalidations are rare (admins changing things), so the dropped fills cost nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterator
from typing import Generic, TypeVar

from cachetools import TTLCache

from guildkit.core import clock

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ReadThroughCache(Generic[K, V]):
    def __init__(self, *, maxsize: int, ttl: float) -> None:
        self._entries: TTLCache[K, V] = TTLCache(maxsize=maxsize, ttl=ttl, timer=clock.monotonic)
        self._generation = 0

    def get(self, key: K) -> V | None:
        return self._entries.get(key)

    @property
    def generation(self) -> int:
        """Take before loading; pass to :meth:`put`."""
        return self._generation

    def put(self, key: K, value: V, generation: int) -> None:
        """Store ``value`` unless something was invalidated since ``generation`` was taken."""
        if generation == self._generation:
            self._entries[key] = value

    async def get_or_load(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        found = self._entries.get(key)
        if found is not None:
            return found
        generation = self._generation
        value = await load()
        self.put(key, value, generation)
        return value

    def invalidate(self, key: K) -> None:
        self._generation += 1
        self._entries.pop(key, None)

    def invalidate_where(self, matches: Callable[[K], bool]) -> None:
        self._generation += 1
        for key in [k for k in self._entries if matches(k)]:
            self._entries.pop(key, None)

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)
