"""Every place guildkit relies on interactions.py internals, and nowhere else.

guildkit needs a few things interactions.py 5.16 does not offer publicly: ids of guilds, channels
and roles without a cache lookup, hooks around command syncing and slash command execution,
fresh command objects per client, the gateway states to stop, the tasks listeners run in, the
REST base and rate, and the token bucket of a cooldown. Each is reached through one small
function here that names the internal it uses and why. ``tests/core/test_ipy_contract.py``
exercises each against the real library, so an upgrade that changes one fails there with the
function's name, not somewhere deep in a plugin; and a test there rejects private interactions.py
access anywhere else in ``core/`` and ``plugins/``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import copy
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import interactions
from interactions.api.events.base import BaseEvent
from interactions.api.gateway.gateway import GatewayClient
from interactions.api.gateway.state import ConnectionState
from interactions.api.http.http_client import BucketLock, GlobalLock
from interactions.api.http.route import Route

# -- REST -----------------------------------------------------------------------------------


def api_base() -> str:
    """The REST base URL every interactions.py client in this process uses (``Route.BASE``)."""
    return Route.BASE


def set_api_base(url: str) -> str:
    """Point every interactions.py client in this process at ``url``; return the previous base.

    Relies on ``interactions.api.http.route.Route.BASE``, a class variable every ``Route.url``
    starts with: the library has no per-client base, and guildkit talks to Discord, a proxy, or
    the local emulator (``bot.api_base``).
    """
    previous = Route.BASE
    Route.BASE = url.rstrip("/")
    return previous


def set_rest_rate(client: interactions.Client, per_second: int) -> None:
    """Let ``client`` send up to ``per_second`` REST requests a second.

    Relies on ``client.http.global_lock.max_requests``: interactions.py throttles every request
    to 45 a second whatever the server says, and sizes its aiohttp connector from the same
    number when the session opens. The emulator and benchmarks need more; call this before the
    client starts.
    """
    client.http.global_lock.max_requests = per_second


#: (method, route template) of every REST call whose JSON body is a message: channel posts and
#: DMs, their edits, interaction follow-ups and their edits, webhook executions.
MESSAGE_ROUTES = frozenset(
    {
        ("POST", "/channels/{channel_id}/messages"),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
        ("POST", "/webhooks/{application_id}/{webhook_token}"),
        ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
        ("PATCH", "/webhooks/{application_id}/{webhook_token}/messages/{message_id}"),
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
    }
)
#: The interaction callback: its ``data`` is a message for these response types (reply, update).
CALLBACK_ROUTE = ("POST", "/interactions/{interaction_id}/{webhook_token}/callback")
CALLBACK_MESSAGE_TYPES = frozenset({4, 7})

MessageShaper = Callable[[dict[str, Any]], dict[str, Any]]


def shape_message_payloads(client: interactions.Client, shape: MessageShaper) -> None:
    """Pass the JSON body of every message ``client`` sends through ``shape`` first.

    Relies on ``HTTPClient.request(route, payload, files, ...)`` being the one path every REST call
    takes (``ctx.send``, ``channel.send``, ``message.edit``, follow-ups, DMs all build a payload
    dict and call it), and on ``Route.method``/``Route.path`` holding the unformatted template.
    Wrapping it on this client's instance is how a default (ping nobody, fit Discord's limits)
    applies to every plugin without each one remembering it.
    """
    http = client.http
    request = http.request

    @functools.wraps(request)
    def shaped_request(route: Route, payload: Any = None, *args: Any, **kwargs: Any) -> Awaitable[Any]:
        # Returns the request's coroutine instead of awaiting it: no frame of its own on every
        # REST call, and callers await ``http.request(...)`` the same way.
        if isinstance(payload, dict):
            key = (route.method, route.path)
            if key in MESSAGE_ROUTES:
                payload = shape(payload)
            elif key == CALLBACK_ROUTE and payload.get("type") in CALLBACK_MESSAGE_TYPES:
                data = payload.get("data")
                if isinstance(data, dict):
                    payload = {**payload, "data": shape(data)}
        return request(route, payload, *args, **kwargs)

    http.request = shaped_request  # type: ignore[method-assign]


def answer_with_the_message(client: interactions.Client) -> None:
    """Have Discord return the message an interaction answer creates, instead of asking for it.

    ``InteractionContext.send`` posts the callback, to which Discord answers 204 No Content, and
    then GETs ``@original`` to build the ``Message`` it returns: two requests for every answered
    command. With ``?with_response=true`` Discord answers the callback with the interaction
    callback response, whose ``resource.message`` is that message (for CHANNEL_MESSAGE_WITH_SOURCE
    and UPDATE_MESSAGE), and ``send`` uses it as it is. Relies on
    ``HTTPClient.post_initial_response(payload, interaction_id, token, files)`` posting every
    callback and on ``send`` (``_send_http_request``) asking for ``@original`` only when it
    returned nothing; callers that ignore its result (defer, modals, autocomplete) still do.
    """
    http = client.http

    async def post_initial_response(
        payload: dict[str, Any], interaction_id: str, token: str, files: Any = None
    ) -> dict[str, Any] | None:
        route = Route("POST", CALLBACK_ROUTE[1], interaction_id=interaction_id, webhook_token=token)
        answer = await http.request(route, payload=payload, files=files, params={"with_response": "true"})
        if isinstance(answer, dict):
            return (answer.get("resource") or {}).get("message")
        return None

    http.post_initial_response = post_initial_response  # type: ignore[method-assign]


#: Whether the request a task is making is an interaction answer: the global throttle lets it through.
_answering_interaction: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "guildkit_answering_interaction", default=False
)


def is_interaction_answer(route: Route) -> bool:
    """True for the routes Discord exempts from the bot's global rate limit: the initial
    callback (``/interactions/{id}/{token}/callback``) and the interaction webhook
    (``/webhooks/{application_id}/{token}...``: @original and follow-ups). Decided on the route's
    path template (``Route.path``), so a channel webhook (``/webhooks/{webhook_id}/...``) is not."""
    path = route.path
    return path.startswith("/interactions/") or path.startswith("/webhooks/{application_id}/")


class _GlobalLockExceptAnswers(GlobalLock):
    """interactions.py's global throttle as a sliding window, skipped for interaction answers.

    The library's lock counts calls in fixed one-second windows, so a burst straddling a window
    boundary sends up to twice the limit within a few milliseconds; Discord (and the emulator)
    answers that with a global 429, and after three 429s the library's ``request`` gives up and
    returns None, which callers then read as a message. A sliding window never sends more than
    ``max_requests`` in any second. A 429's ``retry_after`` (``set_reset_time``) is still honoured.
    """

    #: Seconds of the window; a little over one, so clock jitter never squeezes two windows into one.
    WINDOW = 1.02

    def __init__(self) -> None:
        super().__init__()
        self._sent: collections.deque[float] = collections.deque()
        self._reset_time = 0.0

    async def wait(self) -> None:
        if _answering_interaction.get():
            return
        async with self._lock:
            now = time.perf_counter()
            if self._reset_time > now:  # Discord said wait (a global 429)
                await asyncio.sleep(self._reset_time - now)
            while True:
                now = time.perf_counter()
                while self._sent and self._sent[0] <= now - self.WINDOW:
                    self._sent.popleft()
                if len(self._sent) < self.max_requests:
                    break
                await asyncio.sleep(self._sent[0] + self.WINDOW - now)
            self._sent.append(time.perf_counter())


class RestGaveUp(Exception):
    """interactions.py stopped retrying a request (Discord kept answering 429) without a result."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(f"Discord kept rate limiting {endpoint}; the request was not completed")
        self.endpoint = endpoint


