"""Permission levels: one check for every privileged command of every plugin.

A level is a name ("manager", a plugin's "moderator" or "dj") with the Discord permissions that
grant it. On top of those, server managers attach roles to a level with ``/permissions``, so a
server can make its @Mods moderators or its @DJ role DJs without handing out Discord permissions.

A member holds a level when they are the server owner, an Administrator, hold Manage Server (the
"manager" level passes every other level), hold any of the level's Discord permissions, or hold a
role attached to the level (or to "manager").

Discord's ``default_member_permissions`` only hides a command; the server owner can change it per
server. So the core checks again on every use, through :func:`requires` or :func:`require_level`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import interactions
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.caching import ReadThroughCache
from guildkit.core.errors import MissingPermission, UserError
from guildkit.core.notify import Change, announce

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

Permissions = interactions.Permissions


@dataclass(frozen=True)
class PermissionLevel:
    """A named level of trust. ``permissions``: any one of these Discord permissions grants it."""

    name: str
    description: str
    permissions: Permissions

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise ValueError(f"permission level {self.name!r} must be a lowercase identifier")


#: Server managers: the level of every configuration command.
MANAGER = PermissionLevel("manager", "server managers", Permissions.MANAGE_GUILD)

#: How many roles one level may have in a guild (keeps checks and /permissions show small).
MAX_ROLES_PER_LEVEL = 25

_PERMISSION_NAMES = {
    Permissions.ADMINISTRATOR: "Administrator",
    Permissions.MANAGE_GUILD: "Manage Server",
    Permissions.MANAGE_ROLES: "Manage Roles",
    Permissions.MANAGE_CHANNELS: "Manage Channels",
    Permissions.MANAGE_MESSAGES: "Manage Messages",
    Permissions.KICK_MEMBERS: "Kick Members",
    Permissions.BAN_MEMBERS: "Ban Members",
    Permissions.MODERATE_MEMBERS: "Timeout Members",
    Permissions.MOVE_MEMBERS: "Move Members",
    Permissions.MUTE_MEMBERS: "Mute Members",
}


def permission_names(permissions: Permissions) -> list[str]:
    """Discord's own names of the permissions in ``permissions``, for messages."""
    names = []
    for flag in Permissions:
        if flag.value and permissions & flag:
            names.append(_PERMISSION_NAMES.get(flag, (flag.name or "").replace("_", " ").title()))
    return names


