"""A Lavalink v4 node on 127.0.0.1 for tests: REST + websocket, players that play on guildkit's clock.

The real lavalink.py client connects to it. A track "plays" while the player has a track, is not
paused and has a complete voice state; its position advances with ``guildkit.core.clock`` (a test's
ManualClock), and after ``length`` ms of that clock the node sends ``TrackEndEvent`` (finished),
as Lavalink does. Faults (:class:`NodeFaults`) make tracks stick, fail to load or throw.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, web
from lavalink.errors import InvalidTrack
from lavalink.utils import decode_track

from guildkit.core import clock

from .tracks import Catalog, FakeTrack

log = logging.getLogger(__name__)

VERSION = "4.2.2"
VOICE_KEYS = ("token", "endpoint", "sessionId", "channelId")


@dataclass
class EmulatedPlayer:
    guild_id: int
    track: FakeTrack | None = None
    user_data: dict[str, Any] = field(default_factory=dict)
    #: Position (ms) at ``anchor`` (clock.monotonic() seconds).
    base_position: int = 0
    anchor: float = 0.0
    paused: bool = False
    volume: int = 100
    end_time: int | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    voice: dict[str, str] = field(default_factory=dict)
    stuck: bool = False
    stuck_reported: bool = False
    throws_at: int | None = None
    started_at: float = 0.0
    last_update: float = 0.0

    @property
    def connected(self) -> bool:
        return all(self.voice.get(key) for key in VOICE_KEYS)

    @property
    def advancing(self) -> bool:
        return self.track is not None and not self.paused and self.connected and not self.stuck

    def position(self, now: float) -> int:
        if self.track is None:
            return 0
        if not self.advancing:
            return self.base_position
        position = self.base_position + int((now - self.anchor) * 1000)
        return position if self.track.is_stream else min(position, self.track.length)

    def rebase(self, now: float, position: int | None = None) -> None:
        """Freeze the position at ``now`` (before a pause/seek/voice change alters how it moves)."""
        self.base_position = self.position(now) if position is None else position
        self.anchor = now

    def json(self, now: float) -> dict[str, Any]:
        track = None
        if self.track is not None:
            track = self.track.json(self.user_data)
            track["info"]["position"] = self.position(now)
        return {
            "guildId": str(self.guild_id),
            "track": track,
            "volume": self.volume,
            "paused": self.paused,
            "state": self.state(now),
            "voice": {key: self.voice.get(key, "") for key in VOICE_KEYS},
            "filters": self.filters,
        }

    def state(self, now: float) -> dict[str, Any]:
        return {
            "time": int(clock.now().timestamp() * 1000),
            "position": self.position(now),
            "connected": self.connected,
            "ping": 3 if self.connected else -1,
        }


@dataclass
class Session:
    id: str
    socket: web.WebSocketResponse | None = None
    resuming: bool = False
    timeout: int = 60
    players: dict[int, EmulatedPlayer] = field(default_factory=dict)
    #: Messages waiting for the websocket (while a resumable session is disconnected).
    outbox: list[dict[str, Any]] = field(default_factory=list)
    disconnected_at: float | None = None


@dataclass
class NodeFaults:
    """What goes wrong on this node. Identifiers name tracks (``FakeTrack.identifier``)."""

    #: loadtracks for an identifier containing any of these answers loadType "error".
    load_errors: set[str] = field(default_factory=set)
    #: Tracks that stick when played: the position freezes; TrackStuckEvent after the threshold.
    stuck: set[str] = field(default_factory=set)
    #: Tracks that fail to load when played: TrackExceptionEvent, then TrackEndEvent(loadFailed).
    playback_failures: set[str] = field(default_factory=set)
    #: Tracks that throw mid-play at the given position (ms): TrackExceptionEvent, TrackEnd(finished).
    exceptions_at: dict[str, int] = field(default_factory=dict)


class LavalinkNodeEmulator:
    def __init__(
        self,
        *,
        name: str = "emulated",
        password: str = "youshallnotpass",
        player_update_interval: float = 5.0,
        stats_interval: float = 60.0,
        stuck_threshold_ms: int = 10_000,
    ) -> None:
        self.name = name
        self.password = password
        self.player_update_interval = player_update_interval
        self.stats_interval = stats_interval
        self.stuck_threshold_ms = stuck_threshold_ms
        self.catalog = Catalog()
        self.faults = NodeFaults()
        self.sessions: dict[str, Session] = {}
        self.host = "127.0.0.1"
        self.port = 0
        self.requests: list[tuple[str, str, Any]] = []
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._tick_lock = asyncio.Lock()
        self._started_at = 0.0
        self._last_stats = 0.0
        self._clock_listener_installed = False

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self) -> LavalinkNodeEmulator:
        app = web.Application()
        app.router.add_get("/v4/websocket", self._websocket)
        app.router.add_get("/version", self._version)
        app.router.add_get("/v4/info", self._info)
        app.router.add_get("/v4/stats", self._stats_route)
        app.router.add_get("/v4/loadtracks", self._loadtracks)
        app.router.add_get("/v4/decodetrack", self._decodetrack)
        app.router.add_post("/v4/decodetracks", self._decodetracks)
        app.router.add_get("/v4/sessions/{sid}/players", self._players)
        app.router.add_get("/v4/sessions/{sid}/players/{gid}", self._get_player)
        app.router.add_patch("/v4/sessions/{sid}/players/{gid}", self._patch_player)
        app.router.add_delete("/v4/sessions/{sid}/players/{gid}", self._delete_player)
        app.router.add_patch("/v4/sessions/{sid}", self._patch_session)
        app.middlewares.append(self._auth_and_errors)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = self._site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if not self.port:
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._started_at = self._last_stats = clock.monotonic()
        current = clock.current()
        if not self._clock_listener_installed and hasattr(current, "on_change"):
            current.on_change(self._on_clock_change)
            self._clock_listener_installed = True
        self._ticker = asyncio.create_task(self._tick_forever())
        return self

    async def stop(self) -> None:
        """The node goes away: it stops listening, websockets close (1001), every session and
        player is lost."""
        if self._site is not None:
            await self._site.stop()  # no reconnect may slip in while the sockets close
            self._site = None
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        for session in list(self.sessions.values()):
            if session.socket is not None:
                await session.socket.close(code=WSCloseCode.GOING_AWAY, message=b"Lavalink shutting down")
        self.sessions.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        current = clock.current()
        if self._clock_listener_installed and hasattr(current, "remove_listener"):
            current.remove_listener(self._on_clock_change)
            self._clock_listener_installed = False

    async def restart(self) -> None:
        """The Lavalink process restarts on the same port: every session and player is lost."""
        await self.stop()
        await self.start()

    async def drop_connections(self) -> None:
        """Websockets drop (a network blip): a session with resuming on keeps its players and
        replays what it missed when the client comes back with its Session-Id; others are gone."""
        for session in list(self.sessions.values()):
            if session.socket is not None:
                await session.socket.close(code=WSCloseCode.ABNORMAL_CLOSURE, message=b"connection lost")

    def close_voice(self, guild_id: int, code: int = 4006, reason: str = "Session is no longer valid.") -> None:
        """Discord closed the voice websocket of this guild's player: WebSocketClosedEvent."""
        for session in self.sessions.values():
            if guild_id in session.players:
                session.players[guild_id].voice.clear()
                self._event(
                    session,
                    guild_id,
                    "WebSocketClosedEvent",
                    code=code,
                    reason=reason,
                    byRemote=True,
                )

    # ------------------------------------------------------------------ inspection for tests

    def player(self, guild_id: int) -> EmulatedPlayer | None:
        """The guild's player, from a connected session first (a resumable session a client left
        may still hold an older one)."""
        sessions = sorted(self.sessions.values(), key=lambda s: s.socket is None)
        for session in sessions:
            if guild_id in session.players:
                return session.players[guild_id]
        return None

    def live_player(self, guild_id: int) -> EmulatedPlayer | None:
        """The guild's player in a session whose client is connected now."""
        for session in self.connected_sessions:
            if guild_id in session.players:
                return session.players[guild_id]
        return None

    def position(self, guild_id: int) -> int | None:
        player = self.player(guild_id)
        return None if player is None else player.position(clock.monotonic())

    @property
    def connected_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.socket is not None]

    # ------------------------------------------------------------------ time

    def _on_clock_change(self) -> None:
        with contextlib.suppress(RuntimeError):  # no loop: the clock moved outside a test's loop
            asyncio.get_running_loop().create_task(self.tick())

    async def _tick_forever(self) -> None:
        """Real-time ticks, so a node on the wall clock (the playground) plays too."""
        while True:
            await asyncio.sleep(0.1)
            await self.tick()

    async def tick(self) -> None:
        """Bring every player up to the clock: ends, sticks, throws, player updates and stats."""
        async with self._tick_lock:
            now = clock.monotonic()
            for session in list(self.sessions.values()):
                self._expire(session, now)
                for player in list(session.players.values()):
                    self._advance(session, player, now)
            if now - self._last_stats >= self.stats_interval:
                self._last_stats = now
                for session in self.connected_sessions:
                    self._send(session, self._stats_json(now))

    def _expire(self, session: Session, now: float) -> None:
        gone_since = session.disconnected_at
        if session.socket is None and gone_since is not None and now - gone_since >= session.timeout:
            self.sessions.pop(session.id, None)

    def _advance(self, session: Session, player: EmulatedPlayer, now: float) -> None:
        track = player.track
        if track is not None:
            position = player.position(now)
            if player.throws_at is not None and position >= player.throws_at:
                player.rebase(now)
                player.track, player.throws_at = None, None
                self._exception(session, player.guild_id, track, "Something broke while playing the track.", "fault")
                self._event(session, player.guild_id, "TrackEndEvent", track=track.json(), reason="finished")
            elif player.stuck and not player.stuck_reported:
                if (now - player.started_at) * 1000 >= self.stuck_threshold_ms:
                    player.stuck_reported = True
                    self._event(
                        session,
                        player.guild_id,
                        "TrackStuckEvent",
                        track=track.json(),
                        thresholdMs=self.stuck_threshold_ms,
                    )
            elif position >= self._end_of(player, track):
                player.track = None
                player.base_position, player.anchor = 0, now
                self._event(session, player.guild_id, "TrackEndEvent", track=track.json(), reason="finished")
        if now - player.last_update >= self.player_update_interval:
            player.last_update = now
            self._send(
                session,
                {"op": "playerUpdate", "guildId": str(player.guild_id), "state": player.state(now)},
            )

    @staticmethod
    def _end_of(player: EmulatedPlayer, track: FakeTrack) -> float:
        """Where the track ends: its endTime, its length, or never (a stream without endTime)."""
        if player.end_time is not None:
            return player.end_time
        return float("inf") if track.is_stream else track.length

    # ------------------------------------------------------------------ websocket

    def _send(self, session: Session, message: dict[str, Any]) -> None:
        session.outbox.append(message)
        if session.socket is not None:
            asyncio.get_running_loop().create_task(self._flush(session))

    async def _flush(self, session: Session) -> None:
        socket = session.socket
        while session.outbox and socket is not None and not socket.closed:
            message = session.outbox.pop(0)
            try:
                await socket.send_json(message)
            except ConnectionError:
                session.outbox.insert(0, message)
                return

    def _event(self, session: Session, guild_id: int, kind: str, **fields: Any) -> None:
        self._send(session, {"op": "event", "type": kind, "guildId": str(guild_id), **fields})

    def _exception(self, session: Session, guild_id: int, track: FakeTrack, message: str, severity: str) -> None:
        self._event(
            session,
            guild_id,
            "TrackExceptionEvent",
            track=track.json(),
            exception={"message": message, "severity": severity, "cause": f"java.io.IOException: {message}"},
        )

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != self.password:
            return web.Response(status=401)
        if not request.headers.get("User-Id"):
            return web.Response(status=400, text="Missing User-Id header")
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        wanted = request.headers.get("Session-Id")
        session = self.sessions.get(wanted or "")
        # The old socket's handler may not have finished closing when the client is already back.
        resumed = session is not None and session.resuming and (session.socket is None or session.socket.closed)
        if not resumed:
            session = Session(id=secrets.token_hex(8))
            self.sessions[session.id] = session
        assert session is not None
        session.socket, session.disconnected_at = socket, None
        pending, session.outbox = session.outbox, []
        await socket.send_json({"op": "ready", "resumed": resumed, "sessionId": session.id})
        await socket.send_json(self._stats_json(clock.monotonic()))
        for message in pending:
            await socket.send_json(message)
        try:
            async for _ in socket:
                pass  # v4 clients send nothing over the websocket
        finally:
            if session.socket is socket:
                session.socket = None
                if session.resuming and self.running:
                    session.disconnected_at = clock.monotonic()
                else:
                    self.sessions.pop(session.id, None)
        return socket

    def _stats_json(self, now: float) -> dict[str, Any]:
        players = [p for s in self.sessions.values() for p in s.players.values()]
        return {
            "op": "stats",
            "players": len(players),
            "playingPlayers": sum(1 for p in players if p.advancing),
            "uptime": int((now - self._started_at) * 1000),
            "memory": {"free": 100_000_000, "used": 50_000_000, "allocated": 150_000_000, "reservable": 500_000_000},
            "cpu": {"cores": 2, "systemLoad": 0.05, "lavalinkLoad": 0.01},
            "frameStats": None,
        }

    # ------------------------------------------------------------------ REST

    @web.middleware
    async def _auth_and_errors(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/v4/websocket":
            return await handler(request)
        if request.headers.get("Authorization") != self.password:
            return self._error(request, 401, "Unauthorized")
        try:
            body = await request.json() if request.can_read_body else None
        except ValueError:
            return self._error(request, 400, "Invalid JSON body")
        self.requests.append((request.method, request.path, body))
        try:
            return await handler(request)
        except _RestError as error:
            return self._error(request, error.status, error.message)

    @staticmethod
    def _error(request: web.Request, status: int, message: str) -> web.Response:
        reasons = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
        return web.json_response(
            {
                "timestamp": int(clock.now().timestamp() * 1000),
                "status": status,
                "error": reasons.get(status, "Error"),
                "message": message,
                "path": request.path,
            },
            status=status,
        )

    async def _version(self, request: web.Request) -> web.Response:
        return web.Response(text=VERSION)

    async def _info(self, request: web.Request) -> web.Response:
        major, minor, patch = (int(n) for n in VERSION.split("."))
        return web.json_response(
            {
                "version": {"semver": VERSION, "major": major, "minor": minor, "patch": patch, "preRelease": None},
                "buildTime": 0,
                "git": {"branch": "main", "commit": "emulated", "commitTime": 0},
                "jvm": "emulated",
                "lavaplayer": "2.2.2",
                "sourceManagers": ["youtube", "http"],
                "filters": ["volume", "equalizer", "karaoke", "timescale", "tremolo", "vibrato", "rotation"],
                "plugins": [],
            }
        )

    async def _stats_route(self, request: web.Request) -> web.Response:
        stats = self._stats_json(clock.monotonic())
        del stats["op"]
        return web.json_response(stats)

    async def _loadtracks(self, request: web.Request) -> web.Response:
        identifier = request.query.get("identifier", "")
        if not identifier:
            raise _RestError(400, "No identifier provided")
        for needle in self.faults.load_errors:
            if needle in identifier:
                return web.json_response(
                    {
                        "loadType": "error",
                        "data": {
                            "message": "The source could not load this track.",
                            "severity": "common",
                            "cause": "java.io.IOException: 429 Too Many Requests",
                        },
                    }
                )
        return web.json_response(self.catalog.load(identifier))

    def _decode(self, encoded: str) -> FakeTrack:
        track = self.catalog.decode(encoded)
        if track is not None:
            return track
        try:
            info = decode_track(encoded)
        except (InvalidTrack, ValueError, KeyError) as error:
            raise _RestError(400, f"Failed to decode track: {error}") from None
        return self.catalog.add(info.identifier, info.title, info.author, info.duration)

    async def _decodetrack(self, request: web.Request) -> web.Response:
        return web.json_response(self._decode(request.query.get("encodedTrack", "")).json())

    async def _decodetracks(self, request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response([self._decode(encoded).json() for encoded in body])

    def _session(self, request: web.Request) -> Session:
        session = self.sessions.get(request.match_info["sid"])
        if session is None:
            raise _RestError(404, "Session not found")
        return session

    async def _players(self, request: web.Request) -> web.Response:
        now = clock.monotonic()
        return web.json_response([p.json(now) for p in self._session(request).players.values()])

    async def _get_player(self, request: web.Request) -> web.Response:
        player = self._session(request).players.get(int(request.match_info["gid"]))
        if player is None:
            raise _RestError(404, "Player not found")
        return web.json_response(player.json(clock.monotonic()))

    async def _delete_player(self, request: web.Request) -> web.Response:
        self._session(request).players.pop(int(request.match_info["gid"]), None)
        return web.Response(status=204)

    async def _patch_session(self, request: web.Request) -> web.Response:
        session = self._session(request)
        body = await request.json()
        if "resuming" in body:
            session.resuming = bool(body["resuming"])
        if "timeout" in body:
            session.timeout = int(body["timeout"])
        return web.json_response({"resuming": session.resuming, "timeout": session.timeout})

    async def _patch_player(self, request: web.Request) -> web.Response:
        session = self._session(request)
        guild_id = int(request.match_info["gid"])
        body: dict[str, Any] = await request.json()
        no_replace = request.query.get("noReplace", "false") == "true"
        if "voice" in body and not body["voice"].get("channelId"):
            # Lavalink 4.2+ refuses a voice state without the channel (DAVE needs it).
            raise _RestError(400, "voice.channelId is required")
        async with self._tick_lock:
            now = clock.monotonic()
            player = session.players.get(guild_id)
            if player is None:
                player = session.players[guild_id] = EmulatedPlayer(guild_id=guild_id, anchor=now, last_update=now)
            self._advance(session, player, now)  # events due before this change go out first
            if "voice" in body:
                player.rebase(now)
                player.voice = {key: str(body["voice"].get(key) or "") for key in VOICE_KEYS}
            if "volume" in body:
                player.volume = int(body["volume"])
            if "filters" in body:
                player.filters = body["filters"]
            if "paused" in body:
                player.rebase(now)
                player.paused = bool(body["paused"])
            if "endTime" in body:
                player.end_time = body["endTime"]
            track_change = "track" in body or "encodedTrack" in body
            if track_change and not (no_replace and player.track is not None):
                spec = body.get("track", {"encoded": body.get("encodedTrack")})
                self._set_track(session, player, spec, body.get("position", 0), now)
            elif "position" in body and player.track is not None:
                player.rebase(now, min(int(body["position"]), player.track.length))
            return web.json_response(player.json(now))

    def _set_track(
        self, session: Session, player: EmulatedPlayer, spec: dict[str, Any], position: int, now: float
    ) -> None:
        previous = player.track
        if "identifier" in spec:
            loaded = self.catalog.load(spec["identifier"])
            data = loaded["data"]
            if loaded["loadType"] == "search":
                data = data[0]
            if loaded["loadType"] not in ("track", "search"):
                raise _RestError(400, "No track found for the identifier")
            new = self._decode(data["encoded"])
        elif spec.get("encoded") is None:
            new = None
        else:
            new = self._decode(spec["encoded"])
        player.user_data = spec.get("userData") or {}
        if previous is not None:
            self._event(
                session,
                player.guild_id,
                "TrackEndEvent",
                track=previous.json(),
                reason="stopped" if new is None else "replaced",
            )
        player.track = new
        player.end_time = None
        player.stuck = player.stuck_reported = False
        player.throws_at = None
        player.base_position, player.anchor, player.started_at = int(position or 0), now, now
        if new is None:
            return
        self._event(session, player.guild_id, "TrackStartEvent", track=new.json())
        if new.identifier in self.faults.playback_failures:
            player.track = None
            self._exception(session, player.guild_id, new, "This track could not be loaded.", "common")
            self._event(session, player.guild_id, "TrackEndEvent", track=new.json(), reason="loadFailed")
        elif new.identifier in self.faults.stuck:
            player.stuck = True
        elif new.identifier in self.faults.exceptions_at:
            player.throws_at = self.faults.exceptions_at[new.identifier]


class _RestError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message
