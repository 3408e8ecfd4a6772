"""The leveling plugin's only formatters: member-facing text (with Discord markup) for what the
service returns, and :func:`describe_error` for what it refuses."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from guildkit.core.durations import format_duration
from guildkit.core.members import resolve_member
from guildkit.core.pagination import PageView

from .. import errors
from ..service import (
    AchievementStanding,
    LeaderboardPage,
    LevelPreview,
    QuestStanding,
    RankSummary,
    XpChange,
)

#: What each leaderboard ranks by, as members read it.
LEADERBOARD_LABELS = {
    "xp": "XP",
    "messages": "messages",
    "reactions": "reactions",
    "voice_seconds": "seconds in voice",
    "commands_used": "commands",
}


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def role_mention(role_id: int) -> str:
    return f"<@&{role_id}>"


def timestamp(at: datetime, style: str = "f") -> str:
    """A Discord timestamp: every member sees it in their own time zone."""
    return f"<t:{int(at.timestamp())}:{style}>"


def minutes(count: int) -> str:
    return format_duration(timedelta(minutes=count))


def xp(amount: int) -> str:
    return f"{amount:,} XP"


def target_member(ctx: Any, member: Any) -> Any:
    """The member a command acts on (the author when none is given): a human member of this server,
    through the core's member converter (someone outside the server is refused its way)."""
    if member is None:
        return ctx.author
    found = resolve_member(ctx, member, allow_bots=True)
    if found.bot:
        raise errors.BotsEarnNoXp(found)
    return found


# -- replies ------------------------------------------------------------------------------------------


def rank(name: str, summary: RankSummary) -> str:
    progress = f" ({summary.into:,}/{summary.need:,} to level {summary.level + 1})" if summary.need else " (max level)"
    return (
        f"**{name}** — Level {summary.level} · {xp(summary.xp)}{progress} · rank #{summary.rank}"
        f" · {xp(summary.global_xp)} across servers"
    )


def leaderboard(board: LeaderboardPage) -> PageView:
    label = LEADERBOARD_LABELS[board.by]
    lines = [f"**Leaderboard** by {label} — page {board.page}/{board.pages}"]
    if not board.entries:
        lines.append("Nobody has earned anything yet.")
    for entry in board.entries:
        extra = f" · level {entry.level}" if entry.level is not None else ""
        lines.append(f"{entry.rank}. {mention(entry.user_id)} — {entry.value:,} {label}{extra}")
    return PageView(page=board.page, pages=board.pages, content="\n".join(lines))


def xp_change(verb: str, user_mention: str, change: XpChange) -> str:
    return f"{verb} {user_mention}: {change.old:,} → {xp(change.new)} (level {change.level})."


def level_preview(preview: LevelPreview) -> str:
    return f"{preview.changed} member(s) change level ({preview.up} up, {preview.down} down)"


def quests(standings: list[QuestStanding]) -> str:
    lines = ["**Quests**"]
    for standing in standings:
        quest = standing.quest
        mark = "✅" if standing.completed else "▫️"
        shown = min(standing.progress, quest.requirement_value)
        reward = f"+{xp(quest.reward_xp)}"
        if quest.multiplier_minutes:
            reward += f", x{quest.reward_multiplier:g} XP for {minutes(quest.multiplier_minutes)}"
        lines.append(
            f"{mark} #{quest.id} **{quest.name}** ({quest.cycle}): {shown}/{quest.requirement_value} "
            f"{quest.requirement} — {reward}"
        )
    return "\n".join(lines)


def achievements(name: str, standings: list[AchievementStanding]) -> str:
    earned = sum(1 for s in standings if s.earned_at)
    lines = [f"**Achievements of {name}** ({earned}/{len(standings)})"]
    for standing in standings:
        achievement = standing.achievement
        mark = f"🏆 earned {timestamp(standing.earned_at, 'd')}" if standing.earned_at else "🔒"
        lines.append(
            f"{mark} #{achievement.id} **{achievement.name}**: {achievement.requirement} ≥ "
            f"{achievement.requirement_value} (+{xp(achievement.reward_xp)})"
        )
    return "\n".join(lines)


# -- refusals -------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


async def describe_error(ctx: Any, error: Exception) -> str | None:
    """The member-facing text of a leveling refusal; None leaves the core's plain ``str(error)``."""
    if isinstance(error, errors.OutOfRange):
        low, high = _number(error.low), _number(error.high)
        if error.what == "multiplier":
            return f"The multiplier must be between {low} (no XP) and {high}."
        unit = f" {error.unit}" if error.unit else ""
        return f"The {error.what} must be between {low} and {high}{unit}."
    if isinstance(error, errors.UnknownChoice):
        return f"The {error.what} must be one of: {', '.join(f'`{c}`' for c in error.choices)}."
    if isinstance(error, errors.NotAMember):
        return f"**{error.name}** is not a member of this server."
    if isinstance(error, errors.ResetNotConfirmed):
        return "Nothing was reset. Type `RESET` in the confirm option to reset everyone's XP."
    if isinstance(error, errors.NoBackup):
        return "There is no XP backup for this server. One is written by `/xp reset-all`."
    if isinstance(error, errors.NotALevelRole):
        return f"{role_mention(error.role_id)} is not a level role here. See `/levelrole list`."
    if isinstance(error, errors.RoleNotAssignable) and error.reason == "above_bot":
        return (
            f"My highest role must be above {role_mention(error.role_id)}; move my role up in Server Settings → Roles."
        )
    if isinstance(error, errors.NoSuchQuest):
        return f"There is no quest #{error.quest_id} here. See `/quests`."
    if isinstance(error, errors.NoSuchAchievement):
        return f"There is no achievement #{error.achievement_id} here. See `/achievements`."
    if isinstance(error, errors.NotAColour):
        return f"`{error.value[:40]}` is not a colour; use hex like `#5865f2`."
    if isinstance(error, errors.NoColourGiven):
        return "Give at least one colour, e.g. `primary:#ff0000`."
    return None
