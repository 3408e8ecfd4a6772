"""Favorites (seed 000): unique per member, title and artist."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from guildkit.core import clock

from ..errors import AlreadyFavorite, NoSuchFavorite
from ..models import MusicFavorite

#: A member keeps at most this many favorites.
MAX_FAVORITES = 200


@dataclass(frozen=True)
class Favorite:
    number: int
    title: str
    artist: str
    uri: str | None


async def add(guild_id: int, user_id: int, title: str, artist: str, uri: str | None) -> None:
    try:
        await MusicFavorite.create(
            guild_id=guild_id, user_id=user_id, title=title[:200], artist=artist[:200], uri=uri, added_at=clock.now()
        )
    except IntegrityError:
        raise AlreadyFavorite(title) from None


async def listing(guild_id: int, user_id: int) -> list[Favorite]:
    rows = await MusicFavorite.filter(user_id=user_id).order_by("added_at", "id").limit(MAX_FAVORITES)
    return [Favorite(n, r.title, r.artist, r.uri) for n, r in enumerate(rows, start=1)]


async def get(guild_id: int, user_id: int, number: int) -> Favorite:
    favorites = await listing(guild_id, user_id)
    if not 1 <= number <= len(favorites):
        raise NoSuchFavorite(number)
    return favorites[number - 1]


async def remove(guild_id: int, user_id: int, number: int) -> Favorite:
    favorite = await get(guild_id, user_id, number)
    await MusicFavorite.filter(user_id=user_id, title=favorite.title, artist=favorite.artist).delete()
    return favorite
