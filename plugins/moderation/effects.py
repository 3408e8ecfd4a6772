"""Discord side of moderation, and the one case pipeline every action goes through.

``run_case``: check the hierarchy → take the case number (and store the case) → DM the member
before a kick or ban → do it in Discord → record the outcome as it was → schedule its mod-log
post (jobs.post_case) → fire ``moderation_case_created`` → escalate a warning. Commands,
escalations, expiries, manual actions seen in the audit log and other plugins (ModerationAPI)
all call it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import interactions

from guildkit.core import clock
from guildkit.core.ipy import RestGaveUp

from . import errors, service
from .commands import format
from .errors import AdministratorTimeout, HierarchyError, NotAMember, NotBanned, NotTimedOut, ProtectedTarget
from .models import Case
from .service import CaseRequest, CaseView, hierarchy, punishments
from .service.cases import DM_BEFORE
from .service.hierarchy import Standing
from .settings import ModerationSettings

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.moderation")
HTTPException = interactions.errors.HTTPException
DM_CLOSED = 50007


@dataclass(frozen=True)
class CaseOutcome:
    case: CaseView
    #: The key had a case already (a retried interaction): nothing was done again.
    repeated: bool = False
    escalation: CaseView | None = None


def _client(runtime: Runtime) -> interactions.Client:
    client = runtime.client
    if client is None:
        raise RuntimeError("the bot is not connected")
    return client


def bot_user_id(runtime: Runtime) -> int:
    return int(_client(runtime).user.id)


def discord_reason(error: HTTPException) -> str:
    text = error.text if isinstance(error.text, str) else str(error)
    return f"{text} (Discord error {error.code})" if isinstance(error.code, int) else text


async def _standing(guild: interactions.Guild, user_id: int) -> Standing | None:
    member = await guild.fetch_member(user_id)
    if member is None:
        return None
    return Standing(
        user_id=user_id,
        top_position=member.top_role.position if member.top_role else 0,
        is_owner=guild.is_owner(member),
        is_admin=member.has_permission(interactions.Permissions.ADMINISTRATOR),
    )


async def check_action(runtime: Runtime, request: CaseRequest, actor_id: int | None) -> None:
    """Refuse before a case number is taken: hierarchy, membership, banned/timed-out state."""
    client = _client(runtime)
    guild = await client.fetch_guild(request.guild_id)
    me = await _standing(guild, bot_user_id(runtime))
    assert me is not None
    target = await _standing(guild, request.target_id)
    actor = await _standing(guild, actor_id) if actor_id is not None else None
    if request.kind in hierarchy.MEMBER_ONLY and target is None:
        raise NotAMember(request.target_id, request.kind)
    owners = frozenset(int(owner_id) for owner_id in client.owner_ids)
    hierarchy.check(request.kind, actor, target, request.target_id, me, owners)
    if request.kind == "unban" and await guild.fetch_ban(request.target_id) is None:
        raise NotBanned(request.target_id)
    if request.kind == "untimeout":
        member = await guild.fetch_member(request.target_id)
        until = member.communication_disabled_until if member else None
        if until is None or until.timestamp() <= clock.now().timestamp():
            raise NotTimedOut(request.target_id)


def wants_dm(settings: ModerationSettings, kind: str) -> bool:
    if kind in ("note", "unban", "untimeout") or settings.dm_members == "off":
        return False
    return settings.dm_members == "all" or kind in DM_BEFORE


#: Longest a DM may hold up its case. Discord takes 5 messages per 5 s in a DM channel too: the
#: sixth case against one member in a row would wait for the reset, and a ban must not.
DM_PATIENCE_SECONDS = 2.0


async def dm_member(runtime: Runtime, guild_name: str, request: CaseRequest, number: int) -> str:
    """Tell the member; "refused" when their DMs are closed (50007), never an error."""
    try:
        async with asyncio.timeout(DM_PATIENCE_SECONDS):
            user = await _client(runtime).fetch_user(request.target_id)
            if user is None:
                return "failed"
            await user.send(format.dm_text(guild_name, request, number), allowed_mentions=format.NO_PINGS)
    except HTTPException as error:
        return "refused" if error.code == DM_CLOSED else "failed"
    except (RestGaveUp, TimeoutError):  # Discord kept rate limiting the DM: the case goes on without it
        log.warning("DM for case %s in guild %s not sent: Discord's rate limit", number, request.guild_id)
        return "failed"
    return "sent"


async def _act(runtime: Runtime, request: CaseRequest) -> str | None:
    """Do the action in Discord; Discord's reason when it refused."""
    guild = await _client(runtime).fetch_guild(request.guild_id)
    reason = request.reason or interactions.MISSING
    try:
        if request.kind in ("ban", "softban"):
            await guild.ban(request.target_id, delete_message_seconds=request.delete_message_seconds, reason=reason)
            if request.kind == "softban":
                await guild.unban(request.target_id, reason="Softban: the ban only deleted their messages")
        elif request.kind == "kick":
            await guild.kick(request.target_id, reason=reason)
        elif request.kind == "unban":
            await guild.unban(request.target_id, reason=reason)
        elif request.kind in ("timeout", "untimeout"):
            member = await guild.fetch_member(request.target_id)
            if member is None:
                return "The member left the server."
            until = clock.now() + request.duration if request.kind == "timeout" and request.duration else None
            await member.timeout(until, reason=reason)
    except HTTPException as error:
        return discord_reason(error)
    return None


