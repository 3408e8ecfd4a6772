"""The leveling plugin's interactions.py extensions, one small file per command group."""

from .achievements import AchievementCommands
from .leaderboard import LeaderboardCommands
from .levelroles import LevelRoleCommands
from .listeners import LevelingListeners
from .quests import QuestCommands
from .rank import RankCommands
from .xp import XpCommands

EXTENSIONS = (
    RankCommands,
    LeaderboardCommands,
    XpCommands,
    LevelRoleCommands,
    QuestCommands,
    AchievementCommands,
    LevelingListeners,
)
