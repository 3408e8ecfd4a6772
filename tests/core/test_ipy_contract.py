"""The interactions.py internals guildkit relies on, one contract test each (see core/ipy.py).

Each test drives the real library (a real Client, real command objects, real cooldowns, the
emulator where a gateway is needed) through the ``guildkit.core.ipy`` function that wraps the
internal, and fails with the function's name when an interactions.py upgrade changes it. The last
tests keep private interactions.py access out of every other module.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import functools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import attrs
import interactions
import pytest
from interactions.api.events import MessageCreate
from interactions.api.http.route import Route

from guildkit.core import ipy
from guildkit.core.extensions import load_extension
from guildkit.core.testing.emulator import DiscordEmulator, RouteLimit

ROOT = Path(__file__).resolve().parents[2]
BOOT_TIMEOUT = 10.0


def broke(function: str, what: str) -> str:
    return (
        f"interactions.py changed {what}: guildkit.core.ipy.{function} relies on it; "
        f"see the docstring of {function} in core/ipy.py for why guildkit needs it"
    )


# -- a real client against the emulator -------------------------------------------------------


class RecordingClient(ipy.ClientHooks, interactions.Client):
    """A plain interactions.py client with guildkit's hooks, recording when they run."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started = asyncio.Event()
        #: (guilds cached, Startup already fired) at each before_command_sync call
        self.sync_hook_calls: list[tuple[int, bool]] = []
        #: resolved names of slash commands that went through run_slash_command
        self.ran: list[str] = []
        #: for each: whether ipy.processor_tasks found the task running it (what shutdown drains)
        self.found_as_processor: list[bool] = []
        self.messages: list[Any] = []

    async def before_command_sync(self) -> None:
        self.sync_hook_calls.append((len(self.guilds), self.started.is_set()))

    async def run_slash_command(self, command: Any, ctx: Any, run: Callable[[], Awaitable[Any]]) -> Any:
        self.found_as_processor.append(asyncio.current_task() in ipy.processor_tasks(self))
        result = await run()  # the reply reaches the member before this returns
        self.ran.append(command.resolved_name)
        return result


async def _pong(ctx: interactions.SlashContext) -> None:
    await ctx.send("pong")


