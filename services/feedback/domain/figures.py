"""The statistics of the impact report, each returned with its sample size."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None
    n: int
    suppressed: bool = False

    def anonymised(self, k: int) -> "Figure":
        # Below k respondents a figure could point at a person: withhold the value, keep n hidden too.
        return self if self.n >= k else Figure(self.name, None, 0, True)


def rate(name: str, flags: Sequence[bool]) -> Figure:
    return Figure(name, _round(sum(flags) / len(flags)) if flags else None, len(flags))


def mean(name: str, values: Sequence[float]) -> Figure:
    return Figure(name, _round(sum(values) / len(values)) if values else None, len(values))


def nps(name: str, scores: Sequence[int]) -> Figure:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), from -100 to 100."""
    if not scores:
        return Figure(name, None, 0)
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return Figure(name, _round(100 * (promoters - detractors) / len(scores), 1), len(scores))


def total(name: str, values: Iterable[int], n: int) -> Figure:
    return Figure(name, sum(values), n)


def _round(x: float, digits: int = 3) -> float:
    return round(x, digits)
