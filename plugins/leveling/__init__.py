"""Leveling: XP for messages and voice, levels, level roles, rank cards, leaderboards, quests and
achievements. See README.md."""

from datetime import timedelta

from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks, hookspecs, jobs
from .commands import EXTENSIONS
from .commands.format import describe_error
from .listeners import LevelingListeners
from .settings import LevelingSettings
from .state import LevelingState

plugin = Plugin(
    name="leveling",
    version="1.0.0",
    description="XP, levels, level roles, rank cards, leaderboards, quests and achievements",
    # Pays coins per level-up through economy's API where economy is on; works without it.
    uses=("economy",),
    models="guildkit.plugins.leveling.models",
    settings=LevelingSettings,
    enabled_by_default=False,
    state=LevelingState,
    describe_error=describe_error,
    extensions=(*EXTENSIONS, LevelingListeners),
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
