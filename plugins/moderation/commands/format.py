"""Every piece of moderation text members see: cases, warnings, durations, DMs and errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import interactions

from guildkit.core.durations import format_duration

from .. import errors
from ..service.cases import CaseRequest, CaseView
from ..service.channels import PurgePlan
from ..service.warnings import WarningSummary, WarningView

#: Replies, DMs and mod-log posts never ping: reasons are typed by moderators and may hold mentions.
NO_PINGS: dict[str, Any] = {"parse": []}


def name_of(user: Any) -> str:
    """A user's name for a case record."""
    return str(getattr(user, "username", None) or getattr(user, "display_name", None) or user.id)


KIND_LABELS = {
    "warn": "Warning",
    "note": "Note",
    "timeout": "Timeout",
    "untimeout": "Timeout removed",
    "kick": "Kick",
    "ban": "Ban",
    "softban": "Softban",
    "unban": "Unban",
}
PAST_TENSE = {
    "warn": "warned",
    "note": "noted about",
    "timeout": "timed out",
    "untimeout": "lifted the timeout of",
    "kick": "kicked",
    "ban": "banned",
    "softban": "softbanned",
    "unban": "unbanned",
}
DM_LABELS = {"none": "not sent", "sent": "sent", "refused": "refused (their DMs are closed)", "failed": "failed"}
COLOURS = {"warn": 0xF1C40F, "note": 0x95A5A6, "timeout": 0xE67E22, "kick": 0xE74C3C, "ban": 0x992D22}


def duration(value: timedelta | None) -> str:
    return format_duration(value) if value else "permanent"


def timestamp(moment: datetime, style: str = "f") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def reason(text: str | None) -> str:
    return text if text else "no reason given"


def case_title(case: CaseView) -> str:
    title = f"Case {case.number} · {KIND_LABELS.get(case.kind, case.kind)}"
    return title + (" (failed)" if case.status == "failed" else "")


def case_line(case: CaseView) -> str:
    """One line of a case list."""
    extra = ""
    if case.duration:
        extra = f" for {duration(case.duration)}"
    if case.points:
        extra += f" ({case.points} pt)"
    failed = " **failed**" if case.status == "failed" else ""
    return (
        f"`#{case.number}` {KIND_LABELS.get(case.kind, case.kind)}{extra}{failed} · {mention(case.target_id)} "
        f"by {mention(case.moderator_id)} {timestamp(case.created_at, 'R')}: {reason(case.reason)[:80]}"
    )


def case_embed(
    case: CaseView, history: list[tuple[int, str | None, str, datetime]] | None = None
) -> interactions.Embed:
    embed = interactions.Embed(title=case_title(case), color=COLOURS.get(case.kind, 0x3498DB))
    embed.add_field("Member", f"{mention(case.target_id)} ({case.target_name}, `{case.target_id}`)", inline=True)
    embed.add_field("Moderator", f"{mention(case.moderator_id)} ({case.moderator_name})", inline=True)
    embed.add_field("Reason", reason(case.reason)[:1024])
    if case.points is not None:
        embed.add_field("Points", str(case.points), inline=True)
    if case.duration is not None:
        until = f", until {timestamp(case.expires_at)}" if case.expires_at else ""
        embed.add_field("Duration", f"{duration(case.duration)}{until}", inline=True)
    if case.kind not in ("note",):
        embed.add_field("DM", DM_LABELS.get(case.dm, case.dm), inline=True)
    if case.status == "failed":
        embed.add_field("Discord refused", (case.failure or "unknown")[:1024])
    if case.cause_number is not None:
        embed.add_field("Triggered by", f"case {case.cause_number}", inline=True)
    if case.source == "manual":
        embed.add_field("Done in", "Discord (found in the audit log)", inline=True)
    for editor_id, old, new, at in (history or [])[-5:]:
        embed.add_field(
            f"Reason edited {timestamp(at, 'R')}", f"by {mention(editor_id)}: {reason(old)[:300]} → {new[:300]}"
        )
    embed.set_footer(f"Case {case.number}")
    embed.timestamp = case.created_at
    return embed


def action_reply(case: CaseView, escalation: CaseView | None = None, repeated: bool = False) -> str:
    verb = PAST_TENSE.get(case.kind, case.kind)
    if case.status == "failed":
        text = f"Case {case.number}: could not do it, Discord refused: {case.failure}"
    elif case.kind == "note":
        text = f"Case {case.number}: note added about {mention(case.target_id)}."
    else:
        text = f"Case {case.number}: {verb} {mention(case.target_id)}"
        if case.duration is not None:
            text += f" for {duration(case.duration)}"
        if case.points:
            text += f" ({case.points} point{'s' if case.points != 1 else ''})"
        text += f". Reason: {reason(case.reason)}"
        if case.dm == "refused":
            text += "\nTheir DMs are closed, so they were not told."
    if escalation is not None:
        text += f"\nEscalation, case {escalation.number}: {PAST_TENSE.get(escalation.kind, escalation.kind)}"
        if escalation.duration:
            text += f" for {duration(escalation.duration)}"
        text += "." if escalation.status == "done" else f", but Discord refused: {escalation.failure}"
    if repeated:
        text = "(already done) " + text
    return text


