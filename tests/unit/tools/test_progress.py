"""The main job's stages end on progress, and a stage that stops moving fails the job."""

import asyncio
import io

import pytest
from rich.console import Console

from tools.progress import Pipeline, Stalled


def pipeline(stall_after_s: float) -> Pipeline:
    return Pipeline(Console(file=io.StringIO()), stall_after_s=stall_after_s, poll_s=0.01)


async def test_a_stage_ends_when_its_count_reaches_the_target_however_slowly_it_moves():
    stages = pipeline(stall_after_s=60)
    counts = iter([0, 1, 1, 2, 3, 5])
    stages.expect("paired", 5)

    async def count() -> int:
        return next(counts)

    assert await stages.wait("paired", count) == 5
    figures = stages.summary()["paired"]
    assert figures["done"] == figures["total"] == 5
    assert figures["rate_per_s"] > 0


async def test_a_stage_whose_count_stops_moving_fails_naming_the_stage_and_how_far_it_got():
    stages = pipeline(stall_after_s=0.2)
    stages.expect("planned", 10)

    async def stuck() -> int:
        return 3

    with pytest.raises(Stalled, match=r"'planned' stalled at 3/10"):
        await stages.wait("planned", stuck)


async def test_a_stage_short_of_its_target_ends_where_the_service_says_nothing_more_is_reachable():
    stages = pipeline(stall_after_s=30)
    stages.expect("paired", 5)
    asked: list[int] = []

    async def four() -> int:
        return 4

    async def matching_says(paired: int) -> int | None:  # the two people left cannot meet
        asked.append(paired)
        return None if len(asked) == 1 else paired  # the first time it cannot say yet

    assert await stages.wait("paired", four, settle=matching_says, settle_after_s=0.05) == 4
    assert asked == [4, 4]
    assert stages.summary()["paired"]["total"] == 4


async def test_a_stage_whose_service_cannot_say_what_is_reachable_still_stalls():
    stages = pipeline(stall_after_s=0.2)
    stages.expect("paired", 5)

    async def four() -> int:
        return 4

    async def unknown(_: int) -> int | None:
        return None

    with pytest.raises(Stalled, match=r"'paired' stalled at 4/5"):
        await stages.wait("paired", four, settle=unknown, settle_after_s=0.01)


async def test_work_that_drives_a_stage_is_stopped_when_it_stops_advancing():
    stages = pipeline(stall_after_s=0.2)
    stages.expect("completed", 4)
    gate = asyncio.Event()  # never set: the last completion hangs

    async def work() -> None:
        for _ in range(3):
            stages.advance("completed")
        await gate.wait()

    with pytest.raises(Stalled, match=r"'completed' stalled at 3/4"):
        await stages.drive("completed", work())


async def test_work_that_finishes_returns_its_result():
    stages = pipeline(stall_after_s=60)
    stages.expect("surveyed", 2)

    async def work() -> str:
        stages.advance("surveyed", 2)
        return "answered"

    assert await stages.drive("surveyed", work()) == "answered"
