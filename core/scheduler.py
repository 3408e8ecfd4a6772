"""The durable scheduler: work stored as rows, claimed with a lease, run once per occurrence.

Plugins declare job kinds (``Plugin.jobs``) and schedule them with ``runtime.scheduler.schedule``.
A handler gets a :class:`JobContext` whose ``nonce()`` is stable per occurrence: messages sent with
it and ``enforce_nonce=True`` cannot be posted twice, even when a crash after sending makes the
job run again. Several bot processes can share one database: on PostgreSQL due jobs are claimed
with ``FOR UPDATE SKIP LOCKED``, on SQLite with a compare-and-set update.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
import traceback
import zoneinfo
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from croniter import croniter
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from guildkit.core import clock
from guildkit.core.errors import report_unexpected
from guildkit.core.models import ScheduledJob

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.scheduler")
CORE = "core"
#: Lease of a job whose kind this process does not know (it only hands it back).
UNKNOWN_KIND_LEASE = timedelta(minutes=2)


def shard_anchor(shard_id: int) -> int:
    """The guild_id a per-shard job is stored with (see ``schedule_per_shard``): negative, so it
    is never a guild's, and ``-1 - guild_id`` is the shard."""
    return -1 - shard_id


def anchored_shard(guild_id: int | None) -> int | None:
    """The shard a per-shard job's guild_id stands for, or None for a real guild (or none)."""
    if guild_id is None or guild_id >= 0:
        return None
    return -1 - guild_id


@dataclass(frozen=True)
class JobKind:
    """A kind of job and how to run it. Declare them in ``Plugin.jobs``."""

    name: str
    handler: Callable[[JobContext], Awaitable[None]]
    #: An occurrence found later than this (the bot was down) is skipped; None runs it late.
    skip_if_late: timedelta | None = None
    max_attempts: int = 5
    #: Retry n waits retry_backoff * 2**(n-1).
    retry_backoff: timedelta = timedelta(seconds=30)
    #: How long a claim lasts. A handler still running after it may be run again elsewhere.
    lease: timedelta = timedelta(minutes=2)
    #: Run only in the process that owns the job's guild's shard (``Runtime.owns_guild``): for
    #: work that reads what only that process's gateway sees (voice states, the guild cache).
    #: Jobs without a guild run anywhere. With one process every guild is owned.
    shard_local: bool = False


