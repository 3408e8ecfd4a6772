"""A local Discord for tests: REST v10 + JSON gateway backed by a world model, and a member-side driver.

Start a :class:`DiscordEmulator`, point interactions.py at ``emulator.api_base`` and build a scene
with :meth:`DiscordEmulator.create_guild` / :meth:`GuildHandle.member`; members then ``say``,
``slash``, ``click``, ``react`` and so on, and :class:`Reply` shows what the bot answered.
"""

from __future__ import annotations

from . import permissions
from .driver import (
    AttachmentView,
    ChannelHandle,
    CommandNotFound,
    CommandNotPermitted,
    ComponentNotFound,
    DriverError,
    GuildHandle,
    MemberHandle,
    NoResponse,
    NotConnected,
    OptionError,
    Reply,
    RoleHandle,
    Upload,
    UserHandle,
)
from .errors import DiscordHTTPError
from .faults import Fault, Faults
from .models import Message
from .ratelimits import DISCORD_ROUTE_LIMITS, RouteLimit
from .server import DiscordEmulator, RecordedRequest
from .world import World

__all__ = [
    "DISCORD_ROUTE_LIMITS",
    "AttachmentView",
    "ChannelHandle",
    "CommandNotFound",
    "CommandNotPermitted",
    "ComponentNotFound",
    "DiscordEmulator",
    "DiscordHTTPError",
    "DriverError",
    "Fault",
    "Faults",
    "GuildHandle",
    "MemberHandle",
    "Message",
    "NoResponse",
    "NotConnected",
    "OptionError",
    "RecordedRequest",
    "Reply",
    "RoleHandle",
    "RouteLimit",
    "Upload",
    "UserHandle",
    "World",
    "permissions",
]
