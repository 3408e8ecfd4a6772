"""Gateway listeners: messages (the hot path), reactions, commands, members joining and leaving."""

from __future__ import annotations

import interactions
from interactions.api.events import CommandCompletion, MemberAdd, MemberRemove, MessageCreate, MessageReactionAdd

from guildkit.core import ipy

from . import effects, service
from .state import LevelingState


class LevelingListeners(interactions.Extension):
    @interactions.listen(MessageCreate)
    async def on_message(self, event: MessageCreate) -> None:
        message = event.message
        author = message.author
        guild_id = ipy.guild_id_of(message)
        if guild_id is None or author.bot:
            return
        state = self.bot.runtime.state(LevelingState)
        engine = state.engine
        channel_id = ipy.channel_id_of(message)
        role_ids = ipy.role_ids_of(author)
        role_mult = await engine.role_multiplier(guild_id, role_ids) if role_ids else 1.0
        settings = await state.settings(guild_id, channel_id)
        engine.message(guild_id, int(author.id), channel_id, role_mult, settings)

    @interactions.listen(MessageReactionAdd)
    async def on_reaction(self, event: MessageReactionAdd) -> None:
        guild_id = ipy.guild_id_of(event.message)
        if guild_id is None or event.author.bot:
            return
        self.bot.runtime.state(LevelingState).engine.count(guild_id, int(event.author.id), "reactions")

    @interactions.listen(CommandCompletion)
    async def on_command(self, event: CommandCompletion) -> None:
        ctx = event.ctx
        if ctx.guild_id is None:
            return
        self.bot.runtime.state(LevelingState).engine.count(int(ctx.guild_id), int(ctx.author_id), "commands_used")

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
        await self.bot.runtime.state(LevelingState).flush()
        await service.member_left(int(event.guild_id), int(event.member.id))
