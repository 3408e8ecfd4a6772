"""Rank card colours per member and server."""

from __future__ import annotations

from guildkit.core.upsert import upsert

from ..errors import NoColourGiven, NotAColour
from ..models import RankCard

CARD_FIELDS = ("primary_color", "secondary_color", "text_color", "background_color")
#: A colour as stored: ``#rrggbb``.
COLOUR_LENGTH = 7


def parse_color(value: str) -> str:
    """``#rrggbb`` from ``rrggbb`` or ``#RRGGBB``; NotAColour otherwise."""
    text = value.strip().lower()
    if not text.startswith("#"):
        text = "#" + text
    if len(text) != 7 or any(c not in "0123456789abcdef" for c in text[1:]):
        raise NotAColour(value)
    return text


async def card_for(guild_id: int, user_id: int) -> RankCard:
    return await RankCard.get_or_none(guild_id=guild_id, user_id=user_id) or RankCard(
        guild_id=guild_id, user_id=user_id
    )


async def set_card(guild_id: int, user_id: int, colors: dict[str, str | None]) -> RankCard:
    """Save the given colours (None leaves one as it is); at least one is needed."""
    if not any(colors.values()):
        raise NoColourGiven()
    values = {k: parse_color(v) for k, v in colors.items() if v}
    await upsert(
        RankCard, conflict=("guild_id", "user_id"), values={"guild_id": guild_id, "user_id": user_id, **values}
    )
    return await RankCard.get(guild_id=guild_id, user_id=user_id)
