"""``guildkit playground``: the real bot against the local Discord emulator, at a prompt.

The bot is the unmodified runtime (every installed plugin, real migrations, a real database); the
"Discord" is :mod:`guildkit.core.testing.emulator`, and the person at the prompt acts as a member
of a demo server through the emulator's member driver::

    alice #general > /plugins enable greeter
    alice #general > /greet member:@bob
    alice #general > :click Wave
    alice #general > hello everyone          (a plain message)
    alice #general > :as bob

Lines come from standard input, so the playground can be scripted through a pipe; the prompt is
only printed when standard input is a terminal (otherwise each line is echoed after a marker).

``startup`` reads the command line into the bot's configuration, ``parse`` turns typed lines into
commands, ``render`` prints what the bot did, and ``loop`` ties them together at the prompt.
"""

from __future__ import annotations

from .loop import run
from .parse import ActionError, SlashCall, SlashParser, parse_duration, split_line
from .startup import PlaygroundOptions

__all__ = ["ActionError", "PlaygroundOptions", "SlashCall", "SlashParser", "parse_duration", "run", "split_line"]
