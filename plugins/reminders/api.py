"""The typed API other plugins use: set a reminder for a member (e.g. an event plugin's RSVP)."""

from __future__ import annotations

from datetime import datetime

from guildkit.core.state import PluginAPI

from .service import personal


class RemindersAPI(PluginAPI):
    async def remind_at(
        self, guild_id: int, user_id: int, at: datetime, message: str, *, channel_id: int | None = None
    ) -> int:
        """Schedule a one-shot reminder for ``user_id`` (limits apply); returns its id."""
        settings = await personal.settings_for(self.runtime, guild_id)
        zone = await personal.zone_for(self.runtime, user_id, None)
        view = await personal.create_reminder(
            self.runtime,
            guild_id=guild_id,
            user_id=user_id,
            channel_id=channel_id,
            message=message,
            at=at,
            zone=zone,
            settings=settings,
        )
        return view.id

    async def active_count(self, guild_id: int, user_id: int) -> int:
        """How many live reminders the member has in the guild."""
        listing = await personal.list_reminders(guild_id, user_id, 1)
        return listing.total
