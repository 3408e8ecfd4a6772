"""The leveling plugin's slash commands, one module per command group; format.py holds the
formatters."""

from .achievement import AchievementCommands
from .leaderboard import LeaderboardCommands
from .levelrole import LevelRoleCommands
from .levels import LevelsCommands
from .quest import QuestCommands
from .rank import RankCommands
from .rankcard import RankCardCommands
from .xp import XpCommands

EXTENSIONS = (
    RankCommands,
    RankCardCommands,
    LeaderboardCommands,
    XpCommands,
    LevelsCommands,
    LevelRoleCommands,
    QuestCommands,
    AchievementCommands,
)
