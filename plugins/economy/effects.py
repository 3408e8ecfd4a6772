"""Discord side effects of the economy: the role of a role item.

A purchase stores a grant job in the same transaction as the sale (``service.buy``). ``/buy``
then settles it at once (:func:`settle_now`); the job (``jobs.py``) runs only when that did not
settle it: the bot died after the sale, or Discord did not answer. Either way the role is granted
once, or, when Discord refuses for good (missing permission, role gone, the role check of
core/roles.py now failing), the purchase is refunded through the ledger with the reason.

Service code never calls Discord; commands and jobs call these.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import interactions
from interactions import errors as ipy_errors

from guildkit.core.roles import RoleRefused as CoreRoleRefused
from guildkit.core.roles import check_role_grantable

from . import service
from .errors import AlreadyHasRole, RoleNotGrantable

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.economy")

#: How long /buy waits for Discord to grant the role before leaving it to the job.
GRANT_WAIT_SECONDS = 2.0

Settled = Literal["granted", "refunded", "pending"]


@dataclass(frozen=True)
class Settlement:
    outcome: Settled
    #: Why it was refunded (for the member), or why it is still pending (for the log).
    reason: str | None = None


async def _configured_by(guild: interactions.Guild, user_id: int | None) -> interactions.Member | None:
    if user_id is None:
        return None
    return await guild.fetch_member(user_id)


async def check_role_item(member: interactions.Member, item: service.Item) -> None:
    """Before paying for a role item: refuse if the member has the role already or the bot must
    not give it now (core/roles.py, with the manager who attached it)."""
    if item.role_id is None:
        return
    if member.has_role(item.role_id):
        raise AlreadyHasRole(item.name, item.role_id)
    guild = member.guild
    role = guild.get_role(item.role_id) if guild is not None else None
    if guild is None or role is None:
        raise RoleNotGrantable(item.name, item.role_id, "its role no longer exists")
    try:
        check_role_grantable(guild, role, await _configured_by(guild, item.role_set_by))
    except CoreRoleRefused as refusal:
        raise RoleNotGrantable(item.name, item.role_id, str(refusal)) from None


async def settle(runtime: Runtime, grant: service.RoleGrant, *, wait: float | None = None) -> Settlement:
    """Give the purchased role, or refund the purchase when Discord or the role check refuses for
    good. "pending" when Discord did not answer (within ``wait`` seconds): try again later."""
    if await service.refunded(grant):
        return Settlement("refunded", "refunded before")
    client = runtime.client
    assert client is not None
    guild = client.get_guild(grant.guild_id)
    if guild is None:
        return Settlement("pending", "the server is not in the bot's cache")
    why: str | None = None
    member = await guild.fetch_member(grant.user_id)
    role = guild.get_role(grant.role_id)
    if member is None:
        why = "you are no longer a member of the server"
    elif role is None:
        why = "its role no longer exists"
    else:
        try:
            check_role_grantable(guild, role, await _configured_by(guild, grant.role_set_by))
        except CoreRoleRefused as refusal:
            why = str(refusal)
    if why is None and member is not None:
        if member.has_role(grant.role_id):
            return Settlement("granted")  # granted before a crash, or by hand: not twice
        try:
            await asyncio.wait_for(
                member.add_role(grant.role_id, reason=f"bought {grant.item_name} in the shop"), timeout=wait
            )
        except TimeoutError:
            return Settlement("pending", "Discord did not answer in time")
        except ipy_errors.HTTPException as error:
            if error.status not in (403, 404):
                return Settlement("pending", f"Discord answered {error.status}")
            why = "Discord refused: the bot may not give that role"
        else:
            # interactions.py gives up silently after three 5xx answers: look at the member again.
            fresh = await guild.fetch_member(grant.user_id, force=True)
            if fresh is None or not fresh.has_role(grant.role_id):
                return Settlement("pending", "Discord did not confirm the role")
            return Settlement("granted")
    assert why is not None
    log.warning("role %s of %s not granted to %s: %s", grant.role_id, grant.item_name, grant.user_id, why)
    await service.refund(runtime, grant, f"refund: role of {grant.item_name} not granted")
    return Settlement("refunded", why)


async def settle_now(runtime: Runtime, purchase: service.Purchase, grant: service.RoleGrant) -> Settlement:
    """/buy's own attempt right after the sale; the stored job is removed once settled, and left
    to retry when Discord did not answer."""
    try:
        settlement = await settle(runtime, grant, wait=GRANT_WAIT_SECONDS)
    except Exception as error:  # the sale is committed: its job settles it; the member is not told "error"
        log.warning("role of %s for %s left to the grant job after %r", grant.item_name, grant.user_id, error)
        return Settlement("pending", "an unexpected error; the job retries")
    if settlement.outcome != "pending" and purchase.grant_job_id is not None:
        await runtime.scheduler.cancel(job_id=purchase.grant_job_id)
    elif settlement.outcome == "pending":
        log.info("role of %s for %s left to the grant job: %s", grant.item_name, grant.user_id, settlement.reason)
    return settlement
