"""Retention while the bot runs: guild departure with a grace period, and purges that don't block."""

import asyncio
from datetime import timedelta

from gk_toy_greeter.models import HeardMessage

from guildkit.core.models import CommandUsageHour, ScheduledJob
from guildkit.core.retention import purge_key
from guildkit.core.testing.harness import eventually


async def test_left_guild_is_purged_after_the_grace_period_unless_the_bot_returns(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    stays = await gk.guild("Stays", plugins=["greeter"])
    for place in (guild, stays):
        await (await place.member("alice")).say("hello there")

    async def heard():
        return await HeardMessage.all().count() == 2

    await eventually(heard)

    async def purge_pending():
        return await ScheduledJob.filter(key=purge_key(guild.id), status="pending").first()

    await gk.emulator.remove_bot_from_guild(guild)
    job = await eventually(purge_pending)
    assert job.due_at == gk.clock.now() + timedelta(days=30)

    gk.clock.advance(days=29)
    await gk.emulator.add_bot_to_guild(guild)  # back within the grace period

    async def cancelled():
        return not await ScheduledJob.filter(key=purge_key(guild.id)).exists()

    await eventually(cancelled)
    gk.clock.advance(days=2)
    await asyncio.sleep(0.05)
    assert await HeardMessage.filter(guild_id=guild.id).count() == 1

    await gk.emulator.remove_bot_from_guild(guild)
    await eventually(purge_pending)
    gk.clock.advance(days=30)

    async def purged():
        return await HeardMessage.filter(guild_id=guild.id).count() == 0

    await eventually(purged)
    assert await HeardMessage.filter(guild_id=stays.id).count() == 1


async def test_commands_are_answered_while_a_purge_runs(gk) -> None:
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    old = gk.clock.now() - timedelta(days=120)
    hour = old.replace(minute=0, second=0, microsecond=0)
    await CommandUsageHour.bulk_create(
        [
            CommandUsageHour(
                hour=hour - timedelta(hours=number % 100),
                guild_id=guild.id,
                command=f"c{number // 100}",
                plugin="core",
                uses=1,
                failures=0,
                latency_ms_total=1,
                latency_ms_max=1,
            )
            for number in range(20_000)
        ],
        batch_size=5000,
    )
    gk.bot.retention.batch_size = 500
    purge = asyncio.create_task(gk.bot.retention.run())
    answered_during_purge = 0
    while not purge.done():
        reply = await alice.slash("timezone")
        assert "Your timezone is" in reply.content
        answered_during_purge += not purge.done()
    results = {(r.owner, r.policy): r.rows for r in purge.result()}
    assert results[("core", "command_usage")] == 20_000
    assert answered_during_purge >= 1
