"""The user-side driver: act as guild members against the bot and read what it answered.

``handles`` are the guild, channel, role, user and member views a test builds its scene with and
acts through; ``options`` turns slash command values into Discord's option list; ``replies`` waits
for the bot's answer and reads it (:class:`Reply`).
"""

from __future__ import annotations

from .errors import (
    BannedFromGuild,
    CommandNotFound,
    CommandNotPermitted,
    ComponentNotFound,
    DriverError,
    NoResponse,
    NotConnected,
    OptionError,
)
from .handles import ChannelHandle, FileLike, GuildHandle, MemberHandle, RoleHandle, Upload, UserHandle
from .replies import SELECT_TYPES, AttachmentView, Reply, walk_components

__all__ = [
    "SELECT_TYPES",
    "AttachmentView",
    "BannedFromGuild",
    "ChannelHandle",
    "CommandNotFound",
    "CommandNotPermitted",
    "ComponentNotFound",
    "DriverError",
    "FileLike",
    "GuildHandle",
    "MemberHandle",
    "NoResponse",
    "NotConnected",
    "OptionError",
    "Reply",
    "RoleHandle",
    "Upload",
    "UserHandle",
    "walk_components",
]
