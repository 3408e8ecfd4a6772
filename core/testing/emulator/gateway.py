"""The JSON gateway: sessions, shards, sequence numbers, resume and the faults a real gateway has.

Each IDENTIFY makes a :class:`Session` that keeps every dispatch it was sent (with its sequence
number), whether or not a socket is attached. A RESUME re-attaches a socket and replays what the
client missed. Sending happens in one writer task per socket so events leave in order even when
the world changes from synchronous code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import permissions

if TYPE_CHECKING:
    from .world import World

log = logging.getLogger(__name__)

# Gateway intents (Discord's bits) and which dispatches each one gates.
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MODERATION = 1 << 2
GUILD_VOICE_STATES = 1 << 7
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
MESSAGE_CONTENT = 1 << 15

_GUILD_INTENT: dict[str, int] = {
    "GUILD_CREATE": GUILDS,
    "GUILD_UPDATE": GUILDS,
    "GUILD_DELETE": GUILDS,
    "GUILD_ROLE_CREATE": GUILDS,
    "GUILD_ROLE_UPDATE": GUILDS,
    "GUILD_ROLE_DELETE": GUILDS,
    "CHANNEL_CREATE": GUILDS,
    "CHANNEL_UPDATE": GUILDS,
    "CHANNEL_DELETE": GUILDS,
    "CHANNEL_PINS_UPDATE": GUILDS,
    "GUILD_MEMBER_ADD": GUILD_MEMBERS,
    "GUILD_MEMBER_UPDATE": GUILD_MEMBERS,
    "GUILD_MEMBER_REMOVE": GUILD_MEMBERS,
    "GUILD_BAN_ADD": GUILD_MODERATION,
    "GUILD_BAN_REMOVE": GUILD_MODERATION,
    "GUILD_AUDIT_LOG_ENTRY_CREATE": GUILD_MODERATION,
    "VOICE_STATE_UPDATE": GUILD_VOICE_STATES,
    "MESSAGE_CREATE": GUILD_MESSAGES,
    "MESSAGE_UPDATE": GUILD_MESSAGES,
    "MESSAGE_DELETE": GUILD_MESSAGES,
    "MESSAGE_DELETE_BULK": GUILD_MESSAGES,
    "MESSAGE_REACTION_ADD": GUILD_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE": GUILD_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE_ALL": GUILD_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE_EMOJI": GUILD_MESSAGE_REACTIONS,
}
_DM_INTENT: dict[str, int] = {
    "MESSAGE_CREATE": DIRECT_MESSAGES,
    "MESSAGE_UPDATE": DIRECT_MESSAGES,
    "MESSAGE_DELETE": DIRECT_MESSAGES,
    "MESSAGE_REACTION_ADD": DIRECT_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE": DIRECT_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE_ALL": DIRECT_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE_EMOJI": DIRECT_MESSAGE_REACTIONS,
}

# Close codes after which Discord forgets the session (the client closed on purpose).
_SESSION_ENDING_CLIENT_CODES = (1000, 1001)


def shard_for(guild_id: int | None, num_shards: int) -> int:
    """Discord's routing: ``(guild_id >> 22) % num_shards``; DMs go to shard 0."""
    if guild_id is None:
        return 0
    return (int(guild_id) >> 22) % num_shards


@dataclass
class Session:
    """What Discord remembers about one IDENTIFY: shard, intents and every dispatch sent."""

    id: str
    shard: tuple[int, int]
    intents: int
    frames: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # index = seq - 1
    connection: Connection | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    resumable: bool = True

    @property
    def seq(self) -> int:
        return len(self.frames)

    def push(self, event: str, data: dict[str, Any]) -> int:
        self.frames.append((event, data))
        self.wake.set()
        return self.seq

    def has(self, intent: int) -> bool:
        return bool(self.intents & intent)


@dataclass(eq=False)
class Connection:
    """One websocket. ``cursor`` is the last sequence number written to it."""

    ws: web.WebSocketResponse
    session: Session | None = None
    cursor: int = 0
    writer: asyncio.Task[None] | None = None
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, payload: dict[str, Any]) -> None:
        async with self.send_lock:
            if not self.ws.closed:
                await self.ws.send_str(json.dumps(payload))


PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)


