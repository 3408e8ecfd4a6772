"""What a flush hands back to ``effects.py``, and the XP buffer's slot layout."""

from __future__ import annotations

from dataclasses import dataclass, field

# Slots of one buffered (guild, member) entry: five counters, the channel of the last message, and
# when the member was last awarded message XP (None: never, as far as this process knows). The last
# award lives in the slot while the member is buffered (one lookup per message instead of three)
# and goes back to ``Engine.last_award`` when the slot is taken for a flush.
XP, MESSAGES, REACTIONS, VOICE, COMMANDS, CHANNEL, LAST_AWARD = range(7)
COUNTER_SLOT = {
    "xp": XP,
    "messages": MESSAGES,
    "reactions": REACTIONS,
    "voice_seconds": VOICE,
    "commands_used": COMMANDS,
}


@dataclass(slots=True)  # no __dict__: a burst makes thousands, each one object for the collector
class LevelChange:
    guild_id: int
    user_id: int
    old_level: int
    new_level: int
    xp: int
    channel_id: int | None = None
    announce: bool = True


@dataclass(slots=True)
class Completion:
    guild_id: int
    user_id: int
    kind: str  # "quest" or "achievement"
    item_id: int
    name: str
    reward_xp: int
    channel_id: int | None = None


@dataclass
class FlushResult:
    awarded: list[tuple[int, int, int, int]] = field(default_factory=list)  # guild, user, amount, total
    levels: list[LevelChange] = field(default_factory=list)
    completions: list[Completion] = field(default_factory=list)

    def extend(self, other: FlushResult) -> None:
        self.awarded += other.awarded
        self.levels += other.levels
        self.completions += other.completions
