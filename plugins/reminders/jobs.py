"""Scheduled work: delivering personal reminders (one job per occurrence) and watch rounds (one
recurring job per watch). Both send with the job occurrence's nonce: exactly once per occurrence,
also when a crash between sending and recording makes the job run again, and in one process only
when several share PostgreSQL (the core scheduler's lease)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from guildkit.core import clock
from guildkit.core.scheduler import JobContext, JobKind

from . import effects
from .commands import format
from .models import Reminder
from .service import delivery, personal, watches
from .service.parsing import next_after

log = logging.getLogger("guildkit.reminders")
#: Longest wait for one reminder's send. interactions.py 5.16's own bucket lock could strand a
#: request for good (a response with new rate-limit headers swapped the route's semaphore while
#: other requests waited on the old one); guildkit's ``ipy.PacedBucket`` replaces it, and this
#: stays as the guard: one stuck send must not hold its batch (and the batch's slots) past the
#: lease. It is given up and retried with its nonce, which returns Discord's first message if it
#: did get through.
SEND_TIMEOUT = timedelta(seconds=30)


async def deliver_reminder(job: JobContext) -> None:
    [end] = await deliver_reminders([job])
    if end is not None:
        raise end


async def deliver_reminders(jobs: list[JobContext]) -> list[BaseException | None]:
    """Deliver the reminders of several due jobs: one read for all of them, their messages sent
    side by side, and the sent ones recorded together (``delivery.finish_occurrences``). Returns
    each job's end for the scheduler: None, or the error of a send to be retried (the others are
    recorded all the same)."""
    runtime = jobs[0].runtime
    wanted = [(job.payload["reminder_id"], job.payload["occurrence"], job.payload["at"]) for job in jobs]
    reminders = await delivery.due_reminders(runtime, wanted)
    settings = {
        guild_id: await personal.settings_for(runtime, guild_id)
        for guild_id in {reminder.guild_id for reminder in reminders if reminder is not None}
    }
    ends: list[BaseException | None] = [None] * len(jobs)
    done: list[delivery.Occurrence] = []

    async def deliver(index: int, job: JobContext, reminder: Reminder) -> None:
        late = clock.now() - job.due_at
        if late > timedelta(minutes=settings[reminder.guild_id].max_lateness_minutes):
            log.info("reminder %s occurrence %s skipped: %s late", reminder.id, reminder.occurrence, late)
            done.append(delivery.Occurrence(reminder, None, job.due_at, late))
            return
        view = personal.ReminderView.of(reminder)
        if reminder.recurrence:
            # Show the next occurrence in the message: computed here, stored by finish_occurrence.
            after = max(job.due_at, clock.now())
            upcoming = next_after(reminder.recurrence, reminder.first_at, after, ZoneInfo(reminder.zone))
            ends_here = reminder.until is not None and upcoming > reminder.until
            view = replace(view, next_at=None if ends_here else upcoming)
        try:
            send = effects.send_reminder(runtime, view, late, job.nonce)
            outcome = await asyncio.wait_for(send, SEND_TIMEOUT.total_seconds())
        except Exception as error:  # a server error, rate limit or timeout: this job is retried, alone
            ends[index] = error
            return
        done.append(delivery.Occurrence(reminder, outcome, job.due_at, late))

    # Reminders that are gone, paused or moved (None) have nothing to send.
    await asyncio.gather(
        *(deliver(i, job, reminder) for i, (job, reminder) in enumerate(zip(jobs, reminders, strict=True)) if reminder)
    )
    await delivery.finish_occurrences(runtime, done)
    return ends


async def watch_round(job: JobContext) -> None:
    runtime = job.runtime
    watch = await watches.watch_for_round(job.payload["watch_id"], job.job_id)
    if watch is None:
        return
    actual = await effects.read_reactions(runtime, watch.channel_id, watch.message_id)
    if actual is None:
        entry = await watches.begin_round(watch, job.occurrence, job.due_at)
        await watches.finish_round(entry, notified=0, error="the watched message is gone or unreadable")
        await watches.complete_watch(watch, job.job_id, status=watches.STOPPED)
        return
    await watches.reconcile(watch.id, actual)
    eligible = await effects.eligible_members(runtime, watch.guild_id, watch.channel_id, watch.role_id)
    pending = await watches.pending_members(watch, eligible)
    if not pending:
        await watches.complete_watch(watch, job.job_id)
        return
    entry = await watches.begin_round(watch, job.occurrence, job.due_at)
    link = format.message_link(watch.guild_id, watch.channel_id, watch.message_id)
    chunks = format.watch_reminder_chunks(watch.title, link, pending, watch.required_emojis or [])
    notified, error = await effects.post_round(runtime, watch.channel_id, chunks, job.nonce)
    await watches.finish_round(entry, notified=notified, error=error)


JOBS = (
    # Lateness is judged by the handler against the server's max_lateness_minutes setting.
    # Due reminders claimed together are delivered together (deliver_reminders).
    JobKind(delivery.DELIVER, deliver_reminder, retry_backoff=timedelta(seconds=20), batch_handler=deliver_reminders),
    JobKind(watches.WATCH_JOB, watch_round, retry_backoff=timedelta(minutes=1)),
)
