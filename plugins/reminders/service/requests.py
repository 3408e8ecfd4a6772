"""What /remind, /reminders edit and /timer ask for, read off the event loop and turned into
reminders: the one service call each of those commands makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from guildkit.core import clock
from guildkit.core.durations import parse_duration

from .parsing import Choice, Recurrence, WhenParsed, date_order_for, parse_every, parse_when
from .personal import ReminderView, create_reminder, edit_reminder, settings_for, zone_for

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: Longest /timer.
MAX_TIMER = timedelta(days=365)


@dataclass(frozen=True)
class RemindResult:
    """The reminder (a draft when ``choices`` asks the member to pick a time, or
    ``until_choices`` an end)."""

    reminder: ReminderView
    choices: tuple[Choice, ...] = ()
    #: Readings of an ambiguous ``until``, asked after the time (or at once when it was clear).
    until_choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class EditResult:
    """The reminder as edited; ``choices`` when the new time was ambiguous (then everything else
    asked for is changed already, and the time waits for the member's pick)."""

    reminder: ReminderView
    choices: tuple[Choice, ...] = ()


async def read_when(runtime: Runtime, text: str, zone: ZoneInfo, locale: str | None) -> WhenParsed:
    """``text`` read in the parser thread (never on the event loop)."""
    from ..state import RemindersState

    state = runtime.state(RemindersState)
    return await state.off_loop(parse_when, text, clock.now(), zone, date_order_for(locale), state.engine)


async def _read_every(text: str | None, first: datetime, minimum: timedelta) -> Recurrence | None:
    if not text:
        return None
    return parse_every(text, first, minimum)


async def remind(
    runtime: Runtime,
    *,
    guild_id: int,
    user_id: int,
    channel_id: int | None,
    locale: str | None,
    when: str,
    target_channel_id: int | None = None,
    message: str,
    every: str | None = None,
    until: str | None = None,
    timezone: str | None = None,
) -> RemindResult:
    settings = await settings_for(runtime, guild_id, channel_id)
    zone = await zone_for(runtime, user_id, timezone)
    parsed = await read_when(runtime, when, zone, locale)
    anchor = parsed.at or parsed.choices[0].at
    recurrence = await _read_every(every, anchor, timedelta(minutes=settings.min_interval_minutes))
    until_at = None
    until_choices: tuple[Choice, ...] = ()
    if until:
        until_parsed = await read_when(runtime, until, zone, locale)
        # An ambiguous end is asked like an ambiguous time; the draft waits for both answers.
        until_at = until_parsed.at
        until_choices = until_parsed.choices
    # A channel the member named wins; else the server's delivery setting (here, or by DM).
    target = target_channel_id or (channel_id if settings.delivery == "channel" else None)
    view = await create_reminder(
        runtime,
        guild_id=guild_id,
        user_id=user_id,
        channel_id=target,
        message=message,
        at=parsed.at,
        zone=zone,
        recurrence=recurrence,
        until=until_at,
        settings=settings,
        draft=bool(until_choices),
    )
    return RemindResult(view, parsed.choices, until_choices)


async def timer(
    runtime: Runtime, *, guild_id: int, user_id: int, channel_id: int | None, duration: str, label: str | None
) -> ReminderView:
    settings = await settings_for(runtime, guild_id, channel_id)
    length = parse_duration(duration, minimum=timedelta(seconds=10), maximum=MAX_TIMER)
    zone = await zone_for(runtime, user_id, None)
    return await create_reminder(
        runtime,
        guild_id=guild_id,
        user_id=user_id,
        channel_id=channel_id,
        message=label or "Time is up!",
        at=clock.now() + length,
        zone=zone,
        is_timer=True,
        settings=settings,
    )


async def edit(
    runtime: Runtime,
    *,
    guild_id: int,
    user_id: int,
    reminder_id: int,
    locale: str | None,
    when: str | None = None,
    message: str | None = None,
    every: str | None = None,
) -> EditResult:
    """``every`` "never" stops the repetition. An ambiguous new time is asked (``choices``): the
    text and repetition are changed now (the readings share their time of day, which is all
    ``every`` takes from the time), the time when the member picks (:func:`personal.edit_reminder`)."""
    settings = await settings_for(runtime, guild_id)
    zone = await zone_for(runtime, user_id, None)
    parsed = await read_when(runtime, when, zone, locale) if when else None
    at = parsed.at if parsed else None
    anchor = at or (parsed.choices[0].at if parsed else None)
    stop = every is not None and every.strip().lower() in ("never", "none", "no", "off")
    recurrence = None
    if every and not stop:
        recurrence = await _read_every(
            every, anchor or clock.now().astimezone(zone), timedelta(minutes=settings.min_interval_minutes)
        )
    choices = parsed.choices if parsed else ()
    view = await edit_reminder(
        runtime,
        guild_id,
        user_id,
        reminder_id,
        at=at,
        message=message,
        recurrence=recurrence,
        stop_repeating=stop,
        time_pending=bool(choices),
    )
    return EditResult(view, choices)
