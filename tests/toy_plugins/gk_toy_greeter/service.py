"""Greeting logic over the models; no Discord types."""

from collections import Counter
from collections.abc import Sequence

from tortoise.expressions import F

from guildkit.core import clock
from guildkit.core.errors import UserError

from .models import Greeting, HeardMessage, Visit, VisitDaily


async def greet(guild_id: int, user_id: int, limit: int) -> int:
    row, _ = await Greeting.get_or_create(guild_id=guild_id, user_id=user_id, defaults={"last_at": clock.now()})
    if row.count >= limit:
        raise UserError(f"You have been greeted {row.count} times already; the limit here is {limit}.")
    updated = await Greeting.filter(id=row.id, count__lt=limit).update(count=row.count + 1, last_at=clock.now())
    if not updated:
        raise UserError("Too many greetings at once; try again.")
    return row.count + 1


async def remember(guild_id: int, author_id: int, content: str) -> None:
    await HeardMessage.create(guild_id=guild_id, author_id=author_id, content=content[:200], heard_at=clock.now())


async def roll_up_visits(rows: Sequence[Visit]) -> None:
    """Retention's aggregate step: count expired visits per guild and day into VisitDaily."""
    counts = Counter((row.guild_id, row.at.date()) for row in rows)
    for (guild_id, day), visits in counts.items():
        updated = await VisitDaily.filter(guild_id=guild_id, day=day).update(visits=F("visits") + visits)
        if not updated:
            await VisitDaily.create(guild_id=guild_id, day=day, visits=visits)