def _answers_with_a_body(route: Route) -> bool:
    """Routes whose success always carries a JSON body: creating and editing messages."""
    return route.method in ("POST", "PATCH") and route.path.endswith(("/messages", "/messages/{message_id}"))


def _resource_bucket(bucket_hash: str, route: Route) -> str:
    """A rate limit as Discord counts it: the bucket (``X-RateLimit-Bucket``) and the route's
    top-level resource (channel, guild, webhook)."""
    return f"{bucket_hash}:{route.channel_id}:{route.guild_id}:{route.webhook_id}:{route.webhook_token}"


class PacedBucket(BucketLock):
    """One Discord rate-limit bucket of one channel (guild, webhook), paced by its headers.

    interactions.py's ``BucketLock`` only caps how many requests are in flight at once, and a
    route whose bucket is not known yet gets a fresh lock per request: a burst of posts to one
    channel sends more than the bucket holds, the 429s that follow call ``lock_for_duration`` on
    a lock already held (a RuntimeError to the caller), and after three tries the library drops
    the request. Here the first request of a bucket goes alone; its answer tells how many more
    the window takes (``X-RateLimit-Remaining``) and when it ends (``-Reset-After``). Up to that
    many go out at once; the rest wait for the reset, so a burst goes out at the bucket's pace
    without a 429. The library's ``request`` drives it: ``async with`` per attempt,
    ``ingest_ratelimit_header`` per answer, ``lock_for_duration`` when ``remaining`` is 0 (then)
    or after a 429 (``block``: wait now).
    """

    def __init__(self) -> None:
        super().__init__()
        self._known = False  # an answer has told the window
        self._tokens = 0  # requests the current window still takes, less those sent
        self._resets_at = 0.0  # event-loop time the window ends (0: none known)
        self._in_flight = 0
        self._waiting = 0
        self._changed = asyncio.Event()  # set (and replaced) when a request ends or an answer comes

    @property
    def locked(self) -> bool:
        return self._waiting > 0

    def _signal(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def ingest_ratelimit_header(self, header: Any) -> None:
        bucket_hash = header.get("x-ratelimit-bucket")
        if bucket_hash is None:
            # An answer that names no bucket (a global 429, an unlimited route) says nothing
            # of this one; ``request`` reads these two right after.
            self.remaining, self.delta = self.DEFAULT_REMAINING, self.DEFAULT_DELTA
            return
        self.bucket_hash = bucket_hash
        self.limit = int(header.get("x-ratelimit-limit", self.DEFAULT_LIMIT))
        self.remaining = int(header.get("x-ratelimit-remaining", self.DEFAULT_REMAINING))
        self.delta = float(header.get("x-ratelimit-reset-after", self.DEFAULT_DELTA))
        # Answers come back in any order: the lowest count seen in a window is the safe one.
        self._tokens = min(self._tokens, self.remaining) if self._known else self.remaining
        self._known = True
        self._resets_at = asyncio.get_running_loop().time() + self.delta
        self._signal()

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            if self._known and self._resets_at and now >= self._resets_at:
                self._tokens, self._resets_at = self.limit, 0.0  # a new window
            if not self._known:
                if self._in_flight == 0:
                    break  # the first request of the bucket: its answer tells the window
                timeout = None
            elif self._tokens > 0:
                self._tokens -= 1
                break
            else:
                timeout = max(0.0, self._resets_at - now) if self._resets_at else None
            changed = self._changed
            self._waiting += 1
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), timeout)
            finally:
                self._waiting -= 1
        self._in_flight += 1

    def release(self) -> None:
        self._in_flight -= 1
        self._signal()

    async def lock_for_duration(self, duration: float, block: bool = False) -> None:
        self._tokens = 0
        self._resets_at = asyncio.get_running_loop().time() + duration
        if block:  # after a 429: this request waits before its next attempt
            await asyncio.sleep(duration)

    def idle_since(self, now: float) -> bool:
        """Nobody sends through it or waits on it and its window is over: forgetting it loses nothing."""
        return self._in_flight == 0 and self._waiting == 0 and self._resets_at <= now


