"""Command usage statistics through the real client: hourly counts per guild and command."""

from datetime import timedelta

from guildkit.core.models import CommandUsageHour
from guildkit.core.privacy import find_user_data
from guildkit.core.testing.harness import eventually


async def recorded(gk, command: str, uses: int) -> None:
    """Wait until ``uses`` uses of ``command`` are written: the core records a command just after
    its answer, so a test moving the clock first would count it in a later hour."""

    async def written() -> bool:
        await gk.bot.usage.flush()
        return sum(await CommandUsageHour.filter(command=command).values_list("uses", flat=True)) == uses

    await eventually(written)


async def test_usage_is_recorded_and_shown_to_admins(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    await admin.slash("config set", plugin="greeter", key="max_greetings", value="2")
    for _ in range(3):
        await admin.slash("greet")  # the third one is refused: a failed use
    stats = await admin.slash("stats commands")
    assert stats.ephemeral
    assert "`/greet` — 3 use(s), 1 failed" in stats.text
    assert "`/config set` — 1 use(s), 0 failed" in stats.text
    assert "ms average" in stats.text

    [row] = await CommandUsageHour.filter(command="greet")
    hour = gk.clock.now().replace(minute=0, second=0, microsecond=0)
    assert (row.hour, row.guild_id, row.plugin, row.uses, row.failures) == (hour, guild.id, "greeter", 3, 1)
    assert row.latency_ms_max <= row.latency_ms_total
    # Counts, not people: nothing in the statistics names who used the commands.
    assert not [found for found in await find_user_data(admin.id) if found.model == "CommandUsageHour"]


async def test_stats_add_up_the_hours_of_the_period(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    gk.clock.advance(minutes=59)  # 12:59
    await admin.slash("greet")
    await recorded(gk, "greet", 1)
    gk.clock.advance(minutes=2)  # 13:01, the next hour
    await admin.slash("greet")
    await admin.slash("greet")
    await recorded(gk, "greet", 3)
    gk.clock.advance(days=2)
    stats = await admin.slash("stats commands", days=3)
    assert "`/greet` — 3 use(s), 0 failed" in stats.text
    hours = await CommandUsageHour.filter(command="greet").order_by("hour").values_list("hour", "uses")
    noon = gk.clock.now() - timedelta(days=2, minutes=61)
    assert hours == [(noon, 1), (noon + timedelta(hours=1), 2)]

    gk.clock.advance(days=1)  # the period starts at 13:01: counted from its hour, 13:00
    stats = await admin.slash("stats commands", days=3)
    assert "`/greet` — 2 use(s), 0 failed" in stats.text


async def test_buffered_usage_is_written_at_shutdown(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await alice.slash("greet")
    await alice.slash("timezone")
    await alice.slash("timezone")
    await gk.stop()
    await gk.start()
    assert sorted(await CommandUsageHour.all().values_list("command", "plugin", "uses")) == [
        ("greet", "greeter", 1),
        ("timezone", "core", 2),
    ]
