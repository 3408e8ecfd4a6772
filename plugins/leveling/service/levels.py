"""Levels and what follows from them: level roles, role multipliers, recomputes, /rank's summary."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from guildkit.core.upsert import upsert

from ..curve import Curve
from ..errors import InvalidCurve, NotALevelRole, OutOfRange
from ..models import GlobalXp, LevelRole, Member, RankCard, RoleMultiplier
from .cards import card_for
from .records import LevelChange

#: Highest level a curve, a preview or a level role may name (the max_level setting's bound).
MAX_LEVEL = 10_000
#: Bounds of a curve preview (the settings' bounds).
MAX_CURVE_BASE = 1_000_000
MIN_CURVE_MULTIPLIER = 0.01
MAX_CURVE_MULTIPLIER = 100
#: Largest XP multiplier of a role (0 makes it a no-XP role).
MAX_ROLE_MULTIPLIER = 100

# -- level roles ----------------------------------------------------------------------------------


async def level_roles(guild_id: int) -> list[LevelRole]:
    return await LevelRole.filter(guild_id=guild_id).order_by("level", "role_id")


def roles_for_level(roles: list[LevelRole], level: int) -> tuple[set[int], set[int]]:
    """(roles the member should have, managed roles they should not have) at ``level``.

    Stacked roles stay once earned; a replace role is kept only until a higher level role is earned.
    """
    earned = [r for r in roles if r.level <= level]
    top = max((r.level for r in earned), default=None)
    want = {r.role_id for r in earned if r.stacked or r.level == top}
    managed = {r.role_id for r in roles}
    return want, managed - want


async def set_level_role(
    guild_id: int, role_id: int, level: int, stacked: bool, *, configured_by: int | None = None
) -> None:
    if not 1 <= level <= MAX_LEVEL:
        raise OutOfRange("level", level, 1, MAX_LEVEL)
    await upsert(
        LevelRole,
        conflict=("guild_id", "role_id"),
        values={
            "guild_id": guild_id,
            "role_id": role_id,
            "level": level,
            "stacked": stacked,
            "configured_by": configured_by,
        },
    )


async def remove_level_role(guild_id: int, role_id: int) -> None:
    if not await LevelRole.filter(guild_id=guild_id, role_id=role_id).delete():
        raise NotALevelRole(role_id)


async def set_role_multiplier(guild_id: int, role_id: int, multiplier: float) -> None:
    """Members with the role earn multiplier times the XP (0: no XP); 1 removes the role's multiplier."""
    if not 0 <= multiplier <= MAX_ROLE_MULTIPLIER:
        raise OutOfRange("multiplier", multiplier, 0, MAX_ROLE_MULTIPLIER)
    if multiplier == 1.0:
        await RoleMultiplier.filter(guild_id=guild_id, role_id=role_id).delete()
        return
    await upsert(
        RoleMultiplier,
        conflict=("guild_id", "role_id"),
        values={"guild_id": guild_id, "role_id": role_id, "multiplier": multiplier},
    )


# -- recomputes -----------------------------------------------------------------------------------


async def recompute_levels(guild_id: int, curve: Curve, *, dry_run: bool) -> list[LevelChange]:
    """Levels of every member of the guild under ``curve``; with dry_run nothing is written."""
    changes: list[LevelChange] = []
    last_id = 0
    while True:
        rows = await (
            Member.filter(guild_id=guild_id, id__gt=last_id)
            .order_by("id")
            .limit(1000)
            .values_list("id", "user_id", "xp", "level")
        )
        if not rows:
            return changes
        last_id = rows[-1][0]
        for _, user_id, xp, level in rows:
            new = curve.level(xp)
            if new == level:
                continue
            if dry_run or await Member.filter(guild_id=guild_id, user_id=user_id, level=level).update(level=new):
                changes.append(LevelChange(guild_id, user_id, level, new, xp, announce=False))
        await asyncio.sleep(0)


@dataclass(frozen=True)
class LevelPreview:
    """How many members a curve would move: nothing is written."""

    curve: Curve
    changed: int
    up: int

    @property
    def down(self) -> int:
        return self.changed - self.up


def preview_curve(kind: str, base: int, multiplier: float, max_level: int) -> Curve:
    """A curve to preview, refusing bounds the settings would refuse too."""
    if (
        not 1 <= base <= MAX_CURVE_BASE
        or not MIN_CURVE_MULTIPLIER <= multiplier <= MAX_CURVE_MULTIPLIER
        or not 1 <= max_level <= MAX_LEVEL
    ):
        raise InvalidCurve(base, multiplier, max_level)
    return Curve(kind, base, multiplier, max_level)


async def preview_levels(guild_id: int, curve: Curve) -> LevelPreview:
    changes = await recompute_levels(guild_id, curve, dry_run=True)
    up = sum(1 for c in changes if c.new_level > c.old_level)
    return LevelPreview(curve, len(changes), up)


# -- reads ----------------------------------------------------------------------------------------


async def member_row(guild_id: int, user_id: int) -> Member | None:
    return await Member.get_or_none(guild_id=guild_id, user_id=user_id)


async def stored_level(guild_id: int, user_id: int) -> int:
    """The member's durable level (0 without a row)."""
    levels = await Member.filter(guild_id=guild_id, user_id=user_id).values_list("level", flat=True)
    return int(levels[0]) if levels else 0


async def rank_of(guild_id: int, xp: int) -> int:
    return await Member.filter(guild_id=guild_id, xp__gt=xp, left_at=None).count() + 1


async def global_xp(user_id: int) -> int:
    row = await GlobalXp.get_or_none(user_id=user_id)
    return row.xp if row else 0


@dataclass(frozen=True)
class RankSummary:
    """Everything /rank shows about one member."""

    user_id: int
    xp: int
    level: int
    #: XP into the current level, and what the level needs (0 at the max level).
    into: int
    need: int
    rank: int
    global_xp: int
    #: The member's card colours, when an image card is wanted.
    card: RankCard | None


async def rank_summary(guild_id: int, user_id: int, curve: Curve, *, with_card: bool) -> RankSummary:
    row = await member_row(guild_id, user_id)
    xp = row.xp if row else 0
    level, into, need = curve.progress(xp)
    return RankSummary(
        user_id=user_id,
        xp=xp,
        level=level,
        into=into,
        need=need,
        rank=await rank_of(guild_id, xp),
        global_xp=await global_xp(user_id),
        card=await card_for(guild_id, user_id) if with_card else None,
    )
