"""The music plugin's per-bot state: the lavalink.py client, its players, and what happens on their
events (history rows, announcements, skipping failed or stuck tracks, saving for a resume)."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import aiohttp
import lavalink
from lavalink import events as ll
from lavalink.filters import Equalizer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guildkit.core import clock
from guildkit.core.errors import StartupError
from guildkit.core.periodic import Periodic
from guildkit.core.state import PluginState

from . import effects
from .errors import (
    BadPosition,
    DuplicateTrack,
    JoinFailed,
    LoadFailed,
    MusicUnavailable,
    NoSuchQueueItem,
    NothingFound,
    NothingPlaying,
    NotSeekable,
    QueueFull,
    TrackTooLong,
    UnknownPreset,
    VolumeTooHigh,
)
from .models import COMPLETED, FAILED, SKIPPED, STOPPED, STUCK
from .service import history, players
from .service.history import HistoryWriter
from .service.players import PlayerSnapshot, QueuedTrack
from .service.preferences import PreferenceCache
from .service.presets import PRESET_NAMES, bands
from .settings import MusicSettings

if TYPE_CHECKING:
    from guildkit.core.plugin import Plugin
    from guildkit.core.runtime import Runtime

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

#: What a node that went away (or never answered) raises from lavalink.py's REST calls.
NODE_ERRORS = (TimeoutError, aiohttp.ClientError, lavalink.ClientError, lavalink.RequestError)


def node_call(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """A control that talks to the node: a node that went away answers "music unavailable"."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(*args, **kwargs)
        except NODE_ERRORS:
            raise MusicUnavailable() from None

    return call


#: How long a join waits for Discord's voice state before giving up (real seconds).
JOIN_TIMEOUT = 5.0


class NodeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str
    port: int = Field(ge=1, le=65535)
    password: str
    name: str
    region: str = "us"
    ssl: bool = False


class MusicConfig(BaseModel):
    """bot.toml ``[plugins.music.config]``: the Lavalink nodes (``[[plugins.music.config.nodes]]``)."""

    model_config = ConfigDict(extra="forbid")
    nodes: list[NodeConfig] = Field(default_factory=list)
    #: How long Lavalink keeps a session's players after the bot's websocket drops (seconds).
    resume_timeout: int = Field(60, ge=0, le=3600)
    #: Seconds between two writes of buffered history rows: what a hard crash may lose.
    history_flush_seconds: float = Field(2.0, gt=0, le=60)


@dataclass
class Ending:
    """Why the current track is about to end, set before asking Lavalink to end it."""

    outcome: str
    by: int | None
    reason: str | None


@dataclass(frozen=True)
class Added:
    titles: list[str]
    playlist: str | None
    started: bool
    position: int  # queue position of the first added track (0: playing now)


@dataclass(frozen=True)
class VoteResult:
    votes: int
    needed: int
    skipped: bool


