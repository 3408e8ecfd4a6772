"""The durable scheduler on a real database: timing, retries, holds, late jobs, recurrence, leases."""

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import gk_toy_greeter.jobs as toy_jobs
import pytest
from gk_toy_greeter.models import JobRun
from tortoise.transactions import in_transaction

from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime
from guildkit.core.scheduler import JobContext, JobKind, RetryLater, Scheduler, next_occurrence
from guildkit.core.testing.harness import eventually

GUILD = 3030


async def runs(job_id: int) -> list[int]:
    return list(await JobRun.filter(job_id=job_id).order_by("id").values_list("occurrence", flat=True))


async def test_job_runs_once_when_due(runtime: Runtime, gk_clock) -> None:
    job = await runtime.scheduler.schedule("greeter", "record", gk_clock.now() + timedelta(hours=2))
    assert await runtime.scheduler.run_due() == 0
    gk_clock.advance(hours=2)
    assert await runtime.scheduler.run_due() == 1
    assert await runtime.scheduler.run_due() == 0
    assert await runs(job.id) == [0]
    assert (await ScheduledJob.get(id=job.id)).status == "done"


async def test_same_key_schedules_one_job(runtime: Runtime, gk_clock) -> None:
    first = await runtime.scheduler.schedule("greeter", "record", gk_clock.now(), key="welcome:1")
    second = await runtime.scheduler.schedule("greeter", "record", gk_clock.now(), key="welcome:1")
    assert first.id == second.id
    assert await ScheduledJob.filter(key="welcome:1").count() == 1


async def test_unknown_kind_is_refused(runtime: Runtime) -> None:
    with pytest.raises(KeyError, match=r"no job kind greeter\.nap"):
        await runtime.scheduler.schedule("greeter", "nap")


async def test_failures_retry_with_backoff_then_fail_with_the_error_kept(runtime: Runtime, gk_clock) -> None:
    await runtime.set_plugin_enabled(GUILD, "greeter", True, None)
    job = await runtime.scheduler.schedule("greeter", "announce", gk_clock.now(), guild_id=GUILD, payload={})
    toy_jobs.failures_left[job.id] = 99
    await runtime.scheduler.run_due()
    row = await ScheduledJob.get(id=job.id)
    assert (row.status, row.attempts, row.due_at) == ("pending", 1, gk_clock.now() + timedelta(minutes=1))
    gk_clock.advance(minutes=1)
    await runtime.scheduler.run_due()
    row = await ScheduledJob.get(id=job.id)
    assert (row.status, row.due_at) == ("pending", gk_clock.now() + timedelta(minutes=2))  # doubled
    gk_clock.advance(minutes=2)
    await runtime.scheduler.run_due()
    row = await ScheduledJob.get(id=job.id)
    assert row.status == "failed" and row.attempts == 3
    assert "the announcement channel is on fire" in row.last_error
    assert len(await runs(job.id)) == 3


async def test_job_of_a_disabled_plugin_is_held_then_released(runtime: Runtime, gk_clock) -> None:
    job = await runtime.scheduler.schedule("greeter", "record", gk_clock.now(), guild_id=GUILD)
    await runtime.scheduler.run_due()
    assert (await ScheduledJob.get(id=job.id)).status == "held"
    assert await runs(job.id) == []
    await runtime.set_plugin_enabled(GUILD, "greeter", True, None)
    await runtime.scheduler.run_due()
    assert await runs(job.id) == [0]


async def test_too_late_occurrence_is_skipped(runtime: Runtime, gk_clock) -> None:
    job = await runtime.scheduler.schedule("greeter", "fresh_only", gk_clock.now() - timedelta(hours=3))
    await runtime.scheduler.run_due()
    assert (await ScheduledJob.get(id=job.id)).status == "skipped"
    assert await runs(job.id) == []


async def test_recurring_job_runs_once_for_all_missed_occurrences(runtime: Runtime, gk_clock) -> None:
    start = gk_clock.now()
    job = await runtime.scheduler.schedule("greeter", "record", start, every=timedelta(days=1))
    gk_clock.advance(days=3, hours=1)  # the bot was down for three occurrences
    await runtime.scheduler.run_due()
    await runtime.scheduler.run_due()
    assert await runs(job.id) == [0]
    row = await ScheduledJob.get(id=job.id)
    assert (row.status, row.occurrence, row.due_at) == ("pending", 1, gk_clock.now() + timedelta(days=1))


