"""What the moderation service refuses, as data (commands/format.py words it for members)."""

from __future__ import annotations

from guildkit.core.errors import DomainError


class HierarchyError(DomainError):
    """The action would break the role hierarchy; ``who`` is "you" or "bot"."""

    def __init__(self, target_id: int, who: str) -> None:
        self.target_id = target_id
        self.who = who
        holder = "your" if who == "you" else "the bot's"
        super().__init__(f"That member's top role is at or above {holder} top role.")


class ProtectedTarget(DomainError):
    """Nobody acts on the server owner, on the bot itself or its owners, or on themselves."""

    def __init__(self, target_id: int, what: str) -> None:
        self.target_id = target_id
        self.what = what  # owner, bot, self, bot_owner
        super().__init__(
            {
                "owner": "Nobody can act on the server owner.",
                "bot": "The bot does not act on itself.",
                "self": "You cannot act on yourself.",
                "bot_owner": "The bot does not act on its owner.",
            }[what]
        )


class AdministratorTimeout(DomainError):
    """Discord never times out administrators."""

    def __init__(self, target_id: int) -> None:
        self.target_id = target_id
        super().__init__("Administrators cannot be timed out.")


class NotAMember(DomainError):
    def __init__(self, target_id: int, action: str) -> None:
        self.target_id = target_id
        self.action = action
        super().__init__(f"That user is not in this server, so they cannot get a {action}.")


class NotBanned(DomainError):
    def __init__(self, target_id: int) -> None:
        self.target_id = target_id
        super().__init__("That user is not banned here.")


class NotTimedOut(DomainError):
    def __init__(self, target_id: int) -> None:
        self.target_id = target_id
        super().__init__("That member is not timed out.")


class CaseNotFound(DomainError):
    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__(f"There is no case {number} in this server.")


class NotAWarning(DomainError):
    def __init__(self, number: int, kind: str) -> None:
        self.number = number
        self.kind = kind
        super().__init__(f"Case {number} is a {kind}, not a warning.")


class AlreadyPardoned(DomainError):
    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__(f"The warning of case {number} was already pardoned.")


class ChannelNotLocked(DomainError):
    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id
        super().__init__("That channel is not locked by the bot.")


class ChannelAlreadyLocked(DomainError):
    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id
        super().__init__("That channel is already locked.")


class DiscordRefused(DomainError):
    """Discord refused a channel action (slowmode, lock, purge); ``reason`` is Discord's text."""

    def __init__(self, action: str, reason: str) -> None:
        self.action = action
        self.reason = reason
        super().__init__(f"Discord refused to {action}: {reason}")
