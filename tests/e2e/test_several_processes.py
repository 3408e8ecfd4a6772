"""Several bot processes: one per SQLite file; many sharing one PostgreSQL, each with its shards.

Real subprocesses (like ``guildkit run`` started several times), the real client against one
emulator, one real database.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from guildkit.core.config import parse_config
from guildkit.core.errors import StartupError
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime, shard_of

TOY_PLUGINS = Path(__file__).parents[1] / "toy_plugins"

#: A bot process driven through stdin: ``flag GUILD NAME on|off``, ``setting GUILD PLUGIN KEY
#: VALUE``, ``attach GUILD LEVEL ROLE``, ``timezone USER ZONE``, ``quit``. It answers ``DONE t``
#: with ``time.monotonic()`` taken after the change committed (one clock for every process).
BOT_SCRIPT = """
import asyncio, json, sys, time
sys.path.insert(0, {toys!r})
from dataclasses import replace
import gk_toy_greeter, gk_toy_tally
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime

async def main():
    options = json.loads(sys.argv[1])
    plugins = [replace(gk_toy_greeter.plugin, module="gk_toy_greeter"),
               replace(gk_toy_tally.plugin, module="gk_toy_tally")]
    runtime = Runtime(parse_config(options["config"]), extra_plugins=plugins, rest_requests_per_second=1000)
    if options.get("token"):
        await runtime.start(options["token"])
    else:
        await runtime.open_database()
    print("READY", runtime.scheduler.owner, flush=True)
    try:
        while line := await asyncio.to_thread(sys.stdin.readline):
            words = line.split()
            if words[0] == "quit":
                break
            if words[0] == "flag":
                await runtime.set_plugin_enabled(int(words[1]), words[2], words[3] == "on", None)
            elif words[0] == "setting":
                await runtime.settings.set(int(words[1]), words[2], words[3], words[4], channel_id=None, actor_id=None)
            elif words[0] == "attach":
                await runtime.permissions.attach(int(words[1]), words[2], int(words[3]), None)
            elif words[0] == "timezone":
                await runtime.users.set_timezone(int(words[1]), "someone", words[2])
            print("DONE", time.monotonic(), flush=True)
    finally:
        if options.get("token"):
            await runtime.close()
        else:
            await runtime.close_database()

asyncio.run(main())
"""


class BotProcess:
    """One bot subprocess and its stdin/stdout protocol."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.owner = ""

    @classmethod
    async def spawn(cls, script: Path, options: dict[str, Any]) -> BotProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            json.dumps(options),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(process)

    async def ready(self, timeout: float = 30) -> str:  # noqa: ASYNC109
        line = await self._line(timeout)
        if not line.startswith("READY "):
            raise AssertionError(f"bot process did not start: {line!r} {await self._stderr()}")
        self.owner = line.split(" ", 1)[1]
        return self.owner

    async def do(self, command: str, timeout: float = 10) -> float:  # noqa: ASYNC109
        """Send a command; the monotonic time at which its change had committed."""
        assert self.process.stdin is not None
        self.process.stdin.write(command.encode() + b"\n")
        await self.process.stdin.drain()
        line = await self._line(timeout)
        if not line.startswith("DONE "):
            raise AssertionError(f"{command!r} failed: {line!r} {await self._stderr()}")
        return float(line.split()[1])

    async def quit(self) -> int:
        if self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.write(b"quit\n")
            await self.process.stdin.drain()
            _, stderr = await asyncio.wait_for(self.process.communicate(), timeout=30)
            assert self.process.returncode == 0, stderr.decode()[-3000:]
        return self.process.returncode

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def _line(self, timeout: float) -> str:  # noqa: ASYNC109
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), timeout=timeout)
        return raw.decode().strip()

    async def _stderr(self) -> str:
        self.kill()
        assert self.process.stderr is not None
        return (await self.process.stderr.read()).decode()[-3000:]


def write_script(tmp_path: Path) -> Path:
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT.format(toys=str(TOY_PLUGINS)))
    return script