@contextlib.asynccontextmanager
async def running(emu: Any, client: RecordingClient) -> AsyncIterator[RecordingClient]:
    previous_base = ipy.set_api_base(emu.api_base)
    ipy.set_rest_rate(client, 10_000)

    async def on_startup(event: interactions.events.Startup) -> None:
        client.started.set()

    async def on_message(event: MessageCreate) -> None:
        client.messages.append(event.message)

    client.add_listener(interactions.Listener.create("startup")(on_startup))
    client.add_listener(interactions.Listener.create("message_create")(on_message))
    task = asyncio.create_task(client.astart(emu.token))
    try:
        waiter = asyncio.create_task(client.started.wait())
        done, _ = await asyncio.wait({waiter, task}, timeout=BOOT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if task in done:
                task.result()
            raise TimeoutError("the client did not reach Startup")
        yield client
    finally:
        await asyncio.gather(*(state.stop() for state in ipy.connection_states(client)), return_exceptions=True)
        with contextlib.suppress(Exception):
            await client.stop()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(task, 5)
        ipy.set_api_base(previous_base)


@contextlib.asynccontextmanager
async def running_paced(emu: Any) -> AsyncIterator[RecordingClient]:
    """A running client paced as guildkit runs it: per-resource buckets, then the global throttle."""
    client = recording_client()
    async with running(emu, client):
        ipy.rate_limit_per_resource(client)
        ipy.throttle_rest(client, 50)
        yield client


def posts_per_channel(requests: int, per_seconds: float) -> DiscordEmulator:
    """An emulator whose channels take ``requests`` posts per ``per_seconds``: a shorter window
    than Discord's 5 s keeps a test short; the client only reads the headers."""
    return DiscordEmulator(
        route_rate_limits={"POST /channels/{channel_id}/messages": RouteLimit(requests, per_seconds)}
    )


def recording_client() -> RecordingClient:
    client = RecordingClient(intents=interactions.Intents.ALL, sync_interactions=True, send_command_tracebacks=False)
    client.add_command(interactions.slash_command(name="ping", description="Answers pong")(_pong))
    return client


async def eventually(check: Callable[[], Any], what: str) -> Any:
    async with asyncio.timeout(5):
        while not (value := check()):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    assert value, what
    return value


# -- REST -----------------------------------------------------------------------------------


def test_set_api_base_moves_every_route() -> None:
    previous = ipy.set_api_base("http://127.0.0.1:9/api/v10/")
    try:
        url = Route("GET", "/users/@me").url
        assert url == "http://127.0.0.1:9/api/v10/users/@me", broke("set_api_base", "Route.BASE / Route.url")
        assert ipy.api_base() == "http://127.0.0.1:9/api/v10", broke("api_base", "Route.BASE")
    finally:
        ipy.set_api_base(previous)


async def test_set_rest_rate_lifts_the_global_throttle() -> None:
    throttled = interactions.Client()
    lifted = interactions.Client()
    ipy.set_rest_rate(lifted, 500)

    async def requests(client: interactions.Client, count: int) -> None:
        for _ in range(count):
            await client.http.global_lock.wait()

    # 100 requests pass at once with 500 a second; the library's default of 45 makes them wait.
    started = time.perf_counter()
    await asyncio.wait_for(requests(lifted, 100), 0.5)
    assert time.perf_counter() - started < 0.5
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(requests(throttled, 100), 0.3)
        pytest.fail(broke("set_rest_rate", "the global REST throttle (HTTPClient.global_lock)"))


async def test_throttle_rest_paces_other_routes_but_never_interaction_answers(gk_emulator: Any) -> None:
    emu = gk_emulator
    emu.create_guild("Contract Guild")
    client = recording_client()
    async with running(emu, client):
        ipy.throttle_rest(client, 20)
        assert ipy.rest_rate(client) == 20, broke("rest_rate", "HTTPClient.global_lock.max_requests")
        callback = Route(
            "POST", "/interactions/{interaction_id}/{webhook_token}/callback", interaction_id=1, webhook_token="t"
        )
        original = Route(
            "GET", "/webhooks/{application_id}/{webhook_token}/messages/@original", application_id=1, webhook_token="t"
        )
        channel_webhook = Route("POST", "/webhooks/{webhook_id}/{webhook_token}", webhook_id=1, webhook_token="t")
        assert ipy.is_interaction_answer(callback) and ipy.is_interaction_answer(original)
        assert not ipy.is_interaction_answer(channel_webhook), broke("is_interaction_answer", "Route.path templates")

        # 60 interaction answers (unknown interactions: 404s, but real requests) pass at once...
        started = time.perf_counter()
        results = await asyncio.gather(
            *(client.http.post_initial_response({"type": 4, "data": {"content": "x"}}, i, "t") for i in range(60)),
            return_exceptions=True,
        )
        assert all(isinstance(r, interactions.errors.NotFound) for r in results)
        assert time.perf_counter() - started < 1.0, broke(
            "throttle_rest", "HTTPClient.request awaiting global_lock.wait() for every request"
        )
        # ...while 30 other requests at 20 a second take more than a second.
        started = time.perf_counter()
        await asyncio.gather(*(client.http.get_current_bot_information() for _ in range(30)))
        assert time.perf_counter() - started > 0.9, broke("throttle_rest", "HTTPClient.global_lock throttling")
        assert emu.global_rate_limited == 0


async def test_a_message_the_library_gave_up_on_raises_instead_of_returning_none(gk_emulator: Any) -> None:
    emu = gk_emulator
    guild = emu.create_guild("Contract Guild")
    channel_id = guild.channel("general").id
    client = recording_client()
    async with running(emu, client):
        ipy.throttle_rest(client, 50)
        # Discord answers every attempt with 429: interactions.py retries three times, then its
        # request() returns None, which send() would hand back as the message.
        emu.faults.rate_limit("POST /channels/{channel}/messages", times=None, retry_after=0.01)
        with pytest.raises(ipy.RestGaveUp, match="kept rate limiting"):
            await client.http.create_message({"content": "hello"}, channel_id)
            pytest.fail(broke("throttle_rest", "HTTPClient.request returning None after its last 429"))


async def test_a_rate_limited_channel_does_not_hold_up_posts_to_other_channels(gk_emulator: Any) -> None:
    emu = gk_emulator
    guild = emu.create_guild("Contract Guild")
    busy, quiet = guild.channel("general").id, guild.add_channel("quiet").id
    async with running_paced(emu) as client:
        posts = "POST /channels/{channel}/messages"
        # Discord names the limit of a route, not of a channel: every channel's posts answer with
        # the same X-RateLimit-Bucket. The quiet channel learns it first (one short 429).
        emu.faults.rate_limit(posts, times=1, retry_after=0.01)
        await client.http.create_message({"content": "hello"}, quiet)
        # Then the busy channel is told to wait 10 s...
        emu.faults.rate_limit(posts, times=1, retry_after=10.0)
        waiting = asyncio.create_task(client.http.create_message({"content": "busy"}, busy))
        try:
            async with asyncio.timeout(5):
                while not any(r.status == 429 and str(busy) in r.path for r in emu.requests):  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)  # the library locks the bucket as it reads that answer
            # ...which is no reason for the quiet channel to wait.
            try:
                await asyncio.wait_for(client.http.create_message({"content": "still here"}, quiet), 3.0)
            except TimeoutError:
                pytest.fail(broke("rate_limit_per_resource", "HTTPClient.get_ratelimit/ingest_ratelimit"))
        finally:
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiting


