"""Gateway listeners: messages (the hot path), reactions, members joining and leaving. Commands are
counted through the core's usage records (``LevelingState.command_succeeded``): successful ones only."""

from __future__ import annotations

import interactions
from interactions.api.events import MemberAdd, MemberRemove, MessageCreate, MessageReactionAdd

from guildkit.core import clock, ipy
from guildkit.core.gate import handled_inline

from . import effects, service
from .service.engine import Engine, multiplier_of
from .state import LevelingState


class LevelingListeners(interactions.Extension):
    #: This bot's leveling state, looked up once (the extension belongs to one bot).
    _state: LevelingState | None = None

    def count_message_now(self, event: MessageCreate) -> bool:
        """The hot path without a task: when the guild's settings and role multipliers are cached
        (nearly always), count the message here; else :meth:`on_message` runs and loads them.

        It runs for every message of every guild where leveling is on, so it makes few calls: the
        author's user (for ``bot``) straight from the cache, the member only when the guild has
        role multipliers (``Member.bot`` goes through ``Member.__getattr__`` on every read), and
        the channel's settings and multipliers as one plan (:meth:`LevelingState.message_plan`)."""
        message = event.message
        user, guild_id, channel_id = ipy.message_origin(message)
        if user is None:
            return False  # not cached: on_message looks it up the library's way
        if guild_id is None or user.bot:
            return True
        state = self._state
        if state is None:
            state = self._state = self.bot.runtime.state(LevelingState)
        now = clock.monotonic()
        plan = state.plans.get((guild_id, channel_id))
        if plan is None or plan[0] <= now or plan[1] != state.runtime.settings.version:
            plan = state.message_plan(guild_id, channel_id, now)
            if plan is None:
                return False
        mults, rules = plan[2], plan[3]
        role_mult = 1.0
        if mults and rules[0]:  # XP on, and the guild has role multipliers: the member's roles decide
            member = ipy.message_author(message)
            role_mult = multiplier_of(mults, ipy.role_ids_of(member) if member is not None else ())
        state.engine.message(guild_id, int(user.id), channel_id, role_mult, rules, now)
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
        # Read (and cached) even for a member without roles or in a no-XP channel: with both
        # cached, the guild's next messages take count_message_now's path.
        role_mult = await engine.role_multiplier(guild_id, ipy.role_ids_of(author))
        engine.message(guild_id, int(author.id), channel_id, role_mult, Engine.rules(settings))

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
