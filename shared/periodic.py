"""A loop beside a service: sleep, then one step, until stopped."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable


class Periodic:
    """Stopped by a flag as well as a cancel: a cancel that lands as a store or broker reply completes
    can be lost (Python 3.11's asyncio.wait_for, which pymongo's network layer uses), and a loop stopped
    by the cancel alone would run on while its service's shutdown waits for it."""

    def __init__(self, name: str, interval_s: float, step: Callable[[], Awaitable[None]]) -> None:
        self.name, self.interval_s, self.step = name, interval_s, step
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def done(self) -> bool:
        return self._task is not None and self._task.done()

    async def _run(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.interval_s)
            await self.step()
