"""The baseline: a plain interactions.py bot with one global ``/ping`` that answers "pong".

Started by ``slash_throughput.py`` in its own process; see ``_botproc.py`` for the protocol.
The same intents as guildkit's bot (Discord's defaults plus GUILD_MEMBERS). One thing is lifted:
interactions.py throttles EVERY request to 45 a second, interaction answers included, which would
cap the baseline at about 22 commands/s; this bot raises that limit for all routes before login.
guildkit needs no lift: it exempts interaction answers, as Discord does, and keeps 50/s elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time

import _botproc
import interactions
from interactions import SlashContext, slash_command
from interactions.api.http.route import Route

# Nothing of guildkit is imported here: core/ipy.py patches library classes when imported (the
# event-name cache, the rate-limit bucket fix), and the baseline is interactions.py as shipped.


@slash_command(name="ping", description="Answers pong")
async def ping(ctx: SlashContext) -> None:
    await ctx.send("pong")


async def main() -> int:
    began = time.perf_counter()
    Route.BASE = _botproc.api_base().rstrip("/")  # what guildkit's ipy.set_api_base does
    client = interactions.Client(
        token=_botproc.token(),
        intents=interactions.Intents.DEFAULT | interactions.Intents.GUILD_MEMBERS,
        sync_interactions=True,
        delete_unused_application_cmds=True,
        send_command_tracebacks=False,
    )
    client.http.global_lock.max_requests = _botproc.UNTHROTTLED  # also sizes the aiohttp connector
    started = asyncio.Event()

    async def on_startup() -> None:
        started.set()

    client.add_listener(interactions.Listener.create("startup")(on_startup))
    task = asyncio.create_task(client.astart(), name="bare-client")
    waiter = asyncio.create_task(started.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            waiter.cancel()
            error = task.exception() if not task.cancelled() else None
            print(f"the bare bot stopped before Startup: {error!r}", file=sys.stderr)
            return 1
        _botproc.ready(kind="bare", boot_seconds=round(time.perf_counter() - began, 3))
        await _botproc.control_loop()
        return 0
    finally:
        # Stop the gateway first: Client.stop() with a live socket spins a core (aiohttp >= 3.12.4).
        with contextlib.suppress(Exception):
            await client._connection_state.stop()
        with contextlib.suppress(Exception):
            await client.stop()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    sys.exit(asyncio.run(main()))
