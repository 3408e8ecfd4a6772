"""Role safety: one check for every role the bot grants or removes on someone's behalf.

Shop items, level roles, and later moderation and music attach roles that the bot hands out.
Discord stops the bot only at its own top role: a member with Manage Server could otherwise
attach @Admins to a 1-coin item and buy Administrator. So every such role passes two checks:

- :func:`check_role_assignable` when a member configures the role (``/levelrole add``,
  ``/eco item add``): the role is below the bot's top role and below the member's own top role
  (the server owner excepted), not managed by a bot, an integration or boosting, not @everyone,
  and if it carries a dangerous permission (Administrator, Manage Server...) the member holds that
  permission themselves.
- :func:`check_role_grantable` when the bot grants or removes it later: the role may have moved or
  gained permissions since. The same rules minus the member's top role; a dangerous permission is
  accepted only when the member who configured the role (if the plugin passes them) still holds it.

Refusals are :class:`RoleRefused` subclasses (``DomainError``): their message names the rule and
what to do, and their attributes carry the data for plugins that word it their own way.
"""

from __future__ import annotations

import interactions

from guildkit.core.errors import DomainError
from guildkit.core.permissions import permission_names

Permissions = interactions.Permissions

#: Permissions a role may carry only when the member attaching it holds them too: each lets its
#: holder take over or damage the server, or ping everyone.
DANGEROUS_PERMISSIONS = (
    Permissions.ADMINISTRATOR
    | Permissions.MANAGE_GUILD
    | Permissions.MANAGE_ROLES
    | Permissions.MANAGE_CHANNELS
    | Permissions.MANAGE_WEBHOOKS
    | Permissions.BAN_MEMBERS
    | Permissions.KICK_MEMBERS
    | Permissions.MODERATE_MEMBERS
    | Permissions.MENTION_EVERYONE
)


def role_label(role: interactions.Role) -> str:
    """``@Name`` as plain text: a refusal names the role without mentioning (pinging) it."""
    return "@everyone" if role.default else f"@{role.name}"


class RoleRefused(DomainError):
    """A role the bot must not grant. ``role_id``/``role_name`` name it; ``rule`` is the rule."""

    rule = "role"

    def __init__(self, role: interactions.Role, message: str) -> None:
        self.role_id = int(role.id)
        self.role_name = str(role.name)
        super().__init__(message)


class RoleIsEveryone(RoleRefused):
    rule = "everyone"

    def __init__(self, role: interactions.Role) -> None:
        super().__init__(role, "@everyone cannot be given or taken away: every member has it. Pick another role.")


class RoleIsManaged(RoleRefused):
    """A role Discord manages (a bot's own role, an integration's, the booster role)."""

    rule = "managed"

    def __init__(self, role: interactions.Role) -> None:
        super().__init__(
            role,
            f"{role_label(role)} is managed by Discord (a bot's, an integration's or the booster role) "
            "and cannot be given by the bot. Pick a role you created.",
        )


class RoleAboveBot(RoleRefused):
    rule = "above_bot"

    def __init__(self, role: interactions.Role, bot_top: interactions.Role) -> None:
        self.bot_top_role_id = int(bot_top.id)
        super().__init__(
            role,
            f"{role_label(role)} is not below the bot's highest role ({role_label(bot_top)}), so the bot "
            f"cannot give it. Move {role_label(bot_top)} above it in Server Settings → Roles, or pick a lower role.",
        )


class RoleAboveMember(RoleRefused):
    rule = "above_member"

    def __init__(self, role: interactions.Role, member_top: interactions.Role) -> None:
        self.member_top_role_id = int(member_top.id)
        super().__init__(
            role,
            f"{role_label(role)} is not below your highest role ({role_label(member_top)}); "
            "ask someone above it to set this up.",
        )


class RoleHasPermissions(RoleRefused):
    """The role carries dangerous permissions the configuring member does not hold (``missing``)."""

    rule = "permissions"

    def __init__(self, role: interactions.Role, missing: Permissions, *, configured: bool = False) -> None:
        self.missing = missing
        names = permission_names(missing)
        listed = ", ".join(names)
        who = "the member who set it up no longer has" if configured else "you don't have"
        it = "them" if len(names) > 1 else "it"
        super().__init__(
            role,
            f"{role_label(role)} has {listed}, which {who}; only someone with {it} can attach this role.",
        )


def _bot_top_role(guild: interactions.Guild) -> interactions.Role:
    return guild.me.top_role


def _check_common(guild: interactions.Guild, role: interactions.Role) -> None:
    if role.default or int(role.id) == int(guild.id):
        raise RoleIsEveryone(role)
    if role.managed or role.bot_managed or role.integration or role.premium_subscriber:
        raise RoleIsManaged(role)
    if guild.is_owner(guild.me):
        return  # a bot that owns the server can give every role
    bot_top = _bot_top_role(guild)
    if not role < bot_top:
        raise RoleAboveBot(role, bot_top)


def _missing_dangerous(role: interactions.Role, member: interactions.Member | None) -> Permissions:
    dangerous = Permissions(int(role.permissions) & int(DANGEROUS_PERMISSIONS))
    if not dangerous:
        return Permissions.NONE
    held = member.guild_permissions if member is not None else Permissions.NONE
    if Permissions.ADMINISTRATOR in held:
        return Permissions.NONE
    return Permissions(int(dangerous) & ~int(held))


def check_role_assignable(
    guild: interactions.Guild, role: interactions.Role, configuring_member: interactions.Member
) -> None:
    """Refuse (raise :class:`RoleRefused`) a role ``configuring_member`` may not attach to a reward.

    Call it when the role is configured, before anything is stored.
    """
    _check_common(guild, role)
    if not guild.is_owner(configuring_member):
        member_top = configuring_member.top_role
        if not role < member_top:
            raise RoleAboveMember(role, member_top)
    if missing := _missing_dangerous(role, configuring_member):
        raise RoleHasPermissions(role, missing)


def check_role_grantable(
    guild: interactions.Guild,
    role: interactions.Role,
    configured_by: interactions.Member | None = None,
) -> None:
    """Refuse (raise :class:`RoleRefused`) a role the bot must not grant or remove now.

    Call it right before the grant: the role may have moved above the bot or gained permissions
    since it was configured. A role with a dangerous permission is granted only when
    ``configured_by`` (the member who attached it, if still in the server) holds that permission.
    """
    _check_common(guild, role)
    if configured_by is not None and guild.is_owner(configured_by):
        return
    if missing := _missing_dangerous(role, configured_by):
        raise RoleHasPermissions(role, missing, configured=True)
