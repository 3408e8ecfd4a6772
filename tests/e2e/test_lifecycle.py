"""Starting, reconnecting, sharding and stopping the real client against the emulator."""

import asyncio

import pytest
from tortoise import Tortoise

from guildkit.core.errors import StartupError
from guildkit.core.runtime import Runtime
from guildkit.core.testing.emulator import DiscordEmulator
from guildkit.core.testing.harness import GuildkitHarness


async def test_rejected_token_is_a_clear_error_and_closes_the_database(gk) -> None:
    runtime = Runtime(gk.config(), extra_plugins=gk.extra_plugins)
    with pytest.raises(StartupError, match=r"Discord rejected the bot token \(401 Unauthorized\)"):
        await runtime.start("not-the-token")
    assert not Tortoise.is_inited()
    assert runtime.client is None


async def test_bot_resumes_after_the_gateway_drops(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    assert "greeting #1" in (await alice.slash("greet")).content
    await gk.emulator.faults.close_gateway(code=4000)
    await gk.emulator.wait_for_identify()  # the client reconnects by itself
    assert "greeting #2" in (await alice.slash("greet")).content


async def test_bot_survives_a_forced_reconnect_and_invalid_session(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await gk.emulator.faults.reconnect()
    assert "greeting #1" in (await alice.slash("greet")).content
    await gk.emulator.faults.invalidate_session(resumable=False)
    await gk.emulator.wait_for_identify()
    assert "greeting #2" in (await alice.slash("greet")).content


async def test_a_command_used_while_the_bot_starts_is_told_to_try_again(gk) -> None:
    """Discord keeps the commands while the bot restarts; members who use them meanwhile get an
    answer, not "The application did not respond"."""
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    assert "greeting #1" in (await alice.slash("greet")).content
    down = gk.emulator.create_guild("Down")
    await gk.stop()
    gk.emulator.start_guild_outage(down)  # startup waits for this guild's GUILD_CREATE
    starting = asyncio.create_task(gk.start(bot={"guild_event_timeout": 60}))
    try:
        await gk.emulator.wait_for_identify(timeout=30)
        early = await alice.slash("greet")
        assert early.content == "The bot is starting up. Try again in a few seconds."
        assert early.ephemeral
        assert not starting.done()
        await gk.emulator.end_guild_outage(down)
        await asyncio.wait_for(starting, timeout=30)
    finally:
        if not starting.done():
            starting.cancel()
    assert "greeting #2" in (await alice.slash("greet")).content  # the early use changed nothing


async def test_rest_rate_limit_is_waited_out(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    gk.emulator.faults.rate_limit("POST /interactions/{id}/{token}/callback", retry_after=0.2, times=1)
    reply = await alice.slash("greet")
    assert "greeting #1" in reply.content


@pytest.mark.gk_sqlite_only
async def test_two_shards_answer_in_every_guild(gk_database_url, gk_clock, gk_plugins) -> None:
    async with DiscordEmulator(shards=2) as emulator:
        harness = GuildkitHarness(
            emulator, gk_database_url, gk_clock, plugins=gk_plugins, config={"bot": {"shards": 2}}
        )
        try:
            runtime = await harness.start()
            assert type(runtime.client).__name__ == "GuildkitShardedClient"
            guilds = []
            for i in range(6):
                gk_clock.advance(milliseconds=1)  # a guild's shard comes from its id's timestamp bits
                guilds.append(await harness.guild(f"G{i}", plugins=["greeter"]))
            assert emulator.connected_shards == {0, 1}
            assert {(g.id >> 22) % 2 for g in guilds} == {0, 1}  # both shards carry guilds
            for guild in guilds:
                member = await guild.member("alice")
                assert "Hello, alice!" in (await member.slash("greet")).content
        finally:
            await harness.close()


async def test_stopping_leaves_no_tasks_or_connections(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    await (await guild.member("alice")).slash("greet")
    before = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    await gk.stop()
    await asyncio.sleep(0)
    leftover = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()} - before
    running_bot_tasks = [t for t in asyncio.all_tasks() if not t.done() and "interactions" in t.get_name()]
    assert not leftover
    assert running_bot_tasks == []
    assert not Tortoise.is_inited()


async def test_a_command_running_when_the_bot_stops_finishes_before_the_database_closes(gk, monkeypatch) -> None:
    from gk_toy_greeter import service
    from gk_toy_greeter.models import Greeting

    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    entered, release = asyncio.Event(), asyncio.Event()
    greet = service.greet

    async def greet_after_the_stop_began(guild_id: int, user_id: int, limit: int) -> int:
        entered.set()
        await release.wait()
        return await greet(guild_id, user_id, limit)

    monkeypatch.setattr(service, "greet", greet_after_the_stop_began)
    reply = asyncio.create_task(alice.slash("greet"))
    await asyncio.wait_for(entered.wait(), 5)
    stopping = asyncio.create_task(gk.stop())
    await asyncio.sleep(0.3)
    assert not stopping.done()  # shutdown waits for the command it found running
    release.set()
    assert "Hello, alice! (greeting #1)" in (await reply).content
    await asyncio.wait_for(stopping, 10)
    await gk.start()
    assert await Greeting.filter(guild_id=guild.id, user_id=alice.id).values_list("count", flat=True) == [1]


async def test_tests_never_touch_the_database_named_in_the_environment(gk, monkeypatch, tmp_path) -> None:
    production = tmp_path / "production.db"
    monkeypatch.setenv("GUILDKIT_DATABASE_URL", f"sqlite://{production}")
    guild = await gk.guild(plugins=["greeter"])
    await (await guild.member("alice")).slash("greet")
    assert not production.exists()


@pytest.mark.gk_sqlite_only
async def test_shards_of_several_start_buckets_all_connect(gk_database_url, gk_clock, gk_plugins) -> None:
    """Discord lets a large bot identify ``max_concurrency`` shards at once, one per bucket
    (``shard_id % max_concurrency``). interactions.py 5.16 waits for every shard after starting the
    first bucket and never starts the others; guildkit starts one shard of every bucket per round."""
    async with DiscordEmulator(shards=4, max_concurrency=4) as emulator:
        harness = GuildkitHarness(
            emulator, gk_database_url, gk_clock, plugins=gk_plugins, config={"bot": {"shards": 4}}
        )
        try:
            async with asyncio.timeout(20):
                runtime = await harness.start()
            assert emulator.connected_shards == {0, 1, 2, 3}
            guilds = []
            while {(g.id >> 22) % 4 for g in guilds} != {0, 1, 2, 3}:
                gk_clock.advance(milliseconds=1)
                guilds.append(await harness.guild(f"G{len(guilds)}", plugins=["greeter"]))
            for guild in guilds[-4:]:
                member = await guild.member("alice")
                assert "Hello, alice!" in (await member.slash("greet")).content
            assert runtime.ready.is_set()
        finally:
            await harness.close()
