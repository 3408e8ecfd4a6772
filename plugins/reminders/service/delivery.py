"""Delivery bookkeeping of personal reminders: one scheduler job per occurrence, and what happens
after an occurrence was sent, failed or skipped.

Every occurrence is a job keyed ``reminders:deliver:ID:N`` (N = the reminder's ``occurrence``), so
scheduling it twice (a retry after a crash) finds the job already there. Anything that moves a
reminder (edit, pause, snooze) bumps ``occurrence``: a job left from before sees that it is stale
and does nothing. The message itself is sent with the job's nonce, so a crash between sending and
recording cannot post twice (the retry's send returns Discord's first message).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from guildkit.core import clock

from ..models import ACTIVE, DELIVERED, ENDED, FAILED, SKIPPED, Reminder, ReminderLog
from .parsing import next_after

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

PLUGIN = "reminders"
DELIVER = "deliver"


def job_key(reminder: Reminder) -> str:
    assert reminder.next_at is not None
    return f"{PLUGIN}:{DELIVER}:{reminder.id}:{reminder.occurrence}:{int(reminder.next_at.timestamp())}"


async def schedule_occurrence(runtime: Runtime, reminder: Reminder) -> None:
    """Store the job of the reminder's current occurrence (idempotent by key)."""
    assert reminder.next_at is not None
    await runtime.scheduler.schedule(
        PLUGIN,
        DELIVER,
        reminder.next_at,
        guild_id=reminder.guild_id,
        payload={"reminder_id": reminder.id, "occurrence": reminder.occurrence, "at": reminder.next_at.timestamp()},
        key=job_key(reminder),
    )


async def cancel_occurrence(runtime: Runtime, reminder: Reminder) -> None:
    if reminder.next_at is not None:
        await runtime.scheduler.cancel(key=job_key(reminder))


async def due_reminder(runtime: Runtime, reminder_id: int, occurrence: int, at: float) -> Reminder | None:
    """The reminder a job delivers, or None when the job is stale (deleted, paused, moved).

    A stale job of an active reminder makes sure the current occurrence has its job: a crash
    after recording an occurrence but before scheduling the next one heals here."""
    reminder = await Reminder.get_or_none(id=reminder_id)
    if reminder is None or reminder.status != ACTIVE or reminder.next_at is None:
        return None
    if reminder.occurrence == occurrence and int(reminder.next_at.timestamp()) == int(at):
        return reminder
    await schedule_occurrence(runtime, reminder)
    return None


@dataclass(frozen=True)
class Outcome:
    """What sending did: ``via`` is ``channel`` or ``dm`` when sent; ``error`` says why not."""

    via: str | None
    error: str | None = None
    #: The channel-side problem that made it fall back to a DM.
    fallback_reason: str | None = None

    @property
    def sent(self) -> bool:
        return self.via is not None


async def finish_occurrence(
    runtime: Runtime, reminder: Reminder, outcome: Outcome | None, due_at: datetime, late: timedelta
) -> Reminder:
    """Record the occurrence (``outcome`` None: skipped as too late) and move to the next one, or
    end the reminder. Idempotent: a second call for the same occurrence changes nothing."""
    now = clock.now()
    occurrence = reminder.occurrence
    status = "skipped" if outcome is None else ("sent" if outcome.sent else "failed")
    if outcome is None:
        error: str | None = f"skipped: {int(late.total_seconds())} s late"
    else:
        error = outcome.fallback_reason if outcome.sent else outcome.error
    already_logged = await ReminderLog.filter(reminder_id=reminder.id, occurrence=occurrence).exists()
    if not already_logged:
        await ReminderLog.create(
            guild_id=reminder.guild_id,
            reminder_id=reminder.id,
            user_id=reminder.user_id,
            occurrence=occurrence,
            scheduled_at=due_at,
            sent_at=now if outcome is not None and outcome.sent else None,
            status=status,
            error=error,
            members_notified=1 if status == "sent" else 0,
            late_seconds=max(0, int(late.total_seconds())),
            delivered_via=outcome.via if outcome is not None else None,
            created_at=now,
        )
    changes: dict[str, object] = {"occurrence": occurrence + 1}
    if outcome is not None and outcome.sent:
        changes["last_delivered_at"] = now
    if outcome is not None and not outcome.sent:
        changes.update(status=FAILED, failure_reason=(outcome.error or "unknown")[:300], finished_at=now, next_at=None)
    elif reminder.recurrence:
        upcoming = next_after(reminder.recurrence, reminder.first_at, max(due_at, now), ZoneInfo(reminder.zone))
        if reminder.until is not None and upcoming > reminder.until:
            changes.update(status=ENDED, finished_at=now, next_at=None)
        else:
            changes["next_at"] = upcoming
    else:
        changes.update(status=DELIVERED if outcome is not None else SKIPPED, finished_at=now, next_at=None)
    # Compare-and-set on the occurrence: a concurrent edit or a second run changes nothing here.
    updated = await Reminder.filter(id=reminder.id, occurrence=occurrence).update(**changes)
    fresh = await Reminder.get(id=reminder.id)
    if updated and fresh.status == ACTIVE and fresh.next_at is not None:
        await schedule_occurrence(runtime, fresh)
    return fresh
