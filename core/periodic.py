"""A background task that runs a coroutine every N seconds and once more when stopped.

For buffers that are written in batches (command usage, leveling XP): the last run on stop is
what makes a graceful shutdown lose nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from guildkit.core.errors import report_unexpected


class Periodic:
    def __init__(self, interval: float, work: Callable[[], Awaitable[Any]], *, name: str) -> None:
        self.interval = interval
        self.work = work
        self.name = name
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        """Stop the loop, then run the work one last time (its errors reach the caller)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.work()

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.work()
            except Exception as error:  # a failing run is logged; the next one tries again
                report_unexpected(error, self.name)
