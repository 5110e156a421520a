"""The periodic task: reminders and inactivity checks every `interval` seconds of the clock."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from uuid import uuid4

from scheduling import handlers
from scheduling.domain.commands import Tick
from scheduling.domain.model import Timing
from scheduling.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)


class Ticker:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], timing: Timing,
                 interval_s: float) -> None:
        self.uow_factory, self.clock, self.timing, self.interval_s = uow_factory, clock, timing, interval_s
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def once(self) -> dict[str, int]:
        async with self.uow_factory() as uow:
            return await handlers.tick(Tick(self.clock(), self.timing, uuid4()), uow)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run_forever(), name="scheduling-ticker")

    async def stop(self) -> None:
        # The flag, not only the cancel: a cancel that lands as a store reply completes can be lost (Python
        # 3.11's asyncio.wait_for, which pymongo's network layer uses), and the loop would tick on for ever.
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_forever(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.interval_s)
            try:
                counts = await self.once()
                if any(counts.values()):
                    log.info("tick: %s", counts)
            except Exception:
                log.exception("tick failed")
