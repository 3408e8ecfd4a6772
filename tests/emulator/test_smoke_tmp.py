import interactions
from interactions import SlashContext, slash_command

from .conftest import make_client, run_client


@slash_command(name="ping", description="Ping")
async def ping(ctx: SlashContext) -> None:
    await ctx.send("pong")


async def test_boot(emu):
    guild = emu.create_guild("G")
    client = make_client(commands=[ping])
    async with run_client(emu, client):
        alice = await guild.member("alice")
        reply = await alice.slash("ping")
        assert reply.content == "pong"
    emu.assert_no_unknown_routes()
