"""The live players kept in the database, so a restarted bot rejoins and continues mid-track."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.upsert import upsert

from ..models import MusicPlayer, MusicQueueItem


@dataclass(frozen=True)
class QueuedTrack:
    encoded: str
    title: str
    artist: str
    duration_ms: int
    uri: str | None
    requester_id: int


@dataclass
class PlayerSnapshot:
    guild_id: int
    voice_channel_id: int
    text_channel_id: int | None
    current: str | None
    current_requester: int | None
    position_ms: int
    paused: bool
    volume: int
    eq_preset: str
    loop: int
    node: str | None
    queue: list[QueuedTrack] = field(default_factory=list)


async def save(snapshot: PlayerSnapshot) -> None:
    """Replace the stored player and queue of the guild with ``snapshot``."""
    now = clock.now()
    async with in_transaction() as conn:
        await upsert(
            MusicPlayer,
            conflict=("guild_id",),
            values={
                "guild_id": snapshot.guild_id,
                "voice_channel_id": snapshot.voice_channel_id,
                "text_channel_id": snapshot.text_channel_id,
                "current": snapshot.current,
                "current_requester": snapshot.current_requester,
                "position_ms": snapshot.position_ms,
                "paused": snapshot.paused,
                "volume": snapshot.volume,
                "eq_preset": snapshot.eq_preset,
                "loop": snapshot.loop,
                "node": snapshot.node,
                "updated_at": now,
            },
            connection=conn,
        )
        await MusicQueueItem.filter(guild_id=snapshot.guild_id).using_db(conn).delete()
        if snapshot.queue:
            await MusicQueueItem.bulk_create(
                [
                    MusicQueueItem(
                        guild_id=snapshot.guild_id,
                        slot=slot,
                        encoded=item.encoded,
                        title=item.title[:200],
                        artist=item.artist[:200],
                        duration_ms=item.duration_ms,
                        uri=(item.uri or "")[:500] or None,
                        requester_id=item.requester_id,
                        added_at=now,
                    )
                    for slot, item in enumerate(snapshot.queue)
                ],
                using_db=conn,
            )


async def save_position(guild_id: int, position_ms: int, paused: bool) -> None:
    """The position from a player update: one small UPDATE every few seconds per playing guild."""
    await MusicPlayer.filter(guild_id=guild_id).update(position_ms=position_ms, paused=paused, updated_at=clock.now())


async def exists(guild_id: int) -> bool:
    return await MusicPlayer.filter(guild_id=guild_id).exists()


async def forget(guild_id: int) -> None:
    async with in_transaction() as conn:
        await MusicPlayer.filter(guild_id=guild_id).using_db(conn).delete()
        await MusicQueueItem.filter(guild_id=guild_id).using_db(conn).delete()


async def stored() -> list[PlayerSnapshot]:
    """Every stored player with its queue, to resume after a restart."""
    snapshots = []
    for row in await MusicPlayer.all().order_by("guild_id"):
        items = await MusicQueueItem.filter(guild_id=row.guild_id).order_by("slot")
        snapshots.append(
            PlayerSnapshot(
                guild_id=row.guild_id,
                voice_channel_id=row.voice_channel_id,
                text_channel_id=row.text_channel_id,
                current=row.current,
                current_requester=row.current_requester,
                position_ms=row.position_ms,
                paused=row.paused,
                volume=row.volume,
                eq_preset=row.eq_preset,
                loop=row.loop,
                node=row.node,
                queue=[QueuedTrack(i.encoded, i.title, i.artist, i.duration_ms, i.uri, i.requester_id) for i in items],
            )
        )
    return snapshots