class GatewayHub:
    """All gateway sockets and sessions of one emulator."""

    def __init__(
        self,
        world: World,
        *,
        token: str,
        heartbeat_interval: int,
        on_change: Callable[[], None],
    ) -> None:
        self.world = world
        self.token = token
        self.heartbeat_interval = heartbeat_interval
        self.url = ""  # set once the server knows its port
        #: Voice joins still to be ignored (``Faults.ignore_voice_joins``): a Discord voice outage.
        self.voice_joins_to_ignore = 0
        self.sessions: dict[str, Session] = {}
        self.connections: set[Connection] = set()
        self.identifies: list[dict[str, Any]] = []
        #: Privileged intents switched on in the "Developer Portal": GUILD_MEMBERS (1 << 1),
        #: GUILD_PRESENCES (1 << 8), MESSAGE_CONTENT (1 << 15). An IDENTIFY asking for one not
        #: allowed here is closed with 4014 (Disallowed intents), like Discord does.
        self.allowed_privileged_intents = PRIVILEGED_INTENTS
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats: list[float] = []
        """When (monotonic) each client heartbeat (op 1) arrived."""
        self.received: list[dict[str, Any]] = []
        """Every non-heartbeat payload the client sent (op, d), for assertions."""
        self._on_change = on_change

    # ------------------------------------------------------------------ state

    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.connection is not None]

    @property
    def connected_shards(self) -> set[int]:
        return {s.shard[0] for s in self.live_sessions()}

    def session_for_shard(self, shard_id: int) -> Session | None:
        return next((s for s in self.sessions.values() if s.shard[0] == shard_id), None)

    def has_session_for(self, guild_id: int | None) -> bool:
        return any(s.shard[0] == shard_for(guild_id, s.shard[1]) for s in self.sessions.values())

    def flushed(self) -> bool:
        """Every live socket has been written everything its session holds."""
        return all(s.connection.cursor >= s.seq for s in self.live_sessions() if s.connection)

    # ------------------------------------------------------------------ dispatch

    def dispatch(self, event: str, data: dict[str, Any], guild_id: int | None) -> None:
        """Queue a dispatch for the session(s) of the shard that owns ``guild_id``."""
        for session in list(self.sessions.values()):
            shard_id, num_shards = session.shard
            if shard_for(guild_id, num_shards) != shard_id:
                continue
            payload = self._filter(session, event, data, guild_id)
            if payload is not None:
                session.push(event, payload)

    def _filter(
        self, session: Session, event: str, data: dict[str, Any], guild_id: int | None
    ) -> dict[str, Any] | None:
        """Apply intents like Discord: drop gated events, strip members and message content."""
        table = _GUILD_INTENT if guild_id is not None else _DM_INTENT
        intent = table.get(event)
        bot_id = str(self.world.bot_user_id)
        # The bot always hears about its own member changes.
        own_member_update = event == "GUILD_MEMBER_UPDATE" and data.get("user", {}).get("id") == bot_id
        if intent is not None and not session.has(intent) and not own_member_update:
            return None
        if event == "GUILD_CREATE" and not session.has(GUILD_MEMBERS):
            in_voice = {vs["user_id"] for vs in data.get("voice_states", [])}
            data = {
                **data,
                "members": [m for m in data["members"] if m["user"]["id"] == bot_id or m["user"]["id"] in in_voice],
            }
        if (
            event in ("MESSAGE_CREATE", "MESSAGE_UPDATE")
            and guild_id is not None
            and not session.has(MESSAGE_CONTENT)
            and data.get("author", {}).get("id") != bot_id
            and not any(u.get("id") == bot_id for u in data.get("mentions", []))
        ):
            data = {**data, "content": "", "embeds": [], "attachments": [], "components": []}
        return data

    # ------------------------------------------------------------------ websocket

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """One gateway connection; query parameters (encoding, v, compress) are ignored."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws=ws)
        self.connections.add(conn)
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval}, "s": None, "t": None})
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                await self._on_client_payload(conn, payload)
        finally:
            self._detach(conn, client_code=ws.close_code)
            self.connections.discard(conn)
            self._on_change()
        return ws

    async def _on_client_payload(self, conn: Connection, payload: dict[str, Any]) -> None:
        op, d = payload.get("op"), payload.get("d")
        if op == 1:
            self.heartbeats.append(time.monotonic())
            await conn.send({"op": 11, "d": None, "s": None, "t": None})
            self._on_change()
            return
        self.received.append({"op": op, "d": d})
        if op == 2:
            await self._identify(conn, d or {})
        elif op == 6:
            await self._resume(conn, d or {})
        elif op == 4:
            self._voice_state(d or {})
        elif op == 8:
            self._request_members(conn, d or {})
        elif op == 3:
            pass  # presence updates are recorded in ``received`` only
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")
        self._on_change()

    async def _identify(self, conn: Connection, d: dict[str, Any]) -> None:
        if d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if int(d.get("intents", 0)) & PRIVILEGED_INTENTS & ~self.allowed_privileged_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard_id, num_shards = (d.get("shard") or [0, 1])[:2]
        if num_shards < 1 or not 0 <= shard_id < num_shards:
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        self.identifies.append(d)
        # A fresh IDENTIFY for a shard replaces whatever session that shard had.
        for old in [s for s in self.sessions.values() if s.shard == (shard_id, num_shards)]:
            self._drop(old)
        session = Session(id=secrets.token_hex(16), shard=(shard_id, num_shards), intents=int(d.get("intents", 0)))
        self.sessions[session.id] = session
        guilds = [g for g in self.world.bot_guilds() if shard_for(g.id, num_shards) == shard_id]
        app = {"id": str(self.world.application_id), "flags": 0}
        session.push(
            "READY",
            {
                "v": 10,
                "user": self.world.user_json(self.world.bot_user_id),
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.url,
                "shard": [shard_id, num_shards],
                "application": app,
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "user_settings": {},
                "auth": {},
                "_trace": ['["guildkit-emulator",{"micros":0}]'],
            },
        )
        for guild in guilds:
            if guild.outage:
                continue
            payload = self._filter(session, "GUILD_CREATE", self.world.guild_create_json(guild), guild.id)
            if payload is not None:
                session.push("GUILD_CREATE", payload)
        self._attach(conn, session, cursor=0)

    async def _resume(self, conn: Connection, d: dict[str, Any]) -> None:
        session = self.sessions.get(str(d.get("session_id")))
        if d.get("token") != self.token or session is None or not session.resumable:
            await conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        seq = int(d.get("seq") or 0)
        if seq > session.seq:
            await conn.ws.close(code=4007, message=b"Invalid seq.")
            return
        self.resumes.append(d)
        if session.connection is not None and session.connection is not conn:
            old = session.connection
            self._detach(old, client_code=None)
            await old.ws.close(code=4000, message=b"Session resumed elsewhere.")
        session.push("RESUMED", {"_trace": ['["guildkit-emulator",{"micros":0}]']})
        self._attach(conn, session, cursor=seq)

    def _voice_state(self, d: dict[str, Any]) -> None:
        """The bot joins, moves or leaves voice (op 4): VOICE_STATE_UPDATE for the bot and, on a
        join or move, VOICE_SERVER_UPDATE with a token and endpoint (what Lavalink needs).

        Like Discord, a join to a channel the bot may not Connect to (or a full one) is ignored:
        no event comes back.
        """
        guild = self.world.guilds.get(int(d.get("guild_id") or 0))
        if guild is None or self.world.bot_user_id not in guild.members:
            return
        channel_id = int(d["channel_id"]) if d.get("channel_id") else None
        if channel_id is not None:
            channel = self.world.channels.get(channel_id)
            if channel is None or channel.guild_id != guild.id or not channel.is_voice:
                return
            bot = guild.members[self.world.bot_user_id]
            if not permissions.channel_permissions(guild, bot, channel) & permissions.flag("CONNECT"):
                self.world.voice_refusals.append((guild.id, channel_id))
                return
            if self.voice_joins_to_ignore > 0:
                self.voice_joins_to_ignore -= 1
                self.world.voice_refusals.append((guild.id, channel_id))
                return
        self.world.set_voice_state(
            guild,
            self.world.bot_user_id,
            channel_id,
            self_mute=bool(d.get("self_mute")),
            self_deaf=bool(d.get("self_deaf")),
        )
        if channel_id is not None:
            self.world.voice_server_update(guild)

    def _request_members(self, conn: Connection, d: dict[str, Any]) -> None:
        """op 8: answer with one GUILD_MEMBERS_CHUNK per guild."""
        if conn.session is None:
            return
        guild_ids = d.get("guild_id")
        for gid in guild_ids if isinstance(guild_ids, list) else [guild_ids]:
            guild = self.world.guilds.get(int(gid or 0))
            if guild is None:
                continue
            members = list(guild.members.values())
            if user_ids := d.get("user_ids"):
                wanted = {int(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])}
                members = [m for m in members if m.user_id in wanted]
            elif query := d.get("query"):
                members = [m for m in members if self.world.users[m.user_id].username.startswith(query)]
            if limit := d.get("limit"):
                members = members[: int(limit)]
            chunk: dict[str, Any] = {
                "guild_id": str(guild.id),
                "members": [self.world.member_json(guild, m) for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
            }
            if d.get("nonce") is not None:
                chunk["nonce"] = d["nonce"]
            conn.session.push("GUILD_MEMBERS_CHUNK", chunk)

    def _attach(self, conn: Connection, session: Session, *, cursor: int) -> None:
        conn.session = session
        conn.cursor = cursor
        session.connection = conn
        session.wake.set()
        conn.writer = asyncio.create_task(self._write(conn), name=f"emulator-gateway-writer-{session.shard}")

    def _detach(self, conn: Connection, *, client_code: int | None) -> None:
        session = conn.session
        if conn.writer is not None:
            conn.writer.cancel()
            conn.writer = None
        if session is not None and session.connection is conn:
            session.connection = None
            if client_code in _SESSION_ENDING_CLIENT_CODES:
                self._drop(session)
        conn.session = None

    def _drop(self, session: Session) -> None:
        session.resumable = False
        self.sessions.pop(session.id, None)
        if session.connection is not None:
            session.connection.session = None
            session.connection = None

    async def _write(self, conn: Connection) -> None:
        """Send the session's frames in sequence order to this socket."""
        session = conn.session
        assert session is not None
        try:
            while not conn.ws.closed and conn.session is session:
                if conn.cursor < session.seq:
                    event, data = session.frames[conn.cursor]
                    seq = conn.cursor + 1
                    await conn.send({"op": 0, "t": event, "s": seq, "d": data})
                    conn.cursor = seq
                    if conn.cursor >= session.seq:
                        self._on_change()
                    continue
                session.wake.clear()
                await session.wake.wait()
        except (ConnectionResetError, asyncio.CancelledError):
            pass  # the socket closed or the writer was stopped: nothing more to send
        except Exception:  # a broken socket must not take the emulator down
            log.exception("gateway writer failed")

    # ------------------------------------------------------------------ faults

    def _targets(self, shard: int | None) -> list[Session]:
        return [s for s in self.live_sessions() if shard is None or s.shard[0] == shard]

    async def close_sockets(self, *, shard: int | None = None, code: int = 4000) -> int:
        """Close live sockets with ``code`` (the session stays resumable unless the code says otherwise)."""
        sessions = self._targets(shard)
        for session in sessions:
            conn = session.connection
            if conn is None:
                continue
            self._detach(conn, client_code=None)
            await conn.ws.close(code=code, message=b"emulator fault")
        self._on_change()
        return len(sessions)

    async def send_reconnect(self, *, shard: int | None = None) -> int:
        """op 7: ask the client to reconnect and resume."""
        sessions = self._targets(shard)
        for session in sessions:
            if session.connection:
                await session.connection.send({"op": 7, "d": None, "s": None, "t": None})
        return len(sessions)

    async def invalidate_session(self, *, shard: int | None = None, resumable: bool = False) -> int:
        """op 9: the session is invalid; with ``resumable=False`` it is forgotten at once."""
        sessions = self._targets(shard)
        for session in sessions:
            conn = session.connection
            if conn is None:
                continue
            if not resumable:
                self._detach(conn, client_code=None)
                self._drop(session)
            await conn.send({"op": 9, "d": resumable, "s": None, "t": None})
        self._on_change()
        return len(sessions)

    async def shutdown(self) -> None:
        for conn in list(self.connections):
            self._detach(conn, client_code=None)
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"emulator stopping")
        self.sessions.clear()
