"""Per-guild command sync within Discord's 200 creates per guild per day (counted by the emulator,
which follows the test clock): toggling is free, a refused sync is told truthfully and finished
by a retry job, and a disabled plugin's commands stay gated for a grace period."""

from datetime import UTC, datetime, timedelta

import gk_toy_greeter.models as greeter_models
import pytest

from guildkit.core.models import CommandSyncState, FeatureFlag, ScheduledJob
from guildkit.core.testing.emulator.driver import CommandNotFound
from guildkit.core.testing.harness import eventually

GREETER_COMMANDS = {"greet", "announce"}
GUILD_PUT = "PUT /applications/{app}/guilds/{guild}/commands"


def names(gk, guild) -> set[str]:
    return {c["name"] for c in gk.emulator.commands(guild)}


def midnight_after(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC) + timedelta(days=1)


def use_up_todays_creates(gk, guild) -> None:
    """Spend the rest of the guild's daily quota on Discord's side (another deploy, say)."""
    gk.emulator.count_command_creates(guild.id, 200 - gk.emulator.command_creates_today(guild))


async def test_toggling_a_plugin_30_times_costs_no_creates_after_the_first(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await admin.slash("plugins enable", name="greeter")
    assert names(gk, guild) >= GREETER_COMMANDS
    creates, puts = gk.emulator.command_creates_today(guild), gk.emulator.bulk_overwrites(guild)
    assert creates == len(GREETER_COMMANDS)

    for _ in range(30):
        assert "is now disabled" in (await admin.slash("plugins disable", name="greeter")).content
        assert "disabled in this server" in (await alice.slash("greet")).content
        assert "is now enabled" in (await admin.slash("plugins enable", name="greeter")).content

    assert gk.emulator.command_creates_today(guild) == creates
    assert gk.emulator.bulk_overwrites(guild) == puts  # Discord already had them: nothing written
    assert "Hello, alice!" in (await alice.slash("greet")).content


async def test_quota_hit_is_told_truthfully_shown_pending_and_finished_the_next_day(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    use_up_todays_creates(gk, guild)

    reply = await admin.slash("plugins enable", name="greeter")
    retry = int(midnight_after(gk.clock.now()).timestamp())
    assert reply.ephemeral
    assert "**greeter** is now enabled in this server." in reply.content
    assert "It is on and answers, but its slash commands are not in this server yet" in reply.content
    assert "daily limit of 200 new commands" in reply.content
    assert f"They will appear <t:{retry}:R>" in reply.content
    # What is stored is what members get: the plugin is on (its listener works), no commands yet.
    assert (await FeatureFlag.get(guild_id=guild.id, name="greeter")).enabled
    assert not GREETER_COMMANDS & names(gk, guild)
    with pytest.raises(CommandNotFound):
        await alice.slash("greet")
    await alice.say("hello while the commands wait")

    async def heard() -> int:
        return await greeter_models.HeardMessage.filter(guild_id=guild.id).count()

    await eventually(heard)
    listing = (await admin.slash("plugins list")).text
    assert "🟢 on   **greeter** 1.2.0" in listing
    assert f"⏳ its commands are not in this server yet: <t:{retry}:R>" in listing

    # The bot knows the day is used up: the next toggle today sends nothing to Discord.
    puts = gk.emulator.bulk_overwrites(guild)
    await admin.slash("plugins disable", name="greeter")
    again = await admin.slash("plugins enable", name="greeter")
    assert "are not in this server yet" in again.content
    assert gk.emulator.bulk_overwrites(guild) == puts

    gk.clock.set(midnight_after(gk.clock.now()))

    async def synced() -> bool:  # on Discord, and the pending marker cleared after it
        return names(gk, guild) >= GREETER_COMMANDS and await gk.bot.commands.pending(guild.id) is None

    await eventually(synced)
    assert "Hello, alice!" in (await alice.slash("greet")).content
    assert "⏳" not in (await admin.slash("plugins list")).text
    assert (await CommandSyncState.get(guild_id=guild.id)).pending == ""


async def test_a_refused_sync_other_than_the_quota_is_retried(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    gk.emulator.faults.server_error(GUILD_PUT, times=None, status=503)
    reply = await admin.slash("plugins enable", name="greeter")
    assert "Discord refused the command update: HTTP 503" in reply.content
    assert not GREETER_COMMANDS & names(gk, guild)
    assert await ScheduledJob.filter(key=f"core:sync_commands:{guild.id}", status="pending").exists()

    gk.emulator.faults.clear()
    gk.clock.advance(minutes=10)

    async def synced() -> bool:  # on Discord, and the pending marker cleared after it
        return names(gk, guild) >= GREETER_COMMANDS and await gk.bot.commands.pending(guild.id) is None

    await eventually(synced)
    assert "⏳" not in (await admin.slash("plugins list")).text


async def test_a_restart_with_a_pending_sync_finishes_it(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    use_up_todays_creates(gk, guild)
    await admin.slash("plugins enable", name="greeter")
    puts = len(gk.emulator.requests_to(GUILD_PUT))

    await gk.restart()  # the same day: the stored count says the quota is used up
    assert len(gk.emulator.requests_to(GUILD_PUT)) == puts
    assert "⏳ its commands are not in this server yet" in (await admin.slash("plugins list")).text

    await gk.stop()
    gk.clock.set(midnight_after(gk.clock.now()) + timedelta(hours=1))
    await gk.start()  # the next day: the startup sync finishes it
    assert names(gk, guild) >= GREETER_COMMANDS
    assert "⏳" not in (await admin.slash("plugins list")).text
    assert not await ScheduledJob.filter(key=f"core:sync_commands:{guild.id}", status="pending").exists()
    assert "Hello, ada!" in (await admin.slash("greet")).content


async def test_disabled_plugin_commands_answer_disabled_during_the_grace_and_go_after_it(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await admin.slash("plugins disable", name="greeter")

    gk.clock.advance(hours=23)
    await gk.restart()  # the grace is counted from the stored flag, not in memory
    assert names(gk, guild) >= GREETER_COMMANDS
    refusal = await alice.slash("greet")
    assert refusal.ephemeral and "The **greeter** plugin is disabled in this server." in refusal.content

    gk.clock.advance(hours=1)

    async def removed() -> bool:
        return not GREETER_COMMANDS & names(gk, guild)

    await eventually(removed)
    with pytest.raises(CommandNotFound):
        await alice.slash("greet")
    assert "⏳" not in (await admin.slash("plugins list")).text


@pytest.mark.parametrize("gk_config", [{"bot": {"command_removal_grace_hours": 0}}])
async def test_without_a_grace_disabling_removes_the_commands_at_once(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    await admin.slash("plugins disable", name="greeter")
    assert not GREETER_COMMANDS & names(gk, guild)


async def test_the_grace_counts_from_the_last_disable(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    await admin.slash("plugins disable", name="greeter")
    gk.clock.advance(hours=1)
    await admin.slash("plugins enable", name="greeter")
    gk.clock.advance(hours=1)
    await admin.slash("plugins disable", name="greeter")

    # The removal job scheduled by the first disable comes due now and waits for the second's grace.
    gk.clock.advance(hours=22)

    async def waiting_for_the_second_grace() -> bool:
        job = await ScheduledJob.get_or_none(key=f"core:remove_commands:{guild.id}", status="pending")
        return job is not None and job.due_at == gk.clock.now() + timedelta(hours=2)

    await eventually(waiting_for_the_second_grace)
    assert names(gk, guild) >= GREETER_COMMANDS

    gk.clock.advance(hours=2)

    async def removed() -> bool:
        return not GREETER_COMMANDS & names(gk, guild)

    await eventually(removed)
