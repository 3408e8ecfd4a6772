"""Reaction watches (seed 002): a watched message, the reactions on it, who still has to react,
and the reminder log of each round.

A watch is one recurring scheduler job (``reminders:watch:ID``, every interval). Reactions are
followed through gateway events (:func:`record_reaction`) and replaced by what Discord really
shows at each round (:func:`reconcile`), so a reaction missed while the bot was down, or on
another process, counts at the next round at the latest.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from guildkit.core import clock
from guildkit.core.models import ScheduledJob

from ..errors import AlreadyWatched, BadEmojis, BadMessageLink, TooManyWatches, WatchNotChangeable, WatchNotFound
from ..models import ReminderLog, Watch, WatchReaction
from ..settings import RemindersSettings

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

PLUGIN = "reminders"
WATCH_JOB = "watch"
WATCHING, COMPLETE, STOPPED = "watching", "complete", "stopped"
MAX_EMOJIS = 20
LIST_PAGE_SIZE = 8
LOG_PAGE_SIZE = 10

_LINK = re.compile(r"^https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(\d+)/(\d+)/(\d+)/?$")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w{2,32}):(\d{5,20})>")


@dataclass(frozen=True)
class WatchView:
    id: int
    channel_id: int
    message_id: int
    title: str
    interval_minutes: int
    required_emojis: list[str]
    role_id: int | None
    paused: bool
    status: str
    last_reminder_at: datetime | None
    reacted: int

    @classmethod
    def of(cls, row: Watch, reacted: int = 0) -> WatchView:
        return cls(
            id=row.id,
            channel_id=row.channel_id,
            message_id=row.message_id,
            title=row.title,
            interval_minutes=row.interval_minutes,
            required_emojis=list(row.required_emojis or []),
            role_id=row.role_id,
            paused=row.paused,
            status=row.status,
            last_reminder_at=row.last_reminder_at,
            reacted=reacted,
        )


@dataclass(frozen=True)
class WatchPage:
    rows: list[WatchView]
    page: int
    pages: int


@dataclass(frozen=True)
class LogEntry:
    id: int
    watch_id: int | None
    scheduled_at: datetime
    sent_at: datetime | None
    status: str
    error: str | None
    members_notified: int


@dataclass(frozen=True)
class LogPage:
    rows: list[LogEntry]
    page: int
    pages: int


def job_key(watch_id: int) -> str:
    return f"{PLUGIN}:{WATCH_JOB}:{watch_id}"


def parse_message_link(text: str, guild_id: int) -> tuple[int, int]:
    """(channel id, message id) of a message link of this guild."""
    match = _LINK.match(text.strip())
    if match is None or int(match.group(1)) != guild_id:
        raise BadMessageLink(text)
    return int(match.group(2)), int(match.group(3))


def emoji_key(name: str, emoji_id: int | str | None) -> str:
    """How reactions are stored and compared: the unicode emoji, or ``name:id`` for a custom one."""
    return f"{name}:{emoji_id}" if emoji_id else name


def parse_emojis(text: str | None) -> list[str]:
    """ "✅ 👍" or "<:yes:123>, ✅" -> emoji keys; empty means any reaction counts."""
    if not text or not text.strip():
        return []
    keys = [emoji_key(name, emoji_id) for name, emoji_id in _CUSTOM_EMOJI.findall(text)]
    rest = _CUSTOM_EMOJI.sub(" ", text)
    for token in re.split(r"[\s,]+", rest):
        if not token:
            continue
        # A unicode emoji has no letters or digits (keycaps like 1️⃣ start with one, then U+20E3).
        if any(c.isalnum() for c in token) and "\u20e3" not in token:
            raise BadEmojis(text)
        keys.append(token)
    keys = list(dict.fromkeys(keys))
    if len(keys) > MAX_EMOJIS:
        raise BadEmojis(text)
    return keys


async def add_watch(
    runtime: Runtime,
    *,
    guild_id: int,
    channel_id: int,
    message_id: int,
    interval: timedelta,
    emojis: list[str],
    role_id: int | None,
    title: str,
    created_by: int | None,
    settings: RemindersSettings,
) -> WatchView:
    if await Watch.filter(guild_id=guild_id, status=WATCHING).count() >= settings.max_watches:
        raise TooManyWatches(settings.max_watches)
    existing = await Watch.get_or_none(message_id=message_id)
    if existing is not None:
        raise AlreadyWatched(existing.id)
    now = clock.now()
    try:
        row = await Watch.create(
            guild_id=guild_id,
            channel_id=channel_id,
            message_id=message_id,
            title=title[:200],
            interval_minutes=max(1, int(interval.total_seconds() // 60)),
            required_emojis=emojis,
            role_id=role_id,
            created_by=created_by,
            created_at=now,
        )
    except IntegrityError:
        found = await Watch.get(message_id=message_id)
        raise AlreadyWatched(found.id) from None
    await schedule_watch(runtime, row)
    return WatchView.of(row)


async def schedule_watch(runtime: Runtime, row: Watch, *, first: datetime | None = None) -> None:
    """The watch's recurring job; the first round after one interval (or at ``first``)."""
    every = timedelta(minutes=row.interval_minutes)
    await runtime.scheduler.schedule(
        PLUGIN,
        WATCH_JOB,
        first or clock.now() + every,
        guild_id=row.guild_id,
        payload={"watch_id": row.id},
        key=job_key(row.id),
        every=every,
    )


