"""Boot, READY/GUILD_CREATE, command sync per scope, login failures and unknown routes."""

from __future__ import annotations

import aiohttp
import interactions
import pytest
from interactions import SlashContext, slash_command
from interactions.api.http.route import Route
from interactions.client.errors import LoginError, NotFound

from guildkit.core.testing.emulator import CommandNotFound, DiscordEmulator

from .conftest import make_client, run_client


@slash_command(name="ping", description="Answers pong")
async def ping(ctx: SlashContext) -> None:
    await ctx.send("pong")


async def test_boot_caches_guild_from_guild_create(emu: DiscordEmulator) -> None:
    guild = emu.create_guild("Alpha")
    voice = guild.add_channel("voice-1", kind="voice")
    mods = guild.add_role("Mods", ["KICK_MEMBERS"])
    await guild.member("alice", roles=[mods])
    client = make_client()
    async with run_client(emu, client):
        cached = client.get_guild(guild.id)
        assert cached is not None and cached.name == "Alpha"
        assert {c.name for c in cached.channels} >= {"general", "voice-1"}
        assert cached.get_channel(voice.id).type == interactions.ChannelType.GUILD_VOICE
        assert {r.name for r in cached.roles} >= {"@everyone", "Mods", "GuildkitBot"}
        assert cached.me.id == emu.bot_user_id
        assert cached.member_count == 3  # owner, alice, bot
        alice = cached.get_member(guild.get_member("alice").id)
        assert alice is not None and alice.has_role(mods.id)
        assert client.user.id == emu.bot_user_id
    identify = emu.gateway.identifies[0]
    assert identify["shard"] == [0, 1] and identify["token"] == emu.token


async def test_responses_are_plain_application_json(emu: DiscordEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{emu.api_base}/users/@me", headers={"Authorization": f"Bot {emu.token}"}) as resp:
            assert resp.headers["Content-Type"] == "application/json"
            assert (await resp.json())["id"] == str(emu.bot_user_id)
        async with session.get(f"{emu.api_base}/users/@me", headers={"Authorization": "Bot wrong"}) as resp:
            assert resp.status == 401
        async with session.get(f"{emu.api_base}/gateway/bot", headers={"Authorization": f"Bot {emu.token}"}) as resp:
            body = await resp.json()
            assert body["shards"] == 1 and body["url"].startswith("ws://127.0.0.1")
            assert body["session_start_limit"]["max_concurrency"] > 1


async def test_wrong_token_is_a_login_error(emu: DiscordEmulator) -> None:
    client = make_client()
    previous = Route.BASE
    Route.BASE = emu.api_base
    try:
        with pytest.raises(LoginError):
            await client.login("not-the-token")
    finally:
        await client.http.close()
        Route.BASE = previous


async def test_global_and_guild_commands_get_ids_and_sync_once(emu: DiscordEmulator) -> None:
    guild = emu.create_guild("Beta")

    @slash_command(name="local", description="Guild only", scopes=[guild.id])
    async def local(ctx: SlashContext) -> None:
        await ctx.send("local")

    async with run_client(emu, make_client(commands=[ping, local])):
        pass
    assert emu.bulk_overwrites() == 1
    assert emu.bulk_overwrites(guild) == 1
    (global_cmd,) = emu.commands()
    (guild_cmd,) = emu.commands(guild)
    assert global_cmd["name"] == "ping" and int(global_cmd["id"]) > 0
    assert global_cmd["application_id"] == str(emu.application_id)
    assert guild_cmd["guild_id"] == str(guild.id)
    first_ids = (global_cmd["id"], guild_cmd["id"])

    # A restarted bot with the same commands sees nothing changed: no second PUT, same ids.
    async with run_client(emu, make_client(commands=[ping, local])) as client:
        reply = await (await guild.member("alice")).slash("local")
        assert reply.content == "local"
        assert client.interactions_by_scope  # it routed by the stored ids
    assert emu.bulk_overwrites() == 1 and emu.bulk_overwrites(guild) == 1
    assert (emu.commands()[0]["id"], emu.commands(guild)[0]["id"]) == first_ids
    assert len(emu.requests_to("PUT /applications/{app}/guilds/{guild}/commands")) == 1


async def test_changed_command_is_overwritten_keeping_its_id(emu: DiscordEmulator) -> None:
    emu.create_guild()
    async with run_client(emu, make_client(commands=[ping])):
        pass
    old = emu.commands()[0]

    @slash_command(name="ping", description="Answers pong, louder")
    async def ping2(ctx: SlashContext) -> None:
        await ctx.send("PONG")

    async with run_client(emu, make_client(commands=[ping2])):
        pass
    new = emu.commands()[0]
    assert emu.bulk_overwrites() == 2
    assert new["id"] == old["id"] and new["version"] != old["version"]
    assert new["description"] == "Answers pong, louder"


async def test_command_lookup_errors_name_the_available_commands(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    async with run_client(emu, make_client(commands=[ping])):
        alice = await guild.member("alice")
        with pytest.raises(CommandNotFound, match=r"available: \['ping'\]"):
            await alice.slash("pong")


async def test_unknown_routes_are_recorded_and_404(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    async with run_client(emu, make_client()) as client:
        with pytest.raises(NotFound) as err:
            await client.http.get_guild_widget_settings(guild.id)
        assert err.value.status == 404
    assert emu.unknown_routes == [("GET", f"/guilds/{guild.id}/widget")]
    with pytest.raises(AssertionError, match="widget"):
        emu.assert_no_unknown_routes()


async def test_every_request_is_recorded(emu: DiscordEmulator) -> None:
    emu.create_guild()
    async with run_client(emu, make_client(commands=[ping])):
        pass
    paths = [(r.method, r.path) for r in emu.requests]
    assert paths[:3] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me"), ("GET", "/gateway")]
    put = emu.requests_to("PUT /applications/{app}/commands")[0]
    assert put.status == 200 and put.json[0]["name"] == "ping"