def test_cron_in_a_zone_keeps_local_time_across_dst() -> None:
    # 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
    before_switch = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # clocks go forward on 29 March
    first = next_occurrence("cron:0 9 * * *@Europe/Berlin", before_switch)
    second = next_occurrence("cron:0 9 * * *@Europe/Berlin", first)
    assert (first.hour, second.hour) == (8, 7)
    assert first.tzinfo is not None


async def test_expired_lease_lets_another_process_take_over(runtime: Runtime, gk_clock) -> None:
    job = await runtime.scheduler.schedule("greeter", "record", gk_clock.now())
    crashed = Scheduler(runtime, owner="crashed-process")
    claimed = await crashed._claim(10)  # claimed, then the process died before running it
    assert [j.id for j in claimed] == [job.id]
    assert await runtime.scheduler.run_due() == 0  # the lease still holds
    gk_clock.advance(minutes=3)
    assert await runtime.scheduler.run_due() == 1
    assert await runs(job.id) == [0]
    assert (await ScheduledJob.get(id=job.id)).status == "done"


async def test_cancel_removes_pending_work(runtime: Runtime, gk_clock) -> None:
    job = await runtime.scheduler.schedule("greeter", "record", gk_clock.now() + timedelta(minutes=5), key="k")
    assert await runtime.scheduler.cancel(key="k")
    gk_clock.advance(minutes=5)
    assert await runtime.scheduler.run_due() == 0
    assert await ScheduledJob.filter(id=job.id).count() == 0


async def test_the_loop_runs_up_to_the_configured_concurrency_and_claims_as_slots_free(
    gk_database_url, gk_plugins, gk_clock
) -> None:
    config = parse_config({"database": {"url": gk_database_url}, "scheduler": {"concurrency": 4, "poll_seconds": 0.05}})
    runtime = Runtime(config, extra_plugins=gk_plugins)
    await runtime.open_database()
    running = peak = 0
    ran: list[int] = []

    async def slow(ctx: JobContext) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= 1
        ran.append(ctx.job_id)

    runtime.scheduler.register("greeter", JobKind("slow", slow))
    try:
        now = gk_clock.now()
        await ScheduledJob.bulk_create(
            [ScheduledJob(plugin="greeter", kind="slow", payload="{}", due_at=now, created_at=now) for _ in range(40)]
        )
        runtime.scheduler.start()

        async def all_done() -> bool:
            return await ScheduledJob.filter(kind="slow", status="done").count() == 40

        await eventually(all_done, within=30)
        await runtime.scheduler.stop()
        assert peak == 4  # four at a time, never more
        assert len(ran) == len(set(ran)) == 40  # each job once
    finally:
        await runtime.scheduler.stop()
        await runtime.close_database()


async def test_a_job_scheduled_while_the_loop_reads_the_database_runs_at_once(
    gk_database_url, gk_plugins, gk_clock
) -> None:
    """The loop's wake is not lost: a job scheduled while the loop is between its claim and its
    sleep (awaiting the database) runs now, not after a poll interval (here two minutes)."""
    config = parse_config({"database": {"url": gk_database_url}, "scheduler": {"poll_seconds": 120}})
    runtime = Runtime(config, extra_plugins=gk_plugins)
    await runtime.open_database()
    ran: list[int] = []

    async def record(ctx: JobContext) -> None:
        ran.append(ctx.job_id)

    runtime.scheduler.register("greeter", JobKind("quick", record))
    scheduler = runtime.scheduler
    computing = asyncio.Event()
    proceed = asyncio.Event()
    sleep_seconds = scheduler._sleep_seconds

    async def slow_database(claimed: int = 0) -> float:  # the loop awaits the database here
        computing.set()
        await proceed.wait()
        return await sleep_seconds(claimed)

    scheduler._sleep_seconds = slow_database  # type: ignore[method-assign]
    try:
        scheduler.start()
        await asyncio.wait_for(computing.wait(), timeout=10)
        job = await scheduler.schedule("greeter", "quick")  # due now: wakes the loop
        proceed.set()

        async def done() -> bool:
            return job.id in ran

        await eventually(done, within=10)
    finally:
        await scheduler.stop()
        await runtime.close_database()


