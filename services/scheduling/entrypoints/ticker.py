"""The periodic task: reminders and inactivity checks every `interval` seconds of the clock."""

import logging
from collections.abc import Callable
from datetime import datetime
from uuid import uuid4

from scheduling import handlers
from scheduling.domain.commands import Tick
from scheduling.domain.model import Timing
from scheduling.unit_of_work import UnitOfWorkFactory
from shared.periodic import Periodic

log = logging.getLogger(__name__)


class Ticker:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], timing: Timing,
                 interval_s: float) -> None:
        self.uow_factory, self.clock, self.timing, self.interval_s = uow_factory, clock, timing, interval_s
        self.loop = Periodic("scheduling-ticker", interval_s, self.tick)

    async def once(self) -> dict[str, int]:
        async with self.uow_factory() as uow:
            return await handlers.tick(Tick(self.clock(), self.timing, uuid4()), uow)

    def start(self) -> None:
        self.loop.start()

    async def stop(self) -> None:
        await self.loop.stop()

    async def tick(self) -> None:
        try:
            counts = await self.once()
            if any(counts.values()):
                log.info("tick: %s", counts)
        except Exception:
            log.exception("tick failed")
