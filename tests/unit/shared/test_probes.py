"""A health probe that outlives its timeout is reported down but left to finish: cancelling a pymongo
operation mid-wait can break the client's pool on Python 3.11 (shared/observability/http.py)."""

import asyncio

from shared.observability.http import answers


async def test_a_slow_probe_is_down_yet_never_cancelled():
    outcome: list[str] = []

    async def slow() -> bool:
        try:
            await asyncio.sleep(0.3)
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise
        outcome.append("finished")
        return True

    assert await answers(slow, 0.05) is False
    for _ in range(100):
        if outcome:
            break
        await asyncio.sleep(0.05)
    assert outcome == ["finished"]


async def test_a_probe_that_answers_in_time_or_fails():
    async def yes() -> bool:
        return True

    async def broken() -> bool:
        raise ConnectionError("store down")

    assert await answers(yes, 1.0) is True
    assert await answers(broken, 1.0) is False
