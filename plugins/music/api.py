"""The typed API other plugins use: what is playing, and a member's listening stats."""

from __future__ import annotations

from guildkit.core.state import PluginAPI

from .service import history
from .service.history import UserStats
from .state import MusicState


class MusicAPI(PluginAPI):
    async def now_playing(self, guild_id: int) -> tuple[str, str] | None:
        """(title, artist) of the track playing in the guild, or None."""
        player = self.runtime.state(MusicState).player(guild_id)
        if player is None or player.current is None:
            return None
        return player.current.title, player.current.author

    async def user_stats(self, guild_id: int, user_id: int) -> UserStats:
        await self.runtime.state(MusicState).flush_history()
        return await history.user_stats(guild_id, user_id)