async def test_a_burst_of_posts_to_one_channel_goes_out_at_the_buckets_pace_and_none_is_lost() -> None:
    async with posts_per_channel(3, 0.3) as emu:
        guild = emu.create_guild("Contract Guild")
        busy, other = guild.channel("general").id, guild.add_channel("other").id
        async with running_paced(emu) as client:
            # The library alone sent all ten at once, took 429s, raised RuntimeError from
            # lock_for_duration and dropped what was still refused after three tries.
            posts = [client.http.create_message({"content": f"post {n}"}, busy) for n in range(10)]
            posts += [client.http.create_message({"content": f"other {n}"}, other) for n in range(4)]
            await asyncio.gather(*posts)
        stored = [m.content for m in guild.bot_messages(busy)]
        assert sorted(stored) == sorted(f"post {n}" for n in range(10)), broke(
            "rate_limit_per_resource", "BucketLock driven by HTTPClient.request"
        )
        assert len(guild.bot_messages(other)) == 4
        assert emu.route_rate_limited == 0, broke("rate_limit_per_resource", "X-RateLimit-Remaining/Reset-After")
        assert {r.status for r in emu.requests_to("POST /channels/{id}/messages")} == {200}


async def test_a_bucket_another_process_emptied_costs_one_429_and_no_post() -> None:
    async with posts_per_channel(5, 2.0) as emu:
        guild = emu.create_guild("Contract Guild")
        channel = guild.channel("general").id
        async with running_paced(emu) as client:
            # A second process with the same token empties the channel's bucket first.
            url, auth = f"{emu.api_base}/channels/{channel}/messages", {"Authorization": f"Bot {emu.token}"}
            async with aiohttp.ClientSession() as session:
                for n in range(5):
                    async with session.post(url, json={"content": f"theirs {n}"}, headers=auth) as answer:
                        assert answer.status == 200
            await asyncio.gather(*(client.http.create_message({"content": f"ours {n}"}, channel) for n in range(4)))
        ours = [m.content for m in guild.bot_messages(channel) if m.content.startswith("ours")]
        assert sorted(ours) == [f"ours {n}" for n in range(4)]
        # Only the bucket's first request learns it is empty; the others wait for the reset.
        # (None does if a very slow machine took the whole window to get there.)
        assert emu.route_rate_limited <= 1


async def test_a_global_429_on_a_channels_first_post_does_not_leave_the_channel_unpaced() -> None:
    async with posts_per_channel(3, 0.5) as emu:
        guild = emu.create_guild("Contract Guild")
        channel = guild.channel("general").id
        async with running_paced(emu) as client:
            # The channel's first post meets a global 429, which names no bucket...
            emu.faults.rate_limit("POST /channels/{channel}/messages", times=1, retry_after=1.0, is_global=True)
            first = asyncio.create_task(client.http.create_message({"content": "first"}, channel))
            await eventually(lambda: any(r.status == 429 for r in emu.requests), "the global 429")
            # ...so posts made while the bot waits for the global reset still wait for the
            # channel's bucket; they went out unpaced when that 429 marked the route unlimited.
            burst = [client.http.create_message({"content": f"post {n}"}, channel) for n in range(6)]
            await asyncio.gather(first, *burst)
        assert len(guild.bot_messages(channel)) == 7
        assert emu.route_rate_limited == 0, "a global 429 left the channel's later posts unpaced"


