"""Quests and achievements: their definitions, periods, and each member's standing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from guildkit.core import clock

from ..errors import NoSuchAchievement, NoSuchQuest, OutOfRange, TooManyQuests, UnknownChoice
from ..models import COUNTERS, Achievement, EarnedAchievement, Quest, QuestProgress

CYCLES = ("daily", "weekly", "monthly", "once")
ACHIEVEMENT_REQUIREMENTS = (*COUNTERS, "level")
#: Active quests one server may have at once.
MAX_ACTIVE_QUESTS = 25
#: Bounds of quest and achievement options (the commands declare them, so Discord refuses more).
MAX_REQUIREMENT = 1_000_000_000
MAX_REWARD_XP = 1_000_000
MAX_QUEST_MULTIPLIER = 10
MAX_MULTIPLIER_MINUTES = 10_080
#: The largest id a command accepts: any stored id, within Discord's ±2^53 for integer options.
MAX_ID = 2**53 - 1


def period_start(
    cycle: str, now: datetime, hour: int, weekday: int, created_at: datetime
) -> tuple[datetime, datetime | None]:
    """The current period of a quest cycle and when it expires (UTC, reset at ``hour``)."""
    if cycle == "once":
        return created_at.astimezone(UTC).replace(microsecond=0), None
    now = now.astimezone(UTC)
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    start = today if now >= today else today - timedelta(days=1)
    if cycle == "daily":
        return start, start + timedelta(days=1)
    if cycle == "weekly":
        start -= timedelta(days=(start.weekday() - weekday) % 7)
        return start, start + timedelta(days=7)
    # monthly: the first of the month at the reset hour
    first = now.replace(day=1, hour=hour, minute=0, second=0, microsecond=0)
    if now < first:
        first = (first - timedelta(days=1)).replace(day=1)
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt


def _in_range(what: str, value: float, low: float, high: float, unit: str = "") -> None:
    if not low <= value <= high:
        raise OutOfRange(what, value, low, high, unit)


async def create_quest(
    guild_id: int,
    *,
    name: str,
    cycle: str,
    requirement: str,
    requirement_value: int,
    reward_xp: int,
    reward_multiplier: float = 1.0,
    multiplier_minutes: int = 0,
) -> Quest:
    if cycle not in CYCLES:
        raise UnknownChoice("cycle", cycle, CYCLES)
    if requirement not in COUNTERS:
        raise UnknownChoice("requirement", requirement, COUNTERS)
    _in_range("required amount", requirement_value, 1, MAX_REQUIREMENT)
    _in_range("XP reward", reward_xp, 0, MAX_REWARD_XP)
    _in_range("reward multiplier", reward_multiplier, 1, MAX_QUEST_MULTIPLIER)
    _in_range("multiplier duration", multiplier_minutes, 0, MAX_MULTIPLIER_MINUTES, "minutes")
    if await Quest.filter(guild_id=guild_id, active=True).count() >= MAX_ACTIVE_QUESTS:
        raise TooManyQuests(MAX_ACTIVE_QUESTS)
    return await Quest.create(
        guild_id=guild_id,
        name=name[:100],
        cycle=cycle,
        requirement=requirement,
        requirement_value=requirement_value,
        reward_xp=reward_xp,
        reward_multiplier=float(reward_multiplier),
        multiplier_minutes=multiplier_minutes,
        created_at=clock.now(),
    )


async def remove_quest(guild_id: int, quest_id: int) -> str:
    """Retire a quest (its progress rows expire with retention); returns its name."""
    quest = await Quest.get_or_none(guild_id=guild_id, id=quest_id, active=True)
    if quest is None:
        raise NoSuchQuest(quest_id)
    quest.active = False
    await quest.save()
    return quest.name


@dataclass(frozen=True)
class QuestStanding:
    """A quest and one member's progress in its current period."""

    quest: Quest
    progress: int
    completed: bool


async def quests_for(guild_id: int, user_id: int, settings: Any) -> list[QuestStanding]:
    now = clock.now()
    out = []
    for quest in await Quest.filter(guild_id=guild_id, active=True).order_by("id"):
        start, _ = period_start(
            quest.cycle, now, settings.quest_reset_hour, settings.quest_reset_weekday, quest.created_at
        )
        row = await QuestProgress.get_or_none(quest_id=quest.id, user_id=user_id, period_start=start)
        out.append(QuestStanding(quest, row.progress if row else 0, bool(row and row.completed_at)))
    return out


async def create_achievement(
    guild_id: int, name: str, requirement: str, value: int, reward_xp: int, description: str
) -> Achievement:
    if requirement not in ACHIEVEMENT_REQUIREMENTS:
        raise UnknownChoice("requirement", requirement, ACHIEVEMENT_REQUIREMENTS)
    _in_range("required amount", value, 1, MAX_REQUIREMENT)
    _in_range("XP reward", reward_xp, 0, MAX_REWARD_XP)
    return await Achievement.create(
        guild_id=guild_id,
        name=name[:100],
        requirement=requirement,
        requirement_value=value,
        reward_xp=reward_xp,
        description=description[:300],
        created_at=clock.now(),
    )


async def remove_achievement(guild_id: int, achievement_id: int) -> str:
    """Delete an achievement and who earned it; returns its name."""
    achievement = await Achievement.get_or_none(guild_id=guild_id, id=achievement_id)
    if achievement is None:
        raise NoSuchAchievement(achievement_id)
    await EarnedAchievement.filter(achievement_id=achievement_id).delete()
    await achievement.delete()
    return achievement.name


@dataclass(frozen=True)
class AchievementStanding:
    achievement: Achievement
    earned_at: datetime | None


async def achievements_for(guild_id: int, user_id: int) -> list[AchievementStanding]:
    earned = dict(
        await EarnedAchievement.filter(guild_id=guild_id, user_id=user_id).values_list("achievement_id", "earned_at")
    )
    return [
        AchievementStanding(a, earned.get(a.id)) for a in await Achievement.filter(guild_id=guild_id).order_by("id")
    ]
