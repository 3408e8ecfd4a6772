"""Escalation rules: "3=timeout:1h" (points reach 3) and "4/7d=kick" (4 warnings within 7 days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from guildkit.core.durations import parse_duration

from .punishments import MAX_TIMEOUT

ACTIONS = ("timeout", "kick", "ban")


@dataclass(frozen=True)
class EscalationRule:
    action: str
    duration: timedelta | None
    points: int | None = None
    warnings: int | None = None
    within: timedelta | None = None

    @property
    def threshold(self) -> int:
        return self.points if self.points is not None else self.warnings or 0


def parse_rules(text: str) -> list[EscalationRule]:
    """Rules from the setting; ValueError names the part that is wrong."""
    rules = []
    for raw in (part.strip() for part in text.split(",")):
        if not raw:
            continue
        trigger, sep, action_text = raw.partition("=")
        if not sep:
            raise ValueError(f"{raw!r}: expected TRIGGER=ACTION, like 3=timeout:1h")
        action, _, duration_text = action_text.strip().partition(":")
        action = action.strip().lower()
        if action not in ACTIONS:
            raise ValueError(f"{raw!r}: the action must be one of {', '.join(ACTIONS)}")
        duration = None
        if duration_text.strip():
            try:
                duration = parse_duration(duration_text.strip(), minimum=timedelta(seconds=1))
            except ValueError as error:
                raise ValueError(f"{raw!r}: {error}") from None
        if action == "timeout":
            duration = duration or timedelta(hours=1)
            if duration > MAX_TIMEOUT:
                raise ValueError(f"{raw!r}: a timeout lasts at most 28 days")
        if action == "kick" and duration is not None:
            raise ValueError(f"{raw!r}: a kick has no duration")
        count_text, slash, window_text = trigger.strip().partition("/")
        if not count_text.strip().isdigit() or int(count_text) < 1 or int(count_text) > 1000:
            raise ValueError(f"{raw!r}: the threshold must be a whole number from 1 to 1000")
        if slash:
            try:
                within = parse_duration(window_text.strip(), minimum=timedelta(minutes=1))
            except ValueError as error:
                raise ValueError(f"{raw!r}: {error}") from None
            rules.append(EscalationRule(action, duration, warnings=int(count_text), within=within))
        else:
            rules.append(EscalationRule(action, duration, points=int(count_text)))
    return rules


_SEVERITY = {"timeout": 0, "kick": 1, "ban": 2}


def crossed(
    rules: list[EscalationRule],
    points_before: int,
    points_after: int,
    recent_counts: dict[timedelta, tuple[int, int]],
) -> EscalationRule | None:
    """The most severe rule this warning made true for the first time. ``recent_counts``: for each
    window, (warnings in it before this one, including it)."""
    hits = []
    for rule in rules:
        if rule.points is not None and points_before < rule.points <= points_after:
            hits.append(rule)
        elif rule.within is not None and rule.warnings is not None:
            before, after = recent_counts.get(rule.within, (0, 0))
            if before < rule.warnings <= after:
                hits.append(rule)
    if not hits:
        return None
    return max(hits, key=lambda r: (_SEVERITY[r.action], r.duration or timedelta.max, r.threshold))