async def test_shard_local_jobs_run_only_where_the_guilds_shard_is_owned(gk_database_url: str, gk_clock) -> None:
    """A process owning shard 0 of 2 claims shard-local work of shard-0 guilds only; other work
    (no guild, or not shard-local) runs wherever it is claimed."""
    from dataclasses import replace

    import gk_toy_tally
    from gk_toy_tally.models import TallyRun

    from guildkit.core.config import parse_config

    tally = replace(gk_toy_tally.plugin, module="gk_toy_tally", origin="test")
    on_shard = {shard: (shard << 22) | 777 for shard in range(2)}  # (id >> 22) % 2 == shard
    config = parse_config({"database": {"url": gk_database_url}, "bot": {"shards": 2, "shard_ids": [0]}})
    shard_zero = Runtime(config, extra_plugins=[tally])
    await shard_zero.open_database()
    try:
        local = {
            shard: await shard_zero.scheduler.schedule("tally", "local", gk_clock.now(), guild_id=guild_id)
            for shard, guild_id in on_shard.items()
        }
        anywhere = await shard_zero.scheduler.schedule("tally", "work", gk_clock.now(), guild_id=on_shard[1])
        guildless = await shard_zero.scheduler.schedule("tally", "local", gk_clock.now())
        assert await shard_zero.scheduler.run_due() == 3
        assert await shard_zero.scheduler.run_due() == 0  # shard 1's job is not ours to claim
        ran = set(await TallyRun.all().values_list("job_id", flat=True))
        assert ran == {local[0].id, anywhere.id, guildless.id}
        assert (await ScheduledJob.get(id=local[1].id)).status == "pending"
        # Its lease long expired, the job is still not claimed here: it waits for shard 1's process.
        gk_clock.advance(minutes=10)
        assert await shard_zero.scheduler.run_due() == 0
    finally:
        await shard_zero.close_database()

    everything = Runtime(parse_config({"database": {"url": gk_database_url}}), extra_plugins=[tally])
    await everything.open_database(migrate=False)
    try:
        assert await everything.scheduler.run_due() == 1  # one process owns every shard
        assert await TallyRun.filter(job_id=local[1].id).count() == 1
    finally:
        await everything.close_database()


async def test_per_shard_jobs_run_where_their_shard_is_owned(gk_database_url: str, gk_clock) -> None:
    """``schedule_per_shard`` makes one job per shard, each claimed only by the process owning
    that shard and told which shard it serves; rescheduling with a new count replaces them."""
    from dataclasses import replace

    import gk_toy_tally
    from gk_toy_tally.models import TallyRun

    from guildkit.core.config import parse_config

    tally = replace(gk_toy_tally.plugin, module="gk_toy_tally", origin="test")
    config = parse_config({"database": {"url": gk_database_url}, "bot": {"shards": 3, "shard_ids": [2]}})
    shard_two = Runtime(config, extra_plugins=[tally])
    await shard_two.open_database()
    try:
        jobs = await shard_two.scheduler.schedule_per_shard("tally", "local", 3, every=timedelta(minutes=1))
        again = await shard_two.scheduler.schedule_per_shard("tally", "local", 3, every=timedelta(minutes=1))
        assert [j.id for j in jobs] == [j.id for j in again]
        with pytest.raises(ValueError, match="shard_local=True"):
            await shard_two.scheduler.schedule_per_shard("tally", "work", 3, every=timedelta(minutes=1))
        gk_clock.advance(minutes=1)
        assert await shard_two.scheduler.run_due() == 1  # shard 2's, though the tally flag is no guild's
        assert await TallyRun.all().values_list("job_id", "guild_id") == [(jobs[2].id, None)]
        await shard_two.scheduler.schedule_per_shard("tally", "local", 2, every=timedelta(minutes=1))
        assert sorted(await ScheduledJob.filter(kind="local").values_list("key", flat=True)) == [
            "tally:local:shard:0/2",
            "tally:local:shard:1/2",
        ]
    finally:
        await shard_two.close_database()


async def test_a_job_that_must_wait_runs_again_then_without_spending_attempts(runtime: Runtime, gk_clock) -> None:
    tries: list[datetime] = []

    async def wait_for_tomorrow(ctx: JobContext) -> None:
        tries.append(gk_clock.now())
        if len(tries) <= 6:  # more waits than max_attempts allows failures
            raise RetryLater(gk_clock.now() + timedelta(days=1), "the quota is used up today")

    runtime.scheduler.register("greeter", JobKind("quota_bound", wait_for_tomorrow, max_attempts=2))
    job = await runtime.scheduler.schedule("greeter", "quota_bound", gk_clock.now())
    for _ in range(6):
        await runtime.scheduler.run_due()
        row = await ScheduledJob.get(id=job.id)
        assert (row.status, row.attempts) == ("pending", 0)
        assert row.due_at == gk_clock.now() + timedelta(days=1)
        assert row.last_error == "the quota is used up today"
        assert await runtime.scheduler.run_due() == 0  # not before it is due
        gk_clock.advance(days=1)
    await runtime.scheduler.run_due()
    assert (await ScheduledJob.get(id=job.id)).status == "done"
    assert len(tries) == 7


