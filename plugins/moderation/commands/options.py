"""Option and permission declarations several moderation commands share, so every command asks
for a reason the same way and Discord shows them to the same members."""

from __future__ import annotations

from typing import Any

import interactions
from interactions import OptionType, Permissions

from ..service.cases import MAX_REASON

#: Who Discord shows the commands to by default; also the ``moderator`` level's permissions.
MODERATOR_PERMISSIONS = Permissions.KICK_MEMBERS | Permissions.BAN_MEMBERS | Permissions.MODERATE_MEMBERS


def reason_option(required: bool = True) -> Any:
    """The ``reason`` option: at most 512 characters, Discord's audit-log limit."""
    return interactions.slash_option(
        "reason",
        "Why (shown in the case, the audit log and the member's DM)",
        opt_type=OptionType.STRING,
        required=required,
        max_length=MAX_REASON,
    )