async def _bookkeep(runtime: Runtime, case: CaseView) -> None:
    """Temporary punishments: start one (scheduling its end), or cancel the one this action ends."""
    scheduler = runtime.scheduler
    kind, guild_id, user_id = case.kind, case.guild_id, case.target_id

    async def cancel(ended: punishments.Running | None) -> None:
        if ended is not None:
            await scheduler.cancel(key=ended.job_key)

    if kind in ("ban", "timeout") and case.expires_at is not None:
        await cancel(await punishments.start(guild_id, user_id, kind, case.number, case.expires_at))
        await scheduler.schedule(
            "moderation",
            "expire",
            case.expires_at,
            guild_id=guild_id,
            payload={"user_id": user_id, "kind": kind, "number": case.number},
            key=punishments.job_key(guild_id, user_id, kind, case.number),
        )
    elif kind == "ban":
        # A permanent ban replaces a temporary one: its expiry must not lift the new ban.
        await cancel(await punishments.end(guild_id, user_id, "ban"))
    elif kind == "unban":
        await cancel(await punishments.end(guild_id, user_id, "ban"))
    elif kind == "untimeout":
        await cancel(await punishments.end(guild_id, user_id, "timeout"))


async def schedule_modlog_post(runtime: Runtime, settings: ModerationSettings, case: CaseView) -> None:
    """The case's mod-log post, as a job: the moderator's answer does not wait for it (Discord
    takes 5 posts per 5 s in a channel, so the sixth ban of a raid would wait), and a post Discord
    refuses for a while, or a process that dies first, leaves a job that posts it later."""
    if settings.modlog_channel_id is None:
        return
    await runtime.scheduler.schedule(
        "moderation",
        "post_case",
        guild_id=case.guild_id,
        payload={"number": case.number},
        key=f"moderation:modlog:{case.guild_id}:{case.number}",
    )


async def post_modlog(runtime: Runtime, settings: ModerationSettings, case: CaseView, nonce: str) -> int | None:
    """Post the case in the mod-log; its message id, or None when there is no mod-log to post in
    (none set, gone, or the bot may not post there). Raises ``RestGaveUp`` (Discord kept rate
    limiting) and server errors, which the job retries; ``nonce`` keeps a retry after a crash
    from posting twice."""
    if settings.modlog_channel_id is None:
        return None
    try:
        channel = await _client(runtime).fetch_channel(settings.modlog_channel_id)
        if channel is None or not hasattr(channel, "send"):
            return None
        message = await channel.send(
            embeds=[format.case_embed(case)], allowed_mentions=format.NO_PINGS, nonce=nonce, enforce_nonce=True
        )
    except HTTPException as error:
        if error.status not in (403, 404):
            raise
        log.warning("mod-log post of case %s in guild %s refused: %s", case.number, case.guild_id, error)
        return None
    return int(message.id)


async def run_case(
    runtime: Runtime,
    request: CaseRequest,
    *,
    actor_id: int | None,
    checked: Callable[[], Awaitable[None]] | None = None,
) -> CaseOutcome:
    """The case pipeline (see the module docstring). ``actor_id`` None: the bot acts by itself.
    ``checked`` runs once the checks passed (a command defers there: refusals stay ephemeral)."""
    existing = await service.cases.by_key(request.key)
    if existing is not None:
        if existing.status == "pending" and actor_id is None:
            return await _resume(runtime, request, existing)
        return CaseOutcome(CaseView.of(existing), repeated=True)
    if not request.performed:
        await check_action(runtime, request, actor_id)
    if checked is not None:
        await checked()
    settings: ModerationSettings = await runtime.settings.get(request.guild_id, "moderation")
    case, created = await service.cases.open_case(
        request,
        warning_expires=timedelta(days=settings.warning_expiry_days),
        warning_deleted=timedelta(days=settings.warning_delete_days),
    )
    if not created:
        return CaseOutcome(CaseView.of(case), repeated=True)
    return await _complete(runtime, settings, request, case)


