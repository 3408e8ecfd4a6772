"""The economy's interactions.py extensions, one small file per command group."""

from .admin import EconomyAdminCommands
from .earn import EconomyEarnCommands
from .game import EconomyGameCommands
from .leaderboard import EconomyLeaderboardCommands
from .money import EconomyMoneyCommands
from .shop import EconomyShopCommands

EXTENSIONS = (
    EconomyMoneyCommands,
    EconomyEarnCommands,
    EconomyLeaderboardCommands,
    EconomyShopCommands,
    EconomyGameCommands,
    EconomyAdminCommands,
)

__all__ = ["EXTENSIONS"]
