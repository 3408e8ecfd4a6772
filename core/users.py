"""The core user registry: display names, first/last seen, timezone and locale."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from functools import lru_cache

from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.caching import TTLMap
from guildkit.core.config import BotConfig
from guildkit.core.errors import UserError
from guildkit.core.models import UserProfile
from guildkit.core.notify import Change, announce
from guildkit.core.upsert import upsert

#: last_seen is written at most this often per user, so busy members do not cost a write per event.
SEEN_WRITE_INTERVAL = timedelta(minutes=5)


@lru_cache(maxsize=1)
def all_timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def search_timezones(text: str, limit: int = 25) -> list[str]:
    """Timezones whose name contains every word of ``text`` (case-insensitive), best first."""
    words = text.lower().replace("/", " ").replace("_", " ").split()
    matches = [tz for tz in all_timezones() if all(word in tz.lower().replace("_", " ") for word in words)]
    matches.sort(key=lambda tz: (not tz.lower().startswith(text.lower()), len(tz)))
    return matches[:limit]


class UserRegistry:
    def __init__(self, config: BotConfig) -> None:
        # Checked on every command: a lean TTL map, not cachetools (see core/caching.py).
        self._recently_written: TTLMap[int, bool] = TTLMap(
            maxsize=config.cache.max_entries, ttl=SEEN_WRITE_INTERVAL.total_seconds()
        )
        self._timezones: TTLMap[int, str] = TTLMap(maxsize=config.cache.max_entries, ttl=config.cache.ttl_seconds)

    def recently_seen(self, user_id: int) -> bool:
        return user_id in self._recently_written

    async def seen(self, user_id: int, display_name: str, locale: str | None = None) -> None:
        """Record that a user interacted: display name, last seen and their Discord locale."""
        if user_id in self._recently_written:
            return
        now = clock.now()
        changes: dict[str, object] = {"last_seen": now, "display_name": display_name[:100]}
        if locale:
            changes["locale"] = locale[:16]
        await upsert(
            UserProfile, conflict=("id",), values={"id": user_id, "first_seen": now, **changes}, update=list(changes)
        )
        self._recently_written[user_id] = True

    def forget(self, user_id: int) -> None:
        """After the user's data was deleted: drop cached state, and don't re-register them from
        the very interaction that asked for the deletion (its completion is recorded after it)."""
        self._recently_written[user_id] = True
        self._timezones.pop(user_id, None)

    async def get(self, user_id: int) -> UserProfile | None:
        return await UserProfile.get_or_none(id=user_id)

    async def timezone(self, user_id: int) -> zoneinfo.ZoneInfo:
        name = self._timezones.get(user_id)
        if name is None:
            profile = await UserProfile.get_or_none(id=user_id)
            name = profile.timezone if profile else "UTC"
            self._timezones[user_id] = name
        return zoneinfo.ZoneInfo(name)

    async def set_timezone(self, user_id: int, display_name: str, name: str) -> str:
        canonical = {tz.lower(): tz for tz in all_timezones()}.get(name.strip().lower())
        if canonical is None:
            suggestions = ", ".join(f"`{tz}`" for tz in search_timezones(name, 3))
            hint = f" Did you mean {suggestions}?" if suggestions else " Use a name like `Europe/Berlin`."
            raise UserError(f"`{name}` is not a timezone I know.{hint}")
        await self.seen(user_id, display_name)
        now = clock.now()
        async with in_transaction() as conn:
            await upsert(
                UserProfile,
                conflict=("id",),
                values={
                    "id": user_id,
                    "display_name": display_name[:100],
                    "first_seen": now,
                    "last_seen": now,
                    "timezone": canonical,
                },
                update=["timezone"],
                connection=conn,
            )
            await announce(conn, Change("user", user_id=user_id))
        self._timezones.pop(user_id, None)
        return canonical

    def invalidate(self, user_id: int | None = None) -> None:
        """Drop the cached profile values of one user (another process changed them), or all."""
        if user_id is None:
            self._timezones.clear()
        else:
            self._timezones.pop(user_id, None)
