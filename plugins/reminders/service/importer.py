"""``guildkit import reminders FILE.json``: seed 002's legacy JSON of watched events.

Every record is validated before anything is written; a bad one refuses the whole file (naming
the record and the reason). Importing is idempotent: a watch is matched by its message id, and a
record that matches what is stored (fields and reactions) is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tortoise.transactions import in_transaction

from guildkit.core import clock

from ..errors import ImportRefused
from ..models import Watch, WatchReaction
from .watches import WATCHING, parse_emojis, schedule_watch

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

Action = Literal["create", "update", "unchanged"]


class LegacyReaction(BaseModel):
    model_config = ConfigDict(extra="ignore")

    user_id: int = Field(gt=0)
    emoji: str = Field(min_length=1, max_length=100)
    reacted_at: datetime | None = None


class LegacyEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    guild_id: int = Field(gt=0)
    channel_id: int = Field(gt=0)
    message_id: int = Field(gt=0)
    title: str = Field(min_length=1, max_length=200)
    interval_minutes: int = Field(ge=1, le=525_600)
    required_reactions: list[str] = Field(default_factory=list, max_length=20)
    is_paused: bool = False
    last_reminder: datetime | None = None
    reactions: list[LegacyReaction] = Field(default_factory=list)


@dataclass(frozen=True)
class PlannedRecord:
    index: int
    event: LegacyEvent
    action: Action


@dataclass
class ImportPlan:
    records: list[PlannedRecord] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for r in self.records if r.action == action)

    @property
    def reactions(self) -> int:
        return sum(len(r.event.reactions) for r in self.records if r.action != "unchanged")


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_file(path: Path) -> list[LegacyEvent]:
    """Parse and validate every record; raises ImportRefused for the first bad one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ImportRefused(str(path), f"cannot read the file ({error})") from None
    except json.JSONDecodeError as error:
        raise ImportRefused(str(path), f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ImportRefused(str(path), 'the file must be an object with an "events" list')
    events: list[LegacyEvent] = []
    seen: dict[int, int] = {}
    for index, raw in enumerate(data["events"]):
        where = f"events[{index}]"
        if isinstance(raw, dict) and "message_id" in raw:
            where += f" (message {raw['message_id']})"
        try:
            event = LegacyEvent.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            location = ".".join(str(part) for part in first["loc"]) or "record"
            raise ImportRefused(where, f"{location}: {first['msg']}") from None
        try:
            parse_emojis(" ".join(event.required_reactions))
        except Exception:
            raise ImportRefused(where, "required_reactions: not a list of emojis") from None
        if event.message_id in seen:
            raise ImportRefused(where, f"message {event.message_id} is also events[{seen[event.message_id]}]")
        seen[event.message_id] = index
        events.append(event)
    return events


def _fields(event: LegacyEvent) -> dict[str, object]:
    return {
        "guild_id": event.guild_id,
        "channel_id": event.channel_id,
        "title": event.title,
        "interval_minutes": event.interval_minutes,
        "required_emojis": parse_emojis(" ".join(event.required_reactions)),
        "paused": event.is_paused,
        "last_reminder_at": _aware(event.last_reminder),
    }


async def plan(events: list[LegacyEvent]) -> ImportPlan:
    """What importing would do to each record, writing nothing."""
    existing = {w.message_id: w for w in await Watch.filter(message_id__in=[e.message_id for e in events])}
    reacted: dict[int, set[tuple[int, str]]] = {}
    if existing:
        for watch_id, user_id, emoji in await WatchReaction.filter(
            watch_id__in=[w.id for w in existing.values()]
        ).values_list("watch_id", "user_id", "emoji"):
            reacted.setdefault(watch_id, set()).add((user_id, emoji))
    result = ImportPlan()
    for index, event in enumerate(events):
        watch = existing.get(event.message_id)
        if watch is None:
            action: Action = "create"
        else:
            same = all(getattr(watch, key) == value for key, value in _fields(event).items())
            has_all = {(r.user_id, r.emoji) for r in event.reactions} <= reacted.get(watch.id, set())
            action = "unchanged" if same and has_all else "update"
        result.records.append(PlannedRecord(index, event, action))
    return result


async def apply(runtime: Runtime, planned: ImportPlan, progress: Callable[[int], None] | None = None) -> ImportPlan:
    """Write the plan in one transaction (all or nothing), then schedule the watches' rounds."""
    now = clock.now()
    to_schedule: list[Watch] = []
    async with in_transaction():
        for record in planned.records:
            if record.action != "unchanged":
                event = record.event
                values = _fields(event)
                watch = await Watch.get_or_none(message_id=event.message_id)
                if watch is None:
                    watch = await Watch.create(message_id=event.message_id, created_at=now, **values)
                else:
                    await Watch.filter(id=watch.id).update(**values)
                    watch = await Watch.get(id=watch.id)
                have = set(await WatchReaction.filter(watch_id=watch.id).values_list("user_id", "emoji"))
                for reaction in event.reactions:
                    if (reaction.user_id, reaction.emoji) not in have:
                        have.add((reaction.user_id, reaction.emoji))
                        await WatchReaction.create(
                            watch_id=watch.id,
                            user_id=reaction.user_id,
                            emoji=reaction.emoji,
                            reacted_at=_aware(reaction.reacted_at) or now,
                        )
                if watch.status == WATCHING and not watch.paused:
                    to_schedule.append(watch)
            if progress is not None:
                progress(1)
    for watch in to_schedule:
        every = timedelta(minutes=watch.interval_minutes)
        first = watch.last_reminder_at + every if watch.last_reminder_at else now + every
        await schedule_watch(runtime, watch, first=max(first, now))
    return planned
