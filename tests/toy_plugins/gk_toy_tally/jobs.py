"""``work`` runs anywhere (optionally slowly); ``local`` only where the guild's shard is owned."""

import asyncio
from datetime import timedelta

from guildkit.core.scheduler import JobContext, JobKind

from .models import TallyRun


async def work(ctx: JobContext) -> None:
    await asyncio.sleep(float(ctx.payload.get("seconds", 0)))
    await TallyRun.create(job_id=ctx.job_id, guild_id=ctx.guild_id, owner=ctx.runtime.scheduler.owner)


KINDS = (
    JobKind("work", work, lease=timedelta(seconds=2), retry_backoff=timedelta(seconds=1)),
    JobKind("local", work, lease=timedelta(seconds=2), shard_local=True),
)
