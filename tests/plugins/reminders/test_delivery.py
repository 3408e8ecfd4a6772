"""Delivery guarantees: exactly once across a crash between sending and recording, and with two
bot processes on one database; missed occurrences after downtime delivered once, late, saying
how late, or skipped when older than the server allows."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from datetime import UTC, datetime, timedelta

import pytest

from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.core.testing.harness import eventually
from guildkit.plugins.reminders.api import RemindersAPI
from guildkit.plugins.reminders.models import Reminder, ReminderLog

from .conftest import posts, settle

BOT_SCRIPT = """
import asyncio, os, sys
from dataclasses import replace
from datetime import timedelta
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.plugins.reminders.service import delivery

if os.environ.get("GK_TEST_CRASH_AFTER_SEND"):
    async def crash(*args, **kwargs):
        os._exit(70)  # the message is sent; nothing is recorded
    delivery.finish_occurrence = crash
    delivery.finish_occurrences = crash  # the batch path (several due jobs recorded together)

async def main():
    config = parse_config({{"bot": {{"api_base": {api!r}}}, "database": {{"url": {url!r}, "migrate_on_start": False}},
                           "scheduler": {{"poll_seconds": 0.05}}, "logging": {{"level": "WARNING"}}}})
    # The bot's own pace and a deliver job's lease: a test may set them (the defaults: unpaced, 2 s).
    runtime = Runtime(config, rest_requests_per_second=int(os.environ.get("GK_TEST_REST_RPS", "1000")))
    key = ("reminders", "deliver")
    lease = timedelta(seconds=float(os.environ.get("GK_TEST_LEASE_SECONDS", "2")))
    runtime.scheduler.kinds[key] = replace(runtime.scheduler.kinds[key], lease=lease)
    await runtime.start({token!r})
    try:
        await asyncio.sleep(float(os.environ.get("GK_TEST_RUN_SECONDS", "60")))
    finally:
        await runtime.close()

asyncio.run(main())
"""


async def _setup(gk_emulator, gk_database_url, count: int = 1, channels: int = 1):
    """A guild with reminders on and ``count`` reminders due now (by the real clock, which the
    bot processes use), round robin over #general and ``channels - 1`` more channels."""
    guild = gk_emulator.create_guild("Crashy")
    targets = [guild.channel("general").id] + [guild.add_channel(f"room-{n}").id for n in range(1, channels)]
    alice = await guild.member("alice")
    setup = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await setup.open_database()
    try:
        await setup.set_plugin_enabled(guild.id, "reminders", True, None)
        if count > 25:
            await setup.settings.set(
                guild.id, "reminders", "max_per_member", str(count), channel_id=None, actor_id=None
            )
        api = setup.api(RemindersAPI)
        due = datetime.now(UTC)
        for n in range(count):
            await api.remind_at(guild.id, alice.id, due, f"exactly once {n}", channel_id=targets[n % len(targets)])
    finally:
        await setup.close_database()
    return guild, alice


async def _spawn(script, env_extra: dict[str, str]) -> asyncio.subprocess.Process:
    env = {**os.environ, **env_extra}
    return await asyncio.create_subprocess_exec(
        sys.executable, str(script), env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )


async def test_a_crash_between_sending_and_recording_does_not_post_twice(gk_emulator, gk_database_url, tmp_path):
    guild, _ = await _setup(gk_emulator, gk_database_url)
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT.format(api=gk_emulator.api_base, url=gk_database_url, token=gk_emulator.token))
    crashing = await _spawn(script, {"GK_TEST_CRASH_AFTER_SEND": "1"})
    assert await asyncio.wait_for(crashing.wait(), timeout=60) == 70
    assert len(posts(guild)) == 1
    recovering = await _spawn(script, {})
    check = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await check.open_database(migrate=False)
    try:

        async def recorded():
            return await Reminder.filter(status="delivered").exists()

        await eventually(recorded, within=30)  # after the 2 s lease ran out, the job ran again
        assert await ReminderLog.filter(status="sent").count() == 1
    finally:
        await check.close_database()
        recovering.terminate()
        await recovering.wait()
    assert [p.startswith("⏰ Reminder") for p in posts(guild)] == [True]  # the nonce kept it single