def dm_text(guild_name: str, request: CaseRequest, number: int) -> str:
    what = {
        "warn": "You were warned",
        "timeout": "You were timed out",
        "kick": "You were kicked",
        "ban": "You were banned",
        "softban": "You were kicked (softban: your recent messages were deleted)",
    }.get(request.kind, KIND_LABELS.get(request.kind, request.kind))
    text = f"{what} in **{guild_name}**"
    if request.duration is not None and request.kind in ("timeout", "ban"):
        text += f" for {duration(request.duration)}"
    return f"{text}.\nReason: {reason(request.reason)}\n(case {number})"


def _warning_line(warning: WarningView) -> str:
    state = ""
    if warning.pardoned_at is not None:
        state = " · pardoned"
    elif not warning.active:
        state = " · expired"
    else:
        state = f" · counts until {timestamp(warning.expires_at, 'd')}"
    given = timestamp(warning.created_at, "d")
    return f"`#{warning.number}` {warning.points} pt{state} · {given}: {reason(warning.reason)[:80]}"


def warnings_embed(user_id: int, summary: WarningSummary) -> interactions.Embed:
    embed = interactions.Embed(
        title="Warnings", description=f"{mention(user_id)}: {summary.active_points} active points"
    )
    if summary.active:
        embed.add_field("Active", "\n".join(_warning_line(w) for w in summary.active[:10])[:1024])
    if summary.inactive:
        embed.add_field("Expired or pardoned", "\n".join(_warning_line(w) for w in summary.inactive[:10])[:1024])
    if not summary.active and not summary.inactive:
        embed.add_field("Active", "none")
    return embed


def history_embed(user_id: int, summary: WarningSummary, cases: list[CaseView], total: int) -> interactions.Embed:
    embed = interactions.Embed(
        title="History",
        description=f"{mention(user_id)}: {total} case(s), {summary.active_points} active warning points",
    )
    if cases:
        embed.add_field("Cases, newest first", "\n".join(case_line(c) for c in cases)[:1024])
    return embed


def purge_result(plan: PurgePlan, deleted: int) -> str:
    text = f"Deleted {deleted} message{'s' if deleted != 1 else ''}."
    if plan.too_old:
        text += f" {plan.too_old} matching message(s) are older than 14 days; Discord does not bulk-delete those."
    return text


async def describe_error(ctx: Any, error: Exception) -> str | None:
    if isinstance(error, errors.HierarchyError):
        whose = "your" if error.who == "you" else "the bot's"
        return f"{mention(error.target_id)}'s top role is at or above {whose} top role, so that is not possible."
    if isinstance(error, errors.ProtectedTarget):
        return {
            "owner": "Nobody can act on the server owner.",
            "bot": "I do not act on myself.",
            "self": "You cannot do that to yourself.",
            "bot_owner": "I do not act on the owner of this bot.",
        }[error.what]
    if isinstance(error, errors.AdministratorTimeout):
        return f"{mention(error.target_id)} is an administrator; Discord does not time out administrators."
    if isinstance(error, errors.NotAMember):
        return f"{mention(error.target_id)} is not in this server."
    if isinstance(error, errors.NotBanned):
        return f"{mention(error.target_id)} is not banned here."
    if isinstance(error, errors.NotTimedOut):
        return f"{mention(error.target_id)} is not timed out."
    if isinstance(error, errors.CaseNotFound):
        return f"There is no case {error.number} here. `/cases` lists them."
    if isinstance(error, errors.NotAWarning):
        return f"Case {error.number} is a {KIND_LABELS.get(error.kind, error.kind).lower()}, not a warning."
    if isinstance(error, errors.AlreadyPardoned):
        return f"The warning of case {error.number} was already pardoned."
    if isinstance(error, errors.ChannelNotLocked):
        return f"<#{error.channel_id}> is not locked by the bot."
    if isinstance(error, errors.ChannelAlreadyLocked):
        return f"<#{error.channel_id}> is already locked. `/unlock` it first."
    if isinstance(error, errors.DiscordRefused):
        return f"Discord refused to {error.action}: {error.reason}"
    return None
