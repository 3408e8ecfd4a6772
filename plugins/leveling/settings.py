"""Per-server leveling settings. Channel overrides (``/config set ... channel:#x``) apply to the
channel-level keys: ``xp_enabled`` (a no-XP channel) and ``channel_multiplier``."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LevelingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    xp_enabled: bool = Field(True, description="Messages here earn XP (set false on a channel for a no-XP channel)")
    xp_min: int = Field(15, ge=0, le=10_000, description="Smallest XP for one message")
    xp_max: int = Field(25, ge=0, le=10_000, description="Largest XP for one message")
    cooldown_seconds: int = Field(
        60, ge=0, le=86_400, description="Seconds between two XP-earning messages of a member"
    )
    channel_multiplier: float = Field(
        1.0, ge=0, le=100, description="XP multiplier (set on a channel for that channel)"
    )
    server_multiplier: float = Field(1.0, ge=0, le=100, description="XP multiplier for the whole server")
    curve: Literal["mee6", "linear", "flat"] = Field(
        "mee6", description="XP per level: mee6 = 5l²+50l+100, linear = curve_base*(l+1), flat = curve_base"
    )
    curve_base: int = Field(100, ge=1, le=1_000_000, description="Base XP per level of the linear and flat curves")
    curve_multiplier: float = Field(1.0, ge=0.01, le=100, description="Every level needs this many times the XP")
    max_level: int = Field(500, ge=1, le=10_000, description="Highest level")
    voice_xp_per_minute: int = Field(
        5, ge=0, le=10_000, description="XP per minute in voice (not muted, deafened or alone)"
    )
    announce: Literal["channel", "current", "dm", "off"] = Field(
        "current", description="Where level-ups are announced: a set channel, where it happened, by DM, or not at all"
    )
    announce_channel_id: int | None = Field(None, description="Channel for announce = channel (its id)")
    announce_every: int = Field(1, ge=1, le=1000, description="Announce only levels divisible by this (milestones)")
    level_up_message: str = Field(
        "🎉 {mention} reached level **{level}**!",
        max_length=500,
        description="Level-up text; placeholders {mention} {user} {level} {old_level} {xp} {server}",
    )
    rank_card: Literal["image", "text"] = Field("image", description="/rank as an image card or as text")
    quest_reset_hour: int = Field(0, ge=0, le=23, description="Hour (UTC) daily, weekly and monthly quests reset")
    quest_reset_weekday: int = Field(0, ge=0, le=6, description="Day weekly quests reset (0 = Monday)")