class MusicState(PluginState):
    """``lavalink``: the lavalink.py client, built once the bot knows its user id (at Startup).
    Per guild: who voted to skip the current track, why it is ending, when it started, and the
    text channel /play was used in (for announcements)."""

    def __init__(self, runtime: Runtime, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        self.config = MusicConfig()
        self.lavalink: lavalink.Client | None = None
        self.random = random.Random()
        self.votes: dict[int, set[int]] = {}
        self.endings: dict[int, Ending] = {}
        # lavalink.py runs each event's listeners in its own task; without this, two tracks ending
        # back to back (a skip onto a track that fails at once) can reach history in either order.
        self.history_order: dict[int, asyncio.Lock] = {}
        self.started: dict[int, datetime] = {}
        self.playing: dict[int, lavalink.AudioTrack] = {}
        self.text_channels: dict[int, int] = {}
        self.eq: dict[int, str] = {}
        self._resumed = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._saved_positions: dict[int, int] = {}
        self._save_locks: dict[int, asyncio.Lock] = {}
        #: Per guild: the track's position (ms) at a moment of guildkit's clock (monotonic s).
        #: lavalink.py's own ``player.position`` interpolates on the wall clock and is wrong until
        #: the first player update after a start; this follows Lavalink's updates and our own
        #: starts, seeks and pauses on the clock everything else in guildkit reads.
        self.marks: dict[int, tuple[int, float]] = {}
        #: Where the next TrackStart of a guild begins (a resumed or failed-over track).
        self.start_at: dict[int, int] = {}
        #: Plays waiting to be written (see HistoryWriter for what a crash may lose).
        self.history_writer = HistoryWriter()
        self._history_flusher: Periodic | None = None
        #: Members' volume and equalizer, read whenever someone starts playback.
        self.preferences = PreferenceCache()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        raw = self.runtime.config.plugins.plugin("music").config
        try:
            self.config = MusicConfig.model_validate(raw)
        except ValidationError as error:
            raise StartupError(f"bot.toml [plugins.music.config] is invalid: {error}") from None
        self._history_flusher = Periodic(
            self.config.history_flush_seconds, self.history_writer.flush, name="music history flush"
        )
        self._history_flusher.start()

    async def connect(self, user_id: int) -> None:
        """Build the lavalink.py client and connect to every node (called at Startup)."""
        if self.lavalink is not None:
            return
        client = lavalink.Client(user_id=user_id)
        client.add_event_hooks(self)
        for node in self.config.nodes:
            client.add_node(node.host, node.port, node.password, node.region, name=node.name, ssl=node.ssl)
        self.lavalink = client

    async def stop(self) -> None:
        client, self.lavalink = self.lavalink, None
        for task in list(self._tasks):
            task.cancel()
        if client is not None:
            for player in list(client.player_manager.players.values()):
                await self._save(player)
            await client.close()
        # Last: plays of tracks that ended while closing are written too.
        if self._history_flusher is not None:
            await self._history_flusher.stop()
        else:
            await self.history_writer.flush()

    async def flush_history(self) -> None:
        """Write buffered plays now (before anything reads history or analytics)."""
        await self.history_writer.flush()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ nodes and players

    def client(self) -> lavalink.Client:
        if self.lavalink is None or not self.lavalink.node_manager.available_nodes:
            raise MusicUnavailable()
        return self.lavalink

    def player(self, guild_id: int) -> lavalink.DefaultPlayer | None:
        if self.lavalink is None:
            return None
        return self.lavalink.player_manager.get(guild_id)

    def current(self, guild_id: int) -> tuple[lavalink.DefaultPlayer, lavalink.AudioTrack]:
        player = self.player(guild_id)
        if player is None or player.current is None:
            raise NothingPlaying()
        return player, player.current

    async def search(self, query: str) -> lavalink.LoadResult:
        client = self.client()
        identifier = query if query.startswith(("http://", "https://")) else f"ytsearch:{query}"
        try:
            result = await client.get_tracks(identifier)
        except NODE_ERRORS:
            raise MusicUnavailable() from None
        return result

    async def join(self, guild_id: int, channel_id: int) -> lavalink.DefaultPlayer:
        """Create the guild's player and join ``channel_id`` (gateway op 4); waits for Discord."""
        client = self.client()
        player = client.player_manager.create(guild_id)
        if player.channel_id == channel_id:
            return player
        assert self.runtime.client is not None
        await self.runtime.client.get_guild_websocket(guild_id).voice_state_update(
            guild_id, channel_id, muted=False, deafened=True
        )
        try:
            async with asyncio.timeout(JOIN_TIMEOUT):
                while player.channel_id != channel_id:  # noqa: ASYNC110 - set by the voice state listener
                    await asyncio.sleep(0.02)
        except TimeoutError:
            raise JoinFailed(channel_id) from None
        return player

    async def forget_guild(self, guild_id: int) -> None:
        """The bot left the guild: Discord already dropped its voice; forget the player."""
        if self.lavalink is not None and self.player(guild_id) is not None:
            await self.lavalink.player_manager.destroy(guild_id)
        self.votes.pop(guild_id, None)
        self.text_channels.pop(guild_id, None)
        await players.forget(guild_id)
        await self.runtime.scheduler.cancel(key=self.idle_key(guild_id))

    async def connected(self, guild_id: int) -> bool:
        """Whether the bot is in (or, after a restart, about to rejoin) a voice channel here."""
        player = self.player(guild_id)
        return (player is not None and bool(player.channel_id)) or await players.exists(guild_id)

    async def leave(self, guild_id: int) -> None:
        player = self.player(guild_id)
        if player is None and not await players.exists(guild_id):
            return  # not in voice here
        if player is not None and player.current is not None:
            self.endings[guild_id] = Ending(STOPPED, None, "left")
        assert self.runtime.client is not None
        await self.runtime.client.get_guild_websocket(guild_id).voice_state_update(guild_id, None)
        if self.lavalink is not None and player is not None:
            await self.lavalink.player_manager.destroy(guild_id)
        self.votes.pop(guild_id, None)
        self.text_channels.pop(guild_id, None)
        await players.forget(guild_id)
        await self.runtime.scheduler.cancel(key=self.idle_key(guild_id))

    # ------------------------------------------------------------------ adding tracks

    async def add(
        self,
        guild_id: int,
        player: lavalink.DefaultPlayer,
        tracks: list[lavalink.AudioTrack],
        requester: int,
        settings: MusicSettings,
        *,
        text_channel_id: int | None,
        playlist: str | None = None,
    ) -> Added:
        """Queue ``tracks`` (checking the guild's limits) and start playing if idle."""
        limit_ms = settings.max_track_minutes * 60_000
        if limit_ms:
            single = tracks[0] if len(tracks) == 1 else None
            if single is not None and single.duration > limit_ms and not single.stream:
                raise TrackTooLong(single.title, single.duration, settings.max_track_minutes)
            tracks = [t for t in tracks if t.stream or t.duration <= limit_ms]
        if not settings.allow_duplicates:
            queued = {t.identifier for t in player.queue} | ({player.current.identifier} if player.current else set())
            if len(tracks) == 1 and tracks[0].identifier in queued:
                raise DuplicateTrack(tracks[0].title)
            tracks = [t for t in tracks if t.identifier not in queued]
        room = settings.max_queue_size - len(player.queue)
        if room <= 0 or not tracks:
            raise QueueFull(settings.max_queue_size)
        tracks = tracks[:room]
        if text_channel_id is not None:
            self.text_channels[guild_id] = text_channel_id
        first_position = len(player.queue) + 1
        for track in tracks:
            player.add(track, requester=requester)
        started = False
        if player.current is None:
            try:
                await self._apply_member_preferences(guild_id, player, requester, settings)
                await player.play()
            except NODE_ERRORS:
                raise MusicUnavailable() from None
            started, first_position = True, 0
        await self._save(player)
        return Added([t.title for t in tracks], playlist, started, first_position)

    async def load(self, query: str) -> tuple[list[lavalink.AudioTrack], str | None]:
        result = await self.search(query)
        if result.load_type == lavalink.LoadType.ERROR:
            message = getattr(result, "error", None)
            raise LoadFailed(query, getattr(message, "message", None) or "the source refused it")
        if result.load_type == lavalink.LoadType.EMPTY or not result.tracks:
            raise NothingFound(query)
        if result.load_type == lavalink.LoadType.PLAYLIST:
            return list(result.tracks), result.playlist_info.name
        return [result.tracks[0]], None

    async def _apply_member_preferences(
        self, guild_id: int, player: lavalink.DefaultPlayer, user_id: int, settings: MusicSettings
    ) -> None:
        prefs = await self.preferences.get(guild_id, user_id)
        volume = prefs.volume if prefs.volume is not None else settings.default_volume
        await player.set_volume(min(volume, settings.volume_limit))
        if prefs.eq_preset:
            await self.set_eq(guild_id, prefs.eq_preset, save=False)

    # ------------------------------------------------------------------ controls

    @node_call
    async def skip(self, guild_id: int, by: int | None, reason: str, outcome: str = SKIPPED) -> lavalink.AudioTrack:
        player, track = self.current(guild_id)
        self.endings[guild_id] = Ending(outcome, by, reason)
        await player.skip()
        await self._save(player)
        return track

    async def vote_skip(self, guild_id: int, member_id: int, listeners: set[int], needed: int) -> VoteResult:
        self.current(guild_id)  # refuses when nothing plays
        voters = self.votes.setdefault(guild_id, set())
        voters.add(member_id)
        counted = len(voters & listeners)
        if counted >= needed:
            await self.skip(guild_id, member_id, "vote")
            return VoteResult(counted, needed, True)
        return VoteResult(counted, needed, False)

    @node_call
    async def stop_playing(self, guild_id: int, by: int) -> None:
        player, _ = self.current(guild_id)
        self.endings[guild_id] = Ending(STOPPED, by, "stopped")
        player.queue.clear()
        await player.stop()
        await self._save(player)

    @node_call
    async def pause(self, guild_id: int, paused: bool) -> lavalink.AudioTrack:
        player, track = self.current(guild_id)
        self.mark(guild_id, self.position(player))  # frozen while paused, moving again from here
        await player.set_pause(paused)
        await self._save(player)
        await self.check_idle(guild_id)
        return track

    @node_call
    async def seek(self, guild_id: int, text: str) -> tuple[lavalink.AudioTrack, int]:
        player, track = self.current(guild_id)
        if not track.is_seekable or track.stream:
            raise NotSeekable()
        position = parse_position(text)
        if position is None or position >= track.duration:
            raise BadPosition(text)
        await player.seek(position)
        self.mark(guild_id, position)
        await self._save(player, position=position)
        return track, position

    @node_call
    async def set_volume(self, guild_id: int, volume: int, limit: int) -> int:
        player = self.player(guild_id)
        if player is None:
            raise NothingPlaying()
        if volume > limit:
            raise VolumeTooHigh(limit)
        await player.set_volume(volume)
        await self._save(player)
        return volume

    async def set_loop(self, guild_id: int, mode: int) -> None:
        player = self.player(guild_id)
        if player is None:
            raise NothingPlaying()
        player.set_loop(mode)
        await self._save(player)

    async def shuffle(self, guild_id: int) -> int:
        player = self.player(guild_id)
        if player is None or not player.queue:
            raise NothingPlaying()
        self.random.shuffle(player.queue)
        await self._save(player)
        return len(player.queue)

    @node_call
    async def set_eq(self, guild_id: int, preset: str, *, save: bool = True) -> None:
        if preset not in PRESET_NAMES:
            raise UnknownPreset(preset, PRESET_NAMES)
        player = self.player(guild_id)
        if player is None:
            raise NothingPlaying()
        if preset == "flat":
            await player.remove_filter(Equalizer)
        else:
            equalizer = Equalizer()
            equalizer.update(bands=bands(preset))
            await player.set_filter(equalizer)
        self.eq[guild_id] = preset
        if save:
            await self._save(player)

    async def remove(self, guild_id: int, index: int) -> lavalink.AudioTrack:
        player = self._queue_player(guild_id, index)
        track = player.queue.pop(index - 1)
        await self._save(player)
        return track

    async def move(self, guild_id: int, index: int, to: int) -> lavalink.AudioTrack:
        player = self._queue_player(guild_id, index)
        track = player.queue.pop(index - 1)
        player.queue.insert(max(0, min(to - 1, len(player.queue))), track)
        await self._save(player)
        return track

    async def clear(self, guild_id: int) -> int:
        player = self.player(guild_id)
        count = len(player.queue) if player else 0
        if player is not None:
            player.queue.clear()
            await self._save(player)
        return count

    def _queue_player(self, guild_id: int, index: int) -> lavalink.DefaultPlayer:
        player = self.player(guild_id)
        size = len(player.queue) if player else 0
        if player is None or not 1 <= index <= size:
            raise NoSuchQueueItem(index, size)
        return player

    def mark(self, guild_id: int, position: int) -> None:
        self.marks[guild_id] = (position, clock.monotonic())

    def position(self, player: lavalink.DefaultPlayer) -> int:
        """The current track's position (ms), moving with guildkit's clock unless paused."""
        current = player.current
        if current is None:
            return 0
        position, at = self.marks.get(player.guild_id, (0, clock.monotonic()))
        if not player.paused:
            position += int((clock.monotonic() - at) * 1000)
        return max(0, min(position, current.duration))

    async def forget_user(self, user_id: int) -> None:
        """/privacy delete: the member's queued tracks leave every queue; a track of theirs that
        plays now plays on without their name."""
        self.history_writer.forget_user(user_id)
        self.preferences.forget_user(user_id)
        if self.lavalink is None:
            return
        for player in list(self.lavalink.player_manager.players.values()):
            player.queue[:] = [t for t in player.queue if int(t.requester or 0) != user_id]
            if player.current is not None and int(player.current.requester or 0) == user_id:
                player.current.requester = 0
            await self._save(player)

    # ------------------------------------------------------------------ alone or idle

    def idle_key(self, guild_id: int) -> str:
        return f"music:idle:{guild_id}"

    def idle_reason(self, player: lavalink.DefaultPlayer) -> str | None:
        """ "alone" (nobody listening), "idle" (nothing playing, or paused) or None."""
        if player.channel_id is None:
            return None
        if not effects.listening_members(self.runtime, player.guild_id, int(player.channel_id)):
            return "alone"
        if player.current is None or player.paused:
            return "idle"
        return None

    async def check_idle(self, guild_id: int) -> None:
        """Schedule leaving when the bot is alone or idle (after ``auto_disconnect_minutes``, 0
        never: 24/7); cancel it when someone listens to something again."""
        player = self.player(guild_id)
        if player is None or player.channel_id is None:
            return
        key = self.idle_key(guild_id)
        reason = self.idle_reason(player)
        if reason is None:
            await self.runtime.scheduler.cancel(key=key)
            return
        settings = await self.runtime.settings.get(guild_id, "music")
        if settings.auto_disconnect_minutes:
            due = clock.now() + timedelta(minutes=settings.auto_disconnect_minutes)
            await self.runtime.scheduler.schedule("music", "idle_leave", due, guild_id=guild_id, key=key)

    async def leave_if_idle(self, guild_id: int) -> None:
        player = self.player(guild_id)
        if player is None or player.channel_id is None:
            return
        reason = self.idle_reason(player)
        if reason is None:
            return  # someone came back; the next quiet moment schedules again
        voice_channel_id, text_channel_id = int(player.channel_id), self.text_channels.get(guild_id)
        await self.leave(guild_id)
        if text_channel_id is not None:
            await effects.announce_left(self.runtime, text_channel_id, voice_channel_id, alone=reason == "alone")

    # ------------------------------------------------------------------ persistence

    def snapshot(self, player: lavalink.DefaultPlayer, position: int | None = None) -> PlayerSnapshot | None:
        if player.channel_id is None:
            return None
        current = player.current
        return PlayerSnapshot(
            guild_id=player.guild_id,
            voice_channel_id=int(player.channel_id),
            text_channel_id=self.text_channels.get(player.guild_id),
            current=current.track if current else None,
            current_requester=current.requester if current else None,
            position_ms=self.position(player) if position is None else position,
            paused=player.paused,
            volume=player.volume,
            eq_preset=self.eq.get(player.guild_id, "flat"),
            loop=player.loop,
            node=player.node.name if player.node else None,
            queue=[
                QueuedTrack(t.track or "", t.title, t.author, t.duration, t.uri, int(t.requester or 0))
                for t in player.queue
            ],
        )

    async def _save(self, player: lavalink.DefaultPlayer, position: int | None = None) -> None:
        # One save at a time per guild, so the stored queue is the latest one, not a mix of two.
        async with self._save_locks.setdefault(player.guild_id, asyncio.Lock()):
            snapshot = self.snapshot(player, position)
            if snapshot is not None:
                await players.save(snapshot)

    async def resume_all(self) -> None:
        """After a restart: rejoin each stored player's channel and continue where it was."""
        for snapshot in await players.stored():
            try:
                await self._resume(snapshot)
            except Exception:  # one guild's failure must not stop the others
                log.exception("could not resume the player of guild %s", snapshot.guild_id)

    async def _resume(self, snapshot: PlayerSnapshot) -> None:
        assert self.runtime.client is not None
        gone = self.runtime.client.get_guild(snapshot.guild_id) is None
        if gone or not await self.runtime.flags.is_enabled(snapshot.guild_id, "music"):
            await players.forget(snapshot.guild_id)
            return
        player = await self.join(snapshot.guild_id, snapshot.voice_channel_id)
        if snapshot.text_channel_id:
            self.text_channels[snapshot.guild_id] = snapshot.text_channel_id
        for item in snapshot.queue:
            track = lavalink.decode_track(item.encoded)
            track.requester = item.requester_id
            player.queue.append(track)
        player.set_loop(snapshot.loop)
        await player.set_volume(snapshot.volume)
        if snapshot.eq_preset != "flat":
            await self.set_eq(snapshot.guild_id, snapshot.eq_preset, save=False)
        if snapshot.current:
            track = lavalink.decode_track(snapshot.current)
            track.requester = snapshot.current_requester or 0
            start = min(max(snapshot.position_ms, 0), max(track.duration - 1, 0))
            self.start_at[snapshot.guild_id] = start
            self.mark(snapshot.guild_id, start)
            await player.play(track, start_time=start, pause=snapshot.paused)
        await self._save(player, position=snapshot.position_ms)

    # ------------------------------------------------------------------ lavalink events

    @lavalink.listener(ll.NodeReadyEvent)
    async def on_node_ready(self, event: ll.NodeReadyEvent) -> None:
        if self.config.resume_timeout:
            try:
                await event.node.update_session(resuming=True, timeout=self.config.resume_timeout)
            except (lavalink.ClientError, lavalink.RequestError):
                log.warning("node %s refused session resuming", event.node.name)
        if not self._resumed:
            self._resumed = True
            self._spawn(self.resume_all())

    @lavalink.listener(ll.TrackStartEvent)
    async def on_track_start(self, event: ll.TrackStartEvent) -> None:
        guild_id = event.player.guild_id
        self.votes.pop(guild_id, None)
        self.started[guild_id] = clock.now()
        self.playing[guild_id] = event.track
        self.mark(guild_id, self.start_at.pop(guild_id, 0))
        await self._save(event.player)
        await self.check_idle(guild_id)
        channel_id = self.text_channels.get(guild_id)
        if channel_id is not None:
            settings = await self.runtime.settings.get(guild_id, "music", channel_id)
            if settings.announce_songs:
                self._spawn(effects.announce_track(self.runtime, channel_id, event.track))

    @lavalink.listener(ll.TrackEndEvent)
    async def on_track_end(self, event: ll.TrackEndEvent) -> None:
        guild_id = event.player.guild_id
        track = self.playing.pop(guild_id, None) or event.track
        started = self.started.pop(guild_id, None)
        ending = self.endings.pop(guild_id, None)
        if track is None or started is None:
            return
        if ending is None:
            reason = event.reason
            if reason == lavalink.EndReason.FINISHED:
                ending = Ending(COMPLETED, None, None)
            elif reason == lavalink.EndReason.LOAD_FAILED:
                ending = Ending(FAILED, None, "load failed")
            elif reason == lavalink.EndReason.REPLACED:
                ending = Ending(SKIPPED, None, "replaced")
            else:
                ending = Ending(STOPPED, None, str(reason.value) if hasattr(reason, "value") else str(reason))
        listened = int((clock.now() - started).total_seconds() * 1000)
        async with self.history_order.setdefault(guild_id, asyncio.Lock()):
            await self._record_play(guild_id, track, started, listened, ending)

    async def _record_play(
        self, guild_id: int, track: lavalink.AudioTrack, started: datetime, listened: int, ending: Ending
    ) -> None:
        await self.history_writer.add(
            history.PlayRecord(
                guild_id=guild_id,
                user_id=int(track.requester or 0),
                title=track.title,
                artist=track.author,
                duration_ms=track.duration,
                source=track.source_name or "unknown",
                uri=track.uri,
                played_at=started,
                listened_ms=min(listened, track.duration),
                outcome=ending.outcome,
                ended_by=ending.by,
                end_reason=ending.reason,
            )
        )

    @lavalink.listener(ll.TrackExceptionEvent)
    async def on_track_exception(self, event: ll.TrackExceptionEvent) -> None:
        guild_id = event.player.guild_id
        self.endings[guild_id] = Ending(FAILED, None, event.message[:200])
        channel_id = self.text_channels.get(guild_id)
        if channel_id is not None:
            self._spawn(effects.announce_failure(self.runtime, channel_id, event.track, event.message, stuck=False))

    @lavalink.listener(ll.TrackStuckEvent)
    async def on_track_stuck(self, event: ll.TrackStuckEvent) -> None:
        # DefaultPlayer plays the next track by itself; its TrackEnd(replaced) closes this one.
        guild_id = event.player.guild_id
        self.endings[guild_id] = Ending(STUCK, None, f"stuck for {event.threshold // 1000} s")
        channel_id = self.text_channels.get(guild_id)
        if channel_id is not None:
            self._spawn(effects.announce_failure(self.runtime, channel_id, event.track, None, stuck=True))

    @lavalink.listener(ll.QueueEndEvent)
    async def on_queue_end(self, event: ll.QueueEndEvent) -> None:
        await self._save(event.player)
        await self.check_idle(event.player.guild_id)

    @lavalink.listener(ll.PlayerUpdateEvent)
    async def on_player_update(self, event: ll.PlayerUpdateEvent) -> None:
        player = event.player
        if player.current is None:
            return
        self.mark(player.guild_id, event.position)
        if self._saved_positions.get(player.guild_id) == event.position:
            return
        self._saved_positions[player.guild_id] = event.position
        await players.save_position(player.guild_id, event.position, player.paused)

    @lavalink.listener(ll.NodeChangedEvent)
    async def on_node_changed(self, event: ll.NodeChangedEvent) -> None:
        await self._save(event.player)

    # ------------------------------------------------------------------ voice

    async def voice_update(self, kind: str, data: dict[str, Any]) -> None:
        """A raw VOICE_STATE_UPDATE / VOICE_SERVER_UPDATE from Discord, for lavalink.py."""
        if self.lavalink is not None:
            await self.lavalink.voice_update_handler({"t": kind, "d": data})


def parse_position(text: str) -> int | None:
    """``90``, ``1:30`` or ``1:02:03`` → milliseconds; None if it is not a position."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds * 1000