async def wait_until(predicate: Any, *, within: float, what: str, every: float = 0.02) -> Any:
    deadline = time.monotonic() + within
    while True:
        value = await predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(every)


def plugins() -> list[Any]:
    from dataclasses import replace

    import gk_toy_greeter
    import gk_toy_tally

    return [
        replace(gk_toy_greeter.plugin, module="gk_toy_greeter", origin="test"),
        replace(gk_toy_tally.plugin, module="gk_toy_tally", origin="test"),
    ]


# -- SQLite: one bot process ---------------------------------------------------------------------


@pytest.mark.gk_sqlite_only
async def test_a_second_bot_process_on_one_sqlite_file_is_refused(gk_emulator, gk_database_url, tmp_path) -> None:
    config = {
        "bot": {"api_base": gk_emulator.api_base, "guild_event_timeout": 0.5},
        "database": {"url": gk_database_url},
    }
    holder = await BotProcess.spawn(write_script(tmp_path), {"config": config, "token": gk_emulator.token})
    try:
        await holder.ready()
        second = Runtime(parse_config(config), extra_plugins=plugins())
        with pytest.raises(StartupError) as refused:
            await second.start(gk_emulator.token)
        message = str(refused.value)
        assert "\n" not in message
        assert f"another bot process (pid {holder.process.pid}) is running on" in message
        assert "SQLite serves one bot process" in message and "PostgreSQL" in message
        assert len(gk_emulator.gateway.identifies) == 1  # the refused one never connected
    finally:
        holder.kill()  # a crash: no clean shutdown releases anything
        await holder.process.wait()
    after_crash = Runtime(parse_config(config), extra_plugins=plugins())
    await after_crash.start(gk_emulator.token)  # the kernel dropped the dead process's lock
    await after_crash.close()


async def test_shard_ids_need_postgresql(gk_emulator, tmp_path) -> None:
    url = f"sqlite://{tmp_path / 'bot.db'}"
    config = parse_config(
        {"bot": {"api_base": gk_emulator.api_base, "shards": 2, "shard_ids": [0]}, "database": {"url": url}}
    )
    with pytest.raises(
        StartupError, match=r"bot\.shard_ids splits the bot over several processes, which needs PostgreSQL"
    ):
        await Runtime(config).start(gk_emulator.token)


# -- PostgreSQL: changes reach every process -----------------------------------------------------


@pytest.mark.gk_postgres_only
async def test_changes_reach_another_process_within_a_second(gk_database_url, gk_clock, tmp_path) -> None:
    """Flags, settings, permission roles and timezones changed by one process are seen by another
    within a second, though its caches would keep them for cache.ttl_seconds (and the test clock,
    which the caches read, never moves); after the listening connection is killed it reconnects
    and catches up."""
    guild, user = 5151, 6161
    here = Runtime(parse_config({"database": {"url": gk_database_url}}), extra_plugins=plugins())
    await here.open_database()
    writer = None
    try:
        await here.start_change_listener()
        writer = await BotProcess.spawn(
            write_script(tmp_path), {"config": {"database": {"url": gk_database_url, "migrate_on_start": False}}}
        )
        await writer.ready()

        async def propagation(command: str, read: Any, expected: Any) -> float:
            before = await read()
            assert before != expected  # cached now
            committed = await writer.do(command)

            async def changed() -> bool:
                return await read() == expected

            await wait_until(changed, within=5, what=command, every=0.002)
            return time.monotonic() - committed

        delays = {
            "flag": await propagation(
                f"flag {guild} greeter on", lambda: here.flags.is_enabled(guild, "greeter"), True
            ),
            "setting": await propagation(
                f"setting {guild} greeter greeting Ahoy",
                lambda: _greeting(here, guild),
                "Ahoy",
            ),
            "permission role": await propagation(
                f"attach {guild} manager 4242",
                lambda: here.permissions.roles(guild),
                {"manager": frozenset({4242})},
            ),
            "timezone": await propagation(f"timezone {user} Europe/Berlin", lambda: _zone(here, user), "Europe/Berlin"),
        }
        print("cross-process propagation:", {k: f"{v * 1000:.1f} ms" for k, v in delays.items()})
        assert all(delay < 1.0 for delay in delays.values()), delays

        # Kill the listening connection the way a restarted PostgreSQL or a dropped link would.
        listener = here.change_listener
        assert listener is not None and listener.backend_pid is not None
        admin = await asyncpg.connect(gk_database_url)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", listener.backend_pid)
        finally:
            await admin.close()
        assert await here.flags.is_enabled(guild, "greeter")  # cached
        await writer.do(f"flag {guild} greeter off")  # possibly while nobody listens

        async def caught_up() -> bool:
            return listener.reconnects == 1 and not await here.flags.is_enabled(guild, "greeter")

        await wait_until(caught_up, within=10, what="the listener to reconnect and drop its caches")
        delay = await propagation(f"flag {guild} greeter on", lambda: here.flags.is_enabled(guild, "greeter"), True)
        assert delay < 1.0
    finally:
        if writer is not None:
            await writer.quit()
        await here.stop_change_listener()
        await here.close_database()