def rate_limit_per_resource(client: interactions.Client) -> None:
    """Pace requests per bucket *and* channel (guild, webhook), as Discord counts them.

    Discord's ``X-RateLimit-Bucket`` names a route's limit "non-inclusive of major parameters":
    posting in any channel answers with the same hash, and each channel has its own count.
    interactions.py keys its locks by the hash alone (``HTTPClient.ratelimit_locks[bucket_hash]``,
    filled by ``ingest_ratelimit`` and read by ``get_ratelimit``), so once a bot has posted in
    two channels they share one lock: a channel that ran out (or answered 429) held up every
    other channel's posts until its reset. Each (bucket, resource) gets a :class:`PacedBucket`
    here; a route whose bucket is not known yet shares one per route and resource until its first
    answer names the bucket. Interaction answers keep the library's unpaced lock: each
    interaction token is a bucket of its own that a bot answering once never empties. Relies on
    ``get_ratelimit``, ``ingest_ratelimit`` and ``HTTPClient._endpoints`` (route -> bucket hash);
    the first two are replaced on ``client.http``. Install before :func:`throttle_rest`, which
    wraps ``get_ratelimit`` in turn.
    """
    http = client.http
    endpoints = http._endpoints
    buckets: dict[str, PacedBucket] = {}  # (bucket hash, resource) -> its pace
    first_requests: dict[str, PacedBucket] = {}  # route and resource -> pace until the hash is known
    without_limit: set[str] = set()  # routes whose answers name no bucket
    prune_above = 4096

    def get_ratelimit(route: Route) -> BucketLock:
        nonlocal prune_above
        if is_interaction_answer(route):
            return BucketLock()
        route_key = route.rl_bucket
        bucket_hash = endpoints.get(route_key)
        if bucket_hash is None:
            if route_key in without_limit:
                return BucketLock()
            return first_requests.setdefault(route_key, PacedBucket())
        key = _resource_bucket(bucket_hash, route)
        bucket = buckets.get(key)
        if bucket is None:
            if len(buckets) >= prune_above:  # a bot in many channels: forget the idle ones
                now = asyncio.get_running_loop().time()
                for stale in [k for k, b in buckets.items() if b.idle_since(now)]:
                    del buckets[stale]
                prune_above = max(4096, 2 * len(buckets))
            bucket = buckets[key] = PacedBucket()
        return bucket

    def ingest_ratelimit(route: Route, header: Any, bucket_lock: BucketLock) -> None:
        bucket_lock.ingest_ratelimit_header(header)
        if not isinstance(bucket_lock, PacedBucket):
            return
        route_key = route.rl_bucket
        if first_requests.get(route_key) is bucket_lock:
            if bucket_lock.bucket_hash:  # the first answer named the bucket: it carries on as it
                del first_requests[route_key]
                buckets.setdefault(_resource_bucket(bucket_lock.bucket_hash, route), bucket_lock)
            elif header.get("x-ratelimit-global") is None:  # a global 429 says nothing of the route
                del first_requests[route_key]
                without_limit.add(route_key)
        if bucket_lock.bucket_hash:
            endpoints[route_key] = bucket_lock.bucket_hash

    http.get_ratelimit = get_ratelimit  # type: ignore[method-assign]
    http.ingest_ratelimit = ingest_ratelimit  # type: ignore[method-assign]


