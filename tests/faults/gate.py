"""The gate in front of the flow's inputs: open, closed, or open for a counted number of inputs.

A fault closes it to make its injection land while the flow still has inputs to send, and lets a
counted few through to give a stopped service work that only its next process can do.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator


class Gate:
    def __init__(self) -> None:
        self._allowance: int | None = None  # None: open; n: n more inputs may pass, then it is closed
        self._changed = asyncio.Condition()

    async def passage(self) -> None:
        """Waits until one more input may be sent, and counts it."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._allowance is None or self._allowance > 0)
            if self._allowance is not None:
                self._allowance -= 1

    async def _set(self, allowance: int | None) -> None:
        async with self._changed:
            self._allowance = allowance
            self._changed.notify_all()

    async def close(self) -> None:
        await self._set(0)

    async def open(self) -> None:
        await self._set(None)

    async def allow(self, inputs: int) -> None:
        """`inputs` more may pass; the gate stays closed behind them."""
        await self._set((self._allowance or 0) + inputs)

    @contextlib.asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Closed for the block's duration (also when it fails), then open."""
        await self.close()
        try:
            yield
        finally:
            await self.open()
