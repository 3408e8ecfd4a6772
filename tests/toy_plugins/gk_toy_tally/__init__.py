"""A toy plugin for tests of several bot processes: it counts messages and runs jobs, recording
which process did each, so a test can tell that nothing was done twice or by the wrong process."""

from guildkit.core.plugin import Plugin

from .commands import TallyCommands
from .jobs import KINDS

plugin = Plugin(
    name="tally",
    version="0.1.0",
    description="Counts messages per guild (multi-process test toy)",
    models="gk_toy_tally.models",
    enabled_by_default=True,
    extensions=(TallyCommands,),
    jobs=KINDS,
)
