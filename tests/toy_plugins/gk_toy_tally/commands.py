import interactions
from interactions import SlashContext
from interactions.api.events import MessageCreate

from guildkit.core import ipy

from .models import SeenMessage


class TallyCommands(interactions.Extension):
    @interactions.slash_command(name="tally", description="How many messages this server sent")
    async def tally(self, ctx: SlashContext) -> None:
        count = await SeenMessage.filter(guild_id=int(ctx.guild_id)).count()
        await ctx.send(f"{count} messages")

    @interactions.listen(MessageCreate)
    async def on_message(self, event: MessageCreate) -> None:
        message = event.message
        guild_id = ipy.guild_id_of(message)
        if message.author.bot or guild_id is None:
            return
        owner = self.bot.runtime.scheduler.owner
        await SeenMessage.create(message_id=int(message.id), guild_id=guild_id, owner=owner)
