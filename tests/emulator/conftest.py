"""Boot the real interactions.py client against the emulator, and stop it cleanly.

The framework will have its own harness later; this one documents what the client needs:
``Route.BASE`` pointed at the emulator, the global throttle at Discord's 50/s with interaction
answers exempt, a wait for ``Startup`` (interactions sent earlier are dropped), and a stop that
ends the gateway state first.
"""

# ruff: noqa: ASYNC109 - Recorder.wait takes a per-call `timeout`

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import interactions
import pytest

from guildkit.core import ipy
from guildkit.core.testing.emulator import DiscordEmulator

BOOT_TIMEOUT = 10.0


@contextlib.asynccontextmanager
async def run_client(emu: DiscordEmulator, client: interactions.Client) -> AsyncIterator[interactions.Client]:
    """Start ``client`` against ``emu``; yield once Startup fired; stop it and restore Route.BASE."""
    previous_base = ipy.set_api_base(emu.api_base)  # process-wide: one emulator-backed client at a time
    # As guildkit runs it: Discord's 50/s for other routes, interaction answers exempt.
    ipy.throttle_rest(client, 50)
    started = asyncio.Event()

    async def _on_startup(event: interactions.events.Startup) -> None:
        started.set()

    client.add_listener(interactions.Listener.create("startup")(_on_startup))
    task = asyncio.create_task(client.astart(emu.token), name="interactions-client")
    try:
        waiter = asyncio.create_task(started.wait())
        done, _ = await asyncio.wait({waiter, task}, timeout=BOOT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if task in done:
                task.result()  # raise the boot error
            raise TimeoutError(f"client did not reach Startup within {BOOT_TIMEOUT}s")
        yield client
    finally:
        await stop_client(client, task)
        ipy.set_api_base(previous_base)


async def stop_client(client: interactions.Client, task: asyncio.Task[Any]) -> None:
    """Stop the gateway state(s) first, then the client: ``Client.stop()`` alone can spin at 100% CPU."""
    with contextlib.suppress(Exception):
        await asyncio.gather(*(state.stop() for state in ipy.connection_states(client)))
    with contextlib.suppress(Exception):
        await client.stop()
    if not task.done():
        try:
            await asyncio.wait_for(task, 5)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
    with contextlib.suppress(BaseException):
        await task


def make_client(
    *,
    commands: Iterable[Any] = (),
    intents: interactions.Intents = interactions.Intents.ALL,
    cls: type[interactions.Client] = interactions.Client,
    setup: Callable[[interactions.Client], None] | None = None,
    **kwargs: Any,
) -> interactions.Client:
    """A client with the given commands/callbacks/listeners added (anything ``add_command`` takes)."""
    logger = logging.getLogger("interactions-test")
    client = cls(intents=intents, logger=logger, **kwargs)
    for item in commands:
        client.add_command(item)
    if setup is not None:
        setup(client)
    return client


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    emulator = DiscordEmulator()
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()
    emulator.assert_no_internal_errors()


class Recorder:
    """Collects the client's events by name so tests can wait for what the bot received."""

    def __init__(self, client: interactions.Client, *names: str) -> None:
        self.events: dict[str, list[Any]] = {name: [] for name in names}
        self._changed = asyncio.Event()
        for name in names:
            client.add_listener(interactions.Listener.create(name)(self._make_handler(name)))

    def _make_handler(self, name: str) -> Callable[[Any], Any]:
        async def handler(event: Any) -> None:
            self.events[name].append(event)
            self._changed.set()

        return handler

    async def wait(self, name: str, predicate: Callable[[Any], bool] = lambda e: True, timeout: float = 5.0) -> Any:
        """The first recorded ``name`` event matching ``predicate`` (waits for it)."""
        async with asyncio.timeout(timeout):
            while True:
                for event in self.events[name]:
                    if predicate(event):
                        return event
                self._changed.clear()
                await self._changed.wait()
