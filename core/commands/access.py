"""Helpers the core commands share: the runtime behind a context, and the admin check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import interactions

from guildkit.core.errors import MissingPermission, UserError

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

MANAGE_GUILD = interactions.Permissions.MANAGE_GUILD


def runtime_of(ctx: Any) -> Runtime:
    return ctx.client.runtime


def require_guild(ctx: Any) -> int:
    if ctx.guild_id is None:
        raise UserError("This command works in a server, not in DMs.")
    return int(ctx.guild_id)


def require_manage_guild(ctx: Any) -> int:
    """The guild id, after checking Manage Server ourselves: Discord's default_member_permissions
    can be changed per server by its owner, so the core checks again."""
    guild_id = require_guild(ctx)
    permissions = ctx.author_permissions
    if not (permissions & MANAGE_GUILD or permissions & interactions.Permissions.ADMINISTRATOR):
        raise MissingPermission("You need the **Manage Server** permission to do that.")
    return guild_id


def plugin_choices(runtime: Runtime, typed: str, *, with_settings: bool = False) -> list[dict[str, str]]:
    typed = typed.lower()
    names = [
        name
        for name, plugin in sorted(runtime.by_name.items())
        if typed in name and (not with_settings or plugin.settings is not None)
    ]
    return [{"name": name, "value": name} for name in names[:25]]