@pytest.mark.gk_postgres_only
async def test_two_processes_deliver_each_reminder_once(gk_emulator, gk_database_url, tmp_path):
    # Discord takes 5 posts per 5 s in a channel: 60 reminders in one would need a minute, and a
    # send waiting for a channel's reset would outlast this test's 2 s lease.
    guild, _ = await _setup(gk_emulator, gk_database_url, count=60, channels=20)
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT.format(api=gk_emulator.api_base, url=gk_database_url, token=gk_emulator.token))
    # Each process at half of Discord's global limit (docs/operations.md), with a lease that a
    # send paced by Discord's limits does not outlast: what two processes must not do is claim
    # the same occurrence while its lease holds.
    env = {"GK_TEST_RUN_SECONDS": "60", "GK_TEST_REST_RPS": "25", "GK_TEST_LEASE_SECONDS": "30"}
    bots = [await _spawn(script, env) for _ in range(2)]
    check = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await check.open_database(migrate=False)
    try:

        async def all_recorded():
            return await Reminder.filter(status="delivered").count() == 60

        await eventually(all_recorded, within=40)
        owners = await ReminderLog.filter(status="sent").count()
        assert owners == 60
    finally:
        await check.close_database()
        for bot in bots:
            if bot.returncode is None:  # under load a bot may have ended its run by itself
                with contextlib.suppress(ProcessLookupError):
                    bot.terminate()
            await bot.wait()
    texts = [text for channel in ["general", *(f"room-{n}" for n in range(1, 20))] for text in posts(guild, channel)]
    assert len(texts) == 60 and len(set(texts)) == 60


async def test_missed_occurrences_after_downtime_are_delivered_once_saying_how_late(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    await alice.slash("remind", when="in 10 minutes", message="hourly check", every="1 hour")
    await gk.stop()
    gk.clock.advance(hours=5, minutes=10)  # five occurrences pass while the bot is down
    await gk.start()

    async def delivered():
        return [m for m in guild.bot_messages("general") if "hourly check" in m.content]

    [message] = await eventually(delivered)
    assert "5 h late" in message.content
    await settle()
    assert len(await delivered()) == 1  # once, not five times
    row = await Reminder.get(user_id=alice.id)
    assert row.next_at > gk.clock.now()


async def test_an_occurrence_older_than_allowed_is_skipped(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    await admin.slash("config set", plugin="reminders", key="max_lateness_minutes", value="60")
    await admin.slash("remind", when="in 10 minutes", message="stale")
    await gk.stop()
    gk.clock.advance(hours=3)
    await gk.start()
    await settle()
    assert [m for m in guild.bot_messages("general") if "stale" in m.content] == []
    row = await Reminder.get(user_id=admin.id)
    assert row.status == "skipped"
    assert (await ReminderLog.get(reminder_id=row.id)).status == "skipped"
    assert timedelta(seconds=(await ReminderLog.get(reminder_id=row.id)).late_seconds) > timedelta(hours=2)


async def test_a_send_rate_limited_on_every_attempt_is_retried_not_recorded_as_sent(gk) -> None:
    # interactions.py gives up after three 429s and returns no message instead of raising.
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    await alice.slash("remind", when="in 10 minutes", message="water the plants")
    gk.emulator.faults.rate_limit("POST /channels/{channel}/messages", times=3, retry_after=0.05)
    gk.clock.advance(minutes=10)
    await settle()
    assert [m for m in guild.bot_messages("general") if "water the plants" in m.content] == []
    row = await Reminder.get(user_id=alice.id)
    assert row.status == "active"
    assert await ReminderLog.filter(reminder_id=row.id).count() == 0
    gk.clock.advance(seconds=30)  # the deliver job's retry backoff (20 s)

    async def delivered():
        return [m for m in guild.bot_messages("general") if "water the plants" in m.content]

    assert len(await eventually(delivered)) == 1
    await settle()
    assert (await Reminder.get(id=row.id)).status == "delivered"
    assert (await ReminderLog.get(reminder_id=row.id)).status == "sent"
