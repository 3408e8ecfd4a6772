"""What the driver raises when a test asks for something Discord's client would not let a user do."""

from __future__ import annotations


class DriverError(Exception):
    """A test asked the driver for something Discord's client would not let a user do."""


class NotConnected(DriverError):
    """No gateway session would receive the interaction (bot not started / not identified)."""


class CommandNotFound(DriverError, LookupError):
    """No application command by that name in the guild or global scope."""


class CommandNotPermitted(DriverError, PermissionError):
    """The member lacks the command's ``default_member_permissions`` (Discord hides the command)."""


class BannedFromGuild(DriverError, PermissionError):
    """The user is banned from the guild: Discord refuses the join (error 40007)."""


class OptionError(DriverError, ValueError):
    """Options that Discord's client would refuse (missing required, unknown, wrong type, not a choice)."""


class ComponentNotFound(DriverError, LookupError):
    """No button/select matching the label or custom_id on the message (or it is disabled)."""


class NoResponse(DriverError, TimeoutError):
    """The bot did not answer the interaction in time."""
