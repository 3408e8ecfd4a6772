"""The only formatters of the reminders plugin: timestamps, mentions, reminder and watch lines, the
delivered message and its buttons, the watch reminders (chunked), and :func:`describe_error`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import interactions

from guildkit.core.durations import format_duration

from .. import errors
from ..service.personal import ReminderView
from ..service.watches import LogEntry, WatchView

#: Discord's limits on one message: characters, and users an allowed_mentions may name.
MESSAGE_LIMIT = 2000
MENTION_LIMIT = 100
#: A delivery this late says so.
LATE_NOTICE = timedelta(minutes=1)
SNOOZE_LABELS = (("10m", "Snooze 10 min"), ("1h", "Snooze 1 h"), ("tomorrow", "Tomorrow"), ("done", "Done"))
BLUE = 0x5865F2


def absolute(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:F>"


def relative(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:R>"


def when(at: datetime) -> str:
    """Both: Discord shows them in the reader's own timezone and language."""
    return f"{absolute(at)} ({relative(at)})"


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def channel_mention(channel_id: int) -> str:
    return f"<#{channel_id}>"


def role_mention(role_id: int) -> str:
    return f"<@&{role_id}>"


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def where(view: ReminderView) -> str:
    return channel_mention(view.channel_id) if view.channel_id else "by DM"


def reminder_set(view: ReminderView) -> str:
    assert view.next_at is not None
    kind = "Timer" if view.is_timer else "Reminder"
    lines = [f"⏰ {kind} **#{view.id}** set for {when(view.next_at)}, {where(view)}."]
    if view.recurrence_text:
        lines.append(
            f"Repeats every **{view.recurrence_text}**" + (f" until {absolute(view.until)}." if view.until else ".")
        )
    lines.append(f"Times are taken in **{view.zone}** (change yours with `/timezone`).")
    return "\n".join(lines)


def edited(view: ReminderView) -> str:
    """The answer to an edit: the time read back when it is to be delivered, else its line."""
    return reminder_set(view) if view.next_at and view.status == "active" else reminder_line(view)


def ambiguous_time(text: str, zone: str) -> str:
    return f"`{text[:60]}` could mean more than one time (in **{zone}**). Which one?"


def ambiguous_until(text: str, zone: str, first: datetime | None = None) -> str:
    start = f"The first reminder is {when(first)}. " if first is not None else ""
    return f"{start}The end `{text[:60]}` could mean more than one time (in **{zone}**). Which one?"


def ambiguous_edit(view: ReminderView, text: str) -> str:
    return f"Reminder **#{view.id}**: `{text[:60]}` could mean more than one time (in **{view.zone}**). Which one?"


def choice_label(at: datetime, zone: str) -> str:
    """A reading of an ambiguous phrase, as its button says it: local date and time in ``zone``."""
    return at.astimezone(ZoneInfo(zone)).strftime("%-d %B %Y %H:%M")


def _stamps(moments: Sequence[datetime]) -> str:
    return ",".join(str(int(at.timestamp())) for at in moments)


def choice_buttons(
    reminder_id: int, choices: Sequence[tuple[str, datetime]], until: Sequence[datetime] = ()
) -> list[interactions.ActionRow]:
    """Buttons picking the time of a draft; ``until``: the readings of an ambiguous end, carried
    in each button (they are asked next; nothing else stores them)."""
    tail = f":{_stamps(until[:5])}" if until else ""
    buttons = [
        interactions.Button(
            style=interactions.ButtonStyle.PRIMARY,
            label=label[:80],
            custom_id=f"reminders:pick:{reminder_id}:{int(at.timestamp())}{tail}"[:100],
        )
        for label, at in choices[:5]
    ]
    return [interactions.ActionRow(*buttons)]


def until_buttons(reminder_id: int, choices: Sequence[tuple[str, datetime]]) -> list[interactions.ActionRow]:
    buttons = [
        interactions.Button(
            style=interactions.ButtonStyle.PRIMARY,
            label=f"until {label}"[:80],
            custom_id=f"reminders:until:{reminder_id}:{int(at.timestamp())}",
        )
        for label, at in choices[:5]
    ]
    return [interactions.ActionRow(*buttons)]


