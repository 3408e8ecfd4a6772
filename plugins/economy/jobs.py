"""Scheduled work: granting a purchased role when /buy could not settle it itself.

The job is stored in the purchase's transaction (``service.buy``), so a crash between the sale and
the grant leaves it behind; it runs ``GRANT_RETRY_AFTER`` later. Discord not answering (5xx,
timeouts) raises, and the scheduler runs it again with its backoff; on the last attempt, or when
Discord or the role check refuses for good, the purchase is refunded through the ledger and the
member is told in the channel where they bought it (only they are mentioned; the job's nonce keeps
the message single if the job runs again).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import interactions
from interactions import errors as ipy_errors

from guildkit.core.scheduler import JobContext, JobKind

from . import effects, service
from .commands.format import item_name

log = logging.getLogger("guildkit.economy")

GRANT_ATTEMPTS = 8


class GrantPending(Exception):
    """Discord did not answer the grant: the scheduler runs the job again later."""


async def grant_role(job: JobContext) -> None:
    grant = service.RoleGrant.of(job.payload)
    if job.attempt >= GRANT_ATTEMPTS and not await service.refunded(grant):
        # Discord never answered: nobody pays for a role they did not get.
        settlement = await effects.settle(job.runtime, grant, wait=30.0)
        if settlement.outcome == "pending":
            await service.refund(job.runtime, grant, f"refund: role of {grant.item_name} not granted")
            settlement = effects.Settlement("refunded", "Discord did not answer for a long time")
    else:
        settlement = await effects.settle(job.runtime, grant)
    if settlement.outcome == "pending":
        raise GrantPending(settlement.reason or "Discord did not answer")
    if settlement.outcome == "refunded" and settlement.reason != "refunded before":
        await tell_refunded(job, grant, settlement.reason)


async def tell_refunded(job: JobContext, grant: service.RoleGrant, reason: str | None) -> None:
    """Say so in the channel of the purchase, mentioning only the member."""
    client = job.runtime.client
    if grant.channel_id is None or client is None:
        return
    why = f" ({reason})" if reason else ""
    text = (
        f"<@{grant.user_id}>, I could not give you the role of {item_name(grant.item_name)}{why}; "
        "your money was refunded and the item is back in the shop."
    )
    try:
        channel = await client.fetch_channel(grant.channel_id)
        if channel is not None:
            await channel.send(
                text[:2000],
                allowed_mentions=interactions.AllowedMentions(users=[grant.user_id]),
                nonce=job.nonce(0),
                enforce_nonce=True,
            )
    except ipy_errors.HTTPException as error:  # the refund stands; the ledger says why
        log.warning("could not tell %s about the refund of %s: %s", grant.user_id, grant.item_name, error)


KINDS = (
    JobKind(
        service.GRANT_ROLE_JOB,
        grant_role,
        max_attempts=GRANT_ATTEMPTS + 1,
        retry_backoff=timedelta(seconds=30),
    ),
)