async def _greeting(runtime: Runtime, guild_id: int) -> str:
    return (await runtime.settings.get(guild_id, "greeter")).greeting


async def _zone(runtime: Runtime, user_id: int) -> str:
    return str(await runtime.users.timezone(user_id))


# -- PostgreSQL: three processes, disjoint shards ------------------------------------------------

SHARDS = 3


@pytest.mark.gk_postgres_only
async def test_three_processes_share_the_work_of_one_bot(gk_emulator, gk_database_url, gk_clock, tmp_path) -> None:
    from gk_toy_tally.models import SeenMessage, TallyRun

    check = Runtime(parse_config({"database": {"url": gk_database_url}}), extra_plugins=plugins())
    await check.open_database()  # migrates once; the bots start with migrate_on_start = false
    bots: list[BotProcess] = []
    try:
        guilds = []
        while len(guilds) < 2 * SHARDS:  # two guilds per shard; snowflake milliseconds pick the shard
            gk_clock.advance(milliseconds=1)
            guild = gk_emulator.create_guild(f"G{len(guilds)}")
            if sum(shard_of(g.id, SHARDS) == shard_of(guild.id, SHARDS) for g in guilds) < 2:
                guilds.append(guild)
        members = {guild.id: await guild.member("alice") for guild in guilds}

        script = write_script(tmp_path)
        for shard in range(SHARDS):
            config = {
                "bot": {
                    "api_base": gk_emulator.api_base,
                    "shards": SHARDS,
                    "shard_ids": [shard],
                    "command_scope": "global",
                    "guild_event_timeout": 0.5,
                },
                "database": {"url": gk_database_url, "migrate_on_start": False},
                "scheduler": {"poll_seconds": 0.1},
                "logging": {"level": "WARNING"},
            }
            bots.append(await BotProcess.spawn(script, {"config": config, "token": gk_emulator.token}))
        owners = [await bot.ready(timeout=45) for bot in bots]
        owner_of_shard = dict(enumerate(owners))
        assert sorted(i["shard"] for i in gk_emulator.gateway.identifies) == [[s, SHARDS] for s in range(SHARDS)]

        # 1,000 jobs, scheduled once every process is up: each runs once, the work spread out.
        now = datetime.now(UTC)
        jobs_started = time.monotonic()
        await ScheduledJob.bulk_create(
            [ScheduledJob(plugin="tally", kind="work", payload="{}", due_at=now, created_at=now) for _ in range(1000)]
        )

        # Every message is handled once, by the process owning its guild's shard.
        sent = []
        for guild in guilds:
            for n in range(5):
                sent.append((guild.id, (await members[guild.id].say(f"message {n}")).id))

        async def all_seen() -> bool:
            return await SeenMessage.all().count() >= len(sent)

        await wait_until(all_seen, within=20, what="every message to be counted")
        seen = await SeenMessage.all().values_list("message_id", "guild_id", "owner")
        assert Counter(message_id for message_id, _, _ in seen) == Counter(message_id for _, message_id in sent)
        for _, guild_id, owner in seen:
            assert owner == owner_of_shard[shard_of(guild_id, SHARDS)]

        async def jobs_done() -> bool:
            return await ScheduledJob.filter(plugin="tally", status="done").count() == 1000

        await wait_until(jobs_done, within=30, what="1,000 jobs to run", every=0.1)
        print(f"1,000 jobs done by three processes in {time.monotonic() - jobs_started:.1f} s")
        runs = await TallyRun.all().values_list("job_id", "owner")
        assert len(runs) == 1000 and len({job_id for job_id, _ in runs}) == 1000  # none ran twice
        spread = Counter(owner for _, owner in runs)
        print("1,000 jobs per process:", sorted(spread.values()))
        assert set(spread) == set(owners)  # every process did some

        # Shard-local work runs in the process owning the guild's shard.
        local_ids = {}
        for guild in guilds:
            job = await check.scheduler.schedule("tally", "local", datetime.now(UTC), guild_id=guild.id)
            local_ids[job.id] = guild.id

        async def local_done() -> bool:
            return await TallyRun.filter(job_id__in=list(local_ids)).count() == len(local_ids)

        await wait_until(local_done, within=10, what="shard-local jobs")
        for job_id, owner in await TallyRun.filter(job_id__in=list(local_ids)).values_list("job_id", "owner"):
            assert owner == owner_of_shard[shard_of(local_ids[job_id], SHARDS)]

        # A flag switched in one process gates the command in the process that serves the guild.
        target = next(g for g in guilds if shard_of(g.id, SHARDS) == 1)
        alice = members[target.id]
        assert (await alice.slash("tally")).content == "5 messages"  # process 1 cached "on"
        committed = await bots[0].do(f"flag {target.id} tally off")
        while True:
            reply = await alice.slash("tally")
            if "disabled in this server" in reply.content:
                break
            assert time.monotonic() - committed < 5, "the flag change never reached process 1"
        propagation = time.monotonic() - committed
        print(f"flag switched in process 0 gated /tally in process 1 after {propagation * 1000:.0f} ms")
        assert propagation < 1.0

        # SIGKILL one process while it runs jobs: its leases expire and the others take them over.
        victim, survivors = bots[2], bots[:2]
        now = datetime.now(UTC)
        await ScheduledJob.bulk_create(
            [
                ScheduledJob(plugin="tally", kind="work", payload='{"seconds": 0.4}', due_at=now, created_at=now)
                for _ in range(300)
            ]
        )

        async def victim_running() -> list[int]:
            return await ScheduledJob.filter(status="running", lease_owner=victim.owner).values_list("id", flat=True)

        await wait_until(victim_running, within=10, what="the victim to claim jobs", every=0.01)
        victim.kill()
        await victim.process.wait()
        held = await ScheduledJob.filter(lease_owner=victim.owner, status="running").values_list("id", flat=True)
        assert held, "the victim finished its jobs before it was killed"

        async def everything_done() -> bool:
            return await ScheduledJob.filter(plugin="tally", status="done").count() == 1000 + len(local_ids) + 300

        await wait_until(everything_done, within=20, what="the killed process's jobs to be taken over", every=0.1)
        runs_of_held = await TallyRun.filter(job_id__in=held).values_list("job_id", "owner")
        by_survivors = Counter(job_id for job_id, owner in runs_of_held if owner != victim.owner)
        assert by_survivors == Counter(set(held))  # each taken over and run once by a survivor
        # The victim may have recorded one just before dying, between its work and "done": a job
        # runs at least once, and its idempotency key (or message nonce) makes the rerun harmless.
        assert all(owner in {victim.owner, *(bot.owner for bot in survivors)} for _, owner in runs_of_held)
        for bot in survivors:
            assert await bot.quit() == 0
    finally:
        for bot in bots:
            bot.kill()
            await bot.process.wait()
        await check.close_database()