def edit_time_buttons(reminder_id: int, choices: Sequence[tuple[str, datetime]]) -> list[interactions.ActionRow]:
    buttons = [
        interactions.Button(
            style=interactions.ButtonStyle.PRIMARY,
            label=label[:80],
            custom_id=f"reminders:edit:{reminder_id}:{int(at.timestamp())}",
        )
        for label, at in choices[:5]
    ]
    return [interactions.ActionRow(*buttons)]


def delivered(view: ReminderView, late: timedelta, *, in_dm: bool = False, fallback: bool = False) -> str:
    """The reminder as delivered: the author mentioned (in a channel), the message, lateness."""
    head = "⏰ Timer" if view.is_timer else "⏰ Reminder"
    lines = [f"{head} for {mention(view.user_id)}: {view.message}" if not in_dm else f"{head}: {view.message}"]
    if late >= LATE_NOTICE:
        lines.append(f"-# This is {format_duration(late)} late: the bot was offline when it was due.")
    if fallback:
        lines.append("-# Sent here because I can no longer post in its channel.")
    if view.recurrence_text and view.next_at:
        lines.append(f"-# Next: {when(view.next_at)}")
    return "\n".join(lines)[:MESSAGE_LIMIT]


def snooze_buttons(reminder_id: int) -> list[interactions.ActionRow]:
    return [
        interactions.ActionRow(
            *(
                interactions.Button(
                    style=interactions.ButtonStyle.SUCCESS if key == "done" else interactions.ButtonStyle.SECONDARY,
                    label=label,
                    custom_id=f"reminders:snooze:{reminder_id}:{key}",
                )
                for key, label in SNOOZE_LABELS
            )
        )
    ]


def snoozed(view: ReminderView) -> str:
    assert view.next_at is not None
    return f"💤 I will remind you again {when(view.next_at)} (reminder **#{view.id}**)."


def reminder_line(view: ReminderView) -> str:
    text = view.message if len(view.message) <= 80 else view.message[:79] + "…"
    if view.status == "failed":
        state = f"❌ failed: {view.failure_reason or 'unknown reason'}"
    elif view.status == "paused":
        state = "⏸️ paused"
    elif view.next_at is not None:
        state = when(view.next_at)
    else:
        state = view.status
    repeat = f" · every {view.recurrence_text}" if view.recurrence_text else ""
    return f"**#{view.id}** {state}{repeat} · {where(view)}\n{text}"


def reminders_embed(rows: Sequence[ReminderView], page: int, pages: int, total: int) -> interactions.Embed:
    description = "\n\n".join(reminder_line(v) for v in rows) or "You have no reminders here. Set one with `/remind`."
    embed = interactions.Embed(title="Your reminders", description=description[:4000], color=BLUE)
    embed.set_footer(f"{total} reminder(s) · page {page} of {pages}")
    return embed


# -- watches --------------------------------------------------------------------------------------


def emojis(keys: Sequence[str]) -> str:
    shown = [f"<:{k}>" if ":" in k else k for k in keys]
    return " ".join(shown) if shown else "any reaction"


def watch_added(guild_id: int, view: WatchView) -> str:
    role = f" with {role_mention(view.role_id)}" if view.role_id else ""
    return (
        f"👀 Watch **#{view.id}** on {message_link(guild_id, view.channel_id, view.message_id)}: members{role} who "
        f"can see {channel_mention(view.channel_id)} and have not reacted with {emojis(view.required_emojis)} get a "
        f"reminder every {format_duration(timedelta(minutes=view.interval_minutes))}."
    )


def watch_line(guild_id: int, view: WatchView) -> str:
    state = "⏸️ paused" if view.paused and view.status == "watching" else view.status
    last = f", last reminder {relative(view.last_reminder_at)}" if view.last_reminder_at else ""
    return (
        f"**#{view.id}** {view.title} · {state} · every "
        f"{format_duration(timedelta(minutes=view.interval_minutes))} · {emojis(view.required_emojis)} · "
        f"{view.reacted} reacted{last}\n{message_link(guild_id, view.channel_id, view.message_id)}"
    )