def throttle_rest(client: interactions.Client, per_second: int) -> None:
    """Throttle ``client`` to ``per_second`` REST requests a second, interaction answers excepted.

    Relies on ``HTTPClient.request`` calling ``self.get_ratelimit(route)`` (the route's bucket,
    once per request, before its attempts) and then awaiting ``self.global_lock.wait()`` (a
    ``GlobalLock``, 45 a second by default) before every attempt, and on every request going
    through ``client.http.request(route, ...)``. Discord does not count interaction callbacks,
    @original edits and follow-ups against the global limit; the library throttles them anyway,
    so a burst of commands missed the 3-second deadline. The lock is replaced by one that lets
    those through, told by a context variable that the bucket lookup sets for each request: one
    task's requests run one after another, so the mark is always its current request's, and no
    wrapper stands between every request and its caller. Per-route buckets and 429 handling
    stay the library's. Call before the client starts: the aiohttp connector is sized from
    ``max_requests`` when the session opens.
    """
    http = client.http
    lock = _GlobalLockExceptAnswers()
    lock.max_requests = per_second
    http.global_lock = lock
    library_get_ratelimit = http.get_ratelimit
    library_request = http.request

    @functools.wraps(library_get_ratelimit)
    def get_ratelimit(route: Route) -> BucketLock:
        _answering_interaction.set(is_interaction_answer(route))
        return library_get_ratelimit(route)

    async def raising_when_given_up(route: Route, *args: Any, **kwargs: Any) -> Any:
        result = await library_request(route, *args, **kwargs)
        if result is None:
            # The library gives up silently after its retries (every one answered 429): callers
            # would take "None" for a message that was sent. Fail loudly so jobs retry.
            raise RestGaveUp(route.resolved_endpoint)
        return result

    @functools.wraps(library_request)
    def request(route: Route, *args: Any, **kwargs: Any) -> Awaitable[Any]:
        # Not a coroutine itself (like the message shaper): only message posts and edits need
        # their result checked; every other request is the library's own coroutine.
        if _answers_with_a_body(route):
            return raising_when_given_up(route, *args, **kwargs)
        return library_request(route, *args, **kwargs)

    http.get_ratelimit = get_ratelimit  # type: ignore[method-assign]
    http.request = request  # type: ignore[method-assign]


