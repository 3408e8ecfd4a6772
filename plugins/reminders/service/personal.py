"""Personal reminders: create (with limits), list, edit, pause, resume, delete, snooze, timers."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import RawSQL

from guildkit.core import clock
from guildkit.core.users import all_timezones

from ..errors import (
    NotYourReminder,
    ReminderNotChangeable,
    ReminderNotFound,
    TooManyReminders,
    UnknownTimezone,
    UntilBeforeStart,
)
from ..models import ACTIVE, FAILED, FINISHED_STATUSES, LIVE_STATUSES, PAUSED, Reminder
from ..settings import RemindersSettings
from .delivery import cancel_occurrence, schedule_occurrence
from .parsing import Recurrence, attach_zone, next_after

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: A /remind whose time was ambiguous waits as a draft for the member's choice.
DRAFT = "draft"
LIST_PAGE_SIZE = 8
SNOOZES = {"10m": timedelta(minutes=10), "1h": timedelta(hours=1)}


@dataclass(frozen=True)
class ReminderView:
    id: int
    user_id: int
    channel_id: int | None
    message: str
    zone: str
    next_at: datetime | None
    recurrence_text: str | None
    until: datetime | None
    status: str
    failure_reason: str | None
    is_timer: bool

    @classmethod
    def of(cls, row: Reminder) -> ReminderView:
        return cls(
            id=row.id,
            user_id=row.user_id,
            channel_id=row.channel_id,
            message=row.message,
            zone=row.zone,
            next_at=row.next_at,
            recurrence_text=row.recurrence_text,
            until=row.until,
            status=row.status,
            failure_reason=row.failure_reason,
            is_timer=row.is_timer,
        )


@dataclass(frozen=True)
class ReminderPage:
    rows: list[ReminderView]
    page: int
    pages: int
    total: int


async def settings_for(runtime: Runtime, guild_id: int, channel_id: int | None = None) -> RemindersSettings:
    return await runtime.settings.get(guild_id, "reminders", channel_id)  # type: ignore[return-value]


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    canonical = {tz.lower(): tz for tz in all_timezones()}.get(name.strip().lower())
    if canonical is None:
        raise UnknownTimezone(name)
    return zoneinfo.ZoneInfo(canonical)


async def zone_for(runtime: Runtime, user_id: int, override: str | None) -> zoneinfo.ZoneInfo:
    """The override when given, else the member's stored zone (core ``/timezone``), else UTC."""
    if override:
        return zone_named(override)
    return await runtime.users.timezone(user_id)


async def check_limits(guild_id: int, user_id: int, settings: RemindersSettings) -> None:
    live = Reminder.filter(guild_id=guild_id, status__in=LIVE_STATUSES)
    if await live.filter(user_id=user_id).count() >= settings.max_per_member:
        raise TooManyReminders("member", settings.max_per_member)
    if await live.count() >= settings.max_per_guild:
        raise TooManyReminders("server", settings.max_per_guild)


async def create_reminder(
    runtime: Runtime,
    *,
    guild_id: int,
    user_id: int,
    channel_id: int | None,
    message: str,
    at: datetime | None,
    zone: zoneinfo.ZoneInfo,
    recurrence: Recurrence | None = None,
    until: datetime | None = None,
    is_timer: bool = False,
    settings: RemindersSettings,
    draft: bool = False,
) -> ReminderView:
    """Store and schedule a reminder; ``at`` None stores a draft awaiting :func:`choose_time`, and
    ``draft`` one whose time is known but whose end awaits :func:`choose_until`."""
    await check_limits(guild_id, user_id, settings)
    if at is not None and until is not None and until < at:
        raise UntilBeforeStart(until, at)
    now = clock.now()
    row = await Reminder.create(
        guild_id=guild_id,
        user_id=user_id,
        channel_id=channel_id,
        message=message[:1500],
        zone=zone.key,
        recurrence=recurrence.spec if recurrence else None,
        recurrence_text=recurrence.text[:100] if recurrence else None,
        first_at=at or now,
        next_at=at,
        until=until,
        status=ACTIVE if at is not None and not draft else DRAFT,
        is_timer=is_timer,
        created_at=now,
    )
    if row.status == ACTIVE:
        await schedule_occurrence(runtime, row)
    return ReminderView.of(row)


@dataclass(frozen=True)
class Chosen:
    """A draft after the member picked its time: a reminder, or still a draft whose end
    (``until_choices``, the readings after the chosen time) is asked next."""

    reminder: ReminderView
    until_choices: tuple[datetime, ...] = ()


