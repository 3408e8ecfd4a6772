"""The reminders plugin's per-bot state: the time parser and the thread it runs in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from guildkit.core.state import PluginState

from .service.parsing import DateparserEngine

if TYPE_CHECKING:
    from guildkit.core.plugin import Plugin
    from guildkit.core.runtime import Runtime

T = TypeVar("T")


class RemindersState(PluginState):
    """``engine``: dateparser with the allowed languages, warmed in the parser thread from
    :meth:`start` on, so the first /remind does not pay for loading it. Parsing runs on
    ``executor``, one worker thread, never on the event loop; one thread also keeps dateparser's
    lazy caches free of races.
    ``warm_seconds``: how long warming took (logged by operators, shown in the README)."""

    def __init__(self, runtime: Runtime, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        self.engine = DateparserEngine()
        self.executor: ThreadPoolExecutor | None = None
        self.warm_seconds: float | None = None

    async def start(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guildkit-reminders-parser")
        # Warmed in the background, not awaited: the bot connects meanwhile (warming was the
        # largest part of a cold start), and a /remind that comes first queues behind it in the
        # one parser thread.
        self.executor.submit(self._warm)

    def _warm(self) -> None:
        started = time.perf_counter()
        self.engine.warm()
        self.warm_seconds = time.perf_counter() - started

    async def off_loop(self, function: Callable[..., T], *args: object) -> T:
        """Run ``function(*args)`` in the parser thread."""
        if self.executor is None:  # used before start() (scripts): a thread of its own
            return await asyncio.to_thread(function, *args)
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def stop(self) -> None:
        executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
