"""Per-server reminder settings (``/config set reminders KEY VALUE``)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class RemindersSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_per_member: int = Field(25, ge=1, le=1000, description="Active reminders one member may have here")
    max_per_guild: int = Field(1000, ge=1, le=100_000, description="Active reminders in this server, all members")
    max_watches: int = Field(50, ge=1, le=1000, description="Reaction watches running in this server")
    max_lateness_minutes: int = Field(
        1440,
        ge=0,
        le=525_600,
        description="A missed occurrence later than this (the bot was down) is skipped, not delivered",
    )
    delivery: Literal["channel", "dm"] = Field(
        "channel", description="Where /remind delivers when no channel is named: the channel it was set in, or DM"
    )
    min_interval_minutes: int = Field(
        5, ge=1, le=10080, description="Shortest recurrence of a reminder or a reaction watch"
    )
