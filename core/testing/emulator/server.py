"""DiscordEmulator: the aiohttp server tying the world, REST, gateway, faults and driver together."""

# ruff: noqa: ASYNC109 - waiting helpers take a per-call `timeout`

from __future__ import annotations

import asyncio
import collections
import logging
import math
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from aiohttp import web

from guildkit.core import clock

from . import permissions as perms
from .driver import GuildHandle, NotConnected, UserHandle
from .errors import DiscordHTTPError
from .faults import Faults, RoutePattern, compile_route
from .gateway import GatewayHub
from .models import Guild
from .ratelimits import DISCORD_ROUTE_LIMITS, RouteLimit, RouteRateLimits, bucket_hash
from .rest import build_router, json_response, read_body
from .rest.base import RouteDef
from .world import World

log = logging.getLogger(__name__)
API_PREFIX = "/api/v10"


@dataclass
class RecordedRequest:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    time: datetime
    status: int = 0
    files: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} → {self.status}>"


class DiscordEmulator:
    """A local Discord (REST v10 + JSON gateway) backed by a world model, plus a member-side driver.

    ::

        emu = DiscordEmulator()
        await emu.start()
        Route.BASE = emu.api_base                   # point interactions.py here
        guild = emu.create_guild("Test Guild")
        alice = await guild.member("alice")
        reply = await alice.slash("ping")
    """

    def __init__(
        self,
        *,
        shards: int = 1,
        token: str | None = None,
        bot_name: str = "GuildkitBot",
        application_id: int | None = None,
        heartbeat_interval: int = 41250,
        interaction_deadline: float | None = 3.0,
        deadline_clock: Callable[[], float] | None = None,
        global_rate_limit: int | None = 50,
        route_rate_limits: Mapping[str, RouteLimit] = DISCORD_ROUTE_LIMITS,
        daily_command_creates: int = 200,
        reply_timeout: float = 5.0,
        max_concurrency: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """
        Args:
            shards: what ``GET /gateway/bot`` recommends (AutoShardedClient uses it).
            interaction_deadline: seconds within which the bot must answer an interaction
                callback, like Discord's 3 s (later: 404 code 10062); ``None`` disables it, for a
                test that deliberately stalls.
            deadline_clock: what the deadline is measured by. Default: the event loop's monotonic
                time, i.e. real elapsed time, as on Discord (guildkit's ManualClock moves the
                bot's notion of time, not the network's). A test may pass ``manual.monotonic``.
            global_rate_limit: requests a second the bot may make, interaction answers excepted
                (Discord's 50); more within one second are answered 429 with ``global: true``
                and ``X-RateLimit-Global``. ``None`` disables it.
            route_rate_limits: per-route buckets, ``"METHOD /template"`` to a limit, counted per
                channel, guild or webhook in the path and told in ``X-RateLimit-*`` headers on
                every answer; an empty bucket answers 429 with scope ``user``. Default: what
                Discord's headers show (a channel takes 5 messages per 5 s). ``{}`` lifts them,
                for a benchmark that squeezes hours of traffic into seconds.
            daily_command_creates: application command creates per scope per UTC day (by
                ``clock.now()``, so tests can move to the next day) before 400 code 30034.
            reply_timeout: how long driver calls wait for the bot by default.
            max_concurrency: ``session_start_limit.max_concurrency`` of ``GET /gateway/bot``.
                Default: 16 for one shard (AutoShardedClient then skips its 5.1 s identify
                spacing) and 1 for several, because interactions.py 5.16 deadlocks at start when
                it is > 1 and shards fall into different buckets.
        """
        self.shards = shards
        self.token = token or f"emulator.{secrets.token_urlsafe(24)}"
        self.host, self.port = host, port
        self.max_concurrency = max_concurrency if max_concurrency is not None else (16 if shards == 1 else 1)
        self.interaction_deadline = interaction_deadline
        self._deadline_clock = deadline_clock
        #: Callbacks refused because they came after the deadline.
        self.late_callbacks = 0
        self.global_rate_limit = global_rate_limit
        #: Arrival times (``deadline_time()``) of the requests counted against the global limit.
        self._global_window: collections.deque[float] = collections.deque()
        #: 429s answered because the bot went over the global limit.
        self.global_rate_limited = 0
        self.route_limits = RouteRateLimits(route_rate_limits, self._real_time)
        self.daily_command_creates = daily_command_creates
        #: (scope, UTC date) -> application commands created that day (None = global scope).
        self.command_creates: dict[tuple[int | None, date], int] = {}
        self.reply_timeout = reply_timeout
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self.world = World(application_id=application_id, bot_name=bot_name)
        self.world.on_change = self._notify
        self.app_owner = self.world.create_user("app-owner")
        self.gateway = GatewayHub(
            self.world, token=self.token, heartbeat_interval=heartbeat_interval, on_change=self._notify
        )
        self.world.emit = self.gateway.dispatch
        self.faults = Faults(self.gateway)
        self.router = build_router()
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[tuple[str, str]] = []
        self.internal_errors: list[BaseException] = []
        """Exceptions inside the emulator's own handlers (answered 400 so the client does not retry)."""
        self.command_overwrites: dict[int | None, int] = {}
        """Bulk overwrites (PUT) per scope: None = global, else the guild id."""
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self.base_url = ""

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> DiscordEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle_api)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.port)
        await self._site.start()
        server = self._site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self.gateway.url = f"ws://{self.host}:{self.port}/gateway"
        self.world.attachment_base = self.base_url
        return self

    async def stop(self) -> None:
        """Close gateway sockets and the HTTP server."""
        await self.gateway.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ Discord's limits

    def deadline_time(self) -> float:
        """Now, on the scale interaction deadlines and the global rate limit are measured by."""
        if self._deadline_clock is not None:
            return self._deadline_clock()
        return asyncio.get_running_loop().time()

    @staticmethod
    def _real_time() -> float:
        # Per-route buckets run on real time even under deadline_clock: the client waits
        # the Reset-After it is told in real seconds.
        return asyncio.get_running_loop().time()

    @property
    def route_rate_limited(self) -> int:
        """429s answered because a per-route bucket was empty (0 for a client that reads headers)."""
        return self.route_limits.refused

    def command_creates_today(self, guild: GuildHandle | int | None = None) -> int:
        """Application commands created today (``clock.now()``'s UTC date) in a scope."""
        scope = guild.id if isinstance(guild, GuildHandle) else guild
        return self.command_creates.get((scope, clock.now().date()), 0)

    def count_command_creates(self, scope: int | None, created: int) -> None:
        """Count ``created`` new commands in ``scope`` today, or refuse them all (400, 30034)."""
        if created <= 0:
            return
        key = (scope, clock.now().date())
        if self.command_creates.get(key, 0) + created > self.daily_command_creates:
            raise DiscordHTTPError(
                400,
                30034,
                f"Max number of daily application command creates has been reached ({self.daily_command_creates})",
            )
        self.command_creates[key] = self.command_creates.get(key, 0) + created

    #: Discord's slack on the one-second window: a client pacing itself at exactly the limit
    #: with fixed windows must not be refused for a few milliseconds of network jitter.
    GLOBAL_WINDOW_SECONDS = 0.95

    def _over_global_limit(self, path: str) -> float | None:
        """Count a request against the global limit; the retry_after if it is over."""
        if self.global_rate_limit is None or path.startswith(("/interactions/", "/webhooks/")):
            return None  # Discord: interaction endpoints are not bound to the global limit
        now = self.deadline_time()
        window = self._global_window
        while window and now - window[0] >= self.GLOBAL_WINDOW_SECONDS:
            window.popleft()
        if len(window) >= self.global_rate_limit:
            self.global_rate_limited += 1
            return max(0.001, self.GLOBAL_WINDOW_SECONDS - (now - window[0]))
        window.append(now)
        return None

    # ------------------------------------------------------------------ addresses and identity

    @property
    def api_base(self) -> str:
        """What to put in ``interactions.api.http.route.Route.BASE``."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return self.gateway.url

    @property
    def bot_user_id(self) -> int:
        return self.world.bot_user_id

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def connected_shards(self) -> set[int]:
        return self.gateway.connected_shards

    def application_json(self) -> dict[str, Any]:
        bot = self.world.user_json(self.bot_user_id)
        return {
            "id": str(self.application_id),
            "name": bot["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": self.world.user_json(self.app_owner.id),
            "team": None,
            "bot": bot,
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.world.bot_guilds()),
        }

    # ------------------------------------------------------------------ world building (driver entry points)

    def create_guild(
        self,
        name: str = "Test Guild",
        *,
        bot_permissions: perms.PermissionsLike = None,
        everyone_permissions: perms.PermissionsLike = None,
        with_bot: bool = True,
    ) -> GuildHandle:
        """A guild with #general, an owner, @everyone and the bot (with a managed bot role).

        Emits GUILD_CREATE to a connected shard when the bot is in it.
        """
        guild = self.world.create_guild(
            name,
            bot_permissions=perms.DEFAULT_BOT if bot_permissions is None else perms.to_bits(bot_permissions),
            everyone_permissions=(
                perms.DEFAULT_EVERYONE if everyone_permissions is None else perms.to_bits(everyone_permissions)
            ),
            with_bot=with_bot,
        )
        return GuildHandle(self, guild.id)

    def guild(self, name_or_id: str | int) -> GuildHandle:
        for guild in self.world.guilds.values():
            if guild.id == name_or_id or guild.name == name_or_id or str(guild.id) == str(name_or_id):
                return GuildHandle(self, guild.id)
        raise KeyError(f"no guild {name_or_id!r}; guilds: {[g.name for g in self.world.guilds.values()]}")

    @property
    def guilds(self) -> list[GuildHandle]:
        return [GuildHandle(self, g) for g in self.world.guilds]

    def user(self, name: str, *, bot: bool = False, dms_closed: bool = False) -> UserHandle:
        """A user by name (created if new); users exist across guilds."""
        user = self.world.user_named(name) or self.world.create_user(name, bot=bot)
        user.dms_closed = dms_closed or user.dms_closed
        return UserHandle(self, user.id)

    async def remove_bot_from_guild(self, guild: GuildHandle | Guild | int) -> None:
        """The bot is removed from the guild: GUILD_DELETE."""
        self.world.remove_bot(self._guild_model(guild))
        await self.flush()

    async def add_bot_to_guild(self, guild: GuildHandle | Guild | int) -> None:
        """The bot is (re)invited: GUILD_CREATE."""
        self.world.add_bot(self._guild_model(guild))
        await self.flush()

    def start_guild_outage(self, guild: GuildHandle | Guild | int) -> None:
        """From the next READY on, the guild is unavailable: no GUILD_CREATE until the outage ends."""
        self._guild_model(guild).outage = True

    async def end_guild_outage(self, guild: GuildHandle | Guild | int) -> None:
        """The guild is back: GUILD_CREATE to the connected shard, as Discord sends it."""
        model = self._guild_model(guild)
        model.outage = False
        if model.bot_present:
            self.world.emit("GUILD_CREATE", self.world.guild_create_json(model), model.id)
        await self.flush()

    def _guild_model(self, guild: GuildHandle | Guild | int) -> Guild:
        if isinstance(guild, GuildHandle):
            return guild.model
        if isinstance(guild, Guild):
            return guild
        return self.world.guild(guild)

    # ------------------------------------------------------------------ waiting

    def _notify(self) -> None:
        # Check each waiter's condition here instead of waking every waiter on every change:
        # with many interactions in flight that made each change cost a task wake-up per waiter.
        if not self._waiters:
            return
        waiting = []
        for predicate, future in self._waiters:
            if future.done():
                continue
            try:
                satisfied = predicate()
            except Exception as error:  # a broken condition fails its waiter, not the emulator
                future.set_exception(error)
                continue
            if satisfied:
                future.set_result(None)
            else:
                waiting.append((predicate, future))
        self._waiters = waiting

    async def wait_for(
        self, predicate: Callable[[], bool], *, timeout: float | None = None, what: str = "condition"
    ) -> None:
        """Wait until ``predicate()`` holds; it is re-checked after every change in the emulator."""
        timeout = self.reply_timeout if timeout is None else timeout
        if predicate():
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from None

    async def wait_for_identify(self, shards: int | Iterable[int] | None = None, *, timeout: float = 5.0) -> None:
        """Wait until the given shards (default: all ``self.shards``) have a live gateway session."""
        wanted = set(range(self.shards)) if shards is None else ({shards} if isinstance(shards, int) else set(shards))
        await self.wait_for(
            lambda: wanted <= self.connected_shards, timeout=timeout, what=f"shards {sorted(wanted)} to identify"
        )

    async def flush(self, *, timeout: float = 5.0) -> None:
        """Wait until every queued gateway event has been written to the live sockets."""
        await self.wait_for(self.gateway.flushed, timeout=timeout, what="gateway events to be sent")

    def require_session(self, guild_id: int | None) -> None:
        if not self.gateway.has_session_for(guild_id):
            raise NotConnected(
                "the bot has no gateway session for this guild's shard; start the client and wait for Startup "
                f"(connected shards: {sorted(self.connected_shards)})"
            )

    # ------------------------------------------------------------------ traffic assertions

    def requests_to(self, route: RoutePattern) -> list[RecordedRequest]:
        """Recorded requests matching ``"METHOD /template/{x}"`` (or a regex)."""
        method, pattern = compile_route(route)
        return [r for r in self.requests if (method is None or r.method == method) and pattern.search(r.path)]

    def bulk_overwrites(self, guild: GuildHandle | int | None = None) -> int:
        """How many bulk overwrites (PUT) the bot made for the global scope or a guild."""
        scope = guild.id if isinstance(guild, GuildHandle) else guild
        return self.command_overwrites.get(scope, 0)

    def commands(self, guild: GuildHandle | int | None = None) -> list[dict[str, Any]]:
        """The stored application commands of a scope (global when ``guild`` is None)."""
        scope = guild.id if isinstance(guild, GuildHandle) else guild
        return [c.to_json() for c in self.world.scope_commands(scope).values()]

    def assert_no_unknown_routes(self) -> None:
        if self.unknown_routes:
            listed = "\n  ".join(f"{m} {p}" for m, p in self.unknown_routes)
            raise AssertionError(f"the bot called routes the emulator does not know:\n  {listed}")

    def assert_no_internal_errors(self) -> None:
        if self.internal_errors:
            raise AssertionError(f"emulator handlers failed: {self.internal_errors!r}") from self.internal_errors[0]

    # ------------------------------------------------------------------ HTTP

    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        attachment = self.world.attachment(int(request.match_info["attachment_id"]))
        if attachment is None:
            return web.Response(status=404)
        return web.Response(
            body=attachment.data, headers={"Content-Type": attachment.content_type or "application/octet-stream"}
        )

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :] or "/"
        method = request.method
        record = RecordedRequest(method, path, dict(request.query), None, clock.now())
        self.requests.append(record)
        try:
            body, uploads = await read_body(request)
        except DiscordHTTPError as exc:
            record.status = exc.status
            return json_response(exc.status, exc.body())
        record.json = body
        record.files = [u.filename for u in uploads]
        response = await self._answer(request, record, method, path, body, uploads)
        record.status = response.status
        self._notify()
        return response

    async def _answer(
        self, request: web.Request, record: RecordedRequest, method: str, path: str, body: Any, uploads: list[Any]
    ) -> web.StreamResponse:
        match = self.router.match(method, path)
        if match is None:
            self.unknown_routes.append((method, path))
            log.warning("emulator: unknown route %s %s", method, path)
            return json_response(404, {"message": "404: Not Found", "code": 0})
        route, params = match
        retry_after = self._over_global_limit(path)
        if retry_after is not None:
            return self._rate_limited(retry_after, True, "global", method, route.template)
        bucket = self.route_limits.check(method, route.template, params)
        if bucket is not None and bucket.retry_after is not None:
            return self._too_many_requests(bucket.retry_after, False, bucket.headers)
        response = await self._answer_route(request, method, path, route, params, body, uploads)
        if bucket is not None and "X-RateLimit-Global" not in response.headers:  # a global 429 names none
            for name, value in bucket.headers.items():
                response.headers.setdefault(name, value)  # an injected fault's own headers win
        return response

    async def _answer_route(
        self,
        request: web.Request,
        method: str,
        path: str,
        route: RouteDef,
        params: dict[str, str],
        body: Any,
        uploads: list[Any],
    ) -> web.StreamResponse:
        for fault in self.faults.take(method, path):
            if fault.kind == "delay":
                await asyncio.sleep(fault.seconds)
            elif fault.kind == "rate_limit":
                return self._rate_limited(fault.retry_after, fault.is_global, fault.scope, method, route.template)
            else:
                return json_response(fault.status, {"message": f"{fault.status}: Emulated server error", "code": 0})
        if route.auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return json_response(401, {"message": "401: Unauthorized", "code": 0})
        from .rest import Call  # local: keeps the public import surface small

        call = Call(self, request, method, path, params, body, uploads)
        try:
            result = await route.handler(call)
        except DiscordHTTPError as exc:
            return json_response(exc.status, exc.body())
        except Exception as exc:  # an emulator bug: answer 400 so the client does not retry for seconds
            log.exception("emulator handler failed for %s %s", method, path)
            self.internal_errors.append(exc)
            return json_response(400, {"message": f"emulator internal error: {exc!r}", "code": 0})
        if result is None:
            return web.Response(status=204)
        return json_response(200, result)

    @staticmethod
    def _rate_limited(retry_after: float, is_global: bool, scope: str, method: str, template: str) -> web.Response:
        """A 429 with Discord's headers and body. A global one names no bucket, as on Discord:
        it is the bot's limit, not the route's."""
        headers = {
            "X-RateLimit-Scope": "global" if is_global else scope,
            "Retry-After": str(max(1, math.ceil(retry_after))),
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(
                {
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                    "X-RateLimit-Bucket": bucket_hash(method, template),
                }
            )
        return DiscordEmulator._too_many_requests(retry_after, is_global, headers)

    @staticmethod
    def _too_many_requests(retry_after: float, is_global: bool, headers: dict[str, str]) -> web.Response:
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
        return json_response(429, body, headers)