async def _resume(runtime: Runtime, request: CaseRequest, case: Case) -> CaseOutcome:
    """Finish a case the bot opened but never finished: a job retried after its process died
    between taking the number and recording Discord's answer. Without this the retry found the
    case, took it as done, and a temporary ban was never lifted."""
    settings: ModerationSettings = await runtime.settings.get(request.guild_id, "moderation")
    if request.kind == "unban":
        guild = await _client(runtime).fetch_guild(request.guild_id)
        if await guild.fetch_ban(request.target_id) is None:
            # The dead attempt's unban reached Discord: doing it again would only fail.
            await service.cases.finish_case(case, status="done")
    return await _complete(runtime, settings, request, case)


async def _complete(runtime: Runtime, settings: ModerationSettings, request: CaseRequest, case: Case) -> CaseOutcome:
    """The pipeline after the case is stored: DM, the action, its outcome, mod-log, hook, escalation."""
    guild = await _client(runtime).fetch_guild(request.guild_id)
    dm = wants_dm(settings, request.kind) and not request.performed
    if dm and request.kind in DM_BEFORE and case.dm == "none":  # a resumed case DMed already
        await service.cases.set_dm(case, await dm_member(runtime, guild.name, request, case.number))
    if not request.performed and case.status == "pending":
        failure = await _act(runtime, request)
        await service.cases.finish_case(case, status="failed" if failure else "done", failure=failure)
    if dm and request.kind not in DM_BEFORE and case.status == "done":
        await service.cases.set_dm(case, await dm_member(runtime, guild.name, request, case.number))
    view = CaseView.of(case)
    if view.status == "done":
        await _bookkeep(runtime, view)
    await schedule_modlog_post(runtime, settings, view)
    await runtime.hooks.call("moderation_case_created", guild_id=request.guild_id, runtime=runtime, case=view)
    escalation = None
    if view.kind == "warn" and view.status == "done":
        escalation = await escalate(runtime, settings, view)
    return CaseOutcome(view, escalation=escalation)


async def run_interaction_case(
    ctx: interactions.SlashContext, kind: str, target: Any, reason: str | None, **details: Any
) -> CaseOutcome:
    """Run one case for a moderator's command: keyed by the interaction (a retry never acts
    twice), deferred once the checks passed, so refusals stay ephemeral and a DM plus a ban may
    take longer than Discord's 3 s."""
    request = CaseRequest(
        guild_id=int(ctx.guild_id),
        kind=kind,
        target_id=int(target.id),
        target_name=format.name_of(target),
        moderator_id=int(ctx.author.id),
        moderator_name=format.name_of(ctx.author),
        reason=reason,
        key=f"interaction:{ctx.id}",
        **details,
    )

    async def defer() -> None:
        await ctx.defer(ephemeral=kind == "note")

    return await run_case(ctx.client.runtime, request, actor_id=int(ctx.author.id), checked=defer)


async def escalate(runtime: Runtime, settings: ModerationSettings, warning: CaseView) -> CaseView | None:
    rule = await service.warnings.escalation_for(
        warning.guild_id, warning.target_id, warning.number, settings.escalation
    )
    if rule is None:
        return None
    me = _client(runtime).user
    if rule.points is not None:
        why = f"Escalation: {rule.points} warning points reached (case {warning.number})"
    else:
        why = f"Escalation: {rule.warnings} warnings within {format.duration(rule.within)} (case {warning.number})"
    request = CaseRequest(
        guild_id=warning.guild_id,
        kind=rule.action,
        target_id=warning.target_id,
        target_name=warning.target_name,
        moderator_id=int(me.id),
        moderator_name=me.username,
        reason=why,
        key=f"escalation:{warning.guild_id}:{warning.number}",
        source="escalation",
        duration=rule.duration,
        delete_message_seconds=settings.ban_delete_message_hours * 3600 if rule.action == "ban" else 0,
        cause_number=warning.number,
    )
    try:
        return (await run_case(runtime, request, actor_id=None)).case
    except (ProtectedTarget, HierarchyError, AdministratorTimeout, NotAMember) as refused:
        log.info("escalation after case %s in guild %s not possible: %s", warning.number, warning.guild_id, refused)
        return None


# ---------------------------------------------------------------------------------- channel tools

