"""The durable scheduler: work stored as rows, claimed with a lease, run once per occurrence.

Plugins declare job kinds (``Plugin.jobs``) and schedule them with ``runtime.scheduler.schedule``.
A handler gets a :class:`JobContext` whose ``nonce()`` is stable per occurrence: messages sent with
it and ``enforce_nonce=True`` cannot be posted twice, even when a crash after sending makes the
job run again. Several bot processes can share one database: due jobs are claimed in batches, one
``UPDATE ... RETURNING`` each, with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL and as a
compare-and-set on SQLite. Up to ``concurrency`` jobs run at once; the loop claims as many as there
are free slots, so a claimed job starts at once and its lease is not spent waiting. Jobs that end
are marked done or skipped in batches too.
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
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from guildkit.core import clock
from guildkit.core.errors import report_unexpected
from guildkit.core.models import ScheduledJob
from guildkit.core.outage import is_database_outage

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
    #: Optional: runs all the jobs of this kind claimed together in one call, so that their reads
    #: and writes can be one statement each instead of one per job. Gets the contexts (in due
    #: order) and returns, in the same order, None for each job that succeeded or the exception
    #: it ended with (``RetryLater`` included), which the scheduler records as it would from
    #: ``handler``. ``handler`` is still required: it is the same work for one job.
    batch_handler: Callable[[list[JobContext]], Awaitable[list[BaseException | None]]] | None = None


class RetryLater(Exception):
    """Raised by a handler that cannot do its work yet: run it again at ``at``.

    Not a failure: no attempt is spent and nothing is reported, so a job can wait for a quota
    or a time of day for as long as it takes.
    """

    def __init__(self, at: datetime, reason: str) -> None:
        super().__init__(reason)
        self.at = at
        self.reason = reason


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
    concurrency: int = 50
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}")
    kinds: dict[tuple[str, str], JobKind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._wake = asyncio.Event()
        #: Set when a job ends, so a scheduler at its concurrency limit claims again.
        self._slot_freed = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()
        #: Jobs each running task carries (a batch task carries several): free slots count jobs.
        self._carried: dict[asyncio.Task[None], int] = {}
        self._stopping = False
        #: Jobs that ended (id -> outcome, finished at), marked in the database in batches.
        self._finished: dict[int, tuple[str, datetime]] = {}
        self._flush_task: asyncio.Task[None] | None = None
        #: Held by the loop from a claim until its jobs' tasks exist, so run_due sees them.
        self._claiming = asyncio.Lock()

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
        using_db: BaseDBAsyncClient | None = None,
    ) -> ScheduledJob:
        """Store a job. With ``key``, scheduling again returns the existing job instead.

        ``using_db``: a transaction (``in_transaction()``) to store the job in, so a side effect
        that follows a change is stored with it or not at all. A key already taken inside a
        transaction raises IntegrityError instead of returning the other job: on PostgreSQL the
        failed insert has already aborted the transaction. The scheduler cannot see the job
        before the commit, so for a job due now call :meth:`wake` after it (a wake before it
        finds nothing and the job waits a poll interval)."""
        if (plugin, kind) not in self.kinds:
            raise KeyError(f"no job kind {plugin}.{kind}; declare it in the plugin's jobs")
        recurrence = parse_recurrence(every, cron, tz)
        now = clock.now()
        if due is None:
            due = next_occurrence(recurrence, now) if recurrence and cron else now
        if due.tzinfo is None:
            raise ValueError("due must be timezone-aware")
        if key is not None and (existing := await ScheduledJob.get_or_none(key=key, using_db=using_db)) is not None:
            return existing
        try:
            job = await ScheduledJob.create(
                using_db=using_db,
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
            if key is None or using_db is not None:
                raise
            return await ScheduledJob.get(key=key)  # scheduled concurrently with the same key
        if using_db is None and due <= now + timedelta(seconds=self.poll_interval):
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

    async def edit_payloads(
        self, plugin: str, kind: str, edit: Callable[[dict[str, Any]], dict[str, Any] | None]
    ) -> int:
        """Rewrite the payloads of ``plugin``'s ``kind`` jobs that have not run yet (pending or
        held): ``edit`` returns the payload unchanged, a new one, or None to cancel the job. For
        privacy deletions: a member's id must not wait in a job after they asked to be forgotten.
        Returns how many jobs changed."""
        changed = 0
        jobs = await ScheduledJob.filter(plugin=plugin, kind=kind, status__in=("pending", "held")).values_list(
            "id", "payload"
        )
        for job_id, raw in jobs:
            payload = json.loads(raw or "{}")
            edited = edit(payload)
            if edited is None:
                changed += await ScheduledJob.filter(id=job_id, status__in=("pending", "held")).delete()
            elif edited != payload:
                changed += await ScheduledJob.filter(id=job_id, status__in=("pending", "held")).update(
                    payload=json.dumps(edited)
                )
        return changed

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
        self._slot_freed.set()  # a loop waiting for a free slot sees the stop now
        task, self._loop_task = self._loop_task, None
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
        if self._running:
            await asyncio.wait(set(self._running), timeout=grace)
        await self._drain_finished()

    async def _loop(self) -> None:
        # Keeps up to ``concurrency`` jobs running: claims as many as there are free slots (one
        # statement per batch), starts them at once, and claims again as slots free up.
        refill = max(1, self.concurrency // 4)
        while not self._stopping:
            free = self.concurrency - self._busy()
            wanted = min(free, self.batch_size)
            if wanted <= 0:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            # Cleared before the claim, not after it: a job scheduled (and its wake) while the
            # claim or the sleep computation awaits the database is claimed at once, not after a
            # whole poll interval.
            self._wake.clear()
            try:
                async with self._claiming:
                    claimed = len(self._start(await self._claim(wanted)))
                more = claimed == wanted  # maybe more are due
                sleep = 0.0 if more else await self._sleep_seconds(claimed)
            except Exception as error:
                if is_database_outage(error):  # counted by the outage monitor, no traceback
                    self.runtime.outage.record(error, "the scheduler", command=False)
                else:
                    report_unexpected(error, "the scheduler loop")
                more, sleep = False, self.poll_interval
            if more:
                # Claim again once enough slots are free for a batch.
                if self.concurrency - self._busy() < refill:
                    self._slot_freed.clear()
                    await self._slot_freed.wait()
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=sleep)

    def _busy(self) -> int:
        """Jobs running now (a batch counts each of its jobs)."""
        return sum(self._carried.get(task, 1) for task in self._running)

    def _work(
        self, jobs: list[ScheduledJob], claimed_at: datetime | None = None
    ) -> list[tuple[str, int, Awaitable[None]]]:
        """(task name, jobs carried, coroutine) for claimed jobs: one per job, except that the
        jobs of a kind with a ``batch_handler`` run together."""
        work: list[tuple[str, int, Awaitable[None]]] = []
        batches: dict[tuple[str, str], list[ScheduledJob]] = {}
        for job in jobs:
            kind = self.kinds.get((job.plugin, job.kind))
            if kind is not None and kind.batch_handler is not None:
                batches.setdefault((job.plugin, job.kind), []).append(job)
            else:
                work.append((f"guildkit-job-{job.id}", 1, self._run(job, claimed_at)))
        for group in batches.values():
            name = f"guildkit-jobs-{group[0].id}+{len(group) - 1}"
            work.append((name, len(group), self._run_batch(group, claimed_at)))
        return work

    def _start(self, jobs: list[ScheduledJob]) -> list[asyncio.Task[None]]:
        tasks = []
        for name, carried, coroutine in self._work(jobs):
            task = asyncio.create_task(coroutine, name=name)  # type: ignore[arg-type]
            self._carried[task] = carried
            tasks.append(task)
        self._running.update(tasks)
        for task in tasks:
            task.add_done_callback(self._job_ended)
        return tasks

    def _job_ended(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._carried.pop(task, None)
        self._slot_freed.set()
        if not task.cancelled() and (error := task.exception()) is not None:
            # _run reports handler errors itself; this is the scheduler's own bookkeeping failing.
            report_unexpected(error, f"the scheduler running {task.get_name()}")

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
        """Claim the due jobs (up to a batch), run them and record their ends; returns how many
        were claimed. Also waits for the jobs the loop of this process is running already, so
        that afterwards everything due when it was called has ended (or belongs to another
        process)."""
        claimed_at = clock.now()
        async with self._claiming:  # a claim of the loop in flight has started its tasks after this
            jobs = await self._claim(self.batch_size)
        started = self._running - {asyncio.current_task()}
        if started:
            await asyncio.wait(started)
        if not jobs:
            await self._drain_finished()
            return 0
        limit = asyncio.Semaphore(self.concurrency)

        async def guarded(work: Awaitable[None]) -> None:
            async with limit:
                await work

        tasks = [asyncio.create_task(guarded(work), name=name) for name, _, work in self._work(jobs, claimed_at)]
        self._running.update(tasks)
        try:
            await asyncio.gather(*tasks)
        finally:
            self._running.difference_update(tasks)
            await self._drain_finished()
        return len(jobs)

    def _claim_sql(self, postgres: bool, leases: list[Any]) -> tuple[str, list[Any]]:
        """One statement claiming up to a limit of due jobs (or jobs whose lease ran out), and
        its parameters after the first three.

        Parameters: owner, now, limit, then ``leases`` (each known kind's lease end as plugin,
        kind, until; then the lease end of a kind this process does not know), then the kinds of
        the shard filter."""

        def placeholder(n: int) -> str:
            return f"${n}" if postgres else f"?{n}"

        def stamp(n: int) -> str:
            return f"${n}::timestamptz" if postgres else f"?{n}"

        now = stamp(2)
        due = f"((status = 'pending' AND due_at <= {now}) OR (status = 'running' AND lease_until < {now}))"
        cases = " ".join(
            f"WHEN plugin = {placeholder(4 + i)} AND kind = {placeholder(5 + i)} THEN {stamp(6 + i)}"
            for i in range(0, len(leases) - 1, 3)
        )
        unknown = stamp(3 + len(leases))
        lease_until = f"CASE {cases} ELSE {unknown} END" if cases else unknown
        claim = (
            f"status = 'running', lease_owner = {placeholder(1)}, lease_until = {lease_until}, attempts = attempts + 1"
        )
        exclude, kinds = self._foreign_shard_filter(placeholder, 4 + len(leases))
        pick = f"SELECT id FROM gk_job WHERE {due}{exclude} ORDER BY due_at LIMIT {placeholder(3)}"
        params = [*leases, *kinds]
        if postgres:
            # SKIP LOCKED: concurrent claimers take disjoint rows instead of waiting on each other.
            # A materialized CTE picks once; as an IN (subquery) PostgreSQL may rescan it, and
            # each rescan skips to other rows, claiming more than the limit.
            return (
                f"WITH picked AS MATERIALIZED ({pick} FOR UPDATE SKIP LOCKED) "
                f"UPDATE gk_job SET {claim} FROM picked WHERE gk_job.id = picked.id RETURNING gk_job.*"
            ), params
        # One UPDATE is one write transaction on SQLite; repeating the due condition on the outer
        # rows makes it a compare-and-set even if another process wrote in between.
        return f"UPDATE gk_job SET {claim} WHERE id IN ({pick}) AND {due} RETURNING *", params

    def _foreign_shard_filter(self, placeholder: Callable[[int], str], first: int) -> tuple[str, list[Any]]:
        """SQL excluding shard-local jobs of guilds on shards this process does not own, with its
        parameters numbered from ``first``; empty when there is nothing to exclude."""
        owned = self.runtime.owned_shards()
        local = [f"{plugin}:{name}" for (plugin, name), kind in self.kinds.items() if kind.shard_local]
        if owned is None or not local:
            return "", []
        total, shard_ids = owned
        keys = ", ".join(placeholder(first + i) for i in range(len(local)))
        shard = f"(CASE WHEN guild_id < 0 THEN -1 - guild_id ELSE (guild_id >> 22) % {int(total)} END)"
        foreign = f"{shard} NOT IN ({', '.join(str(int(i)) for i in shard_ids)})" if shard_ids else "1 = 1"
        return f" AND NOT (guild_id IS NOT NULL AND (plugin || ':' || kind) IN ({keys}) AND {foreign})", local

    async def _claim(self, limit: int) -> list[ScheduledJob]:
        # Each job is claimed with its own kind's lease in the claiming statement itself: a process
        # killed right after claiming must not hold short jobs for the longest lease of all kinds.
        now = clock.now()
        leases: list[Any] = []
        for (plugin, name), kind in self.kinds.items():
            leases += [plugin, name, now + kind.lease]
        leases.append(now + UNKNOWN_KIND_LEASE)
        sql, params = self._claim_sql(self.runtime.database.dialect == "postgres", leases)
        # execute_query_dict: Tortoise's execute_query drops the rows of UPDATE ... RETURNING.
        rows = await self.runtime.db_connection().execute_query_dict(sql, [self.owner, now, limit, *params])
        jobs = [ScheduledJob._init_from_db(**row) for row in rows]
        jobs.sort(key=lambda job: job.due_at)
        return jobs

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
        if kind is None:
            # A plugin that is not loaded (any more): leave the job for a process that has it.
            await self._update(job, status="pending", lease_owner=None, lease_until=None, attempts=job.attempts - 1)
            return
        context = await self._prepare(job, kind, claimed_at)
        if context is None:
            return
        try:
            await kind.handler(context)
        except Exception as error:
            await self._record(job, kind, error)
            return
        await self._record(job, kind, None)

    async def _run_batch(self, jobs: list[ScheduledJob], claimed_at: datetime | None = None) -> None:
        """Jobs of one kind with a ``batch_handler``, run by one call of it."""
        kind = self.kinds[(jobs[0].plugin, jobs[0].kind)]
        assert kind.batch_handler is not None
        ready: list[tuple[ScheduledJob, JobContext]] = []
        for job in jobs:
            context = await self._prepare(job, kind, claimed_at)
            if context is not None:
                ready.append((job, context))
        if not ready:
            return
        try:
            ends = await kind.batch_handler([context for _, context in ready])
            if len(ends) != len(ready):
                raise RuntimeError(f"{kind.name}'s batch handler returned {len(ends)} ends for {len(ready)} jobs")
        except Exception as error:
            report_unexpected(error, f"jobs {jobs[0].id}+{len(jobs) - 1} ({jobs[0].plugin}.{kind.name})")
            ends = [error] * len(ready)
            for (job, _), end in zip(ready, ends, strict=True):
                await self._record(job, kind, end, reported=True)
            return
        for (job, _), end in zip(ready, ends, strict=True):
            await self._record(job, kind, end)

    async def _prepare(self, job: ScheduledJob, kind: JobKind, claimed_at: datetime | None) -> JobContext | None:
        """The job's context, or None when it is not to run now (held, skipped as too late, or
        taken by another process while it waited), which is then recorded already."""
        now = clock.now()
        shard = anchored_shard(job.guild_id)
        gated = job.plugin != CORE and job.guild_id is not None and shard is None
        if gated and not await self.runtime.flags.is_enabled(job.guild_id, job.plugin):
            await self._update(job, status="held", lease_owner=None, lease_until=None, attempts=job.attempts - 1)
            return None
        if kind.skip_if_late is not None and now - job.due_at > kind.skip_if_late:
            log.info("job %s (%s.%s) skipped: %s late", job.id, job.plugin, job.kind, now - job.due_at)
            await self._advance_or_finish(job, "skipped", now)
            return None
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
            return None
        return context

    async def _record(
        self, job: ScheduledJob, kind: JobKind, end: BaseException | None, reported: bool = False
    ) -> None:
        """Record how a job ended: None done (or its next occurrence), ``RetryLater`` due again
        later, another error retried with backoff or failed after ``max_attempts``."""
        if isinstance(end, RetryLater):
            wait = end
            log.info("job %s (%s.%s) waits until %s: %s", job.id, job.plugin, job.kind, wait.at, wait.reason)
            await self._update(
                job,
                status="pending",
                due_at=wait.at,
                last_error=wait.reason[:2000],
                attempts=job.attempts - 1,
                lease_owner=None,
                lease_until=None,
            )
            return
        if end is not None:
            error = end
            if not reported:
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
            self._finished[job.id] = (outcome, now)
            if self._flush_task is None or self._flush_task.done():
                self._flush_task = asyncio.create_task(self._flush_finished(), name="guildkit-scheduler-finish")

    async def _drain_finished(self) -> None:
        """Wait until every job that ended so far is recorded (a batch may be in flight)."""
        if self._flush_task is not None:
            await asyncio.gather(self._flush_task, return_exceptions=True)
        await self._flush_finished()

    async def _flush_finished(self) -> None:
        """Mark the jobs that ended as done or skipped, one statement per outcome for all of them.

        Ends that arrive while a batch is being written go into the next one, so under load each
        statement covers many jobs and an idle scheduler writes each end at once."""
        while self._finished:
            batch, self._finished = self._finished, {}
            try:
                for outcome in {outcome for outcome, _ in batch.values()}:
                    ids = [job_id for job_id, (done_as, _) in batch.items() if done_as == outcome]
                    finished_at = max(at for done_as, at in batch.values() if done_as == outcome)
                    # The key only dedupes scheduling; a finished job frees it for the next one.
                    # Only while we still hold the lease: after it expired another process may own it.
                    await ScheduledJob.filter(id__in=ids, lease_owner=self.owner, status="running").update(
                        status=outcome, lease_owner=None, lease_until=None, finished_at=finished_at, key=None
                    )
            except Exception as error:
                # The jobs stay running until their lease ends, then run again (the nonce keeps
                # their messages single).
                report_unexpected(error, "recording finished jobs")

    async def _update(self, job: ScheduledJob, **changes: Any) -> None:
        # Only while we still hold the lease: after it expired another process may own the job.
        await ScheduledJob.filter(id=job.id, lease_owner=self.owner, status="running").update(**changes)
