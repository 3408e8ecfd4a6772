"""Moderation's slash commands: one module per top-level command or group."""

from .ban import BanCommands
from .case import CaseCommands
from .cases import CasesCommands
from .history import HistoryCommands
from .kick import KickCommands
from .lock import LockCommands
from .note import NoteCommands
from .pardon import PardonCommands
from .purge import PurgeCommands
from .slowmode import SlowmodeCommands
from .softban import SoftbanCommands
from .timeout import TimeoutCommands
from .unban import UnbanCommands
from .unlock import UnlockCommands
from .untimeout import UntimeoutCommands
from .warn import WarnCommands
from .warnings import WarningsCommands

EXTENSIONS = (
    WarnCommands,
    WarningsCommands,
    PardonCommands,
    NoteCommands,
    TimeoutCommands,
    UntimeoutCommands,
    KickCommands,
    BanCommands,
    SoftbanCommands,
    UnbanCommands,
    CaseCommands,
    CasesCommands,
    HistoryCommands,
    PurgeCommands,
    SlowmodeCommands,
    LockCommands,
    UnlockCommands,
)
