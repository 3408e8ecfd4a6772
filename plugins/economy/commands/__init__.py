"""The economy's interactions.py extensions, one module per top-level command or group."""

from .coinflip import CoinflipCommands
from .earn import EarnCommands
from .eco import EcoCommands
from .money import MoneyCommands
from .richest import RichestCommands
from .shop import ShopCommands

EXTENSIONS = (
    MoneyCommands,
    EarnCommands,
    RichestCommands,
    ShopCommands,
    CoinflipCommands,
    EcoCommands,
)

__all__ = ["EXTENSIONS"]
