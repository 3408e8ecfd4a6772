"""The music plugin's interactions.py extensions, one module per top-level command or group."""

from .eq import EqCommands
from .favorites import FavoritesCommands
from .leave import LeaveCommands
from .loop import LoopCommands
from .music import MusicCommands
from .musicprefs import MusicprefsCommands
from .nowplaying import NowplayingCommands
from .pause import PauseCommands
from .play import PlayCommands
from .queue import QueueCommands
from .resume import ResumeCommands
from .seek import SeekCommands
from .shuffle import ShuffleCommands
from .skip import SkipCommands
from .stop import StopCommands
from .volume import VolumeCommands

EXTENSIONS = (
    PlayCommands,
    PauseCommands,
    ResumeCommands,
    SkipCommands,
    StopCommands,
    NowplayingCommands,
    SeekCommands,
    VolumeCommands,
    LoopCommands,
    ShuffleCommands,
    QueueCommands,
    LeaveCommands,
    EqCommands,
    FavoritesCommands,
    MusicCommands,
    MusicprefsCommands,
)

__all__ = ["EXTENSIONS"]