async def _in_guild(guild_id: int, watch_id: int) -> Watch:
    row = await Watch.get_or_none(id=watch_id, guild_id=guild_id)
    if row is None:
        raise WatchNotFound(watch_id)
    return row


async def _reacted_counts(watch_ids: Iterable[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    rows = await WatchReaction.filter(watch_id__in=list(watch_ids)).values_list("watch_id", "user_id")
    seen: set[tuple[int, int]] = set()
    for watch_id, user_id in rows:
        if (watch_id, user_id) not in seen:
            seen.add((watch_id, user_id))
            counts[watch_id] = counts.get(watch_id, 0) + 1
    return counts


async def list_watches(guild_id: int, page: int) -> WatchPage:
    query = Watch.filter(guild_id=guild_id)
    total = await query.count()
    pages = max(1, -(-total // LIST_PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = await query.order_by("-id").offset((page - 1) * LIST_PAGE_SIZE).limit(LIST_PAGE_SIZE)
    counts = await _reacted_counts(r.id for r in rows)
    return WatchPage([WatchView.of(r, counts.get(r.id, 0)) for r in rows], page, pages)


async def pause_watch(runtime: Runtime, guild_id: int, watch_id: int) -> WatchView:
    row = await _in_guild(guild_id, watch_id)
    if row.status != WATCHING or row.paused:
        raise WatchNotChangeable(watch_id, "paused" if row.paused else row.status, "paused")
    await Watch.filter(id=row.id).update(paused=True)
    await runtime.scheduler.cancel(key=job_key(row.id))
    return WatchView.of(await Watch.get(id=row.id))


async def resume_watch(runtime: Runtime, guild_id: int, watch_id: int) -> WatchView:
    row = await _in_guild(guild_id, watch_id)
    if row.status != WATCHING or not row.paused:
        raise WatchNotChangeable(watch_id, row.status, "resumed")
    await Watch.filter(id=row.id).update(paused=False)
    row = await Watch.get(id=row.id)
    await schedule_watch(runtime, row)
    return WatchView.of(row)


async def stop_watch(runtime: Runtime, guild_id: int, watch_id: int) -> WatchView:
    row = await _in_guild(guild_id, watch_id)
    if row.status == STOPPED:
        raise WatchNotChangeable(watch_id, row.status, "stopped")
    await Watch.filter(id=row.id).update(status=STOPPED, stopped_at=clock.now())
    await runtime.scheduler.cancel(key=job_key(row.id))
    return WatchView.of(await Watch.get(id=row.id))


async def watch_log(guild_id: int, watch_id: int | None, page: int) -> LogPage:
    query = ReminderLog.filter(guild_id=guild_id, watch_id__not_isnull=True)
    if watch_id is not None:
        await _in_guild(guild_id, watch_id)
        query = query.filter(watch_id=watch_id)
    total = await query.count()
    pages = max(1, -(-total // LOG_PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = await query.order_by("-id").offset((page - 1) * LOG_PAGE_SIZE).limit(LOG_PAGE_SIZE)
    entries = [
        LogEntry(r.id, r.watch_id, r.scheduled_at, r.sent_at, r.status, r.error, r.members_notified) for r in rows
    ]
    return LogPage(entries, page, pages)


# -- reactions ------------------------------------------------------------------------------------


async def watched(message_id: int) -> Watch | None:
    return await Watch.get_or_none(message_id=message_id, status=WATCHING)


async def record_reaction(message_id: int, user_id: int, emoji: str) -> bool:
    """A reaction event on a watched message; False when the message is not watched."""
    row = await watched(message_id)
    if row is None:
        return False
    with contextlib.suppress(IntegrityError):  # a repeated event, or the reconciliation was faster
        await WatchReaction.create(watch_id=row.id, user_id=user_id, emoji=emoji[:100], reacted_at=clock.now())
    return True


async def remove_reaction(message_id: int, user_id: int, emoji: str | None) -> bool:
    """A reaction removed (``emoji`` None: all of that member's, or all reactions when
    ``user_id`` is 0, as after "remove all reactions")."""
    row = await watched(message_id)
    if row is None:
        return False
    query = WatchReaction.filter(watch_id=row.id)
    if user_id:
        query = query.filter(user_id=user_id)
    if emoji is not None:
        query = query.filter(emoji=emoji)
    await query.delete()
    return True


async def reconcile(watch_id: int, actual: Mapping[str, set[int]]) -> tuple[int, int]:
    """Make the stored reactions what Discord shows (emoji -> user ids); returns (added, removed)."""
    stored = await WatchReaction.filter(watch_id=watch_id).values_list("id", "user_id", "emoji")
    have = {(user_id, emoji): row_id for row_id, user_id, emoji in stored}
    want = {(user_id, emoji) for emoji, users in actual.items() for user_id in users}
    gone = [row_id for key, row_id in have.items() if key not in want]
    new = [key for key in want if key not in have]
    now = clock.now()
    # No transaction: a reaction event may insert the same row meanwhile, and on PostgreSQL that
    # conflict would abort a whole transaction; each statement is atomic on its own.
    if gone:
        await WatchReaction.filter(id__in=gone).delete()
    for user_id, emoji in new:
        with contextlib.suppress(IntegrityError):
            await WatchReaction.create(watch_id=watch_id, user_id=user_id, emoji=emoji[:100], reacted_at=now)
    await Watch.filter(id=watch_id).update(reconciled_at=now)
    return len(new), len(gone)


async def pending_members(watch: Watch, eligible: Iterable[int]) -> list[int]:
    """Members of ``eligible`` who have not reacted with every required emoji (any emoji when none
    is required), in id order."""
    rows = await WatchReaction.filter(watch_id=watch.id).values_list("user_id", "emoji")
    required = set(watch.required_emojis or [])
    by_user: dict[int, set[str]] = {}
    for user_id, emoji in rows:
        by_user.setdefault(user_id, set()).add(emoji)
    done = {u for u, emojis in by_user.items() if (required <= emojis if required else emojis)}
    return sorted(set(eligible) - done)


# -- rounds ---------------------------------------------------------------------------------------


async def watch_for_round(watch_id: int, job_id: int) -> Watch | None:
    """The watch a round reminds for; None (and the job removed) when it is stopped, complete or
    gone. A paused watch's job was cancelled; one claimed while pausing just does nothing."""
    row = await Watch.get_or_none(id=watch_id)
    if row is None or row.status != WATCHING:
        # A recurring job has no end; the handler that finds nothing to do removes its own row.
        await ScheduledJob.filter(id=job_id).delete()
        return None
    return None if row.paused else row


async def begin_round(watch: Watch, occurrence: int, scheduled_at: datetime) -> ReminderLog:
    """The log entry of this round, pending; the same entry when the round runs again after a crash."""
    existing = await ReminderLog.get_or_none(watch_id=watch.id, occurrence=occurrence)
    if existing is not None:
        return existing
    return await ReminderLog.create(
        guild_id=watch.guild_id,
        watch_id=watch.id,
        occurrence=occurrence,
        scheduled_at=scheduled_at,
        status="pending",
        late_seconds=max(0, int((clock.now() - scheduled_at).total_seconds())),
        created_at=clock.now(),
    )


async def finish_round(entry: ReminderLog, *, notified: int, error: str | None) -> None:
    now = clock.now()
    await ReminderLog.filter(id=entry.id).update(
        status="failed" if error else "sent",
        error=error[:300] if error else None,
        sent_at=None if error else now,
        members_notified=notified,
        delivered_via="channel",
    )
    if not error and entry.watch_id is not None:
        await Watch.filter(id=entry.watch_id).update(last_reminder_at=now)


async def complete_watch(watch: Watch, job_id: int, *, status: str = COMPLETE) -> None:
    """Everyone reacted (or the message is gone): the watch ends and its job with it."""
    await Watch.filter(id=watch.id).update(status=status, stopped_at=clock.now())
    await ScheduledJob.filter(id=job_id).delete()
