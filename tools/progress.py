"""The main job's stages as progress bars, waiting on progress instead of on fixed timeouts.

Each stage (enrolled, paired, planned, completed, invited, surveyed) has a target and a count that the job
either observes (polling a service) or makes itself (its own HTTP calls). A stage is done when its
count reaches its target, however long that takes on a busy machine; if its count stops moving for
`stall_after_s`, the job stops with `Stalled`, naming the stage and how far it got.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

STAGES = ("enrolled", "paired", "planned", "completed", "invited", "surveyed")
LOG_EVERY_S = 10.0
T = TypeVar("T")


class Stalled(RuntimeError):
    """A stage stopped advancing: the pipeline is stuck, not slow."""


@dataclass
class Stage:
    name: str
    task: TaskID
    total: int = 0
    done: int = 0
    started: float | None = None
    moved: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def rate(self) -> float:
        if self.started is None or not self.done:
            return 0.0
        return self.done / max((self.finished or time.monotonic()) - self.started, 1e-6)


class Pipeline:
    def __init__(self, console: Console, stall_after_s: float, poll_s: float = 1.0,
                 names: tuple[str, ...] = STAGES) -> None:
        self.stall_after_s, self.poll_s = stall_after_s, poll_s
        self.console, self._printed = console, 0.0
        self.bars = Progress(TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[rate]:>8.1f}/s"), TimeElapsedColumn(),
                             console=console, transient=False)
        self.stages = {n: Stage(n, self.bars.add_task(n, total=None, rate=0.0, start=False)) for n in names}

    @contextmanager
    def shown(self) -> Iterator["Pipeline"]:
        with self.bars:
            yield self

    def expect(self, name: str, total: int) -> None:
        stage = self.stages[name]
        stage.total = total
        if stage.started is None:
            stage.started = stage.moved = time.monotonic()
            self.bars.start_task(stage.task)
        self._show(stage)

    def record(self, name: str, done: int) -> None:
        """The stage's count now (it only moves forward)."""
        stage = self.stages[name]
        if done > stage.done:
            stage.done, stage.moved = done, time.monotonic()
        if stage.done >= stage.total and stage.finished is None:
            stage.finished = time.monotonic()
        self._show(stage)

    def advance(self, name: str, by: int = 1) -> None:
        self.record(name, self.stages[name].done + by)

    def check(self, name: str) -> None:
        stage = self.stages[name]
        idle = time.monotonic() - stage.moved
        if stage.done < stage.total and idle > self.stall_after_s:
            raise Stalled(f"stage '{name}' stalled at {stage.done}/{stage.total}: no progress for {idle:.0f}s "
                          f"(limit {self.stall_after_s:.0f}s)")

    async def wait(self, name: str, count: Callable[[], Awaitable[int]],
                   settle: Callable[[int], Awaitable[int | None]] | None = None, settle_after_s: float = 30.0) -> int:
        """Polls a count a service reports until the stage reaches its target. `settle` is asked, each
        time the count has not moved for `settle_after_s`, for the target the service now says is
        reachable (None: it cannot say yet), e.g. matching's pairs once the last people cannot meet
        (tools/waiting_list.py); a lower target ends the stage where it stands, not as a stall."""
        asked = 0.0
        while True:
            self.record(name, await count())
            stage = self.stages[name]
            if stage.done >= stage.total:
                return stage.done
            if settle is not None and time.monotonic() - max(stage.moved, asked) > settle_after_s:
                asked = time.monotonic()
                reachable = await settle(stage.done)
                if reachable is not None and reachable < stage.total:
                    stage.total = reachable
                    self.record(name, stage.done)
                    continue
            self.check(name)
            await asyncio.sleep(self.poll_s)

    async def drive(self, name: str, work: Awaitable[T]) -> T:
        """Runs work that advances the stage itself; stops it if the stage stops advancing."""
        task = asyncio.ensure_future(work)
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=self.poll_s)
                if not task.done():
                    self.check(name)
            return task.result()
        finally:
            task.cancel()

    def summary(self) -> dict[str, dict[str, float]]:
        return {s.name: {"done": s.done, "total": s.total, "rate_per_s": round(s.rate, 2),
                         "seconds": round((s.finished or time.monotonic()) - s.started, 1) if s.started else 0.0}
                for s in self.stages.values()}

    def _show(self, stage: Stage) -> None:
        self.bars.update(stage.task, total=stage.total or None, completed=stage.done, rate=stage.rate)
        # Without a terminal (CI logs, a pipe) the bars are drawn once at the end: print a line now and then.
        if not self.console.is_terminal and time.monotonic() - self._printed > LOG_EVERY_S:
            self._printed = time.monotonic()
            self.console.print("progress: " + ", ".join(f"{s.name} {s.done}/{s.total} ({s.rate:.1f}/s)"
                                                        for s in self.stages.values() if s.started is not None))
