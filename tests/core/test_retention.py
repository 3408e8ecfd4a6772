"""Retention policies on a real database: what goes, what stays, and never more than declared."""

from datetime import timedelta

import pytest
from gk_toy_greeter.models import Greeting, HeardMessage, Visit, VisitDaily

from guildkit.core.config import parse_config
from guildkit.core.errors import ConfigError
from guildkit.core.models import CommandUsageHour, ScheduledJob
from guildkit.core.retention import parse_duration
from guildkit.core.runtime import Runtime

GUILD, OTHER = 4040, 5050


async def seed(gk_clock) -> None:
    now = gk_clock.now()
    for days in (1, 8, 40):
        at = now - timedelta(days=days)
        await HeardMessage.create(guild_id=GUILD, author_id=7, content=f"{days}d", heard_at=at)
        await Visit.create(guild_id=GUILD, user_id=7, at=at)
        await Visit.create(guild_id=GUILD, user_id=8, at=at)
        await Greeting.create(guild_id=GUILD, user_id=days, count=1, last_at=at)
        await usage_hour(at).save()
    await usage_hour(now - timedelta(days=91)).save()


def usage_hour(hour, command: str = "greet") -> CommandUsageHour:
    return CommandUsageHour(
        hour=hour.replace(minute=0, second=0, microsecond=0),
        guild_id=GUILD,
        command=command,
        plugin="greeter",
        uses=2,
        failures=0,
        latency_ms_total=6,
        latency_ms_max=3,
    )


async def test_dry_run_counts_and_changes_nothing(runtime: Runtime, gk_clock) -> None:
    await seed(gk_clock)
    results = {(r.owner, r.policy): r.rows for r in await runtime.retention.run(dry_run=True)}
    assert results[("greeter", "heard")] == 2  # older than 7 days
    assert results[("greeter", "visits")] == 2  # older than 30 days: one day, two members
    assert results[("greeter", "greetings")] == 0  # kept forever
    assert results[("core", "command_usage")] == 1  # older than 90 days
    assert await HeardMessage.filter(author_id__isnull=True).count() == 0
    assert await Visit.all().count() == 6


async def test_each_action_does_what_it_says(runtime: Runtime, gk_clock) -> None:
    await seed(gk_clock)
    await runtime.retention.run()
    heard = {h.content: h.author_id for h in await HeardMessage.all()}
    assert heard == {"1d": 7, "8d": None, "40d": None}  # anonymised, rows kept
    assert sorted(await Visit.all().values_list("user_id", flat=True)) == [7, 7, 8, 8]
    daily = await VisitDaily.all()
    assert [(d.day, d.visits) for d in daily] == [((gk_clock.now() - timedelta(days=40)).date(), 2)]
    assert await Greeting.all().count() == 3  # keep forever means forever
    assert await CommandUsageHour.all().count() == 3
    again = {(r.owner, r.policy): r.rows for r in await runtime.retention.run()}
    assert again[("greeter", "heard")] == 0 and again[("greeter", "visits")] == 0


async def test_batches_cover_more_rows_than_one_batch(runtime: Runtime, gk_clock) -> None:
    old = gk_clock.now() - timedelta(days=100)
    await CommandUsageHour.bulk_create([usage_hour(old, f"c{number}") for number in range(2500)])
    runtime.retention.batch_size = 1000
    results = {(r.owner, r.policy): r.rows for r in await runtime.retention.run()}
    assert results[("core", "command_usage")] == 2500
    assert await CommandUsageHour.all().count() == 0


async def test_bot_toml_overrides_a_duration(gk_database_url, gk_plugins, gk_clock) -> None:
    config = parse_config(
        {"database": {"url": gk_database_url}, "plugins": {"greeter": {"retention": {"heard": "2d"}}}}
    )
    runtime = Runtime(config, extra_plugins=gk_plugins)
    await runtime.open_database()
    try:
        await HeardMessage.create(
            guild_id=GUILD, author_id=7, content="3d", heard_at=gk_clock.now() - timedelta(days=3)
        )
        await runtime.retention.run()
        assert (await HeardMessage.get(content="3d")).author_id is None
    finally:
        await runtime.close_database()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"heard": "soon"}, "is not a duration like 30d"),
        ({"chat": "3d"}, "has no policy 'chat'"),
        ({"greetings": "3d"}, "is kept forever"),
    ],
)
async def test_bad_overrides_are_config_errors(gk_database_url, gk_plugins, override, message) -> None:
    config = parse_config({"database": {"url": gk_database_url}, "plugins": {"greeter": {"retention": override}}})
    runtime = Runtime(config, extra_plugins=gk_plugins)
    await runtime.open_database()
    try:
        with pytest.raises(ConfigError, match=message):
            await runtime.retention.run(dry_run=True)
    finally:
        await runtime.close_database()


async def test_purging_a_guild_leaves_other_guilds_and_kept_data(runtime: Runtime, gk_clock) -> None:
    await seed(gk_clock)
    await HeardMessage.create(guild_id=OTHER, author_id=9, content="other", heard_at=gk_clock.now())
    await runtime.set_plugin_enabled(GUILD, "greeter", True, None)
    await runtime.scheduler.schedule("greeter", "record", gk_clock.now() + timedelta(days=1), guild_id=GUILD)
    removed = await runtime.retention.purge_guild(GUILD)
    assert removed["greeter.HeardMessage"] == 3
    assert await HeardMessage.filter(guild_id=GUILD).count() == 0
    assert await HeardMessage.filter(guild_id=OTHER).count() == 1
    assert await Greeting.filter(guild_id=GUILD).count() == 3  # declared keep-forever
    assert await ScheduledJob.filter(guild_id=GUILD).count() == 0
    assert not await runtime.flags.own_value(GUILD, "greeter")


def test_durations() -> None:
    assert parse_duration("90d") == timedelta(days=90)
    assert parse_duration(" 12h ") == timedelta(hours=12)
    assert parse_duration("2w") == timedelta(weeks=2)
