"""The core's own slash commands: /plugins, /config, /timezone, /permissions, /privacy, /stats,
and the page buttons of paginated replies. Always on, global scope."""

from __future__ import annotations

import interactions


def core_extensions() -> list[type[interactions.Extension]]:
    from guildkit.core.commands.config import ConfigCommands
    from guildkit.core.commands.pagination import PageTurner
    from guildkit.core.commands.permissions import PermissionCommands
    from guildkit.core.commands.plugins import PluginCommands
    from guildkit.core.commands.privacy import PrivacyCommands
    from guildkit.core.commands.stats import StatsCommands
    from guildkit.core.commands.timezone import TimezoneCommand

    return [
        PluginCommands,
        ConfigCommands,
        PermissionCommands,
        TimezoneCommand,
        PrivacyCommands,
        StatsCommands,
        PageTurner,
    ]