# -- gateway, tasks, processors and hooks, on a real connection --------------------------------


async def test_connection_states_hooks_and_processors_on_a_live_client(gk_emulator: Any) -> None:
    emu = gk_emulator
    guild = emu.create_guild("Contract Guild")
    client = recording_client()
    async with running(emu, client):
        states = ipy.connection_states(client)
        assert len(states) == 1, broke("connection_states", "Client._connection_state")
        assert states[0].gateway_started.is_set(), broke("connection_states", "ConnectionState.gateway_started")

        assert client.sync_hook_calls == [(1, False)], broke(
            "ClientHooks.before_command_sync",
            "when Client._init_interactions runs (once, guilds cached, before Startup)",
        )

        alice = await guild.member("alice")
        reply = await alice.slash("ping")
        assert reply.content == "pong"
        await eventually(lambda: client.ran, "run_slash_command was not called")
        assert client.ran == ["ping"], broke("ClientHooks.run_slash_command", "Client._run_slash_command")
        assert client.found_as_processor == [True], broke(
            "processor_tasks", "how the gateway runs processors (a task per event of client.processors[name])"
        )

        await states[0].stop()
        async with asyncio.timeout(5):
            while emu.connected_shards:  # noqa: ASYNC110
                await asyncio.sleep(0.01)


async def test_start_shards_connects_only_the_given_shards_of_every_bucket() -> None:
    """``start_shards`` on a plain AutoShardedClient: shard_ids 1 and 2 of 4, in two identify
    buckets (max_concurrency 2); the library's own astart would wait forever for bucket 1."""
    from guildkit.core.testing.emulator import DiscordEmulator

    async with DiscordEmulator(shards=4, max_concurrency=2) as emu:
        previous_base = ipy.set_api_base(emu.api_base)
        client = interactions.AutoShardedClient(
            intents=interactions.Intents.DEFAULT, total_shards=4, shard_ids=[1, 2], sync_interactions=False
        )
        ipy.set_rest_rate(client, 10_000)
        task = asyncio.create_task(ipy.start_shards(client, emu.token))
        try:
            async with asyncio.timeout(BOOT_TIMEOUT):
                while emu.connected_shards != {1, 2}:
                    if task.done():
                        task.result()
                    await asyncio.sleep(0.01)
            assert sorted(i["shard"] for i in emu.gateway.identifies) == [[1, 4], [2, 4]], broke(
                "start_shards", "AutoShardedClient.login()/_connection_states for shard_ids"
            )
            assert [state.shard_id for state in ipy.connection_states(client)] == [1, 2]
            assert client.max_start_concurrency == 2, broke("start_shards", "AutoShardedClient.max_start_concurrency")
            async with asyncio.timeout(BOOT_TIMEOUT):
                for state in ipy.connection_states(client):
                    await state._shard_ready.wait()
        finally:
            await asyncio.gather(*(state.stop() for state in ipy.connection_states(client)), return_exceptions=True)
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(task, 5)
            ipy.set_api_base(previous_base)


async def test_listener_tasks_finds_running_listeners() -> None:
    client = interactions.Client()
    release = asyncio.Event()
    listener_task: list[asyncio.Task[Any]] = []

    async def slow_listener(event: interactions.events.Startup) -> None:
        listener_task.append(asyncio.current_task())  # type: ignore[arg-type]
        await release.wait()

    client.add_listener(interactions.Listener.create("startup")(slow_listener))
    client.dispatch(interactions.events.Startup())
    await eventually(lambda: listener_task, "the listener did not run")
    assert listener_task[0] in ipy.listener_tasks(), broke(
        "listener_tasks", 'listener task names ("interactions:: ...")'
    )
    release.set()
    await listener_task[0]


