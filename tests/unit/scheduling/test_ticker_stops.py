"""The periodic task stops when the service does, even when the cancel it is sent is lost."""

import asyncio
from datetime import UTC, datetime

from scheduling.entrypoints.ticker import Ticker
from tests.unit.scheduling.test_reminders_and_inactivity import TIMING


def ticker() -> Ticker:
    return Ticker(uow_factory=None, clock=lambda: datetime.now(UTC), timing=TIMING, interval_s=0.01)


async def test_a_cancel_lost_in_a_tick_still_stops_the_ticker():
    t, ticking = ticker(), asyncio.Event()

    async def tick_losing_the_cancel() -> dict[str, int]:
        # As Python 3.11's asyncio.wait_for can, when the store's reply lands with the cancel (once).
        if not ticking.is_set():
            ticking.set()
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                pass
        return {}

    t.once = tick_losing_the_cancel
    t.start()
    await ticking.wait()
    stopping = asyncio.create_task(t.stop())
    done, _ = await asyncio.wait({stopping}, timeout=5)  # not a timeout scope: stop() suppresses a cancel
    if stopping not in done:
        t.loop._task.cancel()  # a second cancel ends it, so a failure does not hang the session
        await stopping
    assert stopping in done, "the ticker ran on after its stop"
    assert t.loop.done() and not [x for x in asyncio.all_tasks() if x.get_name() == "scheduling-ticker"]


async def test_the_ticker_ticks_until_stopped():
    t, ticks, three = ticker(), [], asyncio.Event()

    async def counted() -> dict[str, int]:
        ticks.append(1)
        if len(ticks) == 3:
            three.set()
        return {}

    t.once = counted
    t.start()
    await three.wait()
    await t.stop()
    stopped_at = len(ticks)
    await asyncio.sleep(0.05)
    assert len(ticks) == stopped_at
