"""Scheduled work: the end of a temporary ban or timeout, of a timed channel lock, and a case's
mod-log post.

Each punishment has one job with a stable key (service.punishments.job_key), so it is scheduled
once and cancelled exactly by a manual unban or lifted timeout. The core scheduler claims a due
job in one process only; the unban case is keyed by the job occurrence, so a retry after a crash
never opens a second case.
"""

from __future__ import annotations

import contextlib

from guildkit.core.scheduler import JobContext, JobKind

from . import effects, service
from .errors import CaseNotFound, ChannelNotLocked, NotBanned
from .service import CaseRequest


async def expire(ctx: JobContext) -> None:
    runtime = ctx.runtime
    guild_id = int(ctx.guild_id or 0)
    user_id, kind, number = int(ctx.payload["user_id"]), str(ctx.payload["kind"]), int(ctx.payload["number"])
    running = await service.punishments.current(guild_id, user_id, kind)
    if running is None or running.number != number:
        return  # lifted early or replaced: nothing left to end
    if kind == "timeout":
        await service.punishments.end(guild_id, user_id, kind, number=number)  # Discord ends timeouts itself
        return
    original = await service.cases.get_case(guild_id, number)
    me = runtime.client.user if runtime.client else None
    request = CaseRequest(
        guild_id=guild_id,
        kind="unban",
        target_id=user_id,
        target_name=original.target_name,
        moderator_id=int(me.id) if me else 0,
        moderator_name=me.username if me else "bot",
        reason=f"Temporary ban of case {number} ended",
        key=f"expiry:{ctx.idempotency_key}",
        source="expiry",
        cause_number=number,
    )
    with contextlib.suppress(NotBanned):  # unbanned in a way we did not see; the record still ends below
        await effects.run_case(runtime, request, actor_id=None)
    await service.punishments.end(guild_id, user_id, kind, number=number)


async def unlock(ctx: JobContext) -> None:
    with contextlib.suppress(ChannelNotLocked):  # unlocked by hand before the time was up
        await effects.unlock(ctx.runtime, int(ctx.guild_id or 0), int(ctx.payload["channel_id"]), "Timed lock ended")


async def post_case(ctx: JobContext) -> None:
    """Post a case to the mod-log once: a retry after a crash between the post and its record
    sends the same nonce, and Discord returns the first message instead of a second."""
    guild_id = int(ctx.guild_id or 0)
    try:
        case = await service.cases.get_case(guild_id, int(ctx.payload["number"]))
    except CaseNotFound:
        return  # removed since (retention): nothing to post
    if case.modlog_message_id is not None:
        return
    settings = await ctx.runtime.settings.get(guild_id, "moderation")
    message_id = await effects.post_modlog(ctx.runtime, settings, case, ctx.nonce(0))
    if message_id is not None:
        await service.cases.set_modlog_message(guild_id, case.number, message_id)


KINDS = (JobKind("expire", expire), JobKind("unlock", unlock), JobKind("post_case", post_case))
