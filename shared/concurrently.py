"""Awaiting independent store calls together."""

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any


async def all_settled(awaitables: Iterable[Awaitable[Any]]) -> list[Any]:
    """Every result, once all have finished: an error is raised only then (the first one), so no write
    is left running unobserved when its caller falls back or retries."""
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    if error := next((r for r in results if isinstance(r, BaseException)), None):
        raise error
    return results
