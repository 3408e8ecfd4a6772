"""A toy third-party plugin, installed through the ``guildkit.plugins`` entry point in tests."""

import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.errors import UserError
from guildkit.core.hookspecs import hookimpl
from guildkit.core.plugin import Plugin

greeted: list[tuple[int, int, int]] = []


class EchoCommands(interactions.Extension):
    @interactions.slash_command(name="echo", description="Say it back")
    @slash_option("text", "What to say", opt_type=OptionType.STRING, required=True)
    async def echo(self, ctx: SlashContext, text: str) -> None:
        if not text.strip():
            raise UserError("Give me something to echo.")
        if text == "crash":
            raise RuntimeError("the echo chamber collapsed")
        await ctx.send(text)


class Hooks:
    @hookimpl
    def greeter_greeted(self, guild_id: int, user_id: int, count: int) -> None:
        greeted.append((guild_id, user_id, count))

    @hookimpl
    def plugin_enabled(self, guild_id: int, plugin: str) -> None:
        raise RuntimeError("a broken hook must not stop the others")


plugin = Plugin(
    name="echo",
    version="0.1.0",
    description="Echoes text (third-party toy)",
    requires=("greeter",),
    extensions=(EchoCommands,),
    hooks=Hooks(),
)
