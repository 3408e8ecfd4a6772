"""The benchmark's guildkit plugin: ``/ping`` like the bare bot, and ``/flags`` that reads through the runtime.

``/flags`` does what a typical plugin command does before answering: it asks the flag service
whether the plugin is on in the guild and reads the plugin's settings for the channel (guild value
over bot.toml over schema default, channel overrides applied), then answers with what it read.
"""

from __future__ import annotations

import interactions
from interactions import SlashContext
from pydantic import BaseModel, Field

from guildkit.core.plugin import Plugin


class BenchSettings(BaseModel):
    greeting: str = Field(default="hi", max_length=50, description="Word /flags answers with")
    limit: int = Field(default=5, ge=1, le=100, description="Unused; makes the schema more than one field")


class BenchCommands(interactions.Extension):
    @interactions.slash_command(name="ping", description="Answers pong")
    async def ping(self, ctx: SlashContext) -> None:
        await ctx.send("pong")

    @interactions.slash_command(name="flags", description="Reads a feature flag and the settings, then answers")
    async def flags(self, ctx: SlashContext) -> None:
        runtime = ctx.client.runtime
        guild_id = int(ctx.guild_id)
        enabled = await runtime.flags.is_enabled(guild_id, "bench")
        settings = await runtime.settings.get(guild_id, "bench", int(ctx.channel_id))
        await ctx.send(f"bench {'on' if enabled else 'off'}: {settings.greeting} x{settings.limit}")


plugin = Plugin(
    name="bench",
    version="1.0",
    description="Benchmark commands: /ping and /flags",
    settings=BenchSettings,
    extensions=(BenchCommands,),
    enabled_by_default=True,
    module=__name__,
)
