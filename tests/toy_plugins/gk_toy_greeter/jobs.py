"""Toy scheduled jobs: an announcement posted with the job's nonce, and a run recorder."""

import os
from datetime import timedelta

from guildkit.core.scheduler import JobContext, JobKind

from .models import JobRun

#: Test switch: calls that raise this many times before succeeding.
failures_left: dict[int, int] = {}


async def announce(ctx: JobContext) -> None:
    await JobRun.create(job_id=ctx.job_id, occurrence=ctx.occurrence, owner=ctx.runtime.scheduler.owner)
    remaining = failures_left.get(ctx.job_id, 0)
    if remaining:
        failures_left[ctx.job_id] = remaining - 1
        raise RuntimeError("the announcement channel is on fire")
    client = ctx.runtime.client
    channel = await client.fetch_channel(ctx.payload["channel_id"])
    await channel.send(ctx.payload["text"], nonce=ctx.nonce(), enforce_nonce=True)
    if ctx.payload.get("crash_after_send") and os.environ.get("GK_TOY_ALLOW_CRASH"):
        os._exit(70)  # a real crash between sending and marking the job done


async def record(ctx: JobContext) -> None:
    await JobRun.create(job_id=ctx.job_id, occurrence=ctx.occurrence, owner=ctx.runtime.scheduler.owner)


KINDS = (
    JobKind("announce", announce, max_attempts=3, retry_backoff=timedelta(minutes=1), lease=timedelta(seconds=2)),
    JobKind("record", record),
    JobKind("fresh_only", record, skip_if_late=timedelta(hours=1)),
)
