"""Leveling's refusals: data for ``commands/format.describe_error``, plain text in ``str()``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guildkit.core.errors import DomainError
from guildkit.core.members import BotNotAllowed, MemberRefused


class LevelingError(DomainError):
    """Base of the leveling plugin's refusals."""


class OutOfRange(LevelingError):
    """A number outside what the plugin accepts; ``what`` names it ("amount", "XP reward"...)."""

    def __init__(self, what: str, value: float, low: float, high: float, unit: str = "") -> None:
        self.what, self.value, self.low, self.high, self.unit = what, value, low, high, unit
        suffix = f" {unit}" if unit else ""
        super().__init__(f"The {what} must be between {low:,} and {high:,}{suffix}.")


class UnknownChoice(LevelingError):
    """A value that is not one of ``choices`` (a quest cycle, a counter, a leaderboard key)."""

    def __init__(self, what: str, value: str, choices: Sequence[str]) -> None:
        self.what, self.value, self.choices = what, value, tuple(choices)
        super().__init__(f"The {what} must be one of: {', '.join(self.choices)}.")


class InvalidCurve(LevelingError):
    """A curve preview with a base, multiplier or max level out of range."""

    def __init__(self, base: int, multiplier: float, max_level: int) -> None:
        self.base, self.multiplier, self.max_level = base, multiplier, max_level
        super().__init__("Use a base of 1 to 1,000,000, a multiplier of 0.01 to 100, a max level of 1 to 10,000.")


class NotAMember(LevelingError):
    """The chosen user is not a member of this server."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name} is not a member of this server.")


class BotsEarnNoXp(BotNotAllowed):
    """A bot chosen where leveling needs a member: the core's refusal, in leveling's words."""

    def __init__(self, user: Any) -> None:
        name = str(getattr(user, "display_name", None) or getattr(user, "username", "")).replace("*", "")[:64]
        MemberRefused.__init__(self, user, f"Bots do not earn XP and **{name}** is a bot. Pick a member.")


class ResetNotConfirmed(LevelingError):
    def __init__(self, typed: str) -> None:
        self.typed = typed
        super().__init__("Nothing was reset. Type RESET in the confirm option to reset everyone's XP.")


class NoBackup(LevelingError):
    def __init__(self, guild_id: int) -> None:
        self.guild_id = guild_id
        super().__init__("There is no XP backup for this server. One is written by a server-wide XP reset.")


class NotALevelRole(LevelingError):
    def __init__(self, role_id: int) -> None:
        self.role_id = role_id
        super().__init__("That role is not a level role here.")


class RoleNotAssignable(LevelingError):
    """A role the bot cannot hand out: ``reason`` is "special" (@everyone, a bot's role) or
    "above_bot" (at or above the bot's highest role)."""

    def __init__(self, role_id: int, reason: str) -> None:
        self.role_id, self.reason = role_id, reason
        if reason == "above_bot":
            text = "My highest role must be above that role; move my role up in Server Settings, Roles."
        else:
            text = "Pick a normal role (not @everyone or a bot's role)."
        super().__init__(text)


class TooManyQuests(LevelingError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"A server can have at most {limit} active quests; remove one first.")


class NoSuchQuest(LevelingError):
    def __init__(self, quest_id: int) -> None:
        self.quest_id = quest_id
        super().__init__(f"There is no quest #{quest_id} here.")


class NoSuchAchievement(LevelingError):
    def __init__(self, achievement_id: int) -> None:
        self.achievement_id = achievement_id
        super().__init__(f"There is no achievement #{achievement_id} here.")


class NotAColour(LevelingError):
    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"{value} is not a colour; use hex like #5865f2.")


class NoColourGiven(LevelingError):
    def __init__(self) -> None:
        super().__init__("Give at least one colour, e.g. primary:#ff0000.")


__all__ = [
    "BotsEarnNoXp",
    "InvalidCurve",
    "LevelingError",
    "NoBackup",
    "NoColourGiven",
    "NoSuchAchievement",
    "NoSuchQuest",
    "NotAColour",
    "NotALevelRole",
    "NotAMember",
    "OutOfRange",
    "ResetNotConfirmed",
    "RoleNotAssignable",
    "TooManyQuests",
    "UnknownChoice",
]