class GatingClient(ipy.ClientHooks, interactions.Client):
    """Admits only listeners whose callback is in ``admitted``; records every decision."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.admitted: set[Any] = set()
        self.asked: list[str] = []

    def queue_listener(self, listener: interactions.Listener, event: Any, queue: Callable[[], Any]) -> Any:
        self.asked.append(listener.callback.__name__)
        return queue() if listener.callback in self.admitted else None


async def test_queue_listener_decides_before_a_listener_task_exists() -> None:
    client = GatingClient()
    called: list[str] = []

    async def admitted(event: interactions.events.Startup) -> None:
        called.append("admitted")

    async def refused(event: interactions.events.Startup) -> None:
        called.append("refused")

    client.add_listener(interactions.Listener.create("startup")(admitted))
    client.add_listener(interactions.Listener.create("startup")(refused))
    client.admitted.add(admitted)
    before = {task for task in asyncio.all_tasks() if task.get_name().startswith(ipy.LISTENER_TASK_PREFIX)}
    client.dispatch(interactions.events.Startup())
    started = ipy.listener_tasks() - before
    assert sorted(client.asked) == ["admitted", "refused"], broke(
        "ClientHooks.queue_listener", "Client.dispatch calling Client._queue_task once per listener"
    )
    assert len(started) == 1, broke("ClientHooks.queue_listener", "Client._queue_task creating the listener's task")
    await asyncio.gather(*started)
    assert called == ["admitted"]


# -- commands -------------------------------------------------------------------------------


class _Ext(interactions.Extension):
    @interactions.slash_command(name="pick", description="Pick one", scopes=[123])
    @interactions.slash_option(
        name="what", description="what", opt_type=interactions.OptionType.STRING, autocomplete=True
    )
    async def pick(self, ctx: interactions.SlashContext, what: str) -> None:
        await ctx.send(what)

    @pick.autocomplete("what")
    async def pick_what(self, ctx: interactions.AutocompleteContext) -> None:
        await ctx.send(choices=[])


def test_extensions_bind_class_command_objects_in_place() -> None:
    # Why fresh_command_copy exists: instantiating an Extension binds the objects on its class.
    original = _Ext.__dict__["pick"]
    _Ext(interactions.Client())
    bound = _Ext.__dict__["pick"]
    callback = bound.callback
    assert isinstance(callback, functools.partial) and isinstance(callback.args[0], _Ext), broke(
        "fresh_command_copy", "how Extension binds command callbacks (functools.partial(callback, extension))"
    )
    assert bound is original


def test_fresh_command_copy_shares_no_mutable_state() -> None:
    command = _Ext.__dict__["pick"]
    fresh = ipy.fresh_command_copy(command)
    names = {field.name for field in attrs.fields(type(command))}
    for name in ("cmd_id", "scopes", "checks", "options", "autocomplete_callbacks", "callback", "extension"):
        assert name in names, broke("fresh_command_copy", f"SlashCommand's fields ({name} is gone)")
    # Every list or dict the library may fill per client must be copied, including new ones.
    for field in attrs.fields(type(command)):
        value = getattr(command, field.name)
        if isinstance(value, (list, dict, set)) and value is getattr(fresh, field.name):
            pytest.fail(broke("fresh_command_copy", f"SlashCommand has a new mutable field {field.name!r}"))
    assert not isinstance(fresh.callback, functools.partial), broke("fresh_command_copy", "callback binding")
    assert all(not isinstance(cb, functools.partial) for cb in fresh.autocomplete_callbacks.values()), broke(
        "fresh_command_copy", "how autocomplete callbacks are bound"
    )


def test_clients_loading_one_extension_get_their_own_commands() -> None:
    first, second = interactions.Client(), interactions.Client()
    ext_a, ext_b = load_extension(first, _Ext), load_extension(second, _Ext)
    pick_a = next(c for c in ext_a.commands if c.resolved_name == "pick")
    pick_b = next(c for c in ext_b.commands if c.resolved_name == "pick")
    assert pick_a is not pick_b
    pick_a.cmd_id[123] = 42
    pick_a.scopes.append(456)
    assert pick_b.cmd_id == {} and pick_b.scopes == [123], broke("fresh_command_copy", "SlashCommand's fields")
    assert pick_a.callback.args[0] is ext_a and pick_b.callback.args[0] is ext_b, broke(
        "fresh_command_copy", "how Extension binds command callbacks"
    )


class SyncingItselfClient(RecordingClient):
    """Syncs commands itself, as guildkit does for per-guild plugin commands."""

    async def sync_commands(self) -> None:
        self.synced_itself = True


async def test_sync_commands_replaces_the_library_sync_and_forget_command_id(gk_emulator: Any) -> None:
    emu = gk_emulator
    client = SyncingItselfClient(
        intents=interactions.Intents.ALL, sync_interactions=True, send_command_tracebacks=False
    )
    client.add_command(interactions.slash_command(name="ping", description="Answers pong")(_pong))
    async with running(emu, client):
        assert client.sync_hook_calls == [(0, False)] and client.synced_itself
        assert emu.commands() == [], broke(
            "ClientHooks.sync_commands", "Client._init_interactions being the whole startup sync"
        )
        await client.library_sync_commands()
        remote = {c["name"]: int(c["id"]) for c in emu.commands()}
        assert "ping" in remote, broke("ClientHooks.library_sync_commands", "Client._init_interactions syncing")
        ping = client.interactions_by_scope[0]["ping"]
        assert int(ping.cmd_id.get(0, 0)) == remote["ping"], broke("forget_command_id", "InteractionCommand.cmd_id")
        ipy.forget_command_id(ping, 0)
        assert 0 not in ping.cmd_id, broke("forget_command_id", "InteractionCommand.cmd_id")


# -- message payloads ------------------------------------------------------------------------


async def test_shape_message_payloads_sees_every_kind_of_message(gk_emulator: Any) -> None:
    emu = gk_emulator
    guild = emu.create_guild("Contract Guild")
    alice = await guild.member("alice")
    client = recording_client()
    shaped: list[str] = []

    def shape(payload: dict[str, Any]) -> dict[str, Any]:
        shaped.append(str(payload.get("content")))
        return {**payload, "content": f"shaped {payload.get('content')}", "allowed_mentions": {"parse": []}}

    async def talk(ctx: interactions.SlashContext) -> None:
        await ctx.defer()
        await ctx.send("reply @everyone")  # replaces the deferral (edit of @original)
        followup = await ctx.send("followup")
        await followup.edit(content="followup edited")
        posted = await ctx.channel.send("post")
        await posted.edit(content="post edited")
        await ctx.author.send("dm")

    async def quick(ctx: interactions.SlashContext) -> None:
        await ctx.send("initial")  # the interaction callback itself (type 4)

    client.add_command(interactions.slash_command(name="talk", description="Talk")(talk))
    client.add_command(interactions.slash_command(name="quick", description="Quick")(quick))
    ipy.shape_message_payloads(client, shape)
    async with running(emu, client):
        reply = await alice.slash("talk")
        await eventually(alice.dms, "the DM did not arrive")
        assert shaped == ["reply @everyone", "followup", "followup edited", "post", "post edited", "dm"], broke(
            "shape_message_payloads", "HTTPClient.request as the path of every message (or the Route templates)"
        )
        assert reply.content == "shaped reply @everyone" and not reply.message.mention_everyone
        assert [m.content for m in alice.dms()] == ["shaped dm"]
        assert [m.content for m in guild.bot_messages()][-1] == "shaped post edited"
        assert (await alice.slash("quick")).content == "shaped initial", broke(
            "shape_message_payloads", "the interaction callback route or its payload's data"
        )


async def test_answer_with_the_message_answers_a_command_with_one_request(gk_emulator: Any) -> None:
    emu = gk_emulator
    guild = emu.create_guild("Contract Guild")
    alice = await guild.member("alice")
    client = recording_client()
    sent: list[interactions.Message] = []

    async def quick(ctx: interactions.SlashContext) -> None:
        sent.append(await ctx.send("initial"))

    async def later(ctx: interactions.SlashContext) -> None:
        await ctx.defer(ephemeral=True)  # the callback carries no message: send edits @original
        sent.append(await ctx.send("after a while"))

    client.add_command(interactions.slash_command(name="quick", description="Quick")(quick))
    client.add_command(interactions.slash_command(name="later", description="Later")(later))
    ipy.answer_with_the_message(client)
    async with running(emu, client):
        reply = await alice.slash("quick")
        await eventually(lambda: sent, "send() did not return")
        assert sent[0].id == reply.message.id and sent[0].content == "initial", broke(
            "answer_with_the_message", "what send() does with post_initial_response's result"
        )
        assert not emu.requests_to("GET /webhooks/{application_id}/{token}/messages/{message_id}"), broke(
            "answer_with_the_message", "send() (it asked for @original although the callback returned the message)"
        )
        deferred = await alice.slash("later")
        await eventually(lambda: len(sent) == 2, "send() after defer did not return")
        assert deferred.content == "after a while" and sent[1].content == "after a while"


# -- ids without a cache lookup ---------------------------------------------------------------


async def test_ready_check_follows_is_ready(gk_emulator: Any) -> None:
    client = recording_client()
    is_ready = ipy.ready_check(client)
    assert is_ready() is False and client.is_ready is False
    async with running(gk_emulator, client):
        await eventually(lambda: client.is_ready, "the client never became ready")
        assert is_ready() is True, broke("ready_check", "Client._ready (the event behind is_ready)")


async def test_ids_of_messages_members_and_voice_states(gk_emulator: Any) -> None:
    emu = gk_emulator
    guild = emu.create_guild("Contract Guild")
    fans = guild.add_role("Fans")
    voice = guild.add_channel("Lounge", "voice")
    alice = await guild.member("alice", roles=[fans])
    client = recording_client()
    async with running(emu, client):
        await alice.say("hello", "general")
        message = (await eventually(lambda: client.messages, "no MESSAGE_CREATE reached the client"))[0]
        general = guild.channel("general")
        assert ipy.guild_id_of(message) == guild.id, broke("guild_id_of", "Message._guild_id")
        assert ipy.channel_id_of(message) == general.id, broke("channel_id_of", "Message._channel_id")
        assert ipy.role_ids_of(message.author) == [fans.id], broke("role_ids_of", "Member._role_ids")
        assert ipy.message_author(message) is message.author, broke(
            "message_author", "Message._author_id/_guild_id and the cache's member_cache/user_cache"
        )
        assert ipy.guild_id_of(message.author) == guild.id, broke("guild_id_of", "Member._guild_id")
        user, guild_id, channel_id = ipy.message_origin(message)
        assert user is client.cache.get_user(alice.id) and user.bot is False, broke(
            "message_origin", "Message._author_id and the cache's user_cache"
        )
        assert (guild_id, channel_id) == (guild.id, general.id), broke(
            "message_origin", "Message._author_id/_guild_id/_channel_id"
        )

        await alice.join_voice(voice)
        state = await eventually(
            lambda: next(iter(client.cache.voice_state_cache.values()), None), "no voice state cached"
        )
        assert ipy.voice_member_id(state) == alice.id, broke("voice_member_id", "VoiceState._member_id")
        assert ipy.guild_id_of(state) == guild.id, broke("guild_id_of", "VoiceState._guild_id")
        assert ipy.channel_id_of(state) == voice.id, broke("channel_id_of", "VoiceState._channel_id")


# -- cooldowns ------------------------------------------------------------------------------


def test_event_names_are_the_librarys_computed_once() -> None:
    from interactions.api import events

    library = ipy._library_resolved_name
    for event_class in (events.MessageCreate, events.GuildJoin, events.RawGatewayEvent, events.Startup):
        event = event_class.__new__(event_class)
        event.override_name = None
        assert event.resolved_name == library(event), broke("_resolved_name_once", "BaseEvent.resolved_name")
    renamed = events.RawGatewayEvent.__new__(events.RawGatewayEvent)
    renamed.override_name = "raw_message_create"
    assert renamed.resolved_name == library(renamed) == "raw_message_create"
    assert ipy._resolved_names["MessageCreate"] == "message_create"


def test_bucket_tokens_are_the_librarys_token_bucket() -> None:
    system = interactions.CooldownSystem(2, 60)
    assert ipy.bucket_tokens(system) == 2, broke("bucket_tokens", "CooldownSystem._tokens (a full bucket holds rate)")
    assert system.acquire_token()
    assert ipy.bucket_tokens(system) == 1, broke("bucket_tokens", "CooldownSystem.acquire_token spending _tokens")
    ipy.spend_bucket_token(system)
    assert ipy.bucket_tokens(system) == 0
    assert not system.acquire_token(), broke("spend_bucket_token", "CooldownSystem refusing at _tokens == 0")
    system.reset()
    assert ipy.bucket_tokens(system) == 2, broke("bucket_tokens", "CooldownSystem.reset refilling _tokens")


# -- nothing else touches interactions.py internals --------------------------------------------

SCANNED = ("core", "plugins")
#: Modules that may import these packages of interactions.py: everything else uses the top level.
INTERNAL_MODULES = ("interactions.client", "interactions.api.http", "interactions.api.gateway", "interactions.models")

#: Public names whose use still depends on interactions.py internals (see core/ipy.py).
INTERNAL_ATTRIBUTES = ("global_lock", "BASE")

#: (file, name) -> why a private name there is not interactions.py's. Entries must still match.
ALLOWED: dict[tuple[str, str], str] = {}


def _interactions_private_names() -> set[str]:
    """Every private attribute or method name interactions.py's own source uses."""
    names: set[str] = set()
    for path in Path(interactions.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        names.add(item.name)
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        names.add(item.target.id)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _own_attributes(tree: ast.AST) -> set[str]:
    """Private names a guildkit module defines itself: assigned on ``self``, or methods."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "self":
                        own.add(sub.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            own.add(node.name)
    return own


def _subclasses_interactions(node: ast.ClassDef, from_interactions: set[str]) -> bool:
    for base in node.bases:
        root = base
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and (root.id == "interactions" or root.id in from_interactions):
            return True
    return False


def _private_interactions_uses(path: Path, private: set[str]) -> list[tuple[str, int, str]]:
    """(name, line, what) for each private interactions.py access in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _own_attributes(tree)
    from_interactions: set[str] = set()
    found: list[tuple[str, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for module in modules:
                if module.startswith(INTERNAL_MODULES):
                    found.append((module, node.lineno, f"imports {module}"))
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("interactions"):
                from_interactions.update(alias.asname or alias.name for alias in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in INTERNAL_ATTRIBUTES:
            found.append((node.attr, node.lineno, f"uses .{node.attr}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("interactions::"):
            found.append(("interactions::", node.lineno, "finds listener tasks by name"))
        elif isinstance(node, ast.Attribute) and node.attr in private:
            on_super = isinstance(node.value, ast.Call) and getattr(node.value.func, "id", None) == "super"
            if on_super or node.attr not in own:
                found.append((node.attr, node.lineno, f"uses .{node.attr}"))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("getattr", "setattr", "hasattr"):
            name = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else None
            if name in private and name not in own:
                found.append((name, node.lineno, f"reads {name!r} by name"))
        elif isinstance(node, ast.ClassDef) and _subclasses_interactions(node, from_interactions):
            # A private method of an interactions.py class, overridden: only core/ipy.py may.
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in private:
                    found.append((item.name, item.lineno, f"overrides {node.name}.{item.name}"))
    return found


def test_no_private_interactions_access_outside_core_ipy() -> None:
    private = _interactions_private_names()
    assert {"_connection_state", "_role_ids", "_tokens", "_init_interactions"} <= private  # the scan sees them
    offenders: list[str] = []
    matched: set[tuple[str, str]] = set()
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative == "core/ipy.py" or "/migrations/" in relative:
                continue
            for name, line, what in _private_interactions_uses(path, private):
                if (relative, name) in ALLOWED:
                    matched.add((relative, name))
                else:
                    offenders.append(f"{relative}:{line}: {what}")
    assert not offenders, (
        "private interactions.py access outside guildkit/core/ipy.py; add a named function there "
        "(with a contract test here) and call it instead:\n" + "\n".join(offenders)
    )
    assert not set(ALLOWED) - matched, f"stale ALLOWED entries: {sorted(set(ALLOWED) - matched)}"


async def test_a_bucket_whose_limit_changes_keeps_the_requests_waiting_on_it() -> None:
    # interactions.py swapped the semaphore of a busy bucket, and its waiters never ran.
    bucket = interactions.api.http.http_client.BucketLock()
    bucket.ingest_ratelimit_header({"x-ratelimit-bucket": "b", "x-ratelimit-limit": "1"})
    order: list[str] = []

    async def request(name: str, answer: dict[str, str]) -> None:
        async with bucket:
            order.append(name)
            await asyncio.sleep(0.01)
            bucket.ingest_ratelimit_header(answer)  # the answer's headers, read while holding it

    await asyncio.wait_for(
        asyncio.gather(
            request("first", {"x-ratelimit-bucket": "b", "x-ratelimit-limit": "5"}),
            request("second", {}),
            request("third", {}),
        ),
        timeout=5,
    )
    assert order == ["first", "second", "third"], broke("_ingest_ratelimit_header_keeping_waiters", "BucketLock")