async def post_message(
    client: interactions.Client,
    channel_id: int,
    content: str,
    *,
    components: Any = None,
    allowed_mentions: interactions.AllowedMentions | None = None,
    nonce: str | None = None,
    enforce_nonce: bool = False,
) -> dict[str, Any]:
    """Post a message in a channel with one REST call and return Discord's answer as JSON.

    ``channel.send`` needs the channel object and builds a ``Message`` (and its author, member and
    components) from the answer, which the gateway's MESSAGE_CREATE builds again: for a job that
    only needs to know that the post went through, that was about a fifth of its CPU. The payload
    takes the same path as every send (the message shaper, the global throttle, ``RestGaveUp``).
    Raises ``interactions.errors.HTTPException`` as ``send`` does (403, 404 for a channel gone).
    """
    payload = interactions.models.discord.message.process_message_payload(
        content=content,
        components=components,
        allowed_mentions=allowed_mentions,
        nonce=nonce,
        enforce_nonce=enforce_nonce,
    )
    return await client.http.create_message(payload, channel_id)


_library_ingest_ratelimit_header = BucketLock.ingest_ratelimit_header


def _ingest_ratelimit_header_keeping_waiters(self: BucketLock, header: Any) -> None:
    """``BucketLock.ingest_ratelimit_header`` without stranding requests.

    The library replaces the bucket's semaphore whenever its current value differs from the
    answer's ``X-RateLimit-Limit`` (or the default 1 when an answer has no such headers), which is
    the case whenever other requests of the route hold or wait on it: the waiters stay queued on
    the old semaphore while releases go to the new one, so they never run (seen with many
    reminders sent side by side after a burst of 429s). The semaphore in use is kept; the new limit
    takes effect once the bucket is idle."""
    old = self._semaphore
    busy = old is not None and (bool(old._waiters) or old._value < getattr(old, "gk_capacity", old._value))
    _library_ingest_ratelimit_header(self, header)
    if self._semaphore is old:
        return
    if busy:
        self._semaphore = old
    elif self._semaphore is not None:
        self._semaphore.gk_capacity = self.limit  # type: ignore[attr-defined]


BucketLock.ingest_ratelimit_header = _ingest_ratelimit_header_keeping_waiters  # type: ignore[method-assign]


_library_resolved_name = BaseEvent.resolved_name.fget
#: class name (or ``override_name``) -> the event name listeners are registered under
_resolved_names: dict[str, str] = {}


def _resolved_name_once(self: BaseEvent) -> str:
    """``BaseEvent.resolved_name``, computed once per name.

    The library turns the class name into snake case with a regular expression on every read,
    and the client reads it several times for every event it dispatches (``dispatch``,
    ``_process_waits``): eight regex substitutions for each MESSAGE_CREATE, about 5 % of the
    instructions the bot spends on a message. The result depends only on the name, so it is kept.
    """
    name = self.override_name or self.__class__.__name__
    resolved = _resolved_names.get(name)
    if resolved is None:
        resolved = _resolved_names[name] = _library_resolved_name(self)
    return resolved


BaseEvent.resolved_name = property(_resolved_name_once)  # type: ignore[method-assign,assignment]


def rest_rate(client: interactions.Client) -> int:
    """Requests a second the global throttle of ``client`` allows (``global_lock.max_requests``)."""
    return int(client.http.global_lock.max_requests)


# -- gateway and tasks ----------------------------------------------------------------------

#: Prefix of the names interactions.py gives the tasks it runs listeners in.
LISTENER_TASK_PREFIX = "interactions::"


