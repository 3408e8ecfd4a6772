"""Greeting logic over the models; no Discord types."""

from guildkit.core import clock
from guildkit.core.errors import UserError

from .models import Greeting, HeardMessage


async def greet(guild_id: int, user_id: int, limit: int) -> int:
    row, _ = await Greeting.get_or_create(guild_id=guild_id, user_id=user_id, defaults={"last_at": clock.now()})
    if row.count >= limit:
        raise UserError(f"You have been greeted {row.count} times already; the limit here is {limit}.")
    updated = await Greeting.filter(id=row.id, count__lt=limit).update(count=row.count + 1, last_at=clock.now())
    if not updated:
        raise UserError("Too many greetings at once; try again.")
    return row.count + 1


async def remember(guild_id: int, content: str) -> None:
    await HeardMessage.create(guild_id=guild_id, content=content[:200])
