"""Leveling: XP for messages and voice, levels, level roles, rank cards, leaderboards, quests and
achievements. See README.md."""

from datetime import timedelta

from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks, hookspecs, jobs
from .commands import EXTENSIONS
from .settings import LevelingSettings

plugin = Plugin(
    name="leveling",
    version="1.0.0",
    description="XP, levels, level roles, rank cards, leaderboards, quests and achievements",
    models="guildkit.plugins.leveling.models",
    settings=LevelingSettings,
    enabled_by_default=False,
    extensions=EXTENSIONS,
    hooks=hooks,
    hookspecs=hookspecs,
    jobs=jobs.KINDS,
    retention=(
        RetentionPolicy(
            name="departed_members",
            model="Member",
            time_field="left_at",
            keep=timedelta(days=30),
            description="XP of members who left the server",
        ),
        RetentionPolicy(
            name="expired_quest_progress",
            model="QuestProgress",
            time_field="expires_at",
            keep=timedelta(days=30),
            description="progress on quests whose period ended",
        ),
        RetentionPolicy(
            name="xp_backups",
            model="XpBackup",
            time_field="created_at",
            keep=timedelta(days=90),
            description="backups written before a guild-wide XP reset",
        ),
    ),
)
