"""What the music plugin refuses, as data (commands/format.py words it for members)."""

from __future__ import annotations

from guildkit.core.errors import DomainError


class NotInVoice(DomainError):
    def __init__(self) -> None:
        super().__init__("Join a voice channel first.")


class DifferentChannel(DomainError):
    def __init__(self, bot_channel_id: int) -> None:
        self.bot_channel_id = bot_channel_id
        super().__init__("The bot is playing in another voice channel; join that one.")


class BotLacksVoicePermission(DomainError):
    """``permission`` is "Connect" or "Speak"."""

    def __init__(self, channel_id: int, permission: str) -> None:
        self.channel_id, self.permission = channel_id, permission
        super().__init__(f"The bot lacks the {permission} permission in that voice channel.")


class JoinFailed(DomainError):
    """Discord did not confirm the bot's voice join in time."""

    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id
        super().__init__("Discord did not let the bot join that voice channel; try again.")


class NothingFound(DomainError):
    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(f"Nothing found for {query!r}.")


class LoadFailed(DomainError):
    def __init__(self, query: str, message: str) -> None:
        self.query, self.message = query, message
        super().__init__(f"Could not load {query!r}: {message}")


class MusicUnavailable(DomainError):
    """No Lavalink node is reachable."""

    def __init__(self) -> None:
        super().__init__("Music is unavailable right now: no audio node is reachable. Try again in a minute.")


class NotConnected(DomainError):
    """/leave while the bot is in no voice channel of the guild."""

    def __init__(self) -> None:
        super().__init__("I am not in a voice channel here.")


class NothingPlaying(DomainError):
    def __init__(self) -> None:
        super().__init__("Nothing is playing.")


class MusicDisabledHere(DomainError):
    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id
        super().__init__("Music is turned off in this channel.")


class QueueFull(DomainError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"The queue is full ({limit} tracks).")


class TrackTooLong(DomainError):
    def __init__(self, title: str, length_ms: int, limit_minutes: int) -> None:
        self.title, self.length_ms, self.limit_minutes = title, length_ms, limit_minutes
        super().__init__(f"{title} is longer than {limit_minutes} minutes, the limit here.")


class DuplicateTrack(DomainError):
    def __init__(self, title: str) -> None:
        self.title = title
        super().__init__(f"{title} is already in the queue.")


class DjOnly(DomainError):
    def __init__(self) -> None:
        super().__init__("Only DJs control the music here (DJ-only mode).")


class NotSeekable(DomainError):
    def __init__(self) -> None:
        super().__init__("This track cannot be sought (a live stream).")


class BadPosition(DomainError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a position in this track; use m:ss, like 1:30.")


class VolumeTooHigh(DomainError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"The volume limit here is {limit}.")


class NoSuchQueueItem(DomainError):
    def __init__(self, index: int, size: int) -> None:
        self.index, self.size = index, size
        super().__init__(f"There is no track {index} in the queue ({size} waiting).")


class AlreadyFavorite(DomainError):
    def __init__(self, title: str) -> None:
        self.title = title
        super().__init__(f"{title} is already in your favorites.")


class NoSuchFavorite(DomainError):
    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__(f"You have no favorite number {number}.")


class UnknownPreset(DomainError):
    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name, self.known = name, known
        super().__init__(f"There is no equalizer preset {name!r}; presets: {', '.join(known)}.")