def watch_changed(view: WatchView, what: str) -> str:
    return f"Watch **#{view.id}** ({view.title}) {what}."


def watches_embed(guild_id: int, rows: Sequence[WatchView], page: int, pages: int) -> interactions.Embed:
    description = "\n\n".join(watch_line(guild_id, v) for v in rows) or "No watches here. Add one with `/watch add`."
    embed = interactions.Embed(title="Reaction watches", description=description[:4000], color=BLUE)
    embed.set_footer(f"page {page} of {pages}")
    return embed


def log_line(entry: LogEntry) -> str:
    icon = {"sent": "✅", "failed": "❌", "pending": "⏳", "skipped": "⏭️"}.get(entry.status, "•")
    moment = entry.sent_at or entry.scheduled_at
    error = f" — {entry.error}" if entry.error else ""
    notified = f"{entry.members_notified} notified"
    return f"{icon} watch #{entry.watch_id} · {absolute(moment)} · {entry.status} · {notified}{error}"


def log_embed(rows: Sequence[LogEntry], page: int, pages: int) -> interactions.Embed:
    description = "\n".join(log_line(e) for e in rows) or "Nothing in the reminder log yet."
    embed = interactions.Embed(title="Reminder log", description=description[:4000], color=BLUE)
    embed.set_footer(f"page {page} of {pages}")
    return embed


def watch_reminder_chunks(
    title: str, link: str, user_ids: Sequence[int], required: Sequence[str]
) -> list[tuple[str, list[int]]]:
    """The round's messages: each at most 2,000 characters and 100 mentions, mentioning only
    members who still have to react."""
    head = f"🔔 **{title[:200]}**: please react with {emojis(required)} on {link}\n"
    chunks: list[tuple[str, list[int]]] = []
    text, ids = head, []
    for user_id in user_ids:
        piece = mention(user_id) + " "
        if len(text) + len(piece) > MESSAGE_LIMIT or len(ids) >= MENTION_LIMIT:
            chunks.append((text.rstrip(), ids))
            text, ids = head, []
        text += piece
        ids.append(user_id)
    if ids:
        chunks.append((text.rstrip(), ids))
    return chunks


# -- errors ---------------------------------------------------------------------------------------


def _examples(examples: Sequence[str]) -> str:
    return ", ".join(f"`{e}`" for e in examples)


async def describe_error(ctx: Any, error: Exception) -> str | None:
    """The member's reply to one of the plugin's errors; None leaves it to the core (``str``)."""
    if not isinstance(error, errors.RemindersError):
        return None
    match error:
        case errors.UnparseableTime(text=text):
            return f"I could not read `{text[:60]}` as a time. Try {_examples(errors.WHEN_EXAMPLES)}."
        case errors.TimeInPast(text=text, at=at):
            return (
                f"`{text[:60]}` is {absolute(at)}, which has passed. "
                f"Give a time ahead, like {_examples(errors.WHEN_EXAMPLES)}."
            )
        case errors.UnparseableRecurrence(text=text, why=why):
            reason = f" ({why})" if why else ""
            return f"I could not read every `{text[:60]}`{reason}. Try {_examples(errors.EVERY_EXAMPLES)}."
        case errors.UntilBeforeStart(until=until, first=first):
            return f"The end {absolute(until)} is before the first reminder {absolute(first)}."
        case errors.WatchNotFound(watch_id=watch_id):
            return f"There is no watch **#{watch_id}** here. `/watch list` shows them."
        case errors.ReminderNotFound(reminder_id=reminder_id):
            return f"You have no reminder **#{reminder_id}** here. `/reminders list` shows yours."
        case errors.AlreadyWatched(watch_id=watch_id):
            return f"That message is already watched (watch **#{watch_id}**, see `/watch list`)."
    return str(error)
