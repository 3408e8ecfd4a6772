"""Level roles and level-up announcements are durable: stored as a job in the transaction that
commits the level, delivered after a crash between commit and grant, retried while Discord fails
(5xx), and given up with a notice when Discord refuses for good (403)."""

from __future__ import annotations

import asyncio
import os
import sys

from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime
from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.models import Member
from guildkit.plugins.leveling.service import set_level_role

ROLE_GRANT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}"


async def test_a_grant_failing_with_500_is_retried_and_a_403_ends_it_with_a_notice(gk, lv) -> None:
    guild, _bronze, admin, levels = await lv.bronze_at_level_one()
    alice = await guild.member("alice")
    faults = gk.emulator.faults
    faults.server_error(ROLE_GRANT, times=1, status=500)  # interactions.py may retry a 500 itself
    faults.server_error(ROLE_GRANT, times=1, status=503)  # this one fails the job: retried later
    faults.server_error(ROLE_GRANT, times=1, status=403)  # for good: given up with a notice

    await admin.slash("xp add", member=alice.id, amount=150)  # level 1

    async def given_up() -> bool:
        job = await ScheduledJob.filter(kind="level_effects").first()
        if job is not None and job.status == "pending":
            gk.clock.advance(seconds=6)  # past the retry's backoff
        return job is not None and job.status == "done"

    await eventually(given_up, within=20)
    job = await ScheduledJob.filter(kind="level_effects").first()
    assert job is not None and job.status == "done"
    assert [rule.hits for rule in faults.rules] == [1, 1, 1]  # 500, 503, then 403: not retried after it
    assert "Bronze" not in alice.role_names
    notices = [m.content for m in guild.bot_messages(levels) if "could not update the level role @Bronze" in m.content]
    assert len(notices) == 1 and "Manage Roles" in notices[0]
    # The announcement went out once although the job ran twice (its nonce).
    assert len([m for m in guild.bot_messages(levels) if "reached level **1**" in m.content]) == 1

    # Nothing left to refuse: the next level-up grants the role again.
    await admin.slash("xp add", member=alice.id, amount=1)
    await admin.slash("xp set", member=alice.id, amount=0)
    await admin.slash("xp set", member=alice.id, amount=150)
    await eventually(lambda: _true("Bronze" in alice.role_names))


async def test_deleting_your_data_takes_you_out_of_a_level_up_still_waiting(gk, lv) -> None:
    guild, _bronze, _admin, levels = await lv.bronze_at_level_one(xp_min=150, xp_max=150, cooldown_seconds=0)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    gk.emulator.faults.server_error(ROLE_GRANT, times=None, status=503)  # the job waits for a retry
    await lv.say(alice)
    await lv.say(bob)
    await lv.flush()  # both reach level 1 in one flush: one job for both

    async def waiting() -> bool:
        job = await ScheduledJob.filter(kind="level_effects", status="pending", attempts__gte=1).first()
        return job is not None

    await eventually(waiting, within=20)
    # The first attempt announced both level-ups (roles failed, announcements went out): that was before.
    told_alice = len([m for m in guild.bot_messages(levels) if f"<@{alice.id}>" in m.content])
    prompt = await alice.slash("privacy delete")
    await prompt.click("Delete my data")
    [job] = await ScheduledJob.filter(kind="level_effects", status="pending")
    assert str(alice.id) not in job.payload and str(bob.id) in job.payload

    gk.emulator.faults.clear()
    gk.clock.advance(minutes=5)
    await gk.bot.scheduler.run_due()

    async def delivered() -> bool:
        return "Bronze" in bob.role_names

    await eventually(delivered, within=20)
    assert "Bronze" not in alice.role_names
    assert len([m for m in guild.bot_messages(levels) if f"<@{alice.id}>" in m.content]) == told_alice


BOT_SCRIPT = """
import asyncio, os
from dataclasses import replace
from datetime import timedelta
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.plugins.leveling import effects

if os.environ.get("GK_TEST_CRASH_BEFORE_GRANT"):
    async def crash(*args, **kwargs):
        os._exit(70)  # the level change and its job are committed; no role, no announcement
    effects.sync_roles = crash

async def main():
    config = parse_config({{"bot": {{"api_base": {api!r}}}, "database": {{"url": {url!r}, "migrate_on_start": False}},
                           "scheduler": {{"poll_seconds": 0.05}}, "logging": {{"level": "WARNING"}}}})
    runtime = Runtime(config, rest_requests_per_second=1000)
    key = ("leveling", "level_effects")
    runtime.scheduler.kinds[key] = replace(runtime.scheduler.kinds[key], lease=timedelta(seconds=2))
    await runtime.start({token!r})
    try:
        await asyncio.sleep(60)
    finally:
        await runtime.close()

asyncio.run(main())
"""


async def _spawn(script, env_extra: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        env={**os.environ, **env_extra},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_a_crash_between_the_level_commit_and_the_grant_loses_neither(
    gk_emulator, gk_database_url, tmp_path
) -> None:
    guild = gk_emulator.create_guild("Crashy")
    bronze = guild.add_role("Bronze")
    owner = await guild.member("olga", owner=True)
    alice = await guild.member("alice")
    setup = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await setup.open_database()
    try:
        await setup.set_plugin_enabled(guild.id, "leveling", True, None)
        for key, value in {"xp_min": "150", "xp_max": "150", "cooldown_seconds": "0"}.items():
            await setup.settings.set(guild.id, "leveling", key, value, channel_id=None, actor_id=None)
        await set_level_role(guild.id, bronze.id, 1, True, configured_by=owner.id)
    finally:
        await setup.close_database()
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT.format(api=gk_emulator.api_base, url=gk_database_url, token=gk_emulator.token))

    crashing = await _spawn(script, {"GK_TEST_CRASH_BEFORE_GRANT": "1"})
    await gk_emulator.wait_for_identify(timeout=30)
    # Commands synced: the bot is past READY and its guilds are cached.
    await gk_emulator.wait_for(lambda: gk_emulator.bulk_overwrites(guild) >= 1, timeout=30, what="command sync")
    await alice.say("hello")  # 150 XP: level 1 at the next flush, then the job, then the crash
    assert await asyncio.wait_for(crashing.wait(), timeout=60) == 70
    check = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await check.open_database(migrate=False)
    try:
        assert (await Member.get(guild_id=guild.id, user_id=alice.id)).level == 1
        assert await ScheduledJob.filter(kind="level_effects", status="running").count() == 1
        assert "Bronze" not in alice.role_names
        assert not [m for m in guild.bot_messages() if "reached level" in m.content]

        recovering = await _spawn(script, {})
        try:

            async def delivered() -> bool:
                return "Bronze" in alice.role_names and any("reached level" in m.content for m in guild.bot_messages())

            await eventually(delivered, within=30)  # after the 2 s lease ran out, the job ran again

            async def done() -> bool:
                return await ScheduledJob.filter(kind="level_effects", status="done").count() == 1

            await eventually(done, within=10)
        finally:
            recovering.terminate()
            await recovering.wait()
    finally:
        await check.close_database()
    assert len([m for m in guild.bot_messages() if "reached level **1**" in m.content]) == 1


async def _true(value: bool) -> bool:
    return value
