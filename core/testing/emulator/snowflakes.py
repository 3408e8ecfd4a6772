"""Snowflake ids with real timestamps taken from the guildkit clock."""

from __future__ import annotations

from datetime import UTC, datetime

from guildkit.core import clock

DISCORD_EPOCH_MS = 1_420_070_400_000


def snowflake_time(snowflake: int) -> datetime:
    """When a snowflake was made."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


class SnowflakeGenerator:
    """Makes unique, increasing snowflakes whose timestamp is ``clock.now()``.

    A ManualClock may stand still for thousands of ids, so the increment bits overflow into the
    next millisecond rather than repeating; ids stay strictly increasing like Discord's.
    """

    def __init__(self, worker: int = 1, process: int = 0) -> None:
        self._prefix = ((worker & 0x1F) << 17) | ((process & 0x1F) << 12)
        self._last = 0

    def next(self) -> int:
        ms = int(clock.now().timestamp() * 1000) - DISCORD_EPOCH_MS
        candidate = (ms << 22) | self._prefix
        if candidate <= self._last:
            candidate = self._last + 1
        self._last = candidate
        return candidate
