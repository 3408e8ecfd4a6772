"""A member's music preferences per guild: volume and equalizer preset, applied when they start playback."""

from __future__ import annotations

from dataclasses import dataclass

from guildkit.core import clock
from guildkit.core.upsert import upsert

from ..errors import UnknownPreset
from ..models import MusicPreference
from .presets import PRESET_NAMES


@dataclass(frozen=True)
class Preferences:
    volume: int | None
    eq_preset: str | None


async def get(guild_id: int, user_id: int) -> Preferences:
    row = await MusicPreference.filter(guild_id=guild_id, user_id=user_id).first().values_list("volume", "eq_preset")
    return Preferences(*row) if row else Preferences(None, None)


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
