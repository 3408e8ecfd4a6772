"""Members leaving and coming back, and a user's data: export and deletion."""

from __future__ import annotations

import json
from typing import Any

from guildkit.core import clock

from ..models import EarnedAchievement, GlobalXp, Member, QuestProgress, RankCard, XpBackup
from .cards import CARD_FIELDS
from .levels import global_xp


async def member_left(guild_id: int, user_id: int) -> None:
    await Member.filter(guild_id=guild_id, user_id=user_id).update(left_at=clock.now())


async def member_back(guild_id: int, user_id: int) -> Member | None:
    await Member.filter(guild_id=guild_id, user_id=user_id).update(left_at=None)
    return await Member.get_or_none(guild_id=guild_id, user_id=user_id)


async def export_user(user_id: int) -> dict[str, Any] | None:
    members = await Member.filter(user_id=user_id).values(
        "guild_id", "xp", "level", "messages", "reactions", "voice_seconds", "commands_used", "left_at"
    )
    data = {
        "members": members,
        "global_xp": await global_xp(user_id),
        "quest_progress": await QuestProgress.filter(user_id=user_id).values(
            "guild_id", "quest_id", "period_start", "progress", "completed_at"
        ),
        "achievements": await EarnedAchievement.filter(user_id=user_id).values(
            "guild_id", "achievement_id", "earned_at"
        ),
        "rank_cards": await RankCard.filter(user_id=user_id).values("guild_id", *CARD_FIELDS),
    }
    if not members and not data["global_xp"] and not data["rank_cards"]:
        return None
    return data


async def delete_user(user_id: int) -> None:
    await Member.filter(user_id=user_id).delete()
    await GlobalXp.filter(user_id=user_id).delete()
    await QuestProgress.filter(user_id=user_id).delete()
    await EarnedAchievement.filter(user_id=user_id).delete()
    await RankCard.filter(user_id=user_id).delete()
    for backup in await XpBackup.all():
        rows = json.loads(backup.data)
        kept = [row for row in rows if row[0] != user_id]
        if len(kept) != len(rows):
            backup.data = json.dumps(kept)
            await backup.save()
