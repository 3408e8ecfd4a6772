"""Play history (seed 000): recording plays, a member's or guild's history, stats and analytics."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.upsert import insert_many, upsert

from ..models import COMPLETED, MusicDailyListener, MusicDailyStats, MusicPlay

#: Tracks /music top lists.
TOP_TRACKS = 10


@dataclass(frozen=True)
class PlayRecord:
    guild_id: int
    user_id: int
    title: str
    artist: str
    duration_ms: int
    source: str
    uri: str | None
    played_at: datetime
    listened_ms: int
    outcome: str = COMPLETED
    ended_by: int | None = None
    end_reason: str | None = None
    album: str | None = None


class PlayView(NamedTuple):
    """One row of a history page (a tuple: a frozen dataclass's __init__ was a fifth of a page)."""

    title: str
    artist: str
    user_id: int
    played_at: datetime
    outcome: str
    ended_by: int | None
    end_reason: str | None


@dataclass(frozen=True)
class UserStats:
    total_plays: int
    completed: int
    total_duration_ms: int
    top_artists: list[tuple[str, int]]


@dataclass(frozen=True)
class GuildAnalytics:
    days: int
    total_plays: int
    unique_users: int
    top_tracks: list[tuple[str, str, int]]
    peak_hours: list[tuple[int, int]]


HOURS = tuple(f"h{hour:02}" for hour in range(24))
PLAY_COLUMNS = (
    "guild_id",
    "user_id",
    "title",
    "artist",
    "album",
    "duration_ms",
    "source",
    "uri",
    "played_at",
    "played_hour",
    "listened_ms",
    "completed",
    "outcome",
    "ended_by",
    "end_reason",
)


def _postgres(conn: BaseDBAsyncClient) -> bool:
    return conn.capabilities.dialect == "postgres"


def _marks(postgres: bool, count: int, first: int = 1) -> str:
    return ", ".join(f"${n}" for n in range(first, first + count)) if postgres else ", ".join("?" * count)


def _at(postgres: bool, value: datetime) -> Any:
    """A timestamp as the driver stores it: asyncpg takes datetimes, SQLite keeps Tortoise's text."""
    value = value.astimezone(UTC)
    return value if postgres else value.isoformat(sep=" ")


def _day(postgres: bool, value: date) -> Any:
    return value if postgres else value.isoformat()


#: PostgreSQL types of PLAY_COLUMNS, for ``unnest`` of one array per column.
PLAY_TYPES = (
    "bigint",
    "bigint",
    "text",
    "text",
    "text",
    "int",
    "text",
    "text",
    "timestamptz",
    "smallint",
    "int",
    "bool",
    "text",
    "bigint",
    "text",
)


#: One batch statement: what comes before the rows, the rows' column types, what comes after.
Statement = tuple[str, tuple[str, ...], str]


def _statements(postgres: bool) -> tuple[Statement, Statement, Statement, Statement, Statement]:
    insert = (f"INSERT INTO music_play ({', '.join(PLAY_COLUMNS)})", tuple(PLAY_TYPES), "")
    hours = (
        f"INSERT INTO music_day_hours (guild_id, day, {', '.join(HOURS)}, last_listeners)",
        ("bigint", "date", *["int"] * 25),
        "ON CONFLICT (guild_id, day) DO UPDATE SET "
        + ", ".join(f"{h} = music_day_hours.{h} + excluded.{h}" for h in (*HOURS, "last_listeners")),
    )
    latest = "GREATEST" if postgres else "MAX"
    listeners = (
        "INSERT INTO music_guild_listener (guild_id, user_id, last_played_at)",
        ("bigint", "bigint", "timestamptz"),
        "ON CONFLICT (guild_id, user_id) DO UPDATE SET "
        f"last_played_at = {latest}(music_guild_listener.last_played_at, excluded.last_played_at)",
    )
    tracks = (
        "INSERT INTO music_daily_track (guild_id, day, title, artist, plays)",
        ("bigint", "date", "text", "text", "int"),
        "ON CONFLICT (guild_id, day, title, artist) DO UPDATE SET plays = music_daily_track.plays + excluded.plays",
    )
    totals = (
        "INSERT INTO music_guild_track (guild_id, title, artist, plays)",
        ("bigint", "text", "text", "int"),
        "ON CONFLICT (guild_id, title, artist) DO UPDATE SET plays = music_guild_track.plays + excluded.plays",
    )
    return insert, hours, listeners, tracks, totals


async def _write_rows(tx: BaseDBAsyncClient, postgres: bool, statement: Statement, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: one ``unnest`` of a column array each, one statement per batch. SQLite: a few
    multi-row statements (``insert_many``: no GIL round per row as with ``executemany``)."""
    head, types, tail = statement
    if postgres:
        unnest = "SELECT * FROM unnest(" + ", ".join(f"${n}::{kind}[]" for n, kind in enumerate(types, 1)) + ")"
        await tx.execute_query(f"{head} {unnest} {tail}", [list(column) for column in zip(*rows, strict=True)])
    else:
        await insert_many(tx, head, len(types), tail, list(rows))


async def write_plays(plays: Sequence[PlayRecord]) -> None:
    """Write plays and their analytics counters (per guild and day: plays by hour and by track;
    per guild and member: the last play) in one transaction, one statement per table."""
    if not plays:
        return
    conn = MusicPlay._meta.db
    postgres = _postgres(conn)
    rows = []
    hours: dict[tuple[int, date], list[int]] = {}
    latest: dict[tuple[int, int], datetime] = {}
    tracks: dict[tuple[int, date, str, str], int] = defaultdict(int)
    for play in plays:
        at = play.played_at.astimezone(UTC)
        title, artist = play.title[:200], play.artist[:200]
        rows.append(
            (
                play.guild_id,
                play.user_id,
                title,
                artist,
                play.album,
                play.duration_ms,
                play.source[:32],
                (play.uri or "")[:500] or None,
                _at(postgres, at),
                at.hour,
                play.listened_ms,
                play.outcome == COMPLETED,
                play.outcome,
                play.ended_by,
                (play.end_reason or "")[:200] or None,
            )
        )
        day = at.date()
        hours.setdefault((play.guild_id, day), [0] * 24)[at.hour] += 1
        key = (play.guild_id, play.user_id)
        if key not in latest or latest[key] < at:
            latest[key] = at
        tracks[(play.guild_id, day, title, artist)] += 1
    insert, upsert_hours, upsert_listeners, upsert_tracks, upsert_totals = _statements(postgres)
    totals: dict[tuple[int, str, str], int] = defaultdict(int)
    for (guild_id, _, title, artist), plays_that_day in tracks.items():
        totals[(guild_id, title, artist)] += plays_that_day
    # Counters in one key order for every writer, so two bots' flushes never deadlock on PostgreSQL.
    async with in_transaction(MusicPlay._meta.default_connection) as tx:
        await _write_rows(tx, postgres, insert, rows)
        # A member whose newest play moves to another day moves from that day's last listeners.
        moved: dict[tuple[int, date], int] = defaultdict(int)
        before = await _last_plays(tx, postgres, sorted(latest))
        for key, at in latest.items():
            old = before.get(key)
            if old is None or (old < at and old.date() != at.date()):
                moved[(key[0], at.date())] += 1
                if old is not None:
                    moved[(key[0], old.date())] -= 1
        for key in moved:
            hours.setdefault(key, [0] * 24)
        await _write_rows(
            tx,
            postgres,
            upsert_hours,
            [(g, _day(postgres, d), *counts, moved.get((g, d), 0)) for (g, d), counts in sorted(hours.items())],
        )
        await _write_rows(
            tx, postgres, upsert_listeners, [(g, u, _at(postgres, at)) for (g, u), at in sorted(latest.items())]
        )
        await _write_rows(
            tx,
            postgres,
            upsert_tracks,
            [(g, _day(postgres, d), t, a, n) for (g, d, t, a), n in sorted(tracks.items())],
        )
        await _write_rows(tx, postgres, upsert_totals, [(g, t, a, n) for (g, t, a), n in sorted(totals.items())])


async def _last_plays(
    tx: BaseDBAsyncClient, postgres: bool, keys: list[tuple[int, int]]
) -> dict[tuple[int, int], datetime]:
    """The stored last play of each (guild, member), locked until the batch commits. The keys are
    joined as a list of rows: one index probe each (SQLite scans the table for ``IN (VALUES ...)``)."""
    found: dict[tuple[int, int], datetime] = {}
    if postgres:
        _, rows = await tx.execute_query(
            "SELECT l.guild_id, l.user_id, l.last_played_at FROM unnest($1::bigint[], $2::bigint[]) AS k(g, u) "
            "JOIN music_guild_listener l ON l.guild_id = k.g AND l.user_id = k.u "
            "ORDER BY l.guild_id, l.user_id FOR UPDATE OF l",
            [[g for g, _ in keys], [u for _, u in keys]],
        )
        return {(g, u): at for g, u, at in rows}
    for chunk in range(0, len(keys), 400):
        part = keys[chunk : chunk + 400]
        _, rows = await tx.execute_query(
            f"SELECT l.guild_id, l.user_id, l.last_played_at FROM (VALUES {', '.join(['(?, ?)'] * len(part))}) k "
            "CROSS JOIN music_guild_listener l ON l.guild_id = k.column1 AND l.user_id = k.column2",
            [value for key in part for value in key],
        )
        found.update({(g, u): datetime.fromisoformat(at).astimezone(UTC) for g, u, at in rows})
    return found


async def record_play(play: PlayRecord) -> None:
    """Write one play at once (the bot buffers them in :class:`HistoryWriter`)."""
    await write_plays([play])


class HistoryWriter:
    """Write-behind buffer of plays: a track ending costs a list append; the plays are written in
    one transaction per batch, when ``batch`` are waiting, by the plugin state's flusher every few
    seconds, before anything reads history, and when the bot stops. A hard crash (power cut,
    ``kill -9``) loses the plays of tracks that ended since the last flush: history and analytics,
    never the queue or the player, which are written as they change."""

    def __init__(self, *, batch: int = 500) -> None:
        self.batch = batch
        self.pending: list[PlayRecord] = []
        self._lock = asyncio.Lock()

    async def add(self, play: PlayRecord) -> None:
        self.pending.append(play)
        if len(self.pending) >= self.batch:
            await self.flush()

    async def flush(self) -> int:
        """Write what is waiting; returns how many plays were written."""
        async with self._lock:
            written = 0
            while self.pending:
                batch, self.pending = self.pending, []
                try:
                    await write_plays(batch)
                except BaseException:
                    self.pending[:0] = batch  # kept in order for the next flush: nothing lost
                    raise
                written += len(batch)
            return written

    def forget_user(self, user_id: int) -> None:
        """/privacy delete: plays of the member not written yet are never written."""
        self.pending = [p for p in self.pending if p.user_id != user_id]


async def history(guild_id: int, *, user_id: int | None = None, limit: int = 10) -> list[PlayView]:
    """The newest plays first. Plain SQL and tuples: Tortoise's query building was half the time
    of a 50-row page."""
    conn = MusicPlay._meta.db
    postgres = _postgres(conn)
    params: list[Any] = [guild_id]
    where = "guild_id = $1" if postgres else "guild_id = ?"
    if user_id is not None:
        params.append(user_id)
        where += " AND user_id = $2" if postgres else " AND user_id = ?"
    params.append(limit)
    sql = (
        "SELECT title, artist, user_id, played_at, outcome, ended_by, end_reason FROM music_play "
        f"WHERE {where} ORDER BY played_at DESC, id DESC LIMIT {_marks(postgres, 1, len(params))}"
    )
    _, rows = await conn.execute_query(sql, params)
    if postgres:
        return [PlayView(*row) for row in rows]
    return [
        PlayView(title, artist, user, datetime.fromisoformat(at), outcome, by, reason)
        for title, artist, user, at, outcome, by, reason in rows
    ]


async def user_stats(guild_id: int, user_id: int) -> UserStats:
    """One grouped query (per artist and completed) answers every figure, from the covering
    (user_id, guild_id, artist, completed, duration_ms) index."""
    conn = MusicPlay._meta.db
    guild, user = ("$1", "$2") if _postgres(conn) else ("?", "?")
    _, rows = await conn.execute_query(
        "SELECT artist, completed, COUNT(*), SUM(duration_ms) FROM music_play "
        f"WHERE guild_id = {guild} AND user_id = {user} GROUP BY artist, completed",
        [guild_id, user_id],
    )
    by_artist: dict[str, int] = defaultdict(int)
    total = completed = duration = 0
    for artist, was_completed, plays, length in rows:
        by_artist[artist] += int(plays)
        total += int(plays)
        completed += int(plays) if was_completed else 0
        duration += int(length or 0)
    top = sorted(by_artist.items(), key=lambda item: (-item[1], item[0]))[:5]
    return UserStats(total, completed, duration, top)


#: Up to this many plays in the range, top tracks count every track of the range at once.
FEW_PLAYS = 2_000
#: Tracks with the most plays overall whose plays in the range are counted first: when the tenth
#: best of them has more plays in the range than the least of them overall, no other track can
#: be in the top ten, and the range's other tracks are never read.
CANDIDATES = 50


async def guild_analytics(guild_id: int, days: int) -> GuildAnalytics:
    """Plays over the UTC days from ``days`` ago to today, from the counters written with the
    plays (never from the plays themselves, so the same before and after retention folds them):
    plays by hour and distinct listeners from at most ``days + 1`` rows, then top tracks from the
    range's plays of the guild's leading tracks, or of every track when the range holds few plays
    or the leading tracks cannot settle the top ten."""
    conn = MusicPlay._meta.db
    postgres = _postgres(conn)
    first_day = (clock.now() - timedelta(days=days)).astimezone(UTC).date()
    guild, day = ("$1", "$2") if postgres else ("?1", "?2")
    params = [guild_id, _day(postgres, first_day)]
    _, summed = await conn.execute_query(
        f"SELECT {', '.join(f'SUM({h})' for h in (*HOURS, 'last_listeners'))} FROM music_day_hours "
        f"WHERE guild_id = {guild} AND day >= {day}",
        params,
    )
    hours = [int(n or 0) for n in summed[0][:24]]
    listeners = int(summed[0][24] or 0)
    total = sum(hours)
    ranked: list[tuple[str, str, int]] | None = None
    if total > FEW_PLAYS:
        _, rows = await conn.execute_query(
            "SELECT c.title, c.artist, c.plays, (SELECT COALESCE(SUM(d.plays), 0) FROM music_daily_track d "
            f"WHERE d.guild_id = {guild} AND d.title = c.title AND d.artist = c.artist AND d.day >= {day}) "
            f"FROM (SELECT title, artist, plays FROM music_guild_track WHERE guild_id = {guild} "
            f"ORDER BY plays DESC LIMIT {CANDIDATES}) c",
            params,
        )
        ranked = sorted(((t, a, int(n)) for t, a, _, n in rows if n), key=_by_plays)[:TOP_TRACKS]
        # Any other track has at most the fewest overall plays of these in the range.
        if len(rows) == CANDIDATES and not (
            len(ranked) == TOP_TRACKS and ranked[-1][2] > min(int(row[2]) for row in rows)
        ):
            ranked = None
    if ranked is None:
        # Byte order for ties, as Python's sort above (SQLite compares bytes already).
        collate = ' COLLATE "C"' if postgres else ""
        _, found = await conn.execute_query(
            f"SELECT title, artist, SUM(plays) AS n FROM music_daily_track WHERE guild_id = {guild} "
            f"AND day >= {day} GROUP BY title, artist ORDER BY n DESC, title{collate}, artist{collate} "
            f"LIMIT {TOP_TRACKS}",
            params,
        )
        ranked = [(t, a, int(n)) for t, a, n in found]
    return GuildAnalytics(days, total, listeners, ranked, _peaks(hours))


def _by_plays(track: tuple[str, str, int]) -> tuple[int, str, str]:
    return -track[2], track[0], track[1]


def _peaks(hours: list[int]) -> list[tuple[int, int]]:
    return sorted(((h, n) for h, n in enumerate(hours) if n), key=lambda item: (-item[1], item[0]))[:3]


async def roll_up(rows: Sequence[MusicPlay]) -> None:
    """Retention's aggregate step, inside its transaction: fold expired history rows into seed
    000's daily rollups per guild and UTC day (totals, listeners, plays by hour). Plays per track
    and day were counted when the plays were written, so they are not counted again here."""
    days: dict[tuple[int, date], list[MusicPlay]] = defaultdict(list)
    for row in rows:
        days[(row.guild_id, row.played_at.astimezone(UTC).date())].append(row)
    for (guild_id, day), plays in days.items():
        listeners: dict[int, int] = defaultdict(int)
        for play in plays:
            listeners[play.user_id] += 1
        for user_id, count in listeners.items():
            await upsert(
                MusicDailyListener,
                conflict=("guild_id", "day", "user_id"),
                values={"guild_id": guild_id, "day": day, "user_id": user_id},
                update=[],
                increment={"plays": count},
            )
        stats = await MusicDailyStats.get_or_none(guild_id=guild_id, day=day)
        if stats is None:
            stats = MusicDailyStats(guild_id=guild_id, day=day, plays_by_hour=json.dumps([0] * 24))
        by_hour = json.loads(stats.plays_by_hour or "[]") or [0] * 24
        for play in plays:
            by_hour[play.played_hour] += 1
        stats.total_tracks += len(plays)
        stats.completed_tracks += sum(1 for p in plays if p.completed)
        stats.total_duration_ms += sum(p.listened_ms for p in plays)
        stats.unique_users = await MusicDailyListener.filter(guild_id=guild_id, day=day).count()
        stats.plays_by_hour = json.dumps(by_hour)
        await stats.save()