def connection_states(client: interactions.Client) -> list[ConnectionState]:
    """The gateway connection state(s) of ``client`` that opened a connection and still run: one,
    or one per shard (none when login failed or the gateway refused it).

    Relies on ``Client._connection_state``, ``AutoShardedClient._connection_states``, and a
    state's ``gateway`` (MISSING until connected) and ``_shard_task``.
    guildkit stops them before ``client.stop()`` so no new events arrive while running handlers
    drain, and because ``Client.stop()`` with a socket still open spins a core at 100%.
    """
    states = getattr(client, "_connection_states", None) or [client._connection_state]
    return [state for state in states if state is not None and _connected(state)]


def _connected(state: ConnectionState) -> bool:
    # ``gateway`` is MISSING until a connection was opened, and ``_shard_task`` is done once the
    # connection ended for good (4014, ...): stopping such a state raises instead of stopping.
    task = getattr(state, "_shard_task", None)
    return isinstance(state.gateway, GatewayClient) and not (task is not None and task.done())


#: Discord allows one IDENTIFY per rate-limit bucket every 5 seconds.
IDENTIFY_SPACING_SECONDS = 5.1


async def start_shards(client: interactions.AutoShardedClient, token: str | None) -> None:
    """Log in and run ``client``'s shards the way Discord's identify limit allows; return when the
    gateway ends (like ``AutoShardedClient.astart``, which it replaces).

    Relies on ``AutoShardedClient._connection_states`` (made by ``login()``, one per shard in
    ``shard_ids``), ``max_start_concurrency`` (from ``GET /gateway/bot``) and each state's
    ``_shard_ready`` event. Discord lets ``max_concurrency`` shards identify at once, one per
    bucket ``shard_id % max_concurrency``, each bucket once every 5 s. interactions.py 5.16's
    ``astart`` starts the first bucket and then waits for *every* shard, so a process whose shards
    span two buckets never finishes starting. Here each round starts the next shard of every
    bucket, waits until they are ready (or have failed), and the next round follows 5.1 s later.
    """
    await client.login(token)
    states = list(client._connection_states)
    concurrency = max(1, int(client.max_start_concurrency or 1))
    buckets: dict[int, list[ConnectionState]] = {}
    for state in states:
        buckets.setdefault(state.shard_id % concurrency, []).append(state)
    rounds = max((len(bucket) for bucket in buckets.values()), default=0)
    tasks: list[asyncio.Task[Any]] = []
    try:
        for round_index in range(rounds):
            started = time.monotonic()
            batch = [bucket[round_index] for bucket in buckets.values() if len(bucket) > round_index]
            for state in batch:
                tasks.append(asyncio.create_task(state.start(), name=f"guildkit-shard-{state.shard_id}"))
            ready = [asyncio.ensure_future(state._shard_ready.wait()) for state in batch]
            try:
                # A shard that fails (bad token, disallowed intents) ends its task instead.
                pending = set(ready)
                while pending and not any(task.done() for task in tasks):
                    _, pending = await asyncio.wait(pending | set(tasks), return_when=asyncio.FIRST_COMPLETED)
                    pending = {future for future in pending if future in ready}
            finally:
                for future in ready:
                    future.cancel()
            failed = [task for task in tasks if task.done()]
            if failed:
                break
            if round_index + 1 < rounds:
                await asyncio.sleep(max(0.0, IDENTIFY_SPACING_SECONDS - (time.monotonic() - started)))
        await asyncio.gather(*tasks)
    finally:
        await client.stop()


def listener_tasks() -> set[asyncio.Task[Any]]:
    """The tasks, in this event loop, in which interactions.py is running event listeners.

    Relies on ``Client._queue_task`` naming them ``"interactions:: <event>"``: nothing else finds
    them, and shutdown waits for them so a listener half-way through a write can finish.
    """
    return {task for task in asyncio.all_tasks() if task.get_name().startswith(LISTENER_TASK_PREFIX)}


def processor_tasks(client: interactions.Client) -> set[asyncio.Task[Any]]:
    """The tasks of ``client``'s raw event processors still running (every interaction's among them).

    Relies on the gateway starting each processor (``client.processors[event name]``, a partial of
    an ``async def``) in an anonymous task of its own: they are recognised by their coroutine's
    code object, so shutdown can drain them without a wrapper around every event's processor.
    """
    codes = {code for processor in client.processors.values() if (code := _code_of(processor)) is not None}
    return {task for task in asyncio.all_tasks() if getattr(task.get_coro(), "cr_code", None) in codes}


