"""Discord side effects of the economy: the role of a role item, granted after the purchase
committed, and refunded through the ledger when Discord refuses it.

Service code never calls Discord; commands call these after the service returned.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import interactions

from . import service
from .errors import AlreadyHasRole, RoleNotGrantable, RoleProblem, RoleRefused

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.economy")


def role_problem(guild: interactions.Guild | None, role_id: int) -> RoleProblem | None:
    """Why the bot cannot give this role in ``guild`` (from the client's cache), or None."""
    role = guild.get_role(role_id) if guild else None
    if guild is None or role is None:
        return "role_gone"
    me = guild.me
    if me is None:
        return "no_member"
    if not me.has_permission(interactions.Permissions.MANAGE_ROLES):
        return "missing_permission"
    if me.top_role is None or me.top_role.position <= role.position:
        return "role_too_high"
    return None


def check_role_item(member: interactions.Member, item: service.Item) -> None:
    """Before paying for a role item: refuse if the member has the role or the bot cannot give it."""
    if item.role_id is None:
        return
    if member.has_role(item.role_id):
        raise AlreadyHasRole(item.name, item.role_id)
    problem = role_problem(member.guild, item.role_id)
    if problem is not None:
        raise RoleNotGrantable(item.name, item.role_id, problem)


async def grant_purchased_role(runtime: Runtime, member: interactions.Member, purchase: service.Purchase) -> None:
    """Give the member the role they bought. If Discord refuses, the purchase is refunded through
    the ledger (a ``refund`` entry saying why) and :class:`RoleRefused` tells the member."""
    item = purchase.item
    if item.role_id is None:
        return
    try:
        await member.add_role(item.role_id, reason=f"bought {item.name} in the shop")
    except Exception as error:  # whatever stopped the grant, nobody pays for a role they did not get
        log.warning("could not grant role %s for %s: %s", item.role_id, item.name, error)
        guild_id, user_id = int(member.guild.id), int(member.id)
        await service.refund(runtime, guild_id, user_id, purchase, f"refund: role of {item.name} not granted")
        raise RoleRefused(item.name, item.role_id) from None
