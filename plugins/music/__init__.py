"""Music on Lavalink: queue and controls, vote skip and DJs, resume mid-track after a crash,
history, favorites, preferences and analytics (issue 14; seeds 000 and 003)."""

from datetime import timedelta

import interactions

from guildkit.core.permissions import PermissionLevel
from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks
from .api import MusicAPI
from .commands import EXTENSIONS
from .commands.format import describe_error
from .jobs import JOBS
from .listeners import MusicListeners
from .service import history
from .settings import MusicSettings
from .state import MusicState

DJ = PermissionLevel("dj", "DJs", interactions.Permissions.MOVE_MEMBERS)

plugin = Plugin(
    name="music",
    version="1.0.0",
    description="Music through Lavalink: queue, vote skip, DJs, resume after a crash, history and favorites",
    models="guildkit.plugins.music.models",
    settings=MusicSettings,
    enabled_by_default=False,
    extensions=(*EXTENSIONS, MusicListeners),
    hooks=hooks,
    state=MusicState,
    api=MusicAPI,
    describe_error=describe_error,
    permission_levels=(DJ,),
    jobs=JOBS,
    retention=(
        RetentionPolicy(
            name="play_history",
            model="MusicPlay",
            time_field="played_at",
            keep=timedelta(days=90),
            action="aggregate",
            rollup="MusicDailyStats",
            aggregate=history.roll_up,
            description="play history rows, folded into daily rollups (plays, listeners, tracks, hours)",
        ),
    ),
)