async def _draft(reminder_id: int, user_id: int) -> Reminder:
    row = await Reminder.get_or_none(id=reminder_id)
    if row is None:
        raise ReminderNotFound(reminder_id)
    if row.user_id != user_id:
        raise NotYourReminder()
    return row


async def choose_time(
    runtime: Runtime, reminder_id: int, user_id: int, at: datetime, until_choices: tuple[datetime, ...] = ()
) -> Chosen:
    """The member picked one reading of an ambiguous time: the draft becomes a reminder, unless
    its end was ambiguous too (``until_choices``) and more than one reading of it is after ``at``."""
    row = await _draft(reminder_id, user_id)
    if row.status != DRAFT:
        return Chosen(ReminderView.of(row))  # a second click
    until = row.until
    if until_choices:
        later = tuple(choice for choice in until_choices if choice >= at)
        if not later:
            raise UntilBeforeStart(max(until_choices), at)
        if len(later) > 1:
            await Reminder.filter(id=reminder_id, status=DRAFT).update(first_at=at, next_at=at)
            return Chosen(ReminderView.of(await Reminder.get(id=reminder_id)), later)
        until = later[0]
    if until is not None and until < at:
        raise UntilBeforeStart(until, at)
    updated = await Reminder.filter(id=reminder_id, status=DRAFT).update(
        status=ACTIVE, first_at=at, next_at=at, until=until
    )
    row = await Reminder.get(id=reminder_id)
    if updated:
        await schedule_occurrence(runtime, row)
    return Chosen(ReminderView.of(row))


async def choose_until(runtime: Runtime, reminder_id: int, user_id: int, until: datetime) -> ReminderView:
    """The member picked one reading of an ambiguous end: the draft (its time known) becomes a
    reminder."""
    row = await _draft(reminder_id, user_id)
    if row.status != DRAFT or row.next_at is None:
        return ReminderView.of(row)  # a second click (or no time yet: nothing to end)
    if until < row.next_at:
        raise UntilBeforeStart(until, row.next_at)
    updated = await Reminder.filter(id=reminder_id, status=DRAFT).update(status=ACTIVE, until=until)
    row = await Reminder.get(id=reminder_id)
    if updated:
        await schedule_occurrence(runtime, row)
    return ReminderView.of(row)


async def _own(guild_id: int, user_id: int, reminder_id: int) -> Reminder:
    row = await Reminder.get_or_none(id=reminder_id, guild_id=guild_id, user_id=user_id)
    if row is None or row.status == DRAFT:
        raise ReminderNotFound(reminder_id)
    return row


