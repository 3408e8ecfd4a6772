"""The leaderboard: members of a server ranked by XP or an activity counter, one page at a time."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

from guildkit.core.pagination import clamp_page, page_count

from ..curve import Curve
from ..errors import UnknownChoice
from ..models import Member

LEADERBOARD_KEYS = ("xp", "messages", "reactions", "voice_seconds", "commands_used")
PAGE_SIZE = 10


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    user_id: int
    value: int
    #: The member's level, on a leaderboard by XP.
    level: int | None


@dataclass(frozen=True)
class LeaderboardPage:
    by: str
    page: int
    pages: int
    entries: list[LeaderboardEntry]


async def leaderboard_page(
    guild_id: int, by: str, page: int, curve: Curve, counts: MutableMapping[tuple[int, str], int]
) -> LeaderboardPage:
    """Page ``page`` (1-based, clamped) of the members ranked by ``by``. ``counts`` caches how many
    members are ranked (the bot's TTL cache: the page count may lag a little, the rows never do)."""
    if by not in LEADERBOARD_KEYS:
        raise UnknownChoice("ranking", by, LEADERBOARD_KEYS)
    query = Member.filter(guild_id=guild_id, left_at=None, **{f"{by}__gt": 0})
    total = counts.get((guild_id, by))
    if total is None:
        total = counts[(guild_id, by)] = await query.count()
    pages = page_count(total, PAGE_SIZE)
    page = clamp_page(page, pages)
    first = (page - 1) * PAGE_SIZE
    rows = await query.order_by(f"-{by}", "user_id").offset(first).limit(PAGE_SIZE).values_list("user_id", by)
    entries = [
        LeaderboardEntry(first + index, user_id, value, curve.level(value) if by == "xp" else None)
        for index, (user_id, value) in enumerate(rows, start=1)
    ]
    return LeaderboardPage(by, page, pages, entries)