async def test_a_job_scheduled_in_a_rolled_back_transaction_is_not_stored(runtime: Runtime, gk_clock) -> None:
    """A side effect stored with its change: if the change rolls back, so does its job."""
    with contextlib.suppress(RuntimeError):
        async with in_transaction() as connection:
            await runtime.scheduler.schedule("greeter", "record", gk_clock.now(), key="undone", using_db=connection)
            raise RuntimeError("the change failed")
    assert await ScheduledJob.filter(key="undone").count() == 0
    async with in_transaction() as connection:
        await runtime.scheduler.schedule("greeter", "record", gk_clock.now(), key="kept", using_db=connection)
    assert await ScheduledJob.filter(key="kept").count() == 1
    assert await runtime.scheduler.run_due() == 1


async def test_a_batch_handler_gets_the_due_jobs_of_its_kind_together_and_each_end_is_recorded(
    runtime: Runtime, gk_clock
) -> None:
    calls: list[list[int]] = []
    alone: list[int] = []

    async def one(ctx: JobContext) -> None:
        alone.append(ctx.job_id)

    async def many(contexts: list[JobContext]) -> list[BaseException | None]:
        calls.append([ctx.job_id for ctx in contexts])
        ends: list[BaseException | None] = []
        for ctx in contexts:
            match ctx.payload["end"]:
                case "ok":
                    ends.append(None)
                case "wait":
                    ends.append(RetryLater(gk_clock.now() + timedelta(hours=1), "not yet"))
                case _:
                    ends.append(RuntimeError("the send failed"))
        return ends

    runtime.scheduler.register("greeter", JobKind("batched", one, batch_handler=many))
    now = gk_clock.now()
    jobs = {
        end: [await runtime.scheduler.schedule("greeter", "batched", now, payload={"end": end}) for _ in range(3)]
        for end in ("ok", "wait", "fail")
    }
    later = await runtime.scheduler.schedule("greeter", "batched", now + timedelta(hours=2), payload={"end": "ok"})
    other = await runtime.scheduler.schedule("greeter", "record", now)
    assert await runtime.scheduler.run_due() == 10
    assert len(calls) == 1 and sorted(calls[0]) == sorted(j.id for group in jobs.values() for j in group)
    assert alone == [] and await runs(other.id) == [0]  # another kind still runs on its own
    rows = {row.id: row for row in await ScheduledJob.all()}
    assert {rows[j.id].status for j in jobs["ok"]} == {"done"}
    waiting = [rows[j.id] for j in jobs["wait"]]
    assert {(r.status, r.attempts, r.due_at) for r in waiting} == {("pending", 0, now + timedelta(hours=1))}
    failed = [rows[j.id] for j in jobs["fail"]]
    assert {(r.status, r.attempts) for r in failed} == {("pending", 1)}
    assert all("the send failed" in r.last_error for r in failed)
    assert rows[later.id].status == "pending"  # not due: not in the batch
    gk_clock.advance(hours=2)
    assert await runtime.scheduler.run_due() == 7  # the waiting, the failed (backoff passed), the later
    assert len(calls) == 2 and later.id in calls[1]


async def test_the_loop_counts_each_job_of_a_batch_against_the_concurrency(
    gk_database_url, gk_plugins, gk_clock
) -> None:
    config = parse_config({"database": {"url": gk_database_url}, "scheduler": {"concurrency": 4, "poll_seconds": 0.05}})
    runtime = Runtime(config, extra_plugins=gk_plugins)
    await runtime.open_database()
    running = peak = 0
    ran: list[int] = []

    async def one(ctx: JobContext) -> None:
        raise AssertionError("the loop hands this kind's jobs to the batch handler")

    async def many(contexts: list[JobContext]) -> list[BaseException | None]:
        nonlocal running, peak
        running += len(contexts)
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= len(contexts)
        ran.extend(ctx.job_id for ctx in contexts)
        return [None] * len(contexts)

    runtime.scheduler.register("greeter", JobKind("slow_batch", one, batch_handler=many))
    try:
        now = gk_clock.now()
        await ScheduledJob.bulk_create(
            [
                ScheduledJob(plugin="greeter", kind="slow_batch", payload="{}", due_at=now, created_at=now)
                for _ in range(40)
            ]
        )
        runtime.scheduler.start()

        async def all_done() -> bool:
            return await ScheduledJob.filter(kind="slow_batch", status="done").count() == 40

        await eventually(all_done, within=30)
        await runtime.scheduler.stop()
        assert peak == 4  # four jobs at a time in all batches together, never more
        assert len(ran) == len(set(ran)) == 40
    finally:
        await runtime.scheduler.stop()
        await runtime.close_database()
