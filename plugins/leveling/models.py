"""Leveling tables. XP is cumulative; the level is derived from it with the server's curve."""

from tortoise import fields
from tortoise.models import Model

#: Counters a quest or achievement can require (seed 004's activity counters).
COUNTERS = ("messages", "reactions", "voice_seconds", "commands_used", "xp")


class Member(Model):
    """A member's XP, level and activity counters in one guild (seed 004 ``levels``, seed 001
    ``guild_members``). Written by the batched flusher with upserts."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField()
    xp = fields.BigIntField(default=0)
    level = fields.IntField(default=0)
    messages = fields.BigIntField(default=0)
    reactions = fields.BigIntField(default=0)
    voice_seconds = fields.BigIntField(default=0)
    commands_used = fields.BigIntField(default=0)
    boost = fields.FloatField(default=1.0)
    boost_until = fields.DatetimeField(null=True)
    #: Set when the member leaves; retention deletes the row some time after.
    left_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "leveling_member"
        unique_together = (("guild_id", "user_id"),)
        indexes = (("guild_id", "xp"),)


class GlobalXp(Model):
    """XP across every guild (seed 001 ``users.global_xp``)."""

    user_id = fields.BigIntField(primary_key=True, generated=False)
    xp = fields.BigIntField(default=0)

    class Meta:
        table = "leveling_global_xp"


class LevelRole(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    role_id = fields.BigIntField()
    level = fields.IntField()
    #: True: kept when a higher level role is reached; False: replaced by it.
    stacked = fields.BooleanField(default=True)
    #: The member who attached the role: a role with dangerous permissions is granted only while
    #: they still hold those permissions (core/roles.py). None for roles from before it was kept.
    configured_by = fields.BigIntField(null=True)

    class Meta:
        table = "leveling_level_role"
        unique_together = (("guild_id", "role_id"),)


class RoleMultiplier(Model):
    """XP multiplier for members holding a role; 0 makes it a no-XP role."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    role_id = fields.BigIntField()
    multiplier = fields.FloatField()

    class Meta:
        table = "leveling_role_multiplier"
        unique_together = (("guild_id", "role_id"),)


class Quest(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    name = fields.CharField(max_length=100)
    description = fields.CharField(max_length=300, default="")
    #: daily, weekly, monthly or once
    cycle = fields.CharField(max_length=10)
    requirement = fields.CharField(max_length=20)
    requirement_value = fields.BigIntField()
    reward_xp = fields.IntField(default=0)
    reward_multiplier = fields.FloatField(default=1.0)
    multiplier_minutes = fields.IntField(default=0)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "leveling_quest"


class QuestProgress(Model):
    """A member's progress on one quest in one period (period_start .. expires_at)."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField(db_index=True)
    quest_id = fields.BigIntField()
    period_start = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True, db_index=True)
    progress = fields.BigIntField(default=0)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "leveling_quest_progress"
        unique_together = (("quest_id", "user_id", "period_start"),)


class Achievement(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    name = fields.CharField(max_length=100)
    description = fields.CharField(max_length=300, default="")
    #: a counter from COUNTERS, or "level"
    requirement = fields.CharField(max_length=20)
    requirement_value = fields.BigIntField()
    reward_xp = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "leveling_achievement"


class EarnedAchievement(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField(db_index=True)
    achievement_id = fields.BigIntField()
    earned_at = fields.DatetimeField()

    class Meta:
        table = "leveling_earned_achievement"
        unique_together = (("achievement_id", "user_id"),)


class RankCard(Model):
    """A member's rank card colours (seed 004 ``cards``)."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField(db_index=True)
    primary_color = fields.CharField(max_length=7, default="#5865f2")
    secondary_color = fields.CharField(max_length=7, default="#2b2d31")
    text_color = fields.CharField(max_length=7, default="#ffffff")
    background_color = fields.CharField(max_length=7, default="#1e1f22")

    class Meta:
        table = "leveling_rank_card"
        unique_together = (("guild_id", "user_id"),)


class XpBackup(Model):
    """Every member's XP of a guild, written before a guild-wide reset so that it can be undone."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    created_at = fields.DatetimeField(db_index=True)
    #: JSON list of [user_id, xp, level]
    data = fields.TextField()

    class Meta:
        table = "leveling_xp_backup"


class GuildState(Model):
    """What the levels of a guild were last computed with, to notice a curve change."""

    guild_id = fields.BigIntField(primary_key=True, generated=False)
    curve = fields.CharField(max_length=100)

    class Meta:
        table = "leveling_guild_state"
