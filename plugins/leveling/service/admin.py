"""Admin XP tools: one member's XP exactly, and a server-wide reset with a backup to restore."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.upsert import upsert

from ..errors import NoBackup, OutOfRange, ResetNotConfirmed
from ..models import Member, XpBackup
from .engine import MAX_ADMIN_XP, Engine, XpChange

XpChangeKind = Literal["add", "remove", "set", "reset"]
#: What an admin types to confirm a server-wide reset.
RESET_CONFIRMATION = "RESET"


def check_amount(amount: int, *, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    if not low <= amount <= MAX_ADMIN_XP:
        raise OutOfRange("amount", amount, low, MAX_ADMIN_XP, "XP")
    return amount


async def change_xp(engine: Engine, guild_id: int, user_id: int, kind: XpChangeKind, amount: int = 0) -> XpChange:
    """Add, remove (floored at 0), set or reset one member's XP, exactly and at once."""
    compute: Callable[[int], int]
    if kind == "add":
        delta = check_amount(amount)
        compute = lambda old: old + delta  # noqa: E731
    elif kind == "remove":
        delta = check_amount(amount)
        compute = lambda old: old - delta  # noqa: E731
    elif kind == "set":
        value = check_amount(amount, allow_zero=True)
        compute = lambda old: value  # noqa: E731
    else:
        compute = lambda old: 0  # noqa: E731
    return await engine.set_xp(guild_id, user_id, compute)


@dataclass(frozen=True)
class GuildReset:
    backup_id: int
    members: int


def check_reset_confirmation(confirm: str) -> None:
    if confirm != RESET_CONFIRMATION:
        raise ResetNotConfirmed(confirm)


async def check_backup_exists(guild_id: int) -> None:
    if not await XpBackup.filter(guild_id=guild_id).exists():
        raise NoBackup(guild_id)


async def reset_guild(guild_id: int, confirm: str) -> GuildReset:
    """Back up every member's XP, then set it to 0 (the caller flushed first)."""
    check_reset_confirmation(confirm)
    rows = await Member.filter(guild_id=guild_id, xp__gt=0).values_list("user_id", "xp", "level")
    async with in_transaction():
        backup = await XpBackup.create(guild_id=guild_id, created_at=clock.now(), data=json.dumps(rows))
        # Levels follow in the recompute job, which fires leveling_level_changed and fixes roles.
        await Member.filter(guild_id=guild_id).update(xp=0)
    return GuildReset(backup.id, len(rows))


@dataclass(frozen=True)
class GuildRestore:
    members: int
    backup_made_at: datetime


async def restore_guild(guild_id: int) -> GuildRestore:
    """Put back the XP of the latest backup and delete that backup."""
    backup = await XpBackup.filter(guild_id=guild_id).order_by("-id").first()
    if backup is None:
        raise NoBackup(guild_id)
    rows = json.loads(backup.data)
    async with in_transaction() as tx:
        for user_id, xp, _level in rows:
            await upsert(
                Member,
                conflict=("guild_id", "user_id"),
                values={"guild_id": guild_id, "user_id": user_id, "xp": xp},
                connection=tx,
            )
        await backup.delete(using_db=tx)
    return GuildRestore(len(rows), backup.created_at)
