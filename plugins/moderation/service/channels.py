"""Channel tools: lock records and which messages a purge may bulk-delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from guildkit.core import clock

from ..errors import ChannelAlreadyLocked, ChannelNotLocked
from ..models import ChannelLock

#: Discord bulk-deletes only messages younger than this.
BULK_DELETE_AGE = timedelta(days=14)
MAX_SLOWMODE = timedelta(hours=6)
#: A timed lock: as long as a temporary ban may last.
MAX_LOCK = timedelta(days=3650)


@dataclass(frozen=True)
class LockRecord:
    channel_id: int
    had_overwrite: bool
    allow: int
    deny: int
    until: datetime | None


@dataclass(frozen=True)
class Candidate:
    message_id: int
    author_id: int
    content: str
    created_at: datetime
    pinned: bool = False


@dataclass(frozen=True)
class PurgePlan:
    delete: list[int]
    too_old: int


def plan_purge(messages: list[Candidate], count: int, member_id: int | None, contains: str | None) -> PurgePlan:
    """The newest ``count`` matching messages (pinned ones are left alone); those older than 14
    days are counted, not deleted: Discord refuses to bulk-delete them."""
    needle = contains.casefold() if contains else None
    matching = [
        m
        for m in sorted(messages, key=lambda m: m.message_id, reverse=True)
        if not m.pinned
        and (member_id is None or m.author_id == member_id)
        and (needle is None or needle in m.content.casefold())
    ][:count]
    cutoff = clock.now() - BULK_DELETE_AGE + timedelta(minutes=1)  # a minute of margin for clock skew
    young = [m.message_id for m in matching if m.created_at > cutoff]
    return PurgePlan(delete=young, too_old=len(matching) - len(young))


async def lock_started(
    guild_id: int, channel_id: int, *, had_overwrite: bool, allow: int, deny: int, by: int, until: datetime | None
) -> None:
    if await ChannelLock.exists(channel_id=channel_id):
        raise ChannelAlreadyLocked(channel_id)
    await ChannelLock.create(
        guild_id=guild_id,
        channel_id=channel_id,
        had_overwrite=had_overwrite,
        allow=allow,
        deny=deny,
        locked_by=by,
        until=until,
        created_at=clock.now(),
    )


async def lock_of(channel_id: int) -> LockRecord:
    row = await ChannelLock.get_or_none(channel_id=channel_id)
    if row is None:
        raise ChannelNotLocked(channel_id)
    return LockRecord(row.channel_id, row.had_overwrite, row.allow, row.deny, row.until)


async def lock_ended(channel_id: int) -> bool:
    return bool(await ChannelLock.filter(channel_id=channel_id).delete())
