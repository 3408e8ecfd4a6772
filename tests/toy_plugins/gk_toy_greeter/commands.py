from datetime import timedelta

import interactions
from interactions import ComponentContext, OptionType, SlashContext, slash_option
from interactions.api.events import MessageCreate

from guildkit.core import clock

from . import service


class GreeterCommands(interactions.Extension):
    @interactions.slash_command(name="greet", description="Greet someone")
    @slash_option("member", "Who to greet", opt_type=OptionType.USER)
    async def greet(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        runtime = ctx.client.runtime
        settings = await runtime.settings.get(int(ctx.guild_id), "greeter", int(ctx.channel_id))
        target = member or ctx.author
        count = await service.greet(int(ctx.guild_id), int(target.id), settings.max_greetings)
        text = f"{settings.greeting}, {target.display_name}! (greeting #{count})"
        if settings.style == "fancy" or await runtime.flags.is_enabled(int(ctx.guild_id), "greeter.fancy"):
            text = f"✨ {text} ✨"
        await runtime.hooks.call("greeter_greeted", guild_id=int(ctx.guild_id), user_id=int(target.id), count=count)
        wave = interactions.Button(style=interactions.ButtonStyle.PRIMARY, label="Wave", custom_id="greeter:wave")
        await ctx.send(text, components=[wave])

    @interactions.slash_command(name="announce", description="Post an announcement later")
    @slash_option("text", "What to post", opt_type=OptionType.STRING, required=True)
    @slash_option("minutes", "In how many minutes", opt_type=OptionType.INTEGER, required=True, min_value=1)
    async def announce(self, ctx: SlashContext, text: str, minutes: int) -> None:
        runtime = ctx.client.runtime
        due = clock.now() + timedelta(minutes=minutes)
        await runtime.scheduler.schedule(
            "greeter",
            "announce",
            due,
            guild_id=int(ctx.guild_id),
            payload={"channel_id": int(ctx.channel_id), "text": text},
        )
        await ctx.send(f"I will post that <t:{int(due.timestamp())}:R>.", ephemeral=True)

    @interactions.component_callback("greeter:wave")
    async def wave(self, ctx: ComponentContext) -> None:
        await ctx.send(f"👋 from {ctx.author.display_name}")

    @interactions.listen(MessageCreate)
    async def on_message(self, event: MessageCreate) -> None:
        message = event.message
        if message.author.bot or not message.guild:
            return
        if "hello" in message.content.lower():
            await service.remember(int(message.guild.id), int(message.author.id), message.content)
