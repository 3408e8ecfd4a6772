"""Temporary bans and timeouts end exactly once with two bot processes on one PostgreSQL and one
Discord, also when one process is killed (SIGKILL) while it holds expiry jobs: the other takes
them over once their lease ran out, and finishes a lift the dead one had started."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta

import pytest

from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.core.scheduler import ScheduledJob
from guildkit.core.testing.emulator.models import MEMBER_BAN_REMOVE
from guildkit.core.testing.harness import eventually, start_bot_script
from guildkit.plugins.moderation import effects
from guildkit.plugins.moderation.models import Case, TempPunishment
from guildkit.plugins.moderation.service import CaseRequest, CaseView, cases

#: Long enough that a healthy process never loses a running expiry to the other one on a busy
#: machine, short enough that the takeover after the kill happens within the test.
LEASE_SECONDS = 5

BOT_SCRIPT = """
import asyncio, os, sys
from dataclasses import replace
from datetime import timedelta
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.plugins.moderation import effects

if os.environ.get("GK_TEST_HOLD_UNBANS"):
    real_act = effects._act

    async def hold():
        sys.stdout.write("HOLDING\\n"); sys.stdout.flush()
        await asyncio.Event().wait()  # until the test kills this process

    lifted = set()

    async def act(runtime, request):
        # Lifts of odd-numbered bans stop before Discord hears of them, the others right after
        # Discord did it and before the case records it: both places a crash can leave a job.
        # A job this process claims again after its own lease ran out is never lifted twice here.
        if request.kind != "unban":
            return await real_act(runtime, request)
        if request.cause_number % 2 == 0 and request.target_id not in lifted:
            lifted.add(request.target_id)
            await real_act(runtime, request)
        await hold()

    effects._act = act

async def main():
    config = parse_config({{"bot": {{"api_base": {api!r}}}, "database": {{"url": {url!r}, "migrate_on_start": False}},
                           "scheduler": {{"poll_seconds": 0.05}}, "logging": {{"level": "WARNING"}}}})
    runtime = Runtime(config, rest_requests_per_second=1000)
    key = ("moderation", "expire")
    runtime.scheduler.kinds[key] = replace(runtime.scheduler.kinds[key], lease=timedelta(seconds={lease}))
    await runtime.start({token!r})
    sys.stdout.write("STARTED\\n"); sys.stdout.flush()
    try:
        await asyncio.sleep(120)
    finally:
        await runtime.close()

asyncio.run(main())
"""

BANS = 6
TIMEOUTS = 3


async def _seed(gk_emulator, gk_database_url):
    """A guild where the owner tempbanned six users and timed out three members while no bot was
    connected; their cases and expiries are stored as the bot's pipeline stores them. The first
    ban ends one second from now, the others every 2 s after it (by the real clock)."""
    guild = gk_emulator.create_guild("Expiries")
    banned = [await guild.member(f"banned{n}") for n in range(BANS)]
    quiet = [await guild.member(f"quiet{n}") for n in range(TIMEOUTS)]
    for user in banned:
        await guild.ban(user, reason="cool off")
    for member in quiet:
        await member.timeout(timedelta(seconds=4), reason="shush")
    setup = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await setup.open_database()
    try:
        await setup.set_plugin_enabled(guild.id, "moderation", True, None)
        start = datetime.now(UTC)
        targets = [("ban", user, 1 + 2 * n) for n, user in enumerate(banned)]
        targets += [("timeout", member, 4.0) for member in quiet]
        for kind, user, seconds in targets:
            request = CaseRequest(
                guild_id=guild.id,
                kind=kind,
                target_id=user.id,
                target_name=user.name,
                moderator_id=guild.owner.id,
                moderator_name="owner",
                reason="cool off",
                key=f"seed:{kind}:{user.id}",
                source="manual",
                duration=timedelta(seconds=seconds) - (datetime.now(UTC) - start),
                performed=True,
            )
            case, _ = await cases.open_case(
                request, warning_expires=timedelta(days=1), warning_deleted=timedelta(days=2)
            )
            await effects._bookkeep(setup, CaseView.of(case))
    finally:
        await setup.close_database()
    return guild, banned, quiet


@pytest.mark.gk_postgres_only
async def test_two_processes_lift_each_punishment_once_even_when_one_is_killed_holding_jobs(
    gk_emulator, gk_database_url, tmp_path
) -> None:
    guild, banned, quiet = await _seed(gk_emulator, gk_database_url)
    script = tmp_path / "bot.py"
    script.write_text(
        BOT_SCRIPT.format(api=gk_emulator.api_base, url=gk_database_url, token=gk_emulator.token, lease=LEASE_SECONDS)
    )
    # The doomed process starts first, so it is sure to claim the first two lifts (one stopped
    # before Discord, one after); the healthy one joins while the others come due.
    doomed = await start_bot_script(script, {"GK_TEST_HOLD_UNBANS": "1"})
    assert doomed.stdout is not None
    for _ in range(2):
        assert await asyncio.wait_for(doomed.stdout.readline(), timeout=30) == b"HOLDING\n"
    healthy = await start_bot_script(script, {})
    doomed.send_signal(signal.SIGKILL)  # while it holds two expiry jobs
    await doomed.wait()
    check = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await check.open_database(migrate=False)
    try:

        async def all_ended() -> bool:
            running = await TempPunishment.filter(guild_id=guild.id).exists()
            pending = await ScheduledJob.filter(plugin="moderation", status__in=("pending", "running")).exists()
            return not running and not pending and not guild.bans

        await eventually(all_ended, within=60)
        unbans = await Case.filter(guild_id=guild.id, kind="unban").order_by("target_id")
        assert sorted(c.target_id for c in unbans) == sorted(u.id for u in banned)  # one case each
        assert all(c.status == "done" and c.source == "expiry" for c in unbans), [
            (c.number, c.status, c.failure) for c in unbans
        ]
        assert await ScheduledJob.filter(plugin="moderation", status="done").count() == BANS + TIMEOUTS
    finally:
        await check.close_database()
        healthy.terminate()
        await healthy.wait()
        if doomed.returncode is None:
            doomed.kill()
            await doomed.wait()
    # Discord was asked to lift each ban exactly once, and did it once: one audit entry each.
    lifts = gk_emulator.requests_to("DELETE /guilds/{g}/bans/{u}")
    assert sorted(int(r.path.rsplit("/", 1)[1]) for r in lifts) == sorted(u.id for u in banned)
    entries = [e.target_id for e in guild.audit_log() if e.action_type == MEMBER_BAN_REMOVE]
    assert sorted(entries) == sorted(u.id for u in banned)
    # Discord ends timeouts itself: the bot never touched those members.
    touched = {r.path for r in gk_emulator.requests if r.method == "PATCH" and "/members/" in r.path}
    assert not any(str(m.id) in path for m in quiet for path in touched)
