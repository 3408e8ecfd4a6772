"""Scheduled work end to end: the real client posts it, restarts and crashes don't lose or double it."""

import asyncio
import os
import sys
from pathlib import Path

from gk_toy_greeter.models import JobRun

from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime
from guildkit.core.testing.harness import eventually

TOY_PLUGINS = Path(__file__).parents[1] / "toy_plugins"


def bot_posts(guild, channel: str = "general") -> list[str]:
    return [m.content for m in guild.bot_messages(channel)]


async def test_announcement_is_posted_when_due(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    reply = await alice.slash("announce", text="Movie night!", minutes=120)
    assert reply.ephemeral and "I will post that <t:" in reply.content
    gk.clock.advance(minutes=119)
    await asyncio.sleep(0.05)
    assert bot_posts(guild) == []
    gk.clock.advance(minutes=1)

    async def posted():
        return bot_posts(guild)

    assert await eventually(posted) == ["Movie night!"]


async def test_scheduled_work_survives_a_restart_and_runs_once(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await alice.slash("announce", text="After the restart", minutes=30)
    await gk.restart()
    gk.clock.advance(minutes=30)

    async def done():
        return await ScheduledJob.filter(status="done").count()

    await eventually(done)
    assert bot_posts(guild) == ["After the restart"]


async def test_work_of_a_disabled_plugin_waits_for_it(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    await admin.slash("announce", text="Held back", minutes=5)
    await admin.slash("plugins disable", name="greeter")
    gk.clock.advance(minutes=10)

    async def held():
        return await ScheduledJob.filter(status="held").count()

    await eventually(held)
    assert bot_posts(guild) == []
    await admin.slash("plugins enable", name="greeter")

    async def posted():
        return bot_posts(guild)

    assert await eventually(posted) == ["Held back"]


BOT_SCRIPT = """
import asyncio, sys
sys.path.insert(0, {toys!r})
from dataclasses import replace
import gk_toy_greeter
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime

async def main():
    config = parse_config({{"bot": {{"api_base": {api!r}}}, "database": {{"url": {url!r}}},
                           "scheduler": {{"poll_seconds": 0.05}}, "logging": {{"level": "WARNING"}}}})
    runtime = Runtime(config, extra_plugins=[replace(gk_toy_greeter.plugin, module="gk_toy_greeter")])
    await runtime.start({token!r})
    try:
        await asyncio.sleep(60)
    finally:
        await runtime.close()

asyncio.run(main())
"""


async def test_crash_after_sending_does_not_post_twice(gk_emulator, gk_database_url, gk_plugins, tmp_path) -> None:
    guild = gk_emulator.create_guild("Crashy")
    setup = Runtime(parse_config({"database": {"url": gk_database_url}}), extra_plugins=gk_plugins)
    await setup.open_database()
    try:
        await setup.set_plugin_enabled(guild.id, "greeter", True, None)
        job = await setup.scheduler.schedule(
            "greeter",
            "announce",
            guild_id=guild.id,
            payload={"channel_id": guild.channel("general").id, "text": "Exactly once", "crash_after_send": True},
        )
    finally:
        await setup.close_database()
    script = tmp_path / "bot.py"
    script.write_text(
        BOT_SCRIPT.format(toys=str(TOY_PLUGINS), api=gk_emulator.api_base, url=gk_database_url, token=gk_emulator.token)
    )

    crashing = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        env={**os.environ, "GK_TOY_ALLOW_CRASH": "1"},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert await asyncio.wait_for(crashing.wait(), timeout=30) == 70  # died right after sending
    assert bot_posts(guild) == ["Exactly once"]

    env = {k: v for k, v in os.environ.items() if k != "GK_TOY_ALLOW_CRASH"}
    recovering = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    check = Runtime(parse_config({"database": {"url": gk_database_url}}), extra_plugins=gk_plugins)
    await check.open_database(migrate=False)
    try:

        async def finished():
            return (await ScheduledJob.get(id=job.id)).status == "done"

        await eventually(finished, within=20)  # after the 2 s lease ran out
        assert await JobRun.filter(job_id=job.id).count() == 2  # the handler really ran again
    finally:
        await check.close_database()
        recovering.terminate()
        await recovering.wait()
    assert bot_posts(guild) == ["Exactly once"]  # Discord's nonce check kept it single


WORKER_SCRIPT = """
import asyncio, sys
sys.path.insert(0, {toys!r})
from dataclasses import replace
import gk_toy_greeter
from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime

async def main():
    config = parse_config({{"database": {{"url": {url!r}, "migrate_on_start": False}},
                           "logging": {{"level": "WARNING"}}}})
    runtime = Runtime(config, extra_plugins=[replace(gk_toy_greeter.plugin, module="gk_toy_greeter")])
    await runtime.open_database()
    try:
        sys.stdout.write("READY\\n"); sys.stdout.flush()
        sys.stdin.readline()  # both workers start claiming together
        while True:
            if await runtime.scheduler.run_due() == 0:
                if not await ScheduledJob.filter(status__in=("pending", "running")).exists():
                    break
                await asyncio.sleep(0.01)
    finally:
        await runtime.close_database()

asyncio.run(main())
"""


async def test_two_processes_never_run_the_same_job_twice(gk_database_url, gk_plugins, gk_clock, tmp_path) -> None:
    setup = Runtime(parse_config({"database": {"url": gk_database_url}}), extra_plugins=gk_plugins)
    await setup.open_database()
    try:
        now = gk_clock.now()
        await ScheduledJob.bulk_create(
            [
                ScheduledJob(plugin="greeter", kind="record", payload="{}", due_at=now, created_at=now)
                for _ in range(1000)
            ]
        )
    finally:
        await setup.close_database()
    script = tmp_path / "worker.py"
    script.write_text(WORKER_SCRIPT.format(toys=str(TOY_PLUGINS), url=gk_database_url))
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for worker in workers:
        assert await asyncio.wait_for(worker.stdout.readline(), timeout=30) == b"READY\n"
    for worker in workers:
        worker.stdin.write(b"go\n")
        await worker.stdin.drain()
    for worker in workers:
        _, stderr = await asyncio.wait_for(worker.communicate(), timeout=120)
        assert worker.returncode == 0, stderr.decode()

    check = Runtime(parse_config({"database": {"url": gk_database_url}}), extra_plugins=gk_plugins)
    await check.open_database(migrate=False)
    try:
        runs = await JobRun.all().values_list("job_id", "owner")
        assert len(runs) == 1000
        assert len({job_id for job_id, _ in runs}) == 1000  # no job ran twice
        assert len({owner for _, owner in runs}) == 2  # both processes did work
        assert await ScheduledJob.filter(status="done").count() == 1000
    finally:
        await check.close_database()