class PermissionService:
    """Levels known to this bot and the roles each guild attached to them (TTL-cached)."""

    def __init__(self, levels: Iterable[PermissionLevel], *, ttl_seconds: float, max_entries: int) -> None:
        self.levels: dict[str, PermissionLevel] = {MANAGER.name: MANAGER}
        for level in levels:
            existing = self.levels.get(level.name)
            if existing is not None and existing != level:
                raise ValueError(f"two plugins declare the permission level {level.name!r} differently")
            self.levels[level.name] = level
        self._roles: ReadThroughCache[int, dict[str, frozenset[int]]] = ReadThroughCache(
            maxsize=max_entries, ttl=ttl_seconds
        )

    def level(self, name: str) -> PermissionLevel:
        try:
            return self.levels[name]
        except KeyError:
            known = ", ".join(f"`{n}`" for n in sorted(self.levels))
            raise UserError(f"There is no permission level called `{name[:40]}`. Levels: {known}.") from None

    async def roles(self, guild_id: int) -> dict[str, frozenset[int]]:
        """{level name: role ids} attached in the guild."""
        from guildkit.core.models import PermissionRole

        found = self._roles.get(guild_id)
        if found is None:
            generation = self._roles.generation
            rows = await PermissionRole.filter(guild_id=guild_id).values_list("level", "role_id")
            grouped: dict[str, set[int]] = {}
            for level, role_id in rows:
                grouped.setdefault(level, set()).add(int(role_id))
            found = {level: frozenset(ids) for level, ids in grouped.items()}
            self._roles.put(guild_id, found, generation)
        return found

    async def attach(self, guild_id: int, level: str, role_id: int, actor_id: int | None) -> bool:
        """Attach a role to a level; False if it already was."""
        from guildkit.core.models import AuditLog, PermissionRole

        self.level(level)
        current = (await self.roles(guild_id)).get(level, frozenset())
        if role_id in current:
            return False
        if len(current) >= MAX_ROLES_PER_LEVEL:
            raise UserError(
                f"The {level} level already has {MAX_ROLES_PER_LEVEL} roles. Remove one with `/permissions remove`."
            )
        self._roles.invalidate(guild_id)
        try:
            async with in_transaction() as conn:
                await PermissionRole.create(
                    guild_id=guild_id, level=level, role_id=role_id, added_by=actor_id, using_db=conn
                )
                await AuditLog.create(
                    guild_id=guild_id,
                    actor_id=actor_id,
                    action="permission.attach",
                    target=f"{level}:{role_id}",
                    at=clock.now(),
                    using_db=conn,
                )
                await announce(conn, Change("permissions", guild_id=guild_id))
        except IntegrityError:
            return False  # attached concurrently
        finally:
            self._roles.invalidate(guild_id)
        return True

    async def detach(self, guild_id: int, level: str, role_id: int, actor_id: int | None) -> bool:
        from guildkit.core.models import AuditLog, PermissionRole

        self.level(level)
        self._roles.invalidate(guild_id)
        async with in_transaction() as conn:
            deleted = (
                await PermissionRole.filter(guild_id=guild_id, level=level, role_id=role_id).using_db(conn).delete()
            )
            if deleted:
                await AuditLog.create(
                    guild_id=guild_id,
                    actor_id=actor_id,
                    action="permission.detach",
                    target=f"{level}:{role_id}",
                    at=clock.now(),
                    using_db=conn,
                )
                await announce(conn, Change("permissions", guild_id=guild_id))
        self._roles.invalidate(guild_id)
        return bool(deleted)

    def invalidate(self, guild_id: int | None = None) -> None:
        if guild_id is None:
            self._roles.clear()
        else:
            self._roles.invalidate(guild_id)

    async def holds(
        self, guild_id: int, member: Any, permissions: Permissions, level: str, *, by_role: bool = True
    ) -> bool:
        """Whether ``member`` (an interactions.py Member; ``permissions`` as Discord computed them
        for the interaction) holds ``level`` in the guild. ``by_role=False`` ignores attached
        roles: who may attach roles must hold the Discord permission itself."""
        wanted = self.level(level)
        if permissions & (Permissions.ADMINISTRATOR | Permissions.MANAGE_GUILD | wanted.permissions):
            return True
        guild = getattr(member, "guild", None)
        if guild is not None and guild.is_owner(member):
            return True
        if not by_role:
            return False
        attached = await self.roles(guild_id)
        role_ids = attached.get(level, frozenset()) | attached.get(MANAGER.name, frozenset())
        return bool(role_ids) and any(member.has_role(role_id) for role_id in role_ids)

    async def refusal(self, guild_id: int, level: str) -> str:
        """What to tell a member who lacks ``level``: which permissions or roles would do."""
        wanted = self.level(level)
        names = ["Manage Server", *(n for n in permission_names(wanted.permissions) if n != "Manage Server")]
        bold = [f"**{name}**" for name in names]
        permissions = bold[0] if len(bold) == 1 else ", ".join(bold[:-1]) + f" or {bold[-1]}"
        text = f"You need the {permissions} permission"
        attached = (await self.roles(guild_id)).get(level, frozenset())
        if attached:
            text += ", or one of the roles " + ", ".join(f"<@&{role_id}>" for role_id in sorted(attached)[:5]) + ","
        return text + " to do that."


async def require_level(ctx: Any, level: str, *, by_role: bool = True) -> int:
    """The guild id, after checking the invoking member holds ``level``; else MissingPermission."""
    if ctx.guild_id is None:
        raise UserError("This command works in a server, not in DMs.")
    guild_id = int(ctx.guild_id)
    runtime: Runtime = ctx.client.runtime
    if not await runtime.permissions.holds(guild_id, ctx.author, ctx.author_permissions, level, by_role=by_role):
        if not by_role:
            raise MissingPermission("You need the **Manage Server** permission to do that.")
        raise MissingPermission(await runtime.permissions.refusal(guild_id, level))
    return guild_id


async def require_manager(ctx: Any) -> int:
    """The guild id, after checking the member manages the server (the core's own commands)."""
    return await require_level(ctx, MANAGER.name)


def level_check(level: str) -> Callable[[Any], Awaitable[bool]]:
    """An interactions.py check enforcing ``level``."""

    async def holds_level(ctx: Any) -> bool:
        await require_level(ctx, level)
        return True

    holds_level.__name__ = f"requires_{level}"
    return holds_level


def requires(level: str) -> Callable[[Any], Any]:
    """Decorate a slash command (or subcommand, component, modal) so only members holding
    ``level`` may use it. Put it above ``@slash_command``::

        @requires("moderator")
        @interactions.slash_command(name="warn", ..., default_member_permissions=MODERATE_MEMBERS)
        async def warn(self, ctx, ...): ...
    """
    return interactions.check(level_check(level))
