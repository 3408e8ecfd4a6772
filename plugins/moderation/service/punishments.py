"""Temporary bans and timeouts: recorded while they run, ended by their job or lifted early."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from guildkit.core import clock
from guildkit.core.upsert import upsert

from ..models import TempPunishment

#: Discord's limit for a timeout.
MAX_TIMEOUT = timedelta(days=28)
#: Temporary bans: long enough for any "ban for a year", short enough to stay a date.
MAX_TEMPBAN = timedelta(days=3650)


@dataclass(frozen=True)
class Running:
    guild_id: int
    user_id: int
    kind: str
    number: int
    expires_at: datetime

    @property
    def job_key(self) -> str:
        return job_key(self.guild_id, self.user_id, self.kind, self.number)


def job_key(guild_id: int, user_id: int, kind: str, number: int) -> str:
    """The expiry job's key: one per punishment, so scheduling twice (a retry, a second process)
    finds the same job and a lift cancels exactly this one."""
    return f"moderation:expire:{guild_id}:{kind}:{user_id}:{number}"


async def current(guild_id: int, user_id: int, kind: str) -> Running | None:
    row = await TempPunishment.get_or_none(guild_id=guild_id, user_id=user_id, kind=kind)
    if row is None:
        return None
    return Running(row.guild_id, row.user_id, row.kind, row.number, row.expires_at)


async def start(guild_id: int, user_id: int, kind: str, number: int, expires_at: datetime) -> Running | None:
    """Record a running punishment; returns the one it replaces (whose job must be cancelled)."""
    previous = await current(guild_id, user_id, kind)
    await upsert(
        TempPunishment,
        conflict=("guild_id", "user_id", "kind"),
        values={
            "guild_id": guild_id,
            "user_id": user_id,
            "kind": kind,
            "number": number,
            "expires_at": expires_at,
            "created_at": clock.now(),
        },
    )
    return previous if previous is not None and previous.number != number else None


async def end(guild_id: int, user_id: int, kind: str, *, number: int | None = None) -> Running | None:
    """Remove the running punishment (only the one of case ``number`` if given); returns it."""
    found = await current(guild_id, user_id, kind)
    if found is None or (number is not None and found.number != number):
        return None
    query = TempPunishment.filter(guild_id=guild_id, user_id=user_id, kind=kind, number=found.number)
    return found if await query.delete() else None


async def export(user_id: int) -> list[dict[str, object]]:
    rows = await TempPunishment.filter(user_id=user_id)
    return [
        {"guild_id": r.guild_id, "kind": r.kind, "case": r.number, "expires_at": r.expires_at.isoformat()} for r in rows
    ]
