"""Quest progress and achievements, advanced by each flush from what it just wrote.

Completions are claimed with conditional writes (``completed_at IS NULL``, a unique earned row), so
with several writers each completion is rewarded once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError

from guildkit.core import clock
from guildkit.core.upsert import insert_many

from ..models import Achievement, EarnedAchievement, Member, Quest, QuestProgress
from .quests import period_start
from .records import CHANNEL, COUNTER_SLOT, Completion, FlushResult
from .sql import chunks

if TYPE_CHECKING:
    from .engine import Engine


async def progress_quests(
    engine: Engine,
    guild_id: int,
    quests: list[Quest],
    users: list[int],
    batch: dict[tuple[int, int], list[Any]],
    settings: Any,
    result: FlushResult,
) -> None:
    now = clock.now()
    for quest in quests:
        slot = COUNTER_SLOT[quest.requirement]
        start, expires = period_start(
            quest.cycle, now, settings.quest_reset_hour, settings.quest_reset_weekday, quest.created_at
        )
        movers = [u for u in users if batch[(guild_id, u)][slot] > 0]
        if not movers:
            continue
        await insert_many(
            QuestProgress._meta.db,
            "INSERT INTO leveling_quest_progress (guild_id, user_id, quest_id, period_start, expires_at, progress)",
            6,
            "ON CONFLICT (quest_id, user_id, period_start) "
            "DO UPDATE SET progress = leveling_quest_progress.progress + excluded.progress",
            [(guild_id, u, quest.id, start, expires, batch[(guild_id, u)][slot]) for u in movers],
        )
        done = await QuestProgress.filter(
            quest_id=quest.id,
            period_start=start,
            user_id__in=movers,
            completed_at=None,
            progress__gte=quest.requirement_value,
        ).values_list("id", "user_id")
        for progress_id, user_id in done:
            claimed = await QuestProgress.filter(id=progress_id, completed_at=None).update(completed_at=now)
            if not claimed:
                continue
            if quest.reward_xp:
                engine.add_xp(guild_id, user_id, quest.reward_xp)
            if quest.reward_multiplier != 1.0 and quest.multiplier_minutes > 0:
                until = now + timedelta(minutes=quest.multiplier_minutes)
                await Member.filter(guild_id=guild_id, user_id=user_id).update(
                    boost=quest.reward_multiplier, boost_until=until
                )
                engine.boosts[(guild_id, user_id)] = (quest.reward_multiplier, until)
            result.completions.append(
                Completion(
                    guild_id,
                    user_id,
                    "quest",
                    quest.id,
                    quest.name,
                    quest.reward_xp,
                    batch[(guild_id, user_id)][CHANNEL],
                )
            )


async def check_achievements(
    engine: Engine,
    guild_id: int,
    achievements: list[Achievement],
    rows: list[dict[str, Any]],
    batch: dict[tuple[int, int], list[Any]],
    result: FlushResult,
) -> None:
    candidates: list[tuple[dict[str, Any], Achievement]] = []
    for row in rows:
        for achievement in achievements:
            if row.get(achievement.requirement, 0) >= achievement.requirement_value:
                candidates.append((row, achievement))
    if not candidates:
        return
    users = list({row["user_id"] for row, _ in candidates})
    earned: set[tuple[int, int]] = set()
    for chunk in chunks(users, 500):
        earned |= set(
            await EarnedAchievement.filter(guild_id=guild_id, user_id__in=chunk).values_list(
                "user_id", "achievement_id"
            )
        )
    now = clock.now()
    for row, achievement in candidates:
        user_id = row["user_id"]
        if (user_id, achievement.id) in earned:
            continue
        try:
            await EarnedAchievement.create(
                guild_id=guild_id, user_id=user_id, achievement_id=achievement.id, earned_at=now
            )
        except IntegrityError:
            continue  # earned concurrently elsewhere: once only
        if achievement.reward_xp:
            engine.add_xp(guild_id, user_id, achievement.reward_xp)
        result.completions.append(
            Completion(
                guild_id,
                user_id,
                "achievement",
                achievement.id,
                achievement.name,
                achievement.reward_xp,
                batch[(guild_id, user_id)][CHANNEL],
            )
        )
