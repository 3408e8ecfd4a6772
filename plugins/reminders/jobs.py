"""Scheduled work: delivering personal reminders (one job per occurrence) and watch rounds (one
recurring job per watch). Both send with the job occurrence's nonce: exactly once per occurrence,
also when a crash between sending and recording makes the job run again, and in one process only
when several share PostgreSQL (the core scheduler's lease)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from guildkit.core import clock
from guildkit.core.scheduler import JobContext, JobKind

from . import effects
from .commands import format
from .service import delivery, personal, watches
from .service.parsing import next_after

log = logging.getLogger("guildkit.reminders")


async def deliver_reminder(job: JobContext) -> None:
    runtime = job.runtime
    payload = job.payload
    reminder = await delivery.due_reminder(runtime, payload["reminder_id"], payload["occurrence"], payload["at"])
    if reminder is None:
        return  # deleted, paused or moved since this job was stored
    settings = await personal.settings_for(runtime, reminder.guild_id)
    late = clock.now() - job.due_at
    if late > timedelta(minutes=settings.max_lateness_minutes):
        log.info("reminder %s occurrence %s skipped: %s late", reminder.id, reminder.occurrence, late)
        await delivery.finish_occurrence(runtime, reminder, None, job.due_at, late)
        return
    view = personal.ReminderView.of(reminder)
    if reminder.recurrence:
        # Show the next occurrence in the message: computed here, stored by finish_occurrence.
        after = max(job.due_at, clock.now())
        upcoming = next_after(reminder.recurrence, reminder.first_at, after, ZoneInfo(reminder.zone))
        ends = reminder.until is not None and upcoming > reminder.until
        view = replace(view, next_at=None if ends else upcoming)
    outcome = await effects.send_reminder(runtime, view, late, job.nonce)
    await delivery.finish_occurrence(runtime, reminder, outcome, job.due_at, late)


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
    JobKind(delivery.DELIVER, deliver_reminder, retry_backoff=timedelta(seconds=20)),
    JobKind(watches.WATCH_JOB, watch_round, retry_backoff=timedelta(minutes=1)),
)
