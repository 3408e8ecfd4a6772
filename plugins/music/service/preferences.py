"""A member's music preferences per guild: volume and equalizer preset, applied when they start playback."""

from __future__ import annotations

from dataclasses import dataclass

from guildkit.core import clock
from guildkit.core.caching import ReadThroughCache
from guildkit.core.upsert import upsert

from ..errors import UnknownPreset
from ..models import MusicPreference
from .presets import PRESET_NAMES


@dataclass(frozen=True)
class Preferences:
    volume: int | None
    eq_preset: str | None


#: How long a member's preferences stay cached; writes through this process invalidate at once.
CACHE_SECONDS = 600.0


async def get(guild_id: int, user_id: int) -> Preferences:
    """From the database (plain SQL: Tortoise's query building was most of the time)."""
    conn = MusicPreference._meta.db
    mark = "$1 AND user_id = $2" if conn.capabilities.dialect == "postgres" else "? AND user_id = ?"
    _, rows = await conn.execute_query(
        f"SELECT volume, eq_preset FROM music_preference WHERE guild_id = {mark} LIMIT 1", [guild_id, user_id]
    )
    return Preferences(rows[0][0], rows[0][1]) if rows else Preferences(None, None)


async def set_preferences(guild_id: int, user_id: int, *, volume: int | None, eq_preset: str | None) -> Preferences:
    if eq_preset is not None and eq_preset not in PRESET_NAMES:
        raise UnknownPreset(eq_preset, PRESET_NAMES)
    current = await get(guild_id, user_id)
    wanted = Preferences(
        volume if volume is not None else current.volume, eq_preset if eq_preset is not None else current.eq_preset
    )
    await upsert(
        MusicPreference,
        conflict=("guild_id", "user_id"),
        values={
            "guild_id": guild_id,
            "user_id": user_id,
            "volume": wanted.volume,
            "eq_preset": wanted.eq_preset,
            "updated_at": clock.now(),
        },
    )
    return wanted


class PreferenceCache:
    """Per-bot cache of members' preferences (read each time a member starts playback), invalidated
    by every change made through it and by /privacy delete."""

    def __init__(self, *, maxsize: int = 50_000, ttl: float = CACHE_SECONDS) -> None:
        self._entries: ReadThroughCache[tuple[int, int], Preferences] = ReadThroughCache(maxsize=maxsize, ttl=ttl)

    async def get(self, guild_id: int, user_id: int) -> Preferences:
        return await self._entries.get_or_load((guild_id, user_id), lambda: get(guild_id, user_id))

    async def set(self, guild_id: int, user_id: int, *, volume: int | None, eq_preset: str | None) -> Preferences:
        self._entries.invalidate((guild_id, user_id))
        try:
            return await set_preferences(guild_id, user_id, volume=volume, eq_preset=eq_preset)
        finally:
            self._entries.invalidate((guild_id, user_id))

    def forget_user(self, user_id: int) -> None:
        self._entries.invalidate_where(lambda key: key[1] == user_id)