async def list_reminders(guild_id: int, user_id: int, page: int) -> ReminderPage:
    """The member's live and failed reminders here: active ones by next time (soonest first),
    then paused ones (by the time they had), then failed ones, newest failure first."""
    query = Reminder.filter(guild_id=guild_id, user_id=user_id, status__in=(*LIVE_STATUSES, FAILED))
    total = await query.count()
    pages = max(1, -(-total // LIST_PAGE_SIZE))
    page = min(max(page, 1), pages)
    # Ranked, not sorted by status name ("active" < "failed" < "paused" put failures before
    # paused ones). A failed reminder has no next time; its finish time orders those.
    ranked = query.annotate(rank=RawSQL(f"CASE status WHEN '{ACTIVE}' THEN 0 WHEN '{PAUSED}' THEN 1 ELSE 2 END"))
    rows = (
        await ranked.order_by("rank", "next_at", "-finished_at", "id")
        .offset((page - 1) * LIST_PAGE_SIZE)
        .limit(LIST_PAGE_SIZE)
    )
    return ReminderPage([ReminderView.of(r) for r in rows], page, pages, total)


async def delete_reminder(runtime: Runtime, guild_id: int, user_id: int, reminder_id: int) -> ReminderView:
    row = await _own(guild_id, user_id, reminder_id)
    await cancel_occurrence(runtime, row)
    await row.delete()
    return ReminderView.of(row)


async def pause_reminder(runtime: Runtime, guild_id: int, user_id: int, reminder_id: int) -> ReminderView:
    row = await _own(guild_id, user_id, reminder_id)
    if row.status != ACTIVE:
        raise ReminderNotChangeable(reminder_id, row.status, "paused")
    await cancel_occurrence(runtime, row)
    await Reminder.filter(id=row.id).update(status=PAUSED, occurrence=row.occurrence + 1)
    return ReminderView.of(await Reminder.get(id=row.id))


async def resume_reminder(runtime: Runtime, guild_id: int, user_id: int, reminder_id: int) -> ReminderView:
    """A paused reminder runs again; a one-shot whose time passed while paused is due at once,
    a recurring one continues with its next occurrence from now."""
    row = await _own(guild_id, user_id, reminder_id)
    if row.status != PAUSED:
        raise ReminderNotChangeable(reminder_id, row.status, "resumed")
    now = clock.now()
    next_at = row.next_at or now
    if next_at < now:
        next_at = next_after(row.recurrence, row.first_at, now, zoneinfo.ZoneInfo(row.zone)) if row.recurrence else now
    await Reminder.filter(id=row.id).update(status=ACTIVE, next_at=next_at, occurrence=row.occurrence + 1)
    row = await Reminder.get(id=row.id)
    await schedule_occurrence(runtime, row)
    return ReminderView.of(row)


async def edit_reminder(
    runtime: Runtime,
    guild_id: int,
    user_id: int,
    reminder_id: int,
    *,
    at: datetime | None = None,
    message: str | None = None,
    recurrence: Recurrence | None = None,
    stop_repeating: bool = False,
    time_pending: bool = False,
) -> ReminderView:
    """``time_pending``: a new time is being asked (an ambiguous one); the rest changes now."""
    row = await _own(guild_id, user_id, reminder_id)
    if row.status in FINISHED_STATUSES and at is None and not time_pending:
        raise ReminderNotChangeable(reminder_id, row.status, "edited without a new time")
    changes: dict[str, object] = {}
    if message is not None:
        changes["message"] = message[:1500]
    if recurrence is not None:
        changes.update(recurrence=recurrence.spec, recurrence_text=recurrence.text[:100])
    elif stop_repeating:
        changes.update(recurrence=None, recurrence_text=None)
    if at is not None:
        await cancel_occurrence(runtime, row)
        changes.update(
            next_at=at,
            first_at=at,
            occurrence=row.occurrence + 1,
            status=ACTIVE if row.status != PAUSED else PAUSED,
            failure_reason=None,
            finished_at=None,
        )
    if changes:
        await Reminder.filter(id=row.id).update(**changes)
    row = await Reminder.get(id=row.id)
    if at is not None and row.status == ACTIVE:
        await schedule_occurrence(runtime, row)
    return ReminderView.of(row)


def snooze_time(choice: str, now: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """10 minutes, an hour, or the same wall-clock time tomorrow in the reminder's zone."""
    if choice == "tomorrow":
        local = now.astimezone(zone)
        return attach_zone(local.replace(tzinfo=None) + timedelta(days=1), zone)
    return now + SNOOZES[choice]


async def snooze(runtime: Runtime, reminder_id: int, user_id: int, choice: str) -> ReminderView:
    """Remind again later: a delivered one-shot reminder is rescheduled; a recurring one keeps
    its rule and gets a one-shot copy (which counts against the limits)."""
    row = await Reminder.get_or_none(id=reminder_id)
    if row is None:
        raise ReminderNotFound(reminder_id)
    if row.user_id != user_id:
        raise NotYourReminder()
    zone = zoneinfo.ZoneInfo(row.zone)
    at = snooze_time(choice, clock.now(), zone)
    if row.recurrence is None:
        await cancel_occurrence(runtime, row)
        await Reminder.filter(id=row.id).update(
            status=ACTIVE, next_at=at, occurrence=row.occurrence + 1, finished_at=None, failure_reason=None
        )
        row = await Reminder.get(id=row.id)
        await schedule_occurrence(runtime, row)
        return ReminderView.of(row)
    settings = await settings_for(runtime, row.guild_id)
    return await create_reminder(
        runtime,
        guild_id=row.guild_id,
        user_id=row.user_id,
        channel_id=row.channel_id,
        message=row.message,
        at=at,
        zone=zone,
        settings=settings,
    )


async def owned(reminder_id: int, user_id: int) -> ReminderView:
    """A reminder of ``user_id`` (for buttons on delivered messages, in a server or a DM)."""
    row = await Reminder.get_or_none(id=reminder_id)
    if row is None:
        raise ReminderNotFound(reminder_id)
    if row.user_id != user_id:
        raise NotYourReminder()
    return ReminderView.of(row)
