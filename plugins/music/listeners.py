"""Gateway glue for lavalink.py: the bot's voice state and voice server, forwarded as they come."""

from __future__ import annotations

import interactions
from interactions.api.events import RawGatewayEvent, Startup, VoiceStateUpdate

from .state import MusicState


class MusicListeners(interactions.Extension):
    @interactions.listen(Startup)
    async def on_startup(self, event: Startup) -> None:
        await self.bot.runtime.state(MusicState).connect(int(self.bot.user.id))

    @interactions.listen("raw_voice_state_update")
    async def on_voice_state(self, event: RawGatewayEvent) -> None:
        # Only the bot's own voice state matters to Lavalink; lavalink.py checks the user id.
        await self.bot.runtime.state(MusicState).voice_update("VOICE_STATE_UPDATE", event.data)

    @interactions.listen("raw_voice_server_update")
    async def on_voice_server(self, event: RawGatewayEvent) -> None:
        await self.bot.runtime.state(MusicState).voice_update("VOICE_SERVER_UPDATE", event.data)

    @interactions.listen(VoiceStateUpdate)
    async def on_member_voice(self, event: VoiceStateUpdate) -> None:
        # Someone joined, left, moved or (un)deafened: the bot may now be alone, or heard again.
        state = event.after or event.before
        if state is not None and state.guild is not None:
            await self.bot.runtime.state(MusicState).check_idle(int(state.guild.id))
