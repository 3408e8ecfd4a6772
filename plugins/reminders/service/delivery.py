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


async def due_reminders(runtime: Runtime, wanted: list[tuple[int, int, float]]) -> list[Reminder | None]:
    """:func:`due_reminder` for several jobs ((reminder id, occurrence, time) each) with one read."""
    rows = {row.id: row for row in await Reminder.filter(id__in={reminder_id for reminder_id, _, _ in wanted})}
    found: list[Reminder | None] = []
    for reminder_id, occurrence, at in wanted:
        reminder = rows.get(reminder_id)
        if reminder is None or reminder.status != ACTIVE or reminder.next_at is None:
            found.append(None)
        elif reminder.occurrence == occurrence and int(reminder.next_at.timestamp()) == int(at):
            found.append(reminder)
        else:
            await schedule_occurrence(runtime, reminder)  # stale job: make sure the current one exists
            found.append(None)
    return found


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
    await _log_once(
        runtime,
        {
            "guild_id": reminder.guild_id,
            "reminder_id": reminder.id,
            "user_id": reminder.user_id,
            "occurrence": occurrence,
            "scheduled_at": due_at,
            "sent_at": now if outcome is not None and outcome.sent else None,
            "status": status,
            "error": error[:300] if error is not None else None,
            "members_notified": 1 if status == "sent" else 0,
            "late_seconds": max(0, int(late.total_seconds())),
            "delivered_via": outcome.via if outcome is not None else None,
            "created_at": now,
        },
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
    if not updated:
        return await Reminder.get(id=reminder.id)  # someone else moved it: their version stands
    for name, value in changes.items():
        setattr(reminder, name, value)  # what the update wrote, without reading the row back
    if reminder.status == ACTIVE and reminder.next_at is not None:
        await schedule_occurrence(runtime, reminder)
    return reminder


@dataclass(frozen=True)
class Occurrence:
    """One occurrence to record: what sending did (None: skipped as too late)."""

    reminder: Reminder
    outcome: Outcome | None
    due_at: datetime
    late: timedelta


async def finish_occurrences(runtime: Runtime, done: list[Occurrence]) -> None:
    """:func:`finish_occurrence` for several occurrences. The common case, a one-shot reminder
    sent, is recorded for all of them with two statements (their log rows, their status); the
    rest (repeating, failed, skipped) one by one. Idempotent like ``finish_occurrence``."""
    simple, other = [], []
    for item in done:
        plain = item.outcome is not None and item.outcome.sent and not item.reminder.recurrence
        (simple if plain else other).append(item)
    for item in other:
        await finish_occurrence(runtime, item.reminder, item.outcome, item.due_at, item.late)
    if not simple:
        return
    now = clock.now()
    await _log_many(
        runtime,
        [
            {
                "guild_id": item.reminder.guild_id,
                "reminder_id": item.reminder.id,
                "user_id": item.reminder.user_id,
                "occurrence": item.reminder.occurrence,
                "scheduled_at": item.due_at,
                "sent_at": now,
                "status": "sent",
                "error": item.outcome.fallback_reason[:300] if item.outcome and item.outcome.fallback_reason else None,
                "members_notified": 1,
                "late_seconds": max(0, int(item.late.total_seconds())),
                "delivered_via": item.outcome.via if item.outcome else None,
                "created_at": now,
            }
            for item in simple
        ],
    )
    # Compare-and-set on each reminder's occurrence, as finish_occurrence does: one moved by an
    # edit or recorded by an earlier run in the meantime is left as it is.
    postgres = runtime.database.dialect == "postgres"
    if postgres:
        pairs = ", ".join(f"(${2 * i + 2}::bigint, ${2 * i + 3}::integer)" for i in range(len(simple)))
        now_mark = "$1::timestamptz"
    else:
        now_mark = "?1"
        pairs = ", ".join(f"(?{2 * i + 2}, ?{2 * i + 3})" for i in range(len(simple)))
    sql = (
        f"UPDATE reminders_reminder SET status = '{DELIVERED}', occurrence = occurrence + 1, "
        f"last_delivered_at = {now_mark}, finished_at = {now_mark}, next_at = NULL "
        f"WHERE (id, occurrence) IN (VALUES {pairs})"
    )
    values: list[object] = [now]
    for item in simple:
        values += [item.reminder.id, item.reminder.occurrence]
    await Reminder._meta.db.execute_query(sql, values)


#: reminders_log columns written per occurrence, with their PostgreSQL types (INSERT ... SELECT
#: leaves parameter types open, so PostgreSQL needs them spelled out).
_LOG_COLUMNS = {
    "guild_id": "bigint",
    "reminder_id": "bigint",
    "user_id": "bigint",
    "occurrence": "integer",
    "scheduled_at": "timestamptz",
    "sent_at": "timestamptz",
    "status": "varchar",
    "error": "varchar",
    "members_notified": "integer",
    "late_seconds": "integer",
    "delivered_via": "varchar",
    "created_at": "timestamptz",
}


async def _log_once(runtime: Runtime, row: dict[str, object]) -> None:
    """Insert the occurrence's log row unless it already has one (a second run after a crash):
    one statement instead of a read and an insert."""
    postgres = runtime.database.dialect == "postgres"
    marks = [f"${i}::{kind}" if postgres else "?" for i, kind in enumerate(_LOG_COLUMNS.values(), 1)]
    reminder_mark, occurrence_mark = ("$2::bigint", "$4::integer") if postgres else ("?", "?")
    sql = (
        f"INSERT INTO reminders_log ({', '.join(_LOG_COLUMNS)}) SELECT {', '.join(marks)} "
        f"WHERE NOT EXISTS (SELECT 1 FROM reminders_log WHERE reminder_id = {reminder_mark} "
        f"AND occurrence = {occurrence_mark})"
    )
    values = [row[column] for column in _LOG_COLUMNS]
    if not postgres:
        values += [row["reminder_id"], row["occurrence"]]
    await ReminderLog._meta.db.execute_query(sql, values)


async def _log_many(runtime: Runtime, rows: list[dict[str, object]]) -> None:
    """:func:`_log_once` for several occurrences in one statement: each row is inserted unless
    its occurrence has a log row already."""
    postgres = runtime.database.dialect == "postgres"
    width = len(_LOG_COLUMNS)
    tuples = []
    for row_index in range(len(rows)):
        if postgres:
            marks = [f"${row_index * width + i}::{kind}" for i, kind in enumerate(_LOG_COLUMNS.values(), 1)]
        else:
            marks = ["?"] * width
        tuples.append(f"({', '.join(marks)})")
    columns = ", ".join(_LOG_COLUMNS)
    sql = (
        f"WITH fresh ({columns}) AS (VALUES {', '.join(tuples)}) "
        f"INSERT INTO reminders_log ({columns}) SELECT {columns} FROM fresh "
        "WHERE NOT EXISTS (SELECT 1 FROM reminders_log AS logged WHERE logged.reminder_id = fresh.reminder_id "
        "AND logged.occurrence = fresh.occurrence)"
    )
    values = [row[column] for row in rows for column in _LOG_COLUMNS]
    await ReminderLog._meta.db.execute_query(sql, values)