@dataclass
class JobContext:
    runtime: Runtime
    job_id: int
    plugin: str
    kind: str
    guild_id: int | None
    payload: dict[str, Any]
    due_at: datetime
    occurrence: int
    attempt: int
    #: For a job scheduled with ``schedule_per_shard``: the shard it serves (guild_id is None).
    shard: int | None = None

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt of this occurrence, different for the next occurrence."""
        return f"{self.plugin}:{self.kind}:{self.job_id}:{self.occurrence}"

    def nonce(self, index: int = 0) -> str:
        """A Discord message nonce (at most 25 characters) for message ``index`` of this occurrence."""
        return f"gk{self.job_id}.{self.occurrence}.{index}"[:25]


def parse_recurrence(every: timedelta | None, cron: str | None, tz: str) -> str | None:
    if every is not None and cron is not None:
        raise ValueError("give every= or cron=, not both")
    if every is not None:
        if every <= timedelta():
            raise ValueError("every= must be positive")
        return f"every:{int(every.total_seconds())}"
    if cron is not None:
        zoneinfo.ZoneInfo(tz)  # raises for an unknown zone
        if not croniter.is_valid(cron):
            raise ValueError(f"not a cron expression: {cron!r}")
        return f"cron:{cron}@{tz}"
    return None


def next_occurrence(recurrence: str, after: datetime) -> datetime:
    """The first occurrence strictly after ``after`` (so missed occurrences collapse into one)."""
    kind, _, spec = recurrence.partition(":")
    if kind == "every":
        return after + timedelta(seconds=int(spec))
    expression, _, tz = spec.rpartition("@")
    local = after.astimezone(zoneinfo.ZoneInfo(tz))
    # croniter walks wall-clock time in the zone, so "09:00 daily" stays 09:00 across DST.
    return croniter(expression, local).get_next(datetime).astimezone(after.tzinfo)


@dataclass
class Scheduler:
    runtime: Runtime
    poll_interval: float = 2.0
    batch_size: int = 50
    concurrency: int = 10
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}")
    kinds: dict[tuple[str, str], JobKind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._stopping = False

    # -- declaring and scheduling ---------------------------------------------------------

    def register(self, plugin: str, kind: JobKind) -> None:
        if (plugin, kind.name) in self.kinds:
            raise ValueError(f"job kind {plugin}.{kind.name} is registered twice")
        self.kinds[(plugin, kind.name)] = kind

    async def schedule(
        self,
        plugin: str,
        kind: str,
        due: datetime | None = None,
        *,
        guild_id: int | None = None,
        payload: dict[str, Any] | None = None,
        key: str | None = None,
        every: timedelta | None = None,
        cron: str | None = None,
        tz: str = "UTC",
    ) -> ScheduledJob:
        """Store a job. With ``key``, scheduling again returns the existing job instead."""
        if (plugin, kind) not in self.kinds:
            raise KeyError(f"no job kind {plugin}.{kind}; declare it in the plugin's jobs")
        recurrence = parse_recurrence(every, cron, tz)
        now = clock.now()
        if due is None:
            due = next_occurrence(recurrence, now) if recurrence and cron else now
        if due.tzinfo is None:
            raise ValueError("due must be timezone-aware")
        if key is not None and (existing := await ScheduledJob.get_or_none(key=key)) is not None:
            return existing
        try:
            job = await ScheduledJob.create(
                plugin=plugin,
                kind=kind,
                guild_id=guild_id,
                payload=json.dumps(payload or {}),
                due_at=due,
                key=key,
                recurrence=recurrence,
                created_at=now,
            )
        except IntegrityError:
            if key is None:
                raise
            return await ScheduledJob.get(key=key)  # scheduled concurrently with the same key
        if due <= now + timedelta(seconds=self.poll_interval):
            self.wake()
        return job

    async def schedule_per_shard(
        self,
        plugin: str,
        kind: str,
        total_shards: int,
        *,
        every: timedelta | None = None,
        cron: str | None = None,
        tz: str = "UTC",
    ) -> list[ScheduledJob]:
        """One recurring job per shard of a ``shard_local`` kind, each run by the process that
        owns its shard (``JobContext.shard``): for work over what only that process's gateway
        sees, such as the voice states of all its guilds. Idempotent; after a change of the shard
        count the jobs of the old count are removed."""
        found = self.kinds.get((plugin, kind))
        if found is None or not found.shard_local:
            raise ValueError(f"{plugin}.{kind} must be declared with shard_local=True to run per shard")
        prefix = f"{plugin}:{kind}:shard:"
        await ScheduledJob.filter(key__startswith=prefix).exclude(key__endswith=f"/{total_shards}").delete()
        return [
            await self.schedule(
                plugin,
                kind,
                guild_id=shard_anchor(shard_id),
                key=f"{prefix}{shard_id}/{total_shards}",
                every=every,
                cron=cron,
                tz=tz,
            )
            for shard_id in range(total_shards)
        ]

    async def cancel(self, *, job_id: int | None = None, key: str | None = None) -> bool:
        query = ScheduledJob.filter(status__in=("pending", "held"))
        query = query.filter(id=job_id) if job_id is not None else query.filter(key=key)
        return bool(await query.delete())

    async def release(self, guild_id: int, plugin: str) -> int:
        """Jobs held while ``plugin`` was off in ``guild_id`` become due again."""
        released = await ScheduledJob.filter(guild_id=guild_id, plugin=plugin, status="held").update(status="pending")
        if released:
            self.wake()
        return released

    def wake(self) -> None:
        self._wake.set()

    # -- running ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._loop_task is None:
            self._stopping = False
            self._loop_task = asyncio.create_task(self._loop(), name="guildkit-scheduler")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming; wait up to ``grace`` seconds for jobs already running."""
        self._stopping = True
        self.wake()
        task, self._loop_task = self._loop_task, None
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
        if self._running:
            await asyncio.wait(set(self._running), timeout=grace)

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                claimed = await self.run_due()
            except Exception as error:
                report_unexpected(error, "the scheduler loop")
                claimed = 0
            if claimed >= self.batch_size:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=await self._sleep_seconds(claimed))

    async def _sleep_seconds(self, claimed: int = 0) -> float:
        first = await ScheduledJob.filter(status="pending").order_by("due_at").first().values_list("due_at", flat=True)
        if first is None:
            return self.poll_interval
        until = (first - clock.now()).total_seconds()
        if until <= 0 and claimed == 0:
            # Due but not ours to claim (another shard's, or a kind this process lacks): poll.
            return self.poll_interval
        return max(0.0, min(self.poll_interval, until))

    async def run_due(self) -> int:
        """Claim the due jobs (up to a batch) and run them; returns how many were claimed."""
        claimed_at = clock.now()
        jobs = await self._claim(self.batch_size)
        if not jobs:
            return 0
        limit = asyncio.Semaphore(self.concurrency)

        async def guarded(job: ScheduledJob) -> None:
            async with limit:
                await self._run(job, claimed_at)

        tasks = [asyncio.create_task(guarded(job), name=f"guildkit-job-{job.id}") for job in jobs]
        self._running.update(tasks)
        try:
            await asyncio.gather(*tasks)
        finally:
            self._running.difference_update(tasks)
        return len(jobs)

    def _foreign_shard_filter(self) -> tuple[str, list[Any]] | None:
        """SQL (PostgreSQL, parameters from $7) excluding shard-local jobs of guilds on shards this
        process does not own; None when there is nothing to exclude."""
        owned = self.runtime.owned_shards()
        local = [f"{plugin}:{name}" for (plugin, name), kind in self.kinds.items() if kind.shard_local]
        if owned is None or not local:
            return None
        total, shard_ids = owned
        sql = (
            " AND NOT (guild_id IS NOT NULL AND (plugin || ':' || kind) = ANY($7::text[]) "
            "AND (CASE WHEN guild_id < 0 THEN -1 - guild_id ELSE (guild_id >> 22) % $8 END) <> ALL($9::bigint[]))"
        )
        return sql, [local, total, shard_ids]

    def _claimable_here(self, plugin: str, kind: str, guild_id: int | None) -> bool:
        found = self.kinds.get((plugin, kind))
        if found is None or not found.shard_local or guild_id is None:
            return True
        shard = anchored_shard(guild_id)
        return self.runtime.owns_guild(guild_id) if shard is None else self.runtime.owns_shard(shard)

    def _lease(self, plugin: str, kind: str) -> timedelta:
        found = self.kinds.get((plugin, kind))
        return found.lease if found is not None else UNKNOWN_KIND_LEASE

    async def _claim(self, limit: int) -> list[ScheduledJob]:
        # Each job is claimed with its own kind's lease in the claiming statement itself: a process
        # killed right after claiming must not hold short jobs for the longest lease of all kinds.
        now = clock.now()
        if self.runtime.database.dialect == "postgres":
            conn = self.runtime.db_connection()
            foreign = self._foreign_shard_filter()
            exclude, extra = foreign if foreign is not None else ("", [])
            keys = [f"{plugin}:{name}" for plugin, name in self.kinds]
            seconds = [kind.lease.total_seconds() for kind in self.kinds.values()]
            # execute_query_dict: Tortoise's execute_query drops the rows of UPDATE ... RETURNING.
            rows = await conn.execute_query_dict(
                "UPDATE gk_job SET status = 'running', lease_owner = $1, attempts = attempts + 1, "
                "lease_until = $3 + make_interval(secs => COALESCE("
                "($5::float8[])[array_position($2::text[], plugin || ':' || kind)], $6)) "
                "WHERE id IN (SELECT id FROM gk_job WHERE ((status = 'pending' AND due_at <= $3) "
                f"OR (status = 'running' AND lease_until < $3)){exclude} "
                "ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) "
                "RETURNING id",
                [self.owner, keys, now, limit, seconds, UNKNOWN_KIND_LEASE.total_seconds(), *extra],
            )
            ids = [row["id"] for row in rows]
        else:
            due = Q(status="pending", due_at__lte=now) | Q(status="running", lease_until__lt=now)
            # SQLite serves one process, which owns every shard; the check matters only to a
            # runtime configured with bot.shard_ids that never started (tests, scripts).
            query = ScheduledJob.filter(due).order_by("due_at")
            found = await (query if self.runtime.owned_shards() is not None else query.limit(limit)).values_list(
                "id", "plugin", "kind", "guild_id"
            )
            ids = []
            for job_id, plugin, kind, guild_id in found:
                if len(ids) >= limit:
                    break
                if not self._claimable_here(plugin, kind, guild_id):
                    continue
                # Compare-and-set: another process that claimed it first makes this update a no-op.
                won = await ScheduledJob.filter(due, id=job_id).update(
                    status="running",
                    lease_owner=self.owner,
                    lease_until=now + self._lease(plugin, kind),
                    attempts=F("attempts") + 1,
                )
                if won:
                    ids.append(job_id)
        if not ids:
            return []
        return list(await ScheduledJob.filter(id__in=ids).order_by("due_at"))

    async def _still_ours(self, job: ScheduledJob, kind: JobKind, claimed_at: datetime) -> bool:
        """A job that waited for a free slot longer than a quarter of its lease gets a fresh lease
        before it starts, or is skipped if another process took it after the lease ran out: a
        batch is claimed at once but runs ``concurrency`` jobs at a time."""
        now = clock.now()
        if now - claimed_at < kind.lease / 4:
            return True
        # Still ours even if the lease ran out, as long as no other process has claimed it.
        renewed = await ScheduledJob.filter(id=job.id, lease_owner=self.owner, status="running").update(
            lease_until=now + kind.lease
        )
        return bool(renewed)

    async def _run(self, job: ScheduledJob, claimed_at: datetime | None = None) -> None:
        kind = self.kinds.get((job.plugin, job.kind))
        now = clock.now()
        if kind is None:
            # A plugin that is not loaded (any more): leave the job for a process that has it.
            await self._update(job, status="pending", lease_owner=None, lease_until=None, attempts=job.attempts - 1)
            return
        shard = anchored_shard(job.guild_id)
        gated = job.plugin != CORE and job.guild_id is not None and shard is None
        if gated and not await self.runtime.flags.is_enabled(job.guild_id, job.plugin):
            await self._update(job, status="held", lease_owner=None, lease_until=None, attempts=job.attempts - 1)
            return
        if kind.skip_if_late is not None and now - job.due_at > kind.skip_if_late:
            log.info("job %s (%s.%s) skipped: %s late", job.id, job.plugin, job.kind, now - job.due_at)
            await self._advance_or_finish(job, "skipped", now)
            return
        context = JobContext(
            runtime=self.runtime,
            job_id=job.id,
            plugin=job.plugin,
            kind=job.kind,
            guild_id=None if shard is not None else job.guild_id,
            shard=shard,
            payload=json.loads(job.payload),
            due_at=job.due_at,
            occurrence=job.occurrence,
            attempt=job.attempts,
        )
        if claimed_at is not None and not await self._still_ours(job, kind, claimed_at):
            log.info(
                "job %s (%s.%s): lease ran out before it started; left to its new owner", job.id, job.plugin, job.kind
            )
            return
        try:
            await kind.handler(context)
        except Exception as error:
            report_unexpected(error, f"job {job.id} ({job.plugin}.{job.kind})")
            text = "".join(traceback.format_exception_only(error)).strip()[:2000]
            if job.attempts >= kind.max_attempts:
                await self._update(
                    job,
                    status="failed",
                    last_error=text,
                    lease_owner=None,
                    lease_until=None,
                    finished_at=clock.now(),
                    key=None,
                )
            else:
                retry_at = clock.now() + kind.retry_backoff * (2 ** (job.attempts - 1))
                await self._update(
                    job, status="pending", due_at=retry_at, last_error=text, lease_owner=None, lease_until=None
                )
            return
        await self._advance_or_finish(job, "done", clock.now())

    async def _advance_or_finish(self, job: ScheduledJob, outcome: str, now: datetime) -> None:
        if job.recurrence:
            await self._update(
                job,
                status="pending",
                due_at=next_occurrence(job.recurrence, now),
                occurrence=job.occurrence + 1,
                attempts=0,
                last_error=None,
                lease_owner=None,
                lease_until=None,
            )
        else:
            # The key only dedupes scheduling; a finished job frees it for the next one.
            await self._update(job, status=outcome, lease_owner=None, lease_until=None, finished_at=now, key=None)

    async def _update(self, job: ScheduledJob, **changes: Any) -> None:
        # Only while we still hold the lease: after it expired another process may own the job.
        await ScheduledJob.filter(id=job.id, lease_owner=self.owner, status="running").update(**changes)
