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
    #: How long :meth:`stop` lets a run in progress finish before cancelling it.
    STOP_GRACE_SECONDS = 10.0

    def __init__(self, interval: float, work: Callable[[], Awaitable[Any]], *, name: str) -> None:
        self.interval = interval
        self.work = work
        self.name = name
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        #: Whether a run started by the loop is in progress.
        self.running = False

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        """Stop the loop, then run the work one last time (its errors reach the caller).

        A run in progress finishes first (up to :attr:`STOP_GRACE_SECONDS`): cancelled in the
        middle of a write, the batch it had taken from its buffer was lost (PostgreSQL cancels the
        statement), or written by a statement SQLite finished anyway and counted again if put back.
        """
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True  # the loop ends after the run in progress, if any
            if self.running:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(task), self.STOP_GRACE_SECONDS)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.work()

    async def _loop(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.interval)
            self.running = True
            try:
                await self.work()
            except Exception as error:  # a failing run is logged; the next one tries again
                report_unexpected(error, self.name)
            finally:
                self.running = False
