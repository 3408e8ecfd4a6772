"""Warnings: active points (not pardoned, not expired), pardons and what a new warning escalates to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from guildkit.core import clock

from ..errors import AlreadyPardoned, CaseNotFound, NotAWarning
from ..models import Case, Warning
from .escalation import EscalationRule, crossed, parse_rules


@dataclass(frozen=True)
class WarningView:
    number: int
    reason: str | None
    points: int
    moderator_id: int
    created_at: datetime
    expires_at: datetime
    pardoned_at: datetime | None

    @property
    def active(self) -> bool:
        return self.pardoned_at is None and self.expires_at > clock.now()


@dataclass(frozen=True)
class WarningSummary:
    active_points: int
    active: list[WarningView]
    inactive: list[WarningView]


def _view(row: Warning) -> WarningView:
    return WarningView(
        row.number, row.reason, row.points, row.moderator_id, row.created_at, row.expires_at, row.pardoned_at
    )


async def summary(guild_id: int, user_id: int) -> WarningSummary:
    rows = await Warning.filter(guild_id=guild_id, user_id=user_id).order_by("-number")
    views = [_view(row) for row in rows]
    active = [v for v in views if v.active]
    return WarningSummary(sum(v.points for v in active), active, [v for v in views if not v.active])


async def active_points(guild_id: int, user_id: int, *, excluding: int | None = None) -> int:
    query = Warning.filter(guild_id=guild_id, user_id=user_id, pardoned_at=None, expires_at__gt=clock.now())
    if excluding is not None:
        query = query.exclude(number=excluding)
    return sum(await query.values_list("points", flat=True))


async def pardon(guild_id: int, number: int, by: int) -> WarningView:
    """The warning stops counting; the warning and its case stay."""
    row = await Warning.get_or_none(guild_id=guild_id, number=number)
    if row is None:
        kind = await Case.filter(guild_id=guild_id, number=number).values_list("kind", flat=True)
        if not kind:
            raise CaseNotFound(number)
        raise NotAWarning(number, kind[0])
    updated = await Warning.filter(id=row.id, pardoned_at=None).update(pardoned_at=clock.now(), pardoned_by=by)
    if not updated:
        raise AlreadyPardoned(number)
    await row.refresh_from_db()
    return _view(row)


async def escalation_for(guild_id: int, user_id: int, number: int, rules_text: str | None) -> EscalationRule | None:
    """The rule the warning of case ``number`` crossed, if any."""
    rules = parse_rules(rules_text or "")
    if not rules:
        return None
    warning = await Warning.get_or_none(guild_id=guild_id, number=number)
    if warning is None or warning.pardoned_at is not None:
        return None
    before = await active_points(guild_id, user_id, excluding=number)
    windows: dict[timedelta, tuple[int, int]] = {}
    for rule in rules:
        if rule.within is not None and rule.within not in windows:
            since = warning.created_at - rule.within
            count = await Warning.filter(
                guild_id=guild_id, user_id=user_id, pardoned_at=None, created_at__gte=since, number__lt=number
            ).count()
            windows[rule.within] = (count, count + 1)
    return crossed(rules, before, before + warning.points, windows)


async def export(user_id: int) -> list[dict[str, object]]:
    rows = await Warning.filter(user_id=user_id).order_by("guild_id", "number")
    return [
        {
            "guild_id": row.guild_id,
            "case": row.number,
            "reason": row.reason,
            "points": row.points,
            "created_at": row.created_at.isoformat(),
            "expires_at": row.expires_at.isoformat(),
            "pardoned": row.pardoned_at is not None,
        }
        for row in rows
    ]