def _code_of(function: Any) -> Any:
    while isinstance(function, functools.partial):
        function = function.func
    function = getattr(function, "__func__", function)
    return getattr(function, "__code__", None)


# -- client hooks ---------------------------------------------------------------------------


class ClientHooks:
    """Mix into an ``interactions.Client`` subclass (before it) to get four hooks.

    ``before_command_sync`` and ``sync_commands`` rely on ``Client._init_interactions``, run once
    after the first READY, when guilds are cached and before ``Startup``: guildkit syncs per-guild
    plugin commands itself there, within Discord's daily quota of creates, instead of letting the
    library overwrite every scope (``library_sync_commands`` is the library's own sync; it
    reports a failure through an ``Error`` event). ``run_slash_command`` relies on
    ``Client._run_slash_command(command, ctx)``, which runs checks, cooldowns and the callback:
    guildkit times and records every command around it. ``queue_listener`` relies on
    ``Client.dispatch`` calling ``Client._queue_task(listener, event, ...)`` once per listener,
    which creates the listener's task: guildkit decides there whether a plugin's listener runs
    at all in the event's guild, so a plugin that is off costs no task.
    """

    async def before_command_sync(self) -> None:
        """Called once, after the first READY and before the commands are synced."""

    async def sync_commands(self) -> None:
        """Called once, after ``before_command_sync``, to sync commands: the library's sync here."""
        await self.library_sync_commands()

    async def library_sync_commands(self) -> None:
        """interactions.py's startup sync of every scope (``Client._init_interactions``)."""
        await super()._init_interactions()  # type: ignore[misc]

    async def run_slash_command(self, command: Any, ctx: Any, run: Callable[[], Awaitable[Any]]) -> Any:
        """Run a slash command; ``run()`` is the library's execution (checks, cooldowns, callback)."""
        return await run()

    def queue_listener(self, listener: interactions.Listener, event: Any, queue: Callable[[], Any]) -> Any:
        """Called, synchronously, for each listener an event is dispatched to, before its task
        exists; ``queue()`` creates the task that calls it (the library's). Not calling ``queue``
        means no task and no call; calling it later (from another task) runs the listener then."""
        return queue()

    def _queue_task(self, coro: interactions.Listener, event: Any, *args: Any, **kwargs: Any) -> Any:
        library_queue = super()._queue_task  # type: ignore[misc]
        return self.queue_listener(coro, event, lambda: library_queue(coro, event, *args, **kwargs))

    async def _init_interactions(self) -> None:
        await self.before_command_sync()
        await self.sync_commands()

    def _run_slash_command(self, command: Any, ctx: Any) -> Awaitable[Any]:
        # Hands back run_slash_command's coroutine for the library to await: one frame less
        # between the event loop and every command's code.
        library_run = super()._run_slash_command  # type: ignore[misc]
        return self.run_slash_command(command, ctx, functools.partial(library_run, command, ctx))


# -- commands -------------------------------------------------------------------------------

#: Fields interactions.py binds per extension instance when an Extension is instantiated.
COMMAND_CALLBACK_FIELDS = ("callback", "error_callback", "pre_run_callback", "post_run_callback")


def _unbound(callback: Any) -> Any:
    if (
        isinstance(callback, functools.partial)
        and callback.args
        and isinstance(callback.args[0], interactions.Extension)
    ):
        return callback.func
    return callback


def fresh_command_copy(obj: interactions.CallbackObject) -> interactions.CallbackObject:
    """A copy of a command (or listener, component...) object that shares no per-client state.

    Relies on how ``Extension.__new__`` binds the objects on its class: it stores ids per scope
    in ``cmd_id``, scopes in ``scopes``, prepends checks, sets ``extension``, and wraps callbacks
    (autocomplete callbacks too) in ``functools.partial(callback, extension)``, mutating the
    class's objects in place. A second client in the process (a restart, the next test) would
    otherwise share the first one's ids, scopes, checks and extension instance. Every list, dict
    and set attribute is copied, so a field a later interactions.py adds is not shared either.
    """
    fresh = copy.copy(obj)
    names = (
        [field.name for field in attrs.fields(type(obj))]
        if attrs.has(type(obj))
        else list(getattr(obj, "__dict__", {}))
    )
    for name in names:
        value = getattr(fresh, name, None)
        if isinstance(value, (list, dict, set)):
            setattr(fresh, name, copy.copy(value))
    if hasattr(fresh, "extension"):
        fresh.extension = None
    for name in COMMAND_CALLBACK_FIELDS:
        if getattr(fresh, name, None) is not None:
            setattr(fresh, name, _unbound(getattr(fresh, name)))
    if isinstance(getattr(fresh, "autocomplete_callbacks", None), dict):
        fresh.autocomplete_callbacks = {k: _unbound(v) for k, v in fresh.autocomplete_callbacks.items()}
    return fresh


