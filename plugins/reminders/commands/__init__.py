"""The reminders plugin's interactions.py extensions, one module per top-level command or group."""

from .remind import RemindCommands
from .reminders import RemindersCommands
from .timer import TimerCommands
from .watch import WatchCommands

EXTENSIONS = (RemindCommands, RemindersCommands, TimerCommands, WatchCommands)

__all__ = ["EXTENSIONS"]
