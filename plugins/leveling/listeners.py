"""Gateway listeners: messages (the hot path), reactions, members joining and leaving. Commands are
counted through the core's usage records (``LevelingState.command_succeeded``): successful ones only."""

from __future__ import annotations

import interactions
from interactions.api.events import MemberAdd, MemberRemove, MessageCreate, MessageReactionAdd

from guildkit.core import ipy
from guildkit.core.gate import handled_inline

from . import effects, service
from .service.engine import multiplier_of
from .state import LevelingState


class LevelingListeners(interactions.Extension):
    #: This bot's leveling state, looked up once (the extension belongs to one bot).
    _state: LevelingState | None = None

    def count_message_now(self, event: MessageCreate) -> bool:
        """The hot path without a task: when the guild's settings and role multipliers are cached
        (nearly always), count the message here; else :meth:`on_message` runs and loads them.

        It runs for every message of every guild where leveling is on, so it reads the author's
        user (for ``bot``) straight from the cache, and the member only when the guild has role
        multipliers: ``Member.bot`` goes through ``Member.__getattr__`` (a raised AttributeError
        and a second cache lookup) on every read."""
        message = event.message
        user = ipy.message_user(message)
        if user is None:
            return False  # not cached: on_message looks it up the library's way
        guild_id = ipy.guild_id_of(message)
        if guild_id is None or user.bot:
            return True
        state = self._state
        if state is None:
            state = self._state = self.bot.runtime.state(LevelingState)
        channel_id = ipy.channel_id_of(message)
        settings = state.cached_settings(guild_id, channel_id)
        if settings is None:
            return False
        role_mult = 1.0
        if settings.xp_enabled:
            mults = state.engine.cached_role_multipliers(guild_id)
            if mults is None or mults:  # not cached yet, or the guild has some: the member's roles decide
                member = ipy.message_author(message)
                role_ids = ipy.role_ids_of(member) if member is not None else []
                if mults:
                    role_mult = multiplier_of(mults, role_ids)
                elif role_ids:
                    return False  # not cached yet: on_message reads them
        state.engine.message(guild_id, int(user.id), channel_id, role_mult, settings)
        return True

    @interactions.listen(MessageCreate)
    @handled_inline("count_message_now")
    async def on_message(self, event: MessageCreate) -> None:
        message = event.message
        author = message.author
        guild_id = ipy.guild_id_of(message)
        if guild_id is None or author.bot:
            return
        state = self.bot.runtime.state(LevelingState)
        engine = state.engine
        channel_id = ipy.channel_id_of(message)
        settings = await state.settings(guild_id, channel_id)
        role_mult = 1.0
        if settings.xp_enabled:  # a no-XP channel only counts the message: no multiplier lookup
            role_ids = ipy.role_ids_of(author)
            if role_ids:
                role_mult = await engine.role_multiplier(guild_id, role_ids)
        engine.message(guild_id, int(author.id), channel_id, role_mult, settings)

    @interactions.listen(MessageReactionAdd)
    async def on_reaction(self, event: MessageReactionAdd) -> None:
        guild_id = ipy.guild_id_of(event.message)
        if guild_id is None or event.author.bot:
            return
        self.bot.runtime.state(LevelingState).engine.count(guild_id, int(event.author.id), "reactions")

    @interactions.listen(MemberAdd)
    async def on_join(self, event: MemberAdd) -> None:
        if event.member.bot:
            return
        guild_id, user_id = int(event.guild_id), int(event.member.id)
        row = await service.member_back(guild_id, user_id)
        if row is not None and row.level > 0:
            await effects.sync_roles(self.bot.runtime.state(LevelingState), guild_id, user_id)

    @interactions.listen(MemberRemove)
    async def on_leave(self, event: MemberRemove) -> None:
        guild_id, user_id = int(event.guild_id), int(event.member.id)
        await self.bot.runtime.state(LevelingState).flush_member(guild_id, user_id)
        await service.member_left(guild_id, user_id)
