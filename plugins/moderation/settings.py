"""Per-server moderation settings (``/config set moderation KEY VALUE``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .service.escalation import parse_rules


class ModerationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    modlog_channel_id: int | None = Field(None, description="Channel where every case is posted (its id)")
    dm_members: Literal["all", "removals", "off"] = Field(
        "all",
        description="DM the member about a case: every action but notes, only kicks and bans, or never",
    )
    warning_expiry_days: int = Field(90, ge=1, le=3650, description="Days a warning's points count")
    warning_delete_days: int = Field(
        365, ge=1, le=3650, description="Days after which a warning is deleted (its case stays)"
    )
    escalation: str | None = Field(
        "3=timeout:1h, 5=kick, 8=ban:7d",
        max_length=300,
        description=(
            "Actions when a warning reaches a threshold: POINTS=ACTION[:DURATION] or "
            "WARNINGS/WINDOW=ACTION[:DURATION], comma-separated; actions timeout, kick, ban (none: off). "
            "Example: 3=timeout:1h, 4/7d=kick"
        ),
    )
    ban_delete_message_hours: int = Field(
        0, ge=0, le=168, description="Hours of the member's messages a ban deletes when /ban does not say"
    )

    @field_validator("escalation")
    @classmethod
    def _valid_escalation(cls, value: str | None) -> str | None:
        parse_rules(value or "")  # raises ValueError naming the bad part
        return value