#: What a lock denies @everyone: talking, in the channel and its threads, and reacting.
LOCK_DENY = (
    interactions.Permissions.SEND_MESSAGES
    | interactions.Permissions.SEND_MESSAGES_IN_THREADS
    | interactions.Permissions.CREATE_PUBLIC_THREADS
    | interactions.Permissions.ADD_REACTIONS
)
PURGE_SCAN = 500


async def _text_channel(runtime: Runtime, channel_id: int) -> Any:
    channel = await _client(runtime).fetch_channel(channel_id)
    if channel is None or not hasattr(channel, "fetch_messages"):
        raise errors.DiscordRefused("use that channel", "it is not a text channel")
    return channel


async def purge(
    runtime: Runtime, channel_id: int, count: int, member_id: int | None, contains: str | None, reason: str
) -> tuple[service.channels.PurgePlan, int]:
    """Delete the newest ``count`` matching messages (scanning at most the last 500)."""
    channel = await _text_channel(runtime, channel_id)
    seen: list[service.channels.Candidate] = []
    before: Any = interactions.MISSING
    try:
        while len(seen) < PURGE_SCAN:
            batch = await channel.fetch_messages(limit=100, before=before)
            if not batch:
                break
            seen.extend(
                service.channels.Candidate(int(m.id), int(m.author.id), m.content or "", m.created_at, bool(m.pinned))
                for m in batch
            )
            before = batch[-1].id
            matching = service.channels.plan_purge(seen, count, member_id, contains)
            if len(matching.delete) + matching.too_old >= count or len(batch) < 100:
                break
        plan = service.channels.plan_purge(seen, count, member_id, contains)
        deleted = 0
        for start in range(0, len(plan.delete), 100):
            chunk = plan.delete[start : start + 100]
            await channel.delete_messages(chunk, reason=reason)  # one message: a plain delete
            deleted += len(chunk)
    except HTTPException as error:
        raise errors.DiscordRefused("delete those messages", discord_reason(error)) from error
    return plan, deleted


async def set_slowmode(runtime: Runtime, channel_id: int, seconds: int, reason: str | None) -> None:
    channel = await _text_channel(runtime, channel_id)
    try:
        await channel.edit(rate_limit_per_user=seconds, reason=reason or interactions.MISSING)
    except HTTPException as error:
        raise errors.DiscordRefused("change the slowmode", discord_reason(error)) from error


async def lock(
    runtime: Runtime, guild_id: int, channel_id: int, by: int, duration: timedelta | None, reason: str | None
) -> None:
    """Deny @everyone talking in the channel; remember the overwrite it had, for /unlock."""
    channel = await _text_channel(runtime, channel_id)
    current = next((o for o in channel.permission_overwrites if int(o.id) == guild_id), None)
    allow = int(current.allow or 0) if current else 0
    deny = int(current.deny or 0) if current else 0
    until = clock.now() + duration if duration else None
    await service.channels.lock_started(
        guild_id, channel_id, had_overwrite=current is not None, allow=allow, deny=deny, by=by, until=until
    )
    overwrite = interactions.PermissionOverwrite(
        id=guild_id,
        type=interactions.OverwriteType.ROLE,
        allow=interactions.Permissions(allow & ~int(LOCK_DENY)),
        deny=interactions.Permissions(deny | int(LOCK_DENY)),
    )
    try:
        await channel.edit_permission(overwrite, reason=reason)
    except HTTPException as error:
        await service.channels.lock_ended(channel_id)
        raise errors.DiscordRefused("lock the channel", discord_reason(error)) from error
    if until is not None:
        await runtime.scheduler.schedule(
            "moderation",
            "unlock",
            until,
            guild_id=guild_id,
            payload={"channel_id": channel_id},
            key=f"moderation:unlock:{channel_id}",
        )


async def unlock(runtime: Runtime, guild_id: int, channel_id: int, reason: str | None) -> None:
    record = await service.channels.lock_of(channel_id)
    channel = await _text_channel(runtime, channel_id)
    try:
        if record.had_overwrite:
            overwrite = interactions.PermissionOverwrite(
                id=guild_id,
                type=interactions.OverwriteType.ROLE,
                allow=interactions.Permissions(record.allow),
                deny=interactions.Permissions(record.deny),
            )
            await channel.edit_permission(overwrite, reason=reason)
        else:
            await channel.delete_permission(
                interactions.PermissionOverwrite(id=guild_id, type=interactions.OverwriteType.ROLE), reason=reason
            )
    except HTTPException as error:
        raise errors.DiscordRefused("unlock the channel", discord_reason(error)) from error
    await service.channels.lock_ended(channel_id)
    await runtime.scheduler.cancel(key=f"moderation:unlock:{channel_id}")