def forget_command_id(command: interactions.InteractionCommand, scope: int) -> None:
    """Forget the id Discord gave ``command`` in ``scope`` (a guild id, or 0 for global).

    Relies on ``InteractionCommand.cmd_id``, a dict from scope to id that the library fills when
    it syncs: a command taken out of a guild must not keep the id, or it would be matched (and
    edited instead of created) when it comes back.
    """
    command.cmd_id.pop(scope, None)


# -- ids without a cache lookup ---------------------------------------------------------------


def guild_id_of(entity: Any) -> int | None:
    """The guild id a message, member or voice state carries, or None.

    Relies on the private ``_guild_id`` attrs field: the public ``.guild`` looks the guild up in
    the cache (None when it is not cached), and only the id is needed.
    """
    value = getattr(entity, "_guild_id", None)
    return int(value) if value else None


def message_author(message: Any) -> Any:
    """The member (else the user) who wrote ``message``, as ``Message.author``, in one cache lookup.

    Relies on ``Message._guild_id``/``_author_id`` (already snowflakes) and the cache's
    ``member_cache``/``user_cache`` dicts: ``Message.author`` converts both ids again and goes
    through two methods on every message, which leveling's per-message path felt.
    """
    author_id = message._author_id
    if not author_id:
        return None
    cache = message._client.cache
    member = cache.member_cache.get((message._guild_id, author_id)) if message._guild_id else None
    return member or cache.user_cache.get(author_id)


def ready_check(client: interactions.Client) -> Callable[[], bool]:
    """A function answering ``client.is_ready``, without the property: the listener gate asks it
    for every event. The library's ``_ready`` event is made once, in ``Client.__init__``."""
    return client._ready.is_set


def message_origin(message: Any) -> tuple[Any, int | None, int | None]:
    """``(user, guild_id_of(message), channel_id_of(message))`` in one call, for listeners that
    run on every message. The user who wrote it comes from the cache (one dict lookup; None if not
    cached), for ``bot`` and the id: ``Member.bot`` goes through ``Member.__getattr__`` on every read."""
    author_id = message._author_id
    guild_id = message._guild_id
    channel_id = message._channel_id
    return (
        message._client.cache.user_cache.get(author_id) if author_id else None,
        int(guild_id) if guild_id else None,
        int(channel_id) if channel_id else None,
    )


def channel_id_of(entity: Any) -> int | None:
    """The channel id a message or voice state carries, or None (``_channel_id``, as above)."""
    value = getattr(entity, "_channel_id", None)
    return int(value) if value else None


def role_ids_of(member: Any) -> list[int]:
    """The ids of a member's roles, in the order Discord sent them.

    Relies on ``Member._role_ids``: ``Member.roles`` resolves each id through the guild's role
    cache and silently drops roles not cached, which would make level roles flap.
    """
    return [int(role_id) for role_id in getattr(member, "_role_ids", None) or ()]


def voice_member_id(state: Any) -> int:
    """The user id of a voice state (``VoiceState._member_id``, else ``user_id``), no cache lookup."""
    return int(state._member_id or state.user_id)


# -- cooldowns ------------------------------------------------------------------------------


def bucket_tokens(system: interactions.CooldownSystem) -> int:
    """Uses left in a cooldown bucket before it starts refusing.

    Relies on ``CooldownSystem._tokens``, the token count of the library's token bucket:
    guildkit's cooldown re-implements the bucket on its own clock (so tests can move time) and
    must read and spend the same tokens the library's ``reset()`` refills.
    """
    return system._tokens


def spend_bucket_token(system: interactions.CooldownSystem) -> None:
    """Take one token from a cooldown bucket (``CooldownSystem._tokens``, as above)."""
    system._tokens -= 1
