"""Gateway listeners: messages (the hot path), reactions, commands, members joining and leaving."""

from __future__ import annotations

import interactions
from interactions.api.events import CommandCompletion, MemberAdd, MemberRemove, MessageCreate, MessageReactionAdd

from guildkit.core import ipy

from .. import effects, service
from ..hooks import engine


class LevelingListeners(interactions.Extension):
    @interactions.listen(MessageCreate)
    async def on_message(self, event: MessageCreate) -> None:
        message = event.message
        author = message.author
        guild_id = ipy.guild_id_of(message)
        if guild_id is None or author.bot:
            return
        runtime = self.bot.runtime
        running = engine(runtime)
        channel_id = ipy.channel_id_of(message)
        role_ids = ipy.role_ids_of(author)
        role_mult = await running.role_multiplier(guild_id, role_ids) if role_ids else 1.0
        settings = await runtime.settings.get(guild_id, "leveling", channel_id)
        running.message(guild_id, int(author.id), channel_id, role_mult, settings)

    @interactions.listen(MessageReactionAdd)
    async def on_reaction(self, event: MessageReactionAdd) -> None:
        guild_id = ipy.guild_id_of(event.message)
        if guild_id is None or event.author.bot:
            return
        engine(self.bot.runtime).count(guild_id, int(event.author.id), "reactions")

    @interactions.listen(CommandCompletion)
    async def on_command(self, event: CommandCompletion) -> None:
        ctx = event.ctx
        if ctx.guild_id is None:
            return
        engine(self.bot.runtime).count(int(ctx.guild_id), int(ctx.author_id), "commands_used")

    @interactions.listen(MemberAdd)
    async def on_join(self, event: MemberAdd) -> None:
        if event.member.bot:
            return
        guild_id, user_id = int(event.guild_id), int(event.member.id)
        row = await service.member_back(guild_id, user_id)
        if row is not None and row.level > 0:
            await effects.sync_roles(self.bot.runtime, guild_id, user_id, row.level)

    @interactions.listen(MemberRemove)
    async def on_leave(self, event: MemberRemove) -> None:
        await engine(self.bot.runtime).flush()
        await service.member_left(int(event.guild_id), int(event.member.id))
